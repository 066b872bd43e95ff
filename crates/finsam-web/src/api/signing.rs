//! Signing over the API: the kansli starts a round on a version and follows it; a signer asks for a
//! code and decides through the link in their e-mail (no account); the kansli sends the sealed
//! document to the members; anyone verifies a sealed PDF.

use crate::error::{ApiError, AppError, ErrorBody, FieldError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{NaiveDate, Utc};
use finsam_core::EmailAddress;
use finsam_core::time::format_stockholm;
use finsam_db::repo::signing::{self as repo, RoundRow};
use finsam_db::repo::{audit, documents, outbox, tenants};
use finsam_jobs::signing::{Decision, Recipient, StartRound, parse_state};
use finsam_signing::round::NewSigner;
use finsam_signing::signature::Evidence;
use finsam_signing::{Round, RoundStatus};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// The largest PDF `/api/v1/verify` reads.
pub const MAX_VERIFY_BYTES: usize = 50 * 1024 * 1024;
/// The longest message to the signers.
pub const MAX_MESSAGE: usize = 5000;

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SignerIn {
    pub name: String,
    pub email: String,
    pub title: Option<String>,
    pub organisation: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct StartRequest {
    /// Leave out for the defaults of the document's kind.
    pub signers: Option<Vec<SignerIn>>,
    /// Sign one after the other, in the order given.
    pub ordered: bool,
    /// The last day to sign, `YYYY-MM-DD` (until 23:59 Europe/Stockholm).
    pub deadline: String,
    pub message: Option<String>,
    /// Days after the invitation to remind; default `[3, 7]`.
    pub reminder_days: Option<Vec<u32>>,
    /// Send the sealed document to the members' registrators by itself.
    pub distribute_when_sealed: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StartAccepted {
    pub round_id: i64,
}

fn opt_text(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Checks a start request and names every wrong field; answers the round to start.
pub fn start_round(
    ctx: &TenantCtx,
    version_id: i64,
    r: StartRequest,
    previous_round_id: Option<i64>,
) -> Result<StartRound, AppError> {
    let mut errors = Vec::new();
    let deadline = match NaiveDate::parse_from_str(r.deadline.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError::new(
                "deadline",
                "Ange sista dag för underskrift som ÅÅÅÅ-MM-DD.",
            ));
            None
        }
    };
    let signers = r.signers.map(|list| {
        list.into_iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let name = s.name.trim().to_owned();
                if name.is_empty() {
                    errors.push(FieldError::new(
                        format!("signers[{i}].name"),
                        "Ange undertecknarens namn.",
                    ));
                }
                match EmailAddress::parse(s.email.trim()) {
                    Ok(email) => Some(NewSigner {
                        name,
                        email,
                        title: opt_text(s.title),
                        organisation: opt_text(s.organisation),
                    }),
                    Err(_) => {
                        errors.push(FieldError::new(
                            format!("signers[{i}].email"),
                            "Ange en giltig e-postadress.",
                        ));
                        None
                    }
                }
            })
            .collect::<Vec<_>>()
    });
    let message = opt_text(r.message);
    if message
        .as_ref()
        .is_some_and(|m| m.chars().count() > MAX_MESSAGE)
    {
        errors.push(FieldError::new(
            "message",
            "Meddelandet får ha högst 5000 tecken.",
        ));
    }
    if r.reminder_days
        .as_ref()
        .is_some_and(|d| d.len() > 5 || d.iter().any(|&x| x == 0 || x > 90))
    {
        errors.push(FieldError::new(
            "reminder_days",
            "Ange högst fem påminnelser, mellan 1 och 90 dagar efter inbjudan.",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(StartRound {
        tenant_id: ctx.tenant_id(),
        version_id,
        signers,
        ordered: r.ordered,
        deadline: deadline.expect("checked"),
        message,
        reminder_days: r.reminder_days,
        auto_distribute: r.distribute_when_sealed,
        started_by: Some(ctx.account_id()),
        sender_name: ctx.auth.account.name.clone(),
        previous_round_id,
    })
}

/// Starts a round and writes the audit row; answers the round.
pub async fn start_and_audit(
    state: &AppState,
    ctx: &TenantCtx,
    client: &ClientInfo,
    start: StartRound,
) -> Result<RoundRow, AppError> {
    let version_id = start.version_id;
    let row = state.signing.start(start, Utc::now()).await?;
    audit::record(
        &ctx.db,
        audit::NewEvent {
            tenant_id: Some(ctx.tenant_id()),
            actor_account_id: Some(ctx.account_id()),
            action: audit::action::SIGNING_STARTED,
            detail: serde_json::json!({ "round_id": row.id, "version_id": version_id, "reference": row.reference }),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    Ok(row)
}

/// Starts a signing round on a rendered, final version. The signers get their links by e-mail.
#[utoipa::path(post, path = "/api/v1/t/{slug}/versions/{version_id}/signing-rounds", tag = "signing", security(("bearer" = [])),
    params(("slug" = String, Path), ("version_id" = i64, Path)), request_body = StartRequest,
    responses((status = 201, body = StartAccepted), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i64)>,
    crate::api::ApiJson(r): crate::api::ApiJson<StartRequest>,
) -> Result<(StatusCode, Json<StartAccepted>), ApiError> {
    let version_id = path.1;
    documents::version(&ctx.db, ctx.tenant_id(), version_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let start = start_round(&ctx, version_id, r, None)?;
    let row = start_and_audit(&state, &ctx, &client, start).await?;
    Ok((
        StatusCode::CREATED,
        Json(StartAccepted { round_id: row.id }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignerOut {
    pub name: String,
    pub email: String,
    pub title: Option<String>,
    pub organisation: Option<String>,
    /// `waiting`, `invited`, `signed` or `declined`.
    pub status: String,
    /// Europe/Stockholm with the offset.
    pub signed_at: Option<String>,
    pub declined_reason: Option<String>,
    pub reminders_sent: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundOut {
    pub round_id: i64,
    pub version_id: i64,
    /// `pending`, `declined`, `expired` or `sealed`.
    pub status: String,
    pub reference: String,
    pub deadline: String,
    pub ordered: bool,
    pub signers: Vec<SignerOut>,
    pub sealed_version_id: Option<i64>,
    pub sealed_sha256: Option<String>,
    pub sealed_at: Option<String>,
    pub previous_round_id: Option<i64>,
    pub distribute_when_sealed: bool,
}

pub fn round_out(row: &RoundRow, round: &Round) -> RoundOut {
    RoundOut {
        round_id: row.id,
        version_id: row.version_id,
        status: round.status.as_str().to_owned(),
        reference: round.reference.to_string(),
        deadline: round.deadline.to_string(),
        ordered: round.ordered,
        signers: round
            .signers
            .iter()
            .map(|s| SignerOut {
                name: s.name.clone(),
                email: s.email.as_str().to_owned(),
                title: s.title.clone(),
                organisation: s.organisation.clone(),
                status: s.status.as_str().to_owned(),
                signed_at: s.signed_at.map(format_stockholm),
                declined_reason: s.declined.as_ref().map(|d| d.reason.clone()),
                reminders_sent: s.reminders_sent,
            })
            .collect(),
        sealed_version_id: (round.status == RoundStatus::Sealed)
            .then_some(row.sealed_version_id)
            .flatten(),
        sealed_sha256: round.seal.as_ref().map(|s| s.sha256.clone()),
        sealed_at: round.seal.as_ref().map(|s| format_stockholm(s.at)),
        previous_round_id: row.previous_round_id,
        distribute_when_sealed: row.auto_distribute,
    }
}

pub async fn find_round(
    state: &AppState,
    tenant_id: i64,
    id: i64,
) -> Result<(RoundRow, Round), AppError> {
    let row = repo::get(&state.db.tenant(tenant_id), tenant_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let round = parse_state(&row)?;
    Ok((row, round))
}

/// A round: its status and each signer's.
#[utoipa::path(get, path = "/api/v1/t/{slug}/signing-rounds/{round_id}", tag = "signing", security(("bearer" = [])),
    params(("slug" = String, Path), ("round_id" = i64, Path)),
    responses((status = 200, body = RoundOut), (status = 404, body = ErrorBody)))]
pub async fn get_round(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<RoundOut>, ApiError> {
    let id = path.1;
    let (row, round) = find_round(&state, ctx.tenant_id(), id).await?;
    Ok(Json(round_out(&row, &round)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventOut {
    /// `started`, `invited`, `mail_queued`, `mail_sent`, `page_viewed`, `code_sent`, `code_refused`,
    /// `signed`, `declined`, `reminded`, `expired`, `sealed`, `distributed` …
    pub kind: String,
    pub at: String,
    pub signer: Option<String>,
    pub detail: serde_json::Value,
}

/// A round's audit trail: its events, with each e-mail's delivery from the outbox, in time order.
pub async fn audit_trail(
    state: &AppState,
    row: &RoundRow,
    round: &Round,
) -> Result<Vec<EventOut>, AppError> {
    let name = |i: Option<i32>| {
        i.and_then(|i| round.signers.get(i as usize))
            .map(|s| s.name.clone())
    };
    let mut out: Vec<(chrono::DateTime<Utc>, EventOut)> =
        repo::events(&state.db.tenant(row.tenant_id), row.tenant_id, row.id)
            .await?
            .into_iter()
            .map(|e| {
                (
                    e.at,
                    EventOut {
                        kind: e.kind,
                        at: format_stockholm(e.at),
                        signer: name(e.signer),
                        detail: serde_json::from_str(&e.detail).unwrap_or_default(),
                    },
                )
            })
            .collect();
    let mut mails = outbox::with_key_prefix(
        &state.db.tenant(row.tenant_id),
        row.tenant_id,
        &format!("sign:{}:", row.id),
    )
    .await?;
    if let Some(v) = row.sealed_version_id {
        mails.extend(
            outbox::with_key_prefix(
                &state.db.tenant(row.tenant_id),
                row.tenant_id,
                &format!("dist:{v}:"),
            )
            .await?,
        );
    }
    for m in mails {
        let detail = serde_json::json!({ "to": m.recipient, "subject": m.subject, "attempts": m.attempts, "error": m.last_error });
        match (m.status.as_str(), m.sent_at) {
            (outbox::SENT, Some(at)) => out.push((
                at,
                EventOut {
                    kind: "mail_sent".into(),
                    at: format_stockholm(at),
                    signer: None,
                    detail,
                },
            )),
            (outbox::FAILED, _) => out.push((
                m.next_attempt_at,
                EventOut {
                    kind: "mail_failed".into(),
                    at: format_stockholm(m.next_attempt_at),
                    signer: None,
                    detail,
                },
            )),
            _ => {}
        }
    }
    out.sort_by_key(|(at, _)| *at);
    Ok(out.into_iter().map(|(_, e)| e).collect())
}

/// A round's audit trail.
#[utoipa::path(get, path = "/api/v1/t/{slug}/signing-rounds/{round_id}/events", tag = "signing", security(("bearer" = [])),
    params(("slug" = String, Path), ("round_id" = i64, Path)),
    responses((status = 200, body = [EventOut]), (status = 404, body = ErrorBody)))]
pub async fn events(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<Vec<EventOut>>, ApiError> {
    let id = path.1;
    let (row, round) = find_round(&state, ctx.tenant_id(), id).await?;
    Ok(Json(audit_trail(&state, &row, &round).await?))
}

/// Counts a public request against the per-client limit.
pub fn throttle(state: &AppState, what: &str, client: &ClientInfo) -> Result<(), AppError> {
    let key = format!("{what}:{}", client.addr_string().unwrap_or_default());
    state
        .public_throttle
        .check(&key, client.addr)
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })
}

/// Sends the signer a six-digit code to the address the link was sent to.
#[utoipa::path(post, path = "/api/v1/sign/{token}/code", tag = "signing",
    params(("token" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn request_code(
    State(state): State<AppState>,
    client: ClientInfo,
    Path(token): Path<String>,
) -> Result<StatusCode, ApiError> {
    throttle(&state, "sign", &client)?;
    state.signing.request_code(&token, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DecisionIn {
    pub code: String,
    /// `sign` or `decline`.
    pub decision: String,
    /// Why, when declining.
    pub reason: Option<String>,
    /// The SHA-256 of the version the signer was shown (the page sends it); defaults to the round's.
    pub shown_sha256: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionOut {
    /// The round's status after the decision.
    pub status: String,
    /// The signer's.
    pub signer_status: String,
}

/// Parses a decision and records it; shared by the API and the signer's page.
pub async fn decide(
    state: &AppState,
    client: &ClientInfo,
    token: &str,
    d: DecisionIn,
) -> Result<(RoundRow, Round, usize), AppError> {
    throttle(state, "sign", client)?;
    let decision = match d.decision.trim() {
        "sign" => Decision::Sign,
        "decline" => Decision::Decline,
        _ => {
            return Err(AppError::field(
                "decision",
                "Välj om du skriver under eller avböjer.",
            ));
        }
    };
    let now = Utc::now();
    let view = state.signing.peek(token, now).await?;
    let evidence = Evidence {
        client_address: client.addr,
        user_agent: client.user_agent.clone().unwrap_or_default(),
        shown_sha256: d
            .shown_sha256
            .unwrap_or_else(|| view.state.version_sha256.clone()),
    };
    let row = state
        .signing
        .decide(
            token,
            d.code.trim(),
            decision,
            d.reason.as_deref().unwrap_or(""),
            &evidence,
            now,
        )
        .await?;
    let round = parse_state(&row)?;
    Ok((row, round, view.signer))
}

/// The signer signs or declines, with the code from the e-mail.
#[utoipa::path(post, path = "/api/v1/sign/{token}", tag = "signing",
    params(("token" = String, Path)), request_body = DecisionIn,
    responses((status = 200, body = DecisionOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn decision(
    State(state): State<AppState>,
    client: ClientInfo,
    Path(token): Path<String>,
    crate::api::ApiJson(d): crate::api::ApiJson<DecisionIn>,
) -> Result<Json<DecisionOut>, ApiError> {
    let (_, round, i) = decide(&state, &client, &token, d).await?;
    Ok(Json(DecisionOut {
        status: round.status.as_str().to_owned(),
        signer_status: round.signers[i].status.as_str().to_owned(),
    }))
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RecipientIn {
    pub email: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DistributionRequest {
    /// Leave out for every member's registrator addresses.
    pub recipients: Option<Vec<RecipientIn>>,
    pub message: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DistributionOut {
    pub email: String,
    pub name: Option<String>,
    /// `attachment` or `link`.
    pub delivery: String,
    /// `queued`, `sending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i32,
    /// Sent after more than one attempt.
    pub retried: bool,
    pub error: Option<String>,
    pub sent_at: Option<String>,
}

/// The sealed version a version id names: the sealed one itself, or the signed one whose round is sealed.
pub async fn sealed_version_of(
    state: &AppState,
    tenant_id: i64,
    version_id: i64,
) -> Result<i64, AppError> {
    let v = documents::version(&state.db.tenant(tenant_id), tenant_id, version_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if v.signing_round_id.is_some() {
        return Ok(v.id);
    }
    repo::for_version(&state.db.tenant(tenant_id), tenant_id, v.id)
        .await?
        .into_iter()
        .find(|r| r.status == "sealed")
        .and_then(|r| r.sealed_version_id)
        .ok_or_else(|| {
            AppError::Refused(
                "Dokumentet är inte underskrivet och förseglat, så det kan inte skickas ut.".into(),
            )
        })
}

pub async fn distribution_state(
    state: &AppState,
    tenant_id: i64,
    version_id: i64,
) -> Result<Vec<DistributionOut>, AppError> {
    let mails = outbox::with_key_prefix(
        &state.db.tenant(tenant_id),
        tenant_id,
        &format!("dist:{version_id}:"),
    )
    .await?;
    Ok(
        repo::distributions(&state.db.tenant(tenant_id), tenant_id, version_id)
            .await?
            .into_iter()
            .map(|d| {
                let m = mails.iter().find(|m| m.idempotency_key == d.outbox_key);
                DistributionOut {
                    email: d.recipient,
                    name: d.recipient_name,
                    delivery: d.delivery,
                    status: m
                        .map(|m| m.status.clone())
                        .unwrap_or_else(|| "queued".into()),
                    attempts: m.map(|m| m.attempts).unwrap_or(0),
                    retried: m.is_some_and(|m| m.attempts > 1),
                    error: m.and_then(|m| m.last_error.clone()),
                    sent_at: m.and_then(|m| m.sent_at).map(format_stockholm),
                }
            })
            .collect(),
    )
}

/// Checks a distribution request; answers the recipients (`None`: the members' registrators).
pub fn recipients_of(r: &DistributionRequest) -> Result<Option<Vec<Recipient>>, AppError> {
    let Some(list) = &r.recipients else {
        return Ok(None);
    };
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (i, x) in list.iter().enumerate() {
        match EmailAddress::parse(x.email.trim()) {
            Ok(email) => out.push(Recipient {
                email,
                name: opt_text(x.name.clone()),
            }),
            Err(_) => errors.push(FieldError::new(
                format!("recipients[{i}].email"),
                "Ange en giltig e-postadress.",
            )),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Some(out))
}

/// Sends the sealed document to the members' registrators (or the recipients given). Each recipient
/// gets it once, however often this is asked.
#[utoipa::path(post, path = "/api/v1/t/{slug}/versions/{version_id}/distribution", tag = "signing", security(("bearer" = [])),
    params(("slug" = String, Path), ("version_id" = i64, Path)), request_body = DistributionRequest,
    responses((status = 202, body = [DistributionOut]), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn distribute(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i64)>,
    body: Bytes,
) -> Result<(StatusCode, Json<Vec<DistributionOut>>), ApiError> {
    let version_id = path.1;
    let sealed = sealed_version_of(&state, ctx.tenant_id(), version_id).await?;
    let r: DistributionRequest = if body.iter().all(u8::is_ascii_whitespace) {
        DistributionRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| AppError::BadRequest(e.to_string()))?
    };
    let recipients = recipients_of(&r)?;
    distribute_and_audit(
        &state,
        &ctx,
        &client,
        sealed,
        recipients,
        opt_text(r.message),
    )
    .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(distribution_state(&state, ctx.tenant_id(), sealed).await?),
    ))
}

pub async fn distribute_and_audit(
    state: &AppState,
    ctx: &TenantCtx,
    client: &ClientInfo,
    sealed: i64,
    recipients: Option<Vec<Recipient>>,
    message: Option<String>,
) -> Result<(), AppError> {
    let rows = state
        .signing
        .distribute(
            ctx.tenant_id(),
            sealed,
            recipients,
            message,
            Some(ctx.account_id()),
            Utc::now(),
        )
        .await?;
    audit::record(
        &ctx.db,
        audit::NewEvent {
            tenant_id: Some(ctx.tenant_id()),
            actor_account_id: Some(ctx.account_id()),
            action: audit::action::DOCUMENT_DISTRIBUTED,
            detail: serde_json::json!({ "version_id": sealed, "recipients": rows.len() }),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    Ok(())
}

/// Each recipient's delivery of a sealed version.
#[utoipa::path(get, path = "/api/v1/t/{slug}/versions/{version_id}/distribution", tag = "signing", security(("bearer" = [])),
    params(("slug" = String, Path), ("version_id" = i64, Path)),
    responses((status = 200, body = [DistributionOut]), (status = 404, body = ErrorBody)))]
pub async fn distribution(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<Vec<DistributionOut>>, ApiError> {
    let version_id = path.1;
    let sealed = sealed_version_of(&state, ctx.tenant_id(), version_id).await?;
    Ok(Json(
        distribution_state(&state, ctx.tenant_id(), sealed).await?,
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VerifiedSigner {
    pub name: String,
    pub title: Option<String>,
    pub organisation: Option<String>,
    pub signed_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyOut {
    pub valid: bool,
    pub reference: Option<String>,
    pub forbund: Option<String>,
    pub document: Option<String>,
    pub sealed_at: Option<String>,
    pub signers: Vec<VerifiedSigner>,
}

impl VerifyOut {
    pub fn invalid() -> Self {
        VerifyOut {
            valid: false,
            reference: None,
            forbund: None,
            document: None,
            sealed_at: None,
            signers: Vec::new(),
        }
    }
}

/// What verification discloses of a sealed round: no addresses, no identification ids.
pub async fn verified(state: &AppState, row: Option<RoundRow>) -> Result<VerifyOut, AppError> {
    let Some(row) = row else {
        return Ok(VerifyOut::invalid());
    };
    let round = parse_state(&row)?;
    let Some(seal) = round
        .seal
        .as_ref()
        .filter(|_| round.status == RoundStatus::Sealed)
    else {
        return Ok(VerifyOut::invalid());
    };
    let tenant = tenants::by_id(state.db.platform(), row.tenant_id).await?;
    let doc = documents::get(
        &state.db.tenant(row.tenant_id),
        row.tenant_id,
        row.document_id,
    )
    .await?;
    let document = match &doc {
        Some(d) => Some(finsam_jobs::signing::document_title(&state.db, d).await),
        None => None,
    };
    let mut signers: Vec<_> = round
        .signers
        .iter()
        .filter_map(|s| s.signed_at.map(|at| (at, s)))
        .collect();
    signers.sort_by_key(|(at, _)| *at);
    Ok(VerifyOut {
        valid: true,
        reference: Some(round.reference.to_string()),
        forbund: tenant.map(|t| t.name),
        document,
        sealed_at: Some(format_stockholm(seal.at)),
        signers: signers
            .into_iter()
            .map(|(at, s)| VerifiedSigner {
                name: s.name.clone(),
                title: s.title.clone(),
                organisation: s.organisation.clone(),
                signed_at: format_stockholm(at),
            })
            .collect(),
    })
}

/// Whether a file is a sealed document of this platform: its SHA-256 must be a seal's.
pub async fn verify_bytes(state: &AppState, pdf: &[u8]) -> Result<VerifyOut, AppError> {
    let sha = hex::encode(Sha256::digest(pdf));
    let row = repo::by_sealed_sha256(&state.db.all_tenants(), &sha).await?;
    verified(state, row).await
}

/// Verifies a PDF (the request body, at most 50 MiB). No login.
#[utoipa::path(post, path = "/api/v1/verify", tag = "signing",
    request_body(content = Vec<u8>, content_type = "application/pdf"),
    responses((status = 200, body = VerifyOut), (status = 413, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn verify(
    State(state): State<AppState>,
    client: ClientInfo,
    body: Bytes,
) -> Result<Json<VerifyOut>, ApiError> {
    throttle(&state, "verify", &client)?;
    Ok(Json(verify_bytes(&state, &body).await?))
}

/// What a reference stands for (as the verification page shows it). No login.
#[utoipa::path(get, path = "/api/v1/verify/{reference}", tag = "signing",
    params(("reference" = String, Path)),
    responses((status = 200, body = VerifyOut), (status = 429, body = ErrorBody)))]
pub async fn verify_reference(
    State(state): State<AppState>,
    client: ClientInfo,
    Path(reference): Path<String>,
) -> Result<Json<VerifyOut>, ApiError> {
    throttle(&state, "verify", &client)?;
    Ok(Json(by_reference(&state, &reference).await?))
}

pub async fn by_reference(state: &AppState, reference: &str) -> Result<VerifyOut, AppError> {
    let Some(r) = finsam_signing::Reference::parse(reference) else {
        return Ok(VerifyOut::invalid());
    };
    let row = repo::by_reference(&state.db.all_tenants(), r.as_str()).await?;
    verified(state, row).await
}
