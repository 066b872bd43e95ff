//! The förbund's logo on its documents: the kansli uploads a PNG or SVG (checked, at most 512 kB), kept
//! in object storage under its hash; every role of the förbund may fetch it.

use crate::api::yeardata::in_audited_txn;
use crate::error::{ApiError, AppError, ErrorBody, FieldError};
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
        ctx,
        client,
        audit::action::LOGO_SAVED,
        serde_json::json!({ "sha256": sha, "kind": kind.ext() }),
        async |txn| Ok(tenants::set_logo(txn, ctx.tenant_id(), Some((&sha, kind.ext()))).await?),
    )
    .await
}

pub async fn remove_logo(ctx: &TenantCtx, client: &ClientInfo) -> Result<(), AppError> {
    in_audited_txn(
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
pub async fn delete(ctx: Tenant<perm::Manage>, client: ClientInfo) -> Result<StatusCode, ApiError> {
    remove_logo(&ctx, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What the förbund's documents say about it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// The förbund's own organisationsnummer (`222000-1719`), or empty for none.
    pub orgnr: String,
    /// The sender name on the förbund's e-mail (`Samordningsförbundet Höglandet`), or empty for the
    /// platform's. The address stays the platform's (`FINSAM_MAIL_FROM`).
    pub mail_from_name: String,
    /// Where replies to the förbund's e-mail go (the kansli's address), or empty for none.
    pub mail_reply_to: String,
}

/// The longest sender name: what fits a mail client's list.
const MAX_FROM_NAME: usize = 80;

impl Profile {
    pub fn of(t: &finsam_db::entities::tenant::Model) -> Self {
        Profile {
            orgnr: t.orgnr.clone().unwrap_or_default(),
            mail_from_name: t.mail_from_name.clone().unwrap_or_default(),
            mail_reply_to: t.mail_reply_to.clone().unwrap_or_default(),
        }
    }
}

/// Checks and stores the förbund's profile.
pub async fn save_profile(
    ctx: &TenantCtx,
    client: &ClientInfo,
    p: &Profile,
) -> Result<Profile, AppError> {
    let mut problems = Vec::new();
    let orgnr = match p.orgnr.trim() {
        "" => None,
        o => finsam_core::OrgNr::parse(o)
            .map_err(|e| problems.push(FieldError::new("orgnr", e.0)))
            .ok(),
    };
    let from_name = p.mail_from_name.trim();
    if from_name.chars().count() > MAX_FROM_NAME {
        problems.push(FieldError::new(
            "mail_from_name",
            format!("Avsändarnamnet får vara högst {MAX_FROM_NAME} tecken."),
        ));
    } else if from_name.chars().any(char::is_control) {
        problems.push(FieldError::new(
            "mail_from_name",
            "Avsändarnamnet får inte innehålla radbrytningar eller styrtecken.",
        ));
    }
    let reply_to = match p.mail_reply_to.trim() {
        "" => None,
        r => finsam_core::EmailAddress::parse(r)
            .map_err(|e| problems.push(FieldError::new("mail_reply_to", e.0)))
            .ok(),
    };
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let from_name = (!from_name.is_empty()).then_some(from_name);
    let saved = Profile {
        orgnr: orgnr
            .as_ref()
            .map(|o| o.as_str().to_owned())
            .unwrap_or_default(),
        mail_from_name: from_name.unwrap_or_default().to_owned(),
        mail_reply_to: reply_to
            .as_ref()
            .map(|r| r.as_str().to_owned())
            .unwrap_or_default(),
    };
    let reply_to = reply_to.as_ref().map(|r| r.as_str());
    in_audited_txn(
        ctx,
        client,
        audit::action::PROFILE_SAVED,
        serde_json::json!({
            "orgnr": orgnr.as_ref().map(|o| o.as_str()),
            "mail_from_name": from_name,
            "mail_reply_to": reply_to,
        }),
        async |txn| {
            tenants::set_orgnr(txn, ctx.tenant_id(), orgnr.as_ref()).await?;
            Ok(tenants::set_mail_sender(txn, ctx.tenant_id(), from_name, reply_to).await?)
        },
    )
    .await?;
    Ok(saved)
}

/// The förbund's profile on its documents.
#[utoipa::path(get, path = "/api/v1/t/{slug}/profile", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = Profile)))]
pub async fn get_profile(ctx: Tenant<perm::ViewTenant>) -> axum::Json<Profile> {
    axum::Json(Profile::of(&ctx.tenant))
}

/// Changes the förbund's profile: all of it (a field left out is emptied). 422 names each field that
/// is wrong (`orgnr`, `mail_from_name`, `mail_reply_to`).
#[utoipa::path(put, path = "/api/v1/t/{slug}/profile", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = Profile,
    responses((status = 200, body = Profile), (status = 422, body = ErrorBody)))]
pub async fn put_profile(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    crate::api::ApiJson(p): crate::api::ApiJson<Profile>,
) -> Result<axum::Json<Profile>, ApiError> {
    Ok(axum::Json(save_profile(&ctx, &client, &p).await?))
}
