//! Random tokens for links and sessions, and the hash under which they are stored.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 256 random bits as 64 hex digits: session ids and e-mail link tokens.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// Tokens are stored only as their SHA-256, so a copy of the database opens no links.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_long_random_and_hashed() {
        let a = super::random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, super::random_token());
        assert_eq!(super::token_hash(&a).len(), 64);
        assert_ne!(super::token_hash(&a), a);
    }
}
