//! The förbund's year data: people, organisation, insatser, coach reports, survey results, the year's
//! accounts, budget, settings and texts, and meetings.
//!
//! Each record keeps its identity in columns (tenant, key, year …), which carry the unique keys and
//! the lookups, and its content as the year file's JSON for that record in `data`. The year file
//! (finsam-core's `yearfile`) is the one definition of that content, so import and export cannot drift
//! apart from the schema. `position` keeps the order the kansli gave.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn tenant_fk(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_tenant"))
        .from(table, "tenant_id")
        .to("tenants", "id")
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

fn unique(name: &str, table: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create().name(name).table(table).unique().take();
    for c in cols {
        idx.col(*c);
    }
    idx
}

/// A table with id, tenant_id, position, data and the given identity columns.
async fn record_table(
    manager: &SchemaManager<'_>,
    table: &'static str,
    columns: Vec<ColumnDef>,
    unique_cols: &[&'static str],
) -> Result<(), DbErr> {
    let mut t = Table::create()
        .table(table)
        .col(big_pk_auto("id"))
        .col(big_integer("tenant_id"))
        .take();
    for mut c in columns {
        t.col(&mut c);
    }
    t.col(integer("position").default(0))
        .col(text("data"))
        .foreign_key(&mut tenant_fk(table));
    manager.create_table(t).await?;
    let mut cols = vec!["tenant_id"];
    cols.extend_from_slice(unique_cols);
    manager
        .create_index(unique(&format!("ux_{table}"), table, &cols))
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Expand the foundation's tables: nullable key and data, so rows made before keep working.
        for (table, index) in [
            ("members", "ux_members_key"),
            ("insatser", "ux_insatser_key"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(string_len_null("key", 100))
                        .take(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(integer("position").default(0))
                        .take(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(text_null("data"))
                        .take(),
                )
                .await?;
            manager
                .create_index(unique(index, table, &["tenant_id", "key"]))
                .await?;
        }

        record_table(
            manager,
            "people",
            vec![
                string_len("key", 100),
                string("name"),
                string_len_null("email", 254),
            ],
            &["key"],
        )
        .await?;
        record_table(
            manager,
            "seats",
            vec![
                string_len("body", 32),
                string_len("person_key", 100),
                string_len("member_key", 100),
                date_null("from_date"),
                date_null("to_date"),
            ],
            &["body", "position"],
        )
        .await?;
        record_table(
            manager,
            "staff",
            vec![string_len("person_key", 100)],
            &["position"],
        )
        .await?;
        record_table(
            manager,
            "coach_reports",
            vec![
                string_len("insats_key", 100),
                // The kommun's member key, or '' for a report covering the whole insats.
                string_len("scope", 100),
                integer("year"),
                string_len("period", 16),
                string_len("status", 16),
            ],
            &["insats_key", "scope", "year", "period"],
        )
        .await?;
        record_table(
            manager,
            "survey_definitions",
            vec![string_len("key", 100)],
            &["key"],
        )
        .await?;
        record_table(
            manager,
            "survey_results",
            vec![
                string_len("insats_key", 100),
                integer("year"),
                string_len("survey_key", 100),
            ],
            &["insats_key", "year", "survey_key"],
        )
        .await?;
        // One row per (year, kind): accounts, budget, settings, texts.
        record_table(
            manager,
            "year_data",
            vec![integer("year"), string_len("kind", 32)],
            &["year", "kind"],
        )
        .await?;
        record_table(
            manager,
            "meetings",
            vec![
                string_len("key", 100),
                date("meeting_date"),
                string_len("kind", 32),
            ],
            &["key"],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "meetings",
            "year_data",
            "survey_results",
            "survey_definitions",
            "coach_reports",
            "staff",
            "seats",
            "people",
        ] {
            manager
                .drop_table(Table::drop().table(t).if_exists().take())
                .await?;
        }
        for (table, index) in [
            ("members", "ux_members_key"),
            ("insatser", "ux_insatser_key"),
        ] {
            manager
                .drop_index(Index::drop().name(index).table(table).to_owned())
                .await?;
            for c in ["data", "position", "key"] {
                manager
                    .alter_table(Table::alter().table(table).drop_column(c).take())
                    .await?;
            }
        }
        Ok(())
    }
}
