//! People and the seats they hold in the styrelse and the beredningsgrupp.

use crate::Result;
use crate::entities::{person, seat, staff};
use finsam_core::yearfile::{Person, Seat, Staff};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

/// The two bodies whose seats are kept.
pub const BODIES: [&str; 2] = ["styrelse", "beredningsgrupp"];

/// Writes a person under their key. `position` keeps a year file's order; `None` keeps the row's.
pub async fn save_person<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    p: &Person,
    position: Option<i32>,
) -> Result<()> {
    let existing = person::Entity::find()
        .filter(person::Column::TenantId.eq(tenant_id))
        .filter(person::Column::Key.eq(&p.key))
        .one(db)
        .await?;
    let mut row = match existing {
        Some(r) => r.into(),
        None => person::ActiveModel {
            tenant_id: Set(tenant_id),
            key: Set(p.key.clone()),
            position: Set(i32::MAX / 2),
            ..Default::default()
        },
    };
    row.name = Set(p.name.clone());
    row.email = Set(p.email.as_ref().map(|e| e.as_str().to_owned()));
    if let Some(pos) = position {
        row.position = Set(pos);
    }
    row.data = Set(serde_json::to_string(p).expect("people serialise"));
    row.save(db).await?;
    Ok(())
}

pub async fn people<C: ConnectionTrait>(db: &C, tenant_id: i64) -> Result<Vec<Person>> {
    person::Entity::find()
        .filter(person::Column::TenantId.eq(tenant_id))
        .order_by_asc(person::Column::Position)
        .order_by_asc(person::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|p| {
            serde_json::from_str(&p.data).map_err(|e| {
                crate::DbError::Db(sea_orm::DbErr::Custom(format!(
                    "stored person is unreadable: {e}"
                )))
            })
        })
        .collect()
}

/// Replaces every seat of one body with `seats`, in this order.
pub async fn replace_seats<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    body: &str,
    seats: &[Seat],
) -> Result<usize> {
    seat::Entity::delete_many()
        .filter(seat::Column::TenantId.eq(tenant_id))
        .filter(seat::Column::Body.eq(body))
        .exec(db)
        .await?;
    for (pos, s) in seats.iter().enumerate() {
        seat::ActiveModel {
            tenant_id: Set(tenant_id),
            body: Set(body.to_owned()),
            person_key: Set(s.person.clone()),
            member_key: Set(s.member.clone()),
            from_date: Set(s.from),
            to_date: Set(s.to),
            position: Set(pos as i32),
            data: Set(serde_json::to_string(s).expect("seats serialise")),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(seats.len())
}

pub async fn seats<C: ConnectionTrait>(db: &C, tenant_id: i64, body: &str) -> Result<Vec<Seat>> {
    seat::Entity::find()
        .filter(seat::Column::TenantId.eq(tenant_id))
        .filter(seat::Column::Body.eq(body))
        .order_by_asc(seat::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(|s| {
            serde_json::from_str(&s.data).map_err(|e| {
                crate::DbError::Db(sea_orm::DbErr::Custom(format!(
                    "stored seat is unreadable: {e}"
                )))
            })
        })
        .collect()
}

/// Replaces the kansli's staff with `list`, in this order.
pub async fn replace_staff<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    list: &[Staff],
) -> Result<()> {
    staff::Entity::delete_many()
        .filter(staff::Column::TenantId.eq(tenant_id))
        .exec(db)
        .await?;
    for (pos, s) in list.iter().enumerate() {
        staff::ActiveModel {
            tenant_id: Set(tenant_id),
            person_key: Set(s.person.clone()),
            position: Set(pos as i32),
            data: Set(serde_json::to_string(s).expect("staff serialise")),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub async fn staff<C: ConnectionTrait>(db: &C, tenant_id: i64) -> Result<Vec<Staff>> {
    staff::Entity::find()
        .filter(staff::Column::TenantId.eq(tenant_id))
        .order_by_asc(staff::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(|s| {
            serde_json::from_str(&s.data).map_err(|e| {
                crate::DbError::Db(sea_orm::DbErr::Custom(format!(
                    "stored staff is unreadable: {e}"
                )))
            })
        })
        .collect()
}
