//! Documents over the API: the kansli asks for a rendering (a new version, queued for the render worker);
//! everyone who reads everything lists documents and versions, reads a version's provenance and downloads
//! its PDF.

use crate::api::yeardata::in_audited_txn;
use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use finsam_db::repo::documents::{self, Document, Version};
use finsam_db::repo::{audit, meetings};
use finsam_documents::Kind;
use finsam_jobs::render::RenderJob;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RenderRequest {
    /// `arsredovisning`, `delarsrapport`, `verksamhetsplan` or `minnesanteckningar`.
    pub kind: String,
    /// The year (not for minutes).
    pub year: Option<i32>,
    /// The meeting (minutes only).
    pub meeting_id: Option<i64>,
    /// A draft is rendered even when the year's checks fail, stamped UTKAST on every page.
    pub draft: bool,
    /// Why it is a draft (recorded and shown); defaults to "Utkast".
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RenderAccepted {
    pub document_id: i64,
    pub version_id: i64,
    pub status: String,
}

/// Checks a request and queues a new version; answers the document and the version.
pub async fn request_render(
    state: &AppState,
    ctx: &TenantCtx,
    client: &ClientInfo,
    r: &RenderRequest,
) -> Result<(Document, Version), AppError> {
    let kind = Kind::parse(r.kind.trim()).ok_or_else(|| {
        AppError::field(
            "kind",
            "Välj årsredovisning, delårsrapport, verksamhetsplan eller minnesanteckningar.",
        )
    })?;
    let (subject, year, meeting_id) = match kind {
        Kind::Minnesanteckningar => {
            let id = r
                .meeting_id
                .ok_or_else(|| AppError::field("meeting_id", "Välj mötet."))?;
            meetings::get(&ctx.db, ctx.tenant_id(), id)
                .await?
                .ok_or_else(|| AppError::field("meeting_id", "Mötet finns inte."))?;
            (format!("meeting:{id}"), None, Some(id))
        }
        _ => {
            let y = r
                .year
                .filter(|y| (2000..=2100).contains(y))
                .ok_or_else(|| AppError::field("year", "Ange ett år mellan 2000 och 2100."))?;
            (y.to_string(), Some(y), None)
        }
    };
    let reason = match (r.draft, r.reason.as_deref().map(str::trim)) {
        (false, _) => None,
        (true, Some(t)) if !t.is_empty() => {
            if t.chars().count() > 500 {
                return Err(AppError::field("reason", "Skälet får ha högst 500 tecken."));
            }
            Some(t.to_owned())
        }
        (true, _) => Some("Utkast".to_owned()),
    };
    // Two requests for the same document at once (a double click, two kansli, the yearly cycle) take
    // turns in `documents::ensure` and `documents::queue_version`: each gets its own version number.
    let (doc, version) = in_audited_txn(
        ctx,
        client,
        audit::action::DOCUMENT_REQUESTED,
        serde_json::json!({ "kind": kind.as_str(), "subject": subject, "draft": reason }),
        async |txn| {
            let doc = documents::ensure(
                txn,
                ctx.tenant_id(),
                kind.as_str(),
                &subject,
                year,
                meeting_id,
            )
            .await?;
            let v = documents::queue_version(
                txn,
                ctx.tenant_id(),
                doc.id,
                reason.as_deref(),
                Some(ctx.account_id()),
            )
            .await?;
            Ok((doc, v))
        },
    )
    .await?;
    // The version is queued in our table; if the job cannot be pushed, the sweeper renders it.
    if let Err(e) = state
        .render_queue
        .push(RenderJob {
            tenant_id: ctx.tenant_id(),
            version_id: version.id,
        })
        .await
    {
        tracing::warn!(error = %e, version_id = version.id, "render job not queued; the sweeper will render it");
    }
    Ok((doc, version))
}

/// Asks for a rendering: a new version of the document, queued.
#[utoipa::path(post, path = "/api/v1/t/{slug}/documents", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = RenderRequest,
    responses((status = 202, body = RenderAccepted), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    crate::api::ApiJson(r): crate::api::ApiJson<RenderRequest>,
) -> Result<(StatusCode, Json<RenderAccepted>), ApiError> {
    let (doc, v) = request_render(&state, &ctx, &client, &r).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(RenderAccepted {
            document_id: doc.id,
            version_id: v.id,
            status: v.status,
        }),
    ))
}

/// A version with its status and provenance.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionOut {
    pub id: i64,
    pub document_id: i64,
    pub kind: String,
    pub year: Option<i32>,
    pub meeting_id: Option<i64>,
    pub number: i32,
    /// `queued`, `rendering`, `ready` or `failed`.
    pub status: String,
    pub draft: bool,
    pub draft_reason: Option<String>,
    pub error: Option<String>,
    pub input_sha256: Option<String>,
    pub pdf_sha256: Option<String>,
    pub template_sha256: Option<String>,
    pub typst_version: Option<String>,
    pub pages: Option<i32>,
    pub render_ms: Option<i32>,
    pub pdf_bytes: Option<i64>,
    /// Europe/Stockholm with the offset.
    pub created_at: String,
    pub finished_at: Option<String>,
}

pub fn version_out(d: &Document, v: &Version) -> VersionOut {
    VersionOut {
        id: v.id,
        document_id: d.id,
        kind: d.kind.clone(),
        year: d.year,
        meeting_id: d.meeting_id,
        number: v.number,
        status: v.status.clone(),
        draft: v.draft,
        draft_reason: v.draft_reason.clone(),
        error: v.error.clone(),
        input_sha256: v.input_sha256.clone(),
        pdf_sha256: v.pdf_sha256.clone(),
        template_sha256: v.template_sha256.clone(),
        typst_version: v.typst_version.clone(),
        pages: v.pages,
        render_ms: v.render_ms,
        pdf_bytes: v.pdf_bytes,
        created_at: finsam_core::time::format_stockholm(v.created_at),
        finished_at: v.finished_at.map(finsam_core::time::format_stockholm),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentOut {
    pub id: i64,
    pub kind: String,
    pub year: Option<i32>,
    pub meeting_id: Option<i64>,
    /// Newest first.
    pub versions: Vec<VersionOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentList {
    pub documents: Vec<DocumentOut>,
}

pub async fn document_list(state: &AppState, tenant_id: i64) -> Result<Vec<DocumentOut>, AppError> {
    let versions = documents::versions(&state.db.tenant(tenant_id), tenant_id).await?;
    Ok(documents::list(&state.db.tenant(tenant_id), tenant_id)
        .await?
        .into_iter()
        .map(|d| DocumentOut {
            id: d.id,
            kind: d.kind.clone(),
            year: d.year,
            meeting_id: d.meeting_id,
            versions: versions
                .iter()
                .filter(|v| v.document_id == d.id)
                .map(|v| version_out(&d, v))
                .collect(),
        })
        .collect())
}

/// The förbund's documents with their versions.
#[utoipa::path(get, path = "/api/v1/t/{slug}/documents", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = DocumentList)))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
) -> Result<Json<DocumentList>, ApiError> {
    Ok(Json(DocumentList {
        documents: document_list(&state, ctx.tenant_id()).await?,
    }))
}

pub async fn find_version(
    state: &AppState,
    tenant_id: i64,
    id: i64,
) -> Result<(Document, Version), AppError> {
    let v = documents::version(&state.db.tenant(tenant_id), tenant_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let d = documents::get(&state.db.tenant(tenant_id), tenant_id, v.document_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((d, v))
}

/// One version: its status and provenance.
#[utoipa::path(get, path = "/api/v1/t/{slug}/versions/{version_id}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("version_id" = i64, Path)),
    responses((status = 200, body = VersionOut), (status = 404, body = ErrorBody)))]
pub async fn get_version(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<VersionOut>, ApiError> {
    let (d, v) = find_version(&state, ctx.tenant_id(), path.1).await?;
    Ok(Json(version_out(&d, &v)))
}

#[derive(Debug, Deserialize)]
pub struct PdfQuery {
    /// `?download=1` answers as an attachment; otherwise the browser shows it inline.
    #[serde(default)]
    pub download: Option<String>,
}

/// The file name people get: `arsredovisning-2024-v3.pdf`.
pub fn file_name(d: &Document, v: &Version) -> String {
    let subject = d
        .year
        .map(|y| y.to_string())
        .unwrap_or_else(|| d.subject.replace(':', "-"));
    format!("{}-{subject}-v{}.pdf", d.kind, v.number)
}

/// Answers a ready version's PDF (409 for one that has none: queued, rendering or failed).
pub async fn pdf_response(
    state: &AppState,
    tenant_id: i64,
    id: i64,
    download: bool,
) -> Result<Response, AppError> {
    let (d, v) = find_version(state, tenant_id, id).await?;
    let sha = match (v.status.as_str(), &v.pdf_sha256) {
        (documents::status::READY, Some(sha)) => sha.clone(),
        _ => return Err(AppError::NotReady),
    };
    let bytes = state
        .storage
        .get(&finsam_storage::key(tenant_id, &sha, "pdf"))
        .await?;
    let disposition = format!(
        "{}; filename=\"{}\"",
        if download { "attachment" } else { "inline" },
        file_name(&d, &v)
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// A ready version's PDF.
#[utoipa::path(get, path = "/api/v1/t/{slug}/versions/{version_id}/pdf", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("version_id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn pdf(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i64)>,
    Query(q): Query<PdfQuery>,
) -> Result<Response, ApiError> {
    Ok(pdf_response(&state, ctx.tenant_id(), path.1, q.download.is_some()).await?)
}
