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
