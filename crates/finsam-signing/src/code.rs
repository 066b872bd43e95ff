//! The six-digit code sent by e-mail to identify a signer (identification type "E-post").
//!
//! A code is valid for [`CODE_VALIDITY`] and allows [`MAX_TRIES`] tries; after that (or once it has
//! been used) a new code must be asked for. Only a salted SHA-256 of the code is stored. Six digits
//! are few, so the hash protects a code only against a casual look at the database; what protects it
//! is the short life and the few tries (and the rate limit on asking for codes, in the web layer).

use chrono::{DateTime, Duration, Utc};
use rand::{Rng as _, RngCore as _};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq as _;

/// How long a code is valid after it was sent.
pub const CODE_VALIDITY: Duration = Duration::minutes(10);
/// How many tries a code allows.
pub const MAX_TRIES: u32 = 5;
/// Digits in a code.
pub const CODE_DIGITS: usize = 6;

/// Why a code was not accepted. The messages are Swedish, for the signer's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum CodeError {
    /// No code has been sent, or the last one was used.
    #[error("Begär en kod först. Den skickas till din e-postadress.")]
    NoCode,
    /// The code is older than ten minutes.
    #[error("Koden gäller i 10 minuter och har gått ut. Begär en ny kod.")]
    Expired,
    /// The code has had its five tries.
    #[error("Koden har angetts fel för många gånger. Begär en ny kod.")]
    TooManyTries,
    /// Not the code; `tries_left` more tries before a new code is needed.
    #[error("{}", wrong_message(*.tries_left))]
    Wrong { tries_left: u32 },
}

fn wrong_message(tries_left: u32) -> String {
    match tries_left {
        0 => "Fel kod. Koden kan inte användas fler gånger: begär en ny kod.".to_owned(),
        1 => "Fel kod. Du har 1 försök kvar.".to_owned(),
        n => format!("Fel kod. Du har {n} försök kvar."),
    }
}

/// The code currently out for one signer (or none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    current: Option<IssuedCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct IssuedCode {
    /// 16 random bytes in hex.
    salt: String,
    /// SHA-256(salt ‖ code) in hex.
    hash: String,
    issued_at: DateTime<Utc>,
    /// Wrong tries so far.
    tries: u32,
}

impl CodeState {
    /// A new code (six digits, leading zeros kept) and the state that holds its hash. A new code
    /// replaces any earlier one, with fresh tries.
    pub fn issue(now: DateTime<Utc>) -> (String, CodeState) {
        let mut rng = rand::rng();
        let plain = format!("{:06}", rng.random_range(0..1_000_000u32));
        let mut salt = [0u8; 16];
        rng.fill_bytes(&mut salt);
        let salt = hex::encode(salt);
        let hash = salted(&salt, &plain);
        let state = CodeState {
            current: Some(IssuedCode {
                salt,
                hash,
                issued_at: now,
                tries: 0,
            }),
        };
        (plain, state)
    }

    /// Checks a code the signer typed (spaces and hyphens are ignored: "123 456"). A correct code is
    /// used up (it cannot sign twice); a wrong one costs a try. An expired code or one without tries
    /// left is refused whatever was typed, and costs nothing.
    pub fn check(&mut self, plain: &str, now: DateTime<Utc>) -> Result<(), CodeError> {
        let Some(code) = self.current.as_mut() else {
            return Err(CodeError::NoCode);
        };
        if code.tries >= MAX_TRIES {
            return Err(CodeError::TooManyTries);
        }
        if now >= code.issued_at + CODE_VALIDITY {
            return Err(CodeError::Expired);
        }
        let typed: String = plain
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let right = typed.len() == CODE_DIGITS
            && typed.bytes().all(|b| b.is_ascii_digit())
            && bool::from(
                salted(&code.salt, &typed)
                    .as_bytes()
                    .ct_eq(code.hash.as_bytes()),
            );
        if right {
            self.current = None;
            Ok(())
        } else {
            code.tries += 1;
            Err(CodeError::Wrong {
                tries_left: MAX_TRIES - code.tries,
            })
        }
    }

    /// Whether a code is out that could still be accepted at `now`.
    pub fn is_usable(&self, now: DateTime<Utc>) -> bool {
        self.current
            .as_ref()
            .is_some_and(|c| c.tries < MAX_TRIES && now < c.issued_at + CODE_VALIDITY)
    }

    /// When the current code was sent.
    pub fn issued_at(&self) -> Option<DateTime<Utc>> {
        self.current.as_ref().map(|c| c.issued_at)
    }
}

fn salted(salt: &str, code: &str) -> String {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(code.as_bytes());
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 2, 28, 9, 40, 0).unwrap()
    }

    #[test]
    fn a_code_is_six_digits_and_only_its_salted_hash_is_kept() {
        let (plain, state) = CodeState::issue(t0());
        assert_eq!(plain.len(), 6);
        assert!(plain.bytes().all(|b| b.is_ascii_digit()));
        let json = serde_json::to_string(&state).unwrap();
        assert!(!json.contains(&format!("\"{plain}\"")), "{json}");
        let back: CodeState = serde_json::from_str(&json).unwrap();
        assert_eq!(back, state);
        // The same code under two salts gives two hashes.
        assert_ne!(salted("aa", "123456"), salted("bb", "123456"));
    }

    #[test]
    fn the_right_code_is_accepted_once() {
        let (plain, mut state) = CodeState::issue(t0());
        assert!(state.is_usable(t0()));
        assert_eq!(state.check(&plain, t0() + Duration::minutes(9)), Ok(()));
        assert_eq!(state.check(&plain, t0()), Err(CodeError::NoCode));
        assert!(!state.is_usable(t0()));
    }

    #[test]
    fn spaces_and_hyphens_in_the_typed_code_are_ignored() {
        let (plain, mut state) = CodeState::issue(t0());
        let typed = format!(" {}-{} ", &plain[..3], &plain[3..]);
        assert_eq!(state.check(&typed, t0()), Ok(()));
    }

    fn wrong(plain: &str) -> String {
        format!("{:06}", (plain.parse::<u32>().unwrap() + 1) % 1_000_000)
    }

    #[test]
    fn five_wrong_tries_use_up_the_code_even_for_the_right_one() {
        let (plain, mut state) = CodeState::issue(t0());
        let bad = wrong(&plain);
        for left in (0..5).rev() {
            assert_eq!(
                state.check(&bad, t0()),
                Err(CodeError::Wrong { tries_left: left })
            );
        }
        assert_eq!(state.check(&plain, t0()), Err(CodeError::TooManyTries));
        assert!(!state.is_usable(t0()));
        // A new code gives fresh tries.
        let (plain2, mut state2) = CodeState::issue(t0());
        assert_eq!(state2.check(&plain2, t0()), Ok(()));
    }

    #[test]
    fn four_wrong_tries_still_leave_the_right_code_usable() {
        let (plain, mut state) = CodeState::issue(t0());
        for _ in 0..4 {
            assert!(state.check(&wrong(&plain), t0()).is_err());
        }
        assert_eq!(state.check(&plain, t0()), Ok(()));
    }

    #[test]
    fn malformed_input_counts_as_a_wrong_try() {
        let (_, mut state) = CodeState::issue(t0());
        assert_eq!(
            state.check("12345", t0()),
            Err(CodeError::Wrong { tries_left: 4 })
        );
        assert_eq!(
            state.check("abcdef", t0()),
            Err(CodeError::Wrong { tries_left: 3 })
        );
        assert_eq!(
            state.check("1234567", t0()),
            Err(CodeError::Wrong { tries_left: 2 })
        );
    }

    #[test]
    fn a_code_expires_after_ten_minutes_without_costing_a_try() {
        let (plain, mut state) = CodeState::issue(t0());
        let late = t0() + Duration::minutes(10);
        assert_eq!(state.check(&plain, late), Err(CodeError::Expired));
        assert_eq!(
            state.check(&plain, late + Duration::hours(1)),
            Err(CodeError::Expired)
        );
        assert!(!state.is_usable(late));
        let (plain, mut state) = CodeState::issue(t0());
        assert_eq!(
            state.check(&plain, t0() + Duration::minutes(10) - Duration::seconds(1)),
            Ok(())
        );
    }

    #[test]
    fn without_a_code_there_is_nothing_to_check() {
        let mut state = CodeState::default();
        assert_eq!(state.check("123456", t0()), Err(CodeError::NoCode));
        assert_eq!(state.issued_at(), None);
    }

    #[test]
    fn messages_are_swedish_and_count_the_tries() {
        assert_eq!(
            CodeError::Wrong { tries_left: 3 }.to_string(),
            "Fel kod. Du har 3 försök kvar."
        );
        assert_eq!(
            CodeError::Wrong { tries_left: 1 }.to_string(),
            "Fel kod. Du har 1 försök kvar."
        );
        assert!(
            CodeError::Wrong { tries_left: 0 }
                .to_string()
                .contains("begär en ny kod")
        );
        assert!(CodeError::Expired.to_string().contains("10 minuter"));
        assert!(
            CodeError::TooManyTries
                .to_string()
                .contains("Begär en ny kod")
        );
        assert!(CodeError::NoCode.to_string().contains("Begär en kod"));
    }
}
