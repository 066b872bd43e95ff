//! The yearly cycle starts the signing of what it rendered: each run remembers the round it started
//! (or why it could not), and a claim so that of several processes one starts it. Expand only:
//! nullable columns.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 3] = ["signing_round_id", "signing_claimed_at", "signing_note"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in [
            big_integer_null(COLUMNS[0]),
            timestamp_with_time_zone_null(COLUMNS[1]),
            text_null(COLUMNS[2]),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("schedule_runs")
                        .add_column(column)
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for c in COLUMNS {
            manager
                .alter_table(Table::alter().table("schedule_runs").drop_column(c).take())
                .await?;
        }
        Ok(())
    }
}
