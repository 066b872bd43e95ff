//! What the web layer needs from the configuration.

use secrecy::{ExposeSecret, SecretSlice};
use url::Url;

#[derive(Clone)]
pub struct WebConfig {
    /// The address people reach the server at; links in e-mails are built from it.
    pub base_url: Url,
    /// Signs session cookies, bearer tokens and CSRF tokens.
    pub jwt_secret: SecretSlice<u8>,
    /// The secret before the last rotation: still accepted, never used to sign, so a rotation logs
    /// nobody out (docs/operations.md).
    pub jwt_secret_previous: Option<SecretSlice<u8>>,
    /// A session unused for this long ends.
    pub session_idle: chrono::Duration,
    /// The longest a session lives, however active.
    pub session_max_age: chrono::Duration,
    /// Lifetime of a bearer token from `/api/v1/auth/login` (at most 15 minutes).
    pub access_token_ttl: chrono::Duration,
    /// `From:` of outgoing e-mail.
    pub mail_from: lettre_mailbox::Mailbox,
}

/// Re-exported so callers need not depend on lettre to build a [`WebConfig`].
pub mod lettre_mailbox {
    pub use finsam_mail::Mailbox;
}

impl WebConfig {
    /// Cookies get `Secure` (and the `__Host-` prefix, which requires it) when the base URL is https.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.scheme() == "https"
    }

    pub fn session_cookie_name(&self) -> &'static str {
        if self.secure_cookies() {
            "__Host-finsam-session"
        } else {
            "finsam-session"
        }
    }

    pub fn csrf_cookie_name(&self) -> &'static str {
        if self.secure_cookies() {
            "__Host-finsam-csrf"
        } else {
            "finsam-csrf"
        }
    }

    /// The secret new tokens are signed with.
    pub fn secret(&self) -> &[u8] {
        self.jwt_secret.expose_secret()
    }

    /// The secrets a token may be signed with: the current one, then the previous one.
    pub fn accepted_secrets(&self) -> impl Iterator<Item = &[u8]> {
        std::iter::once(self.secret())
            .chain(self.jwt_secret_previous.as_ref().map(|s| s.expose_secret()))
    }

    /// The token's claims when one of the accepted secrets signed it.
    pub fn verify_jwt(
        &self,
        token: &str,
        kind: crate::auth::jwt::TokenKind,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<crate::auth::jwt::Claims> {
        self.accepted_secrets()
            .find_map(|s| crate::auth::jwt::verify(s, token, kind, now))
    }

    /// Whether one of the accepted secrets made this CSRF token for `binding`.
    pub fn verify_csrf(&self, binding: &str, token: &str) -> bool {
        self.accepted_secrets()
            .any(|s| crate::auth::csrf::verify(s, binding, token))
    }

    /// An absolute link to a path of this server.
    pub fn link(&self, path: &str) -> String {
        let base = self.base_url.as_str().trim_end_matches('/');
        format!("{base}{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::csrf;
    use crate::auth::jwt::{self, Claims, TokenKind};

    const OLD: &[u8] = b"the-secret-before-the-rotation-0123456789";
    const NEW: &[u8] = b"the-secret-after-the-rotation-9876543210";

    fn config(secret: &[u8], previous: Option<&[u8]>) -> WebConfig {
        WebConfig {
            base_url: "https://finsam.example".parse().unwrap(),
            jwt_secret: secret.to_vec().into(),
            jwt_secret_previous: previous.map(|p| p.to_vec().into()),
            session_idle: chrono::Duration::hours(8),
            session_max_age: chrono::Duration::hours(24),
            access_token_ttl: chrono::Duration::minutes(15),
            mail_from: "Finsam <no-reply@finsam.example>".parse().unwrap(),
        }
    }

    #[test]
    fn a_rotated_secret_keeps_the_old_tokens_valid_only_while_it_is_the_previous_one() {
        let now = chrono::Utc::now();
        let claims = Claims {
            sub: "7".into(),
            typ: TokenKind::Access,
            sid: None,
            iat: now.timestamp(),
            iat_ms: now.timestamp_millis(),
            exp: now.timestamp() + 600,
        };
        let old_token = jwt::issue(OLD, &claims).unwrap();
        let old_csrf = csrf::token(OLD, "session-1");

        let rotated = config(NEW, Some(OLD));
        assert_eq!(
            rotated
                .verify_jwt(&old_token, TokenKind::Access, now)
                .map(|c| c.sub),
            Some("7".into())
        );
        assert!(rotated.verify_csrf("session-1", &old_csrf));
        assert!(
            !rotated.verify_csrf("session-2", &old_csrf),
            "bound to its session"
        );
        // New tokens are signed with the new secret only.
        let new_token = jwt::issue(rotated.secret(), &claims).unwrap();
        assert!(jwt::verify(NEW, &new_token, TokenKind::Access, now).is_some());
        assert!(jwt::verify(OLD, &new_token, TokenKind::Access, now).is_none());

        // Once the previous secret is removed, the old tokens end.
        let done = config(NEW, None);
        assert!(
            done.verify_jwt(&old_token, TokenKind::Access, now)
                .is_none()
        );
        assert!(!done.verify_csrf("session-1", &old_csrf));
        assert!(
            done.verify_jwt(&new_token, TokenKind::Access, now)
                .is_some()
        );
        // A token of another kind is still refused with either secret.
        assert!(
            rotated
                .verify_jwt(&old_token, TokenKind::Session, now)
                .is_none()
        );
    }
}
