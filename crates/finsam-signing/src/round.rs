//! A signing round as a state machine.
//!
//! A round is started on one immutable version (identified by its SHA-256) with a list of signers, in
//! order or in parallel, and a deadline (a date: the round ends at 23:59:59 Europe/Stockholm that day).
//! Every transition is a method that changes the round in memory and returns what happened: the
//! [`Event`]s for the audit trail and the [`Invitation`]s whose e-mails the caller must queue (they
//! carry the plain link tokens, which exist nowhere else). Nothing here does I/O or reads the clock:
//! `now` is always passed in.
//!
//! ```text
//!            start ──► Pending ──(last signature)──► Pending, ready to seal ──seal──► Sealed
//!                         │ └──decline──► Declined ──restart──► (a new round)
//!                         └──deadline passes──► Expired ──restart──► (a new round)
//! ```
//!
//! Signers go `Waiting` (ordered rounds: not their turn yet, no link) → `Invited` (a link was sent) →
//! `Signed` or `Declined`. In a parallel round every signer is invited at the start; in an ordered round
//! only the first, and the next when the one before has signed.

use crate::code::{CodeError, CodeState};
use crate::reference::Reference;
use crate::signature::{Evidence, Signature, is_sha256_hex};
use crate::token::{self, Token, TokenHash};
use chrono::{DateTime, Duration, NaiveDate, TimeZone as _, Utc};
use chrono_tz::Europe::Stockholm;
use finsam_core::EmailAddress;
use serde::{Deserialize, Serialize};

/// The longest reason for declining that is kept.
pub const MAX_REASON: usize = 2000;

/// Where a round is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundStatus {
    /// Collecting signatures (or, when all have signed, waiting to be sealed: see
    /// [`Round::ready_to_seal`]).
    Pending,
    /// A signer declined; the round is over.
    Declined,
    /// The deadline passed before everyone had signed; the round is over.
    Expired,
    /// The final PDF with the signature page was rendered and its hash recorded.
    Sealed,
}

impl RoundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Declined => "declined",
            Self::Expired => "expired",
            Self::Sealed => "sealed",
        }
    }

    /// Swedish, for the kansli's view.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Pågår",
            Self::Declined => "Avböjd",
            Self::Expired => "Utgången",
            Self::Sealed => "Klar och förseglad",
        }
    }
}

/// Where a signer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignerStatus {
    /// Ordered round: not their turn yet; no link has been sent.
    Waiting,
    /// A link has been sent; they may act.
    Invited,
    Signed,
    Declined,
}

impl SignerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Invited => "invited",
            Self::Signed => "signed",
            Self::Declined => "declined",
        }
    }

    /// Swedish, for the kansli's view.
    pub fn label(self) -> &'static str {
        match self {
            Self::Waiting => "Väntar på sin tur",
            Self::Invited => "Inbjuden",
            Self::Signed => "Har skrivit under",
            Self::Declined => "Har avböjt",
        }
    }
}

/// A signer as the kansli (or the defaults) name them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSigner {
    pub name: String,
    pub email: EmailAddress,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub organisation: Option<String>,
}

/// When reminders go out: after these numbers of days from the invitation (default 3 and 7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderPolicy {
    pub after_days: Vec<u32>,
}

impl Default for ReminderPolicy {
    fn default() -> Self {
        Self {
            after_days: vec![3, 7],
        }
    }
}

/// What starting a round needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRound {
    pub signers: Vec<NewSigner>,
    pub ordered: bool,
    /// The last day to sign; the round ends at 23:59:59 Europe/Stockholm that day.
    pub deadline: NaiveDate,
    /// The kansli's message in the invitation.
    pub message: Option<String>,
    pub reminders: ReminderPolicy,
    /// SHA-256 (hex) of the version to be signed.
    pub version_sha256: String,
}

/// A signer in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    pub name: String,
    pub email: EmailAddress,
    pub title: Option<String>,
    pub organisation: Option<String>,
    pub status: SignerStatus,
    /// Hashes of the links sent (the invitation's and each reminder's); every one works until the round
    /// ends or the signer has signed.
    #[serde(default)]
    pub token_hashes: Vec<TokenHash>,
    pub invited_at: Option<DateTime<Utc>>,
    /// How many of the policy's reminders have been covered (a late run sends one, not several).
    #[serde(default)]
    pub reminders_sent: u32,
    pub last_reminded_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub code: CodeState,
    pub signed_at: Option<DateTime<Utc>>,
    pub signature: Option<Signature>,
    pub declined: Option<Decline>,
}

/// A decline and its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decline {
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// The seal: the final PDF's SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seal {
    pub at: DateTime<Utc>,
    pub sha256: String,
}

/// A signing round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub status: RoundStatus,
    pub ordered: bool,
    pub deadline: NaiveDate,
    pub message: Option<String>,
    pub reminders: ReminderPolicy,
    /// SHA-256 (hex, lower case) of the version being signed.
    pub version_sha256: String,
    /// Printed on the signature page and used by `/verify/{reference}`.
    pub reference: Reference,
    pub started_at: DateTime<Utc>,
    /// When the round was declined, expired or sealed.
    pub ended_at: Option<DateTime<Utc>>,
    pub signers: Vec<Signer>,
    pub seal: Option<Seal>,
}

/// Something that happened, for the audit trail. `signer` is the index in [`Round::signers`]. The
/// caller stamps each with the time it passed as `now`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Started {
        signers: usize,
        ordered: bool,
    },
    /// A link was sent (queue the invitation e-mail).
    Invited {
        signer: usize,
    },
    PageViewed {
        signer: usize,
    },
    CodeSent {
        signer: usize,
    },
    /// A code was refused (wrong, expired, used up, none asked for).
    CodeRefused {
        signer: usize,
        error: CodeError,
    },
    Signed {
        signer: usize,
        identification_id: String,
    },
    /// Every signer has signed: render and seal.
    ReadyToSeal,
    /// The round stops; tell the kansli.
    Declined {
        signer: usize,
        reason: String,
    },
    Reminded {
        signer: usize,
    },
    Expired,
    Sealed {
        sha256: String,
    },
}

/// Why an invitation e-mail goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationKind {
    Invitation,
    Reminder,
}

/// An e-mail to queue with a personal link. The token is plain here and nowhere else: put it in the
/// link, do not store or log it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub signer: usize,
    pub kind: InvitationKind,
    pub token: Token,
}

/// What a transition did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct Step {
    pub events: Vec<Event>,
    pub invitations: Vec<Invitation>,
}

/// Why something was refused. The messages are Swedish: those a signer can meet are written for the
/// signer's page, the rest for the kansli.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoundError {
    #[error("Länken är inte giltig. Kontrollera att hela länken i e-postmeddelandet kom med.")]
    UnknownLink,
    #[error("Underskriften är avslutad: {}", ended_message(*.0))]
    NotPending(RoundStatus),
    #[error(
        "Sista dag för underskrift har passerat. Kontakta förbundets kansli om dokumentet ska skrivas under."
    )]
    PastDeadline,
    #[error("Du har redan skrivit under dokumentet. Länken kan inte användas igen.")]
    AlreadySigned,
    #[error("Du har avböjt att skriva under dokumentet.")]
    AlreadyDeclined,
    #[error(
        "Det är inte din tur att skriva under ännu. Du får ett e-postmeddelande när det är dags."
    )]
    NotYourTurn,
    #[error(transparent)]
    Code(#[from] CodeError),
    #[error("Skriv varför du avböjer att skriva under.")]
    ReasonMissing,
    #[error(
        "Dokumentet har ändrats sedan sidan visades. Ladda om sidan och läs igenom dokumentet igen."
    )]
    VersionChanged,
    #[error("Ange minst en undertecknare.")]
    NoSigners,
    #[error("Undertecknare {0} saknar namn.")]
    NameMissing(usize),
    #[error("{0} finns med två gånger bland undertecknarna.")]
    DuplicateSigner(EmailAddress),
    #[error("Sista dag för underskrift kan inte ligga före i dag.")]
    DeadlineInPast,
    #[error("En påminnelse kan inte skickas 0 dagar efter inbjudan.")]
    ReminderDayZero,
    #[error("Versionens kontrollsumma är inte en SHA-256.")]
    BadSha256,
    #[error("Alla har inte skrivit under än, så dokumentet kan inte förseglas.")]
    NotReadyToSeal,
    #[error("Bara en avböjd eller utgången underskrift kan startas om.")]
    CannotRestart,
    #[error("Ingen påminnelse är aktuell för den här undertecknaren.")]
    ReminderNotDue,
}

fn ended_message(s: RoundStatus) -> &'static str {
    match s {
        RoundStatus::Pending => "den pågår fortfarande.",
        RoundStatus::Declined => "en undertecknare har avböjt.",
        RoundStatus::Expired => "sista dag för underskrift har passerat.",
        RoundStatus::Sealed => "alla har skrivit under och dokumentet är förseglat.",
    }
}

/// A refusal of a signer's decision. `events` are still to be recorded (a refused code is in the
/// audit trail), and the round has changed (a try was counted), so save it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct Refused {
    pub error: RoundError,
    pub events: Vec<Event>,
}

impl From<RoundError> for Refused {
    fn from(error: RoundError) -> Self {
        Refused {
            error,
            events: Vec::new(),
        }
    }
}

/// The last moment of a deadline: 23:59:59 Europe/Stockholm on that day, in UTC. The round is past its
/// deadline from the following midnight (Stockholm).
pub fn deadline_ends_at(deadline: NaiveDate) -> DateTime<Utc> {
    let local = deadline.and_hms_opt(23, 59, 59).expect("a valid time");
    // 23:59:59 is never in a DST gap or fold in Stockholm (the changes are at 02:00 and 03:00).
    Stockholm
        .from_local_datetime(&local)
        .single()
        .expect("23:59:59 is unambiguous in Europe/Stockholm")
        .with_timezone(&Utc)
}

pub use finsam_core::time::stockholm_date;

impl Round {
    /// Starts a round: checks the signers, the deadline and the version, and invites (all signers, or
    /// the first in an ordered round).
    pub fn start(new: NewRound, now: DateTime<Utc>) -> Result<(Round, Step), RoundError> {
        if new.signers.is_empty() {
            return Err(RoundError::NoSigners);
        }
        for (i, s) in new.signers.iter().enumerate() {
            if s.name.trim().is_empty() {
                return Err(RoundError::NameMissing(i + 1));
            }
            if new.signers[..i].iter().any(|o| o.email == s.email) {
                return Err(RoundError::DuplicateSigner(s.email.clone()));
            }
        }
        if new.deadline < stockholm_date(now) {
            return Err(RoundError::DeadlineInPast);
        }
        if new.reminders.after_days.contains(&0) {
            return Err(RoundError::ReminderDayZero);
        }
        if !is_sha256_hex(&new.version_sha256) {
            return Err(RoundError::BadSha256);
        }
        let mut after_days = new.reminders.after_days;
        after_days.sort_unstable();
        after_days.dedup();
        let mut round = Round {
            status: RoundStatus::Pending,
            ordered: new.ordered,
            deadline: new.deadline,
            message: new
                .message
                .map(|m| m.trim().to_owned())
                .filter(|m| !m.is_empty()),
            reminders: ReminderPolicy { after_days },
            version_sha256: new.version_sha256.to_ascii_lowercase(),
            reference: Reference::generate(),
            started_at: now,
            ended_at: None,
            signers: new
                .signers
                .into_iter()
                .map(|s| Signer {
                    name: s.name.trim().to_owned(),
                    email: s.email,
                    title: tidy(s.title),
                    organisation: tidy(s.organisation),
                    status: SignerStatus::Waiting,
                    token_hashes: Vec::new(),
                    invited_at: None,
                    reminders_sent: 0,
                    last_reminded_at: None,
                    code: CodeState::default(),
                    signed_at: None,
                    signature: None,
                    declined: None,
                })
                .collect(),
            seal: None,
        };
        let mut step = Step {
            events: vec![Event::Started {
                signers: round.signers.len(),
                ordered: round.ordered,
            }],
            invitations: Vec::new(),
        };
        let first = if round.ordered {
            0..1
        } else {
            0..round.signers.len()
        };
        for i in first {
            round.invite(i, now, &mut step);
        }
        Ok((round, step))
    }

    /// A new round with the same signers, order, message, reminders and version, after this one was
    /// declined or expired. This round stays as it is (its history is kept).
    pub fn restart(
        &self,
        deadline: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(Round, Step), RoundError> {
        if !matches!(self.status, RoundStatus::Declined | RoundStatus::Expired) {
            return Err(RoundError::CannotRestart);
        }
        Round::start(
            NewRound {
                signers: self
                    .signers
                    .iter()
                    .map(|s| NewSigner {
                        name: s.name.clone(),
                        email: s.email.clone(),
                        title: s.title.clone(),
                        organisation: s.organisation.clone(),
                    })
                    .collect(),
                ordered: self.ordered,
                deadline,
                message: self.message.clone(),
                reminders: self.reminders.clone(),
                version_sha256: self.version_sha256.clone(),
            },
            now,
        )
    }

    /// When the round ends: 23:59:59 Europe/Stockholm on the deadline.
    pub fn ends_at(&self) -> DateTime<Utc> {
        deadline_ends_at(self.deadline)
    }

    /// Whether the deadline has passed at `now`.
    pub fn past_deadline(&self, now: DateTime<Utc>) -> bool {
        stockholm_date(now) > self.deadline
    }

    /// Whether every signer has signed and the round waits to be sealed.
    pub fn ready_to_seal(&self) -> bool {
        self.status == RoundStatus::Pending
            && self
                .signers
                .iter()
                .all(|s| s.status == SignerStatus::Signed)
    }

    /// The index of the signer whose turn it is in an ordered round: the first who has not signed.
    fn turn(&self) -> Option<usize> {
        self.signers
            .iter()
            .position(|s| s.status != SignerStatus::Signed)
    }

    /// Whether signer `i` may view, ask for a code, sign or decline at `now`; if not, why.
    pub fn may_act(&self, i: usize, now: DateTime<Utc>) -> Result<(), RoundError> {
        let s = self.signers.get(i).ok_or(RoundError::UnknownLink)?;
        match s.status {
            SignerStatus::Signed => return Err(RoundError::AlreadySigned),
            SignerStatus::Declined => return Err(RoundError::AlreadyDeclined),
            SignerStatus::Waiting | SignerStatus::Invited => {}
        }
        if self.status != RoundStatus::Pending {
            return Err(RoundError::NotPending(self.status));
        }
        if self.past_deadline(now) {
            return Err(RoundError::PastDeadline);
        }
        if s.status == SignerStatus::Waiting || (self.ordered && self.turn() != Some(i)) {
            return Err(RoundError::NotYourTurn);
        }
        Ok(())
    }

    /// Who may act now: in an ordered round only the first who has not signed, in a parallel round
    /// everyone who has not; nobody once the round has ended or its deadline has passed.
    pub fn who_may_act(&self, now: DateTime<Utc>) -> Vec<usize> {
        (0..self.signers.len())
            .filter(|&i| self.may_act(i, now).is_ok())
            .collect()
    }

    /// The signer a link belongs to, if the link still works: only while the round is pending and
    /// before its deadline, and only until that signer has signed. Compares with every stored hash in
    /// constant time. Returns the page view to record.
    pub fn open(&self, token: &str, now: DateTime<Utc>) -> Result<(usize, Event), RoundError> {
        let owners: Vec<usize> = self
            .signers
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.token_hashes.iter().map(move |_| i))
            .collect();
        let hashes = self
            .signers
            .iter()
            .flat_map(|s| s.token_hashes.iter())
            .copied();
        let i = token::find(hashes, token)
            .map(|k| owners[k])
            .ok_or(RoundError::UnknownLink)?;
        self.may_act(i, now)?;
        Ok((i, Event::PageViewed { signer: i }))
    }

    /// Sends signer `i` a new code (replacing any earlier one). Returns the plain code for the e-mail.
    pub fn request_code(
        &mut self,
        i: usize,
        now: DateTime<Utc>,
    ) -> Result<(String, Step), RoundError> {
        self.may_act(i, now)?;
        let (plain, state) = CodeState::issue(now);
        self.signers[i].code = state;
        Ok((
            plain,
            Step {
                events: vec![Event::CodeSent { signer: i }],
                invitations: Vec::new(),
            },
        ))
    }

    fn check_code(&mut self, i: usize, code: &str, now: DateTime<Utc>) -> Result<(), Refused> {
        self.signers[i].code.check(code, now).map_err(|e| Refused {
            error: RoundError::Code(e),
            events: vec![Event::CodeRefused {
                signer: i,
                error: e,
            }],
        })
    }

    /// Signer `i` signs with the code they were sent. The page must have shown the round's version
    /// (`evidence.shown_sha256`). After the last signature the round is [ready to
    /// seal](Round::ready_to_seal); in an ordered round the next signer is invited.
    pub fn sign(
        &mut self,
        i: usize,
        code: &str,
        evidence: &Evidence,
        now: DateTime<Utc>,
    ) -> Result<Step, Refused> {
        self.may_act(i, now)?;
        if !evidence
            .shown_sha256
            .eq_ignore_ascii_case(&self.version_sha256)
        {
            return Err(RoundError::VersionChanged.into());
        }
        self.check_code(i, code, now)?;
        let s = &mut self.signers[i];
        let signature = Signature::new(
            &s.name,
            s.title.as_deref(),
            s.organisation.as_deref(),
            &s.email,
            evidence,
            now,
        );
        let mut step = Step {
            events: vec![Event::Signed {
                signer: i,
                identification_id: signature.identification_id.clone(),
            }],
            invitations: Vec::new(),
        };
        s.status = SignerStatus::Signed;
        s.signed_at = Some(now);
        s.signature = Some(signature);
        if self.ready_to_seal() {
            step.events.push(Event::ReadyToSeal);
        } else if self.ordered
            && let Some(next) = self.turn()
            && self.signers[next].status == SignerStatus::Waiting
        {
            self.invite(next, now, &mut step);
        }
        Ok(step)
    }

    /// Signer `i` declines with a reason (and the code, like signing). The round stops: nobody else
    /// can sign, and the kansli is told (the [`Event::Declined`]).
    pub fn decline(
        &mut self,
        i: usize,
        code: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Step, Refused> {
        self.may_act(i, now)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(RoundError::ReasonMissing.into());
        }
        self.check_code(i, code, now)?;
        let reason: String = reason.chars().take(MAX_REASON).collect();
        let s = &mut self.signers[i];
        s.status = SignerStatus::Declined;
        s.declined = Some(Decline {
            at: now,
            reason: reason.clone(),
        });
        self.status = RoundStatus::Declined;
        self.ended_at = Some(now);
        Ok(Step {
            events: vec![Event::Declined { signer: i, reason }],
            invitations: Vec::new(),
        })
    }

    /// Ends the round as expired if its deadline has passed at `now` and it is still collecting
    /// signatures. A round where everyone has signed does not expire (it waits for its seal). Safe to
    /// call as often as wanted: it does nothing when there is nothing to do.
    pub fn expire(&mut self, now: DateTime<Utc>) -> Step {
        if self.status != RoundStatus::Pending || self.ready_to_seal() || !self.past_deadline(now) {
            return Step::default();
        }
        self.status = RoundStatus::Expired;
        self.ended_at = Some(now);
        Step {
            events: vec![Event::Expired],
            invitations: Vec::new(),
        }
    }

    /// How many of the policy's reminders have come due for signer `i` at `now`.
    fn reminders_passed(&self, i: usize, now: DateTime<Utc>) -> u32 {
        let Some(invited) = self.signers[i].invited_at else {
            return 0;
        };
        self.reminders
            .after_days
            .iter()
            .filter(|&&d| now >= invited + Duration::days(i64::from(d)))
            .count() as u32
    }

    /// The signers who should get a reminder now: invited, not signed, a reminder day (counted from
    /// their invitation) reached and not yet covered, and the round still pending and before its
    /// deadline. A run that was missed sends one reminder, not several.
    pub fn reminders_due(&self, now: DateTime<Utc>) -> Vec<usize> {
        (0..self.signers.len())
            .filter(|&i| {
                self.signers[i].status == SignerStatus::Invited
                    && self.may_act(i, now).is_ok()
                    && self.reminders_passed(i, now) > self.signers[i].reminders_sent
            })
            .collect()
    }

    /// Records a reminder to signer `i`; the e-mail carries a fresh link (the earlier ones keep
    /// working, since only their hashes are known).
    pub fn remind(&mut self, i: usize, now: DateTime<Utc>) -> Result<Step, RoundError> {
        if !self.reminders_due(now).contains(&i) {
            return Err(RoundError::ReminderNotDue);
        }
        let passed = self.reminders_passed(i, now);
        let (token, hash) = Token::new();
        let s = &mut self.signers[i];
        s.reminders_sent = passed;
        s.last_reminded_at = Some(now);
        s.token_hashes.push(hash);
        Ok(Step {
            events: vec![Event::Reminded { signer: i }],
            invitations: vec![Invitation {
                signer: i,
                kind: InvitationKind::Reminder,
                token,
            }],
        })
    }

    /// Seals the round with the SHA-256 of the final PDF (the document with its signature page).
    pub fn seal(&mut self, final_sha256: &str, now: DateTime<Utc>) -> Result<Step, RoundError> {
        if !self.ready_to_seal() {
            return Err(if self.status == RoundStatus::Pending {
                RoundError::NotReadyToSeal
            } else {
                RoundError::NotPending(self.status)
            });
        }
        if !is_sha256_hex(final_sha256) {
            return Err(RoundError::BadSha256);
        }
        let sha256 = final_sha256.to_ascii_lowercase();
        self.status = RoundStatus::Sealed;
        self.ended_at = Some(now);
        self.seal = Some(Seal {
            at: now,
            sha256: sha256.clone(),
        });
        Ok(Step {
            events: vec![Event::Sealed { sha256 }],
            invitations: Vec::new(),
        })
    }

    /// The time of the last signature, once everyone has signed.
    pub fn completed_at(&self) -> Option<DateTime<Utc>> {
        if self
            .signers
            .iter()
            .all(|s| s.status == SignerStatus::Signed)
        {
            self.signers.iter().filter_map(|s| s.signed_at).max()
        } else {
            None
        }
    }

    fn invite(&mut self, i: usize, now: DateTime<Utc>, step: &mut Step) {
        let (token, hash) = Token::new();
        let s = &mut self.signers[i];
        s.status = SignerStatus::Invited;
        s.invited_at = Some(now);
        s.token_hashes.push(hash);
        step.events.push(Event::Invited { signer: i });
        step.invitations.push(Invitation {
            signer: i,
            kind: InvitationKind::Invitation,
            token,
        });
    }
}

fn tidy(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests;
