//! `distributions`, in sea-orm's generated style; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "distributions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub version_id: i64,
    pub recipient: String,
    pub recipient_name: Option<String>,
    /// `attachment` or `link`.
    pub delivery: String,
    pub link_hash: Option<String>,
    pub link_expires_at: Option<DateTimeUtc>,
    /// The outbox message's idempotency key.
    pub outbox_key: String,
    pub requested_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
