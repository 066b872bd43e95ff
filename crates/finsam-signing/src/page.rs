//! The signature page's data: `meta.signing` of the typst envelope, which the lib's
//! `signature-page(signing)` prints as the UNDERSKRIFTSSIDA (typst-templates/README.md, "meta.signing").

use crate::reference::Reference;
use crate::round::{Round, RoundError, RoundStatus};
use serde::{Deserialize, Serialize};

/// The path in the typst World where the rendering job puts the verification QR code.
pub const QR_PATH: &str = "/qr.svg";

/// `meta.signing`. Every key is always present (`null` when empty), as the README asks of Rust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignaturePage {
    /// In signing order (by time of signature).
    pub signers: Vec<PageSigner>,
    pub certified_by: Option<String>,
    /// The time of the last signature, printed under "Accepterad av alla undertecknare".
    pub completed_at: String,
    pub reference: Option<String>,
    /// SHA-256 of the signed version, 64 hex digits.
    pub sha256: Option<String>,
    /// [`QR_PATH`] when the job supplies the QR code, else null.
    pub qr: Option<String>,
    pub verify_url: Option<String>,
}

/// One signer on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageSigner {
    pub name: String,
    pub title: Option<String>,
    pub organisation: Option<String>,
    /// "2024-02-28 10:45:54 +01:00".
    pub signed_at: String,
    /// "E-post (therese.petersson@savsjo.se)".
    pub identification_type: String,
    /// 32 hex digits.
    pub identification_id: String,
}

/// What the page needs beyond the round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageOptions<'a> {
    /// The platform's public address (`https://finsam.example`), for the verification link.
    pub base_url: Option<&'a str>,
    /// Whether the rendering job provides the QR code at [`QR_PATH`].
    pub qr: bool,
    /// Printed small as "Certifierad av …".
    pub certified_by: Option<&'a str>,
}

/// The verification page of a reference: `{base}/verify/{reference}`.
pub fn verify_url(base_url: &str, reference: &Reference) -> String {
    format!("{}/verify/{}", base_url.trim_end_matches('/'), reference)
}

/// The signature page of a round where everyone has signed (ready to seal, or sealed already: the page
/// of a sealed round is the same, so the final PDF can be rendered again identically).
pub fn signature_page(round: &Round, opts: PageOptions<'_>) -> Result<SignaturePage, RoundError> {
    if !matches!(round.status, RoundStatus::Pending | RoundStatus::Sealed) {
        return Err(RoundError::NotPending(round.status));
    }
    let completed_at = round.completed_at().ok_or(RoundError::NotReadyToSeal)?;
    let mut signatures: Vec<_> = round
        .signers
        .iter()
        .filter_map(|s| s.signature.as_ref())
        .collect();
    if signatures.len() != round.signers.len() {
        return Err(RoundError::NotReadyToSeal);
    }
    signatures.sort_by_key(|s| s.signed_at);
    Ok(SignaturePage {
        signers: signatures
            .into_iter()
            .map(|s| PageSigner {
                name: s.name.clone(),
                title: s.title.clone(),
                organisation: s.organisation.clone(),
                signed_at: s.signed_at_local.clone(),
                identification_type: s.identification_text(),
                identification_id: s.identification_id.clone(),
            })
            .collect(),
        certified_by: opts.certified_by.map(str::to_owned),
        completed_at: finsam_core::time::format_stockholm(completed_at),
        reference: Some(round.reference.to_string()),
        sha256: Some(round.version_sha256.clone()),
        qr: opts.qr.then(|| QR_PATH.to_owned()),
        verify_url: opts.base_url.map(|b| verify_url(b, &round.reference)),
    })
}

impl SignaturePage {
    /// As JSON, to set as `meta.signing`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("the signature page serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::round::{NewRound, NewSigner, ReminderPolicy};
    use crate::signature::Evidence;
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};
    use finsam_core::EmailAddress;
    use std::collections::BTreeSet;

    const SHA: &str = "554169a1a7466fc72a4da3eaf36fe26c1959c7ec17a93f1a39161548436587e9";

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 2, 28, h, m, s).unwrap()
    }

    /// The minutes of seed 002, signed at the times its signature page shows.
    fn signed_minutes() -> Round {
        let s = |name: &str, email: &str, title: &str, org: &str| NewSigner {
            name: name.into(),
            email: EmailAddress::parse(email).unwrap(),
            title: Some(title.into()),
            organisation: Some(org.into()),
        };
        let (mut r, _) = Round::start(
            NewRound {
                signers: vec![
                    s(
                        "Johanna Buchalle",
                        "johanna.buchalle@arbetsformedlingen.example",
                        "Mötesordförande",
                        "Arbetsförmedlingen",
                    ),
                    s(
                        "Linda Johansson",
                        "linda.y.johansson@arbetsformedlingen.example",
                        "Sekreterare",
                        "Arbetsförmedlingen",
                    ),
                    s(
                        "Therese Petersson",
                        "therese.petersson@savsjo.example",
                        "Justerare",
                        "Sävsjö kommun",
                    ),
                    s(
                        "Joakim Dahlström",
                        "joakim.dahlstrom@jonkoping.example",
                        "Justerare",
                        "Jönköpings kommun",
                    ),
                ],
                ordered: false,
                deadline: NaiveDate::from_ymd_opt(2024, 3, 8).unwrap(),
                message: None,
                reminders: ReminderPolicy::default(),
                version_sha256: SHA.into(),
            },
            at(8, 0, 0),
        )
        .unwrap();
        let ev = Evidence {
            client_address: None,
            user_agent: "test".into(),
            shown_sha256: SHA.into(),
        };
        for (i, t) in [
            (2, at(9, 45, 54)),
            (0, at(11, 36, 2)),
            (3, at(12, 8, 34)),
            (1, at(13, 13, 35)),
        ] {
            let (code, _) = r.request_code(i, t).unwrap();
            let _ = r.sign(i, &code, &ev, t).unwrap();
        }
        r
    }

    #[test]
    fn the_page_lists_signers_in_signing_order_as_seed_002_does() {
        let r = signed_minutes();
        let page = signature_page(
            &r,
            PageOptions {
                base_url: Some("https://finsam.example/"),
                qr: true,
                certified_by: Some("Finsam e-underskrift"),
            },
        )
        .unwrap();
        let names: Vec<_> = page.signers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Therese Petersson",
                "Johanna Buchalle",
                "Joakim Dahlström",
                "Linda Johansson"
            ]
        );
        let first = &page.signers[0];
        assert_eq!(first.signed_at, "2024-02-28 10:45:54 +01:00");
        assert_eq!(
            first.identification_type,
            "E-post (therese.petersson@savsjo.example)"
        );
        assert_eq!(first.title.as_deref(), Some("Justerare"));
        assert_eq!(first.organisation.as_deref(), Some("Sävsjö kommun"));
        assert_eq!(
            first.identification_id,
            r.signers[2].signature.as_ref().unwrap().identification_id
        );
        assert_eq!(page.completed_at, "2024-02-28 14:13:35 +01:00");
        assert_eq!(page.reference.as_deref(), Some(r.reference.as_str()));
        assert_eq!(page.sha256.as_deref(), Some(SHA));
        assert_eq!(page.qr.as_deref(), Some("/qr.svg"));
        assert_eq!(
            page.verify_url,
            Some(format!("https://finsam.example/verify/{}", r.reference))
        );
        assert_eq!(page.certified_by.as_deref(), Some("Finsam e-underskrift"));
    }

    /// The keys are exactly those of the template's example with a signature page.
    #[test]
    fn the_json_has_the_keys_the_typst_lib_reads() {
        let example: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../typst-templates/examples/minnesanteckningar-signed.json"
            ))
            .unwrap(),
        )
        .unwrap();
        let example = &example["meta"]["signing"];
        let keys = |v: &serde_json::Value| -> BTreeSet<String> {
            v.as_object().unwrap().keys().cloned().collect()
        };
        let page = signature_page(&signed_minutes(), PageOptions::default())
            .unwrap()
            .to_json();
        assert_eq!(keys(&page), keys(example));
        assert_eq!(keys(&page["signers"][0]), keys(&example["signers"][0]));
        // Unset options are null, not missing.
        assert!(page["qr"].is_null() && page["verify_url"].is_null());
        assert!(page["certified_by"].is_null());
        // And the example's own page reads back as our type.
        let back: SignaturePage = serde_json::from_value(example.clone()).unwrap();
        assert_eq!(back.signers.len(), 4);
    }

    #[test]
    fn there_is_no_page_before_everyone_has_signed_or_after_a_decline() {
        let mut r = signed_minutes();
        r.signers[1].status = crate::round::SignerStatus::Invited;
        r.signers[1].signature = None;
        r.signers[1].signed_at = None;
        assert_eq!(
            signature_page(&r, PageOptions::default()).unwrap_err(),
            RoundError::NotReadyToSeal
        );
        r.status = RoundStatus::Declined;
        assert_eq!(
            signature_page(&r, PageOptions::default()).unwrap_err(),
            RoundError::NotPending(RoundStatus::Declined)
        );
    }

    #[test]
    fn a_sealed_round_gives_the_same_page() {
        let mut r = signed_minutes();
        let before = signature_page(&r, PageOptions::default()).unwrap();
        let _ = r.seal(&"cd".repeat(32), at(15, 0, 0)).unwrap();
        assert_eq!(signature_page(&r, PageOptions::default()).unwrap(), before);
    }

    #[test]
    fn verify_urls_join_cleanly() {
        let r = Reference::parse("7K3QX9M2TD").unwrap();
        assert_eq!(
            verify_url("https://a.example", &r),
            "https://a.example/verify/7K3QX9M2TD"
        );
        assert_eq!(
            verify_url("https://a.example//", &r),
            "https://a.example/verify/7K3QX9M2TD"
        );
    }
}
