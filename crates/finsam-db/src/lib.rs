//! The database: sea-orm entities ([`entities`]) and hand-written repositories ([`repo`]).
//!
//! This is the only crate that builds queries. Every repository function that touches tenant data takes
//! the tenant id first and filters on it, and takes any `ConnectionTrait`, so callers choose the transaction.
//! The same code runs on SQLite (the embedded default) and PostgreSQL. On PostgreSQL, row-level security
//! is the backstop behind those filters: callers reach the pool only through a scope ([`Db`]).

pub mod entities;
pub mod repo;
mod scope;

pub use scope::{Db, Scope, Scoped};

use finsam_migration::MigratorTrait;
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr, SqlErr};

pub use finsam_migration::TENANT_TABLES;
pub use sea_orm::{
    ConnectionTrait, DatabaseConnection as Conn, DatabaseTransaction, DbBackend, TransactionTrait,
};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A unique key already holds this value (an e-mail, a slug, an organisationsnummer).
    #[error("conflict: {0}")]
    Conflict(String),
    #[error(transparent)]
    Db(DbErr),
}

impl From<DbErr> for DbError {
    fn from(e: DbErr) -> Self {
        match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(msg)) => DbError::Conflict(msg),
            _ => DbError::Db(e),
        }
    }
}

pub type Result<T, E = DbError> = std::result::Result<T, E>;

/// Opens the database named by `url` (`sqlite:…` or `postgres:…`).
pub async fn connect(url: &str) -> Result<DatabaseConnection> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .max_connections(if url.starts_with("sqlite") { 8 } else { 16 });
    let conn = Database::connect(opts).await?;
    if conn.get_database_backend() == DbBackend::Sqlite {
        // WAL lets the worker write while pages read; foreign keys are on by default in sqlx.
        conn.execute_unprepared("PRAGMA journal_mode=WAL;").await?;
    }
    Ok(conn)
}

/// Brings the schema up to date. Safe to run at every start.
pub async fn migrate(conn: &DatabaseConnection) -> Result<()> {
    finsam_migration::Migrator::up(conn, None).await?;
    Ok(())
}

/// How many migrations this release has that the database has not run. Reads the migration table
/// only: sea-orm's own check would try to create it, which the application's role may not.
pub async fn pending_migrations(conn: &DatabaseConnection) -> Result<usize> {
    use finsam_migration::MigratorTrait;
    let backend = conn.get_database_backend();
    let exists = match backend {
        DbBackend::Postgres => table_exists(conn, "seaql_migrations").await?,
        _ => conn
            .query_one_raw(sea_orm::Statement::from_string(
                backend,
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'",
            ))
            .await?
            .is_some(),
    };
    let applied: Vec<String> = if exists {
        conn.query_all_raw(sea_orm::Statement::from_string(
            backend,
            "SELECT version FROM seaql_migrations",
        ))
        .await?
        .iter()
        .map(|r| r.try_get::<String>("", "version"))
        .collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    Ok(finsam_migration::Migrator::migrations()
        .iter()
        .filter(|m| !applied.iter().any(|a| a == m.name()))
        .count())
}

/// PostgreSQL: lets `role` (the application's login role) read and write every table and use every
/// sequence in the schemas `public` and `apalis` (where it exists), and nothing else: it does not own them, so it cannot
/// change the schema or turn row-level security off. Run by the owner after each migration.
pub async fn grant_to(owner: &DatabaseConnection, role: &str) -> Result<()> {
    if owner.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let role = quote_ident(role);
    // Processes that start together all grant: PostgreSQL refuses concurrent changes of one object's
    // privileges ("tuple concurrently updated"), so they take turns on a lock held to the commit.
    let txn = owner.begin().await?;
    txn.execute_unprepared("SELECT pg_advisory_xact_lock(hashtext('finsam grant_to'))")
        .await?;
    for schema in ["public", "apalis"] {
        let exists = txn
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT 1 FROM pg_namespace WHERE nspname = $1",
                [schema.into()],
            ))
            .await?
            .is_some();
        if !exists {
            continue;
        }
        txn.execute_unprepared(&format!(
            "GRANT USAGE ON SCHEMA {schema} TO {role};
                 GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};
                 GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {role};
                 GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} TO {role};"
        ))
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Whether a PostgreSQL table (`schema.name`) exists.
pub async fn table_exists(conn: &DatabaseConnection, name: &str) -> Result<bool> {
    let row = conn
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT to_regclass($1) IS NOT NULL AS found",
            [name.into()],
        ))
        .await?
        .ok_or_else(|| DbError::Db(DbErr::RecordNotFound("to_regclass".into())))?;
    Ok(row.try_get("", "found")?)
}

/// What the application's PostgreSQL role may do that row-level security cannot stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleCheck {
    pub role: String,
    /// A superuser or a role with BYPASSRLS: the policies do not apply to it at all.
    pub bypasses_rls: bool,
    /// It owns tables: the policies apply (FORCE), but it could turn them off.
    pub owns_tables: bool,
}

/// Checks the role of the application's connection (PostgreSQL; `None` on SQLite).
pub async fn check_role(conn: &DatabaseConnection) -> Result<Option<RoleCheck>> {
    if conn.get_database_backend() != DbBackend::Postgres {
        return Ok(None);
    }
    let row = conn
        .query_one_raw(sea_orm::Statement::from_string(
            DbBackend::Postgres,
            "SELECT current_user::text AS role,
                    (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user)
                        AS bypasses_rls,
                    EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public'
                            AND tableowner = current_user) AS owns_tables",
        ))
        .await?
        .ok_or_else(|| DbError::Db(DbErr::RecordNotFound("pg_roles".into())))?;
    Ok(Some(RoleCheck {
        role: row.try_get("", "role")?,
        bypasses_rls: row.try_get("", "bypasses_rls")?,
        owns_tables: row.try_get("", "owns_tables")?,
    }))
}

/// `name` as a PostgreSQL identifier, quoted.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Whether the database answers, for `/readyz`.
pub async fn ping(conn: &DatabaseConnection) -> bool {
    conn.ping().await.is_ok()
}
