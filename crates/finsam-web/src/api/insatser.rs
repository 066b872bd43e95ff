use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{Tenant, perm};
use axum::Json;
use axum::extract::Path;
use finsam_db::repo::insatser;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct InsatsOut {
    pub id: i64,
    pub name: String,
    /// `individinriktad` or `strukturovergripande`.
    pub kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct InsatserResponse {
    pub insatser: Vec<InsatsOut>,
}

fn out(i: insatser::Insats) -> InsatsOut {
    InsatsOut {
        id: i.id,
        name: i.name,
        kind: i.kind,
    }
}

/// The insatser the caller may see: all of them, or for a coach those they are attached to.
#[utoipa::path(get, path = "/api/v1/t/{slug}/insatser", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = InsatserResponse), (status = 404, body = ErrorBody)))]
pub async fn list(ctx: Tenant<perm::ViewTenant>) -> Result<Json<InsatserResponse>, ApiError> {
    let rows = insatser::list(&ctx.db, ctx.tenant_id(), ctx.insats_visibility()).await?;
    Ok(Json(InsatserResponse {
        insatser: rows.into_iter().map(out).collect(),
    }))
}

/// One insats; 404 for a coach who is not attached to it.
#[utoipa::path(get, path = "/api/v1/t/{slug}/insatser/{insats_id}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("insats_id" = i64, Path)), responses((status = 200, body = InsatsOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    ctx: Tenant<perm::ViewTenant>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<InsatsOut>, ApiError> {
    let i = insatser::get(&ctx.db, ctx.tenant_id(), path.1, ctx.insats_visibility())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(out(i)))
}
