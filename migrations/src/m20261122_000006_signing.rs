//! Signing by e-mail: rounds (the round's state as JSON, with a revision for compare-and-set), the link
//! index (token hash → round and signer), the audit trail of each round, distribution of sealed
//! documents, and what the outbox needs for them (an attachment, the tenant's sender name and
//! reply-to). Expand only: new tables and nullable columns, so the previous release keeps working.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("signing_rounds")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(big_integer("document_id"))
                    .col(big_integer("version_id"))
                    .col(string_len_uniq("reference", 16))
                    .col(string_len("status", 16))
                    .col(text("state"))
                    .col(integer("revision").default(0))
                    .col(timestamp_with_time_zone("ends_at"))
                    .col(boolean("auto_distribute").default(false))
                    .col(big_integer_null("previous_round_id"))
                    .col(big_integer_null("sealed_version_id"))
                    .col(string_len_null("sealed_sha256", 64))
                    .col(big_integer_null("started_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .take(),
            )
            .await?;
        for (name, cols) in [
            (
                "ix_signing_rounds_version",
                &["tenant_id", "version_id"][..],
            ),
            ("ix_signing_rounds_status", &["status"][..]),
            ("ix_signing_rounds_sealed", &["sealed_sha256"][..]),
        ] {
            let mut ix = Index::create();
            ix.name(name).table("signing_rounds");
            for c in cols {
                ix.col(*c);
            }
            manager.create_index(ix.take()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("signing_links")
                    .col(string_len("token_hash", 64).primary_key())
                    .col(big_integer("tenant_id"))
                    .col(big_integer("round_id"))
                    .col(integer("signer"))
                    .col(timestamp_with_time_zone("created_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("signing_events")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(big_integer("round_id"))
                    .col(string_len("kind", 32))
                    .col(integer_null("signer"))
                    .col(text("detail"))
                    .col(timestamp_with_time_zone("at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_signing_events_round")
                    .table("signing_events")
                    .col("round_id")
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("distributions")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(big_integer("version_id"))
                    .col(string_len("recipient", 254))
                    .col(string_null("recipient_name"))
                    .col(string_len("delivery", 16))
                    .col(string_len_null("link_hash", 64))
                    .col(timestamp_with_time_zone_null("link_expires_at"))
                    .col(string_len("outbox_key", 128))
                    .col(big_integer_null("requested_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_distributions_recipient")
                    .table("distributions")
                    .col("version_id")
                    .col("recipient")
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_distributions_link")
                    .table("distributions")
                    .col("link_hash")
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("document_versions")
                    .add_column(big_integer_null("signing_round_id"))
                    .take(),
            )
            .await?;
        for c in ["attachment_key", "attachment_name", "from_name", "reply_to"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("outbox")
                        .add_column(text_null(c))
                        .take(),
                )
                .await?;
        }
        for c in ["mail_from_name", "mail_reply_to"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("tenants")
                        .add_column(text_null(c))
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for c in ["mail_from_name", "mail_reply_to"] {
            manager
                .alter_table(Table::alter().table("tenants").drop_column(c).take())
                .await?;
        }
        for c in ["attachment_key", "attachment_name", "from_name", "reply_to"] {
            manager
                .alter_table(Table::alter().table("outbox").drop_column(c).take())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("document_versions")
                    .drop_column("signing_round_id")
                    .take(),
            )
            .await?;
        for t in [
            "distributions",
            "signing_events",
            "signing_links",
            "signing_rounds",
        ] {
            manager
                .drop_table(Table::drop().table(t).if_exists().take())
                .await?;
        }
        Ok(())
    }
}
