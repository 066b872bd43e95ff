use crate::error::{AppError, PageError};
use crate::extract::{Auth, ClientInfo, Tenant, perm};
use crate::service;
use crate::state::AppState;
use crate::views::{self, FormErrors, csrf_for_page};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use finsam_core::{MemberKind, Permission, Role};
use finsam_db::repo::{accounts, insatser, members, memberships};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

/// `/t`: the förbund the account holds roles in.
pub async fn picker(
    State(state): State<AppState>,
    auth: Auth,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let layout = views::layout(&state, &auth, None, &csrf).await?;
    Ok((
        jar,
        views::render(
            "tenant_picker.html",
            context! { title => "Välj förbund", ..layout },
        )?,
    )
        .into_response())
}

/// `/t/{slug}`: the förbund, its members, its insatser (a coach: their own), and who holds which role.
pub async fn home(
    State(state): State<AppState>,
    ctx: Tenant<perm::ViewTenant>,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let layout = views::layout(&state, &ctx.auth, Some(&ctx), &csrf).await?;
    let members: Vec<Value> = members::list(&ctx.db, ctx.tenant_id())
        .await?
        .into_iter()
        .map(|m| {
            let kind = MemberKind::parse(&m.kind).map_or(m.kind.clone(), |k| k.label().to_owned());
            let registrator = members::details(&m)
                .registrator_emails
                .iter()
                .map(|e| e.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            context! { id => m.id, name => m.name, kind, orgnr => m.orgnr, registrator }
        })
        .collect();
    let insatser: Vec<Value> = insatser::list(&ctx.db, ctx.tenant_id(), ctx.insats_visibility())
        .await?
        .into_iter()
        .map(|i| context! { name => i.name, kind => if i.kind == "individinriktad" { "Individinriktad" } else { "Strukturövergripande" } })
        .collect();
    let holders = if ctx.can(Permission::ViewPeople) {
        let rows = memberships::holders(&ctx.db, ctx.tenant_id()).await?;
        Some(
            rows.into_iter()
                .map(|h| context! { name => h.name, email => h.email, role => h.role.label(), disabled => h.disabled })
                .collect::<Vec<_>>(),
        )
    } else {
        None
    };
    let my_roles = ctx
        .roles
        .iter()
        .map(|r| r.label().to_lowercase())
        .collect::<Vec<_>>()
        .join(" och ");
    Ok((
        jar,
        views::render(
            "tenant_home.html",
            context! {
                title => ctx.tenant.name.clone(),
                tenant => views::tenant_value(&ctx),
                members, insatser, holders, my_roles,
                coach_only => !ctx.can(Permission::ReadAll),
                can_manage => ctx.can(Permission::ManageMemberships),
                ..layout
            },
        )?,
    )
        .into_response())
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct InviteForm {
    name: String,
    email: String,
    role: String,
}

async fn people_page(
    state: &AppState,
    ctx: &Tenant<perm::ManageMemberships>,
    csrf: &str,
    form: &InviteForm,
    errors: Option<FormErrors>,
    status: Option<String>,
) -> Result<Html<String>, PageError> {
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    let holders: Vec<Value> = memberships::holders(&ctx.db, ctx.tenant_id())
        .await?
        .into_iter()
        .map(|h| context! { account_id => h.account_id, name => h.name, email => h.email, role => h.role.as_str(), role_label => h.role.label() })
        .collect();
    let roles: Vec<Value> = Role::ALL
        .iter()
        .map(|r| context! { value => r.as_str(), label => r.label() })
        .collect();
    Ok(views::render(
        "people.html",
        context! {
            title => "Personer och roller",
            tenant => views::tenant_value(ctx),
            holders, roles, form => Value::from(Serde(form)), errors => Value::from(Serde(&errors)), status, ..layout
        },
    )?)
}

pub async fn people(
    State(state): State<AppState>,
    ctx: Tenant<perm::ManageMemberships>,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let form = InviteForm {
        role: "styrelse".into(),
        ..Default::default()
    };
    Ok((
        jar,
        people_page(&state, &ctx, &csrf, &form, None, None).await?,
    )
        .into_response())
}

pub async fn invite(
    State(state): State<AppState>,
    ctx: Tenant<perm::ManageMemberships>,
    client: ClientInfo,
    jar: CookieJar,
    Form(form): Form<InviteForm>,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let result = match crate::api::people::parse_role(&form.role) {
        Ok(role) => {
            service::invite(
                &state,
                service::Invite {
                    inviter: &ctx.auth.account,
                    tenant: &ctx.tenant,
                    role,
                    name: &form.name,
                    email: &form.email,
                },
                &client,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(account) => {
            let status = format!(
                "{} har fått rollen {} och ett e-postmeddelande.",
                account.email, form.role
            );
            let fresh = InviteForm {
                role: form.role.clone(),
                ..Default::default()
            };
            Ok((
                jar,
                people_page(&state, &ctx, &csrf, &fresh, None, Some(status)).await?,
            )
                .into_response())
        }
        Err(AppError::Validation(f)) => {
            let page = people_page(
                &state,
                &ctx,
                &csrf,
                &form,
                Some(FormErrors::from_fields(f)),
                None,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, page).into_response())
        }
        Err(other) => Err(PageError(other)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RevokeForm {
    role: String,
}

pub async fn revoke(
    State(state): State<AppState>,
    ctx: Tenant<perm::ManageMemberships>,
    client: ClientInfo,
    Path((_, account_id)): Path<(String, i64)>,
    Form(form): Form<RevokeForm>,
) -> Result<Redirect, PageError> {
    // Someone without a role here is unknown here, whatever the form says.
    if memberships::roles_in(&ctx.db, ctx.tenant_id(), account_id)
        .await?
        .is_empty()
    {
        return Err(PageError(AppError::NotFound));
    }
    let role = crate::api::people::parse_role(&form.role)?;
    service::revoke_role(
        &state,
        &ctx.auth,
        ctx.tenant_id(),
        account_id,
        role,
        &client,
    )
    .await?;
    Ok(Redirect::to(&format!("/t/{}/personer", ctx.tenant.slug)))
}

/// The förbund's audit log.
pub async fn audit_log(
    State(state): State<AppState>,
    ctx: Tenant<perm::ViewAuditLog>,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let layout = views::layout(&state, &ctx.auth, Some(&ctx), &csrf).await?;
    let events = crate::api::audit::tenant_events(&state, ctx.tenant_id())
        .await
        .map_err(|e| PageError(e.0))?;
    let rows = audit_rows(&state, events).await?;
    Ok((
        jar,
        views::render(
            "audit.html",
            context! {
                title => "Händelselogg",
                tenant => views::tenant_value(&ctx),
                events => rows, ..layout
            },
        )?,
    )
        .into_response())
}

/// Audit events as the page shows them: Swedish action names, Stockholm time, the actor's e-mail.
pub async fn audit_rows(
    state: &AppState,
    events: Vec<finsam_db::repo::audit::AuditEvent>,
) -> Result<Vec<Value>, PageError> {
    let all = accounts::list(state.db.platform()).await?;
    Ok(events
        .into_iter()
        .map(|e| {
            let actor = e
                .actor_account_id
                .and_then(|id| all.iter().find(|a| a.id == id))
                .map(|a| a.email.clone())
                .unwrap_or_default();
            let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
            let detail = detail
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| {
                            format!(
                                "{k}: {}",
                                v.as_str()
                                    .map(str::to_owned)
                                    .unwrap_or_else(|| v.to_string())
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            context! {
                at => finsam_core::time::format_stockholm(e.created_at),
                action => action_label(&e.action),
                actor, detail, client_addr => e.client_addr.unwrap_or_default(),
            }
        })
        .collect())
}

fn action_label(a: &str) -> &str {
    use finsam_db::repo::audit::action::*;
    match a {
        LOGIN => "Inloggning",
        LOGIN_FAILED => "Misslyckad inloggning",
        LOGOUT => "Utloggning",
        PASSWORD_CHANGED => "Lösenord bytt",
        PASSWORD_RESET_REQUESTED => "Nytt lösenord begärt",
        PASSWORD_RESET => "Lösenord återställt",
        INVITATION_SENT => "Inbjudan skickad",
        INVITATION_ACCEPTED => "Inbjudan accepterad",
        ROLE_GRANTED => "Roll tilldelad",
        ROLE_REVOKED => "Roll borttagen",
        TENANT_CREATED => "Förbund skapat",
        ACCOUNT_DISABLED => "Konto inaktiverat",
        ACCOUNT_ENABLED => "Konto aktiverat",
        YEAR_IMPORTED => "Årsfil inläst",
        REPORT_SAVED => "Rapport sparad",
        MEMBER_SAVED => "Medlem sparad",
        YEAR_DATA_SAVED => "Årets uppgifter sparade",
        SEATS_SAVED => "Ledamöter sparade",
        INSATS_SAVED => "Insats sparad",
        MEETING_SAVED => "Möte sparat",
        REPORT_SUBMITTED => "Rapport inskickad",
        REPORT_APPROVED => "Rapport godkänd",
        REPORT_RETURNED => "Rapport tillbakaskickad",
        SURVEY_SAVED => "Enkät sparad",
        SURVEY_RESULT_SAVED => "Enkätsvar sparade",
        DOCUMENT_REQUESTED => "Dokument beställt",
        LOGO_SAVED => "Logotyp sparad",
        PROFILE_SAVED => "Förbundets uppgifter sparade",
        SIGNING_STARTED => "Underskrift startad",
        DOCUMENT_DISTRIBUTED => "Dokument utskickat",
        SCHEDULE_SAVED => "Årshjulet ändrat",
        SCHEDULE_RUN => "Årshjulet kört",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_audit_action_has_a_swedish_label() {
        for a in finsam_db::repo::audit::action::ALL {
            assert_ne!(
                super::action_label(a),
                *a,
                "{a} has no label on the audit page"
            );
        }
    }
}
