//! Row-level security on PostgreSQL, the backstop for tenant isolation: every tenant-owned table shows
//! and accepts only the rows of the transaction's förbund (`app.tenant_id`), or every row when the
//! transaction has said `app.all_tenants = 'on'` (the deliberate cross-tenant reads). FORCE applies the
//! policy to the tables' owner too. Both settings are made per transaction by `finsam_db::Scoped`.
//!
//! Expand only: the previous release does not set the tenant and would see nothing, so this release's
//! servers must be the ones serving once it has run (docs/operations.md, "Upgrade").
//! SQLite has no row-level security; there the application's filters are the only rule.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every table with a `tenant_id`, except `one_time_tokens` (an account's own secrets, found by their
/// hash before anyone is signed in to a förbund). `audit_events` and `outbox` also hold platform rows
/// (no förbund); those are visible only across all förbund.
pub const TENANT_TABLES: [&str; 22] = [
    "audit_events",
    "coach_reports",
    "distributions",
    "documents",
    "document_versions",
    "insatser",
    "insats_coaches",
    "meetings",
    "members",
    "memberships",
    "outbox",
    "people",
    "schedule_entries",
    "schedule_runs",
    "seats",
    "signing_events",
    "signing_links",
    "signing_rounds",
    "staff",
    "survey_definitions",
    "survey_results",
    "year_data",
];

/// The policy's condition, for USING and WITH CHECK alike.
const VISIBLE: &str = "(tenant_id = nullif(current_setting('app.tenant_id', true), '')::bigint \
     OR current_setting('app.all_tenants', true) = 'on')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for table in TENANT_TABLES {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
                 ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
                 CREATE POLICY tenant_isolation ON {table} USING {VISIBLE} WITH CHECK {VISIBLE};"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for table in TENANT_TABLES {
            db.execute_unprepared(&format!(
                "DROP POLICY IF EXISTS tenant_isolation ON {table};
                 ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
                 ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;"
            ))
            .await?;
        }
        Ok(())
    }
}
