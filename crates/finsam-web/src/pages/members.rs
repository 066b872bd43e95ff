//! The kansli adds and changes the förbund's member organisations.

use crate::api::members::{MemberInput, save_member};
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
use finsam_core::MemberKind;
use finsam_db::repo::members;
use minijinja::value::Serde;
use minijinja::{Value, context};
use std::collections::{BTreeMap, HashMap};

/// The form's values as the page shows them (strings, as typed).
#[derive(serde::Serialize, Default)]
struct Shown {
    name: String,
    kind: String,
    organisationsnummer: String,
    registrator_emails: String,
    contact_name: String,
    contact_email: String,
    contact_phone: String,
    population: BTreeMap<i32, String>,
}

fn shown_from(m: &finsam_core::yearfile::Member) -> Shown {
    Shown {
        name: m.name.clone(),
        kind: m.kind.as_str().into(),
        organisationsnummer: m.organisationsnummer.to_string(),
        registrator_emails: m
            .registrator_emails
            .iter()
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        contact_name: m
            .contact
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        contact_email: m
            .contact
            .as_ref()
            .and_then(|c| c.email.as_ref())
            .map(|e| e.to_string())
            .unwrap_or_default(),
        contact_phone: m
            .contact
            .as_ref()
            .and_then(|c| c.phone.clone())
            .unwrap_or_default(),
        population: m
            .population
            .iter()
            .map(|(y, n)| (*y, n.to_string()))
            .collect(),
    }
}

async fn page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    action: String,
    heading: &str,
    shown: &Shown,
    errors: Option<FormErrors>,
) -> Result<Html<String>, AppError> {
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    let now = chrono::Utc::now().year();
    let mut years: Vec<i32> = (now - 2..=now).collect();
    years.extend(shown.population.keys().copied());
    years.sort_unstable();
    years.dedup();
    let population: Vec<Value> = years.iter().map(|y| context! { year => y, value => shown.population.get(y).cloned().unwrap_or_default() }).collect();
    let kinds: Vec<Value> = [
        MemberKind::Kommun,
        MemberKind::Region,
        MemberKind::Forsakringskassan,
        MemberKind::Arbetsformedlingen,
    ]
    .iter()
    .map(|k| context! { value => k.as_str(), label => k.label() })
    .collect();
    views::render(
        "member_form.html",
        context! {
            title => heading, heading, action, kinds, population,
            tenant => views::tenant_value(ctx),
            form => Value::from(Serde(shown)),
            errors => Value::from(Serde(&errors)),
            ..layout
        },
    )
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let shown = Shown {
        kind: "kommun".into(),
        ..Default::default()
    };
    let html = page(
        &state,
        &ctx,
        &csrf,
        format!("/t/{}/medlemmar", ctx.tenant.slug),
        "Lägg till medlem",
        &shown,
        None,
    )
    .await?;
    Ok((jar, html).into_response())
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
    Path(path): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let m = members::get(&ctx.db, ctx.tenant_id(), path.1)
        .await?
        .ok_or(AppError::NotFound)?;
    let (jar, csrf) = csrf_for_page(&state, jar);
    let shown = shown_from(&members::details(&m));
    let html = page(
        &state,
        &ctx,
        &csrf,
        format!("/t/{}/medlemmar/{}", ctx.tenant.slug, m.id),
        &format!("Ändra {}", m.name),
        &shown,
        None,
    )
    .await?;
    Ok((jar, html).into_response())
}

/// Reads the form; a population that is not a whole number is an error naming its field.
fn read(form: &HashMap<String, String>) -> (Shown, MemberInput, Vec<FieldError>) {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let mut errors = Vec::new();
    let mut population = BTreeMap::new();
    let mut shown_population = BTreeMap::new();
    for (k, v) in form {
        let Some(year) = k
            .strip_prefix("population_")
            .and_then(|y| y.parse::<i32>().ok())
        else {
            continue;
        };
        shown_population.insert(year, v.clone());
        match v.trim() {
            "" => {}
            t => match t.replace(' ', "").parse::<u32>() {
                Ok(n) => {
                    population.insert(year, n);
                }
                Err(_) => errors.push(FieldError::new(
                    format!("population_{year}"),
                    format!("Folkmängden {year} ska vara ett heltal."),
                )),
            },
        }
    }
    let shown = Shown {
        name: get("name"),
        kind: get("kind"),
        organisationsnummer: get("organisationsnummer"),
        registrator_emails: get("registrator_emails"),
        contact_name: get("contact_name"),
        contact_email: get("contact_email"),
        contact_phone: get("contact_phone"),
        population: shown_population,
    };
    let input = MemberInput {
        name: shown.name.clone(),
        kind: shown.kind.clone(),
        organisationsnummer: shown.organisationsnummer.clone(),
        population,
        registrator_emails: shown
            .registrator_emails
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        contact_name: shown.contact_name.clone(),
        contact_email: shown.contact_email.clone(),
        contact_phone: shown.contact_phone.clone(),
    };
    (shown, input, errors)
}

async fn submit(
    state: AppState,
    ctx: &TenantCtx,
    client: ClientInfo,
    jar: CookieJar,
    existing: Option<i64>,
    form: HashMap<String, String>,
) -> Result<Response, PageError> {
    let (shown, input, mut errors) = read(&form);
    // The form's own problems and the member's are listed together.
    let result = if errors.is_empty() {
        save_member(ctx, existing, &input, &client).await
    } else {
        Err(AppError::Validation(
            crate::api::members::validate(&input, String::new())
                .err()
                .unwrap_or_default(),
        ))
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/t/{}", ctx.tenant.slug)).into_response()),
        Err(AppError::Validation(fields)) => {
            // Field paths name the form's fields: "registrator_emails[1]" is the one textarea.
            errors.extend(fields.into_iter().map(|f| {
                let path = f
                    .path
                    .split('[')
                    .next()
                    .unwrap_or_default()
                    .replace("population.", "population_");
                FieldError::new(path, f.message)
            }));
            let (jar, csrf) = csrf_for_page(&state, jar);
            let (action, heading) = match existing {
                Some(id) => (
                    format!("/t/{}/medlemmar/{id}", ctx.tenant.slug),
                    format!("Ändra {}", shown.name),
                ),
                None => (
                    format!("/t/{}/medlemmar", ctx.tenant.slug),
                    "Lägg till medlem".to_owned(),
                ),
            };
            let html = page(
                &state,
                ctx,
                &csrf,
                action,
                &heading,
                &shown,
                Some(FormErrors::from_fields(errors)),
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
    members::get(&ctx.db, ctx.tenant_id(), path.1)
        .await?
        .ok_or(AppError::NotFound)?;
    submit(state, &ctx, client, jar, Some(path.1), form).await
}
