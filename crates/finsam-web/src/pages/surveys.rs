//! Indikatorenkäter in the browser: the list of surveys, the kansli's form for a survey (the scale and
//! the questions typed one per line), and an insats's answer counts per year.

use crate::api::surveys::{
    AnswerInput, QuestionInput, ResultInput, SurveyInput, remove_result, results_for, save_result,
    save_survey, survey_out,
};
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
use finsam_db::repo::{insatser, surveys};
use minijinja::value::Serde;
use minijinja::{Value, context};
use std::collections::HashMap;

/// The förbund's surveys, with their scales and questions.
pub async fn list(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let layout = views::layout(&state, &ctx.auth, Some(&ctx), &csrf).await?;
    let mut shown = Vec::new();
    for s in surveys::list(&ctx.db, ctx.tenant_id()).await? {
        shown.push(survey_out(&ctx.db, ctx.tenant_id(), s).await?);
    }
    let html = views::render(
        "surveys.html",
        context! {
            title => "Indikatorenkäter", surveys => Value::from(Serde(&shown)),
            can_manage => ctx.can(Permission::Manage), tenant => views::tenant_value(&ctx), ..layout
        },
    )?;
    Ok((jar, html).into_response())
}

/// The form's text fields.
#[derive(serde::Serialize, Default)]
struct Shown {
    key: String,
    name: String,
    scale: String,
    questions: String,
}

impl Shown {
    fn from_input(i: &SurveyInput) -> Self {
        Shown {
            key: i.key.clone(),
            name: i.name.clone(),
            scale: i.scale.join("\n"),
            questions: i
                .questions
                .iter()
                .map(|q| format!("{}: {}", q.key, q.text))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// Reads the form: the scale one option per line, the questions one per line as `number: text`.
fn read(form: &HashMap<String, String>) -> (SurveyInput, Vec<FieldError>) {
    let get = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let lines = |k: &str| -> Vec<String> {
        get(k)
            .lines()
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect()
    };
    let mut errors = Vec::new();
    let mut questions = Vec::new();
    for (i, line) in lines("questions").iter().enumerate() {
        match line.split_once(':') {
            Some((k, t)) => questions.push(QuestionInput {
                key: k.trim().to_owned(),
                text: t.trim().to_owned(),
            }),
            None => errors.push(FieldError::new(
                "questions",
                format!(
                    "Rad {}: skriv frågans nummer, kolon och frågan, till exempel ”1: Får du stöd?”.",
                    i + 1
                ),
            )),
        }
    }
    let input = SurveyInput {
        key: get("key"),
        name: get("name"),
        scale: lines("scale"),
        questions,
    };
    (input, errors)
}

/// Maps the API's paths (`scale[2]`, `questions[3].key`) to the form's text areas, naming the line.
fn form_fields(fields: Vec<FieldError>) -> Vec<FieldError> {
    fields
        .into_iter()
        .map(|f| {
            for area in ["scale", "questions"] {
                if let Some(rest) = f.path.strip_prefix(&format!("{area}["))
                    && let Some((n, _)) = rest.split_once(']')
                    && let Ok(n) = n.parse::<usize>()
                {
                    return FieldError::new(area, format!("Rad {}: {}", n + 1, f.message));
                }
            }
            if f.path.is_empty() {
                return FieldError::new("name", f.message);
            }
            f
        })
        .collect()
}

async fn form_page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    existing: Option<&crate::api::surveys::SurveyOut>,
    shown: &Shown,
    errors: Option<FormErrors>,
) -> Result<Html<String>, AppError> {
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    let (heading, action) = match existing {
        Some(s) => (
            s.name.clone(),
            format!("/t/{}/enkater/{}", ctx.tenant.slug, s.id),
        ),
        None => (
            "Ny enkät".to_owned(),
            format!("/t/{}/enkater", ctx.tenant.slug),
        ),
    };
    views::render(
        "survey_form.html",
        context! {
            title => heading.clone(), heading, action, is_new => existing.is_none(),
            locked => existing.is_some_and(|s| s.results > 0),
            form => Value::from(Serde(shown)), errors => Value::from(Serde(&errors)),
            tenant => views::tenant_value(ctx), ..layout
        },
    )
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let html = form_page(&state, &ctx, &csrf, None, &Shown::default(), None).await?;
    Ok((jar, html).into_response())
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
    Path(path): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let s = surveys::get(&ctx.db, ctx.tenant_id(), path.1)
        .await?
        .ok_or(AppError::NotFound)?;
    let out = survey_out(&ctx.db, ctx.tenant_id(), s).await?;
    let shown = Shown::from_input(&SurveyInput {
        key: out.key.clone(),
        name: out.name.clone(),
        scale: out.scale.clone(),
        questions: out
            .questions
            .iter()
            .map(|q| QuestionInput {
                key: q.key.clone(),
                text: q.text.clone(),
            })
            .collect(),
    });
    let (jar, csrf) = csrf_for_page(&state, jar);
    let html = form_page(&state, &ctx, &csrf, Some(&out), &shown, None).await?;
    Ok((jar, html).into_response())
}

async fn submit(
    state: AppState,
    ctx: &TenantCtx,
    client: ClientInfo,
    jar: CookieJar,
    existing: Option<i64>,
    form: HashMap<String, String>,
) -> Result<Response, PageError> {
    let (input, mut errors) = read(&form);
    let result = if errors.is_empty() {
        save_survey(ctx, &client, existing, &input).await
    } else {
        Err(AppError::Validation(Vec::new()))
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/t/{}/enkater", ctx.tenant.slug)).into_response()),
        Err(AppError::Validation(fields)) => {
            errors.extend(form_fields(fields));
            let current = match existing {
                Some(id) => match surveys::get(&ctx.db, ctx.tenant_id(), id).await? {
                    Some(s) => Some(survey_out(&ctx.db, ctx.tenant_id(), s).await?),
                    None => None,
                },
                None => None,
            };
            let mut shown = Shown::from_input(&input);
            // The text areas keep what was typed, including the lines that could not be read.
            for k in ["scale", "questions"] {
                if let Some(v) = form.get(k) {
                    let v = v.trim().to_owned();
                    match k {
                        "scale" => shown.scale = v,
                        _ => shown.questions = v,
                    }
                }
            }
            let (jar, csrf) = csrf_for_page(&state, jar);
            let html = form_page(
                &state,
                ctx,
                &csrf,
                current.as_ref(),
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
    surveys::get(&ctx.db, ctx.tenant_id(), path.1)
        .await?
        .ok_or(AppError::NotFound)?;
    submit(state, &ctx, client, jar, Some(path.1), form).await
}

/// One survey's table for the results page: a row per question with its counts (entered or typed).
#[derive(serde::Serialize)]
struct ResultTable {
    id: i64,
    name: String,
    scale: Vec<String>,
    stored: bool,
    rows: Vec<ResultRow>,
}

#[derive(serde::Serialize)]
struct ResultRow {
    index: usize,
    key: String,
    text: String,
    cells: Vec<String>,
    answered: Option<u64>,
}

async fn results_page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    insats: &insatser::Insats,
    year: i32,
    typed: Option<(i64, HashMap<String, String>)>,
    errors: Option<FormErrors>,
) -> Result<Html<String>, AppError> {
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    let key = insatser::key_of(insats);
    let stored = results_for(ctx, &key, year).await?;
    let mut tables = Vec::new();
    for s in surveys::list(&ctx.db, ctx.tenant_id()).await? {
        let result = stored.iter().find(|r| r.survey_id == s.id);
        let typed_here = typed.as_ref().filter(|(id, _)| *id == s.id).map(|t| &t.1);
        let d = s.definition;
        let rows = d
            .questions
            .iter()
            .enumerate()
            .map(|(qi, q)| {
                let counts = result.and_then(|r| r.answers.iter().find(|a| a.question == q.key));
                let cells = (0..d.scale.len())
                    .map(|oi| match typed_here {
                        Some(form) => form
                            .get(&format!("c_{qi}_{oi}"))
                            .cloned()
                            .unwrap_or_default(),
                        None => counts
                            .and_then(|c| c.counts.get(oi))
                            .map(|n| n.to_string())
                            .unwrap_or_default(),
                    })
                    .collect();
                ResultRow {
                    index: qi,
                    key: q.key.clone(),
                    text: q.text.clone(),
                    cells,
                    answered: counts.map(|c| c.counts.iter().map(|&n| u64::from(n)).sum()),
                }
            })
            .collect();
        tables.push(ResultTable {
            id: s.id,
            name: d.name,
            scale: d.scale,
            stored: result.is_some(),
            rows,
        });
    }
    views::render(
        "survey_results.html",
        context! {
            title => format!("Indikatorenkät {year}: {}", insats.name),
            insats => context! { id => insats.id, name => insats.name.clone() }, year,
            tables => Value::from(Serde(&tables)), can_manage => ctx.can(Permission::Manage),
            errors => Value::from(Serde(&errors)), tenant => views::tenant_value(ctx), ..layout
        },
    )
}

async fn insats_row(ctx: &TenantCtx, id: i64) -> Result<insatser::Insats, AppError> {
    insatser::get(&ctx.db, ctx.tenant_id(), id, insatser::Visibility::All)
        .await?
        .ok_or(AppError::NotFound)
}

/// An insats's survey results for a year, with the kansli's forms.
pub async fn results(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
    jar: CookieJar,
    Path(path): Path<(String, i64, i32)>,
) -> Result<Response, PageError> {
    let row = insats_row(&ctx, path.1).await?;
    let year = crate::api::year_param(path.2)?;
    let (jar, csrf) = csrf_for_page(&state, jar);
    let html = results_page(&state, &ctx, &csrf, &row, year, None, None).await?;
    Ok((jar, html).into_response())
}

/// Reads the count cells of one survey: a question with every cell empty is left out, an empty cell
/// beside filled ones is 0.
fn read_counts(
    form: &HashMap<String, String>,
    questions: &[(usize, String)],
    options: usize,
) -> Result<Vec<AnswerInput>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut answers = Vec::new();
    for (qi, key) in questions {
        let cells: Vec<String> = (0..options)
            .map(|oi| {
                form.get(&format!("c_{qi}_{oi}"))
                    .map(|v| v.trim().to_owned())
                    .unwrap_or_default()
            })
            .collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let mut counts = Vec::new();
        for (oi, c) in cells.iter().enumerate() {
            match c.as_str() {
                "" => counts.push(0),
                c => match c.parse::<u32>() {
                    Ok(n) if n <= 100_000 => counts.push(n),
                    _ => errors.push(FieldError::new(
                        format!("c_{qi}_{oi}"),
                        format!("Fråga {key}: ange antalet som ett heltal, 0 eller mer."),
                    )),
                },
            }
        }
        answers.push(AnswerInput {
            question: key.clone(),
            counts,
        });
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

/// The kansli saves one survey's counts for the insats and year.
pub async fn save(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Path(path): Path<(String, i64, i32, i64)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let row = insats_row(&ctx, path.1).await?;
    let year = crate::api::year_param(path.2)?;
    let survey = surveys::get(&ctx.db, ctx.tenant_id(), path.3)
        .await?
        .ok_or(AppError::NotFound)?;
    let questions: Vec<(usize, String)> = survey
        .definition
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| (i, q.key.clone()))
        .collect();
    let saved = match read_counts(&form, &questions, survey.definition.scale.len()) {
        Ok(answers) => save_result(
            &ctx,
            &client,
            row.id,
            year,
            survey.id,
            &ResultInput { answers },
        )
        .await
        .map(|_| ()),
        Err(e) => Err(AppError::Validation(e)),
    };
    match saved {
        Ok(()) => Ok(Redirect::to(&format!(
            "/t/{}/insatser/{}/enkater/{}#enkat-{}",
            ctx.tenant.slug, row.id, year, survey.id
        ))
        .into_response()),
        Err(AppError::Validation(fields)) => {
            let (jar, csrf) = csrf_for_page(&state, jar);
            let html = results_page(
                &state,
                &ctx,
                &csrf,
                &row,
                year,
                Some((survey.id, form)),
                Some(FormErrors::from_fields(fields)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, html).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

/// The kansli removes one survey's counts for the insats and year.
pub async fn remove(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i64, i32, i64)>,
) -> Result<Response, PageError> {
    remove_result(&ctx, &client, path.1, path.2, path.3).await?;
    Ok(Redirect::to(&format!(
        "/t/{}/insatser/{}/enkater/{}",
        ctx.tenant.slug, path.1, path.2
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn questions_are_read_one_per_line_and_a_line_without_colon_is_named() {
        let (input, errors) = read(&form(&[
            ("key", "enkat-2025"),
            ("name", "Enkät"),
            ("scale", "Aldrig\n\n Alltid \n"),
            (
                "questions",
                "1: Får du stöd?\n4a: Behov: av stöd?\nutan kolon",
            ),
        ]));
        assert_eq!(input.scale, ["Aldrig", "Alltid"]);
        assert_eq!(input.questions.len(), 2);
        assert_eq!(input.questions[1].key, "4a");
        assert_eq!(input.questions[1].text, "Behov: av stöd?");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, "questions");
        assert!(
            errors[0].message.starts_with("Rad 3:"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn api_paths_become_the_text_area_and_line() {
        let f = form_fields(vec![
            FieldError::new("questions[3].key", "Fel nummer."),
            FieldError::new("scale[0]", "Tomt."),
            FieldError::new("name", "Namn saknas."),
        ]);
        assert_eq!(f[0].path, "questions");
        assert_eq!(f[0].message, "Rad 4: Fel nummer.");
        assert_eq!(f[1].path, "scale");
        assert_eq!(f[2].path, "name");
    }

    #[test]
    fn counts_blank_rows_are_skipped_and_bad_cells_named() {
        let q = vec![
            (0, "1".to_owned()),
            (1, "2".to_owned()),
            (2, "3".to_owned()),
        ];
        let got = read_counts(
            &form(&[("c_0_0", "3"), ("c_0_2", "5"), ("c_2_1", "")]),
            &q,
            3,
        )
        .unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].question, "1");
        assert_eq!(got[0].counts, [3, 0, 5]);
        let err = read_counts(&form(&[("c_1_1", "-2"), ("c_2_0", "tre")]), &q, 3).unwrap_err();
        let paths: Vec<_> = err.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["c_1_1", "c_2_0"]);
        assert!(err[0].message.contains("Fråga 2"));
    }
}
