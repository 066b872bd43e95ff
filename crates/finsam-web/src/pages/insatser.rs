//! Insatser in the browser: the list, and one insats (a form for the kansli, read-only for the others
//! and for a coach attached to it).

use crate::api::insats_edit::{InsatsInput, YearMoney, save_insats};
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
use finsam_core::Permission;
use finsam_core::money::{Ore, kronor_for_input};
use finsam_core::yearfile::{Insats, InsatsKind, Maluppfyllelse};
use finsam_db::repo::{insatser, members};
use minijinja::value::Serde;
use minijinja::{Value, context};
use std::collections::HashMap;

#[derive(serde::Serialize, Default)]
struct Shown {
    name: String,
    kind: String,
    responsible_member: String,
    performer: String,
    period_from: String,
    period_to: String,
    target_group: String,
    description: String,
    goals: String,
    years: Vec<ShownYear>,
}

#[derive(serde::Serialize, Default, Clone)]
struct ShownYear {
    index: usize,
    year: String,
    beviljat: String,
    budget: String,
    utfall: String,
}

fn shown_from(i: &Insats) -> Shown {
    let money = |o: Option<i64>| o.map(|v| kronor_for_input(Ore(v))).unwrap_or_default();
    Shown {
        name: i.name.clone(),
        kind: i.kind.as_str().into(),
        responsible_member: i.responsible_member.clone().unwrap_or_default(),
        performer: i.performer.clone(),
        period_from: i.period_from.map(|d| d.to_string()).unwrap_or_default(),
        period_to: i.period_to.map(|d| d.to_string()).unwrap_or_default(),
        target_group: i.target_group.clone(),
        description: i.description.clone(),
        goals: i
            .goals
            .iter()
            .map(|g| g.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        years: i
            .years
            .iter()
            .enumerate()
            .map(|(n, y)| ShownYear {
                index: n,
                year: y.year.to_string(),
                beviljat: money(y.beviljat_ore),
                budget: money(y.budget_ore),
                utfall: money(y.utfall_ore),
            })
            .collect(),
    }
}

/// What one insats page shows.
struct View<'a> {
    /// The insats's id, once it exists.
    id: Option<i64>,
    action: String,
    /// The year whose måluppfyllelse the form edits.
    result_year: Option<i32>,
    heading: String,
    shown: Shown,
    current: Option<&'a Insats>,
    errors: Option<FormErrors>,
}

async fn page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    view: View<'_>,
) -> Result<Html<String>, AppError> {
    let View {
        id: view_id,
        result_year,
        action,
        heading,
        mut shown,
        current,
        errors,
    } = view;

    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    let can_manage = ctx.can(Permission::Manage);
    // A blank row for another year, unless the form already ends with one.
    let last_blank = shown.years.last().is_some_and(|y| {
        y.beviljat.trim().is_empty() && y.budget.trim().is_empty() && y.utfall.trim().is_empty()
    });
    if can_manage && !last_blank {
        let n = shown.years.len();
        shown.years.push(ShownYear {
            index: n,
            year: chrono::Utc::now().year().to_string(),
            ..Default::default()
        });
    }
    let members: Vec<Value> = members::list(&ctx.db, ctx.tenant_id())
        .await?
        .iter()
        .map(|m| context! { key => members::details(m).key, name => m.name.clone() })
        .collect();
    let results: Vec<Value> = current
        .map(|c| {
            c.goal_results
                .iter()
                .map(|r| {
                    let goal = c
                        .goals
                        .iter()
                        .find(|g| g.key == r.goal)
                        .map_or(r.goal.clone(), |g| g.text.clone());
                    let status = match r.status {
                        Maluppfyllelse::Uppfyllt => "Uppfyllt",
                        Maluppfyllelse::DelvisUppfyllt => "Delvis uppfyllt",
                        Maluppfyllelse::EjUppfyllt => "Ej uppfyllt",
                    };
                    context! { year => r.year, goal, status, comment => r.comment.clone() }
                })
                .collect()
        })
        .unwrap_or_default();
    let result_year = result_year.unwrap_or_else(|| chrono::Utc::now().year() - 1);
    let goals: Vec<Value> = current
        .map(|c| {
            c.goals
                .iter()
                .map(|g| {
                    let r = c.goal_results.iter().find(|r| r.goal == g.key && r.year == result_year);
                    let status = r.map(|r| match r.status {
                        Maluppfyllelse::Uppfyllt => "uppfyllt",
                        Maluppfyllelse::DelvisUppfyllt => "delvis_uppfyllt",
                        Maluppfyllelse::EjUppfyllt => "ej_uppfyllt",
                    });
                    context! { key => g.key.clone(), text => g.text.clone(), status => status.unwrap_or_default(), comment => r.map(|r| r.comment.clone()).unwrap_or_default() }
                })
                .collect()
        })
        .unwrap_or_default();
    views::render(
        "insats_form.html",
        context! {
            title => heading.clone(), heading, action, members, results, can_manage, goals, result_year,
            current_id => view_id, can_read_all => ctx.can(Permission::ReadAll),
            form => Value::from(Serde(&shown)), errors => Value::from(Serde(&errors)),
            tenant => views::tenant_value(ctx),
            ..layout
        },
    )
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Tenant<perm::ViewTenant>,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let layout = views::layout(&state, &ctx.auth, Some(&ctx), &csrf).await?;
    let mem = members::list(&ctx.db, ctx.tenant_id()).await?;
    let rows: Vec<Value> = insatser::list(&ctx.db, ctx.tenant_id(), ctx.insats_visibility())
        .await?
        .iter()
        .map(|i| {
            let d = insatser::details(i);
            let responsible = d
                .responsible_member
                .as_deref()
                .and_then(|k| mem.iter().find(|m| m.key.as_deref() == Some(k)))
                .map(|m| m.name.clone())
                .unwrap_or_default();
            let period = match (d.period_from, d.period_to) {
                (None, None) => String::new(),
                (f, t) => format!(
                    "{} – {}",
                    f.map(|d| d.to_string()).unwrap_or_default(),
                    t.map(|d| d.to_string()).unwrap_or_default()
                ),
            };
            let kind = if d.kind == InsatsKind::Individinriktad {
                "Individinriktad"
            } else {
                "Strukturövergripande"
            };
            context! { id => i.id, name => i.name.clone(), kind, responsible, period }
        })
        .collect();
    Ok((
        jar,
        views::render(
            "insatser.html",
            context! {
                title => "Insatser", insatser => rows, can_manage => ctx.can(Permission::Manage),
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
        kind: "individinriktad".into(),
        ..Default::default()
    };
    let html = page(
        &state,
        &ctx,
        &csrf,
        View {
            id: None,
            result_year: None,
            action: format!("/t/{}/insatser", ctx.tenant.slug),
            heading: "Lägg till insats".into(),
            shown,
            current: None,
            errors: None,
        },
    )
    .await?;
    Ok((jar, html).into_response())
}

/// One insats: the kansli's form; read-only for the board, the beredningsgrupp and its own coach.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    ar: Option<i32>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Tenant<perm::ViewTenant>,
    jar: CookieJar,
    Path(path): Path<(String, i64)>,
    q: Result<axum::extract::Query<ShowQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    let q = q.map(|q| q.0).unwrap_or_default();
    let row = insatser::get(&ctx.db, ctx.tenant_id(), path.1, ctx.insats_visibility())
        .await?
        .ok_or(AppError::NotFound)?;
    let d = insatser::details(&row);
    let (jar, csrf) = csrf_for_page(&state, jar);
    let html = page(
        &state,
        &ctx,
        &csrf,
        View {
            id: Some(row.id),
            result_year: q.ar.filter(|y| (2000..=2100).contains(y)),
            action: format!("/t/{}/insatser/{}", ctx.tenant.slug, row.id),
            heading: row.name.clone(),
            shown: shown_from(&d),
            current: Some(&d),
            errors: None,
        },
    )
    .await?;
    Ok((jar, html).into_response())
}

fn read(form: &HashMap<String, String>) -> (Shown, InsatsInput, Vec<FieldError>) {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let mut errors = Vec::new();
    let count: usize = get("years").parse().unwrap_or(0).min(100);
    let mut years = Vec::new();
    let mut shown_years = Vec::new();
    for i in 0..count {
        let y = ShownYear {
            index: i,
            year: get(&format!("year_{i}")),
            beviljat: get(&format!("beviljat_{i}")),
            budget: get(&format!("budget_{i}")),
            utfall: get(&format!("utfall_{i}")),
        };
        let empty = y.beviljat.trim().is_empty()
            && y.budget.trim().is_empty()
            && y.utfall.trim().is_empty();
        if !empty {
            match y.year.trim().parse::<i32>() {
                Ok(year) => years.push((
                    i,
                    YearMoney {
                        year,
                        beviljat: y.beviljat.clone(),
                        budget: y.budget.clone(),
                        utfall: y.utfall.clone(),
                    },
                )),
                Err(_) => errors.push(FieldError::new(
                    format!("year_{i}"),
                    "Ange året med fyra siffror.",
                )),
            }
        }
        shown_years.push(y);
    }
    let shown = Shown {
        name: get("name"),
        kind: get("kind"),
        responsible_member: get("responsible_member"),
        performer: get("performer"),
        period_from: get("period_from"),
        period_to: get("period_to"),
        target_group: get("target_group"),
        description: get("description"),
        goals: get("goals"),
        years: shown_years,
    };
    let input = InsatsInput {
        name: shown.name.clone(),
        kind: shown.kind.clone(),
        responsible_member: shown.responsible_member.clone(),
        performer: shown.performer.clone(),
        period_from: shown.period_from.clone(),
        period_to: shown.period_to.clone(),
        target_group: shown.target_group.clone(),
        description: shown.description.clone(),
        goals: shown.goals.lines().map(str::to_owned).collect(),
        years: years.iter().map(|(_, y)| y.clone()).collect(),
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
    let entered_rows: Vec<usize> = (0..shown.years.len())
        .filter(|i| {
            let y = &shown.years[*i];
            !(y.beviljat.trim().is_empty()
                && y.budget.trim().is_empty()
                && y.utfall.trim().is_empty())
        })
        .collect();
    let result = if errors.is_empty() {
        save_insats(ctx, existing, &input, &client).await
    } else {
        Err(AppError::Validation(vec![]))
    };
    match result {
        Ok(saved) => Ok(
            Redirect::to(&format!("/t/{}/insatser/{}", ctx.tenant.slug, saved.id)).into_response(),
        ),
        Err(AppError::Validation(fields)) => {
            errors.extend(fields.into_iter().map(|f| {
                let path = match f
                    .path
                    .strip_prefix("years[")
                    .and_then(|r| r.split_once("]."))
                {
                    Some((k, field)) => {
                        let row = k
                            .parse::<usize>()
                            .ok()
                            .and_then(|k| entered_rows.get(k).copied())
                            .unwrap_or(0);
                        format!("{field}_{row}")
                    }
                    None if f.path.starts_with("goals[") => "goals".to_owned(),
                    None => f.path,
                };
                FieldError::new(path, f.message)
            }));
            let current = match existing {
                Some(id) => insatser::get(&ctx.db, ctx.tenant_id(), id, insatser::Visibility::All)
                    .await?
                    .map(|r| insatser::details(&r)),
                None => None,
            };
            let (jar, csrf) = csrf_for_page(&state, jar);
            let (action, heading) = match existing {
                Some(id) => (
                    format!("/t/{}/insatser/{id}", ctx.tenant.slug),
                    shown.name.clone(),
                ),
                None => (
                    format!("/t/{}/insatser", ctx.tenant.slug),
                    "Lägg till insats".to_owned(),
                ),
            };
            let html = page(
                &state,
                ctx,
                &csrf,
                View {
                    id: existing,
                    result_year: None,
                    action,
                    heading,
                    shown,
                    current: current.as_ref(),
                    errors: Some(FormErrors::from_fields(errors)),
                },
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
    insatser::get(&ctx.db, ctx.tenant_id(), path.1, insatser::Visibility::All)
        .await?
        .ok_or(AppError::NotFound)?;
    submit(state, &ctx, client, jar, Some(path.1), form).await
}

/// The kansli records the goals' results for a year.
pub async fn results(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Path(path): Path<(String, i64, i32)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    use crate::api::insats_edit::{GoalResultInput, save_results};
    let row = insatser::get(&ctx.db, ctx.tenant_id(), path.1, insatser::Visibility::All)
        .await?
        .ok_or(AppError::NotFound)?;
    let get = |k: String| form.get(&k).cloned().unwrap_or_default();
    let count: usize = get("goals".into()).parse().unwrap_or(0).min(200);
    let input: Vec<GoalResultInput> = (0..count)
        .map(|i| GoalResultInput {
            goal: get(format!("goal_{i}")),
            status: get(format!("status_{i}")),
            comment: get(format!("comment_{i}")),
        })
        .collect();
    match save_results(&ctx, path.1, path.2, &input, &client).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/t/{}/insatser/{}?ar={}#maluppfyllelse",
            ctx.tenant.slug, path.1, path.2
        ))
        .into_response()),
        Err(AppError::Validation(fields)) => {
            let fields = fields
                .into_iter()
                .map(|f| {
                    let path = f
                        .path
                        .strip_prefix("results[")
                        .and_then(|r| r.split_once("]."))
                        .map_or(f.path.clone(), |(i, field)| format!("{field}_{i}"));
                    FieldError::new(path, f.message)
                })
                .collect();
            let d = insatser::details(&row);
            let (jar, csrf) = csrf_for_page(&state, jar);
            let view = View {
                id: Some(row.id),
                result_year: Some(path.2),
                action: format!("/t/{}/insatser/{}", ctx.tenant.slug, row.id),
                heading: row.name.clone(),
                shown: shown_from(&d),
                current: Some(&d),
                errors: Some(FormErrors::from_fields(fields)),
            };
            let html = page(&state, &ctx, &csrf, view).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, html).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}
