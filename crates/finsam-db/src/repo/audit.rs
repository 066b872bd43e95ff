//! The append-only audit log (the database refuses updates and deletes).

use crate::Result;
use crate::entities::audit_event;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

pub use audit_event::Model as AuditEvent;

/// Stable action names; the UI translates them.
pub mod action {
    pub const LOGIN: &str = "login";
    pub const LOGIN_FAILED: &str = "login_failed";
    pub const LOGOUT: &str = "logout";
    pub const PASSWORD_CHANGED: &str = "password_changed";
    pub const PASSWORD_RESET_REQUESTED: &str = "password_reset_requested";
    pub const PASSWORD_RESET: &str = "password_reset";
    pub const INVITATION_SENT: &str = "invitation_sent";
    pub const INVITATION_ACCEPTED: &str = "invitation_accepted";
    pub const ROLE_GRANTED: &str = "role_granted";
    pub const ROLE_REVOKED: &str = "role_revoked";
    pub const TENANT_CREATED: &str = "tenant_created";
    pub const ACCOUNT_DISABLED: &str = "account_disabled";
    pub const ACCOUNT_ENABLED: &str = "account_enabled";
    pub const YEAR_IMPORTED: &str = "year_imported";
    pub const REPORT_SAVED: &str = "report_saved";
    pub const MEMBER_SAVED: &str = "member_saved";
    pub const YEAR_DATA_SAVED: &str = "year_data_saved";
    pub const SEATS_SAVED: &str = "seats_saved";
    pub const INSATS_SAVED: &str = "insats_saved";
    pub const MEETING_SAVED: &str = "meeting_saved";
    pub const SURVEY_SAVED: &str = "survey_saved";
    pub const SURVEY_RESULT_SAVED: &str = "survey_result_saved";
    pub const DOCUMENT_REQUESTED: &str = "document_requested";
    pub const LOGO_SAVED: &str = "logo_saved";
    pub const PROFILE_SAVED: &str = "profile_saved";
    pub const REPORT_SUBMITTED: &str = "report_submitted";
    pub const REPORT_APPROVED: &str = "report_approved";
    pub const REPORT_RETURNED: &str = "report_returned";
    pub const SIGNING_STARTED: &str = "signing_started";
    pub const DOCUMENT_DISTRIBUTED: &str = "document_distributed";
    /// The dates, deadlines or on/off of the yearly schedule were changed.
    pub const SCHEDULE_SAVED: &str = "schedule_saved";
    /// "Kör nu": a scheduled run asked for by hand.
    pub const SCHEDULE_RUN: &str = "schedule_run";
    /// Every action, for the check that each has its Swedish label.
    pub const ALL: &[&str] = &[
        LOGIN,
        LOGIN_FAILED,
        LOGOUT,
        PASSWORD_CHANGED,
        PASSWORD_RESET_REQUESTED,
        PASSWORD_RESET,
        INVITATION_SENT,
        INVITATION_ACCEPTED,
        ROLE_GRANTED,
        ROLE_REVOKED,
        TENANT_CREATED,
        ACCOUNT_DISABLED,
        ACCOUNT_ENABLED,
        YEAR_IMPORTED,
        REPORT_SAVED,
        MEMBER_SAVED,
        YEAR_DATA_SAVED,
        SEATS_SAVED,
        INSATS_SAVED,
        MEETING_SAVED,
        SURVEY_SAVED,
        SURVEY_RESULT_SAVED,
        DOCUMENT_REQUESTED,
        LOGO_SAVED,
        PROFILE_SAVED,
        REPORT_SUBMITTED,
        REPORT_APPROVED,
        REPORT_RETURNED,
        SIGNING_STARTED,
        DOCUMENT_DISTRIBUTED,
        SCHEDULE_SAVED,
        SCHEDULE_RUN,
    ];
}

pub struct NewEvent<'a> {
    pub tenant_id: Option<i64>,
    pub actor_account_id: Option<i64>,
    pub action: &'a str,
    pub detail: serde_json::Value,
    pub client_addr: Option<String>,
}

pub async fn record<C: ConnectionTrait>(db: &C, e: NewEvent<'_>) -> Result<()> {
    let row = audit_event::ActiveModel {
        tenant_id: Set(e.tenant_id),
        actor_account_id: Set(e.actor_account_id),
        action: Set(e.action.to_owned()),
        detail: Set(e.detail.to_string()),
        client_addr: Set(e.client_addr),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    row.insert(db).await?;
    Ok(())
}

/// Account-level actions (no tenant) that a förbund's kansli sees for the people holding roles there.
const ACCOUNT_ACTIONS: [&str; 6] = [
    action::LOGIN,
    action::LOGIN_FAILED,
    action::LOGOUT,
    action::PASSWORD_CHANGED,
    action::PASSWORD_RESET_REQUESTED,
    action::PASSWORD_RESET,
];

/// The newest events of one tenant, with the sign-ins and password events of `people` (its role holders).
/// Those belong to no förbund, so they are read on `accounts_db` (on PostgreSQL a scope that sees rows
/// without a förbund: across all of them), the förbund's own on `db`.
pub async fn for_tenant<C: ConnectionTrait, P: ConnectionTrait>(
    db: &C,
    accounts_db: &P,
    tenant_id: i64,
    people: &[i64],
    limit: u64,
) -> Result<Vec<AuditEvent>> {
    let mut rows = audit_event::Entity::find()
        .filter(audit_event::Column::TenantId.eq(tenant_id))
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    rows.extend(
        audit_event::Entity::find()
            .filter(audit_event::Column::TenantId.is_null())
            .filter(audit_event::Column::ActorAccountId.is_in(people.iter().copied()))
            .filter(audit_event::Column::Action.is_in(ACCOUNT_ACTIONS))
            .order_by_desc(audit_event::Column::Id)
            .limit(limit)
            .all(accounts_db)
            .await?,
    );
    rows.sort_by_key(|r| std::cmp::Reverse(r.id));
    rows.truncate(limit as usize);
    Ok(rows)
}

/// The newest events of the whole platform, for the platform admin.
pub async fn all<C: ConnectionTrait>(db: &C, limit: u64) -> Result<Vec<AuditEvent>> {
    Ok(audit_event::Entity::find()
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
