//! Signing by e-mail, with I/O: the rules of `finsam-signing` applied to stored rounds, with the
//! audit trail, the e-mails (through the outbox) and the seal.
//!
//! Every change to a round reads it, applies one transition, and stores it with a compare-and-set on
//! its revision, in one transaction with its audit events and its e-mails. If somebody else changed the
//! round in between, the whole step is tried again from a fresh read, so a double click or two signers
//! at the same moment never lose a signature or send an e-mail twice.
//!
//! When the last signer signs, the same transaction queues the sealed version: a new version of the
//! document that the renderer builds from the signed version's stored input with the signature page
//! (`meta.signing`) and a QR code added. When it is rendered, [`Signing::complete_seal`] records its
//! SHA-256 as the seal. [`Signing::tick`] sends reminders, expires rounds at their deadline and finishes
//! any seal a crash left halfway.

use crate::render::{RenderJob, RenderQueue};
use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use finsam_core::EmailAddress;
use finsam_db::Db;
use finsam_db::repo::documents::{self, Document, Version};
use finsam_db::repo::signing::{self as repo, NewEvent, RoundRow};
use finsam_db::repo::{meetings, members, memberships, organisation, outbox, tenants, yearfile};
use finsam_signing::defaults::{ProposedSigner, SigningDocument, default_signers, meeting_signers};
use finsam_signing::page::{PageOptions, signature_page, verify_url};
use finsam_signing::round::{
    Event, InvitationKind, NewRound, NewSigner, Refused, ReminderPolicy, Step, stockholm_date,
};
use finsam_signing::signature::Evidence;
use finsam_signing::{Round, RoundError, RoundStatus, Token, hash_of};
use finsam_storage::{Storage, key};
use std::sync::Arc;
use tokio::sync::Notify;

/// How often a step is tried again when another request changed the round at the same moment.
const CAS_TRIES: usize = 5;
/// A signer may ask for a new code this often.
pub const CODE_INTERVAL: Duration = Duration::seconds(60);
/// How long a download link in a distribution e-mail works.
pub const LINK_DAYS: i64 = 30;
/// Printed small on the signature page.
pub const CERTIFIED_BY: &str = "Finsam";

#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    /// The round, version or link is not there (or not this tenant's).
    #[error("finns inte")]
    NotFound,
    /// A field of the request is wrong; Swedish, for the person who sent it.
    #[error("{field}: {message}")]
    Field {
        field: &'static str,
        message: String,
    },
    /// The request conflicts with the state (a round already pending, a version not ready).
    #[error("{0}")]
    Conflict(String),
    /// The signing rules refused (a wrong code, past the deadline, already signed).
    #[error(transparent)]
    Refused(RoundError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<finsam_db::DbError> for SigningError {
    fn from(e: finsam_db::DbError) -> Self {
        SigningError::Other(e.into())
    }
}

impl From<finsam_storage::StorageError> for SigningError {
    fn from(e: finsam_storage::StorageError) -> Self {
        SigningError::Other(e.into())
    }
}

fn field(field: &'static str, message: impl Into<String>) -> SigningError {
    SigningError::Field {
        field,
        message: message.into(),
    }
}

/// What the kansli asks for when starting a round.
#[derive(Debug, Clone)]
pub struct StartRound {
    pub tenant_id: i64,
    pub version_id: i64,
    /// `None`: the defaults of the document's kind.
    pub signers: Option<Vec<NewSigner>>,
    pub ordered: bool,
    pub deadline: NaiveDate,
    pub message: Option<String>,
    /// Days after the invitation; `None`: 3 and 7.
    pub reminder_days: Option<Vec<u32>>,
    pub auto_distribute: bool,
    pub started_by: Option<i64>,
    /// Who asks, as the e-mail says it.
    pub sender_name: String,
    pub previous_round_id: Option<i64>,
}

/// A signer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Sign,
    Decline,
}

/// What a signer's page shows.
#[derive(Debug, Clone)]
pub struct SignerView {
    pub round: RoundRow,
    pub state: Round,
    pub signer: usize,
    pub forbund: String,
    pub document_title: String,
    pub version: Version,
}

/// One recipient of a sealed document.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub email: EmailAddress,
    pub name: Option<String>,
}

#[derive(Clone)]
pub struct Signing {
    pub db: Db,
    pub storage: Storage,
    /// The platform's public address, for links in e-mails and the verification link.
    pub base_url: String,
    pub mail_kick: Arc<Notify>,
    /// Where the sealed rendering is asked for; without it the sweeper finds it.
    pub render_queue: Option<RenderQueue>,
    /// A sealed PDF up to this size is attached; a larger one goes as a download link.
    pub attach_limit: u64,
}

pub fn parse_state(row: &RoundRow) -> anyhow::Result<Round> {
    serde_json::from_str(&row.state).with_context(|| format!("signing round {} state", row.id))
}

fn state_json(round: &Round) -> String {
    serde_json::to_string(round).expect("a round serialises")
}

/// The audit trail's form of a rules event.
fn event_row(e: &Event) -> NewEvent<'static> {
    let detail = serde_json::to_value(e).expect("events serialise");
    let (kind, signer) = match e {
        Event::Started { .. } => ("started", None),
        Event::Invited { signer } => ("invited", Some(*signer)),
        Event::PageViewed { signer } => ("page_viewed", Some(*signer)),
        Event::CodeSent { signer } => ("code_sent", Some(*signer)),
        Event::CodeRefused { signer, .. } => ("code_refused", Some(*signer)),
        Event::Signed { signer, .. } => ("signed", Some(*signer)),
        Event::ReadyToSeal => ("ready_to_seal", None),
        Event::Declined { signer, .. } => ("declined", Some(*signer)),
        Event::Reminded { signer } => ("reminded", Some(*signer)),
        Event::Expired => ("expired", None),
        Event::Sealed { .. } => ("sealed", None),
    };
    NewEvent {
        kind,
        signer,
        detail,
    }
}

/// Queues the sealed version of a round whose signers have all signed, and records it on the round:
/// both in `txn`, so a crash leaves neither or both.
async fn queue_seal(
    txn: &finsam_db::DatabaseTransaction,
    row: &RoundRow,
) -> Result<Version, finsam_db::DbError> {
    let v = documents::queue_sealed_version(txn, row.tenant_id, row.document_id, row.id).await?;
    repo::set_sealed_version(txn, row.tenant_id, row.id, v.id).await?;
    Ok(v)
}

/// The name of a document in e-mails and on pages: "Årsredovisning 2024", "Minnesanteckningar
/// Medlemssamråd 2024-02-23".
pub async fn document_title(db: &Db, doc: &Document) -> String {
    let label = finsam_documents::Kind::parse(&doc.kind)
        .map(|k| k.label())
        .unwrap_or("Dokument");
    if let Some(id) = doc.meeting_id
        && let Ok(Some(m)) = meetings::get(&db.tenant(doc.tenant_id), doc.tenant_id, id).await
    {
        return format!("{label} {} {}", m.meeting.title, m.meeting.date);
    }
    match doc.year {
        Some(y) => format!("{label} {y}"),
        None => label.to_owned(),
    }
}

/// The QR code of a link, as a self-contained SVG for the typst World.
pub fn qr_svg(link: &str) -> String {
    let code = qrcode::QrCode::with_error_correction_level(link.as_bytes(), qrcode::EcLevel::M)
        .expect("a verification link fits in a QR code");
    code.render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build()
}

/// The default signers of a document, as proposals (the e-mail may be missing).
pub async fn proposed_signers(
    db: &Db,
    doc: &Document,
    today: NaiveDate,
) -> Result<Vec<ProposedSigner>, SigningError> {
    if let Some(meeting_id) = doc.meeting_id {
        let m = meetings::get(&db.tenant(doc.tenant_id), doc.tenant_id, meeting_id)
            .await?
            .ok_or(SigningError::NotFound)?;
        let people = organisation::people(&db.tenant(doc.tenant_id), doc.tenant_id).await?;
        return meeting_signers(&m.meeting, &people).map_err(|e| field("signers", e.to_string()));
    }
    let year = doc
        .year
        .ok_or_else(|| field("signers", "Dokumentet saknar år."))?;
    let file = yearfile::export(&db.tenant(doc.tenant_id), doc.tenant_id, year)
        .await
        .context("reading the year")?;
    let which = match doc.kind.as_str() {
        "arsredovisning" => SigningDocument::Arsredovisning,
        "delarsrapport" => SigningDocument::Delarsrapport,
        _ => SigningDocument::Verksamhetsplan,
    };
    default_signers(which, &file, today).map_err(|e| field("signers", e.to_string()))
}

fn round_error_field(e: &RoundError) -> &'static str {
    match e {
        RoundError::NoSigners | RoundError::NameMissing(_) | RoundError::DuplicateSigner(_) => {
            "signers"
        }
        RoundError::DeadlineInPast => "deadline",
        RoundError::ReminderDayZero => "reminder_days",
        _ => "version_id",
    }
}

impl Signing {
    fn link(&self, token: &Token) -> String {
        format!(
            "{}/sign/{}",
            self.base_url.trim_end_matches('/'),
            token.as_str()
        )
    }

    pub fn verify_link(&self, round: &Round) -> String {
        verify_url(&self.base_url, &round.reference)
    }

    /// Starts a round on a rendered, final version. Answers the stored round.
    pub async fn start(
        &self,
        req: StartRound,
        now: DateTime<Utc>,
    ) -> Result<RoundRow, SigningError> {
        let v = documents::version(
            &self.db.tenant(req.tenant_id),
            req.tenant_id,
            req.version_id,
        )
        .await?
        .ok_or(SigningError::NotFound)?;
        let doc = documents::get(&self.db.tenant(req.tenant_id), req.tenant_id, v.document_id)
            .await?
            .ok_or(SigningError::NotFound)?;
        if v.signing_round_id.is_some() {
            return Err(SigningError::Conflict(
                "Versionen är redan underskriven och förseglad.".into(),
            ));
        }
        if v.draft {
            return Err(SigningError::Conflict(
                "Ett utkast kan inte skrivas under. Skapa en slutlig version först.".into(),
            ));
        }
        let Some(sha) = v
            .pdf_sha256
            .clone()
            .filter(|_| v.status == documents::status::READY)
        else {
            return Err(SigningError::Conflict(
                "Versionen är inte färdig ännu. Vänta tills dokumentet är skapat.".into(),
            ));
        };
        if repo::for_version(&self.db.tenant(req.tenant_id), req.tenant_id, v.id)
            .await?
            .iter()
            .any(|r| r.status == "pending" || r.status == "sealed")
        {
            return Err(SigningError::Conflict(
                "Versionen har redan en pågående eller avslutad underskrift.".into(),
            ));
        }
        let signers = match req.signers {
            Some(s) => s,
            None => proposed_signers(&self.db, &doc, stockholm_date(now))
                .await?
                .iter()
                .map(|p| p.to_new_signer())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| field("signers", e.to_string()))?,
        };
        let reminders = match req.reminder_days {
            Some(days) => ReminderPolicy { after_days: days },
            None => ReminderPolicy::default(),
        };
        let (round, step) = Round::start(
            NewRound {
                signers,
                ordered: req.ordered,
                deadline: req.deadline,
                message: req.message.clone(),
                reminders,
                version_sha256: sha,
            },
            now,
        )
        .map_err(|e| field(round_error_field(&e), e.to_string()))?;
        let tenant = tenants::by_id(&self.db.tenant(req.tenant_id), req.tenant_id)
            .await?
            .ok_or(SigningError::NotFound)?;
        let title = document_title(&self.db, &doc).await;
        let txn = self
            .db
            .tenant(req.tenant_id)
            .begin()
            .await
            .context("begin")?;
        let row = repo::insert_round(
            &txn,
            repo::NewRoundRow {
                tenant_id: req.tenant_id,
                document_id: doc.id,
                version_id: v.id,
                reference: round.reference.as_str(),
                status: round.status.as_str(),
                state: state_json(&round),
                ends_at: round.ends_at(),
                auto_distribute: req.auto_distribute,
                previous_round_id: req.previous_round_id,
                started_by: req.started_by,
            },
        )
        .await?;
        let mail = MailCtx {
            tenant: &tenant,
            title: &title,
            sender: &req.sender_name,
        };
        self.apply_step(&txn, &row, &round, &step, &mail, now)
            .await?;
        txn.commit().await.context("commit")?;
        self.mail_kick.notify_one();
        Ok(row)
    }

    /// Records a step's events, indexes its new links and queues its e-mails, in `txn`.
    async fn apply_step(
        &self,
        txn: &finsam_db::DatabaseTransaction,
        row: &RoundRow,
        round: &Round,
        step: &Step,
        mail: &MailCtx<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), SigningError> {
        let mut events: Vec<NewEvent> = step.events.iter().map(event_row).collect();
        for inv in &step.invitations {
            let s = &round.signers[inv.signer];
            let hash = inv.token.hash().to_hex();
            repo::add_link(txn, row.tenant_id, row.id, inv.signer, &hash).await?;
            let others: Vec<String> = round
                .signers
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != inv.signer)
                .map(|(_, o)| o.name.clone())
                .collect();
            let reminder = inv.kind == InvitationKind::Reminder;
            let link = self.link(&inv.token);
            let deadline = round.deadline.to_string();
            let msg = finsam_mail::templates::signing_invitation(
                &finsam_mail::templates::SigningInvitation {
                    signer_name: &s.name,
                    forbund: &mail.tenant.name,
                    document_title: mail.title,
                    sender: mail.sender,
                    message: round.message.as_deref(),
                    link: &link,
                    deadline: &deadline,
                    other_signers: &others,
                    reminder,
                },
            );
            // The link's hash names the message: a retried step makes a new link, hence a new message,
            // but a retried step never commits twice.
            let key = format!(
                "sign:{}:{}:{}:{}",
                row.id,
                inv.signer,
                if reminder { "reminder" } else { "invitation" },
                &hash[..16]
            );
            self.enqueue(txn, mail.tenant, &key, s.email.as_str(), &msg, None)
                .await?;
            events.push(NewEvent {
                kind: "mail_queued",
                signer: Some(inv.signer),
                detail: serde_json::json!({ "key": key, "to": s.email, "subject": msg.subject }),
            });
        }
        repo::record(txn, row.tenant_id, row.id, now, events).await?;
        Ok(())
    }

    async fn enqueue(
        &self,
        txn: &finsam_db::DatabaseTransaction,
        tenant: &tenants::Tenant,
        key: &str,
        to: &str,
        msg: &finsam_mail::Rendered,
        attachment: Option<(&str, &str)>,
    ) -> Result<bool, SigningError> {
        let from_name = tenant
            .mail_from_name
            .clone()
            .unwrap_or_else(|| tenant.name.clone());
        Ok(outbox::enqueue(
            txn,
            outbox::NewMessage {
                tenant_id: Some(tenant.id),
                idempotency_key: key,
                recipient: to,
                subject: &msg.subject,
                body_text: &msg.text,
                body_html: &msg.html,
                attachment,
                from_name: Some(&from_name),
                reply_to: tenant.mail_reply_to.as_deref(),
            },
        )
        .await?)
    }

    /// Queues a notice to every kansli account of the tenant, once per `key`.
    async fn notify_kansli(
        &self,
        txn: &finsam_db::DatabaseTransaction,
        tenant: &tenants::Tenant,
        key: &str,
        (subject, heading): (&str, &str),
        paragraphs: Vec<String>,
        link: Option<&str>,
    ) -> Result<(), SigningError> {
        let msg = finsam_mail::templates::notice(&finsam_mail::templates::Notice {
            forbund: &tenant.name,
            subject,
            heading,
            paragraphs: &paragraphs,
            items: &[],
            link,
            link_text: link.map(|_| "Öppna underskriften i Finsam"),
        });
        for to in memberships::kansli_addresses(txn, tenant.id).await? {
            self.enqueue(txn, tenant, &format!("{key}:{to}"), &to, &msg, None)
                .await?;
        }
        Ok(())
    }

    fn round_page(&self, tenant: &tenants::Tenant, row: &RoundRow) -> String {
        format!(
            "{}/t/{}/underskrifter/{}",
            self.base_url.trim_end_matches('/'),
            tenant.slug,
            row.id
        )
    }

    /// Reads the round a link belongs to and checks the link still works.
    async fn by_token(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<(RoundRow, Round, usize, Event), SigningError> {
        // The link is all the signer has: find its förbund by the link's hash, a deliberate
        // cross-tenant read. Everything after works in that förbund.
        let row = repo::by_link(&self.db.all_tenants(), &hash_of(token).to_hex())
            .await?
            .ok_or(SigningError::Refused(RoundError::UnknownLink))?;
        let round = parse_state(&row)?;
        let (i, viewed) = round.open(token, now).map_err(SigningError::Refused)?;
        Ok((row, round, i, viewed))
    }

    /// The signer's page: checks the link and records the view.
    pub async fn open(&self, token: &str, now: DateTime<Utc>) -> Result<SignerView, SigningError> {
        let (row, round, i, viewed) = self.by_token(token, now).await?;
        repo::record(
            &self.db.tenant(row.tenant_id),
            row.tenant_id,
            row.id,
            now,
            vec![event_row(&viewed)],
        )
        .await?;
        self.view(row, round, i).await
    }

    /// The signer's page without recording a view (for the PDF the page embeds).
    pub async fn peek(&self, token: &str, now: DateTime<Utc>) -> Result<SignerView, SigningError> {
        let (row, round, i, _) = self.by_token(token, now).await?;
        self.view(row, round, i).await
    }

    /// A round's förbund, and its document's title for e-mails and pages.
    async fn round_document(
        &self,
        row: &RoundRow,
    ) -> Result<(tenants::Tenant, String), SigningError> {
        let db = self.db.tenant(row.tenant_id);
        let tenant = tenants::by_id(&db, row.tenant_id)
            .await?
            .ok_or(SigningError::NotFound)?;
        let doc = documents::get(&db, row.tenant_id, row.document_id)
            .await?
            .ok_or(SigningError::NotFound)?;
        let title = document_title(&self.db, &doc).await;
        Ok((tenant, title))
    }

    async fn view(
        &self,
        row: RoundRow,
        round: Round,
        i: usize,
    ) -> Result<SignerView, SigningError> {
        let (tenant, title) = self.round_document(&row).await?;
        let version = documents::version(
            &self.db.tenant(row.tenant_id),
            row.tenant_id,
            row.version_id,
        )
        .await?
        .ok_or(SigningError::NotFound)?;
        Ok(SignerView {
            document_title: title,
            forbund: tenant.name,
            round: row,
            state: round,
            signer: i,
            version,
        })
    }

    /// Sends the signer a new six-digit code.
    pub async fn request_code(&self, token: &str, now: DateTime<Utc>) -> Result<(), SigningError> {
        for _ in 0..CAS_TRIES {
            let (row, mut round, i, _) = self.by_token(token, now).await?;
            if let Some(at) = round.signers[i].code.issued_at()
                && now - at < CODE_INTERVAL
            {
                return Err(field(
                    "code",
                    "En kod skickades nyss. Vänta en minut innan du ber om en ny.",
                ));
            }
            let (code, step) = round.request_code(i, now).map_err(SigningError::Refused)?;
            let (tenant, title) = self.round_document(&row).await?;
            let txn = self
                .db
                .tenant(row.tenant_id)
                .begin()
                .await
                .context("begin")?;
            if !repo::save(&txn, &row, round.status.as_str(), state_json(&round), None).await? {
                continue;
            }
            let msg = finsam_mail::templates::signing_code(&finsam_mail::templates::SigningCode {
                signer_name: &round.signers[i].name,
                document_title: &title,
                code: &code,
                valid_minutes: 10,
            });
            let key = format!("sign:{}:{}:code:{}", row.id, i, now.timestamp_millis());
            let s = &round.signers[i];
            self.enqueue(&txn, &tenant, &key, s.email.as_str(), &msg, None)
                .await?;
            let mut events: Vec<NewEvent> = step.events.iter().map(event_row).collect();
            events.push(NewEvent {
                kind: "mail_queued",
                signer: Some(i),
                detail: serde_json::json!({ "key": key, "to": s.email, "subject": msg.subject }),
            });
            repo::record(&txn, row.tenant_id, row.id, now, events).await?;
            txn.commit().await.context("commit")?;
            self.mail_kick.notify_one();
            return Ok(());
        }
        Err(SigningError::Conflict(
            "Underskriften ändrades samtidigt. Försök igen.".into(),
        ))
    }

    /// The signer signs or declines with their code. A refused code is counted (and in the audit
    /// trail) even though the decision is refused.
    pub async fn decide(
        &self,
        token: &str,
        code: &str,
        decision: Decision,
        reason: &str,
        evidence: &Evidence,
        now: DateTime<Utc>,
    ) -> Result<RoundRow, SigningError> {
        for _ in 0..CAS_TRIES {
            let (row, mut round, i, _) = self.by_token(token, now).await?;
            let result = match decision {
                Decision::Sign => round.sign(i, code, evidence, now),
                Decision::Decline => round.decline(i, code, reason, now),
            };
            // Read before the transaction begins: not a second pooled connection beside it.
            let (tenant, title) = self.round_document(&row).await?;
            let txn = self
                .db
                .tenant(row.tenant_id)
                .begin()
                .await
                .context("begin")?;
            let step = match result {
                Ok(step) => step,
                Err(Refused { error, events }) => {
                    if !events.is_empty() {
                        if !repo::save(&txn, &row, round.status.as_str(), state_json(&round), None)
                            .await?
                        {
                            continue;
                        }
                        let rows = events.iter().map(event_row).collect();
                        repo::record(&txn, row.tenant_id, row.id, now, rows).await?;
                        txn.commit().await.context("commit")?;
                    }
                    return Err(SigningError::Refused(error));
                }
            };
            if !repo::save(&txn, &row, round.status.as_str(), state_json(&round), None).await? {
                continue;
            }
            let sender = tenant.name.clone();
            let mail = MailCtx {
                tenant: &tenant,
                title: &title,
                sender: &sender,
            };
            self.apply_step(&txn, &row, &round, &step, &mail, now)
                .await?;
            let mut sealed_version = None;
            if round.ready_to_seal() {
                sealed_version = Some(queue_seal(&txn, &row).await?.id);
            }
            if round.status == RoundStatus::Declined {
                let s = &round.signers[i];
                let reason = s
                    .declined
                    .as_ref()
                    .map(|d| d.reason.clone())
                    .unwrap_or_default();
                self.notify_kansli(
                    &txn,
                    &tenant,
                    &format!("sign:{}:declined", row.id),
                    (&format!("Underskriften avböjdes: {title}"), &format!("{} avböjde att skriva under", s.name)),
                    vec![
                        format!("{} har avböjt att skriva under {title}. Underskriften har avbrutits och ingen annan kan skriva under den här omgången.", s.name),
                        format!("Skäl: {reason}"),
                        "Rätta det som behövs och starta en ny omgång.".to_owned(),
                    ],
                    Some(&self.round_page(&tenant, &row)),
                )
                .await?;
            }
            txn.commit().await.context("commit")?;
            self.mail_kick.notify_one();
            if let Some(version_id) = sealed_version {
                self.push_render(row.tenant_id, version_id).await;
            }
            return repo::get(&self.db.tenant(row.tenant_id), row.tenant_id, row.id)
                .await?
                .ok_or(SigningError::NotFound);
        }
        Err(SigningError::Conflict(
            "Underskriften ändrades samtidigt. Försök igen.".into(),
        ))
    }

    async fn push_render(&self, tenant_id: i64, version_id: i64) {
        if let Some(q) = &self.render_queue
            && let Err(e) = q
                .push(RenderJob {
                    tenant_id,
                    version_id,
                })
                .await
        {
            tracing::warn!(error = %e, version_id, "seal job not queued; the sweeper will render it");
        }
    }

    /// Records the seal once the sealed version is rendered. Safe to call again.
    pub async fn complete_seal(&self, sealed: &Version, now: DateTime<Utc>) -> anyhow::Result<()> {
        let Some(round_id) = sealed.signing_round_id else {
            return Ok(());
        };
        let Some(pdf_sha) = sealed.pdf_sha256.as_deref() else {
            return Ok(());
        };
        for _ in 0..CAS_TRIES {
            let row = repo::get(
                &self.db.tenant(sealed.tenant_id),
                sealed.tenant_id,
                round_id,
            )
            .await?
            .context("the sealed version's round is gone")?;
            let mut round = parse_state(&row)?;
            if round.status != RoundStatus::Pending {
                return Ok(());
            }
            let step = round.seal(pdf_sha, now)?;
            // Read before the transaction begins: not a second pooled connection beside it.
            let (tenant, title) = self.round_document(&row).await?;
            let txn = self
                .db
                .tenant(sealed.tenant_id)
                .begin()
                .await
                .context("begin")?;
            if !repo::save(
                &txn,
                &row,
                round.status.as_str(),
                state_json(&round),
                Some(pdf_sha),
            )
            .await?
            {
                continue;
            }
            repo::record(
                &txn,
                row.tenant_id,
                row.id,
                now,
                step.events.iter().map(event_row).collect(),
            )
            .await?;
            self.notify_kansli(
                &txn,
                &tenant,
                &format!("sign:{}:sealed", row.id),
                (&format!("Underskrivet: {title}"), &format!("{title} är underskrivet av alla")),
                vec![
                    format!(
                        "Alla undertecknare har skrivit under. Det förseglade dokumentet har referensnummer {}.",
                        round.reference
                    ),
                    if row.auto_distribute {
                        "Det skickas nu till medlemmarnas registratorer.".to_owned()
                    } else {
                        "Skicka det till medlemmarna från underskriftens sida.".to_owned()
                    },
                ],
                Some(&self.round_page(&tenant, &row)),
            )
            .await?;
            txn.commit().await.context("commit")?;
            self.mail_kick.notify_one();
            tracing::info!(
                tenant_id = row.tenant_id,
                round_id = row.id,
                "signing round sealed"
            );
            if row.auto_distribute {
                self.distribute(row.tenant_id, sealed.id, None, None, None, now)
                    .await
                    .map_err(|e| anyhow::anyhow!("distribution after sealing: {e}"))?;
            }
            return Ok(());
        }
        anyhow::bail!("round {round_id} kept changing while it was sealed")
    }

    /// The daily (and more frequent) work: reminders, expiry, and seals a crash left halfway.
    /// Answers how many rounds changed.
    pub async fn tick(&self, now: DateTime<Utc>) -> anyhow::Result<usize> {
        crate::metrics::timed("signing_tick", self.tick_rounds(now), |_| "ok").await
    }

    async fn tick_rounds(&self, now: DateTime<Utc>) -> anyhow::Result<usize> {
        let mut changed = 0;
        // The rounds waiting in every förbund: a deliberate cross-tenant read; each is then ticked in
        // its own förbund.
        for row in repo::pending_all(&self.db.all_tenants()).await? {
            match self.tick_round(row, now).await {
                Ok(true) => changed += 1,
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "signing round tick failed"),
            }
        }
        Ok(changed)
    }

    async fn tick_round(&self, row: RoundRow, now: DateTime<Utc>) -> anyhow::Result<bool> {
        let mut round = parse_state(&row)?;
        if round.ready_to_seal() {
            // Everyone signed: the sealed version is queued (or rendered and not yet recorded).
            let v = match row.sealed_version_id {
                Some(id) => {
                    documents::version(&self.db.tenant(row.tenant_id), row.tenant_id, id).await?
                }
                None => {
                    let txn = self.db.tenant(row.tenant_id).begin().await?;
                    let v = queue_seal(&txn, &row).await?;
                    txn.commit().await?;
                    Some(v)
                }
            };
            if let Some(v) = v
                && v.status == documents::status::READY
            {
                self.complete_seal(&v, now).await?;
                return Ok(true);
            }
            return Ok(false);
        }
        let mut step = round.expire(now);
        let expired = round.status == RoundStatus::Expired;
        if !expired {
            for i in round.reminders_due(now) {
                let s = round.remind(i, now)?;
                step.events.extend(s.events);
                step.invitations.extend(s.invitations);
            }
        }
        if step.events.is_empty() {
            return Ok(false);
        }
        let (tenant, title) = self.round_document(&row).await?;
        let txn = self
            .db
            .tenant(row.tenant_id)
            .begin()
            .await
            .context("begin")?;
        if !repo::save(&txn, &row, round.status.as_str(), state_json(&round), None).await? {
            return Ok(false);
        }
        let sender = tenant.name.clone();
        let mail = MailCtx {
            tenant: &tenant,
            title: &title,
            sender: &sender,
        };
        self.apply_step(&txn, &row, &round, &step, &mail, now)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if expired {
            let missing: Vec<String> = round
                .signers
                .iter()
                .filter(|s| s.signed_at.is_none())
                .map(|s| s.name.clone())
                .collect();
            self.notify_kansli(
                &txn,
                &tenant,
                &format!("sign:{}:expired", row.id),
                (
                    &format!("Tiden för underskrift gick ut: {title}"),
                    &format!("{title} blev inte underskrivet i tid"),
                ),
                vec![
                    format!(
                        "Sista dag för underskrift var {}. Dessa hade inte skrivit under: {}.",
                        round.deadline,
                        missing.join(", ")
                    ),
                    "Starta en ny omgång med ett nytt sista datum.".to_owned(),
                ],
                Some(&self.round_page(&tenant, &row)),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        txn.commit().await.context("commit")?;
        self.mail_kick.notify_one();
        Ok(true)
    }

    /// Sends a sealed version to the members' registrators (or to `recipients`). Each recipient gets
    /// it once however often this is asked; answers the distribution rows of the version.
    pub async fn distribute(
        &self,
        tenant_id: i64,
        version_id: i64,
        recipients: Option<Vec<Recipient>>,
        message: Option<String>,
        requested_by: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Vec<repo::Distribution>, SigningError> {
        let v = documents::version(&self.db.tenant(tenant_id), tenant_id, version_id)
            .await?
            .ok_or(SigningError::NotFound)?;
        let round_id = v.signing_round_id.ok_or_else(|| {
            SigningError::Conflict(
                "Bara ett underskrivet och förseglat dokument kan skickas ut.".into(),
            )
        })?;
        let row = repo::get(&self.db.tenant(tenant_id), tenant_id, round_id)
            .await?
            .ok_or(SigningError::NotFound)?;
        let round = parse_state(&row)?;
        let (Some(pdf_sha), RoundStatus::Sealed) = (v.pdf_sha256.as_deref(), round.status) else {
            return Err(SigningError::Conflict(
                "Dokumentet är inte förseglat ännu.".into(),
            ));
        };
        let recipients = match recipients {
            Some(r) if !r.is_empty() => r,
            Some(_) => return Err(field("recipients", "Ange minst en mottagare.")),
            None => {
                let mut out: Vec<Recipient> = Vec::new();
                for m in members::list(&self.db.tenant(tenant_id), tenant_id).await? {
                    let d = members::details(&m);
                    for e in d.registrator_emails {
                        if !out.iter().any(|r| r.email == e) {
                            out.push(Recipient {
                                email: e,
                                name: Some(format!("Registrator, {}", d.name)),
                            });
                        }
                    }
                }
                if out.is_empty() {
                    return Err(field(
                        "recipients",
                        "Ingen medlem har någon registratoradress. Lägg in dem under Medlemmar, eller ange mottagare.",
                    ));
                }
                out
            }
        };
        let tenant = tenants::by_id(&self.db.tenant(tenant_id), tenant_id)
            .await?
            .ok_or(SigningError::NotFound)?;
        let doc = documents::get(&self.db.tenant(tenant_id), tenant_id, v.document_id)
            .await?
            .ok_or(SigningError::NotFound)?;
        let title = document_title(&self.db, &doc).await;
        let filename = format!("{title}.pdf");
        let attach = v.pdf_bytes.unwrap_or(0).max(0) as u64 <= self.attach_limit;
        let pdf_key = key(tenant_id, pdf_sha, "pdf");
        let verify = self.verify_link(&round);
        let txn = self.db.tenant(tenant_id).begin().await.context("begin")?;
        let mut added = Vec::new();
        for r in &recipients {
            let outbox_key = format!("dist:{}:{}", v.id, r.email.as_str());
            let (link, expires, hash) = if attach {
                (None, None, None)
            } else {
                let (token, hash) = Token::new();
                (
                    Some(format!(
                        "{}/d/{}",
                        self.base_url.trim_end_matches('/'),
                        token.as_str()
                    )),
                    Some(now + Duration::days(LINK_DAYS)),
                    Some(hash.to_hex()),
                )
            };
            let inserted = repo::add_distribution(
                &txn,
                repo::NewDistribution {
                    tenant_id,
                    version_id: v.id,
                    recipient: r.email.as_str(),
                    recipient_name: r.name.as_deref(),
                    delivery: if attach { "attachment" } else { "link" },
                    link_hash: hash.as_deref(),
                    link_expires_at: expires,
                    outbox_key: &outbox_key,
                    requested_by,
                },
            )
            .await?;
            if !inserted {
                continue;
            }
            let expires_text = expires.map(|e| stockholm_date(e).to_string());
            let msg = finsam_mail::templates::distribution(&finsam_mail::templates::Distribution {
                forbund: &tenant.name,
                document_title: &title,
                reference: round.reference.as_str(),
                verify_url: &verify,
                attached: attach,
                download_link: link.as_deref(),
                link_expires: expires_text.as_deref(),
                message: message.as_deref(),
            });
            self.enqueue(
                &txn,
                &tenant,
                &outbox_key,
                r.email.as_str(),
                &msg,
                attach.then_some((pdf_key.as_str(), filename.as_str())),
            )
            .await?;
            added.push(r.email.as_str().to_owned());
        }
        if !added.is_empty() {
            repo::record(
                &txn,
                tenant_id,
                row.id,
                now,
                vec![NewEvent {
                    kind: "distributed",
                    signer: None,
                    detail: serde_json::json!({ "version_id": v.id, "recipients": added, "attached": attach }),
                }],
            )
            .await?;
        }
        txn.commit().await.context("commit")?;
        self.mail_kick.notify_one();
        Ok(repo::distributions(&self.db.tenant(tenant_id), tenant_id, v.id).await?)
    }

    /// The input of a sealed version: the signed version's stored input with the signature page and
    /// the verification QR code. Answers the input, its date, the assets and the document kind.
    pub async fn sealed_input(
        &self,
        sealed: &Version,
    ) -> anyhow::Result<(serde_json::Value, Vec<(&'static str, Vec<u8>)>)> {
        let round_id = sealed.signing_round_id.context("not a sealed version")?;
        let row = repo::get(
            &self.db.tenant(sealed.tenant_id),
            sealed.tenant_id,
            round_id,
        )
        .await?
        .context("the round is gone")?;
        let round = parse_state(&row)?;
        let signed = documents::version(
            &self.db.tenant(sealed.tenant_id),
            sealed.tenant_id,
            row.version_id,
        )
        .await?
        .context("the signed version is gone")?;
        let input_sha = signed
            .input_sha256
            .as_deref()
            .context("the signed version has no stored input")?;
        let bytes = self
            .storage
            .get(&key(sealed.tenant_id, input_sha, "json"))
            .await?;
        let mut value: serde_json::Value = serde_json::from_slice(&bytes)?;
        let page = signature_page(
            &round,
            PageOptions {
                base_url: Some(&self.base_url),
                qr: true,
                certified_by: Some(CERTIFIED_BY),
            },
        )?;
        value["meta"]["signing"] = page.to_json();
        let mut assets: Vec<(&'static str, Vec<u8>)> = Vec::new();
        // The logo the signed version was made with, by its hash (not the förbund's current one).
        if let Some(map) = value.get("assets").and_then(|a| a.as_object()) {
            for (path, sha) in map {
                let (asset, ext) = match path.as_str() {
                    "/logo.png" => ("/logo.png", "png"),
                    "/logo.svg" => ("/logo.svg", "svg"),
                    _ => continue,
                };
                let sha = sha.as_str().context("an asset hash")?;
                assets.push((
                    asset,
                    self.storage.get(&key(sealed.tenant_id, sha, ext)).await?,
                ));
            }
        }
        assets.push((
            finsam_signing::page::QR_PATH,
            qr_svg(&self.verify_link(&round)).into_bytes(),
        ));
        Ok((value, assets))
    }
}

struct MailCtx<'a> {
    tenant: &'a tenants::Tenant,
    title: &'a str,
    sender: &'a str,
}
