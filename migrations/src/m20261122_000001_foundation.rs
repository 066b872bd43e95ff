//! Tenants, accounts, memberships, sessions, one-time tokens, members, insatser with their coaches,
//! the audit log and the e-mail outbox.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn created_at() -> ColumnDef {
    timestamp_with_time_zone("created_at")
}

fn fk(
    name: &str,
    from: (&'static str, &'static str),
    to: (&'static str, &'static str),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("tenants")
                    .col(big_pk_auto("id"))
                    .col(string_len_uniq("slug", 63))
                    .col(string("name"))
                    .col(created_at())
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("accounts")
                    .col(big_pk_auto("id"))
                    .col(string_len_uniq("email", 254))
                    .col(string("name"))
                    .col(string_null("password_hash"))
                    .col(boolean("is_platform_admin").default(false))
                    .col(boolean("disabled").default(false))
                    // Bearer tokens issued before this instant are refused: a password change revokes them.
                    .col(timestamp_with_time_zone("credentials_changed_at"))
                    .col(created_at())
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("memberships")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(big_integer("account_id"))
                    .col(string_len("role", 32))
                    .col(created_at())
                    .foreign_key(&mut fk(
                        "fk_memberships_tenant",
                        ("memberships", "tenant_id"),
                        ("tenants", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_memberships_account",
                        ("memberships", "account_id"),
                        ("accounts", "id"),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique(
                "ux_memberships",
                "memberships",
                &["tenant_id", "account_id", "role"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .col(big_pk_auto("id"))
                    .col(string_len_uniq("sid", 64))
                    .col(big_integer("account_id"))
                    .col(created_at())
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(string_null("user_agent"))
                    .col(string_null("client_addr"))
                    .foreign_key(&mut fk(
                        "fk_sessions_account",
                        ("sessions", "account_id"),
                        ("accounts", "id"),
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("one_time_tokens")
                    .col(big_pk_auto("id"))
                    .col(string_len_uniq("token_hash", 64))
                    .col(string_len("purpose", 32))
                    .col(big_integer("account_id"))
                    .col(big_integer_null("tenant_id"))
                    .col(string_len_null("role", 32))
                    .col(big_integer_null("created_by"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .col(created_at())
                    .foreign_key(&mut fk(
                        "fk_ott_account",
                        ("one_time_tokens", "account_id"),
                        ("accounts", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_ott_tenant",
                        ("one_time_tokens", "tenant_id"),
                        ("tenants", "id"),
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("members")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(string("name"))
                    .col(string_len("kind", 32))
                    .col(string_len("orgnr", 11))
                    .col(created_at())
                    .foreign_key(&mut fk(
                        "fk_members_tenant",
                        ("members", "tenant_id"),
                        ("tenants", "id"),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique(
                "ux_members_orgnr",
                "members",
                &["tenant_id", "orgnr"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("insatser")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(string("name"))
                    .col(string_len("kind", 32))
                    .col(created_at())
                    .foreign_key(&mut fk(
                        "fk_insatser_tenant",
                        ("insatser", "tenant_id"),
                        ("tenants", "id"),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique(
                "ux_insatser_name",
                "insatser",
                &["tenant_id", "name"],
            ))
            .await?;
        // Lets child tables reference (tenant_id, id), so a row can never point into another tenant.
        manager
            .create_index(unique(
                "ux_insatser_tenant_id",
                "insatser",
                &["tenant_id", "id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("insats_coaches")
                    .col(big_pk_auto("id"))
                    .col(big_integer("tenant_id"))
                    .col(big_integer("insats_id"))
                    .col(big_integer("account_id"))
                    .col(created_at())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_insats_coaches_insats")
                            .from("insats_coaches", ("tenant_id", "insats_id"))
                            .to("insatser", ("tenant_id", "id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut fk(
                        "fk_insats_coaches_account",
                        ("insats_coaches", "account_id"),
                        ("accounts", "id"),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique(
                "ux_insats_coaches",
                "insats_coaches",
                &["tenant_id", "insats_id", "account_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("audit_events")
                    .col(big_pk_auto("id"))
                    .col(big_integer_null("tenant_id"))
                    .col(big_integer_null("actor_account_id"))
                    .col(string_len("action", 64))
                    .col(text("detail"))
                    .col(string_null("client_addr"))
                    .col(created_at())
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_tenant")
                    .table("audit_events")
                    .col("tenant_id")
                    .col("id")
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("outbox")
                    .col(big_pk_auto("id"))
                    .col(big_integer_null("tenant_id"))
                    .col(string_len_uniq("idempotency_key", 200))
                    .col(string_len("recipient", 254))
                    .col(string("subject"))
                    .col(text("body_text"))
                    .col(text("body_html"))
                    .col(string_len("status", 16))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(text_null("last_error"))
                    .col(created_at())
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_due")
                    .table("outbox")
                    .col("status")
                    .col("next_attempt_at")
                    .take(),
            )
            .await?;

        // The audit log is append-only for everyone, the application included.
        let db = manager.get_connection();
        match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$;
                     CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
                     FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
                     BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
                     BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP TRIGGER IF EXISTS audit_events_no_update ON audit_events; DROP FUNCTION IF EXISTS audit_events_append_only();")
                .await?;
        }
        for t in [
            "outbox",
            "audit_events",
            "insats_coaches",
            "insatser",
            "members",
            "one_time_tokens",
            "sessions",
            "memberships",
            "accounts",
            "tenants",
        ] {
            manager
                .drop_table(Table::drop().table(t).if_exists().take())
                .await?;
        }
        Ok(())
    }
}
