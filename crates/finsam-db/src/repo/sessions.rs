//! Browser sessions. The cookie's JWT names a session id; the row here decides whether it still counts.

use crate::Result;
use crate::entities::session;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};

pub use session::Model as Session;

pub async fn create<C: ConnectionTrait>(
    db: &C,
    sid: &str,
    account_id: i64,
    user_agent: Option<String>,
    client_addr: Option<String>,
) -> Result<Session> {
    let now = Utc::now();
    let row = session::ActiveModel {
        sid: Set(sid.to_owned()),
        account_id: Set(account_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        revoked_at: Set(None),
        user_agent: Set(user_agent),
        client_addr: Set(client_addr),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// The session if it exists, is not revoked and was seen within `idle`.
pub async fn active<C: ConnectionTrait>(
    db: &C,
    sid: &str,
    now: DateTime<Utc>,
    idle: chrono::Duration,
) -> Result<Option<Session>> {
    let row = session::Entity::find()
        .filter(session::Column::Sid.eq(sid))
        .filter(session::Column::RevokedAt.is_null())
        .one(db)
        .await?;
    Ok(row.filter(|s| now - s.last_seen_at <= idle))
}

/// Moves the idle clock. Called at most once a minute per session to spare the database.
pub async fn touch<C: ConnectionTrait>(db: &C, id: i64, now: DateTime<Utc>) -> Result<()> {
    session::ActiveModel {
        id: Set(id),
        last_seen_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn revoke<C: ConnectionTrait>(db: &C, sid: &str, now: DateTime<Utc>) -> Result<()> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::Sid.eq(sid))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of the account except `keep` (the one that changed the password keeps working).
pub async fn revoke_all_for_account<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    keep: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let mut q = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::AccountId.eq(account_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        q = q.filter(session::Column::Sid.ne(keep));
    }
    Ok(q.exec(db).await?.rows_affected)
}
