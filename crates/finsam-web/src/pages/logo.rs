//! The förbund on its documents, in the browser: the kansli sets the organisationsnummer, and sees,
//! uploads or removes the logo.

use crate::api::logo::{remove_logo, save_logo};
use crate::error::{AppError, PageError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use crate::state::AppState;
use crate::views::{self, FormErrors, csrf_for_page};
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use minijinja::value::Serde;
use minijinja::{Value, context};

async fn page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    errors: Option<FormErrors>,
    typed: Option<&crate::api::logo::Profile>,
) -> Result<Html<String>, AppError> {
    let profile = match typed {
        Some(p) => p.clone(),
        None => crate::api::logo::Profile::of(&ctx.tenant),
    };
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    views::render(
        "logo.html",
        context! {
            title => "Förbundet på dokumenten", has_logo => ctx.tenant.logo_sha256.is_some(),
            profile => Value::from(Serde(&profile)),
            max_kb => finsam_documents::logo::MAX_LOGO_BYTES / 1024,
            errors => Value::from(Serde(&errors)),
            tenant => views::tenant_value(ctx),
            ..layout
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    Ok((jar, page(&state, &ctx, &csrf, None, None).await?).into_response())
}

pub async fn upload(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let mut bytes = Vec::new();
    if let Ok(mut multipart) = multipart {
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|_| AppError::PayloadTooLarge)?
        {
            if field.name() == Some("file") {
                bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::PayloadTooLarge)?
                    .to_vec();
            }
        }
    }
    match save_logo(&state, &ctx, &client, bytes).await {
        Ok(()) => Ok(Redirect::to(&format!("/t/{}/logotyp", ctx.tenant.slug)).into_response()),
        Err(AppError::Validation(fields)) => {
            let (jar, csrf) = csrf_for_page(&state, jar);
            let html = page(
                &state,
                &ctx,
                &csrf,
                Some(FormErrors::from_fields(fields)),
                None,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, html).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn remove(ctx: Tenant<perm::Manage>, client: ClientInfo) -> Result<Response, PageError> {
    remove_logo(&ctx, &client).await?;
    Ok(Redirect::to(&format!("/t/{}/logotyp", ctx.tenant.slug)).into_response())
}

/// The kansli sets the förbund's organisationsnummer.
pub async fn save_orgnr(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    axum::Form(form): axum::Form<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    let p = crate::api::logo::Profile {
        orgnr: field("orgnr"),
        mail_from_name: field("mail_from_name"),
        mail_reply_to: field("mail_reply_to"),
    };
    match crate::api::logo::save_profile(&ctx, &client, &p).await {
        Ok(_) => Ok(Redirect::to(&format!("/t/{}/logotyp", ctx.tenant.slug)).into_response()),
        Err(AppError::Validation(fields)) => {
            let (jar, csrf) = csrf_for_page(&state, jar);
            let html = page(
                &state,
                &ctx,
                &csrf,
                Some(FormErrors::from_fields(fields)),
                Some(&p),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, html).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}
