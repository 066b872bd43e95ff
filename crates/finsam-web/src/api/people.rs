use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{ClientInfo, Tenant, perm};
use crate::service;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use finsam_core::Role;
use finsam_db::repo::memberships;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct PersonOut {
    pub account_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub disabled: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PeopleResponse {
    pub people: Vec<PersonOut>,
}

/// Who holds which role in the förbund.
#[utoipa::path(get, path = "/api/v1/t/{slug}/people", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = PeopleResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(ctx: Tenant<perm::ViewPeople>) -> Result<Json<PeopleResponse>, ApiError> {
    let people = memberships::holders(&ctx.db, ctx.tenant_id())
        .await?
        .into_iter()
        .map(|h| PersonOut {
            account_id: h.account_id,
            name: h.name,
            email: h.email,
            role: h.role.as_str().into(),
            disabled: h.disabled,
        })
        .collect();
    Ok(Json(PeopleResponse { people }))
}

#[derive(Deserialize, ToSchema)]
pub struct GrantRequest {
    pub name: String,
    pub email: String,
    /// `kansli`, `styrelse`, `beredningsgrupp` or `coach`.
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct GrantResponse {
    pub account_id: i64,
}

pub fn parse_role(s: &str) -> Result<Role, AppError> {
    Role::parse(s).ok_or_else(|| {
        AppError::field(
            "role",
            "Rollen ska vara kansli, styrelse, beredningsgrupp eller coach.",
        )
    })
}

/// Gives a person a role, inviting them by e-mail when they have no account yet.
#[utoipa::path(post, path = "/api/v1/t/{slug}/memberships", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = GrantRequest,
    responses((status = 201, body = GrantResponse), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn grant(
    State(state): State<AppState>,
    ctx: Tenant<perm::ManageMemberships>,
    client: ClientInfo,
    crate::api::ApiJson(req): crate::api::ApiJson<GrantRequest>,
) -> Result<(StatusCode, Json<GrantResponse>), ApiError> {
    let role = parse_role(&req.role)?;
    let account = service::invite(
        &state,
        service::Invite {
            inviter: &ctx.auth.account,
            tenant: &ctx.tenant,
            role,
            name: &req.name,
            email: &req.email,
        },
        &client,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(GrantResponse {
            account_id: account.id,
        }),
    ))
}

/// Takes a role away.
#[utoipa::path(delete, path = "/api/v1/t/{slug}/memberships/{account_id}/{role}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("account_id" = i64, Path), ("role" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    ctx: Tenant<perm::ManageMemberships>,
    client: ClientInfo,
    Path(path): Path<(String, i64, String)>,
) -> Result<StatusCode, ApiError> {
    let role = Role::parse(&path.2).ok_or(AppError::NotFound)?;
    service::revoke_role(&state, &ctx.auth, ctx.tenant_id(), path.1, role, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}
