//! The kansli keeps the budget: lines with five columns (Budget N−1, Prognos N−1, Budget N, Plan N+1,
//! Plan N+2) in kronor as typed, and the balanserat resultat carried into last year.

use crate::error::{ApiError, AppError, ErrorBody, FieldError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use axum::Json;
use axum::extract::Path;
use finsam_core::money::parse_kronor;
use finsam_core::yearfile::{Budget, BudgetLine, BudgetSection};
use finsam_db::repo::{insatser, members, yearfile as repo};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LineInput {
    /// Keeps a line's identity; empty for a new line.
    pub key: String,
    pub label: String,
    /// `intakt`, `verksamhet` or `administration`.
    pub section: String,
    /// The paying member's key (contributions), or empty.
    pub member: String,
    /// The insats's key, or empty.
    pub insats: String,
    /// Kronor as typed; empty Budget/Prognos N−1 stay empty, the others count as 0.
    pub budget_prev: String,
    pub prognos_prev: String,
    pub budget: String,
    pub plan1: String,
    pub plan2: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BudgetInput {
    pub balanserat_resultat_budget_prev: String,
    pub balanserat_resultat_prognos_prev: String,
    /// YYYY-MM-DD, or empty.
    pub decided_on: String,
    pub lines: Vec<LineInput>,
}

/// Checks the input and builds the budget. Paths: `lines[i].field`.
pub fn build(
    input: &BudgetInput,
    member_keys: &[String],
    insats_keys: &[String],
) -> Result<Budget, Vec<FieldError>> {
    let mut e = Vec::new();
    let mut kr = |path: String, v: &str, required: bool| -> Option<i64> {
        match v.trim() {
            "" if !required => None,
            "" => Some(0),
            t => match parse_kronor(t) {
                Ok(o) => Some(o.0),
                Err(m) => {
                    e.push(FieldError::new(path, m));
                    None
                }
            },
        }
    };
    let brb = kr(
        "balanserat_resultat_budget_prev".into(),
        &input.balanserat_resultat_budget_prev,
        true,
    )
    .unwrap_or(0);
    let brp = kr(
        "balanserat_resultat_prognos_prev".into(),
        &input.balanserat_resultat_prognos_prev,
        true,
    )
    .unwrap_or(0);
    let mut lines: Vec<BudgetLine> = Vec::new();
    let mut parsed = Vec::new();
    for (i, l) in input.lines.iter().enumerate() {
        let at = |f: &str| format!("lines[{i}].{f}");
        let amounts = [
            kr(at("budget_prev"), &l.budget_prev, false),
            kr(at("prognos_prev"), &l.prognos_prev, false),
            kr(at("budget"), &l.budget, true),
            kr(at("plan1"), &l.plan1, true),
            kr(at("plan2"), &l.plan2, true),
        ];
        parsed.push(amounts);
    }
    for (i, (l, amounts)) in input.lines.iter().zip(parsed).enumerate() {
        let at = |f: &str| format!("lines[{i}].{f}");
        let label = l.label.trim();
        if label.is_empty() {
            e.push(FieldError::new(at("label"), "Benämning saknas."));
        }
        let section = match l.section.as_str() {
            "intakt" => BudgetSection::Intakt,
            "verksamhet" => BudgetSection::Verksamhet,
            "administration" => BudgetSection::Administration,
            _ => {
                e.push(FieldError::new(
                    at("section"),
                    "Välj intäkt, verksamhet eller administration.",
                ));
                BudgetSection::Verksamhet
            }
        };
        let member = Some(l.member.trim().to_owned()).filter(|m| !m.is_empty());
        if let Some(m) = &member {
            if !member_keys.contains(m) {
                e.push(FieldError::new(
                    at("member"),
                    "Välj en av förbundets medlemmar.",
                ));
            } else if section != BudgetSection::Intakt {
                e.push(FieldError::new(
                    at("member"),
                    "Bara intäkter har en betalande medlem.",
                ));
            }
        }
        let insats = Some(l.insats.trim().to_owned()).filter(|m| !m.is_empty());
        if let Some(k) = &insats
            && !insats_keys.contains(k)
        {
            e.push(FieldError::new(
                at("insats"),
                "Välj en av förbundets insatser.",
            ));
        }
        let key = match l.key.trim() {
            "" => {
                let base = finsam_core::slug::key(label);
                let base = if base.is_empty() {
                    "rad".to_owned()
                } else {
                    base
                };
                let mut key = base.clone();
                let mut n = 2;
                while lines.iter().any(|x| x.key == key) || input.lines.iter().any(|x| x.key == key)
                {
                    key = format!("{base}-{n}");
                    n += 1;
                }
                key
            }
            k => k.to_owned(),
        };
        if lines.iter().any(|x| x.key == key) {
            e.push(FieldError::new(at("label"), "Raden finns två gånger."));
        }
        lines.push(BudgetLine {
            key,
            label: label.to_owned(),
            section,
            member,
            insats,
            budget_prev_ore: amounts[0],
            prognos_prev_ore: amounts[1],
            budget_ore: amounts[2].unwrap_or(0),
            plan1_ore: amounts[3].unwrap_or(0),
            plan2_ore: amounts[4].unwrap_or(0),
        });
    }
    let decided_on = match input.decided_on.trim() {
        "" => None,
        d => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| {
                e.push(FieldError::new(
                    "decided_on",
                    "Ange datumet som ÅÅÅÅ-MM-DD.",
                ))
            })
            .ok(),
    };
    if e.is_empty() {
        Ok(Budget {
            balanserat_resultat_budget_prev_ore: brb,
            balanserat_resultat_prognos_prev_ore: brp,
            lines,
            decided_on,
        })
    } else {
        Err(e)
    }
}

pub async fn save_budget(
    ctx: &TenantCtx,
    year: i32,
    input: &BudgetInput,
    client: &ClientInfo,
) -> Result<Budget, AppError> {
    let member_keys: Vec<String> = members::list(&ctx.db, ctx.tenant_id())
        .await?
        .iter()
        .map(|m| members::details(m).key)
        .collect();
    let insats_keys: Vec<String> =
        insatser::list(&ctx.db, ctx.tenant_id(), insatser::Visibility::All)
            .await?
            .iter()
            .map(insatser::key_of)
            .collect();
    let budget = build(input, &member_keys, &insats_keys).map_err(AppError::Validation)?;
    crate::api::yeardata::audited(ctx, client, "budget", year, async |txn| {
        Ok(repo::set_budget(txn, ctx.tenant_id(), year, &budget).await?)
    })
    .await?;
    Ok(budget)
}

/// The budget of a year as stored (öre), as in the year file.
#[utoipa::path(get, path = "/api/v1/t/{slug}/years/{year}/budget", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("year" = i32, Path)), responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
pub async fn get(
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i32)>,
) -> Result<Json<Budget>, ApiError> {
    Ok(Json(
        repo::budget(&ctx.db, ctx.tenant_id(), crate::api::year_param(path.1)?)
            .await?
            .ok_or(AppError::NotFound)?,
    ))
}

/// Replaces the budget of a year (amounts in kronor as typed).
#[utoipa::path(put, path = "/api/v1/t/{slug}/years/{year}/budget", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("year" = i32, Path)), request_body = BudgetInput,
    responses((status = 200, body = Object), (status = 422, body = ErrorBody)))]
pub async fn put(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i32)>,
    crate::api::ApiJson(input): crate::api::ApiJson<BudgetInput>,
) -> Result<Json<Budget>, ApiError> {
    Ok(Json(
        save_budget(&ctx, crate::api::year_param(path.1)?, &input, &client).await?,
    ))
}
