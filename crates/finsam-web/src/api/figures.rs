//! Figures computed from a year's data by the rules in `finsam_core::finance`: key figures with every
//! check, and the budget with its roll-forward.

use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{Tenant, perm};
use axum::Json;
use axum::extract::Path;
use finsam_core::finance::budget::BudgetFigures;
use finsam_core::finance::key_figures::KeyFigures;
use finsam_db::repo::yearfile;

/// The year's key figures (öre; percentages with one decimal) and every check, passing or not.
#[utoipa::path(get, path = "/api/v1/t/{slug}/years/{year}/key-figures", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("year" = i32, Path)),
    responses((status = 200, description = "Key figures, checks and socioekonomisk effekt", body = Object), (status = 404, body = ErrorBody)))]
pub async fn key_figures(
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i32)>,
) -> Result<Json<KeyFigures>, ApiError> {
    crate::api::year_param(path.1)?;
    let file = yearfile::export(&ctx.db, ctx.tenant_id(), path.1).await?;
    Ok(Json(KeyFigures::from_year_file(&file)))
}

/// The budget of the year and its two plan years, with the roll-forward of balanserat resultat and
/// each member's contribution.
#[utoipa::path(get, path = "/api/v1/t/{slug}/budgets/{year}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("year" = i32, Path)),
    responses((status = 200, description = "Budget years and contributions", body = Object), (status = 404, body = ErrorBody)))]
pub async fn budget(
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i32)>,
) -> Result<Json<BudgetFigures>, ApiError> {
    crate::api::year_param(path.1)?;
    let file = yearfile::export(&ctx.db, ctx.tenant_id(), path.1).await?;
    Ok(Json(
        BudgetFigures::from_year_file(&file).ok_or(AppError::NotFound)?,
    ))
}
