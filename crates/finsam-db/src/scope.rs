//! Which förbund a query may see: the application's side of row-level security.
//!
//! On PostgreSQL every tenant-owned table has row-level security (ENABLE and FORCE, migration 000009):
//! a row is visible, and may be written, only when its `tenant_id` equals the transaction's
//! `app.tenant_id`, or when the transaction has said `app.all_tenants = 'on'`. Both settings are set
//! with `set_config(…, true)`, so they end with the transaction and a pooled connection never carries a
//! tenant into the next request.
//!
//! [`Db`] is the pool, and it deliberately does not run queries itself: a caller picks a scope first.
//! - [`Db::tenant`]: one förbund. Every request inside a förbund, and every job working for one.
//! - [`Db::platform`]: no förbund. Accounts, sessions, the list of förbund; tenant-owned rows are
//!   invisible.
//! - [`Db::all_tenants`]: every förbund, for the few deliberate cross-tenant reads (the background
//!   sweeps that find work, the public lookups of a signing link or a sealed document by its hash, and
//!   the platform's own rows in the audit log and the outbox). Grep for it to review them.
//!
//! The application's filters on `tenant_id` stay: the policies are the backstop, not the rule. On SQLite
//! (one process, no roles) a scope is the connection itself.

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, Statement, TransactionTrait, Value,
};

/// The connection pool. Choose a scope to query: [`Db::tenant`], [`Db::platform`] or
/// [`Db::all_tenants`].
#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
}

impl Db {
    pub fn new(conn: DatabaseConnection) -> Self {
        Self { conn }
    }

    /// Queries inside one förbund.
    pub fn tenant(&self, tenant_id: i64) -> Scoped {
        Scoped {
            conn: self.conn.clone(),
            scope: Scope::Tenant(tenant_id),
        }
    }

    /// Queries outside any förbund: the platform's tables (accounts, sessions, tokens, the förbund
    /// themselves). Rows of a förbund are not visible here on PostgreSQL.
    pub fn platform(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// Queries across every förbund. Only for the deliberate cross-tenant paths listed in the module
    /// documentation; anything that works for one förbund takes [`Db::tenant`].
    pub fn all_tenants(&self) -> Scoped {
        Scoped {
            conn: self.conn.clone(),
            scope: Scope::AllTenants,
        }
    }

    /// One förbund's scope, or, for a row that belongs to no förbund (an account's own event in the
    /// audit log), the scope across all.
    pub fn tenant_or_all(&self, tenant_id: Option<i64>) -> Scoped {
        match tenant_id {
            Some(id) => self.tenant(id),
            None => self.all_tenants(),
        }
    }

    /// The pool itself, for what is not a query on the schema: migrations, the health check, the job
    /// queue's own tables, backups.
    pub fn connection(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    pub async fn close(self) -> Result<(), DbErr> {
        self.conn.close().await
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Tenant(i64),
    AllTenants,
}

/// A connection bound to a [`Scope`]. Each statement run on it directly is its own transaction with the
/// scope set; [`Scoped::begin`] opens a longer one. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Scoped {
    conn: DatabaseConnection,
    scope: Scope,
}

impl Scoped {
    pub fn scope(&self) -> Scope {
        self.scope
    }

    fn postgres(&self) -> bool {
        self.conn.get_database_backend() == DbBackend::Postgres
    }

    /// A transaction in this scope: on PostgreSQL its first statement sets the scope for the
    /// transaction only.
    pub async fn begin(&self) -> crate::Result<DatabaseTransaction> {
        Ok(self.begin_raw().await?)
    }

    async fn begin_raw(&self) -> Result<DatabaseTransaction, DbErr> {
        let txn = self.conn.begin().await?;
        if self.postgres() {
            set_scope(&txn, self.scope).await?;
        }
        Ok(txn)
    }
}

/// Sets `app.tenant_id` and `app.all_tenants` for the rest of `txn`.
pub(crate) async fn set_scope<C: ConnectionTrait>(txn: &C, scope: Scope) -> Result<(), DbErr> {
    let (tenant, all) = match scope {
        Scope::Tenant(id) => (id.to_string(), "off"),
        Scope::AllTenants => (String::new(), "on"),
    };
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT set_config('app.tenant_id', $1, true), set_config('app.all_tenants', $2, true)",
        [Value::from(tenant), Value::from(all)],
    ))
    .await?;
    Ok(())
}

/// Runs `$body` with `$c` bound to a transaction of the scope, committed when it succeeds
/// (PostgreSQL), or to the pool connection (SQLite, where there is nothing to set).
macro_rules! in_scope {
    ($self:ident, |$c:ident| $body:expr) => {{
        if !$self.postgres() {
            let $c = &$self.conn;
            return $body.await;
        }
        let txn = $self.begin_raw().await?;
        let $c = &txn;
        match $body.await {
            Ok(v) => {
                txn.commit().await?;
                Ok(v)
            }
            Err(e) => {
                // The statement's error is the one to report; a failed rollback only means the
                // connection is gone, and the pool drops it.
                let _ = txn.rollback().await;
                Err(e)
            }
        }
    }};
}

#[async_trait::async_trait]
impl ConnectionTrait for Scoped {
    fn get_database_backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        in_scope!(self, |c| c.execute_raw(stmt))
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        in_scope!(self, |c| c.execute_unprepared(sql))
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        in_scope!(self, |c| c.query_one_raw(stmt))
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        in_scope!(self, |c| c.query_all_raw(stmt))
    }
}
