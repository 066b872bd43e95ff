//! Meetings in the browser: the list, and one meeting (the kansli's form; read-only for the others).

use crate::api::meetings::{ItemInput, MeetingInput, save_meeting};
use crate::error::{AppError, FieldError, PageError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use crate::state::AppState;
use crate::views::{self, FormErrors, csrf_for_page};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use finsam_core::Permission;
use finsam_core::yearfile::{Meeting, MeetingKind};
use finsam_db::repo::{meetings, organisation};
use minijinja::value::Serde;
use minijinja::{Value, context};
use std::collections::HashMap;

/// Blank rows offered for new items.
const BLANK_ITEMS: usize = 2;

#[derive(serde::Serialize, Default)]
struct Shown {
    kind: String,
    title: String,
    date: String,
    place: String,
    kallade: String,
    deltagare: String,
    bilagor: String,
    items: Vec<ItemInput>,
    motesordforande: String,
    sekreterare: String,
    justerare: String,
}

async fn shown_from(state: &AppState, tenant_id: i64, m: &Meeting) -> Result<Shown, AppError> {
    let people = organisation::people(&state.db.tenant(tenant_id), tenant_id).await?;
    let name = |k: &str| {
        people
            .iter()
            .find(|p| p.key == k)
            .map_or(k.to_owned(), |p| p.name.clone())
    };
    Ok(Shown {
        kind: if m.kind == MeetingKind::Medlemssamrad {
            "medlemssamrad".into()
        } else {
            "styrelsemote".into()
        },
        title: m.title.clone(),
        date: m.date.to_string(),
        place: m.place.clone(),
        kallade: m.kallade.clone(),
        deltagare: m.deltagare.join("\n"),
        bilagor: m.bilagor.join("\n"),
        items: m
            .items
            .iter()
            .map(|i| ItemInput {
                number: i.number.clone(),
                title: i.title.clone(),
                text: i.text.clone(),
                beslut: i.beslut.clone().unwrap_or_default(),
            })
            .collect(),
        motesordforande: m.motesordforande.as_deref().map(name).unwrap_or_default(),
        sekreterare: m.sekreterare.as_deref().map(name).unwrap_or_default(),
        justerare: m
            .justerare
            .iter()
            .map(|k| name(k))
            .collect::<Vec<_>>()
            .join("\n"),
    })
}

async fn page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    action: String,
    heading: String,
    mut shown: Shown,
    errors: Option<FormErrors>,
) -> Result<Html<String>, AppError> {
    let can_manage = ctx.can(Permission::Manage);
    if can_manage {
        shown
            .items
            .extend((0..BLANK_ITEMS).map(|_| ItemInput::default()));
    }
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    // A stored meeting's form posts to its own address, which ends in its id.
    let meeting_id = action
        .rsplit('/')
        .next()
        .and_then(|id| id.parse::<i64>().ok());
    views::render(
        "meeting_form.html",
        context! {
            title => heading.clone(), heading, action, can_manage, meeting_id,
            form => Value::from(Serde(&shown)), errors => Value::from(Serde(&errors)),
            tenant => views::tenant_value(ctx),
            ..layout
        },
    )
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let layout = views::layout(&state, &ctx.auth, Some(&ctx), &csrf).await?;
    let rows: Vec<Value> = meetings::list(&ctx.db, ctx.tenant_id())
        .await?
        .iter()
        .map(|m| context! { id => m.id, date => m.meeting.date.to_string(), title => m.meeting.title.clone(), place => m.meeting.place.clone() })
        .collect();
    Ok((
        jar,
        views::render(
            "meetings.html",
            context! {
                title => "Möten", meetings => rows, can_manage => ctx.can(Permission::Manage),
                tenant => views::tenant_value(&ctx),
                ..layout
            },
        )?,
    )
        .into_response())
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let shown = Shown {
        kind: "styrelsemote".into(),
        title: "Styrelsemöte".into(),
        items: vec![
            ItemInput {
                number: "1".into(),
                title: "Mötets öppnande".into(),
                ..Default::default()
            },
            ItemInput {
                number: "2".into(),
                title: "Val av justerare".into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let html = page(
        &state,
        &ctx,
        &csrf,
        format!("/t/{}/moten", ctx.tenant.slug),
        "Nytt möte".into(),
        shown,
        None,
    )
    .await?;
    Ok((jar, html).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
    jar: CookieJar,
    Path(path): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let m = meetings::get(&ctx.db, ctx.tenant_id(), path.1)
        .await?
        .ok_or(AppError::NotFound)?;
    let shown = shown_from(&state, ctx.tenant_id(), &m.meeting).await?;
    let (jar, csrf) = csrf_for_page(&state, jar);
    let heading = format!("{} {}", m.meeting.title, m.meeting.date);
    let html = page(
        &state,
        &ctx,
        &csrf,
        format!("/t/{}/moten/{}", ctx.tenant.slug, m.id),
        heading,
        shown,
        None,
    )
    .await?;
    Ok((jar, html).into_response())
}

fn read(form: &HashMap<String, String>) -> (Shown, MeetingInput) {
    let get = |k: &str| {
        form.get(k)
            .cloned()
            .unwrap_or_default()
            .replace("\r\n", "\n")
    };
    let count: usize = get("items").parse().unwrap_or(0).min(200);
    let items: Vec<ItemInput> = (0..count)
        .map(|i| ItemInput {
            number: get(&format!("number_{i}")),
            title: get(&format!("title_{i}")),
            text: get(&format!("text_{i}")),
            beslut: get(&format!("beslut_{i}")),
        })
        .collect();
    let lines = |s: &str| s.lines().map(str::to_owned).collect::<Vec<_>>();
    let shown = Shown {
        kind: get("kind"),
        title: get("title"),
        date: get("date"),
        place: get("place"),
        kallade: get("kallade"),
        deltagare: get("deltagare"),
        bilagor: get("bilagor"),
        items: items.clone(),
        motesordforande: get("motesordforande"),
        sekreterare: get("sekreterare"),
        justerare: get("justerare"),
    };
    let input = MeetingInput {
        kind: shown.kind.clone(),
        title: shown.title.clone(),
        date: shown.date.clone(),
        place: shown.place.clone(),
        kallade: shown.kallade.clone(),
        deltagare: lines(&shown.deltagare),
        bilagor: lines(&shown.bilagor),
        items,
        motesordforande: shown.motesordforande.clone(),
        sekreterare: shown.sekreterare.clone(),
        justerare: lines(&shown.justerare),
    };
    (shown, input)
}

async fn submit(
    state: AppState,
    ctx: &TenantCtx,
    client: ClientInfo,
    jar: CookieJar,
    existing: Option<i64>,
    form: HashMap<String, String>,
) -> Result<Response, PageError> {
    let (mut shown, input) = read(&form);
    match save_meeting(ctx, existing, &input, &client).await {
        Ok(id) => Ok(Redirect::to(&format!("/t/{}/moten/{id}", ctx.tenant.slug)).into_response()),
        Err(AppError::Validation(fields)) => {
            let fields = fields
                .into_iter()
                .map(|f| {
                    let path = f
                        .path
                        .strip_prefix("items[")
                        .and_then(|r| r.split_once("]."))
                        .map_or(f.path.clone(), |(i, field)| format!("{field}_{i}"));
                    FieldError::new(path, f.message)
                })
                .collect();
            // The blank rows are added again by the page.
            while shown.items.last().is_some_and(|i| {
                i.number.trim().is_empty()
                    && i.title.trim().is_empty()
                    && i.text.trim().is_empty()
                    && i.beslut.trim().is_empty()
            }) {
                shown.items.pop();
            }
            let (jar, csrf) = csrf_for_page(&state, jar);
            let (action, heading) = match existing {
                Some(id) => (
                    format!("/t/{}/moten/{id}", ctx.tenant.slug),
                    shown.title.clone(),
                ),
                None => (
                    format!("/t/{}/moten", ctx.tenant.slug),
                    "Nytt möte".to_owned(),
                ),
            };
            let html = page(
                &state,
                ctx,
                &csrf,
                action,
                heading,
                shown,
                Some(FormErrors::from_fields(fields)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, html).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    submit(state, &ctx, client, jar, None, form).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Path(path): Path<(String, i64)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    meetings::get(&ctx.db, ctx.tenant_id(), path.1)
        .await?
        .ok_or(AppError::NotFound)?;
    submit(state, &ctx, client, jar, Some(path.1), form).await
}
