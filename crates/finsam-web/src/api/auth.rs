use crate::error::{ApiError, ErrorBody};
use crate::extract::{Auth, ClientInfo};
use crate::service;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use finsam_db::repo::memberships;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct MembershipOut {
    /// The tenant's slug.
    pub tenant: String,
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires (at most 900).
    pub expires_in: i64,
    pub memberships: Vec<MembershipOut>,
}

async fn memberships_out(
    state: &AppState,
    account_id: i64,
) -> Result<Vec<MembershipOut>, ApiError> {
    Ok(
        memberships::for_account(&state.db.all_tenants(), account_id)
            .await?
            .into_iter()
            .map(|m| MembershipOut {
                tenant: m.tenant_slug,
                role: m.role.as_str().to_owned(),
            })
            .collect(),
    )
}

/// Signs in and answers a bearer token valid for at most 15 minutes.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    client: ClientInfo,
    crate::api::ApiJson(req): crate::api::ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let account = service::login(&state, &req.email, &req.password, &client).await?;
    let (access_token, expires_in) = service::access_token(&state, &account)?;
    Ok(Json(LoginResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in,
        memberships: memberships_out(&state, account.id).await?,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub is_platform_admin: bool,
    pub memberships: Vec<MembershipOut>,
}

/// The signed-in account and its memberships.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = MeResponse), (status = 401, body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, auth: Auth) -> Result<Json<MeResponse>, ApiError> {
    let a = &auth.account;
    Ok(Json(MeResponse {
        id: a.id,
        email: a.email.clone(),
        name: a.name.clone(),
        is_platform_admin: a.is_platform_admin,
        memberships: memberships_out(&state, a.id).await?,
    }))
}
