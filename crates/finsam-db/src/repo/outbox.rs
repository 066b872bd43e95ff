//! The e-mail outbox: the truth about every message. A row is written in the same transaction as the
//! change that causes it; the delivery worker sends it and records the outcome.

use crate::Result;
use crate::entities::outbox_message;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
    sea_query::{Expr, OnConflict},
};

pub use outbox_message::Model as OutboxMessage;

pub const QUEUED: &str = "queued";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

#[derive(Default)]
pub struct NewMessage<'a> {
    pub tenant_id: Option<i64>,
    /// Names the message once: enqueueing the same key again does nothing.
    pub idempotency_key: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
    /// An object-storage key and the file name to attach it under (a sealed PDF).
    pub attachment: Option<(&'a str, &'a str)>,
    /// The sender's display name (the förbund's), and where replies go.
    pub from_name: Option<&'a str>,
    pub reply_to: Option<&'a str>,
}

/// Queues a message; answers false when a message with this key already exists.
pub async fn enqueue<C: ConnectionTrait>(db: &C, m: NewMessage<'_>) -> Result<bool> {
    let now = Utc::now();
    let row = outbox_message::ActiveModel {
        tenant_id: Set(m.tenant_id),
        idempotency_key: Set(m.idempotency_key.to_owned()),
        recipient: Set(m.recipient.to_owned()),
        subject: Set(m.subject.to_owned()),
        body_text: Set(m.body_text.to_owned()),
        body_html: Set(m.body_html.to_owned()),
        status: Set(QUEUED.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        attachment_key: Set(m.attachment.map(|a| a.0.to_owned())),
        attachment_name: Set(m.attachment.map(|a| a.1.to_owned())),
        from_name: Set(m.from_name.map(str::to_owned)),
        reply_to: Set(m.reply_to.map(str::to_owned)),
        ..Default::default()
    };
    let res = outbox_message::Entity::insert(row)
        .on_conflict(
            OnConflict::column(outbox_message::Column::IdempotencyKey)
                .do_nothing()
                .to_owned(),
        )
        .try_insert()
        .exec_without_returning(db)
        .await?;
    Ok(matches!(res, sea_orm::TryInsertResult::Inserted(n) if n > 0))
}

/// Messages due for a delivery attempt, oldest first. A message left in `sending` by a crashed worker
/// becomes due again once its lease (`next_attempt_at`) has passed.
pub async fn due<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<OutboxMessage>> {
    Ok(outbox_message::Entity::find()
        .filter(outbox_message::Column::Status.is_in([QUEUED, SENDING]))
        .filter(outbox_message::Column::NextAttemptAt.lte(now))
        .order_by_asc(outbox_message::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Takes a lease on a message for `lease`; answers false when another worker holds it.
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    m: &OutboxMessage,
    now: DateTime<Utc>,
    lease: chrono::Duration,
) -> Result<bool> {
    let res = outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::Status, Expr::value(SENDING))
        .col_expr(
            outbox_message::Column::NextAttemptAt,
            Expr::value(now + lease),
        )
        .col_expr(
            outbox_message::Column::Attempts,
            Expr::value(m.attempts + 1),
        )
        .filter(outbox_message::Column::Id.eq(m.id))
        .filter(outbox_message::Column::Attempts.eq(m.attempts))
        .filter(outbox_message::Column::Status.is_in([QUEUED, SENDING]))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

pub async fn mark_sent<C: ConnectionTrait>(db: &C, id: i64, now: DateTime<Utc>) -> Result<()> {
    outbox_message::ActiveModel {
        id: Set(id),
        status: Set(SENT.to_owned()),
        sent_at: Set(Some(now)),
        last_error: Set(None),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Records a failed attempt: due again at `retry_at`, or failed for good when `retry_at` is `None`.
pub async fn mark_attempt_failed<C: ConnectionTrait>(
    db: &C,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<()> {
    let mut row = outbox_message::ActiveModel {
        id: Set(id),
        last_error: Set(Some(error.to_owned())),
        ..Default::default()
    };
    match retry_at {
        Some(at) => {
            row.status = Set(QUEUED.to_owned());
            row.next_attempt_at = Set(at);
        }
        None => row.status = Set(FAILED.to_owned()),
    }
    row.update(db).await?;
    Ok(())
}

pub async fn list_all<C: ConnectionTrait>(db: &C) -> Result<Vec<OutboxMessage>> {
    Ok(outbox_message::Entity::find()
        .order_by_asc(outbox_message::Column::Id)
        .all(db)
        .await?)
}

/// The messages whose idempotency key starts with `prefix` (a round's, a distribution's), oldest first.
pub async fn with_key_prefix<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    prefix: &str,
) -> Result<Vec<OutboxMessage>> {
    Ok(outbox_message::Entity::find()
        .filter(outbox_message::Column::TenantId.eq(tenant_id))
        .filter(outbox_message::Column::IdempotencyKey.starts_with(prefix))
        .order_by_asc(outbox_message::Column::Id)
        .all(db)
        .await?)
}
