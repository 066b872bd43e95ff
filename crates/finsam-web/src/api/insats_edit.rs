//! The kansli adds and changes insatser: what they are, their goals and their money per year. Goals keep
//! their keys (and so their måluppfyllelse) when their text is unchanged; coaches and results stay.

use crate::error::{ApiError, AppError, ErrorBody, FieldError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use axum::Json;
use axum::extract::Path;
use chrono::NaiveDate;
use finsam_core::yearfile::{self, Goal, Insats, InsatsKind, InsatsYear};
use finsam_db::repo::{audit, insatser, members};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct YearMoney {
    pub year: i32,
    /// Kronor as typed ("400 000" or "400000,50"), or empty.
    pub beviljat: String,
    pub budget: String,
    pub utfall: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct InsatsInput {
    pub name: String,
    /// `individinriktad` or `strukturovergripande`.
    pub kind: String,
    /// The responsible member's key, or empty.
    pub responsible_member: String,
    pub performer: String,
    /// YYYY-MM-DD or empty.
    pub period_from: String,
    pub period_to: String,
    pub target_group: String,
    pub description: String,
    /// One goal per entry.
    pub goals: Vec<String>,
    pub years: Vec<YearMoney>,
}

fn date(s: &str) -> Result<Option<NaiveDate>, ()> {
    match s.trim() {
        "" => Ok(None),
        d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ()),
    }
}

/// Builds the insats from the input over what is stored (keeping goal keys, results and coaches).
pub fn build(
    input: &InsatsInput,
    key: String,
    current: Option<&Insats>,
    member_keys: &[String],
) -> Result<Insats, Vec<FieldError>> {
    let mut e = Vec::new();
    let name = input.name.trim();
    if name.is_empty() {
        e.push(FieldError::new("name", "Namn saknas."));
    }
    let kind = match input.kind.as_str() {
        "individinriktad" => InsatsKind::Individinriktad,
        "strukturovergripande" => InsatsKind::Strukturovergripande,
        _ => {
            e.push(FieldError::new(
                "kind",
                "Välj individinriktad eller strukturövergripande.",
            ));
            InsatsKind::Individinriktad
        }
    };
    let responsible_member = match input.responsible_member.trim() {
        "" => None,
        k if member_keys.iter().any(|m| m == k) => Some(k.to_owned()),
        _ => {
            e.push(FieldError::new(
                "responsible_member",
                "Välj en av förbundets medlemmar.",
            ));
            None
        }
    };
    let period_from = date(&input.period_from)
        .map_err(|_| {
            e.push(FieldError::new(
                "period_from",
                "Ange datumet som ÅÅÅÅ-MM-DD.",
            ))
        })
        .ok()
        .flatten();
    let period_to = date(&input.period_to)
        .map_err(|_| e.push(FieldError::new("period_to", "Ange datumet som ÅÅÅÅ-MM-DD.")))
        .ok()
        .flatten();
    if let (Some(f), Some(t)) = (period_from, period_to)
        && t < f
    {
        e.push(FieldError::new(
            "period_to",
            "Perioden slutar före den börjar.",
        ));
    }
    for (field, text) in [
        ("target_group", &input.target_group),
        ("description", &input.description),
    ] {
        if yearfile::contains_personnummer(text) {
            e.push(FieldError::new(
                field,
                "Texten ser ut att innehålla ett personnummer. Ta bort numret.",
            ));
        }
    }
    // Goals: an unchanged text keeps its key, a new text gets the next free one.
    let old_goals = current.map(|c| c.goals.clone()).unwrap_or_default();
    let mut next = old_goals
        .iter()
        .filter_map(|g| g.key.strip_prefix('g')?.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
        + 1;
    let mut goals = Vec::new();
    for (i, text) in input
        .goals
        .iter()
        .map(|g| g.trim())
        .filter(|g| !g.is_empty())
        .enumerate()
    {
        if yearfile::contains_personnummer(text) {
            e.push(FieldError::new(
                format!("goals[{i}]"),
                "Målet ser ut att innehålla ett personnummer.",
            ));
        }
        let key = match old_goals
            .iter()
            .find(|g| g.text == text && !goals.iter().any(|n: &Goal| n.key == g.key))
        {
            Some(g) => g.key.clone(),
            None => {
                let k = format!("g{next}");
                next += 1;
                k
            }
        };
        goals.push(Goal {
            key,
            text: text.to_owned(),
        });
    }
    let mut years = Vec::new();
    for (i, y) in input.years.iter().enumerate() {
        if y.beviljat.trim().is_empty() && y.budget.trim().is_empty() && y.utfall.trim().is_empty()
        {
            continue;
        }
        if !(2000..=2100).contains(&y.year) {
            e.push(FieldError::new(
                format!("years[{i}].year"),
                "Året ska vara mellan 2000 och 2100.",
            ));
        }
        let mut amount = |field: &str, v: &str| match v.trim() {
            "" => None,
            t => match finsam_core::money::parse_kronor(t) {
                Ok(o) if o.0 >= 0 => Some(o.0),
                Ok(_) => {
                    e.push(FieldError::new(
                        format!("years[{i}].{field}"),
                        "Beloppet får inte vara negativt.",
                    ));
                    None
                }
                Err(m) => {
                    e.push(FieldError::new(format!("years[{i}].{field}"), m));
                    None
                }
            },
        };
        let (beviljat_ore, budget_ore, utfall_ore) = (
            amount("beviljat", &y.beviljat),
            amount("budget", &y.budget),
            amount("utfall", &y.utfall),
        );
        if years.iter().any(|x: &InsatsYear| x.year == y.year) {
            e.push(FieldError::new(
                format!("years[{i}].year"),
                "Året finns redan.",
            ));
        }
        years.push(InsatsYear {
            year: y.year,
            beviljat_ore,
            budget_ore,
            utfall_ore,
        });
    }
    years.sort_by_key(|y| y.year);
    if !e.is_empty() {
        return Err(e);
    }
    // Results of goals that no longer exist go with them.
    let goal_results = current
        .map(|c| {
            c.goal_results
                .iter()
                .filter(|r| goals.iter().any(|g| g.key == r.goal))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    Ok(Insats {
        key,
        name: name.to_owned(),
        kind,
        responsible_member,
        performer: input.performer.trim().to_owned(),
        period_from,
        period_to,
        target_group: input.target_group.trim().to_owned(),
        description: input.description.trim().to_owned(),
        goals,
        years,
        goal_results,
        coaches: current.map(|c| c.coaches.clone()).unwrap_or_default(),
    })
}

pub async fn save_insats(
    ctx: &TenantCtx,
    existing: Option<i64>,
    input: &InsatsInput,
    client: &ClientInfo,
) -> Result<insatser::Insats, AppError> {
    let txn = ctx.db.begin().await?;
    let current_row = match existing {
        Some(id) => Some(
            insatser::get(&txn, ctx.tenant_id(), id, insatser::Visibility::All)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let current = current_row.as_ref().map(insatser::details);
    let key = match &current {
        Some(c) => c.key.clone(),
        None => {
            let base = finsam_core::slug::key(&input.name);
            let base = if base.is_empty() {
                "insats".to_owned()
            } else {
                base
            };
            let mut key = base.clone();
            let mut n = 2;
            while insatser::by_key(&txn, ctx.tenant_id(), &key)
                .await?
                .is_some()
            {
                key = format!("{base}-{n}");
                n += 1;
            }
            key
        }
    };
    let member_keys: Vec<String> = members::list(&txn, ctx.tenant_id())
        .await?
        .iter()
        .map(|m| members::details(m).key)
        .collect();
    let ins = build(input, key, current.as_ref(), &member_keys).map_err(AppError::Validation)?;
    if let Some(other) = insatser::by_name(&txn, ctx.tenant_id(), &ins.name).await?
        && Some(other.id) != existing
    {
        return Err(AppError::field(
            "name",
            "Det finns redan en insats med det namnet.",
        ));
    }
    let saved = insatser::save(&txn, ctx.tenant_id(), current_row, &ins, None).await?;
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: Some(ctx.tenant_id()),
            actor_account_id: Some(ctx.account_id()),
            action: audit::action::INSATS_SAVED,
            detail: serde_json::json!({ "insats_id": saved.id, "name": saved.name }),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    Ok(saved)
}

#[derive(Serialize, ToSchema)]
pub struct SavedInsats {
    pub id: i64,
    #[schema(value_type = Object)]
    pub insats: Insats,
}

/// Adds an insats.
#[utoipa::path(post, path = "/api/v1/t/{slug}/insatser", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = InsatsInput,
    responses((status = 201, body = SavedInsats), (status = 422, body = ErrorBody)))]
pub async fn create(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    crate::api::ApiJson(input): crate::api::ApiJson<InsatsInput>,
) -> Result<(axum::http::StatusCode, Json<SavedInsats>), ApiError> {
    let saved = save_insats(&ctx, None, &input, &client).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(SavedInsats {
            id: saved.id,
            insats: insatser::details(&saved),
        }),
    ))
}

/// Changes an insats.
#[utoipa::path(put, path = "/api/v1/t/{slug}/insatser/{insats_id}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("insats_id" = i64, Path)), request_body = InsatsInput,
    responses((status = 200, body = SavedInsats), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i64)>,
    bytes: axum::body::Bytes,
) -> Result<Json<SavedInsats>, ApiError> {
    insatser::get(&ctx.db, ctx.tenant_id(), path.1, insatser::Visibility::All)
        .await?
        .ok_or(AppError::NotFound)?;
    let input: InsatsInput = crate::api::parse_json(&bytes)?;
    let saved = save_insats(&ctx, Some(path.1), &input, &client).await?;
    Ok(Json(SavedInsats {
        id: saved.id,
        insats: insatser::details(&saved),
    }))
}

/// One goal's result for a year.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct GoalResultInput {
    /// The goal's key (`g1` …).
    pub goal: String,
    /// `uppfyllt`, `delvis_uppfyllt`, `ej_uppfyllt`, or empty for not assessed.
    pub status: String,
    pub comment: String,
}

/// Replaces the results of one year: every goal assessed or left out, comments checked.
pub async fn save_results(
    ctx: &TenantCtx,
    insats_id: i64,
    year: i32,
    input: &[GoalResultInput],
    client: &ClientInfo,
) -> Result<Insats, AppError> {
    use finsam_core::yearfile::{GoalResult, Maluppfyllelse};
    if !(2000..=2100).contains(&year) {
        return Err(AppError::NotFound);
    }
    let txn = ctx.db.begin().await?;
    let row = insatser::get(&txn, ctx.tenant_id(), insats_id, insatser::Visibility::All)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut ins = insatser::details(&row);
    let mut errors = Vec::new();
    let mut results = Vec::new();
    for (i, r) in input.iter().enumerate() {
        if !ins.goals.iter().any(|g| g.key == r.goal) {
            errors.push(FieldError::new(
                format!("results[{i}].goal"),
                "Målet finns inte i insatsen.",
            ));
            continue;
        }
        let status = match r.status.as_str() {
            "" => continue,
            "uppfyllt" => Maluppfyllelse::Uppfyllt,
            "delvis_uppfyllt" => Maluppfyllelse::DelvisUppfyllt,
            "ej_uppfyllt" => Maluppfyllelse::EjUppfyllt,
            _ => {
                errors.push(FieldError::new(
                    format!("results[{i}].status"),
                    "Välj uppfyllt, delvis uppfyllt eller ej uppfyllt.",
                ));
                continue;
            }
        };
        if yearfile::contains_personnummer(&r.comment) {
            errors.push(FieldError::new(
                format!("results[{i}].comment"),
                "Kommentaren ser ut att innehålla ett personnummer. Ta bort numret.",
            ));
        }
        results.push(GoalResult {
            goal: r.goal.clone(),
            year,
            status,
            comment: r.comment.trim().to_owned(),
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    ins.goal_results.retain(|r| r.year != year);
    ins.goal_results.extend(results);
    ins.goal_results
        .sort_by_key(|r| (r.year, ins.goals.iter().position(|g| g.key == r.goal)));
    let saved = insatser::save(&txn, ctx.tenant_id(), Some(row), &ins, None).await?;
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: Some(ctx.tenant_id()),
            actor_account_id: Some(ctx.account_id()),
            action: audit::action::INSATS_SAVED,
            detail: serde_json::json!({ "insats_id": saved.id, "maluppfyllelse": year }),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    Ok(ins)
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ResultsBody {
    pub results: Vec<GoalResultInput>,
}

/// Replaces an insats's måluppfyllelse for one year.
#[utoipa::path(put, path = "/api/v1/t/{slug}/insatser/{insats_id}/maluppfyllelse/{year}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("insats_id" = i64, Path), ("year" = i32, Path)), request_body = ResultsBody,
    responses((status = 200, body = SavedInsats), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_results(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i64, i32)>,
    bytes: axum::body::Bytes,
) -> Result<Json<SavedInsats>, ApiError> {
    insatser::get(&ctx.db, ctx.tenant_id(), path.1, insatser::Visibility::All)
        .await?
        .ok_or(AppError::NotFound)?;
    let input: ResultsBody = crate::api::parse_json(&bytes)?;
    let ins = save_results(&ctx, path.1, path.2, &input.results, &client).await?;
    Ok(Json(SavedInsats {
        id: path.1,
        insats: ins,
    }))
}
