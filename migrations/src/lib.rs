//! Schema migrations for SQLite and PostgreSQL. Each migration must keep working while the previous
//! release still serves (expand, then contract in a later release): see migrations/README.md.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_foundation;
mod m20261122_000002_year_data;
mod m20261122_000003_documents;
mod m20261122_000004_tenant_logo;
mod m20261122_000005_tenant_orgnr;
mod m20261122_000006_signing;
mod m20261122_000007_schedule;
mod m20261122_000008_schedule_signing;
mod m20261122_000009_row_level_security;

pub use m20261122_000009_row_level_security::TENANT_TABLES;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_year_data::Migration),
            Box::new(m20261122_000003_documents::Migration),
            Box::new(m20261122_000004_tenant_logo::Migration),
            Box::new(m20261122_000005_tenant_orgnr::Migration),
            Box::new(m20261122_000006_signing::Migration),
            Box::new(m20261122_000007_schedule::Migration),
            Box::new(m20261122_000008_schedule_signing::Migration),
            Box::new(m20261122_000009_row_level_security::Migration),
        ]
    }
}
