//! The yearly cycle (årshjul) over the API: everyone who reads everything sees the schedule and its runs;
//! the kansli changes the dates and runs a document now ("Kör nu"). A (kind, year) that made a version
//! never runs again: a second request answers 409 with the run it made. See docs/schedule.md.

use crate::api::yeardata::in_audited_txn;
use crate::error::{ApiError, AppError, ErrorBody, ErrorDetail, FieldError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use finsam_db::repo::schedule::{self as repo, Run, audit_action, outcome, trigger};
use finsam_jobs::render::RenderJob;
use finsam_jobs::schedule::{
    self as sched, EntrySpec, Execution, RunRequest, ScheduleKind, check_date, day_month,
    natural_year, next_run, stockholm_date,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The daily signing reminders are not an entry: they run every day, shown as a fixed line.
pub const REMINDERS: &str = "Påminnelser om underskrift: varje dag";

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EntryInput {
    /// `arsredovisning`, `delarsrapport` or `verksamhetsplan`.
    pub kind: String,
    /// The day it runs: month 1–12 and day of the month (29 February is refused).
    pub month: u32,
    pub day: u32,
    pub enabled: bool,
    /// The deadline it announces (signing, or the styrelse's decision): both or neither.
    pub due_month: Option<u32>,
    pub due_day: Option<u32>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ScheduleInput {
    /// The entries to change; kinds not named are left as they are.
    pub entries: Vec<EntryInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntryOut {
    pub kind: String,
    pub label: String,
    pub month: u32,
    pub day: u32,
    /// "1 februari".
    pub date: String,
    pub enabled: bool,
    pub due_month: Option<u32>,
    pub due_day: Option<u32>,
    /// "31 mars".
    pub due: Option<String>,
    /// What the deadline is for: "Underskrift senast" or "Styrelsens beslut senast".
    pub deadline_label: String,
    /// The next date it runs (YYYY-MM-DD), when it is enabled.
    pub next_run: Option<String>,
    /// The document's year relative to the year of the run: -1 (last year's årsredovisning), 0, +1.
    pub year_offset: i32,
    /// The year "Kör nu" offers today.
    pub natural_year: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RunOut {
    pub id: i64,
    pub kind: String,
    pub label: String,
    pub year: i32,
    /// `rendered`, `missing_data`, `skipped_not_required` or `failed`.
    pub outcome: String,
    pub outcome_label: String,
    /// What happened, in Swedish (what is missing, the deadline).
    pub detail: Option<String>,
    /// The document version it queued.
    pub version_id: Option<i64>,
    /// `schedule` or `manual`.
    pub trigger: String,
    /// The deadline announced (YYYY-MM-DD).
    pub due_on: Option<String>,
    /// How many times it was run (a run without a version may be run again by hand).
    pub attempts: i32,
    /// The signing round the run started, once its document was ready.
    pub signing_round_id: Option<i64>,
    /// Why the run's signing could not start (Swedish).
    pub signing_note: Option<String>,
    /// Europe/Stockholm with the offset.
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleOut {
    pub entries: Vec<EntryOut>,
    /// Newest first.
    pub runs: Vec<RunOut>,
    /// The daily signing reminders, which are not an entry.
    pub reminders: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RunInput {
    /// `arsredovisning`, `delarsrapport` or `verksamhetsplan`.
    pub kind: String,
    /// The document's year; defaults to the natural one (last year's årsredovisning, this year's
    /// delårsrapport, next year's verksamhetsplan).
    pub year: Option<i32>,
}

/// 409: the (kind, year) has run; the run it made.
#[derive(Serialize, ToSchema)]
pub struct AlreadyRun {
    pub error: ErrorDetail,
    pub run: RunOut,
}

pub fn outcome_label(o: &str) -> &'static str {
    match o {
        outcome::RENDERED => "Beställt",
        outcome::MISSING_DATA => "Uppgifter saknas",
        outcome::SKIPPED_NOT_REQUIRED => "Behövs inte i år",
        outcome::FAILED => "Misslyckades",
        _ => "Okänt",
    }
}

pub fn kind_label(k: &str) -> &'static str {
    ScheduleKind::parse(k).map_or("Dokument", ScheduleKind::label)
}

pub fn run_out(r: &Run) -> RunOut {
    RunOut {
        id: r.id,
        kind: r.kind.clone(),
        label: kind_label(&r.kind).to_owned(),
        year: r.year,
        outcome: r.outcome.clone(),
        outcome_label: outcome_label(&r.outcome).to_owned(),
        detail: r.detail.clone(),
        version_id: r.version_id,
        trigger: r.trigger.clone(),
        due_on: r.due_on.map(|d| d.to_string()),
        attempts: r.attempts,
        signing_round_id: r.signing_round_id,
        signing_note: r.signing_note.clone(),
        created_at: finsam_core::time::format_stockholm(r.created_at),
        updated_at: finsam_core::time::format_stockholm(r.updated_at),
    }
}

async fn specs(state: &AppState, tenant_id: i64) -> Result<Vec<EntrySpec>, AppError> {
    Ok(sched::entries(&state.db.tenant(tenant_id), tenant_id).await?)
}

/// The schedule as the API and the page show it.
pub async fn schedule_out(state: &AppState, tenant_id: i64) -> Result<ScheduleOut, AppError> {
    let specs = specs(state, tenant_id).await?;
    let runs = repo::runs(&state.db.tenant(tenant_id), tenant_id, 50).await?;
    let done: Vec<(ScheduleKind, i32)> = repo::run_keys(&state.db.tenant(tenant_id), tenant_id)
        .await?
        .into_iter()
        .filter_map(|(k, y)| Some((ScheduleKind::parse(&k)?, y)))
        .collect();
    let today = stockholm_date(Utc::now());
    Ok(ScheduleOut {
        entries: specs
            .iter()
            .map(|e| EntryOut {
                kind: e.kind.as_str().to_owned(),
                label: e.kind.label().to_owned(),
                month: e.month,
                day: e.day,
                date: day_month(e.month, e.day),
                enabled: e.enabled,
                due_month: e.due.map(|d| d.0),
                due_day: e.due.map(|d| d.1),
                due: e.due.map(|(m, d)| day_month(m, d)),
                deadline_label: e.kind.deadline_label().to_owned(),
                next_run: next_run(e, &done, today).map(|d| d.to_string()),
                year_offset: e.kind.document_year(0),
                natural_year: natural_year(e.kind, today),
            })
            .collect(),
        runs: runs.iter().map(run_out).collect(),
        reminders: REMINDERS.to_owned(),
    })
}

/// Checks the entries; `path` names a field of entry `i` (`entries[0].day` in the API, `arsredovisning_day`
/// in the form).
pub fn check_entries(
    input: &[EntryInput],
    path: impl Fn(usize, &str, &str) -> String,
) -> Result<Vec<EntrySpec>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut out: Vec<EntrySpec> = Vec::new();
    for (i, e) in input.iter().enumerate() {
        let kind_s = e.kind.trim();
        let Some(kind) = ScheduleKind::parse(kind_s) else {
            errors.push(FieldError::new(
                path(i, kind_s, "kind"),
                "Välj årsredovisning, delårsrapport eller verksamhetsplan.",
            ));
            continue;
        };
        if out.iter().any(|o| o.kind == kind) {
            errors.push(FieldError::new(
                path(i, kind_s, "kind"),
                format!("{} finns redan en gång i listan.", kind.label()),
            ));
            continue;
        }
        let mut ok = true;
        if let Err(m) = check_date(e.month, e.day) {
            let field = if (1..=12).contains(&e.month) {
                "day"
            } else {
                "month"
            };
            errors.push(FieldError::new(
                path(i, kind_s, field),
                format!("{}: {m}", kind.label()),
            ));
            ok = false;
        }
        let due = match (e.due_month, e.due_day) {
            (None, None) => None,
            (Some(m), Some(d)) => {
                if let Err(msg) = check_date(m, d) {
                    let field = if (1..=12).contains(&m) {
                        "due_day"
                    } else {
                        "due_month"
                    };
                    errors.push(FieldError::new(
                        path(i, kind_s, field),
                        format!(
                            "{}, {}: {msg}",
                            kind.label(),
                            kind.deadline_label().to_lowercase()
                        ),
                    ));
                    ok = false;
                }
                Some((m, d))
            }
            (m, _) => {
                let field = if m.is_none() { "due_month" } else { "due_day" };
                errors.push(FieldError::new(
                    path(i, kind_s, field),
                    format!(
                        "{}, {}: ange både dag och månad, eller ingen av dem.",
                        kind.label(),
                        kind.deadline_label().to_lowercase()
                    ),
                ));
                ok = false;
                None
            }
        };
        if ok {
            out.push(EntrySpec {
                kind,
                month: e.month,
                day: e.day,
                enabled: e.enabled,
                due,
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Stores checked entries and the audit row in one transaction.
pub async fn save_entries(
    state: &AppState,
    ctx: &TenantCtx,
    client: &ClientInfo,
    entries: &[EntrySpec],
) -> Result<(), AppError> {
    // The rows exist before the transaction changes them (made on first read).
    specs(state, ctx.tenant_id()).await?;
    in_audited_txn(
        ctx,
        client,
        audit_action::SAVED,
        serde_json::json!({ "entries": entries }),
        async |txn| {
            for e in entries {
                repo::save_entry(txn, ctx.tenant_id(), &e.values(), Some(ctx.account_id())).await?;
            }
            Ok(())
        },
    )
    .await
}

/// What "Kör nu" did.
#[derive(Debug)]
pub enum RunNow {
    Ran(Run),
    /// It had run already: the run it made.
    Already(Run),
}

const ALREADY: &str = "already_run";

/// Runs (kind, year) now for the kansli, with its audit row; answers the run, or the earlier one.
pub async fn run_now(
    state: &AppState,
    ctx: &TenantCtx,
    client: &ClientInfo,
    input: &RunInput,
    year_path: &str,
) -> Result<RunNow, AppError> {
    let kind = ScheduleKind::parse(input.kind.trim()).ok_or_else(|| {
        AppError::field(
            "kind",
            "Välj årsredovisning, delårsrapport eller verksamhetsplan.",
        )
    })?;
    let now = Utc::now();
    let year = input
        .year
        .unwrap_or_else(|| natural_year(kind, stockholm_date(now)));
    if !(2000..=2100).contains(&year) {
        return Err(AppError::field(
            year_path,
            "Ange ett år mellan 2000 och 2100.",
        ));
    }
    let spec = specs(state, ctx.tenant_id())
        .await?
        .into_iter()
        .find(|e| e.kind == kind)
        .unwrap_or_else(|| {
            sched::defaults()
                .into_iter()
                .find(|e| e.kind == kind)
                .expect("every kind has a default")
        });
    let req = RunRequest {
        kind,
        year,
        trigger: trigger::MANUAL,
        requested_by: Some(ctx.account_id()),
        due_on: spec.cycle(year).1,
    };
    let base = state.cfg.base_url.to_string();
    let made = in_audited_txn(
        ctx,
        client,
        audit_action::RUN,
        serde_json::json!({ "kind": kind.as_str(), "year": year }),
        async |txn| match sched::execute(txn, &ctx.tenant, &req, &base, now).await? {
            // Nothing happened: the transaction is dropped, and no audit row is written.
            Execution::AlreadyRan(_) => Err(AppError::Conflict(ALREADY.into())),
            Execution::Ran { run, render, .. } => Ok((run, render)),
        },
    )
    .await;
    match made {
        Ok((run, render)) => {
            if let Some(job) = render {
                push(state, job).await;
            }
            Ok(RunNow::Ran(run))
        }
        Err(AppError::Conflict(m)) if m == ALREADY => {
            let run = repo::run_for(&ctx.db, ctx.tenant_id(), kind.as_str(), year)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(RunNow::Already(run))
        }
        Err(e) => Err(e),
    }
}

async fn push(state: &AppState, job: RenderJob) {
    // The version is queued in our table; if the job cannot be pushed, the sweeper renders it.
    if let Err(e) = state.render_queue.push(job).await {
        tracing::warn!(error = %e, version_id = job.version_id, "render job not queued; the sweeper will render it");
    }
}

/// The message people read when a (kind, year) has run already.
pub fn already_message(r: &Run) -> String {
    format!(
        "{} {} har redan körts ({}, {}). Den körs inte igen.",
        kind_label(&r.kind),
        r.year,
        finsam_core::time::format_stockholm_minutes(r.created_at),
        outcome_label(&r.outcome).to_lowercase()
    )
}

/// The förbund's schedule (årshjul): its entries, the latest runs and the daily reminders.
#[utoipa::path(get, path = "/api/v1/t/{slug}/schedule", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = ScheduleOut)))]
pub async fn get(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
) -> Result<Json<ScheduleOut>, ApiError> {
    Ok(Json(schedule_out(&state, ctx.tenant_id()).await?))
}

/// Changes the dates, deadlines and whether each entry runs.
#[utoipa::path(put, path = "/api/v1/t/{slug}/schedule", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = ScheduleInput,
    responses((status = 200, body = ScheduleOut), (status = 422, body = ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    crate::api::ApiJson(input): crate::api::ApiJson<ScheduleInput>,
) -> Result<Json<ScheduleOut>, ApiError> {
    let entries = check_entries(&input.entries, |i, _, f| format!("entries[{i}].{f}"))
        .map_err(AppError::Validation)?;
    save_entries(&state, &ctx, &client, &entries).await?;
    Ok(Json(schedule_out(&state, ctx.tenant_id()).await?))
}

/// Runs a document of the schedule now ("Kör nu"). Once per (kind, year): a second request answers 409
/// with the run already made. A run that made no version (data missing, not required, failed) runs again.
#[utoipa::path(post, path = "/api/v1/t/{slug}/schedule/runs", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = RunInput,
    responses((status = 202, body = RunOut), (status = 409, body = AlreadyRun), (status = 422, body = ErrorBody)))]
pub async fn create_run(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    crate::api::ApiJson(input): crate::api::ApiJson<RunInput>,
) -> Result<Response, ApiError> {
    Ok(
        match run_now(&state, &ctx, &client, &input, "year").await? {
            RunNow::Ran(run) => (StatusCode::ACCEPTED, Json(run_out(&run))).into_response(),
            RunNow::Already(run) => (
                StatusCode::CONFLICT,
                Json(AlreadyRun {
                    error: ErrorDetail {
                        code: "conflict".into(),
                        message: already_message(&run),
                        fields: vec![],
                    },
                    run: run_out(&run),
                }),
            )
                .into_response(),
        },
    )
}
