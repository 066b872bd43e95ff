use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{ClientInfo, Tenant, perm};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use finsam_db::repo::{audit, yearfile};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The largest year file accepted.
pub const MAX_YEAR_FILE_BYTES: usize = 5 * 1024 * 1024;

#[derive(Serialize, ToSchema)]
pub struct ImportResponse {
    pub year: i32,
    #[schema(value_type = Object)]
    pub imported: yearfile::ImportSummary,
}

/// Reads a year file into the förbund: every problem is answered at once (422), and nothing is
/// written unless everything is.
pub async fn import_bytes(
    state: &AppState,
    tenant_id: i64,
    actor: i64,
    bytes: &[u8],
    client: &ClientInfo,
) -> Result<ImportResponse, AppError> {
    let file = finsam_core::yearfile::parse(bytes).map_err(AppError::problems)?;
    let txn = state.db.tenant(tenant_id).begin().await?;
    let imported = yearfile::import(&txn, tenant_id, &file).await?;
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: Some(tenant_id),
            actor_account_id: Some(actor),
            action: audit::action::YEAR_IMPORTED,
            detail: serde_json::json!({ "year": file.year, "bytes": bytes.len() }),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    Ok(ImportResponse {
        year: file.year,
        imported,
    })
}

/// Imports a year file (docs/year-file.md). At most 5 MiB.
#[utoipa::path(post, path = "/api/v1/t/{slug}/import", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body(content = Object, description = "A year file, format finsam-year/1"),
    responses((status = 200, body = ImportResponse), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<ImportResponse>, ApiError> {
    let bytes = body.map_err(|_| AppError::PayloadTooLarge)?;
    Ok(Json(
        import_bytes(&state, ctx.tenant_id(), ctx.account_id(), &bytes, &client).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    pub year: i32,
}

/// Exports one year as a year file.
#[utoipa::path(get, path = "/api/v1/t/{slug}/export", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ExportQuery),
    responses((status = 200, description = "A year file, format finsam-year/1", body = Object), (status = 404, body = ErrorBody)))]
pub async fn export(
    ctx: Tenant<perm::ReadAll>,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<finsam_core::yearfile::YearFile>, ApiError> {
    let Query(q) =
        query.map_err(|_| AppError::field("year", "Ange året, till exempel ?year=2024."))?;
    if !(2000..=2100).contains(&q.year) {
        return Err(AppError::field("year", "Året ska vara mellan 2000 och 2100.").into());
    }
    Ok(Json(
        yearfile::export(&ctx.db, ctx.tenant_id(), q.year).await?,
    ))
}
