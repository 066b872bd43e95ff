//! Coach reports: a coach reports the counts for an insats they are attached to; the kansli approves
//! or returns them. Counts only: the platform holds nothing about individual participants.

use crate::error::{ApiError, AppError, ErrorBody, FieldError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use axum::Json;
use axum::extract::Path;
use finsam_core::Permission;
use finsam_core::yearfile::{
    self, CoachReport, Ended, GenderCounts, ReportAnswers, ReportPeriod, ReportStatus,
};
use finsam_db::repo::{audit, coach_reports, insatser, members};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ReportOut {
    pub id: i64,
    pub insats_id: i64,
    pub insats: String,
    #[schema(value_type = Object)]
    pub report: CoachReport,
}

#[derive(Serialize, ToSchema)]
pub struct ReportsResponse {
    pub reports: Vec<ReportOut>,
}

/// The insatser the caller may report for or read, with their keys.
async fn visible_insatser(ctx: &TenantCtx) -> Result<Vec<insatser::Insats>, AppError> {
    Ok(insatser::list(&ctx.db, ctx.tenant_id(), ctx.insats_visibility()).await?)
}

fn out(ins: &[insatser::Insats], r: coach_reports::StoredReport) -> Option<ReportOut> {
    let i = ins
        .iter()
        .find(|i| insatser::key_of(i) == r.report.insats)?;
    Some(ReportOut {
        id: r.id,
        insats_id: i.id,
        insats: i.name.clone(),
        report: r.report,
    })
}

/// The reports the caller may see: a coach those of their insatser, the others all.
#[utoipa::path(get, path = "/api/v1/t/{slug}/coach-reports", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = ReportsResponse)))]
pub async fn list(ctx: Tenant<perm::ViewTenant>) -> Result<Json<ReportsResponse>, ApiError> {
    let ins = visible_insatser(&ctx).await?;
    let keys: Vec<String> = ins.iter().map(insatser::key_of).collect();
    let rows = coach_reports::list(&ctx.db, ctx.tenant_id(), Some(&keys)).await?;
    Ok(Json(ReportsResponse {
        reports: rows.into_iter().filter_map(|r| out(&ins, r)).collect(),
    }))
}

/// One report; 404 for a coach who is not attached to its insats.
#[utoipa::path(get, path = "/api/v1/t/{slug}/coach-reports/{report_id}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("report_id" = i64, Path)), responses((status = 200, body = ReportOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    ctx: Tenant<perm::ViewTenant>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<ReportOut>, ApiError> {
    Ok(Json(visible_report(&ctx, path.1).await?))
}

pub async fn visible_report(ctx: &TenantCtx, id: i64) -> Result<ReportOut, AppError> {
    let r = coach_reports::get(&ctx.db, ctx.tenant_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let ins = visible_insatser(ctx).await?;
    out(&ins, r).ok_or(AppError::NotFound)
}

/// What a coach sends: the counts, the answers, and whether to submit now or keep a draft.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    pub insats_id: i64,
    /// The kommun's member key, when the insats reports per kommun.
    #[serde(default)]
    pub kommun: Option<String>,
    pub year: i32,
    #[schema(value_type = String)]
    pub period: ReportPeriod,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub participants: GenderCounts,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub new_participants: GenderCounts,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub ended: Ended,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub efterstod: GenderCounts,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub answers: ReportAnswers,
    /// Submit to the kansli now (otherwise it stays a draft).
    #[serde(default)]
    pub submit: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SavedReport {
    pub id: i64,
    pub status: String,
}

/// Saves a report as a draft or submits it. A coach may report only for an insats they are attached
/// to (another is 404) and, when their attachment names a kommun, only for that kommun. A submitted or
/// approved report cannot be changed; a returned one can.
pub async fn save_report(
    ctx: &TenantCtx,
    input: ReportInput,
    client: &ClientInfo,
) -> Result<SavedReport, AppError> {
    let ins = insatser::get(
        &ctx.db,
        ctx.tenant_id(),
        input.insats_id,
        ctx.insats_visibility(),
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let details = insatser::details(&ins);
    let mut problems = Vec::new();
    if !(2000..=2100).contains(&input.year) {
        problems.push(FieldError::new(
            "year",
            "Året ska vara mellan 2000 och 2100.",
        ));
    }
    let kommuner = members::list(&ctx.db, ctx.tenant_id()).await?;
    let name_of = |key: &str| {
        kommuner
            .iter()
            .find(|m| m.key.as_deref() == Some(key))
            .map_or(key.to_owned(), |m| m.name.clone())
    };
    if let Some(k) = &input.kommun
        && !kommuner
            .iter()
            .any(|m| m.kind == "kommun" && m.key.as_deref() == Some(k))
    {
        problems.push(FieldError::new(
            "kommun",
            "Kommunen är inte medlem i förbundet.",
        ));
    }
    if !ctx.can(Permission::Manage)
        && let Some(k) = coach_kommun(&details, &ctx.auth.account.email)
        && input.kommun.as_deref() != Some(k)
    {
        problems.push(FieldError::new(
            "kommun",
            format!(
                "Du rapporterar för {}: välj den under Ny rapport.",
                name_of(k)
            ),
        ));
    }
    let report = CoachReport {
        insats: insatser::key_of(&ins),
        kommun: input.kommun,
        year: input.year,
        period: input.period,
        status: if input.submit {
            ReportStatus::Submitted
        } else {
            ReportStatus::Draft
        },
        return_comment: None,
        participants: input.participants,
        new_participants: input.new_participants,
        ended: input.ended,
        efterstod: input.efterstod,
        answers: input.answers,
    };
    problems.extend(
        yearfile::report_problems(&report, "")
            .into_iter()
            .map(FieldError::from),
    );
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let txn = ctx.db.begin().await?;
    let existing = coach_reports::find(&txn, ctx.tenant_id(), &report).await?;
    if let Some(e) = &existing
        && !coach_reports::editable(e.report.status)
    {
        return Err(AppError::Conflict(
            "Rapporten är redan inskickad och kan inte ändras.".into(),
        ));
    }
    let id = coach_reports::save(&txn, ctx.tenant_id(), existing.map(|e| e.id), &report).await?;
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: Some(ctx.tenant_id()),
            actor_account_id: Some(ctx.account_id()),
            action: if input.submit {
                audit::action::REPORT_SUBMITTED
            } else {
                audit::action::REPORT_SAVED
            },
            detail: serde_json::json!({ "report_id": id, "insats": ins.name, "year": report.year }),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    Ok(SavedReport {
        id,
        status: yearfile_status(report.status).into(),
    })
}

/// The kommun a coach reports for, when their attachment to the insats names one.
pub fn coach_kommun<'a>(insats: &'a yearfile::Insats, email: &str) -> Option<&'a str> {
    insats
        .coaches
        .iter()
        .find(|c| c.email.as_str() == email)
        .and_then(|c| c.kommun.as_deref())
}

fn yearfile_status(s: ReportStatus) -> &'static str {
    finsam_db::repo::yearfile::status_str(s)
}

/// Saves or submits a report (kansli, or a coach attached to the insats).
#[utoipa::path(post, path = "/api/v1/t/{slug}/coach-reports", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = ReportInput,
    responses((status = 200, body = SavedReport), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save(
    ctx: Tenant<perm::Report>,
    client: ClientInfo,
    crate::api::ApiJson(input): crate::api::ApiJson<ReportInput>,
) -> Result<Json<SavedReport>, ApiError> {
    Ok(Json(save_report(&ctx, input, &client).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Return,
}

#[derive(Deserialize, ToSchema)]
pub struct DecisionInput {
    pub decision: Decision,
    /// Why it is returned (required then).
    #[serde(default)]
    pub comment: String,
}

pub async fn decide(
    ctx: &TenantCtx,
    id: i64,
    decision: Decision,
    comment: &str,
    client: &ClientInfo,
) -> Result<SavedReport, AppError> {
    let txn = ctx.db.begin().await?;
    let mut stored = coach_reports::get(&txn, ctx.tenant_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if stored.report.status != ReportStatus::Submitted {
        return Err(AppError::Conflict(
            "Bara inskickade rapporter kan godkännas eller skickas tillbaka.".into(),
        ));
    }
    let comment = comment.trim();
    match decision {
        Decision::Approve => {
            stored.report.status = ReportStatus::Approved;
            stored.report.return_comment = None;
        }
        Decision::Return => {
            if comment.is_empty() {
                return Err(AppError::field(
                    "comment",
                    "Skriv varför rapporten skickas tillbaka.",
                ));
            }
            if yearfile::contains_personnummer(comment) {
                return Err(AppError::field(
                    "comment",
                    "Kommentaren ser ut att innehålla ett personnummer. Ta bort numret.",
                ));
            }
            stored.report.status = ReportStatus::Returned;
            stored.report.return_comment = Some(comment.to_owned());
        }
    }
    coach_reports::save(&txn, ctx.tenant_id(), Some(id), &stored.report).await?;
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: Some(ctx.tenant_id()),
            actor_account_id: Some(ctx.account_id()),
            action: if stored.report.status == ReportStatus::Approved {
                audit::action::REPORT_APPROVED
            } else {
                audit::action::REPORT_RETURNED
            },
            detail: serde_json::json!({ "report_id": id }),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    Ok(SavedReport {
        id,
        status: yearfile_status(stored.report.status).into(),
    })
}

/// The kansli approves a submitted report or returns it with a comment.
#[utoipa::path(post, path = "/api/v1/t/{slug}/coach-reports/{report_id}/decision", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("report_id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = SavedReport), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decision(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i64)>,
    body: axum::body::Bytes,
) -> Result<Json<SavedReport>, ApiError> {
    coach_reports::get(&ctx.db, ctx.tenant_id(), path.1)
        .await?
        .ok_or(AppError::NotFound)?;
    let input: DecisionInput = crate::api::parse_json(&body)?;
    Ok(Json(
        decide(&ctx, path.1, input.decision, &input.comment, &client).await?,
    ))
}
