//! The state of the work queues across all förbund, for monitoring (`/metrics`): counts only.

use crate::Result;
use crate::entities::{document_version, outbox_message, signing_round};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

/// How many e-mails and document versions are in each status, and how many signing rounds are open.
#[derive(Debug, Clone, Default)]
pub struct QueueState {
    pub outbox: Vec<(String, i64)>,
    pub versions: Vec<(String, i64)>,
    pub pending_rounds: u64,
}

pub async fn queue_state<C: ConnectionTrait>(db: &C) -> Result<QueueState> {
    let outbox = outbox_message::Entity::find()
        .select_only()
        .column(outbox_message::Column::Status)
        .column_as(Expr::col(outbox_message::Column::Id).count(), "n")
        .group_by(outbox_message::Column::Status)
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?;
    let versions = document_version::Entity::find()
        .select_only()
        .column(document_version::Column::Status)
        .column_as(Expr::col(document_version::Column::Id).count(), "n")
        .group_by(document_version::Column::Status)
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?;
    let pending_rounds = signing_round::Entity::find()
        .filter(signing_round::Column::Status.eq("pending"))
        .count(db)
        .await?;
    Ok(QueueState {
        outbox,
        versions,
        pending_rounds,
    })
}
