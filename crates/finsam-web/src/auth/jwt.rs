//! Signed tokens (HS256 only: `alg: none` and every other algorithm are refused).

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

/// What a token is for, so a session cookie cannot be used as a bearer token or the reverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    Access,
    Session,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The account id.
    pub sub: String,
    pub typ: TokenKind,
    /// The session id, for session cookies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub iat: i64,
    /// Issued-at in milliseconds, so a password change revokes tokens issued in the same second before it.
    #[serde(default)]
    pub iat_ms: i64,
    pub exp: i64,
}

pub fn issue(secret: &[u8], claims: &Claims) -> anyhow::Result<String> {
    Ok(encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )?)
}

/// Verifies signature, algorithm, expiry and kind. Any failure is just `None`: the caller answers 401.
pub fn verify(secret: &[u8], token: &str, kind: TokenKind, now: DateTime<Utc>) -> Option<Claims> {
    let mut v = Validation::new(Algorithm::HS256);
    v.leeway = 0;
    v.validate_exp = false; // checked below against our clock, so tests can move time
    v.required_spec_claims = ["exp", "sub"].into_iter().map(String::from).collect();
    let data = decode::<Claims>(token, &DecodingKey::from_secret(secret), &v).ok()?;
    let c = data.claims;
    (c.typ == kind && c.exp > now.timestamp()).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn claims(exp_in: i64) -> Claims {
        let now = Utc::now().timestamp();
        Claims {
            sub: "1".into(),
            typ: TokenKind::Access,
            sid: None,
            iat: now,
            iat_ms: now * 1000,
            exp: now + exp_in,
        }
    }

    #[test]
    fn round_trip_and_refusals() {
        let secret = b"0123456789abcdef0123456789abcdef";
        let t = issue(secret, &claims(60)).unwrap();
        assert!(verify(secret, &t, TokenKind::Access, Utc::now()).is_some());
        assert!(
            verify(secret, &t, TokenKind::Session, Utc::now()).is_none(),
            "wrong kind"
        );
        assert!(
            verify(
                b"another secret of the same length!",
                &t,
                TokenKind::Access,
                Utc::now()
            )
            .is_none()
        );
        let expired = issue(secret, &claims(-1)).unwrap();
        assert!(verify(secret, &expired, TokenKind::Access, Utc::now()).is_none());
    }

    #[test]
    fn alg_none_is_refused() {
        let secret = b"0123456789abcdef0123456789abcdef";
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(60)).unwrap());
        for token in [format!("{header}.{body}."), format!("{header}.{body}")] {
            assert!(verify(secret, &token, TokenKind::Access, Utc::now()).is_none());
        }
    }
}
