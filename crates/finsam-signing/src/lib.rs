//! Signing by e-mail, as pure rules: no I/O, no database, no clock (every function takes `now`).
//!
//! - [`token`]: a signer's personal link token (256 random bits, URL-safe); only its SHA-256 is kept,
//!   compared in constant time.
//! - [`code`]: the six-digit e-mail code (10 minutes, 5 tries), kept as a salted hash.
//! - [`round`]: the signing round as a state machine: start, who may act, sign, decline, reminders,
//!   expiry at the deadline (23:59:59 Europe/Stockholm), seal, restart. Each transition returns the
//!   events for the audit trail and the e-mails (with their plain tokens) to queue.
//! - [`signature`]: what a signature records.
//! - [`defaults`]: who signs by default, per kind of document.
//! - [`page`]: the signature page's data (`meta.signing` of the typst envelope).
//! - [`reference`](mod@reference): the round's reference number (10 characters of Crockford base32).
//!
//! A typical round, as the web and job layers drive it:
//!
//! ```
//! use chrono::{NaiveDate, TimeZone, Utc};
//! use finsam_core::EmailAddress;
//! use finsam_signing::round::{NewRound, NewSigner, ReminderPolicy, Round};
//! use finsam_signing::signature::Evidence;
//! use finsam_signing::page::{signature_page, PageOptions};
//!
//! let now = Utc.with_ymd_and_hms(2024, 2, 26, 8, 0, 0).unwrap();
//! let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
//! let (mut round, step) = Round::start(NewRound {
//!     signers: vec![NewSigner {
//!         name: "Johanna Buchalle".into(),
//!         email: EmailAddress::parse("johanna@af.example").unwrap(),
//!         title: Some("Mötesordförande".into()),
//!         organisation: Some("Arbetsförmedlingen".into()),
//!     }],
//!     ordered: false,
//!     deadline: NaiveDate::from_ymd_opt(2024, 3, 8).unwrap(),
//!     message: None,
//!     reminders: ReminderPolicy::default(),
//!     version_sha256: sha.into(),
//! }, now).unwrap();
//! // Queue an e-mail per invitation with its link; record step.events.
//! let link = step.invitations[0].token.clone();
//! // The signer opens /sign/{token} and asks for a code.
//! let (signer, _viewed) = round.open(link.as_str(), now).unwrap();
//! let (code, _sent) = round.request_code(signer, now).unwrap();
//! // … and signs with it.
//! let evidence = Evidence { client_address: None, user_agent: "test".into(), shown_sha256: sha.into() };
//! round.sign(signer, &code, &evidence, now).unwrap();
//! assert!(round.ready_to_seal());
//! let page = signature_page(&round, PageOptions::default()).unwrap();
//! assert_eq!(page.signers[0].identification_type, "E-post (johanna@af.example)");
//! ```

pub mod code;
pub mod defaults;
pub mod page;
pub mod reference;
pub mod round;
pub mod signature;
pub mod token;

pub use code::{CodeError, CodeState};
pub use reference::Reference;
pub use round::{Event, Round, RoundError, RoundStatus, Signer, SignerStatus};
pub use signature::Signature;
pub use token::{Token, TokenHash, hash_of};
