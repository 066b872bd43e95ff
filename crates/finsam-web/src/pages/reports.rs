//! The coach's report in the browser: a form that works on a phone and without JavaScript; the kansli
//! approves or returns it. The work is done by `api::reports`, shared with the JSON API.

use crate::api::reports::{Decision, ReportInput, decide, save_report, visible_report};
use crate::error::{AppError, FieldError, PageError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use crate::state::AppState;
use crate::views::{self, FormErrors, csrf_for_page};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::Datelike;
use finsam_core::Permission;
use finsam_core::yearfile::{
    CoachReport, Ended, GenderCounts, ReportAnswers, ReportPeriod, ReportStatus,
};
use finsam_db::repo::{coach_reports, insatser, members};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;

const GROUPS: [&str; 9] = [
    "participants",
    "new_participants",
    "ended-arbete",
    "ended-studier",
    "ended-aktivt_arbetssokande",
    "ended-arbetslivsinriktad_rehabilitering",
    "ended-sjukdom",
    "ended-annat_skal",
    "efterstod",
];
const ANSWERS: [&str; 7] = [
    "coaches",
    "remittentgrupp",
    "handelser",
    "arbetsgivarkontakt",
    "framgangsfaktorer",
    "jamstalldhet",
    "ovrigt",
];

fn status_label(s: ReportStatus) -> &'static str {
    match s {
        ReportStatus::Draft => "Utkast",
        ReportStatus::Submitted => "Inskickad",
        ReportStatus::Returned => "Tillbakaskickad",
        ReportStatus::Approved => "Godkänd",
    }
}

fn period_label(p: ReportPeriod) -> &'static str {
    match p {
        ReportPeriod::Delar => "Delår",
        ReportPeriod::Helar => "Helår",
    }
}

async fn kommuner(state: &AppState, tenant_id: i64) -> Result<Vec<(String, String)>, AppError> {
    Ok(members::list(&state.db.tenant(tenant_id), tenant_id)
        .await?
        .into_iter()
        .filter(|m| m.kind == "kommun")
        .map(|m| (m.key.clone().unwrap_or_default(), m.name))
        .collect())
}

/// The name of the kommun a report is for, from its member key.
async fn kommun_name(
    state: &AppState,
    tenant_id: i64,
    key: Option<&str>,
) -> Result<Option<String>, AppError> {
    let Some(key) = key else { return Ok(None) };
    Ok(kommuner(state, tenant_id)
        .await?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, n)| n))
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Tenant<perm::ViewTenant>,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let layout = views::layout(&state, &ctx.auth, Some(&ctx), &csrf).await?;
    let ins = insatser::list(&ctx.db, ctx.tenant_id(), ctx.insats_visibility()).await?;
    let keys: Vec<String> = ins.iter().map(insatser::key_of).collect();
    let mut kommuner = kommuner(&state, ctx.tenant_id()).await?;
    // A coach whose attachments name their kommun is offered just those.
    let mine: Vec<String> = if ctx.can(Permission::Manage) {
        vec![]
    } else {
        ins.iter()
            .filter_map(|i| {
                crate::api::reports::coach_kommun(&insatser::details(i), &ctx.auth.account.email)
                    .map(str::to_owned)
            })
            .collect()
    };
    let whole_insats = mine.is_empty();
    if !mine.is_empty() {
        kommuner.retain(|(k, _)| mine.contains(k));
    }
    let reports: Vec<Value> = coach_reports::list(&ctx.db, ctx.tenant_id(), Some(&keys))
        .await?
        .into_iter()
        .filter_map(|r| {
            let name = ins.iter().find(|i| insatser::key_of(i) == r.report.insats)?.name.clone();
            let kommun = r.report.kommun.as_ref().and_then(|k| kommuner.iter().find(|(key, _)| key == k)).map(|(_, n)| n.clone());
            Some(context! {
                id => r.id, insats => name, kommun => kommun.unwrap_or_else(|| "Hela insatsen".into()),
                period => format!("{} {}", period_label(r.report.period), r.report.year),
                participants => r.report.participants.total(), status => status_label(r.report.status),
            })
        })
        .collect();
    Ok((
        jar,
        views::render(
            "reports.html",
            context! {
                title => "Deltagarrapporter",
                tenant => views::tenant_value(&ctx),
                reports,
                can_report => ctx.can(Permission::Report),
                whole_insats,
                insatser => ins.iter().map(|i| context! { id => i.id, name => i.name.clone() }).collect::<Vec<_>>(),
                kommuner => kommuner.iter().map(|(k, n)| context! { key => k, name => n }).collect::<Vec<_>>(),
                year => chrono::Utc::now().year() - 1,
                ..layout
            },
        )?,
    )
        .into_response())
}

struct FormView<'a> {
    ctx: &'a TenantCtx,
    csrf: String,
    insats_id: i64,
    insats: String,
    report: serde_json::Value,
    kommun_name: Option<String>,
    status: ReportStatus,
    report_id: Option<i64>,
    errors: Option<FormErrors>,
}

async fn render_form(
    state: &AppState,
    v: FormView<'_>,
) -> Result<axum::response::Html<String>, AppError> {
    let layout = views::layout(state, &v.ctx.auth, Some(v.ctx), &v.csrf).await?;
    let may_edit = v.ctx.can(Permission::Report) && coach_reports::editable(v.status);
    let period = if v.report["period"] == "delar" {
        ReportPeriod::Delar
    } else {
        ReportPeriod::Helar
    };
    views::render(
        "report_form.html",
        context! {
            title => "Deltagarrapport",
            heading => format!("Deltagarrapport {}", v.insats),
            tenant => views::tenant_value(v.ctx),
            insats => v.insats, insats_id => v.insats_id, kommun_name => v.kommun_name,
            report => Value::from(Serde(&v.report)),
            period_label => period_label(period), status_label => status_label(v.status),
            editable => may_edit,
            can_decide => v.ctx.can(Permission::Manage) && v.status == ReportStatus::Submitted,
            report_id => v.report_id,
            errors => Value::from(Serde(&v.errors)),
            ..layout
        },
    )
}

#[derive(Deserialize)]
pub struct NewQuery {
    insats_id: i64,
    #[serde(default)]
    kommun: String,
    year: i32,
    period: ReportPeriod,
}

/// The form for a new report, or the existing one for the same insats, kommun and period.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: Tenant<perm::Report>,
    jar: CookieJar,
    query: Result<Query<NewQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    let Query(q) =
        query.map_err(|_| AppError::field("insats_id", "Välj insats, år och period."))?;
    let ins = insatser::get(
        &ctx.db,
        ctx.tenant_id(),
        q.insats_id,
        ctx.insats_visibility(),
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let kommun = (!q.kommun.is_empty()).then_some(q.kommun);
    let blank = CoachReport {
        insats: insatser::key_of(&ins),
        kommun: kommun.clone(),
        year: q.year,
        period: q.period,
        status: ReportStatus::Draft,
        return_comment: None,
        participants: GenderCounts::default(),
        new_participants: GenderCounts::default(),
        ended: Ended::default(),
        efterstod: GenderCounts::default(),
        answers: ReportAnswers::default(),
    };
    let existing = coach_reports::find(&ctx.db, ctx.tenant_id(), &blank).await?;
    let (report_id, report) = match existing {
        Some(s) => (Some(s.id), s.report),
        None => (None, blank),
    };
    let kommun_name = kommun_name(&state, ctx.tenant_id(), kommun.as_deref()).await?;
    let (jar, csrf) = csrf_for_page(&state, jar);
    let page = render_form(
        &state,
        FormView {
            ctx: &ctx,
            csrf,
            insats_id: ins.id,
            insats: ins.name.clone(),
            status: report.status,
            report: serde_json::to_value(&report).expect("reports serialise"),
            kommun_name,
            report_id,
            errors: None,
        },
    )
    .await?;
    Ok((jar, page).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Tenant<perm::ViewTenant>,
    jar: CookieJar,
    Path(path): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let r = visible_report(&ctx, path.1).await?;
    let kommun_name = kommun_name(&state, ctx.tenant_id(), r.report.kommun.as_deref()).await?;
    let (jar, csrf) = csrf_for_page(&state, jar);
    let page = render_form(
        &state,
        FormView {
            ctx: &ctx,
            csrf,
            insats_id: r.insats_id,
            insats: r.insats.clone(),
            status: r.report.status,
            report: serde_json::to_value(&r.report).expect("reports serialise"),
            kommun_name,
            report_id: Some(r.id),
            errors: None,
        },
    )
    .await?;
    Ok((jar, page).into_response())
}

/// Reads the counts; a value that is not a whole number of 0 or more is an error naming its field.
fn parse_form(
    form: &HashMap<String, String>,
) -> (serde_json::Value, Result<ReportInput, Vec<FieldError>>) {
    let mut errors = Vec::new();
    let mut raw = json!({ "answers": {}, "ended": {} });
    let mut counts: HashMap<String, GenderCounts> = HashMap::new();
    for group in GROUPS {
        let mut g = GenderCounts::default();
        let mut shown = serde_json::Map::new();
        for (field, slot) in [
            ("kvinnor", &mut g.kvinnor),
            ("man", &mut g.man),
            ("uppgift_saknas", &mut g.uppgift_saknas),
        ] {
            let name = format!("{group}-{field}");
            let value = form.get(&name).map(|s| s.trim()).unwrap_or("");
            shown.insert(field.into(), json!(value));
            if value.is_empty() {
                continue;
            }
            match value.parse::<u32>() {
                Ok(n) => *slot = n,
                Err(_) => errors.push(FieldError::new(name, "Ange ett heltal, 0 eller större.")),
            }
        }
        match group.strip_prefix("ended-") {
            Some(reason) => raw["ended"][reason] = json!(shown),
            None => raw[group] = json!(shown),
        }
        counts.insert(group.to_owned(), g);
    }
    let mut answers = serde_json::Map::new();
    for a in ANSWERS {
        let v = form
            .get(&format!("answers-{a}"))
            .cloned()
            .unwrap_or_default();
        raw["answers"][a] = json!(v);
        answers.insert(a.into(), json!(v));
    }
    let kommun = form.get("kommun").filter(|k| !k.is_empty()).cloned();
    let year: i32 = form.get("year").and_then(|y| y.parse().ok()).unwrap_or(0);
    let period = if form.get("period").map(String::as_str) == Some("delar") {
        ReportPeriod::Delar
    } else {
        ReportPeriod::Helar
    };
    raw["kommun"] = json!(kommun);
    raw["year"] = json!(year);
    raw["period"] = json!(if period == ReportPeriod::Delar {
        "delar"
    } else {
        "helar"
    });
    if !errors.is_empty() {
        return (raw, Err(errors));
    }
    let c = |k: &str| counts.get(k).copied().unwrap_or_default();
    let input = ReportInput {
        insats_id: form
            .get("insats_id")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        kommun,
        year,
        period,
        participants: c("participants"),
        new_participants: c("new_participants"),
        ended: Ended {
            arbete: c("ended-arbete"),
            studier: c("ended-studier"),
            aktivt_arbetssokande: c("ended-aktivt_arbetssokande"),
            arbetslivsinriktad_rehabilitering: c("ended-arbetslivsinriktad_rehabilitering"),
            sjukdom: c("ended-sjukdom"),
            annat_skal: c("ended-annat_skal"),
        },
        efterstod: c("efterstod"),
        answers: serde_json::from_value(json!(answers)).unwrap_or_default(),
        submit: form.get("action").map(String::as_str) == Some("submit"),
    };
    (raw, Ok(input))
}

pub async fn save(
    State(state): State<AppState>,
    ctx: Tenant<perm::Report>,
    client: ClientInfo,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let insats_id: i64 = form
        .get("insats_id")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| AppError::field("insats_id", "Välj en insats."))?;
    let ins = insatser::get(&ctx.db, ctx.tenant_id(), insats_id, ctx.insats_visibility())
        .await?
        .ok_or(AppError::NotFound)?;
    let (raw, parsed) = parse_form(&form);
    let result = match parsed {
        Ok(input) => save_report(&ctx, input, &client).await,
        Err(fields) => Err(AppError::Validation(fields)),
    };
    match result {
        Ok(saved) => Ok(
            Redirect::to(&format!("/t/{}/rapporter/{}", ctx.tenant.slug, saved.id)).into_response(),
        ),
        Err(AppError::Validation(fields)) => {
            // Paths from the shared checks ("answers.ovrigt") name the form's fields ("answers-ovrigt").
            let fields = fields
                .into_iter()
                .map(|f| FieldError::new(f.path.replace('.', "-"), f.message))
                .collect();
            let (jar, csrf) = csrf_for_page(&state, jar);
            let kommun = raw["kommun"].as_str().map(str::to_owned);
            let kommun_name = kommun_name(&state, ctx.tenant_id(), kommun.as_deref()).await?;
            // A report that exists keeps its status and the kansli's comment on the page.
            let stored = match (raw["year"].as_i64(), raw["period"].as_str()) {
                (Some(year), Some(period)) => {
                    let probe = CoachReport {
                        insats: insatser::key_of(&ins),
                        kommun,
                        year: year as i32,
                        period: if period == "delar" {
                            ReportPeriod::Delar
                        } else {
                            ReportPeriod::Helar
                        },
                        status: ReportStatus::Draft,
                        return_comment: None,
                        participants: GenderCounts::default(),
                        new_participants: GenderCounts::default(),
                        ended: Ended::default(),
                        efterstod: GenderCounts::default(),
                        answers: ReportAnswers::default(),
                    };
                    coach_reports::find(&ctx.db, ctx.tenant_id(), &probe).await?
                }
                _ => None,
            };
            let mut raw = raw;
            raw["return_comment"] = serde_json::json!(
                stored
                    .as_ref()
                    .and_then(|s| s.report.return_comment.clone())
            );
            let page = render_form(
                &state,
                FormView {
                    ctx: &ctx,
                    csrf,
                    insats_id: ins.id,
                    insats: ins.name.clone(),
                    report: raw,
                    kommun_name,
                    status: stored
                        .as_ref()
                        .map_or(ReportStatus::Draft, |s| s.report.status),
                    report_id: stored.map(|s| s.id),
                    errors: Some(FormErrors::from_fields(fields)),
                },
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    decision: String,
    comment: String,
}

pub async fn decision(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Path(path): Path<(String, i64)>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, PageError> {
    let r = visible_report(&ctx, path.1).await?;
    let d = if f.decision == "approve" {
        Decision::Approve
    } else {
        Decision::Return
    };
    match decide(&ctx, path.1, d, &f.comment, &client).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/t/{}/rapporter/{}", ctx.tenant.slug, path.1)).into_response(),
        ),
        Err(AppError::Validation(fields)) => {
            let (jar, csrf) = csrf_for_page(&state, jar);
            let page = render_form(
                &state,
                FormView {
                    ctx: &ctx,
                    csrf,
                    insats_id: r.insats_id,
                    insats: r.insats.clone(),
                    status: r.report.status,
                    report: serde_json::to_value(&r.report).expect("reports serialise"),
                    kommun_name: kommun_name(&state, ctx.tenant_id(), r.report.kommun.as_deref())
                        .await?,
                    report_id: Some(r.id),
                    errors: Some(FormErrors::from_fields(fields)),
                },
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}
