//! Server-rendered pages: minijinja templates compiled into the binary, HTML-escaped by default.

use crate::auth::csrf;
use crate::error::{AppError, FieldError};
use crate::extract::{Auth, TenantCtx, session_id_from_cookie};
use crate::state::AppState;
use axum::response::Html;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use finsam_db::repo::memberships;
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        macro_rules! add {
            ($($name:literal),*) => {$(
                env.add_template($name, include_str!(concat!("../templates/", $name))).expect($name);
            )*};
        }
        add!(
            "base.html",
            "macros.html",
            "error.html",
            "login.html",
            "tenant_picker.html",
            "tenant_home.html",
            "people.html",
            "audit.html",
            "password_change.html",
            "set_password.html",
            "reset_request.html",
            "admin.html",
            "reports.html",
            "report_form.html",
            "year.html",
            "import_errors.html",
            "member_form.html",
            "texts.html",
            "settings.html",
            "organisation.html",
            "seats_form.html",
            "insatser.html",
            "insats_form.html",
            "meetings.html",
            "meeting_form.html",
            "budget_form.html",
            "accounts_form.html",
            "staff_form.html",
            "surveys.html",
            "survey_form.html",
            "survey_results.html",
            "documents.html",
            "document_version.html",
            "logo.html",
            "schedule.html",
            "sign.html",
            "signing_start.html",
            "signing_rounds.html",
            "signing_round.html",
            "verify.html"
        );
        env
    })
}

/// Renders a page. Templates are compiled in and covered by tests, so a failure is a bug: it is logged
/// and answered with a plain message rather than a panic.
/// Renders a page. A template that fails (a bug) is an internal error: 500 with the error page, and
/// the reason in the log.
pub fn render(name: &str, ctx: Value) -> Result<Html<String>, AppError> {
    env()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map(Html)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("template {name} failed: {e:#}")))
}

pub fn error_page(e: &AppError) -> Html<String> {
    let title = match e {
        AppError::NotFound => "Sidan finns inte",
        AppError::Forbidden => "Ingen behörighet",
        AppError::Gone => "Länken är inte giltig",
        AppError::TooManyRequests { .. } => "För många försök",
        AppError::Internal(_) => "Något gick fel",
        _ => "Det gick inte",
    };
    let message = match e {
        AppError::Gone => {
            "Länken är inte giltig. Den kan redan ha använts eller ha gått ut. Be om en ny."
                .to_owned()
        }
        other => other.message(),
    };
    render(
        "error.html",
        context! { title, message, me => Value::UNDEFINED },
    )
    .unwrap_or_else(|e| {
        // The error page itself failed: a bare page, so an error never hides another.
        tracing::error!(error = %e.message(), "the error page failed");
        Html("<!doctype html><html lang=\"sv\"><title>Fel</title><p>Något gick fel hos oss.</p></html>".into())
    })
}

/// For handlers that answer a `Response` themselves: the page, or the 500 error page.
pub fn render_or_error(name: &str, ctx: Value) -> Result<Html<String>, crate::error::PageError> {
    render(name, ctx).map_err(crate::error::PageError)
}

/// Validation errors as the templates use them: a list for the summary and a map for the fields.
#[derive(Serialize, Default)]
pub struct FormErrors {
    pub fields: Vec<FieldError>,
    pub by_field: BTreeMap<String, String>,
}

impl FormErrors {
    pub fn from_fields(fields: Vec<FieldError>) -> Self {
        let mut by_field = BTreeMap::new();
        for f in &fields {
            by_field
                .entry(f.path.clone())
                .or_insert_with(|| f.message.clone());
        }
        Self { fields, by_field }
    }
}

/// The CSRF token for forms on this page. Bound to the session when there is one, otherwise to a
/// random cookie that this call sets if missing. The middleware in `security.rs` makes the same choice.
pub fn csrf_for_page(state: &AppState, jar: CookieJar) -> (CookieJar, String) {
    if let Some(sid) = session_id_from_cookie(state, &jar) {
        let t = csrf::token(state.cfg.secret(), &sid);
        return (jar, t);
    }
    let name = state.cfg.csrf_cookie_name();
    if let Some(c) = jar.get(name) {
        let t = csrf::token(state.cfg.secret(), c.value());
        return (jar, t);
    }
    let value = crate::auth::secret::random_token();
    let t = csrf::token(state.cfg.secret(), &value);
    let cookie = Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .secure(state.cfg.secure_cookies())
        .same_site(SameSite::Lax)
        .build();
    (jar.add(cookie), t)
}

#[derive(Serialize)]
pub struct TenantLink {
    pub slug: String,
    pub name: String,
    pub roles: String,
}

/// What the layout needs: who is signed in, their förbund for the switcher, the current one.
pub async fn layout(
    state: &AppState,
    auth: &Auth,
    current: Option<&TenantCtx>,
    csrf: &str,
) -> Result<Value, AppError> {
    let ms = memberships::for_account(&state.db.all_tenants(), auth.account.id).await?;
    let mut tenants: Vec<TenantLink> = Vec::new();
    for m in ms {
        match tenants.iter_mut().find(|t| t.slug == m.tenant_slug) {
            Some(t) => {
                t.roles.push_str(", ");
                t.roles.push_str(m.role.label());
            }
            None => tenants.push(TenantLink {
                slug: m.tenant_slug,
                name: m.tenant_name,
                roles: m.role.label().to_owned(),
            }),
        }
    }
    Ok(context! {
        me => context! {
            id => auth.account.id, name => auth.account.name.clone(), email => auth.account.email.clone(),
            is_admin => auth.account.is_platform_admin,
        },
        tenants => Value::from(Serde(&tenants)),
        current => current.map(tenant_value),
        csrf,
    })
}

/// The förbund of a page, as every tenant template names it (`tenant.slug`, `tenant.name`).
pub fn tenant_value(ctx: &crate::extract::TenantCtx) -> Value {
    minijinja::context! { slug => ctx.tenant.slug.clone(), name => ctx.tenant.name.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_that_fails_is_an_internal_error_not_a_page() {
        // An undefined value in strict use, as a bug in a page's context would be.
        let e = render("finns-inte.html", context! {}).unwrap_err();
        assert_eq!(e.status(), axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let r = render_or_error("finns-inte.html", context! {}).unwrap_err();
        assert_eq!(
            axum::response::IntoResponse::into_response(r).status(),
            axum::http::StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn every_template_parses() {
        for name in env()
            .templates()
            .map(|(n, _)| n.to_owned())
            .collect::<Vec<_>>()
        {
            assert!(env().get_template(&name).is_ok(), "{name}");
        }
    }

    /// The Content-Security-Policy allows no inline styles or scripts: a template that used them would
    /// silently lose them in the browser.
    #[test]
    fn no_template_uses_inline_style_or_script() {
        for (name, t) in env().templates() {
            let src = t.source();
            for bad in [
                " style=\"",
                "<script",
                " onclick=",
                " onload=",
                "javascript:",
            ] {
                assert!(!src.contains(bad), "{name} contains {bad:?}");
            }
        }
    }

    #[test]
    fn error_page_escapes_nothing_it_did_not_write_and_is_swedish() {
        let html = error_page(&AppError::NotFound).0;
        assert!(html.contains("lang=\"sv\""));
        assert!(html.contains("Sidan finns inte"));
    }

    #[test]
    fn user_text_is_escaped_in_pages() {
        let html = render(
            "login.html",
            context! { title => "Logga in", csrf => "t", email => "<script>alert(1)</script>" },
        )
        .unwrap()
        .0;
        assert!(!html.contains("<script>alert(1)</script>"));
        assert!(html.contains("&lt;script&gt;"));
    }
}
