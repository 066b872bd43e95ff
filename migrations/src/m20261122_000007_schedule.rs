//! The yearly cycle (årshjul). `schedule_entries` holds each förbund's dates: one row per kind
//! (årsredovisning, delårsrapport, verksamhetsplan) with the day it runs, whether it is on, and the
//! deadline it announces (signing, or the styrelse's decision). `schedule_runs` records what ran: one row
//! per (tenant, kind, year), and that unique key is what makes a run happen once however many processes
//! tick and however often they restart. Expand only: two new tables.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("schedule_entries")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(string_len("kind", 32))
                    .col(integer("month"))
                    .col(integer("day"))
                    .col(boolean("enabled").default(true))
                    .col(integer_null("due_month"))
                    .col(integer_null("due_day"))
                    .col(big_integer_null("updated_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_schedule_entries_tenant")
                            .from("schedule_entries", "tenant_id")
                            .to("tenants", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_schedule_entries")
                    .table("schedule_entries")
                    .unique()
                    .col("tenant_id")
                    .col("kind")
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("schedule_runs")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(string_len("kind", 32))
                    .col(integer("year"))
                    // rendered, missing_data, skipped_not_required or failed.
                    .col(string_len("outcome", 32))
                    .col(text_null("detail"))
                    .col(big_integer_null("version_id"))
                    // schedule or manual.
                    .col(string_len("trigger", 16))
                    .col(big_integer_null("requested_by"))
                    // The deadline announced with the run (signing, or the styrelse's decision).
                    .col(date_null("due_on"))
                    .col(integer("attempts").default(1))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_schedule_runs_tenant")
                            .from("schedule_runs", "tenant_id")
                            .to("tenants", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_schedule_runs_version")
                            .from("schedule_runs", "version_id")
                            .to("document_versions", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_schedule_runs")
                    .table("schedule_runs")
                    .unique()
                    .col("tenant_id")
                    .col("kind")
                    .col("year")
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["schedule_runs", "schedule_entries"] {
            manager
                .drop_table(Table::drop().table(t).if_exists().take())
                .await?;
        }
        Ok(())
    }
}
