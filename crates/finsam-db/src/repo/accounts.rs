use crate::Result;
use crate::entities::account;
use chrono::{DateTime, Utc};
use finsam_core::EmailAddress;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

pub use account::Model as Account;

pub async fn by_email<C: ConnectionTrait>(db: &C, email: &EmailAddress) -> Result<Option<Account>> {
    Ok(account::Entity::find()
        .filter(account::Column::Email.eq(email.as_str()))
        .one(db)
        .await?)
}

pub async fn by_id<C: ConnectionTrait>(db: &C, id: i64) -> Result<Option<Account>> {
    Ok(account::Entity::find_by_id(id).one(db).await?)
}

pub async fn list<C: ConnectionTrait>(db: &C) -> Result<Vec<Account>> {
    Ok(account::Entity::find()
        .order_by_asc(account::Column::Email)
        .all(db)
        .await?)
}

/// Creates an account. Without a password hash it cannot sign in until an invitation sets one.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    email: &EmailAddress,
    name: &str,
    password_hash: Option<String>,
    is_platform_admin: bool,
) -> Result<Account> {
    let now = Utc::now();
    let row = account::ActiveModel {
        email: Set(email.as_str().to_owned()),
        name: Set(name.to_owned()),
        password_hash: Set(password_hash),
        is_platform_admin: Set(is_platform_admin),
        disabled: Set(false),
        credentials_changed_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// Sets a new password hash and moves `credentials_changed_at`, which revokes earlier bearer tokens.
pub async fn set_password<C: ConnectionTrait>(
    db: &C,
    id: i64,
    hash: String,
    at: DateTime<Utc>,
) -> Result<()> {
    let row = account::ActiveModel {
        id: Set(id),
        password_hash: Set(Some(hash)),
        credentials_changed_at: Set(at),
        ..Default::default()
    };
    row.update(db).await?;
    Ok(())
}

pub async fn set_disabled<C: ConnectionTrait>(db: &C, id: i64, disabled: bool) -> Result<()> {
    let row = account::ActiveModel {
        id: Set(id),
        disabled: Set(disabled),
        ..Default::default()
    };
    row.update(db).await?;
    Ok(())
}

pub async fn set_name<C: ConnectionTrait>(db: &C, id: i64, name: &str) -> Result<()> {
    let row = account::ActiveModel {
        id: Set(id),
        name: Set(name.to_owned()),
        ..Default::default()
    };
    row.update(db).await?;
    Ok(())
}
