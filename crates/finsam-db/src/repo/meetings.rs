//! Medlemssamråd and styrelsemöten with their items; the content is the year file's `Meeting`.

use crate::Result;
use crate::entities::meeting;
use finsam_core::yearfile::{Meeting, MeetingKind};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TryIntoModel,
};

#[derive(Debug, Clone)]
pub struct StoredMeeting {
    pub id: i64,
    pub meeting: Meeting,
}

fn decode(row: meeting::Model) -> Result<StoredMeeting> {
    let meeting = serde_json::from_str(&row.data).map_err(|e| {
        crate::DbError::Db(sea_orm::DbErr::Custom(format!(
            "stored meeting is unreadable: {e}"
        )))
    })?;
    Ok(StoredMeeting {
        id: row.id,
        meeting,
    })
}

/// Every meeting of the tenant, newest first.
pub async fn list<C: ConnectionTrait>(db: &C, tenant_id: i64) -> Result<Vec<StoredMeeting>> {
    meeting::Entity::find()
        .filter(meeting::Column::TenantId.eq(tenant_id))
        .order_by_desc(meeting::Column::MeetingDate)
        .order_by_desc(meeting::Column::Id)
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
) -> Result<Option<StoredMeeting>> {
    meeting::Entity::find_by_id(id)
        .filter(meeting::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

pub async fn by_key<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    key: &str,
) -> Result<Option<StoredMeeting>> {
    meeting::Entity::find()
        .filter(meeting::Column::TenantId.eq(tenant_id))
        .filter(meeting::Column::Key.eq(key))
        .one(db)
        .await?
        .map(decode)
        .transpose()
}

/// Writes a meeting under its key (a new row, or the one with that key). `position` keeps a year file's
/// order; `None` keeps the row's.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    m: &Meeting,
    position: Option<i32>,
) -> Result<i64> {
    let existing = meeting::Entity::find()
        .filter(meeting::Column::TenantId.eq(tenant_id))
        .filter(meeting::Column::Key.eq(&m.key))
        .one(db)
        .await?;
    let mut row = match existing {
        Some(x) => x.into(),
        None => meeting::ActiveModel {
            tenant_id: Set(tenant_id),
            key: Set(m.key.clone()),
            position: Set(i32::MAX / 2),
            ..Default::default()
        },
    };
    row.meeting_date = Set(m.date);
    row.kind = Set(match m.kind {
        MeetingKind::Medlemssamrad => "medlemssamrad".into(),
        MeetingKind::Styrelsemote => "styrelsemote".into(),
    });
    if let Some(p) = position {
        row.position = Set(p);
    }
    row.data = Set(serde_json::to_string(m).expect("meetings serialise"));
    Ok(row.save(db).await?.try_into_model()?.id)
}
