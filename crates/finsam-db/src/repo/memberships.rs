use crate::Result;
use crate::entities::{account, membership, tenant};
use chrono::Utc;
use finsam_core::Role;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, sea_query::OnConflict,
};

/// One role an account holds in one tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipView {
    pub tenant_id: i64,
    pub tenant_slug: String,
    pub tenant_name: String,
    pub role: Role,
}

/// Every (tenant, role) the account holds, ordered by tenant name, then by role.
pub async fn for_account<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> Result<Vec<MembershipView>> {
    let rows = membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account_id))
        .all(db)
        .await?;
    let tenants = tenant::Entity::find()
        .filter(tenant::Column::Id.is_in(rows.iter().map(|m| m.tenant_id)))
        .all(db)
        .await?;
    let mut out: Vec<MembershipView> = rows
        .into_iter()
        .filter_map(|m| {
            let t = tenants.iter().find(|t| t.id == m.tenant_id)?;
            Some(MembershipView {
                tenant_id: t.id,
                tenant_slug: t.slug.clone(),
                tenant_name: t.name.clone(),
                role: Role::parse(&m.role)?,
            })
        })
        .collect();
    out.sort_by(|a, b| a.tenant_name.cmp(&b.tenant_name).then(a.role.cmp(&b.role)));
    Ok(out)
}

/// The roles the account holds in this tenant; empty when it is not a member.
pub async fn roles_in<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    account_id: i64,
) -> Result<Vec<Role>> {
    let rows = membership::Entity::find()
        .filter(membership::Column::TenantId.eq(tenant_id))
        .filter(membership::Column::AccountId.eq(account_id))
        .all(db)
        .await?;
    let mut roles: Vec<Role> = rows.iter().filter_map(|m| Role::parse(&m.role)).collect();
    roles.sort();
    Ok(roles)
}

/// Gives the account a role in the tenant; giving it again changes nothing.
pub async fn grant<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    account_id: i64,
    role: Role,
) -> Result<()> {
    let row = membership::ActiveModel {
        tenant_id: Set(tenant_id),
        account_id: Set(account_id),
        role: Set(role.as_str().to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    membership::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                membership::Column::TenantId,
                membership::Column::AccountId,
                membership::Column::Role,
            ])
            .do_nothing()
            .to_owned(),
        )
        .try_insert()
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Takes a role away; answers whether there was one to take.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    account_id: i64,
    role: Role,
) -> Result<bool> {
    let res = membership::Entity::delete_many()
        .filter(membership::Column::TenantId.eq(tenant_id))
        .filter(membership::Column::AccountId.eq(account_id))
        .filter(membership::Column::Role.eq(role.as_str()))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

/// A person holding a role in the tenant, for the start page.
#[derive(Debug, Clone)]
pub struct RoleHolder {
    pub account_id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub disabled: bool,
}

pub async fn holders<C: ConnectionTrait>(db: &C, tenant_id: i64) -> Result<Vec<RoleHolder>> {
    let rows = membership::Entity::find()
        .filter(membership::Column::TenantId.eq(tenant_id))
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await?;
    let accounts = account::Entity::find()
        .filter(account::Column::Id.is_in(rows.iter().map(|m| m.account_id)))
        .all(db)
        .await?;
    let mut out: Vec<RoleHolder> = rows
        .into_iter()
        .filter_map(|m| {
            let a = accounts.iter().find(|a| a.id == m.account_id)?;
            Some(RoleHolder {
                account_id: a.id,
                name: a.name.clone(),
                email: a.email.clone(),
                role: Role::parse(&m.role)?,
                disabled: a.disabled,
            })
        })
        .collect();
    out.sort_by(|a, b| a.role.cmp(&b.role).then(a.name.cmp(&b.name)));
    Ok(out)
}

/// The addresses of the tenant's active kansli accounts, sorted, each once: where notices go.
pub async fn kansli_addresses<C: ConnectionTrait>(db: &C, tenant_id: i64) -> Result<Vec<String>> {
    let mut out: Vec<String> = holders(db, tenant_id)
        .await?
        .into_iter()
        .filter(|h| h.role == Role::Kansli && !h.disabled)
        .map(|h| h.email)
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}
