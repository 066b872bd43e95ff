//! What a signature records, as the signature page and the audit trail show it.

use chrono::{DateTime, Utc};
use finsam_core::EmailAddress;
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// The identification type of a signature by e-mail code, as printed on the signature page.
pub const IDENTIFICATION_EMAIL: &str = "E-post";

/// The longest user agent kept; longer ones are cut (on a character boundary).
pub const MAX_USER_AGENT: usize = 512;

/// Where a signature came from, as the web layer saw the request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Evidence {
    /// The client's address (None when the server could not tell).
    pub client_address: Option<IpAddr>,
    pub user_agent: String,
    /// SHA-256 (hex) of the version the signer's page showed. It must be the round's version.
    pub shown_sha256: String,
}

/// One signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    pub signed_at: DateTime<Utc>,
    /// The same time in Europe/Stockholm with its offset, as recorded at signing:
    /// `2024-02-28 10:45:54 +01:00`.
    pub signed_at_local: String,
    /// Always [`IDENTIFICATION_EMAIL`] for now.
    pub identification_type: String,
    /// The address the code was sent to.
    pub email: EmailAddress,
    /// A random 128-bit id in 32 lower-case hex digits.
    pub identification_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_address: Option<IpAddr>,
    pub user_agent: String,
    /// SHA-256 (hex) of the version shown and signed.
    pub version_sha256: String,
}

impl Signature {
    /// Records a signature now, with a fresh identification id.
    pub fn new(
        name: &str,
        title: Option<&str>,
        organisation: Option<&str>,
        email: &EmailAddress,
        evidence: &Evidence,
        now: DateTime<Utc>,
    ) -> Signature {
        Signature {
            name: name.to_owned(),
            title: title.map(str::to_owned),
            organisation: organisation.map(str::to_owned),
            signed_at: now,
            signed_at_local: finsam_core::time::format_stockholm(now),
            identification_type: IDENTIFICATION_EMAIL.to_owned(),
            email: email.clone(),
            identification_id: identification_id(),
            client_address: evidence.client_address,
            user_agent: truncate(&evidence.user_agent, MAX_USER_AGENT),
            version_sha256: evidence.shown_sha256.to_ascii_lowercase(),
        }
    }

    /// "E-post (therese.petersson@savsjo.se)", as the signature page prints it.
    pub fn identification_text(&self) -> String {
        format!("{} ({})", self.identification_type, self.email)
    }
}

/// A random identification id: 128 bits as 32 lower-case hex digits.
pub fn identification_id() -> String {
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}

/// Whether `s` is a SHA-256 in hex (64 hex digits, either case).
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_signature_records_what_the_page_prints() {
        let email = EmailAddress::parse("Therese.Petersson@savsjo.example").unwrap();
        let now = Utc.with_ymd_and_hms(2024, 2, 28, 9, 45, 54).unwrap();
        let ev = Evidence {
            client_address: Some("192.0.2.7".parse().unwrap()),
            user_agent: "Mozilla/5.0".into(),
            shown_sha256: "AB".repeat(32),
        };
        let s = Signature::new(
            "Therese Petersson",
            Some("Justerare"),
            Some("Sävsjö kommun"),
            &email,
            &ev,
            now,
        );
        assert_eq!(s.signed_at_local, "2024-02-28 10:45:54 +01:00");
        assert_eq!(s.identification_type, "E-post");
        assert_eq!(
            s.identification_text(),
            "E-post (therese.petersson@savsjo.example)"
        );
        assert_eq!(s.identification_id.len(), 32);
        assert!(
            s.identification_id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        assert_eq!(s.version_sha256, "ab".repeat(32));
        assert_eq!(s.client_address, ev.client_address);
        let again = Signature::new("T", None, None, &email, &ev, now);
        assert_ne!(again.identification_id, s.identification_id);
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(serde_json::from_value::<Signature>(json).unwrap(), s);
    }

    #[test]
    fn summer_time_is_written_with_its_offset() {
        let email = EmailAddress::parse("a@b.example").unwrap();
        let now = Utc.with_ymd_and_hms(2024, 6, 10, 8, 0, 0).unwrap();
        let s = Signature::new("A", None, None, &email, &Evidence::default(), now);
        assert_eq!(s.signed_at_local, "2024-06-10 10:00:00 +02:00");
    }

    #[test]
    fn long_user_agents_are_cut_on_a_character_boundary() {
        let long = "å".repeat(400); // 800 bytes
        let cut = truncate(&long, MAX_USER_AGENT);
        assert!(cut.len() <= MAX_USER_AGENT && cut.chars().all(|c| c == 'å'));
        assert_eq!(truncate("kort", 10), "kort");
    }

    #[test]
    fn sha256_hex_is_recognised() {
        assert!(is_sha256_hex(&"0a".repeat(32)));
        assert!(!is_sha256_hex(&"0g".repeat(32)));
        assert!(!is_sha256_hex("00"));
    }
}
