//! A year's texts and settings, read by everyone who reads everything and written by the kansli.

use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use axum::Json;
use axum::extract::Path;
use finsam_core::yearfile::{self, Settings};
use finsam_db::repo::{audit, yearfile as repo};
use std::collections::BTreeMap;

/// Runs `write` and the audit row of a year-data change in one transaction.
pub(crate) async fn audited(
    ctx: &TenantCtx,
    client: &ClientInfo,
    what: &str,
    year: i32,
    write: impl AsyncFnOnce(&finsam_db::DatabaseTransaction) -> Result<(), AppError>,
) -> Result<(), AppError> {
    in_audited_txn(
        ctx,
        client,
        audit::action::YEAR_DATA_SAVED,
        serde_json::json!({ "year": year, "what": what }),
        write,
    )
    .await
}

/// Runs `write` and its audit row (`action`, `detail`) in one transaction: both or neither.
pub(crate) async fn in_audited_txn<T>(
    ctx: &TenantCtx,
    client: &ClientInfo,
    action: &str,
    detail: serde_json::Value,
    write: impl AsyncFnOnce(&finsam_db::DatabaseTransaction) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let txn = ctx.db.begin().await?;
    let out = write(&txn).await?;
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: Some(ctx.tenant_id()),
            actor_account_id: Some(ctx.account_id()),
            action,
            detail,
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    Ok(out)
}

/// Checks and stores the year's texts (keys as in the year file; an empty text is removed).
pub async fn save_texts(
    ctx: &TenantCtx,
    year: i32,
    texts: BTreeMap<String, String>,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let p = yearfile::text_problems(&texts);
    if !p.is_empty() {
        return Err(AppError::problems(p));
    }
    audited(ctx, client, "texts", year, async |txn| {
        Ok(repo::set_texts(txn, ctx.tenant_id(), year, &texts).await?)
    })
    .await
}

pub async fn save_settings(
    ctx: &TenantCtx,
    year: i32,
    settings: Settings,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let p = yearfile::settings_problems(&settings);
    if !p.is_empty() {
        return Err(AppError::problems(p));
    }
    audited(ctx, client, "settings", year, async |txn| {
        Ok(repo::set_settings(txn, ctx.tenant_id(), year, &settings).await?)
    })
    .await
}

/// The årsredovisning's texts of the year, by key, in the Markdown subset.
#[utoipa::path(get, path = "/api/v1/t/{slug}/years/{year}/texts", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("year" = i32, Path)), responses((status = 200, body = Object)))]
pub async fn texts(
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i32)>,
) -> Result<Json<BTreeMap<String, String>>, ApiError> {
    Ok(Json(
        repo::texts(&ctx.db, ctx.tenant_id(), crate::api::year_param(path.1)?).await?,
    ))
}

/// Replaces the year's texts.
#[utoipa::path(put, path = "/api/v1/t/{slug}/years/{year}/texts", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("year" = i32, Path)), request_body = Object,
    responses((status = 200, body = Object), (status = 422, body = ErrorBody)))]
pub async fn put_texts(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i32)>,
    crate::api::ApiJson(texts): crate::api::ApiJson<BTreeMap<String, String>>,
) -> Result<Json<BTreeMap<String, String>>, ApiError> {
    let year = crate::api::year_param(path.1)?;
    save_texts(&ctx, year, texts, &client).await?;
    Ok(Json(repo::texts(&ctx.db, ctx.tenant_id(), year).await?))
}

/// The year's settings: socioekonomi amounts, eget kapital brackets and reading, delårsrapport.
#[utoipa::path(get, path = "/api/v1/t/{slug}/years/{year}/settings", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("year" = i32, Path)), responses((status = 200, body = Object)))]
pub async fn settings(
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i32)>,
) -> Result<Json<Settings>, ApiError> {
    Ok(Json(
        repo::settings(&ctx.db, ctx.tenant_id(), crate::api::year_param(path.1)?).await?,
    ))
}

/// Replaces the year's settings.
#[utoipa::path(put, path = "/api/v1/t/{slug}/years/{year}/settings", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("year" = i32, Path)), request_body = Object,
    responses((status = 200, body = Object), (status = 422, body = ErrorBody)))]
pub async fn put_settings(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i32)>,
    crate::api::ApiJson(settings): crate::api::ApiJson<Settings>,
) -> Result<Json<Settings>, ApiError> {
    let year = crate::api::year_param(path.1)?;
    save_settings(&ctx, year, settings.clone(), &client).await?;
    Ok(Json(settings))
}
