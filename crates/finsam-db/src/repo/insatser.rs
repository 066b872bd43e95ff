//! Insatser and the coaches attached to them. Reporting arrives with the data issue; the attachment
//! exists now because it decides what a coach may see.

use crate::Result;
use crate::entities::{insats, insats_coach};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

pub use insats::Model as Insats;

/// Which insatser a caller may see.
#[derive(Debug, Clone, Copy)]
pub enum Visibility {
    All,
    /// Only those this account is attached to as coach.
    AttachedTo(i64),
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    vis: Visibility,
) -> Result<Vec<Insats>> {
    let mut q = insats::Entity::find().filter(insats::Column::TenantId.eq(tenant_id));
    if let Visibility::AttachedTo(account_id) = vis {
        let ids: Vec<i64> = insats_coach::Entity::find()
            .filter(insats_coach::Column::TenantId.eq(tenant_id))
            .filter(insats_coach::Column::AccountId.eq(account_id))
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.insats_id)
            .collect();
        q = q.filter(insats::Column::Id.is_in(ids));
    }
    Ok(q.order_by_asc(insats::Column::Position)
        .order_by_asc(insats::Column::Id)
        .all(db)
        .await?)
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    id: i64,
    vis: Visibility,
) -> Result<Option<Insats>> {
    let Some(row) = insats::Entity::find_by_id(id)
        .filter(insats::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if let Visibility::AttachedTo(account_id) = vis
        && !is_attached(db, tenant_id, id, account_id).await?
    {
        return Ok(None);
    }
    Ok(Some(row))
}

pub async fn is_attached<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    insats_id: i64,
    account_id: i64,
) -> Result<bool> {
    Ok(insats_coach::Entity::find()
        .filter(insats_coach::Column::TenantId.eq(tenant_id))
        .filter(insats_coach::Column::InsatsId.eq(insats_id))
        .filter(insats_coach::Column::AccountId.eq(account_id))
        .one(db)
        .await?
        .is_some())
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    key: &str,
    name: &str,
    kind: &str,
) -> Result<Insats> {
    let row = insats::ActiveModel {
        tenant_id: Set(tenant_id),
        name: Set(name.to_owned()),
        kind: Set(kind.to_owned()),
        created_at: Set(Utc::now()),
        key: Set(Some(key.to_owned())),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// Attaches a coach. The composite foreign key (tenant_id, insats_id) makes an insats of another tenant
/// impossible to attach, whatever the caller passes.
pub async fn attach_coach<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    insats_id: i64,
    account_id: i64,
) -> Result<()> {
    if is_attached(db, tenant_id, insats_id, account_id).await? {
        return Ok(());
    }
    let row = insats_coach::ActiveModel {
        tenant_id: Set(tenant_id),
        insats_id: Set(insats_id),
        account_id: Set(account_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    row.insert(db).await?;
    Ok(())
}

/// The year-file content of an insats (goals, money, coaches …), or a bare one for rows made by hand.
pub fn details(i: &Insats) -> finsam_core::yearfile::Insats {
    i.data
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or_else(|| finsam_core::yearfile::Insats {
            key: i.key.clone().unwrap_or_else(|| format!("insats-{}", i.id)),
            name: i.name.clone(),
            kind: if i.kind == "strukturovergripande" {
                finsam_core::yearfile::InsatsKind::Strukturovergripande
            } else {
                finsam_core::yearfile::InsatsKind::Individinriktad
            },
            responsible_member: None,
            performer: String::new(),
            period_from: None,
            period_to: None,
            target_group: String::new(),
            description: String::new(),
            goals: vec![],
            years: vec![],
            goal_results: vec![],
            coaches: vec![],
        })
}

/// The insats's key as reports and accounts refer to it.
pub fn key_of(i: &Insats) -> String {
    i.key.clone().unwrap_or_else(|| format!("insats-{}", i.id))
}

pub async fn by_key<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    key: &str,
) -> Result<Option<Insats>> {
    Ok(insats::Entity::find()
        .filter(insats::Column::TenantId.eq(tenant_id))
        .filter(insats::Column::Key.eq(key))
        .one(db)
        .await?)
}

pub async fn by_name<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    name: &str,
) -> Result<Option<Insats>> {
    Ok(insats::Entity::find()
        .filter(insats::Column::TenantId.eq(tenant_id))
        .filter(insats::Column::Name.eq(name))
        .one(db)
        .await?)
}

/// Writes an insats: into `existing` (a row of this tenant), or as a new one; then attaches the coaches
/// it names who have an account (the others are attached when their account is made). `position` keeps a
/// year file's order; `None` keeps the row's (a new one goes last).
pub async fn save<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    existing: Option<Insats>,
    ins: &finsam_core::yearfile::Insats,
    position: Option<i32>,
) -> Result<Insats> {
    use sea_orm::TryIntoModel;
    let mut row = match existing {
        Some(r) => r.into(),
        None => insats::ActiveModel {
            tenant_id: Set(tenant_id),
            created_at: Set(Utc::now()),
            position: Set(i32::MAX / 2),
            ..Default::default()
        },
    };
    row.key = Set(Some(ins.key.clone()));
    row.name = Set(ins.name.clone());
    row.kind = Set(ins.kind.as_str().to_owned());
    if let Some(p) = position {
        row.position = Set(p);
    }
    row.data = Set(Some(
        serde_json::to_string(ins).expect("insatser serialise"),
    ));
    let saved = row.save(db).await?.try_into_model()?;
    for c in &ins.coaches {
        if let Some(a) = crate::entities::account::Entity::find()
            .filter(crate::entities::account::Column::Email.eq(c.email.as_str()))
            .one(db)
            .await?
        {
            attach_coach(db, tenant_id, saved.id, a.id).await?;
        }
    }
    Ok(saved)
}
