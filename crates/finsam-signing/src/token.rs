//! A signer's personal link token.
//!
//! The token is 256 random bits written in URL-safe base64 without padding (43 characters), so it can
//! stand in a path (`/sign/{token}`) as it is. Only its SHA-256 is stored: a leaked database gives no
//! working links. Hashes are compared in constant time.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq as _;

/// Random bytes in a token: 256 bits.
pub const TOKEN_BYTES: usize = 32;
/// Characters in a token's text: 32 bytes in base64 without padding.
pub const TOKEN_LEN: usize = 43;

/// The plain token as it goes into the e-mail's link. It is never stored; its [`Debug`] hides it so
/// that it does not end up in a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A new random token and the hash to store for it.
    #[allow(clippy::new_ret_no_self)]
    pub fn new() -> (Token, TokenHash) {
        let mut bytes = [0u8; TOKEN_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        let token = Token(URL_SAFE_NO_PAD.encode(bytes));
        let hash = hash_of(token.as_str());
        (token, hash)
    }

    /// A token as it came in a URL, if it has a token's shape (43 URL-safe base64 characters). Anything
    /// else cannot be a token of ours and need not be looked up.
    pub fn parse(input: &str) -> Option<Token> {
        let ok = input.len() == TOKEN_LEN
            && input
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Token(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The hash to store or to look up.
    pub fn hash(&self) -> TokenHash {
        hash_of(&self.0)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

/// The SHA-256 of a plain token.
pub fn hash_of(plain: &str) -> TokenHash {
    TokenHash(Sha256::digest(plain.as_bytes()).into())
}

/// The stored form of a token: its SHA-256, serialised as 64 hex digits. Equality is constant-time.
#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TokenHash([u8; 32]);

impl TokenHash {
    /// Whether `plain` is the token of this hash, compared in constant time.
    pub fn matches(&self, plain: &str) -> bool {
        *self == hash_of(plain)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Reads 64 hex digits.
    pub fn from_hex(s: &str) -> Option<TokenHash> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).ok()?;
        Some(TokenHash(out))
    }
}

impl PartialEq for TokenHash {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for TokenHash {}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenHash({})", self.to_hex())
    }
}

impl From<TokenHash> for String {
    fn from(h: TokenHash) -> String {
        h.to_hex()
    }
}

impl TryFrom<String> for TokenHash {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        TokenHash::from_hex(&s).ok_or("a token hash is 64 hex digits")
    }
}

/// Finds the position of the hash `plain` belongs to, comparing with every hash in constant time and
/// without stopping at a match, so the time taken says nothing about which (or whether one) matched.
pub fn find(hashes: impl IntoIterator<Item = TokenHash>, plain: &str) -> Option<usize> {
    let wanted = hash_of(plain);
    let mut found = None;
    for (i, h) in hashes.into_iter().enumerate() {
        let hit: bool = h.0.ct_eq(&wanted.0).into();
        if hit && found.is_none() {
            found = Some(i);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_256_random_url_safe_bits_and_only_its_hash_is_kept() {
        let (t, h) = Token::new();
        assert_eq!(t.as_str().len(), TOKEN_LEN);
        assert!(
            t.as_str()
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(URL_SAFE_NO_PAD.decode(t.as_str()).unwrap().len(), 32);
        assert!(h.matches(t.as_str()));
        assert_eq!(h, hash_of(t.as_str()));
        assert_eq!(t.hash(), h);
        assert_ne!(h.to_hex(), t.as_str(), "the hash is not the token");
        let (u, g) = Token::new();
        assert_ne!(t, u);
        assert_ne!(h, g);
    }

    #[test]
    fn the_hash_is_sha256_in_hex_and_round_trips() {
        // SHA-256 of "abc", a published test vector.
        let h = hash_of("abc");
        assert_eq!(
            h.to_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(TokenHash::from_hex(&h.to_hex()), Some(h));
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(json, format!("\"{}\"", h.to_hex()));
        assert_eq!(serde_json::from_str::<TokenHash>(&json).unwrap(), h);
        assert!(TokenHash::from_hex("abc").is_none());
        assert!(serde_json::from_str::<TokenHash>("\"zz\"").is_err());
    }

    #[test]
    fn comparison_is_constant_time_and_refuses_near_misses() {
        let (t, h) = Token::new();
        // Changing any one character gives another hash: the comparison looks at all 32 bytes.
        for i in 0..t.as_str().len() {
            let mut s = t.as_str().to_owned().into_bytes();
            s[i] = if s[i] == b'A' { b'B' } else { b'A' };
            assert!(!h.matches(std::str::from_utf8(&s).unwrap()));
        }
        assert!(!h.matches(""));
        assert!(!h.matches(&h.to_hex()), "the stored hash is not a key");
        // `find` compares with every hash and picks the one that matches.
        let hashes: Vec<_> = (0..5).map(|_| Token::new().1).chain([h]).collect();
        assert_eq!(find(hashes.iter().copied(), t.as_str()), Some(5));
        assert_eq!(find(hashes.iter().copied(), "nope"), None);
    }

    #[test]
    fn only_a_token_shaped_string_parses_and_debug_hides_it() {
        let (t, _) = Token::new();
        assert_eq!(Token::parse(t.as_str()), Some(t.clone()));
        assert!(Token::parse("short").is_none());
        assert!(Token::parse(&format!("{}=", &t.as_str()[..42])).is_none());
        assert!(Token::parse(&"a".repeat(44)).is_none());
        assert_eq!(format!("{t:?}"), "Token(…)");
    }
}
