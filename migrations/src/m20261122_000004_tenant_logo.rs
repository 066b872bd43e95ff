//! The förbund's logo: the SHA-256 of the image kept in object storage, and its kind (png or svg).
//! Expand only: nullable columns, so the previous release keeps working.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("tenants")
                    .add_column(string_len_null("logo_sha256", 64))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("tenants")
                    .add_column(string_len_null("logo_kind", 8))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for c in ["logo_kind", "logo_sha256"] {
            manager
                .alter_table(Table::alter().table("tenants").drop_column(c).take())
                .await?;
        }
        Ok(())
    }
}
