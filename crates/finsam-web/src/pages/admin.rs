//! The platform admin's pages: förbund, invitations of their first kansli, accounts. No förbund data.

use crate::error::{AppError, PageError};
use crate::extract::{ClientInfo, PlatformAdmin};
use crate::service;
use crate::state::AppState;
use crate::views::{self, FormErrors, csrf_for_page};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use finsam_core::Role;
use finsam_db::repo::{accounts, audit, memberships, tenants};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct InviteForm {
    tenant_slug: String,
    name: String,
    email: String,
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct TenantForm {
    tenant_name: String,
    slug: String,
}

#[derive(Default)]
struct AdminView {
    invite: InviteForm,
    invite_errors: Option<FormErrors>,
    new_tenant: TenantForm,
    tenant_errors: Option<FormErrors>,
    status: Option<String>,
}

async fn page(
    state: &AppState,
    admin: &PlatformAdmin,
    csrf: &str,
    v: AdminView,
) -> Result<Html<String>, PageError> {
    let layout = views::layout(state, &admin.0, None, csrf).await?;
    let mut tenant_rows: Vec<Value> = Vec::new();
    for t in tenants::list(state.db.platform()).await? {
        let people = memberships::holders(&state.db.tenant(t.id), t.id)
            .await?
            .len();
        tenant_rows.push(context! { slug => t.slug, name => t.name, people });
    }
    let accounts: Vec<Value> = accounts::list(state.db.platform())
        .await?
        .into_iter()
        .map(|a| {
            context! {
                id => a.id, name => a.name, email => a.email, disabled => a.disabled,
                has_password => a.password_hash.is_some(), is_platform_admin => a.is_platform_admin,
            }
        })
        .collect();
    Ok(views::render(
        "admin.html",
        context! {
            title => "Plattformsadministration",
            tenant_rows, accounts,
            invite => Value::from(Serde(&v.invite)), invite_errors => Value::from(Serde(&v.invite_errors)),
            new_tenant => Value::from(Serde(&v.new_tenant)), tenant_errors => Value::from(Serde(&v.tenant_errors)),
            status => v.status,
            ..layout
        },
    )?)
}

pub async fn show(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    Ok((
        jar,
        page(&state, &admin, &csrf, AdminView::default()).await?,
    )
        .into_response())
}

pub async fn invite(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    client: ClientInfo,
    jar: CookieJar,
    Form(f): Form<InviteForm>,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let result = match tenants::by_slug(state.db.platform(), &f.tenant_slug).await? {
        None => Err(AppError::field("tenant_slug", "Välj ett förbund.")),
        Some(tenant) => {
            service::invite(
                &state,
                service::Invite {
                    inviter: &admin.0.account,
                    tenant: &tenant,
                    role: Role::Kansli,
                    name: &f.name,
                    email: &f.email,
                },
                &client,
            )
            .await
        }
    };
    match result {
        Ok(account) => {
            let v = AdminView {
                status: Some(format!("Inbjudan skickad till {}.", account.email)),
                ..Default::default()
            };
            Ok((jar, page(&state, &admin, &csrf, v).await?).into_response())
        }
        Err(AppError::Validation(fields)) => {
            let v = AdminView {
                invite: f,
                invite_errors: Some(FormErrors::from_fields(fields)),
                ..Default::default()
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                jar,
                page(&state, &admin, &csrf, v).await?,
            )
                .into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn create_tenant(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    client: ClientInfo,
    jar: CookieJar,
    Form(f): Form<TenantForm>,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    match service::create_tenant(&state, &admin.0, &f.slug, &f.tenant_name, &client).await {
        Ok(t) => {
            let v = AdminView {
                status: Some(format!("Förbundet {} är tillagt.", t.name)),
                ..Default::default()
            };
            Ok((jar, page(&state, &admin, &csrf, v).await?).into_response())
        }
        Err(AppError::Validation(fields)) => {
            let v = AdminView {
                new_tenant: f,
                tenant_errors: Some(FormErrors::from_fields(fields)),
                ..Default::default()
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                jar,
                page(&state, &admin, &csrf, v).await?,
            )
                .into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn disable(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    client: ClientInfo,
    Path(id): Path<i64>,
) -> Result<Redirect, PageError> {
    service::set_account_disabled(&state, &admin.0, id, true, &client).await?;
    Ok(Redirect::to("/admin#konton"))
}

pub async fn enable(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    client: ClientInfo,
    Path(id): Path<i64>,
) -> Result<Redirect, PageError> {
    service::set_account_disabled(&state, &admin.0, id, false, &client).await?;
    Ok(Redirect::to("/admin#konton"))
}

pub async fn audit_log(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let layout = views::layout(&state, &admin.0, None, &csrf).await?;
    let events = audit::all(&state.db.all_tenants(), 500).await?;
    let rows = crate::pages::tenant::audit_rows(&state, events).await?;
    Ok((
        jar,
        views::render(
            "audit.html",
            context! { title => "Händelselogg", events => rows, ..layout },
        )?,
    )
        .into_response())
}
