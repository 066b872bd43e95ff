//! A signing round's audit trail as a PDF for the kansli's records: the round, each signer's evidence
//! and every event (e-mails queued, sent and failed, page views, codes, signatures, declines,
//! reminders, expiry, seal, distribution). Rendered with typst when downloaded; never stored.

use crate::api::signing::{EventOut, audit_trail, find_round};
use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{Tenant, TenantCtx, perm};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use finsam_core::time::format_stockholm;
use finsam_db::repo::documents;
use finsam_db::repo::signing as repo;
use finsam_signing::Round;
use serde_json::{Value, json};

/// Swedish for a round's, a signer's or a delivery's status.
pub fn status_label(s: &str) -> &'static str {
    match s {
        "pending" => "Pågår",
        "declined" => "Avböjd",
        "expired" => "Tiden gick ut",
        "sealed" => "Underskriven och förseglad",
        "waiting" => "Väntar på sin tur",
        "invited" => "Inbjuden",
        "signed" => "Har skrivit under",
        "queued" => "Köad",
        "sending" => "Skickas",
        "sent" => "Skickat",
        "failed" => "Misslyckades",
        _ => "Okänd",
    }
}

/// Swedish for an event of the audit trail.
pub fn event_label(kind: &str) -> &'static str {
    match kind {
        "started" => "Underskriften startades",
        "invited" => "Inbjudan skapad",
        "mail_queued" => "E-post köad",
        "mail_sent" => "E-post skickad",
        "mail_failed" => "E-post kunde inte skickas",
        "page_viewed" => "Sidan öppnades",
        "code_sent" => "Kod skickad",
        "code_refused" => "Fel kod",
        "signed" => "Skrev under",
        "ready_to_seal" => "Alla har skrivit under",
        "declined" => "Avböjde",
        "reminded" => "Påminnelse",
        "expired" => "Tiden gick ut",
        "sealed" => "Förseglad",
        "distributed" => "Skickad till mottagare",
        _ => "Händelse",
    }
}

/// What an event's details say, in one line of Swedish (`None` when nothing is worth printing).
pub fn event_detail(e: &EventOut) -> Option<String> {
    let d = &e.detail;
    let s = |k: &str| d.get(k).and_then(Value::as_str).filter(|v| !v.is_empty());
    let mut parts = Vec::new();
    if let Some(to) = s("to") {
        parts.push(format!("till {to}"));
    }
    if let Some(subject) = s("subject") {
        parts.push(format!("”{subject}”"));
    }
    if let Some(reason) = s("reason") {
        parts.push(format!("skäl: {reason}"));
    }
    if let Some(error) = s("error").filter(|_| e.kind == "mail_failed") {
        parts.push(format!("fel: {error}"));
    }
    if let Some(id) = s("identification_id") {
        parts.push(format!("identifikations-ID {id}"));
    }
    if let Some(sha) = s("sha256") {
        // The whole hash stands in the round's facts; here its start names it.
        let start: String = sha.chars().take(16).collect();
        parts.push(format!("SHA-256 {start}…"));
    }
    if let Some(n) = d.get("recipients").and_then(Value::as_array) {
        parts.push(format!("{} mottagare", n.len()));
    }
    if let Some(n) = d.get("signers").and_then(Value::as_u64) {
        parts.push(format!("{n} undertecknare"));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The trail's input for the `signeringslogg` template.
async fn trail_input(
    state: &AppState,
    ctx: &TenantCtx,
    row: &repo::RoundRow,
    round: &Round,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Value, AppError> {
    let doc = documents::get(&ctx.db, ctx.tenant_id(), row.document_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let title = finsam_jobs::signing::document_title(&state.db, &doc).await;
    let previous_reference = match row.previous_round_id {
        Some(id) => repo::get(&ctx.db, ctx.tenant_id(), id)
            .await?
            .and_then(|r| finsam_jobs::signing::parse_state(&r).ok())
            .map(|r| r.reference.to_string()),
        None => None,
    };
    let signers: Vec<Value> = round
        .signers
        .iter()
        .map(|s| {
            let sig = s.signature.as_ref();
            let title_organisation = [s.title.as_deref(), s.organisation.as_deref()]
                .into_iter()
                .flatten()
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            json!({
                "name": s.name,
                "email": s.email.as_str(),
                "title_organisation": title_organisation,
                "status": status_label(s.status.as_str()),
                "decided_at": sig.map(|g| g.signed_at_local.clone())
                    .or_else(|| s.declined.as_ref().map(|d| format_stockholm(d.at))),
                "reason": s.declined.as_ref().map(|d| d.reason.clone()),
                "identification_id": sig.map(|g| g.identification_id.clone()),
                "client_address": sig.and_then(|g| g.client_address).map(|a| a.to_string()),
                "user_agent": sig.map(|g| g.user_agent.clone()).filter(|u| !u.is_empty()),
                "shown_sha256": sig.map(|g| g.version_sha256.clone()),
                "reminders": (s.reminders_sent > 0).then(|| s.reminders_sent.to_string()),
            })
        })
        .collect();
    let events: Vec<Value> = audit_trail(state, row, round)
        .await?
        .iter()
        .map(|e| {
            json!({
                "at": e.at,
                "what": event_label(&e.kind),
                "who": e.signer,
                "detail": event_detail(e),
            })
        })
        .collect();
    let today = finsam_core::time::stockholm_date(now);
    Ok(json!({
        "meta": {
            "kind": "signeringslogg",
            "title": "Signeringslogg",
            "subtitle": title,
            "forbund": ctx.tenant.name,
            "orgnr": ctx.tenant.orgnr,
            "date": today.to_string(),
            "logo": null,
            "draft": null,
            "signing": null,
        },
        "data": {
            "document": title,
            "reference": round.reference.to_string(),
            "status": status_label(round.status.as_str()),
            "started_at": format_stockholm(round.started_at),
            "deadline": round.deadline.to_string(),
            "order": if round.ordered { "I tur och ordning" } else { "Alla samtidigt" },
            "version_sha256": round.version_sha256,
            "sealed_at": round.seal.as_ref().map(|s| format_stockholm(s.at)),
            "sealed_sha256": round.seal.as_ref().map(|s| s.sha256.clone()),
            "previous_reference": previous_reference,
            "signers": signers,
            "events": events,
            "printed_at": format_stockholm(now),
        },
    }))
}

/// Renders a round's audit trail: the PDF and its file name.
pub async fn trail_pdf(
    state: &AppState,
    ctx: &TenantCtx,
    round_id: i64,
) -> Result<(Vec<u8>, String), AppError> {
    let (row, round) = find_round(state, ctx.tenant_id(), round_id).await?;
    let now = chrono::Utc::now();
    let mut input = trail_input(state, ctx, &row, &round, now).await?;
    let date = finsam_core::time::stockholm_date(now);
    let pdf = tokio::task::spawn_blocking(move || {
        let engine = finsam_documents::Engine::global();
        engine.make_printable(&mut input);
        let bytes = serde_json::to_vec(&input).expect("JSON serialises");
        engine.render_trail(&bytes, date)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("the trail's render task: {e}")))?
    .map_err(|e| AppError::Internal(anyhow::anyhow!("rendering the trail: {e}")))?;
    let name = format!("signeringslogg-{}.pdf", round.reference);
    Ok((pdf.pdf, name))
}

/// A round's audit trail as a PDF (PDF/A-2a), for the kansli's records.
#[utoipa::path(get, path = "/api/v1/t/{slug}/signing-rounds/{round_id}/audit-trail", tag = "signing", security(("bearer" = [])),
    params(("slug" = String, Path), ("round_id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    Path(path): Path<(String, i64)>,
) -> Result<Response, ApiError> {
    let (pdf, name) = trail_pdf(&state, &ctx, path.1).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        pdf,
    )
        .into_response())
}
