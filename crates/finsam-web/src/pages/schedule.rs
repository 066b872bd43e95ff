//! The yearly cycle (årshjul) in the browser: the schedule with its dates, deadlines and latest runs for
//! everyone who reads everything; the kansli's form to change the dates and a "Kör nu" per document.

use crate::api::schedule::{
    EntryInput, EntryOut, RunInput, RunNow, already_message, check_entries, run_now, save_entries,
    schedule_out,
};
use crate::error::{AppError, FieldError, PageError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use crate::state::AppState;
use crate::views::{self, FormErrors, csrf_for_page};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use finsam_core::Permission;
use finsam_db::repo::schedule::{self as repo, Run};
use finsam_jobs::schedule::{ScheduleKind, month_name};
use minijinja::value::Serde;
use minijinja::{Value, context};
use std::collections::HashMap;

/// What the kansli typed, kept as typed when the form comes back with errors.
#[derive(Debug, Clone, serde::Serialize)]
struct EntryForm {
    kind: String,
    label: String,
    deadline_label: String,
    day: String,
    month: String,
    due_day: String,
    due_month: String,
    enabled: bool,
}

fn form_of(e: &EntryOut) -> EntryForm {
    EntryForm {
        kind: e.kind.clone(),
        label: e.label.clone(),
        deadline_label: e.deadline_label.clone(),
        day: e.day.to_string(),
        month: e.month.to_string(),
        due_day: e.due_day.map(|d| d.to_string()).unwrap_or_default(),
        due_month: e.due_month.map(|m| m.to_string()).unwrap_or_default(),
        enabled: e.enabled,
    }
}

/// A message above the page: the outcome of "Kör nu", or that it had run already.
struct Banner {
    text: String,
    version_id: Option<i64>,
    /// An alert (it had run already) rather than a status.
    alert: bool,
}

impl Banner {
    fn of(run: &Run, already: bool) -> Self {
        let text = if already {
            already_message(run)
        } else {
            run.detail.clone().unwrap_or_else(|| {
                format!(
                    "{} {}: {}.",
                    crate::api::schedule::kind_label(&run.kind),
                    run.year,
                    crate::api::schedule::outcome_label(&run.outcome).to_lowercase()
                )
            })
        };
        Self {
            text,
            version_id: run.version_id,
            alert: already,
        }
    }
}

struct PageInput<'a> {
    entries: Option<&'a [EntryForm]>,
    run_years: &'a HashMap<String, String>,
    errors: Option<FormErrors>,
    banner: Option<Banner>,
    status: Option<&'a str>,
}

async fn page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    p: PageInput<'_>,
) -> Result<Html<String>, AppError> {
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    let out = schedule_out(state, ctx.tenant_id()).await?;
    let forms: Vec<EntryForm> = match p.entries {
        Some(f) => f.to_vec(),
        None => out.entries.iter().map(form_of).collect(),
    };
    let months: Vec<Value> = (1..=12u32)
        .map(|m| context! { value => m.to_string(), name => month_name(m) })
        .collect();
    let entries: Vec<Value> = out
        .entries
        .iter()
        .map(|e| {
            let year_note = match e.year_offset {
                -1 => "förra årets",
                0 => "årets",
                _ => "nästa års",
            };
            context! {
                kind => e.kind.clone(), label => e.label.clone(), date => e.date.clone(), year_note,
                enabled => e.enabled, due => e.due.clone(), deadline_label => e.deadline_label.clone(),
                next_run => e.next_run.as_deref().and_then(|d| d.parse::<chrono::NaiveDate>().ok()).map(finsam_jobs::schedule::long_date),
            }
        })
        .collect();
    let run_forms: Vec<Value> = out
        .entries
        .iter()
        .map(|e| {
            context! {
                kind => e.kind.clone(), label => e.label.clone(),
                year => p.run_years.get(&e.kind).cloned().unwrap_or_else(|| e.natural_year.to_string()),
            }
        })
        .collect();
    let runs: Vec<Value> = out
        .runs
        .iter()
        .map(|r| {
            context! {
                label => r.label.clone(), year => r.year, outcome => r.outcome.clone(),
                outcome_label => r.outcome_label.clone(), detail => r.detail.clone(),
                version_id => r.version_id, manual => r.trigger == repo::trigger::MANUAL,
                created_at => r.created_at.clone(), signing_round_id => r.signing_round_id,
                signing_note => r.signing_note.clone(),
            }
        })
        .collect();
    let banner = p.banner.map(|b| {
        context! { text => b.text, version_id => b.version_id, alert => b.alert }
    });
    views::render(
        "schedule.html",
        context! {
            title => "Årshjul", entries, runs, run_forms, months,
            forms => Value::from(Serde(&forms)),
            reminders => crate::api::schedule::REMINDERS,
            can_manage => ctx.can(Permission::Manage),
            banner, status => p.status,
            errors => Value::from(Serde(&p.errors)), tenant => views::tenant_value(ctx), ..layout
        },
    )
}

#[derive(serde::Deserialize, Default)]
pub struct ShowQuery {
    /// After a save.
    #[serde(default)]
    pub sparat: Option<String>,
    /// After "Kör nu": the run it made.
    #[serde(default)]
    pub korning: Option<i64>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
    jar: CookieJar,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let banner = match q.korning {
        Some(id) => repo::runs(&ctx.db, ctx.tenant_id(), 200)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .map(|r| Banner::of(&r, false)),
        None => None,
    };
    let html = page(
        &state,
        &ctx,
        &csrf,
        PageInput {
            entries: None,
            run_years: &HashMap::new(),
            errors: None,
            banner,
            status: q.sparat.is_some().then_some("Årshjulet är sparat."),
        },
    )
    .await?;
    Ok((jar, html).into_response())
}

/// Reads the form: per kind `{kind}_day`, `{kind}_month`, `{kind}_due_day`, `{kind}_due_month`,
/// `{kind}_enabled`.
fn read_form(form: &HashMap<String, String>) -> (Vec<EntryForm>, Vec<EntryInput>, Vec<FieldError>) {
    let get = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let mut shown = Vec::new();
    let mut input = Vec::new();
    let mut errors = Vec::new();
    for kind in ScheduleKind::ALL {
        let k = kind.as_str();
        let f = EntryForm {
            kind: k.to_owned(),
            label: kind.label().to_owned(),
            deadline_label: kind.deadline_label().to_owned(),
            day: get(&format!("{k}_day")),
            month: get(&format!("{k}_month")),
            due_day: get(&format!("{k}_due_day")),
            due_month: get(&format!("{k}_due_month")),
            enabled: form.contains_key(&format!("{k}_enabled")),
        };
        let mut number = |v: &str, field: &str, what: &str| -> Option<u32> {
            match v.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push(FieldError::new(
                        format!("{k}_{field}"),
                        format!("{}: ange {what} med siffror.", kind.label()),
                    ));
                    None
                }
            }
        };
        let day = number(&f.day, "day", "dagen");
        let month = number(&f.month, "month", "månaden");
        // An empty deadline is no deadline; half of one is named by the check.
        let due_day = (!f.due_day.is_empty())
            .then(|| number(&f.due_day, "due_day", "sista dagens dag"))
            .flatten();
        let due_month = (!f.due_month.is_empty())
            .then(|| number(&f.due_month, "due_month", "sista dagens månad"))
            .flatten();
        if let (Some(day), Some(month)) = (day, month) {
            input.push(EntryInput {
                kind: k.to_owned(),
                month,
                day,
                enabled: f.enabled,
                due_month,
                due_day,
            });
        }
        shown.push(f);
    }
    (shown, input, errors)
}

pub async fn save(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let (shown, input, mut errors) = read_form(&form);
    let checked = check_entries(&input, |_, kind, field| format!("{kind}_{field}"));
    let result = match checked {
        Ok(entries) if errors.is_empty() => save_entries(&state, &ctx, &client, &entries).await,
        Ok(_) => Err(AppError::Validation(errors)),
        Err(mut more) => {
            errors.append(&mut more);
            Err(AppError::Validation(errors))
        }
    };
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("/t/{}/arshjul?sparat=1", ctx.tenant.slug)).into_response())
        }
        Err(AppError::Validation(fields)) => {
            let (jar, csrf) = csrf_for_page(&state, jar);
            let html = page(
                &state,
                &ctx,
                &csrf,
                PageInput {
                    entries: Some(&shown),
                    run_years: &HashMap::new(),
                    errors: Some(FormErrors::from_fields(fields)),
                    banner: None,
                    status: None,
                },
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, html).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

/// "Kör nu": runs one document of the schedule for the year given.
pub async fn run(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let kind = form
        .get("kind")
        .map(|v| v.trim().to_owned())
        .unwrap_or_default();
    let year_s = form
        .get("year")
        .map(|v| v.trim().to_owned())
        .unwrap_or_default();
    let year_path = format!("{kind}_year");
    let result = match year_s.parse::<i32>() {
        Ok(y) => {
            run_now(
                &state,
                &ctx,
                &client,
                &RunInput {
                    kind: kind.clone(),
                    year: Some(y),
                },
                &year_path,
            )
            .await
        }
        Err(_) => Err(AppError::field(&year_path, "Ange året med fyra siffror.")),
    };
    let run_years = HashMap::from([(kind.clone(), year_s)]);
    let (status, banner, errors) = match result {
        Ok(RunNow::Ran(run)) => {
            return Ok(Redirect::to(&format!(
                "/t/{}/arshjul?korning={}",
                ctx.tenant.slug, run.id
            ))
            .into_response());
        }
        Ok(RunNow::Already(run)) => (StatusCode::CONFLICT, Some(Banner::of(&run, true)), None),
        Err(AppError::Validation(fields)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(FormErrors::from_fields(
                fields
                    .into_iter()
                    .map(|f| {
                        if f.path == "kind" {
                            FieldError::new(year_path.clone(), f.message)
                        } else {
                            f
                        }
                    })
                    .collect(),
            )),
        ),
        Err(e) => return Err(PageError(e)),
    };
    let (jar, csrf) = csrf_for_page(&state, jar);
    let html = page(
        &state,
        &ctx,
        &csrf,
        PageInput {
            entries: None,
            run_years: &run_years,
            errors,
            banner,
            status: None,
        },
    )
    .await?;
    Ok((status, jar, html).into_response())
}
