//! The förbund's logo on its documents: the kansli uploads a PNG or SVG (checked, at most 512 kB), kept
//! in object storage under its hash; every role of the förbund may fetch it.

use crate::api::yeardata::in_audited_txn;
use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use finsam_db::repo::{audit, tenants};
use finsam_documents::logo::{self, LogoKind};
use sha2::{Digest, Sha256};

/// Checks and keeps a new logo (replacing the old one).
pub async fn save_logo(
    state: &AppState,
    ctx: &TenantCtx,
    client: &ClientInfo,
    bytes: Vec<u8>,
) -> Result<(), AppError> {
    let check_bytes = bytes.clone();
    let kind = tokio::task::spawn_blocking(move || logo::check(&check_bytes))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?
        .map_err(|m| AppError::field("file", &m))?;
    let sha = hex::encode(Sha256::digest(&bytes));
    state
        .storage
        .put_once(
            &finsam_storage::key(ctx.tenant_id(), &sha, kind.ext()),
            bytes,
        )
        .await?;
    in_audited_txn(
        state,
        ctx,
        client,
        audit::action::LOGO_SAVED,
        serde_json::json!({ "sha256": sha, "kind": kind.ext() }),
        async |txn| Ok(tenants::set_logo(txn, ctx.tenant_id(), Some((&sha, kind.ext()))).await?),
    )
    .await
}

pub async fn remove_logo(
    state: &AppState,
    ctx: &TenantCtx,
    client: &ClientInfo,
) -> Result<(), AppError> {
    in_audited_txn(
        state,
        ctx,
        client,
        audit::action::LOGO_SAVED,
        serde_json::json!({ "removed": true }),
        async |txn| Ok(tenants::set_logo(txn, ctx.tenant_id(), None).await?),
    )
    .await
}

/// The stored logo of a tenant: its kind and bytes.
pub async fn load(
    state: &AppState,
    tenant: &tenants::Tenant,
) -> Result<Option<(LogoKind, Vec<u8>)>, AppError> {
    let (Some(sha), Some(kind)) = (&tenant.logo_sha256, tenant.logo_kind.as_deref()) else {
        return Ok(None);
    };
    let kind = LogoKind::parse(kind).ok_or(AppError::NotFound)?;
    let bytes = state
        .storage
        .get(&finsam_storage::key(tenant.id, sha, kind.ext()))
        .await?;
    Ok(Some((kind, bytes)))
}

/// The förbund's logo (204 when it has none).
#[utoipa::path(get, path = "/api/v1/t/{slug}/logo", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses((status = 200, content_type = "image/png"), (status = 204), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    ctx: Tenant<perm::ViewTenant>,
) -> Result<Response, ApiError> {
    Ok(match load(&state, &ctx.tenant).await? {
        Some((kind, bytes)) => (
            [
                (header::CONTENT_TYPE, kind.content_type()),
                (header::CACHE_CONTROL, "private, max-age=300"),
                // An SVG shown on its own runs no script and loads nothing.
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; style-src 'unsafe-inline'",
                ),
            ],
            bytes,
        )
            .into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

/// Replaces the förbund's logo: the body is the PNG or SVG file itself.
#[utoipa::path(put, path = "/api/v1/t/{slug}/logo", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body(content = Vec<u8>, content_type = "image/png"),
    responses((status = 204), (status = 422, body = ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    body: axum::body::Bytes,
) -> Result<StatusCode, ApiError> {
    save_logo(&state, &ctx, &client, body.to_vec()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes the förbund's logo.
#[utoipa::path(delete, path = "/api/v1/t/{slug}/logo", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 204)))]
pub async fn delete(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
) -> Result<StatusCode, ApiError> {
    remove_logo(&state, &ctx, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What the förbund's documents say about it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// The förbund's own organisationsnummer (`222000-1719`), or empty for none.
    pub orgnr: String,
}

/// Checks and stores the förbund's profile.
pub async fn save_profile(
    state: &AppState,
    ctx: &TenantCtx,
    client: &ClientInfo,
    p: &Profile,
) -> Result<Profile, AppError> {
    let orgnr = match p.orgnr.trim() {
        "" => None,
        o => Some(finsam_core::OrgNr::parse(o).map_err(|e| AppError::field("orgnr", e.0))?),
    };
    in_audited_txn(
        state,
        ctx,
        client,
        audit::action::PROFILE_SAVED,
        serde_json::json!({ "orgnr": orgnr.as_ref().map(|o| o.as_str()) }),
        async |txn| Ok(tenants::set_orgnr(txn, ctx.tenant_id(), orgnr.as_ref()).await?),
    )
    .await?;
    Ok(Profile {
        orgnr: orgnr.map(|o| o.as_str().to_owned()).unwrap_or_default(),
    })
}

/// The förbund's profile on its documents.
#[utoipa::path(get, path = "/api/v1/t/{slug}/profile", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = Profile)))]
pub async fn get_profile(ctx: Tenant<perm::ViewTenant>) -> axum::Json<Profile> {
    axum::Json(Profile {
        orgnr: ctx.tenant.orgnr.clone().unwrap_or_default(),
    })
}

/// Changes the förbund's profile (422 naming `orgnr` for a number that is not one).
#[utoipa::path(put, path = "/api/v1/t/{slug}/profile", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = Profile,
    responses((status = 200, body = Profile), (status = 422, body = ErrorBody)))]
pub async fn put_profile(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    crate::api::ApiJson(p): crate::api::ApiJson<Profile>,
) -> Result<axum::Json<Profile>, ApiError> {
    Ok(axum::Json(save_profile(&state, &ctx, &client, &p).await?))
}
