//! Coach reports: a coach fills in and submits the counts for their insats; the kansli approves or
//! returns them. The content is the year file's `CoachReport`; the columns carry identity and status.

use crate::Result;
use crate::entities::coach_report;
use crate::repo::yearfile::{period_str, status_str};
use finsam_core::yearfile::{CoachReport, ReportStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

/// A stored report with its id.
#[derive(Debug, Clone)]
pub struct StoredReport {
    pub id: i64,
    pub report: CoachReport,
}

fn decode(row: coach_report::Model) -> Result<StoredReport> {
    let report = serde_json::from_str(&row.data).map_err(|e| {
        crate::DbError::Db(sea_orm::DbErr::Custom(format!(
            "stored coach report is unreadable: {e}"
        )))
    })?;
    Ok(StoredReport { id: row.id, report })
}

/// Reports of the tenant, newest year first; only those of `insats_keys` when given.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    insats_keys: Option<&[String]>,
) -> Result<Vec<StoredReport>> {
    let mut q = coach_report::Entity::find().filter(coach_report::Column::TenantId.eq(tenant_id));
    if let Some(keys) = insats_keys {
        q = q.filter(coach_report::Column::InsatsKey.is_in(keys.iter().cloned()));
    }
    q.order_by_desc(coach_report::Column::Year)
        .order_by_asc(coach_report::Column::InsatsKey)
        .order_by_asc(coach_report::Column::Scope)
        .order_by_asc(coach_report::Column::Period)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    id: i64,
) -> Result<Option<StoredReport>> {
    coach_report::Entity::find_by_id(id)
        .filter(coach_report::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

/// The report for (insats, kommun, year, period), if one exists.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    r: &CoachReport,
) -> Result<Option<StoredReport>> {
    coach_report::Entity::find()
        .filter(coach_report::Column::TenantId.eq(tenant_id))
        .filter(coach_report::Column::InsatsKey.eq(&r.insats))
        .filter(coach_report::Column::Scope.eq(r.kommun.clone().unwrap_or_default()))
        .filter(coach_report::Column::Year.eq(r.year))
        .filter(coach_report::Column::Period.eq(period_str(r.period)))
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

/// Writes a report: a new row, or the content and status of an existing one.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    existing: Option<i64>,
    r: &CoachReport,
) -> Result<i64> {
    let data = serde_json::to_string(r).expect("reports serialise");
    let row = match existing {
        Some(id) => {
            coach_report::ActiveModel {
                id: Set(id),
                status: Set(status_str(r.status).to_owned()),
                data: Set(data),
                ..Default::default()
            }
            .update(db)
            .await?
        }
        None => {
            coach_report::ActiveModel {
                tenant_id: Set(tenant_id),
                insats_key: Set(r.insats.clone()),
                scope: Set(r.kommun.clone().unwrap_or_default()),
                year: Set(r.year),
                period: Set(period_str(r.period).to_owned()),
                status: Set(status_str(r.status).to_owned()),
                position: Set(0),
                data: Set(data),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    Ok(row.id)
}

/// Whether a report in this status can still be changed by its coach.
pub fn editable(status: ReportStatus) -> bool {
    matches!(status, ReportStatus::Draft | ReportStatus::Returned)
}
