//! The förbund's member organisations.

use crate::Result;
use crate::entities::member;
use chrono::Utc;
use finsam_core::{MemberKind, OrgNr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TryIntoModel,
};

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

pub async fn by_key<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    key: &str,
) -> Result<Option<Member>> {
    Ok(member::Entity::find()
        .filter(member::Column::TenantId.eq(tenant_id))
        .filter(member::Column::Key.eq(key))
        .one(db)
        .await?)
}

pub async fn by_orgnr<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    orgnr: &OrgNr,
) -> Result<Option<Member>> {
    Ok(member::Entity::find()
        .filter(member::Column::TenantId.eq(tenant_id))
        .filter(member::Column::Orgnr.eq(orgnr.as_str()))
        .one(db)
        .await?)
}

/// Writes a member's details: into `existing` (a row of this tenant), or as a new member. `position`
/// keeps the order of a year file; `None` keeps the row's (a new row goes last).
pub async fn save<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    existing: Option<Member>,
    m: &finsam_core::yearfile::Member,
    position: Option<i32>,
) -> Result<Member> {
    let mut row = match existing {
        Some(r) => {
            debug_assert_eq!(r.tenant_id, tenant_id);
            r.into()
        }
        None => member::ActiveModel {
            tenant_id: Set(tenant_id),
            created_at: Set(Utc::now()),
            position: Set(i32::MAX / 2),
            ..Default::default()
        },
    };
    row.key = Set(Some(m.key.clone()));
    row.name = Set(m.name.clone());
    row.kind = Set(m.kind.as_str().to_owned());
    row.orgnr = Set(m.organisationsnummer.as_str().to_owned());
    if let Some(p) = position {
        row.position = Set(p);
    }
    row.data = Set(Some(serde_json::to_string(m).expect("members serialise")));
    Ok(row.save(db).await?.try_into_model()?)
}

/// The year-file form of a stored member (rows made before keys existed get one from their id).
pub fn details(m: &Member) -> finsam_core::yearfile::Member {
    m.data
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or_else(|| finsam_core::yearfile::Member {
            key: m.key.clone().unwrap_or_else(|| format!("medlem-{}", m.id)),
            name: m.name.clone(),
            kind: MemberKind::parse(&m.kind).unwrap_or(MemberKind::Kommun),
            organisationsnummer: OrgNr::parse(&m.orgnr)
                .expect("stored organisationsnummer are valid"),
            population: Default::default(),
            registrator_emails: vec![],
            contact: None,
        })
}
