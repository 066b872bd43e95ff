//! Indikatorenkäter over the API: the survey definitions (the kansli keeps the question set and answer
//! scale as data, one version per key) and each insats's answer counts per year and survey.

use crate::api::yeardata::in_audited_txn;
use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use finsam_core::yearfile::{
    self, SurveyAnswerCounts, SurveyDefinition, SurveyQuestion, SurveyResult,
};
use finsam_db::repo::{audit, insatser, surveys};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct QuestionInput {
    /// The question's number as printed ("1", "4a").
    pub key: String,
    pub text: String,
}

/// A survey as the kansli writes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SurveyInput {
    /// Lower-case key, e.g. `nns-indikatorer-deltagare-2025`; given when the survey is added and
    /// never changed (a new version of a survey gets a new key).
    pub key: String,
    pub name: String,
    /// The answer options, in order.
    pub scale: Vec<String>,
    pub questions: Vec<QuestionInput>,
}

impl SurveyInput {
    fn definition(&self, key: &str) -> SurveyDefinition {
        SurveyDefinition {
            key: key.to_owned(),
            name: self.name.trim().to_owned(),
            scale: self.scale.iter().map(|s| s.trim().to_owned()).collect(),
            questions: self
                .questions
                .iter()
                .map(|q| SurveyQuestion {
                    key: q.key.trim().to_owned(),
                    text: q.text.trim().to_owned(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyOut {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub scale: Vec<String>,
    #[schema(value_type = Vec<Object>)]
    pub questions: Vec<SurveyQuestion>,
    /// How many insats-years have results for it (the scale is then fixed).
    pub results: u64,
}

pub async fn survey_out<C: finsam_db::ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    s: surveys::StoredSurvey,
) -> Result<SurveyOut, AppError> {
    let results = surveys::count_results(db, tenant_id, &s.definition.key).await?;
    let d = s.definition;
    Ok(SurveyOut {
        id: s.id,
        key: d.key,
        name: d.name,
        scale: d.scale,
        questions: d.questions,
        results,
    })
}

/// Adds a survey (`existing` None) or changes one. A survey with results keeps its scale and answered
/// questions; everything is checked before anything is written.
pub async fn save_survey(
    ctx: &TenantCtx,
    client: &ClientInfo,
    existing: Option<i64>,
    input: &SurveyInput,
) -> Result<SurveyOut, AppError> {
    in_audited_txn(
        ctx,
        client,
        audit::action::SURVEY_SAVED,
        serde_json::json!({ "survey": input.key, "survey_id": existing }),
        async |txn| {
            let current = match existing {
                Some(id) => Some(
                    surveys::get(txn, ctx.tenant_id(), id)
                        .await?
                        .ok_or(AppError::NotFound)?,
                ),
                None => None,
            };
            let key = match &current {
                Some(c) => {
                    let given = input.key.trim();
                    if !given.is_empty() && given != c.definition.key {
                        return Err(AppError::field(
                            "key",
                            "Nyckeln kan inte ändras. Lägg upp en ny version av enkäten i stället.",
                        ));
                    }
                    c.definition.key.clone()
                }
                None => input.key.trim().to_owned(),
            };
            let d = input.definition(&key);
            let mut p = yearfile::survey_definition_problems(&d, "");
            match &current {
                Some(c) => {
                    let results = surveys::results_of_survey(txn, ctx.tenant_id(), &key).await?;
                    p.extend(yearfile::survey_change_problems(
                        &c.definition,
                        &d,
                        &results,
                    ));
                }
                None => {
                    if p.iter().all(|p| p.path != "key")
                        && surveys::by_key(txn, ctx.tenant_id(), &key).await?.is_some()
                    {
                        return Err(AppError::field(
                            "key",
                            "Det finns redan en enkät med den nyckeln.",
                        ));
                    }
                }
            }
            if !p.is_empty() {
                return Err(AppError::problems(p));
            }
            let id = surveys::save_definition(txn, ctx.tenant_id(), &d, None).await?;
            let stored = surveys::get(txn, ctx.tenant_id(), id)
                .await?
                .ok_or(AppError::NotFound)?;
            survey_out(txn, ctx.tenant_id(), stored).await
        },
    )
    .await
}

#[derive(Serialize, ToSchema)]
pub struct SurveyList {
    pub surveys: Vec<SurveyOut>,
}

/// The förbund's surveys.
#[utoipa::path(get, path = "/api/v1/t/{slug}/surveys", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = SurveyList)))]
pub async fn list(ctx: Tenant<perm::ReadAll>) -> Result<Json<SurveyList>, ApiError> {
    let mut out = Vec::new();
    for s in surveys::list(&ctx.db, ctx.tenant_id()).await? {
        out.push(survey_out(&ctx.db, ctx.tenant_id(), s).await?);
    }
    Ok(Json(SurveyList { surveys: out }))
}

/// One survey.
#[utoipa::path(get, path = "/api/v1/t/{slug}/surveys/{survey_id}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("survey_id" = i64, Path)),
    responses((status = 200, body = SurveyOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<SurveyOut>, ApiError> {
    let s = surveys::get(&ctx.db, ctx.tenant_id(), path.1)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(survey_out(&ctx.db, ctx.tenant_id(), s).await?))
}

/// Adds a survey.
#[utoipa::path(post, path = "/api/v1/t/{slug}/surveys", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = SurveyInput,
    responses((status = 201, body = SurveyOut), (status = 422, body = ErrorBody)))]
pub async fn create(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    crate::api::ApiJson(input): crate::api::ApiJson<SurveyInput>,
) -> Result<(StatusCode, Json<SurveyOut>), ApiError> {
    let out = save_survey(&ctx, &client, None, &input).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Changes a survey: its name and question texts, and new questions. Once it has results its scale
/// and answered questions are fixed (422 naming the field).
#[utoipa::path(put, path = "/api/v1/t/{slug}/surveys/{survey_id}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("survey_id" = i64, Path)), request_body = SurveyInput,
    responses((status = 200, body = SurveyOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i64)>,
    bytes: axum::body::Bytes,
) -> Result<Json<SurveyOut>, ApiError> {
    surveys::get(&ctx.db, ctx.tenant_id(), path.1)
        .await?
        .ok_or(AppError::NotFound)?;
    let input: SurveyInput = crate::api::parse_json(&bytes)?;
    Ok(Json(
        save_survey(&ctx, &client, Some(path.1), &input).await?,
    ))
}

/// One survey's counts for an insats and year.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultOut {
    pub survey_id: i64,
    pub survey: String,
    pub insats: String,
    pub year: i32,
    #[schema(value_type = Vec<Object>)]
    pub answers: Vec<SurveyAnswerCounts>,
    /// How many answered each question (the sum of its counts).
    #[schema(value_type = Object)]
    pub answered: std::collections::BTreeMap<String, u64>,
}

fn result_out(survey_id: i64, r: SurveyResult) -> ResultOut {
    let answered = r
        .answers
        .iter()
        .map(|a| {
            (
                a.question.clone(),
                a.counts.iter().map(|&c| u64::from(c)).sum(),
            )
        })
        .collect();
    ResultOut {
        survey_id,
        survey: r.survey,
        insats: r.insats,
        year: r.year,
        answers: r.answers,
        answered,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ResultList {
    pub results: Vec<ResultOut>,
}

async fn insats_key(ctx: &TenantCtx, id: i64) -> Result<String, AppError> {
    let row = insatser::get(&ctx.db, ctx.tenant_id(), id, insatser::Visibility::All)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(insatser::key_of(&row))
}

/// One insats's survey results for a year.
pub async fn results_for(
    ctx: &TenantCtx,
    insats_key: &str,
    year: i32,
) -> Result<Vec<ResultOut>, AppError> {
    let all = surveys::list(&ctx.db, ctx.tenant_id()).await?;
    Ok(surveys::results(&ctx.db, ctx.tenant_id(), insats_key, year)
        .await?
        .into_iter()
        .filter_map(|r| {
            let id = all.iter().find(|s| s.definition.key == r.survey)?.id;
            Some(result_out(id, r))
        })
        .collect())
}

/// An insats's indikatorenkät results for a year.
#[utoipa::path(get, path = "/api/v1/t/{slug}/insatser/{insats_id}/surveys/{year}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("insats_id" = i64, Path), ("year" = i32, Path)),
    responses((status = 200, body = ResultList), (status = 404, body = ErrorBody)))]
pub async fn results(
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i64, i32)>,
) -> Result<Json<ResultList>, ApiError> {
    let key = insats_key(&ctx, path.1).await?;
    let year = crate::api::year_param(path.2)?;
    Ok(Json(ResultList {
        results: results_for(&ctx, &key, year).await?,
    }))
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AnswerInput {
    /// The question's key.
    pub question: String,
    /// One count per answer option, in the scale's order.
    pub counts: Vec<u32>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ResultInput {
    pub answers: Vec<AnswerInput>,
}

/// Checks and writes one insats's counts for a year and survey. Questions nobody answered may be left
/// out; a question given with only zeros is kept as answered by none.
pub async fn save_result(
    ctx: &TenantCtx,
    client: &ClientInfo,
    insats_id: i64,
    year: i32,
    survey_id: i64,
    input: &ResultInput,
) -> Result<ResultOut, AppError> {
    let key = insats_key(ctx, insats_id).await?;
    let year = crate::api::year_param(year)?;
    let survey = surveys::get(&ctx.db, ctx.tenant_id(), survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut answers: Vec<SurveyAnswerCounts> = input
        .answers
        .iter()
        .map(|a| SurveyAnswerCounts {
            question: a.question.trim().to_owned(),
            counts: a.counts.clone(),
        })
        .collect();
    let result = SurveyResult {
        insats: key,
        year,
        survey: survey.definition.key.clone(),
        answers: answers.clone(),
    };
    let p = yearfile::survey_result_problems(&result, &survey.definition, "");
    if !p.is_empty() {
        return Err(AppError::problems(p));
    }
    // Stored in the survey's question order.
    let order = |q: &str| survey.definition.questions.iter().position(|x| x.key == q);
    answers.sort_by_key(|a| order(&a.question));
    let result = SurveyResult { answers, ..result };
    in_audited_txn(
        ctx,
        client,
        audit::action::SURVEY_RESULT_SAVED,
        serde_json::json!({ "insats_id": insats_id, "year": year, "survey": result.survey }),
        async |txn| Ok(surveys::save_result(txn, ctx.tenant_id(), &result, None).await?),
    )
    .await?;
    Ok(result_out(survey_id, result))
}

/// Replaces an insats's counts for a year and survey.
#[utoipa::path(put, path = "/api/v1/t/{slug}/insatser/{insats_id}/surveys/{year}/{survey_id}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("insats_id" = i64, Path), ("year" = i32, Path), ("survey_id" = i64, Path)),
    request_body = ResultInput,
    responses((status = 200, body = ResultOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_result(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i64, i32, i64)>,
    bytes: axum::body::Bytes,
) -> Result<Json<ResultOut>, ApiError> {
    insats_key(&ctx, path.1).await?;
    crate::api::year_param(path.2)?;
    surveys::get(&ctx.db, ctx.tenant_id(), path.3)
        .await?
        .ok_or(AppError::NotFound)?;
    let input: ResultInput = crate::api::parse_json(&bytes)?;
    Ok(Json(
        save_result(&ctx, &client, path.1, path.2, path.3, &input).await?,
    ))
}

/// Removes an insats's counts for a year and survey (204 also when there were none).
pub async fn remove_result(
    ctx: &TenantCtx,
    client: &ClientInfo,
    insats_id: i64,
    year: i32,
    survey_id: i64,
) -> Result<(), AppError> {
    let key = insats_key(ctx, insats_id).await?;
    let year = crate::api::year_param(year)?;
    let survey = surveys::get(&ctx.db, ctx.tenant_id(), survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    in_audited_txn(
        ctx,
        client,
        audit::action::SURVEY_RESULT_SAVED,
        serde_json::json!({ "insats_id": insats_id, "year": year, "survey": survey.definition.key, "removed": true }),
        async |txn| {
            surveys::delete_result(txn, ctx.tenant_id(), &key, year, &survey.definition.key)
                .await?;
            Ok(())
        },
    )
    .await
}

/// Removes an insats's counts for a year and survey.
#[utoipa::path(delete, path = "/api/v1/t/{slug}/insatser/{insats_id}/surveys/{year}/{survey_id}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("insats_id" = i64, Path), ("year" = i32, Path), ("survey_id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_result(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i64, i32, i64)>,
) -> Result<StatusCode, ApiError> {
    remove_result(&ctx, &client, path.1, path.2, path.3).await?;
    Ok(StatusCode::NO_CONTENT)
}
