//! The förbund's member organisations.

use crate::Result;
use crate::entities::member;
use chrono::Utc;
use finsam_core::{MemberKind, OrgNr};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

pub use member::Model as Member;

/// The tenant's members: the state first, then the region, then the kommuner by name.
pub async fn list<C: ConnectionTrait>(db: &C, tenant_id: i64) -> Result<Vec<Member>> {
    let mut rows = member::Entity::find()
        .filter(member::Column::TenantId.eq(tenant_id))
        .all(db)
        .await?;
    rows.sort_by(|a, b| {
        let ka = MemberKind::parse(&a.kind).map_or(9, MemberKind::sort_key);
        let kb = MemberKind::parse(&b.kind).map_or(9, MemberKind::sort_key);
        ka.cmp(&kb).then_with(|| a.name.cmp(&b.name))
    });
    Ok(rows)
}

pub async fn get<C: ConnectionTrait>(db: &C, tenant_id: i64, id: i64) -> Result<Option<Member>> {
    Ok(member::Entity::find_by_id(id)
        .filter(member::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?)
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    key: &str,
    name: &str,
    kind: MemberKind,
    orgnr: &OrgNr,
) -> Result<Member> {
    let row = member::ActiveModel {
        tenant_id: Set(tenant_id),
        name: Set(name.to_owned()),
        kind: Set(kind.as_str().to_owned()),
        orgnr: Set(orgnr.as_str().to_owned()),
        created_at: Set(Utc::now()),
        key: Set(Some(key.to_owned())),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}
