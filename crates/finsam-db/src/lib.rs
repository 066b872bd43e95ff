//! The database: sea-orm entities ([`entities`]) and hand-written repositories ([`repo`]).
//!
//! This is the only crate that builds queries. Every repository function that touches tenant data takes
//! the tenant id first and filters on it, and takes any `ConnectionTrait`, so callers choose the transaction.
//! The same code runs on SQLite (the embedded default) and PostgreSQL.

pub mod entities;
pub mod repo;

use finsam_migration::MigratorTrait;
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr, SqlErr};

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

/// How many migrations this release has that the database has not run.
pub async fn pending_migrations(conn: &DatabaseConnection) -> Result<usize> {
    use finsam_migration::MigratorTrait;
    Ok(finsam_migration::Migrator::get_pending_migrations(conn)
        .await?
        .len())
}

/// Whether the database answers, for `/readyz`.
pub async fn ping(conn: &DatabaseConnection) -> bool {
    conn.ping().await.is_ok()
}
