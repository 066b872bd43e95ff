//! `signing_rounds`, in sea-orm's generated style; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signing_rounds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub document_id: i64,
    pub version_id: i64,
    pub reference: String,
    pub status: String,
    /// The round (`finsam_signing::Round`) as JSON.
    pub state: String,
    pub revision: i32,
    pub ends_at: DateTimeUtc,
    pub auto_distribute: bool,
    pub previous_round_id: Option<i64>,
    pub sealed_version_id: Option<i64>,
    pub sealed_sha256: Option<String>,
    pub started_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
