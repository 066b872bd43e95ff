//! The account's own pages: change password, accept an invitation, reset a forgotten password.

use crate::error::{AppError, PageError};
use crate::extract::{Auth, ClientInfo};
use crate::service;
use crate::state::AppState;
use crate::views::{self, FormErrors, csrf_for_page};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use finsam_db::repo::{accounts, tenants, tokens};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChangeForm {
    current_password: String,
    password: String,
    password_confirm: String,
}

async fn change_page(
    state: &AppState,
    auth: &Auth,
    csrf: &str,
    errors: Option<FormErrors>,
    status: Option<&str>,
) -> Result<Html<String>, PageError> {
    let layout = views::layout(state, auth, None, csrf).await?;
    Ok(views::render(
        "password_change.html",
        context! { title => "Byt lösenord", errors => Value::from(Serde(&errors)), status, ..layout },
    )?)
}

pub async fn change_show(
    State(state): State<AppState>,
    auth: Auth,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    Ok((jar, change_page(&state, &auth, &csrf, None, None).await?).into_response())
}

pub async fn change_submit(
    State(state): State<AppState>,
    auth: Auth,
    client: ClientInfo,
    jar: CookieJar,
    Form(f): Form<ChangeForm>,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    match service::change_password(
        &state,
        &auth,
        &f.current_password,
        &f.password,
        &f.password_confirm,
        &client,
    )
    .await
    {
        Ok(()) => Ok((
            jar,
            change_page(
                &state,
                &auth,
                &csrf,
                None,
                Some("Lösenordet är bytt. Andra inloggningar har loggats ut."),
            )
            .await?,
        )
            .into_response()),
        Err(AppError::Validation(fields)) => {
            let page = change_page(
                &state,
                &auth,
                &csrf,
                Some(FormErrors::from_fields(fields)),
                None,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SetForm {
    password: String,
    password_confirm: String,
}

fn set_page(
    csrf: &str,
    action: &str,
    heading: &str,
    intro: &str,
    errors: Option<FormErrors>,
) -> Result<Html<String>, PageError> {
    views::render_or_error(
        "set_password.html",
        context! { title => heading, heading, intro, action, csrf, errors => Value::from(Serde(&errors)) },
    )
}

const INVITE_HEADING: &str = "Välj lösenord";

fn invite_intro(name: &str, tenant: Option<&str>) -> String {
    match tenant {
        Some(t) => {
            format!("Välkommen {name}! Välj ett lösenord för att börja använda Finsam för {t}.")
        }
        None => format!("Välkommen {name}! Välj ett lösenord för att börja använda Finsam."),
    }
}

async fn token_page_data(
    state: &AppState,
    token: &str,
    purpose: &str,
) -> Result<(accounts::Account, Option<tenants::Tenant>), AppError> {
    let t = service::usable_token(state, token, purpose).await?;
    let account = accounts::by_id(state.db.platform(), t.account_id)
        .await?
        .ok_or(AppError::Gone)?;
    let tenant = match t.tenant_id {
        Some(id) => tenants::by_id(state.db.platform(), id).await?,
        None => None,
    };
    Ok((account, tenant))
}

pub async fn invitation_show(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let (account, tenant) = token_page_data(&state, &token, tokens::PURPOSE_INVITATION).await?;
    let (jar, csrf) = csrf_for_page(&state, jar);
    let intro = invite_intro(&account.name, tenant.as_ref().map(|t| t.name.as_str()));
    Ok((
        jar,
        set_page(
            &csrf,
            &format!("/inbjudan/{token}"),
            INVITE_HEADING,
            &intro,
            None,
        ),
    )
        .into_response())
}

pub async fn invitation_submit(
    State(state): State<AppState>,
    jar: CookieJar,
    client: ClientInfo,
    Path(token): Path<String>,
    Form(f): Form<SetForm>,
) -> Result<Response, PageError> {
    set_with_token(state, jar, client, token, tokens::PURPOSE_INVITATION, f).await
}

async fn set_with_token(
    state: AppState,
    jar: CookieJar,
    client: ClientInfo,
    token: String,
    purpose: &str,
    f: SetForm,
) -> Result<Response, PageError> {
    match service::set_password_with_token(
        &state,
        &token,
        purpose,
        &f.password,
        &f.password_confirm,
        &client,
    )
    .await
    {
        Ok((account, tenant_id)) => {
            let jar = service::start_session(&state, &account, &client, jar).await?;
            let to = match tenant_id {
                Some(id) => match tenants::by_id(state.db.platform(), id).await? {
                    Some(t) => format!("/t/{}", t.slug),
                    None => service::landing_path(&state, &account).await?,
                },
                None => service::landing_path(&state, &account).await?,
            };
            Ok((jar, Redirect::to(&to)).into_response())
        }
        Err(AppError::Validation(fields)) => {
            let (account, tenant) = token_page_data(&state, &token, purpose).await?;
            let (jar, csrf) = csrf_for_page(&state, jar);
            let page = if purpose == tokens::PURPOSE_INVITATION {
                let intro = invite_intro(&account.name, tenant.as_ref().map(|t| t.name.as_str()));
                set_page(
                    &csrf,
                    &format!("/inbjudan/{token}"),
                    INVITE_HEADING,
                    &intro,
                    Some(FormErrors::from_fields(fields)),
                )
            } else {
                set_page(
                    &csrf,
                    &format!("/aterstall/{token}"),
                    RESET_HEADING,
                    RESET_INTRO,
                    Some(FormErrors::from_fields(fields)),
                )
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

const RESET_HEADING: &str = "Välj nytt lösenord";
const RESET_INTRO: &str =
    "Välj ett nytt lösenord. Alla andra inloggningar med ditt konto loggas ut.";

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetRequestForm {
    email: String,
}

pub async fn reset_request_show(State(state): State<AppState>, jar: CookieJar) -> Response {
    let (jar, csrf) = csrf_for_page(&state, jar);
    (
        jar,
        match views::render_or_error(
            "reset_request.html",
            context! { title => "Glömt lösenordet", csrf, email => "" },
        ) {
            Ok(h) => h,
            Err(r) => return r.into_response(),
        },
    )
        .into_response()
}

pub async fn reset_request_submit(
    State(state): State<AppState>,
    jar: CookieJar,
    client: ClientInfo,
    Form(f): Form<ResetRequestForm>,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    match service::request_password_reset(&state, &f.email, &client).await {
        Ok(()) => Ok((
            jar,
            views::render(
                "reset_request.html",
                context! { title => "Glömt lösenordet", sent => true },
            )?,
        )
            .into_response()),
        Err(AppError::Validation(fields)) => {
            let errors = FormErrors::from_fields(fields);
            let page = views::render(
                "reset_request.html",
                context! { title => "Glömt lösenordet", csrf, email => f.email, errors => Value::from(Serde(&errors)) },
            )?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn reset_show(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    service::usable_token(&state, &token, tokens::PURPOSE_PASSWORD_RESET).await?;
    let (jar, csrf) = csrf_for_page(&state, jar);
    Ok((
        jar,
        set_page(
            &csrf,
            &format!("/aterstall/{token}"),
            RESET_HEADING,
            RESET_INTRO,
            None,
        ),
    )
        .into_response())
}

pub async fn reset_submit(
    State(state): State<AppState>,
    jar: CookieJar,
    client: ClientInfo,
    Path(token): Path<String>,
    Form(f): Form<SetForm>,
) -> Result<Response, PageError> {
    set_with_token(state, jar, client, token, tokens::PURPOSE_PASSWORD_RESET, f).await
}
