use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{ClientInfo, PlatformAdmin};
use crate::service;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use finsam_core::Role;
use finsam_db::repo::{accounts, tenants};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct TenantOut {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

fn tenant_out(t: tenants::Tenant) -> TenantOut {
    TenantOut {
        id: t.id,
        slug: t.slug,
        name: t.name,
    }
}

/// Every förbund on the platform.
#[utoipa::path(get, path = "/api/v1/admin/tenants", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = [TenantOut]), (status = 403, body = ErrorBody)))]
pub async fn tenants(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
) -> Result<Json<Vec<TenantOut>>, ApiError> {
    Ok(Json(
        tenants::list(state.db.platform())
            .await?
            .into_iter()
            .map(tenant_out)
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateTenantRequest {
    pub slug: String,
    pub name: String,
}

/// Adds a förbund.
#[utoipa::path(post, path = "/api/v1/admin/tenants", tag = "admin", security(("bearer" = [])), request_body = CreateTenantRequest,
    responses((status = 201, body = TenantOut), (status = 422, body = ErrorBody)))]
pub async fn create_tenant(
    State(state): State<AppState>,
    PlatformAdmin(admin): PlatformAdmin,
    client: ClientInfo,
    crate::api::ApiJson(req): crate::api::ApiJson<CreateTenantRequest>,
) -> Result<(StatusCode, Json<TenantOut>), ApiError> {
    let t = service::create_tenant(&state, &admin, &req.slug, &req.name, &client)
        .await
        .map_err(|e| match e {
            // The API names the field as it is called in the request.
            AppError::Validation(mut f) => {
                f.iter_mut()
                    .filter(|f| f.path == "tenant_name")
                    .for_each(|f| f.path = "name".into());
                AppError::Validation(f)
            }
            other => other,
        })?;
    Ok((StatusCode::CREATED, Json(tenant_out(t))))
}

#[derive(Deserialize, ToSchema)]
pub struct InviteRequest {
    /// The förbund's slug.
    pub tenant: String,
    pub name: String,
    pub email: String,
}

#[derive(Serialize, ToSchema)]
pub struct InviteResponse {
    pub account_id: i64,
}

/// Invites a förbund's kansli by e-mail.
#[utoipa::path(post, path = "/api/v1/admin/invitations", tag = "admin", security(("bearer" = [])), request_body = InviteRequest,
    responses((status = 201, body = InviteResponse), (status = 422, body = ErrorBody)))]
pub async fn invite(
    State(state): State<AppState>,
    PlatformAdmin(admin): PlatformAdmin,
    client: ClientInfo,
    crate::api::ApiJson(req): crate::api::ApiJson<InviteRequest>,
) -> Result<(StatusCode, Json<InviteResponse>), ApiError> {
    let tenant = tenants::by_slug(state.db.platform(), &req.tenant)
        .await?
        .ok_or_else(|| AppError::field("tenant", "Förbundet finns inte."))?;
    let account = service::invite(
        &state,
        service::Invite {
            inviter: &admin.account,
            tenant: &tenant,
            role: Role::Kansli,
            name: &req.name,
            email: &req.email,
        },
        &client,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(InviteResponse {
            account_id: account.id,
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct AccountOut {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub is_platform_admin: bool,
    pub disabled: bool,
    pub has_password: bool,
}

/// Every account on the platform.
#[utoipa::path(get, path = "/api/v1/admin/accounts", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = [AccountOut]), (status = 403, body = ErrorBody)))]
pub async fn accounts(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
) -> Result<Json<Vec<AccountOut>>, ApiError> {
    Ok(Json(
        accounts::list(state.db.platform())
            .await?
            .into_iter()
            .map(|a| AccountOut {
                id: a.id,
                email: a.email,
                name: a.name,
                is_platform_admin: a.is_platform_admin,
                disabled: a.disabled,
                has_password: a.password_hash.is_some(),
            })
            .collect(),
    ))
}
