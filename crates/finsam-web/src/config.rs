//! What the web layer needs from the configuration.

use secrecy::{ExposeSecret, SecretSlice};
use url::Url;

#[derive(Clone)]
pub struct WebConfig {
    /// The address people reach the server at; links in e-mails are built from it.
    pub base_url: Url,
    /// Signs session cookies, bearer tokens and CSRF tokens.
    pub jwt_secret: SecretSlice<u8>,
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

    pub fn secret(&self) -> &[u8] {
        self.jwt_secret.expose_secret()
    }

    /// An absolute link to a path of this server.
    pub fn link(&self, path: &str) -> String {
        let base = self.base_url.as_str().trim_end_matches('/');
        format!("{base}{path}")
    }
}
