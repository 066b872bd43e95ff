//! A round's reference number: printed on the signature page ("Ref") and used to look a sealed document
//! up at `/verify/{reference}`.
//!
//! Ten characters of Crockford's base32 (digits and upper-case letters without I, L, O and U), i.e.
//! 50 random bits: short enough to read out and type, and with no pair of characters that look alike.
//! Typing is forgiving: lower case, `O` for `0`, `I`/`L` for `1`, spaces and hyphens are accepted.

use rand::Rng as _;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Crockford's base32 alphabet.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a reference.
pub const REFERENCE_LEN: usize = 10;

/// A reference number such as `7K3QX9M2TD`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Reference(String);

impl Reference {
    /// A new random reference. Uniqueness is the database's to enforce (a unique index; on the
    /// rare clash, generate another).
    pub fn generate() -> Reference {
        let mut rng = rand::rng();
        Reference(
            (0..REFERENCE_LEN)
                .map(|_| ALPHABET[rng.random_range(0..32)] as char)
                .collect(),
        )
    }

    /// Reads a reference as someone typed it.
    pub fn parse(input: &str) -> Option<Reference> {
        let mut out = String::with_capacity(REFERENCE_LEN);
        for c in input.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
                _ => return None,
            };
            out.push(c);
        }
        (out.len() == REFERENCE_LEN).then_some(Reference(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Reference> for String {
    fn from(r: Reference) -> String {
        r.0
    }
}

impl TryFrom<String> for Reference {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Reference::parse(&s).ok_or("a reference is 10 characters of Crockford base32")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn references_are_ten_unambiguous_characters_and_random() {
        let refs: HashSet<_> = (0..1000).map(|_| Reference::generate()).collect();
        assert_eq!(refs.len(), 1000);
        for r in &refs {
            assert_eq!(r.as_str().len(), REFERENCE_LEN);
            assert!(!r.as_str().contains(['I', 'L', 'O', 'U']), "{r}");
            assert!(r.as_str().bytes().all(|b| ALPHABET.contains(&b)));
            assert_eq!(Reference::parse(r.as_str()).as_ref(), Some(r));
        }
    }

    #[test]
    fn typing_is_forgiving_but_not_loose() {
        let r = Reference::parse("7k3qx-9m2td").unwrap();
        assert_eq!(r.as_str(), "7K3QX9M2TD");
        assert_eq!(
            Reference::parse("O1IL0 abcde").unwrap().as_str(),
            "01110ABCDE"
        );
        assert!(Reference::parse("7K3QX9M2T").is_none());
        assert!(Reference::parse("7K3QX9M2TDX").is_none());
        assert!(Reference::parse("7K3QX9M2TU").is_none());
        assert!(Reference::parse("7K3QX9M2TÅ").is_none());
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, "\"7K3QX9M2TD\"");
        assert_eq!(serde_json::from_str::<Reference>(&json).unwrap(), r);
        assert!(serde_json::from_str::<Reference>("\"nope\"").is_err());
    }
}
