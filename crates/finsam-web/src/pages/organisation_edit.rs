//! The kansli edits the seats of the styrelse and the beredningsgrupp.

use crate::api::organisation::{SeatRow, body_ok, rows, save_seats};
use crate::error::{AppError, FieldError, PageError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use crate::state::AppState;
use crate::views::{self, FormErrors, csrf_for_page};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::Datelike;
use finsam_db::repo::members;
use minijinja::value::Serde;
use minijinja::{Value, context};
use std::collections::HashMap;

/// Blank rows offered for new seats.
const BLANK_ROWS: usize = 3;

async fn page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    body: &str,
    mut shown: Vec<SeatRow>,
    errors: Option<FormErrors>,
) -> Result<Html<String>, AppError> {
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    shown.extend((0..BLANK_ROWS).map(|_| SeatRow {
        seat: "ordinarie".into(),
        ..Default::default()
    }));
    let members: Vec<Value> = members::list(&ctx.db, ctx.tenant_id())
        .await?
        .into_iter()
        .map(|m| context! { key => members::details(&m).key, name => m.name })
        .collect();
    let heading = if body == "styrelse" {
        "Styrelsens ledamöter"
    } else {
        "Beredningsgruppens ledamöter"
    };
    views::render(
        "seats_form.html",
        context! {
            title => heading, heading, body, members, year => chrono::Utc::now().year() - 1,
            rows => Value::from(Serde(&shown)), errors => Value::from(Serde(&errors)),
            tenant => views::tenant_value(ctx),
            ..layout
        },
    )
}

pub async fn form(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
    Path(path): Path<(String, String)>,
) -> Result<Response, PageError> {
    let body = body_ok(&path.1)?;
    let current = rows(&state, ctx.tenant_id(), body).await?;
    let (jar, csrf) = csrf_for_page(&state, jar);
    Ok((jar, page(&state, &ctx, &csrf, body, current, None).await?).into_response())
}

pub async fn save(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Path(path): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let body = body_ok(&path.1)?;
    let count: usize = form
        .get("rows")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
        .min(500);
    let get = |f: &str, i: usize| {
        form.get(&format!("{f}_{i}"))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    // A row with no name, e-mail or dates is an empty row (a blank one, or a seat the kansli cleared).
    let mut index = Vec::new();
    let entered: Vec<SeatRow> = (0..count)
        .filter(|i| {
            ["name", "email", "from", "to"]
                .iter()
                .any(|f| !get(f, *i).is_empty())
        })
        .map(|i| {
            index.push(i);
            SeatRow {
                name: get("name", i),
                email: get("email", i),
                member: get("member", i),
                seat: get("seat", i),
                position: get("position", i),
                from: get("from", i),
                to: get("to", i),
            }
        })
        .collect();
    match save_seats(&ctx, body, &entered, &client).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/t/{}/ar/{}/organisation",
            ctx.tenant.slug,
            chrono::Utc::now().year() - 1
        ))
        .into_response()),
        Err(AppError::Validation(fields)) => {
            // "seats[2].to" is the form's "to_2" (counted among the entered rows, which are shown first).
            let fields = fields
                .into_iter()
                .map(|f| {
                    let (row, field) = f
                        .path
                        .strip_prefix("seats[")
                        .and_then(|r| r.split_once("]."))
                        .unwrap_or(("0", "name"));
                    FieldError::new(format!("{field}_{row}"), f.message)
                })
                .collect();
            let (jar, csrf) = csrf_for_page(&state, jar);
            let html = page(
                &state,
                &ctx,
                &csrf,
                body,
                entered,
                Some(FormErrors::from_fields(fields)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, html).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

async fn staff_page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    mut shown: Vec<crate::api::organisation::StaffRow>,
    errors: Option<FormErrors>,
) -> Result<Html<String>, AppError> {
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    shown.extend((0..2).map(|_| crate::api::organisation::StaffRow {
        share_percent: "100".into(),
        ..Default::default()
    }));
    views::render(
        "staff_form.html",
        context! {
            title => "Kansliets personal", year => chrono::Utc::now().year() - 1,
            rows => Value::from(Serde(&shown)), errors => Value::from(Serde(&errors)),
            tenant => views::tenant_value(ctx),
            ..layout
        },
    )
}

pub async fn staff_form(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let rows = crate::api::organisation::staff_rows(&state, ctx.tenant_id()).await?;
    let (jar, csrf) = csrf_for_page(&state, jar);
    Ok((jar, staff_page(&state, &ctx, &csrf, rows, None).await?).into_response())
}

pub async fn staff_save(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    use crate::api::organisation::{StaffRow, save_staff};
    let count: usize = form
        .get("rows")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
        .min(200);
    let get = |f: &str, i: usize| {
        form.get(&format!("{f}_{i}"))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let entered: Vec<StaffRow> = (0..count)
        .filter(|i| !get("name", *i).is_empty())
        .map(|i| StaffRow {
            name: get("name", i),
            email: get("email", i),
            title: get("title", i),
            share_percent: get("share_percent", i),
            from: get("from", i),
            to: get("to", i),
        })
        .collect();
    match save_staff(&ctx, &entered, &client).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/t/{}/ar/{}/organisation#kansli",
            ctx.tenant.slug,
            chrono::Utc::now().year() - 1
        ))
        .into_response()),
        Err(AppError::Validation(fields)) => {
            let fields = fields
                .into_iter()
                .map(|f| {
                    let (row, field) = f
                        .path
                        .strip_prefix("staff[")
                        .and_then(|r| r.split_once("]."))
                        .unwrap_or(("0", "name"));
                    FieldError::new(format!("{field}_{row}"), f.message)
                })
                .collect();
            let (jar, csrf) = csrf_for_page(&state, jar);
            let html = staff_page(
                &state,
                &ctx,
                &csrf,
                entered,
                Some(FormErrors::from_fields(fields)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, html).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}
