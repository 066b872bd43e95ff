//! `schedule_runs`, in sea-orm's generated style; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "schedule_runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub kind: String,
    pub year: i32,
    pub outcome: String,
    pub detail: Option<String>,
    pub version_id: Option<i64>,
    pub trigger: String,
    pub requested_by: Option<i64>,
    pub due_on: Option<Date>,
    pub attempts: i32,
    /// The signing round this run started (a rendered document with a due date).
    pub signing_round_id: Option<i64>,
    /// Held while one process starts the round (a claim older than ten minutes is free again).
    pub signing_claimed_at: Option<DateTimeUtc>,
    /// Why the round could not be started (told to the kansli once).
    pub signing_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
