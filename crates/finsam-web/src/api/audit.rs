use crate::error::{ApiError, ErrorBody};
use crate::extract::{Tenant, perm};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use finsam_db::repo::{audit, memberships};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct AuditEventOut {
    pub id: i64,
    /// RFC 3339 in Europe/Stockholm.
    pub at: String,
    pub action: String,
    pub actor_account_id: Option<i64>,
    pub detail: serde_json::Value,
    pub client_addr: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditResponse {
    pub events: Vec<AuditEventOut>,
}

pub fn stockholm_rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Stockholm)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// The förbund's audit log: its own events and the sign-ins of the people who hold a role in it.
#[utoipa::path(get, path = "/api/v1/t/{slug}/audit", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = AuditResponse), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Tenant<perm::ViewAuditLog>,
) -> Result<Json<AuditResponse>, ApiError> {
    let events = tenant_events(&state, ctx.tenant_id()).await?;
    Ok(Json(AuditResponse {
        events: events
            .into_iter()
            .map(|e| AuditEventOut {
                id: e.id,
                at: stockholm_rfc3339(e.created_at),
                action: e.action,
                actor_account_id: e.actor_account_id,
                detail: serde_json::from_str(&e.detail).unwrap_or_default(),
                client_addr: e.client_addr,
            })
            .collect(),
    }))
}

pub async fn tenant_events(
    state: &AppState,
    tenant_id: i64,
) -> Result<Vec<audit::AuditEvent>, ApiError> {
    let people: Vec<i64> = memberships::holders(&state.db.tenant(tenant_id), tenant_id)
        .await?
        .into_iter()
        .map(|h| h.account_id)
        .collect();
    // The members' sign-ins and password events belong to no förbund: a deliberate read across all,
    // of those accounts' account events only.
    Ok(audit::for_tenant(
        &state.db.tenant(tenant_id),
        &state.db.all_tenants(),
        tenant_id,
        &people,
        500,
    )
    .await?)
}
