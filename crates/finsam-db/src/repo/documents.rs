//! Documents and their versions. A version row is the truth about a rendering: the job that renders it
//! claims it (queued → rendering), and finishes it (ready with its provenance, or failed with the error).
//! A claim is a compare-and-set on the status, so two workers never render the same version.

use crate::Result;
use crate::entities::{document, document_version as version};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

pub use document::Model as Document;
pub use version::Model as Version;

pub mod status {
    pub const QUEUED: &str = "queued";
    pub const RENDERING: &str = "rendering";
    pub const READY: &str = "ready";
    pub const FAILED: &str = "failed";
}

/// The document for (kind, subject), made on first use.
pub async fn ensure<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    kind: &str,
    subject: &str,
    year: Option<i32>,
    meeting_id: Option<i64>,
) -> Result<Document> {
    let find = || {
        document::Entity::find()
            .filter(document::Column::TenantId.eq(tenant_id))
            .filter(document::Column::Kind.eq(kind))
            .filter(document::Column::Subject.eq(subject))
            .one(db)
    };
    if let Some(d) = find().await? {
        return Ok(d);
    }
    // Two first requests at once: the second insert does nothing (it waits for the first on
    // PostgreSQL) and reads the first one's row.
    let row = document::ActiveModel {
        tenant_id: Set(tenant_id),
        kind: Set(kind.to_owned()),
        subject: Set(subject.to_owned()),
        year: Set(year),
        meeting_id: Set(meeting_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    document::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                document::Column::TenantId,
                document::Column::Kind,
                document::Column::Subject,
            ])
            .do_nothing()
            .to_owned(),
        )
        .try_insert()
        .exec_without_returning(db)
        .await?;
    find().await?.ok_or_else(|| {
        crate::DbError::Db(sea_orm::DbErr::RecordNotFound(
            "the document just made".into(),
        ))
    })
}

/// A new version of the document, queued.
pub async fn queue_version<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    document_id: i64,
    draft_reason: Option<&str>,
    requested_by: Option<i64>,
) -> Result<Version> {
    // Numbers are given one request at a time per document: the document's row is locked until the
    // transaction ends (PostgreSQL; SQLite's writers take turns anyway).
    document::Entity::find_by_id(document_id)
        .filter(document::Column::TenantId.eq(tenant_id))
        .lock_exclusive()
        .one(db)
        .await?;
    let last: Option<i32> = version::Entity::find()
        .filter(version::Column::TenantId.eq(tenant_id))
        .filter(version::Column::DocumentId.eq(document_id))
        .select_only()
        .column_as(version::Column::Number.max(), "m")
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    Ok(version::ActiveModel {
        tenant_id: Set(tenant_id),
        document_id: Set(document_id),
        number: Set(last.unwrap_or(0) + 1),
        status: Set(status::QUEUED.to_owned()),
        draft: Set(draft_reason.is_some()),
        draft_reason: Set(draft_reason.map(str::to_owned)),
        requested_by: Set(requested_by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The sealed rendering of a signing round: a new version of the same document, queued, that the
/// renderer builds from the signed version's input and the round's signature page. One per round.
pub async fn queue_sealed_version<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    document_id: i64,
    round_id: i64,
) -> Result<Version> {
    if let Some(v) = version::Entity::find()
        .filter(version::Column::TenantId.eq(tenant_id))
        .filter(version::Column::SigningRoundId.eq(round_id))
        .one(db)
        .await?
    {
        return Ok(v);
    }
    let v = queue_version(db, tenant_id, document_id, None, None).await?;
    let mut row: version::ActiveModel = v.into();
    row.signing_round_id = Set(Some(round_id));
    Ok(row.update(db).await?)
}

pub async fn list<C: ConnectionTrait>(db: &C, tenant_id: i64) -> Result<Vec<Document>> {
    Ok(document::Entity::find()
        .filter(document::Column::TenantId.eq(tenant_id))
        .order_by_desc(document::Column::Year)
        .order_by_asc(document::Column::Kind)
        .order_by_asc(document::Column::Id)
        .all(db)
        .await?)
}

pub async fn get<C: ConnectionTrait>(db: &C, tenant_id: i64, id: i64) -> Result<Option<Document>> {
    Ok(document::Entity::find_by_id(id)
        .filter(document::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?)
}

/// The versions of a tenant's documents, newest first.
pub async fn versions<C: ConnectionTrait>(db: &C, tenant_id: i64) -> Result<Vec<Version>> {
    Ok(version::Entity::find()
        .filter(version::Column::TenantId.eq(tenant_id))
        .order_by_desc(version::Column::Id)
        .all(db)
        .await?)
}

pub async fn version<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    id: i64,
) -> Result<Option<Version>> {
    Ok(version::Entity::find_by_id(id)
        .filter(version::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?)
}

/// Claims a queued version for rendering, or one whose rendering was left behind before `stale` (a worker
/// that died). True when this caller now holds it.
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    id: i64,
    stale: DateTime<Utc>,
) -> Result<bool> {
    let res = version::Entity::update_many()
        .col_expr(version::Column::Status, Expr::value(status::RENDERING))
        .col_expr(version::Column::StartedAt, Expr::value(Utc::now()))
        .col_expr(
            version::Column::Attempts,
            Expr::col(version::Column::Attempts).add(1),
        )
        .filter(version::Column::TenantId.eq(tenant_id))
        .filter(version::Column::Id.eq(id))
        .filter(
            sea_orm::Condition::any()
                .add(version::Column::Status.eq(status::QUEUED))
                .add(
                    sea_orm::Condition::all()
                        .add(version::Column::Status.eq(status::RENDERING))
                        .add(version::Column::StartedAt.lt(stale)),
                ),
        )
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// What a finished rendering records.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub input_sha256: String,
    pub pdf_sha256: String,
    pub template_sha256: String,
    pub typst_version: String,
    pub pages: i32,
    pub render_ms: i32,
    pub pdf_bytes: i64,
}

/// Marks a rendering ready; only the holder of the claim (status rendering) can.
pub async fn finish_ready<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    id: i64,
    p: &Provenance,
) -> Result<bool> {
    let res = version::Entity::update_many()
        .col_expr(version::Column::Status, Expr::value(status::READY))
        .col_expr(version::Column::InputSha256, Expr::value(&p.input_sha256))
        .col_expr(version::Column::PdfSha256, Expr::value(&p.pdf_sha256))
        .col_expr(
            version::Column::TemplateSha256,
            Expr::value(&p.template_sha256),
        )
        .col_expr(version::Column::TypstVersion, Expr::value(&p.typst_version))
        .col_expr(version::Column::Pages, Expr::value(p.pages))
        .col_expr(version::Column::RenderMs, Expr::value(p.render_ms))
        .col_expr(version::Column::PdfBytes, Expr::value(p.pdf_bytes))
        .col_expr(version::Column::Error, Expr::value(Option::<String>::None))
        .col_expr(version::Column::FinishedAt, Expr::value(Utc::now()))
        .filter(version::Column::TenantId.eq(tenant_id))
        .filter(version::Column::Id.eq(id))
        .filter(version::Column::Status.eq(status::RENDERING))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Marks a rendering failed with the reason people can read (and, with the input kept, the input's hash).
pub async fn finish_failed<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    id: i64,
    error: &str,
    input_sha256: Option<&str>,
) -> Result<bool> {
    let res = version::Entity::update_many()
        .col_expr(version::Column::Status, Expr::value(status::FAILED))
        .col_expr(version::Column::Error, Expr::value(error))
        .col_expr(version::Column::InputSha256, Expr::value(input_sha256))
        .col_expr(version::Column::FinishedAt, Expr::value(Utc::now()))
        .filter(version::Column::TenantId.eq(tenant_id))
        .filter(version::Column::Id.eq(id))
        .filter(version::Column::Status.eq(status::RENDERING))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Versions still to render: queued, or rendering since before `stale`. Across tenants, for the sweeper.
pub async fn pending<C: ConnectionTrait>(
    db: &C,
    stale: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Version>> {
    Ok(version::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(version::Column::Status.eq(status::QUEUED))
                .add(
                    sea_orm::Condition::all()
                        .add(version::Column::Status.eq(status::RENDERING))
                        .add(version::Column::StartedAt.lt(stale)),
                ),
        )
        .order_by_asc(version::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
