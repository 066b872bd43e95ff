//! Identifiers that are parsed once at the edge and are valid from then on.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a value could not be parsed; the message is Swedish and shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub &'static str);

/// An e-mail address, trimmed and lower-cased. The check is deliberately modest: it refuses what
/// cannot be an address (no `@`, spaces, no dot in the domain) and leaves deliverability to the mail server.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = input.trim().to_lowercase();
        const INVALID: ParseError =
            ParseError("Ange en giltig e-postadress, till exempel namn@kommun.se.");
        if s.is_empty() {
            return Err(ParseError("E-postadress saknas."));
        }
        if s.len() > 254
            || s.chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\".contains(c))
        {
            return Err(INVALID);
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err(INVALID);
        };
        if local.is_empty()
            || local.len() > 64
            || local.contains('@')
            || domain.len() < 3
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.starts_with('-')
            || domain.contains("..")
        {
            return Err(INVALID);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

/// A Swedish organisationsnummer: ten digits whose last is a Luhn check digit.
/// Stored and displayed as `NNNNNN-NNNN`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgNr(String);

impl OrgNr {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let digits: String = input
            .trim()
            .chars()
            .filter(|c| *c != '-' && *c != ' ')
            .collect();
        if digits.len() != 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(ParseError(
                "Organisationsnumret ska ha tio siffror, till exempel 212000-0530.",
            ));
        }
        if !luhn_valid(&digits) {
            return Err(ParseError("Organisationsnumret har fel kontrollsiffra."));
        }
        Ok(Self(format!("{}-{}", &digits[..6], &digits[6..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrgNr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for OrgNr {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<OrgNr> for String {
    fn from(value: OrgNr) -> Self {
        value.0
    }
}

impl schemars::JsonSchema for EmailAddress {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EmailAddress".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "email", "maxLength": 254})
    }
}

impl schemars::JsonSchema for OrgNr {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Organisationsnummer".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{6}-?[0-9]{4}$",
            "description": "Ten digits, the last a Luhn check digit; written NNNNNN-NNNN."
        })
    }
}

/// The Luhn (mod 10) check used by organisationsnummer and personnummer.
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, c) in digits.chars().enumerate() {
        let Some(d) = c.to_digit(10) else {
            return false;
        };
        // Counting from the left over ten digits, odd positions (1st, 3rd, …) are doubled.
        let v = if i % 2 == 0 { d * 2 } else { d };
        sum += if v > 9 { v - 9 } else { v };
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// The slug that names a tenant in every path: `/t/{slug}/…`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TenantSlug(String);

impl TenantSlug {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = input.trim();
        let ok_chars = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !(2..=63).contains(&s.len())
            || !ok_chars
            || s.starts_with('-')
            || s.ends_with('-')
            || s.contains("--")
        {
            return Err(ParseError(
                "Kortnamnet får bara innehålla a–z, siffror och enkla bindestreck (2–63 tecken), till exempel hoglandet.",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for TenantSlug {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TenantSlug> for String {
    fn from(value: TenantSlug) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            EmailAddress::parse("  Kansli@Hoglandet.Example ")
                .unwrap()
                .as_str(),
            "kansli@hoglandet.example"
        );
        for bad in [
            "", "a", "a@b", "a b@c.se", "@c.se", "a@.se", "a@c.se.", "a@c..se", "a<b@c.se",
            "a@-c.se",
        ] {
            assert!(
                EmailAddress::parse(bad).is_err(),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn real_organisationsnummer_pass_the_luhn_check() {
        // Jönköpings kommun, Region Jönköpings län, Försäkringskassan, Arbetsförmedlingen.
        for nr in ["212000-0530", "232100-0057", "202100-5521", "2021002114"] {
            assert!(OrgNr::parse(nr).is_ok(), "{nr}");
        }
        assert_eq!(OrgNr::parse("2021002114").unwrap().as_str(), "202100-2114");
    }

    #[test]
    fn organisationsnummer_with_a_wrong_digit_is_refused() {
        assert_eq!(
            OrgNr::parse("212000-0531").unwrap_err().0,
            "Organisationsnumret har fel kontrollsiffra."
        );
        assert!(OrgNr::parse("21200-0530").is_err());
        assert!(OrgNr::parse("21200a-0530").is_err());
    }

    #[test]
    fn slugs() {
        assert!(TenantSlug::parse("sodra-vatterbygden").is_ok());
        for bad in ["", "a", "-a", "a-", "a--b", "Höglandet", "a/b", "a b"] {
            assert!(TenantSlug::parse(bad).is_err(), "{bad:?}");
        }
    }

    proptest! {
        /// Changing any one digit of a valid number breaks the check (Luhn catches every single-digit error).
        #[test]
        fn luhn_catches_single_digit_errors(prefix in "[0-9]{9}", pos in 0usize..10, delta in 1u32..10) {
            let check = (0..10).find(|d| luhn_valid(&format!("{prefix}{d}"))).unwrap();
            let valid = format!("{prefix}{check}");
            prop_assert!(luhn_valid(&valid));
            let mut digits: Vec<u32> = valid.chars().map(|c| c.to_digit(10).unwrap()).collect();
            digits[pos] = (digits[pos] + delta) % 10;
            let changed: String = digits.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
            prop_assert!(!luhn_valid(&changed));
        }
    }
}
