//! CSRF tokens: an HMAC of the session id (or, before sign-in, of a random cookie), so a token is
//! useless to anyone who does not also hold the cookie.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const FORM_FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";

pub fn token(secret: &[u8], binding: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"finsam-csrf\0");
    mac.update(binding.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn verify(secret: &[u8], binding: &str, candidate: &str) -> bool {
    let Ok(bytes) = hex::decode(candidate) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"finsam-csrf\0");
    mac.update(binding.as_bytes());
    mac.verify_slice(&bytes).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_bind_to_their_session() {
        let t = super::token(b"k", "sid-1");
        assert!(super::verify(b"k", "sid-1", &t));
        assert!(!super::verify(b"k", "sid-2", &t));
        assert!(!super::verify(b"other", "sid-1", &t));
        assert!(!super::verify(b"k", "sid-1", "zz"));
    }
}
