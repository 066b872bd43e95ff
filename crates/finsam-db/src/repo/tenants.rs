use crate::Result;
use crate::entities::tenant;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

pub use tenant::Model as Tenant;

pub async fn by_slug<C: ConnectionTrait>(db: &C, slug: &str) -> Result<Option<Tenant>> {
    Ok(tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(slug))
        .one(db)
        .await?)
}

pub async fn by_id<C: ConnectionTrait>(db: &C, id: i64) -> Result<Option<Tenant>> {
    Ok(tenant::Entity::find_by_id(id).one(db).await?)
}

pub async fn list<C: ConnectionTrait>(db: &C) -> Result<Vec<Tenant>> {
    Ok(tenant::Entity::find()
        .order_by_asc(tenant::Column::Name)
        .all(db)
        .await?)
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    slug: &finsam_core::TenantSlug,
    name: &str,
) -> Result<Tenant> {
    let row = tenant::ActiveModel {
        slug: Set(slug.as_str().to_owned()),
        name: Set(name.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// Sets (or, with `None`, removes) the förbund's logo: its content hash and kind (`png`, `svg`).
pub async fn set_logo<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    logo: Option<(&str, &str)>,
) -> Result<()> {
    let Some(t) = tenant::Entity::find_by_id(tenant_id).one(db).await? else {
        return Ok(());
    };
    let mut row: tenant::ActiveModel = t.into();
    row.logo_sha256 = Set(logo.map(|l| l.0.to_owned()));
    row.logo_kind = Set(logo.map(|l| l.1.to_owned()));
    row.update(db).await?;
    Ok(())
}

/// Sets (or, with `None`, removes) the förbund's own organisationsnummer.
pub async fn set_orgnr<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    orgnr: Option<&finsam_core::OrgNr>,
) -> Result<()> {
    let Some(t) = tenant::Entity::find_by_id(tenant_id).one(db).await? else {
        return Ok(());
    };
    let mut row: tenant::ActiveModel = t.into();
    row.orgnr = Set(orgnr.map(|o| o.as_str().to_owned()));
    row.update(db).await?;
    Ok(())
}

/// Sets the sender name and reply-to address of the förbund's e-mail (`None` for the platform's).
pub async fn set_mail_sender<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    from_name: Option<&str>,
    reply_to: Option<&str>,
) -> Result<()> {
    let Some(t) = tenant::Entity::find_by_id(tenant_id).one(db).await? else {
        return Ok(());
    };
    let mut row: tenant::ActiveModel = t.into();
    row.mail_from_name = Set(from_name.map(str::to_owned));
    row.mail_reply_to = Set(reply_to.map(str::to_owned));
    row.update(db).await?;
    Ok(())
}
