//! Single-use tokens sent by e-mail (invitations, password resets). Only their SHA-256 is stored.

use crate::Result;
use crate::entities::one_time_token;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};

pub use one_time_token::Model as OneTimeToken;

pub const PURPOSE_INVITATION: &str = "invitation";
pub const PURPOSE_PASSWORD_RESET: &str = "password_reset";

pub struct NewToken<'a> {
    pub token_hash: &'a str,
    pub purpose: &'a str,
    pub account_id: i64,
    pub tenant_id: Option<i64>,
    pub role: Option<finsam_core::Role>,
    pub created_by: Option<i64>,
    pub expires_at: DateTime<Utc>,
}

pub async fn create<C: ConnectionTrait>(db: &C, t: NewToken<'_>) -> Result<OneTimeToken> {
    let row = one_time_token::ActiveModel {
        token_hash: Set(t.token_hash.to_owned()),
        purpose: Set(t.purpose.to_owned()),
        account_id: Set(t.account_id),
        tenant_id: Set(t.tenant_id),
        role: Set(t.role.map(|r| r.as_str().to_owned())),
        created_by: Set(t.created_by),
        expires_at: Set(t.expires_at),
        used_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// A token that may still be used: right purpose, unused, unexpired.
pub async fn usable<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    purpose: &str,
    now: DateTime<Utc>,
) -> Result<Option<OneTimeToken>> {
    let row = one_time_token::Entity::find()
        .filter(one_time_token::Column::TokenHash.eq(token_hash))
        .filter(one_time_token::Column::Purpose.eq(purpose))
        .filter(one_time_token::Column::UsedAt.is_null())
        .one(db)
        .await?;
    Ok(row.filter(|t| t.expires_at > now))
}

/// Marks the token used. Answers false when another request used it first, so it is used once only.
pub async fn consume<C: ConnectionTrait>(db: &C, id: i64, now: DateTime<Utc>) -> Result<bool> {
    let res = one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::UsedAt, Expr::value(now))
        .filter(one_time_token::Column::Id.eq(id))
        .filter(one_time_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}
