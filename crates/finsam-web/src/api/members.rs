use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{Tenant, perm};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use finsam_db::repo::members;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct MemberOut {
    pub id: i64,
    pub name: String,
    /// `kommun`, `region`, `forsakringskassan` or `arbetsformedlingen`.
    pub kind: String,
    /// NNNNNN-NNNN.
    pub organisationsnummer: String,
    /// Where documents are sent.
    pub registrator_emails: Vec<String>,
}

impl From<members::Member> for MemberOut {
    fn from(m: members::Member) -> Self {
        let registrator_emails = m
            .data
            .as_deref()
            .and_then(|d| serde_json::from_str::<finsam_core::yearfile::Member>(d).ok())
            .map(|d| d.registrator_emails.into_iter().map(String::from).collect())
            .unwrap_or_default();
        Self {
            id: m.id,
            name: m.name,
            kind: m.kind,
            organisationsnummer: m.orgnr,
            registrator_emails,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MembersResponse {
    pub members: Vec<MemberOut>,
}

/// The förbund's member organisations.
#[utoipa::path(get, path = "/api/v1/t/{slug}/members", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The förbund")),
    responses((status = 200, body = MembersResponse), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Tenant<perm::ViewTenant>,
) -> Result<Json<MembersResponse>, ApiError> {
    let rows = members::list(&state.db, ctx.tenant_id()).await?;
    Ok(Json(MembersResponse {
        members: rows.into_iter().map(MemberOut::from).collect(),
    }))
}

/// One member organisation.
#[utoipa::path(get, path = "/api/v1/t/{slug}/members/{member_id}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("member_id" = i64, Path)),
    responses((status = 200, body = MemberOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    ctx: Tenant<perm::ViewTenant>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<MemberOut>, ApiError> {
    let m = members::get(&state.db, ctx.tenant_id(), path.1)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(m.into()))
}
