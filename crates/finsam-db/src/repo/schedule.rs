//! The yearly cycle (årshjul): each förbund's schedule entries and the runs they made.
//!
//! A run is claimed by inserting its row: (tenant, kind, year) is a unique key, so of any number of
//! processes that try at once exactly one inserts, and only the inserter acts. The caller does the claim
//! and the work (the document version it queues, the notices) in one transaction, so a crash leaves
//! neither a run without its version nor a version twice. A run that made no version (missing data,
//! skipped, failed) can be claimed again by hand ([`reclaim`]); one that made a version never can.

use crate::Result;
use crate::entities::{schedule_entry as entry, schedule_run as run};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

pub use entry::Model as Entry;
pub use run::Model as Run;

pub mod outcome {
    /// A document version was queued.
    pub const RENDERED: &str = "rendered";
    /// The year's data is incomplete: the kansli was told what is missing, nothing was rendered.
    pub const MISSING_DATA: &str = "missing_data";
    /// The förbund does not make this document this year (a delårsrapport that is not required).
    pub const SKIPPED_NOT_REQUIRED: &str = "skipped_not_required";
    /// A technical error kept the run from finishing.
    pub const FAILED: &str = "failed";
    /// The outcomes without a version: such a run may be run again by hand.
    pub const RERUNNABLE: [&str; 3] = [MISSING_DATA, SKIPPED_NOT_REQUIRED, FAILED];
}

/// The audit log's names for the kansli's changes.
pub mod audit_action {
    pub use crate::repo::audit::action::{SCHEDULE_RUN as RUN, SCHEDULE_SAVED as SAVED};
}

pub mod trigger {
    pub const SCHEDULE: &str = "schedule";
    pub const MANUAL: &str = "manual";
}

/// The values of one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryValues<'a> {
    pub kind: &'a str,
    pub month: i32,
    pub day: i32,
    pub enabled: bool,
    pub due: Option<(i32, i32)>,
}

/// The tenant's entries, by id (the order they were made in).
pub async fn entries<C: ConnectionTrait>(db: &C, tenant_id: i64) -> Result<Vec<Entry>> {
    Ok(entry::Entity::find()
        .filter(entry::Column::TenantId.eq(tenant_id))
        .order_by_asc(entry::Column::Id)
        .all(db)
        .await?)
}

/// The tenant's entries, with any of `defaults` that is missing made first (safe to race: the
/// (tenant, kind) key keeps one row per kind).
pub async fn ensure_entries<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    defaults: &[EntryValues<'_>],
) -> Result<Vec<Entry>> {
    let have = entries(db, tenant_id).await?;
    let mut made = false;
    for d in defaults {
        if have.iter().any(|e| e.kind == d.kind) {
            continue;
        }
        let row = entry::ActiveModel {
            tenant_id: Set(tenant_id),
            kind: Set(d.kind.to_owned()),
            month: Set(d.month),
            day: Set(d.day),
            enabled: Set(d.enabled),
            due_month: Set(d.due.map(|x| x.0)),
            due_day: Set(d.due.map(|x| x.1)),
            updated_by: Set(None),
            updated_at: Set(Utc::now()),
            ..Default::default()
        };
        entry::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([entry::Column::TenantId, entry::Column::Kind])
                    .do_nothing()
                    .to_owned(),
            )
            .try_insert()
            .exec_without_returning(db)
            .await?;
        made = true;
    }
    if made {
        entries(db, tenant_id).await
    } else {
        Ok(have)
    }
}

/// Changes one entry (which must exist: see [`ensure_entries`]); answers whether it did.
pub async fn save_entry<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    v: &EntryValues<'_>,
    updated_by: Option<i64>,
) -> Result<bool> {
    let res = entry::Entity::update_many()
        .col_expr(entry::Column::Month, Expr::value(v.month))
        .col_expr(entry::Column::Day, Expr::value(v.day))
        .col_expr(entry::Column::Enabled, Expr::value(v.enabled))
        .col_expr(entry::Column::DueMonth, Expr::value(v.due.map(|x| x.0)))
        .col_expr(entry::Column::DueDay, Expr::value(v.due.map(|x| x.1)))
        .col_expr(entry::Column::UpdatedBy, Expr::value(updated_by))
        .col_expr(entry::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(entry::Column::TenantId.eq(tenant_id))
        .filter(entry::Column::Kind.eq(v.kind))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// The tenant's runs, newest first.
pub async fn runs<C: ConnectionTrait>(db: &C, tenant_id: i64, limit: u64) -> Result<Vec<Run>> {
    Ok(run::Entity::find()
        .filter(run::Column::TenantId.eq(tenant_id))
        .order_by_desc(run::Column::Year)
        .order_by_desc(run::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// The (kind, year) of every run the tenant has, for the due logic.
pub async fn run_keys<C: ConnectionTrait>(db: &C, tenant_id: i64) -> Result<Vec<(String, i32)>> {
    Ok(run::Entity::find()
        .filter(run::Column::TenantId.eq(tenant_id))
        .select_only()
        .column(run::Column::Kind)
        .column(run::Column::Year)
        .into_tuple::<(String, i32)>()
        .all(db)
        .await?)
}

pub async fn run_for<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    kind: &str,
    year: i32,
) -> Result<Option<Run>> {
    Ok(run::Entity::find()
        .filter(run::Column::TenantId.eq(tenant_id))
        .filter(run::Column::Kind.eq(kind))
        .filter(run::Column::Year.eq(year))
        .one(db)
        .await?)
}

/// Who claims a run, and what it announces.
#[derive(Debug, Clone, Copy)]
pub struct Claim<'a> {
    pub kind: &'a str,
    pub year: i32,
    /// [`trigger::SCHEDULE`] or [`trigger::MANUAL`].
    pub trigger: &'a str,
    pub requested_by: Option<i64>,
    pub due_on: Option<NaiveDate>,
}

/// Claims (tenant, kind, year) by inserting its row; answers the row when this caller inserted it, and
/// `None` when it exists already. Call it first in the transaction that does the run's work: until that
/// commits, nobody else sees the row, and a rollback gives the claim back. The row says `failed` until
/// [`finish`] records the real outcome in the same transaction.
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    c: &Claim<'_>,
    now: DateTime<Utc>,
) -> Result<Option<Run>> {
    let row = run::ActiveModel {
        tenant_id: Set(tenant_id),
        kind: Set(c.kind.to_owned()),
        year: Set(c.year),
        outcome: Set(outcome::FAILED.to_owned()),
        detail: Set(None),
        version_id: Set(None),
        trigger: Set(c.trigger.to_owned()),
        requested_by: Set(c.requested_by),
        due_on: Set(c.due_on),
        attempts: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let res = run::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([run::Column::TenantId, run::Column::Kind, run::Column::Year])
                .do_nothing()
                .to_owned(),
        )
        .try_insert()
        .exec_without_returning(db)
        .await?;
    if !matches!(res, sea_orm::TryInsertResult::Inserted(n) if n > 0) {
        return Ok(None);
    }
    run_for(db, tenant_id, c.kind, c.year).await
}

/// Claims again a run that made no version (missing data, skipped, failed): a compare-and-set on its
/// outcome, so of two callers at once one wins. Answers the row when this caller holds it.
pub async fn reclaim<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    c: &Claim<'_>,
    now: DateTime<Utc>,
) -> Result<Option<Run>> {
    let res = run::Entity::update_many()
        .col_expr(run::Column::Outcome, Expr::value(outcome::FAILED))
        .col_expr(run::Column::Detail, Expr::value(Option::<String>::None))
        .col_expr(run::Column::Trigger, Expr::value(c.trigger))
        .col_expr(run::Column::RequestedBy, Expr::value(c.requested_by))
        .col_expr(run::Column::DueOn, Expr::value(c.due_on))
        .col_expr(
            run::Column::Attempts,
            Expr::col(run::Column::Attempts).add(1),
        )
        .col_expr(run::Column::UpdatedAt, Expr::value(now))
        .filter(run::Column::TenantId.eq(tenant_id))
        .filter(run::Column::Kind.eq(c.kind))
        .filter(run::Column::Year.eq(c.year))
        .filter(run::Column::VersionId.is_null())
        .filter(run::Column::Outcome.is_in(outcome::RERUNNABLE))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Ok(None);
    }
    run_for(db, tenant_id, c.kind, c.year).await
}

/// Records a claimed run's outcome (in the claim's transaction).
pub async fn finish<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    id: i64,
    outcome: &str,
    detail: Option<&str>,
    version_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Run> {
    run::Entity::update_many()
        .col_expr(run::Column::Outcome, Expr::value(outcome))
        .col_expr(run::Column::Detail, Expr::value(detail))
        .col_expr(run::Column::VersionId, Expr::value(version_id))
        .col_expr(run::Column::UpdatedAt, Expr::value(now))
        .filter(run::Column::TenantId.eq(tenant_id))
        .filter(run::Column::Id.eq(id))
        .exec(db)
        .await?;
    run::Entity::find_by_id(id)
        .filter(run::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?
        .ok_or_else(|| crate::DbError::Db(sea_orm::DbErr::RecordNotFound("schedule run".into())))
}

/// How long one process holds the start of a run's signing before another may try.
pub const SIGNING_CLAIM: chrono::Duration = chrono::Duration::minutes(10);

/// Runs whose document is to be signed by a date not yet past and whose signing is not started, not
/// refused and not held by another process right now.
pub async fn signing_candidates<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<Run>> {
    Ok(run::Entity::find()
        .filter(run::Column::TenantId.eq(tenant_id))
        .filter(run::Column::Outcome.eq(outcome::RENDERED))
        .filter(run::Column::VersionId.is_not_null())
        .filter(run::Column::DueOn.gte(today))
        .filter(run::Column::SigningRoundId.is_null())
        .filter(run::Column::SigningNote.is_null())
        .filter(
            run::Column::SigningClaimedAt
                .is_null()
                .or(run::Column::SigningClaimedAt.lt(now - SIGNING_CLAIM)),
        )
        .order_by_asc(run::Column::Id)
        .all(db)
        .await?)
}

/// Claims the start of a run's signing: a compare-and-set, so of two processes at once one wins.
pub async fn claim_signing<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool> {
    let res = run::Entity::update_many()
        .col_expr(run::Column::SigningClaimedAt, Expr::value(now))
        .filter(run::Column::TenantId.eq(tenant_id))
        .filter(run::Column::Id.eq(id))
        .filter(run::Column::SigningRoundId.is_null())
        .filter(run::Column::SigningNote.is_null())
        .filter(
            run::Column::SigningClaimedAt
                .is_null()
                .or(run::Column::SigningClaimedAt.lt(now - SIGNING_CLAIM)),
        )
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Records the round a run's signing started, or why it could not start.
pub async fn finish_signing<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    id: i64,
    round_id: Option<i64>,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    run::Entity::update_many()
        .col_expr(run::Column::SigningRoundId, Expr::value(round_id))
        .col_expr(run::Column::SigningNote, Expr::value(note))
        .col_expr(run::Column::UpdatedAt, Expr::value(now))
        .filter(run::Column::TenantId.eq(tenant_id))
        .filter(run::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
