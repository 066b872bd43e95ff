use crate::error::{AppError, PageError};
use crate::extract::{Auth, ClientInfo};
use crate::pages::safe_next;
use crate::service;
use crate::state::AppState;
use crate::views::{self, FormErrors, csrf_for_page};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginQuery {
    next: Option<String>,
    utloggad: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
}

fn login_page(
    csrf: &str,
    next: Option<&str>,
    email: &str,
    errors: Option<FormErrors>,
    alert: Option<String>,
    status: Option<&str>,
) -> Result<axum::response::Html<String>, crate::error::PageError> {
    views::render_or_error(
        "login.html",
        context! { title => "Logga in", csrf, next, email, errors => Value::from(Serde(&errors)), alert, status },
    )
}

/// `/`: the landing page for a signed-in account, the login page otherwise.
pub async fn root(
    State(state): State<AppState>,
    auth: Option<Auth>,
) -> Result<Redirect, PageError> {
    match auth {
        Some(a) => Ok(Redirect::to(
            &service::landing_path(&state, &a.account).await?,
        )),
        None => Ok(Redirect::to("/login")),
    }
}

pub async fn show(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(q): Query<LoginQuery>,
) -> Response {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let status = q.utloggad.is_some().then_some("Du är utloggad.");
    (
        jar,
        login_page(
            &csrf,
            safe_next(q.next.as_deref()).as_deref(),
            "",
            None,
            None,
            status,
        ),
    )
        .into_response()
}

pub async fn submit(
    State(state): State<AppState>,
    jar: CookieJar,
    client: ClientInfo,
    Query(q): Query<LoginQuery>,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(q.next.as_deref());
    match service::login(&state, &form.email, &form.password, &client).await {
        Ok(account) => match service::start_session(&state, &account, &client, jar).await {
            Ok(jar) => {
                let to = match next {
                    Some(n) => n,
                    None => match service::landing_path(&state, &account).await {
                        Ok(p) => p,
                        Err(e) => return PageError(e).into_response(),
                    },
                };
                (jar, Redirect::to(&to)).into_response()
            }
            Err(e) => PageError(e).into_response(),
        },
        Err(e @ (AppError::InvalidCredentials | AppError::TooManyRequests { .. })) => {
            let (jar, csrf) = csrf_for_page(&state, jar);
            let mut resp = (
                e.status(),
                jar,
                login_page(
                    &csrf,
                    next.as_deref(),
                    &form.email,
                    None,
                    Some(e.message()),
                    None,
                ),
            )
                .into_response();
            if let AppError::TooManyRequests { retry_after_secs } = e
                && let Ok(v) = retry_after_secs.to_string().parse()
            {
                resp.headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, v);
            }
            resp
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    auth: Auth,
    client: ClientInfo,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let jar = service::end_session(&state, &auth, &client, jar).await?;
    Ok((
        StatusCode::SEE_OTHER,
        jar,
        [(axum::http::header::LOCATION, "/login?utloggad=1")],
    )
        .into_response())
}
