//! Documents in the browser: the list with each version's status, the kansli's form to render one, a
//! version's provenance, and its PDF (shown inline by the browser, or downloaded).

use crate::api::documents::{
    RenderRequest, document_list, find_version, pdf_response, request_render, version_out,
};
use crate::error::{AppError, PageError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use crate::state::AppState;
use crate::views::{self, FormErrors, csrf_for_page};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::Datelike;
use finsam_core::Permission;
use finsam_db::repo::meetings;
use finsam_documents::Kind;
use minijinja::value::Serde;
use minijinja::{Value, context};
use std::collections::HashMap;

fn status_label(s: &str) -> &'static str {
    match s {
        "queued" => "I kö",
        "rendering" => "Skapas",
        "ready" => "Klar",
        "failed" => "Misslyckades",
        _ => "Okänd",
    }
}

async fn list_page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    form: &HashMap<String, String>,
    errors: Option<FormErrors>,
) -> Result<Html<String>, AppError> {
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    let docs = document_list(state, ctx.tenant_id()).await?;
    let meetings = meetings::list(&ctx.db, ctx.tenant_id()).await?;
    let pending = docs
        .iter()
        .flat_map(|d| &d.versions)
        .any(|v| v.status == "queued" || v.status == "rendering");
    let shown: Vec<Value> = docs
        .iter()
        .map(|d| {
            let kind = Kind::parse(&d.kind).map_or("Dokument", Kind::label);
            let subject = match (d.year, d.meeting_id) {
                (Some(y), _) => y.to_string(),
                (None, Some(id)) => meetings
                    .iter()
                    .find(|m| m.id == id)
                    .map(|m| format!("{} {}", m.meeting.title, m.meeting.date))
                    .unwrap_or_else(|| "Möte".into()),
                _ => String::new(),
            };
            let versions: Vec<Value> = d
                .versions
                .iter()
                .map(|v| {
                    context! {
                        id => v.id, number => v.number, status => v.status.clone(),
                        status_label => status_label(&v.status), draft_reason => v.draft_reason.clone(),
                        error => v.error.clone(), pages => v.pages, created_at => v.created_at.clone(),
                    }
                })
                .collect();
            context! { id => d.id, title => format!("{kind} {subject}"), versions }
        })
        .collect();
    let meeting_options: Vec<Value> = meetings
        .iter()
        .map(
            |m| context! { id => m.id, label => format!("{} {}", m.meeting.title, m.meeting.date) },
        )
        .collect();
    let default_year = chrono::Utc::now().year() - 1;
    views::render(
        "documents.html",
        context! {
            title => "Dokument", documents => shown, pending, meetings => meeting_options,
            can_manage => ctx.can(Permission::Manage),
            form => context! {
                kind => form.get("kind").cloned().unwrap_or_else(|| "arsredovisning".into()),
                year => form.get("year").cloned().unwrap_or_else(|| default_year.to_string()),
                reason => form.get("reason").cloned().unwrap_or_default(),
                draft => form.get("draft").is_some(),
            },
            errors => Value::from(Serde(&errors)), tenant => views::tenant_value(ctx), ..layout
        },
    )
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let html = list_page(&state, &ctx, &csrf, &HashMap::new(), None).await?;
    Ok((jar, html).into_response())
}

/// The kansli asks for a rendering (from the documents page, or a meeting's page for its minutes).
pub async fn create(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let kind = get("kind");
    let is_minutes = kind == Kind::Minnesanteckningar.as_str();
    let mut errors = Vec::new();
    let year = if is_minutes {
        None
    } else {
        match get("year").parse::<i32>() {
            Ok(y) => Some(y),
            Err(_) => {
                errors.push(crate::error::FieldError::new(
                    "year",
                    "Ange året med fyra siffror.",
                ));
                None
            }
        }
    };
    let meeting_id = if is_minutes {
        get("meeting_id").parse::<i64>().ok()
    } else {
        None
    };
    let r = RenderRequest {
        kind,
        year,
        meeting_id,
        draft: form.contains_key("draft"),
        reason: Some(get("reason")),
    };
    let result = if errors.is_empty() {
        request_render(&state, &ctx, &client, &r).await
    } else {
        Err(AppError::Validation(errors))
    };
    match result {
        Ok((_, v)) => Ok(Redirect::to(&format!(
            "/t/{}/dokument/versioner/{}",
            ctx.tenant.slug, v.id
        ))
        .into_response()),
        Err(AppError::Validation(fields)) => {
            let (jar, csrf) = csrf_for_page(&state, jar);
            let html = list_page(
                &state,
                &ctx,
                &csrf,
                &form,
                Some(FormErrors::from_fields(fields)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, html).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

/// One version: its status, provenance and the links to the PDF.
pub async fn version(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
    jar: CookieJar,
    Path(path): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let (d, v) = find_version(&state, ctx.tenant_id(), path.1).await?;
    let out = version_out(&d, &v);
    let (jar, csrf) = csrf_for_page(&state, jar);
    let layout = views::layout(&state, &ctx.auth, Some(&ctx), &csrf).await?;
    let kind = Kind::parse(&d.kind).map_or("Dokument", Kind::label);
    let heading = match d.year {
        Some(y) => format!("{kind} {y}, version {}", v.number),
        None => format!("{kind}, version {}", v.number),
    };
    let html = views::render(
        "document_version.html",
        context! {
            title => heading.clone(), heading, version => Value::from(Serde(&out)),
            status_label => status_label(&v.status),
            pending => v.status == "queued" || v.status == "rendering",
            can_sign => ctx.can(finsam_core::Permission::Manage) && v.status == "ready" && !v.draft && v.signing_round_id.is_none(),
            sealed_round => v.signing_round_id,
            tenant => views::tenant_value(&ctx), ..layout
        },
    )?;
    Ok((jar, html).into_response())
}

#[derive(serde::Deserialize)]
pub struct PdfQuery {
    #[serde(default)]
    pub ladda_ner: Option<String>,
}

/// A ready version's PDF, inline (the browser's viewer is the preview) or as a download.
pub async fn pdf(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i64)>,
    Query(q): Query<PdfQuery>,
) -> Result<Response, PageError> {
    Ok(pdf_response(&state, ctx.tenant_id(), path.1, q.ladda_ner.is_some()).await?)
}
