//! `document_versions`, in sea-orm's generated style; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub document_id: i64,
    pub number: i32,
    pub status: String,
    pub draft: bool,
    pub draft_reason: Option<String>,
    pub error: Option<String>,
    pub attempts: i32,
    pub input_sha256: Option<String>,
    pub pdf_sha256: Option<String>,
    pub template_sha256: Option<String>,
    pub typst_version: Option<String>,
    pub pages: Option<i32>,
    pub render_ms: Option<i32>,
    pub pdf_bytes: Option<i64>,
    pub requested_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    /// Set on the sealed rendering of a signing round: the document with its signature page.
    pub signing_round_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
