//! Documents and their versions. A document is (tenant, kind, subject), where the subject is the year
//! (`2024`) or the meeting (`meeting:17`); a version is one immutable rendering of it. The PDF and the
//! input JSON live in object storage under keys of their SHA-256; the row keeps the hashes, the template's
//! hash, the typst version, the page count, the render time and the status (queued, rendering, ready,
//! failed with the error).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("documents")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(string_len("kind", 32))
                    .col(string_len("subject", 64))
                    .col(integer_null("year"))
                    .col(big_integer_null("meeting_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_documents_tenant")
                            .from("documents", "tenant_id")
                            .to("tenants", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_documents")
                    .table("documents")
                    .unique()
                    .col("tenant_id")
                    .col("kind")
                    .col("subject")
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("document_versions")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(big_integer("document_id"))
                    .col(integer("number"))
                    .col(string_len("status", 16))
                    .col(boolean("draft").default(false))
                    .col(text_null("draft_reason"))
                    .col(text_null("error"))
                    .col(integer("attempts").default(0))
                    .col(string_len_null("input_sha256", 64))
                    .col(string_len_null("pdf_sha256", 64))
                    .col(string_len_null("template_sha256", 64))
                    .col(string_len_null("typst_version", 16))
                    .col(integer_null("pages"))
                    .col(integer_null("render_ms"))
                    .col(big_integer_null("pdf_bytes"))
                    .col(big_integer_null("requested_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("started_at"))
                    .col(timestamp_with_time_zone_null("finished_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_document_versions_tenant")
                            .from("document_versions", "tenant_id")
                            .to("tenants", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_document_versions_document")
                            .from("document_versions", "document_id")
                            .to("documents", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_document_versions")
                    .table("document_versions")
                    .unique()
                    .col("document_id")
                    .col("number")
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_document_versions_status")
                    .table("document_versions")
                    .col("status")
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["document_versions", "documents"] {
            manager
                .drop_table(Table::drop().table(t).if_exists().take())
                .await?;
        }
        Ok(())
    }
}
