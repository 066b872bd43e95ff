//! The kansli keeps the year's accounts: resultaträkning lines (classified), fordringar and kortfristiga
//! skulder itemised, kassa och bank, eget kapital, in kronor as typed. Whether the year holds together is
//! for the checks to say: figures that do not add up are data, never refused.
//!
//! The same form and API keep the delår ([`AccountsKind::Delar`], `YearFile::delar`): the accounts per
//! 30 June, whose lines also carry the full-year prognos.

use crate::error::{ApiError, AppError, ErrorBody, FieldError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use axum::Json;
use axum::extract::Path;
use finsam_core::money::{Ore, kronor_for_input, parse_kronor};
use finsam_core::yearfile::{Accounts, BalanceItem, CostClass, Investment, ResultLine, Section};
use finsam_db::repo::{insatser, members, yearfile as repo};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which accounts of the year: the year's (`accounts`) or the delår's per 30 June (`delar`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountsKind {
    Year,
    Delar,
}

impl AccountsKind {
    /// The year file's field, the audit's `what` and the last segment of the API route.
    pub fn key(self) -> &'static str {
        match self {
            AccountsKind::Year => "accounts",
            AccountsKind::Delar => "delar",
        }
    }

    /// The stored accounts of this kind.
    pub async fn stored<C: finsam_db::ConnectionTrait>(
        self,
        db: &C,
        tenant_id: i64,
        year: i32,
    ) -> Result<Option<Accounts>, finsam_db::DbError> {
        match self {
            AccountsKind::Year => repo::accounts(db, tenant_id, year).await,
            AccountsKind::Delar => repo::delar(db, tenant_id, year).await,
        }
    }

    async fn store<C: finsam_db::ConnectionTrait>(
        self,
        db: &C,
        tenant_id: i64,
        year: i32,
        accounts: &Accounts,
    ) -> Result<(), finsam_db::DbError> {
        match self {
            AccountsKind::Year => repo::set_accounts(db, tenant_id, year, accounts).await,
            AccountsKind::Delar => repo::set_delar(db, tenant_id, year, accounts).await,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LineInput {
    pub key: String,
    pub label: String,
    /// `intakt`, `kostnad`, `finansiell_intakt` or `finansiell_kostnad`.
    pub section: String,
    /// Costs: `individinriktad`, `strukturovergripande`, `administration`, `ny_verksamhet`.
    pub class: String,
    pub member: String,
    pub insats: String,
    pub offsets_administration: bool,
    /// Kronor as typed; empty for none. For the delår: `budget` and `prognos` are the full year's,
    /// `utfall` is 1 January – 30 June and `prior` the same period the year before.
    pub budget: String,
    pub utfall: String,
    pub prior: String,
    /// The full-year prognos: the delår only (refused for the year's accounts).
    pub prognos: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ItemInput {
    pub key: String,
    pub label: String,
    pub amount: String,
    pub prior: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AccountsInput {
    pub resultat: Vec<LineInput>,
    pub fordringar: Vec<ItemInput>,
    pub kortfristiga_skulder: Vec<ItemInput>,
    pub kassa_och_bank: String,
    pub kassa_och_bank_prior: String,
    pub eget_kapital_ingaende: String,
    pub eget_kapital_ingaende_prior: String,
    pub realisationsvinster: String,
    /// Employees, "1,0".
    pub anstallda: String,
    pub investeringar: Vec<ItemInput>,
}

fn new_key(label: &str, taken: &[String]) -> String {
    let base = finsam_core::slug::key(label);
    let base = if base.is_empty() {
        "rad".to_owned()
    } else {
        base
    };
    let mut key = base.clone();
    let mut n = 2;
    while taken.contains(&key) {
        key = format!("{base}-{n}");
        n += 1;
    }
    key
}

/// Builds the accounts of `kind`, keeping the stored history. Paths: `resultat[i].utfall`,
/// `fordringar[i].label` …
pub fn build(
    kind: AccountsKind,
    input: &AccountsInput,
    current: Option<&Accounts>,
    member_keys: &[String],
    insats_keys: &[String],
) -> Result<Accounts, Vec<FieldError>> {
    let mut e = Vec::new();
    let mut kr = |path: String, v: &str| -> Option<i64> {
        match v.trim() {
            "" => None,
            t => parse_kronor(t)
                .map(|o| o.0)
                .map_err(|m| e.push(FieldError::new(path, m)))
                .ok(),
        }
    };
    let amounts: Vec<[Option<i64>; 4]> = input
        .resultat
        .iter()
        .enumerate()
        .map(|(i, l)| {
            [
                kr(format!("resultat[{i}].budget"), &l.budget),
                kr(format!("resultat[{i}].utfall"), &l.utfall),
                kr(format!("resultat[{i}].prior"), &l.prior),
                kr(format!("resultat[{i}].prognos"), &l.prognos),
            ]
        })
        .collect();
    let mut items = |name: &str, list: &[ItemInput]| -> Vec<(Option<i64>, Option<i64>)> {
        list.iter()
            .enumerate()
            .map(|(i, it)| {
                (
                    kr(format!("{name}[{i}].amount"), &it.amount),
                    kr(format!("{name}[{i}].prior"), &it.prior),
                )
            })
            .collect()
    };
    let ford = items("fordringar", &input.fordringar);
    let skuld = items("kortfristiga_skulder", &input.kortfristiga_skulder);
    let inv = items("investeringar", &input.investeringar);
    let kassa = kr("kassa_och_bank".into(), &input.kassa_och_bank);
    let kassa_prior = kr("kassa_och_bank_prior".into(), &input.kassa_och_bank_prior);
    let ek = kr("eget_kapital_ingaende".into(), &input.eget_kapital_ingaende);
    let ek_prior = kr(
        "eget_kapital_ingaende_prior".into(),
        &input.eget_kapital_ingaende_prior,
    );
    let real = kr("realisationsvinster".into(), &input.realisationsvinster);
    let anstallda = match input.anstallda.trim() {
        "" => 0,
        t => finsam_core::money::parse_kronor(t)
            .ok()
            .filter(|o| o.0 >= 0)
            .map(|o| o.0 as u32)
            .unwrap_or_else(|| {
                e.push(FieldError::new(
                    "anstallda",
                    "Ange antalet anställda, till exempel 1,0 eller 2,5.",
                ));
                0
            }),
    };
    let mut taken: Vec<String> = Vec::new();
    let mut resultat = Vec::new();
    for (i, (l, a)) in input.resultat.iter().zip(amounts).enumerate() {
        let at = |f: &str| format!("resultat[{i}].{f}");
        let label = l.label.trim();
        if label.is_empty() {
            e.push(FieldError::new(at("label"), "Benämning saknas."));
        }
        let section = match l.section.as_str() {
            "intakt" => Section::Intakt,
            "kostnad" => Section::Kostnad,
            "finansiell_intakt" => Section::FinansiellIntakt,
            "finansiell_kostnad" => Section::FinansiellKostnad,
            _ => {
                e.push(FieldError::new(at("section"), "Välj var raden hör hemma."));
                Section::Kostnad
            }
        };
        let class = match (section, l.class.as_str()) {
            (Section::Kostnad, "individinriktad") => Some(CostClass::Individinriktad),
            (Section::Kostnad, "strukturovergripande") => Some(CostClass::Strukturovergripande),
            (Section::Kostnad, "administration") => Some(CostClass::Administration),
            (Section::Kostnad, "ny_verksamhet") => Some(CostClass::NyVerksamhet),
            (Section::Kostnad, _) => {
                e.push(FieldError::new(at("class"), "Klassa kostnaden: individinriktad, strukturövergripande, administration eller ny verksamhet."));
                None
            }
            (_, _) => None,
        };
        let member = Some(l.member.trim().to_owned()).filter(|m| !m.is_empty());
        if member.as_ref().is_some_and(|m| !member_keys.contains(m)) {
            e.push(FieldError::new(
                at("member"),
                "Välj en av förbundets medlemmar.",
            ));
        }
        let insats = Some(l.insats.trim().to_owned()).filter(|m| !m.is_empty());
        if insats.as_ref().is_some_and(|k| !insats_keys.contains(k)) {
            e.push(FieldError::new(
                at("insats"),
                "Välj en av förbundets insatser.",
            ));
        }
        if a[1].is_none() && l.utfall.trim().is_empty() {
            e.push(FieldError::new(at("utfall"), "Utfall saknas."));
        }
        if kind == AccountsKind::Year && !l.prognos.trim().is_empty() {
            e.push(FieldError::new(
                at("prognos"),
                "Prognos anges bara i delårets räkenskaper.",
            ));
        }
        let key = if l.key.trim().is_empty() {
            new_key(label, &taken)
        } else {
            l.key.trim().to_owned()
        };
        taken.push(key.clone());
        resultat.push(ResultLine {
            key,
            label: label.to_owned(),
            section,
            class,
            member,
            insats,
            offsets_administration: l.offsets_administration && section == Section::Intakt,
            budget_ore: a[0],
            utfall_ore: a[1].unwrap_or(0),
            prior_ore: a[2],
            prognos_ore: a[3].filter(|_| kind == AccountsKind::Delar),
        });
    }
    let balance = |name: &str,
                   list: &[ItemInput],
                   amounts: Vec<(Option<i64>, Option<i64>)>,
                   e: &mut Vec<FieldError>|
     -> Vec<BalanceItem> {
        let mut taken = Vec::new();
        list.iter()
            .zip(amounts)
            .enumerate()
            .map(|(i, (it, (amount, prior)))| {
                let label = it.label.trim();
                if label.is_empty() {
                    e.push(FieldError::new(
                        format!("{name}[{i}].label"),
                        "Benämning saknas.",
                    ));
                }
                let key = if it.key.trim().is_empty() {
                    new_key(label, &taken)
                } else {
                    it.key.trim().to_owned()
                };
                taken.push(key.clone());
                BalanceItem {
                    key,
                    label: label.to_owned(),
                    ore: amount.unwrap_or(0),
                    prior_ore: prior,
                }
            })
            .collect()
    };
    let fordringar = balance("fordringar", &input.fordringar, ford, &mut e);
    let kortfristiga_skulder = balance(
        "kortfristiga_skulder",
        &input.kortfristiga_skulder,
        skuld,
        &mut e,
    );
    let investeringar = input
        .investeringar
        .iter()
        .zip(inv)
        .map(|(it, (amount, _))| Investment {
            label: it.label.trim().to_owned(),
            ore: amount.unwrap_or(0),
        })
        .collect();
    if kassa.is_none() && input.kassa_och_bank.trim().is_empty() {
        e.push(FieldError::new("kassa_och_bank", "Kassa och bank saknas."));
    }
    if ek.is_none() && input.eget_kapital_ingaende.trim().is_empty() {
        e.push(FieldError::new(
            "eget_kapital_ingaende",
            "Ingående eget kapital saknas.",
        ));
    }
    if !e.is_empty() {
        return Err(e);
    }
    Ok(Accounts {
        resultat,
        fordringar,
        kassa_och_bank_ore: kassa.unwrap_or(0),
        kassa_och_bank_prior_ore: kassa_prior,
        kortfristiga_skulder,
        eget_kapital_ingaende_ore: ek.unwrap_or(0),
        eget_kapital_ingaende_prior_ore: ek_prior,
        realisationsvinster_ore: real.unwrap_or(0),
        investeringar,
        anstallda_hundredths: anstallda,
        history: current.map(|c| c.history.clone()).unwrap_or_default(),
    })
}

/// The stored accounts as the form and the API's input show them (kronor).
pub fn input_from(a: &Accounts) -> AccountsInput {
    let kr = |o: i64| kronor_for_input(Ore(o));
    let okr = |o: Option<i64>| o.map(kr).unwrap_or_default();
    let item = |i: &BalanceItem| ItemInput {
        key: i.key.clone(),
        label: i.label.clone(),
        amount: kr(i.ore),
        prior: okr(i.prior_ore),
    };
    AccountsInput {
        resultat: a
            .resultat
            .iter()
            .map(|l| LineInput {
                key: l.key.clone(),
                label: l.label.clone(),
                section: serde_json::to_value(l.section)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                class: l
                    .class
                    .and_then(|c| serde_json::to_value(c).ok())
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                member: l.member.clone().unwrap_or_default(),
                insats: l.insats.clone().unwrap_or_default(),
                offsets_administration: l.offsets_administration,
                budget: okr(l.budget_ore),
                utfall: kr(l.utfall_ore),
                prior: okr(l.prior_ore),
                prognos: okr(l.prognos_ore),
            })
            .collect(),
        fordringar: a.fordringar.iter().map(item).collect(),
        kortfristiga_skulder: a.kortfristiga_skulder.iter().map(item).collect(),
        kassa_och_bank: kr(a.kassa_och_bank_ore),
        kassa_och_bank_prior: okr(a.kassa_och_bank_prior_ore),
        eget_kapital_ingaende: kr(a.eget_kapital_ingaende_ore),
        eget_kapital_ingaende_prior: okr(a.eget_kapital_ingaende_prior_ore),
        realisationsvinster: kr(a.realisationsvinster_ore),
        anstallda: kronor_for_input(Ore(i64::from(a.anstallda_hundredths))),
        investeringar: a
            .investeringar
            .iter()
            .map(|i| ItemInput {
                key: String::new(),
                label: i.label.clone(),
                amount: kr(i.ore),
                prior: String::new(),
            })
            .collect(),
    }
}

/// Checks and stores the accounts of `kind` for `year`, with their audit row.
pub async fn save_accounts(
    ctx: &TenantCtx,
    kind: AccountsKind,
    year: i32,
    input: &AccountsInput,
    client: &ClientInfo,
) -> Result<Accounts, AppError> {
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
    let mut saved = None;
    crate::api::yeardata::audited(ctx, client, kind.key(), year, async |txn| {
        let current = kind.stored(txn, ctx.tenant_id(), year).await?;
        let accounts = build(kind, input, current.as_ref(), &member_keys, &insats_keys)
            .map_err(AppError::Validation)?;
        kind.store(txn, ctx.tenant_id(), year, &accounts).await?;
        saved = Some(accounts);
        Ok(())
    })
    .await?;
    let accounts = saved.expect("written inside the transaction");
    Ok(accounts)
}

async fn get_kind(
    ctx: &TenantCtx,
    kind: AccountsKind,
    year: i32,
) -> Result<Json<Accounts>, ApiError> {
    Ok(Json(
        kind.stored(&ctx.db, ctx.tenant_id(), crate::api::year_param(year)?)
            .await?
            .ok_or(AppError::NotFound)?,
    ))
}

async fn put_kind(
    ctx: &TenantCtx,
    kind: AccountsKind,
    year: i32,
    input: &AccountsInput,
    client: &ClientInfo,
) -> Result<Json<Accounts>, ApiError> {
    let year = crate::api::year_param(year)?;
    Ok(Json(save_accounts(ctx, kind, year, input, client).await?))
}

/// The accounts of a year as stored (öre), as in the year file.
#[utoipa::path(get, path = "/api/v1/t/{slug}/years/{year}/accounts", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("year" = i32, Path)), responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
pub async fn get(
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i32)>,
) -> Result<Json<Accounts>, ApiError> {
    get_kind(&ctx, AccountsKind::Year, path.1).await
}

/// Replaces the accounts of a year (amounts in kronor as typed; the five-year history stays). A
/// `prognos` on a line is refused: it belongs to the delår.
#[utoipa::path(put, path = "/api/v1/t/{slug}/years/{year}/accounts", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("year" = i32, Path)), request_body = AccountsInput,
    responses((status = 200, body = Object), (status = 422, body = ErrorBody)))]
pub async fn put(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i32)>,
    crate::api::ApiJson(input): crate::api::ApiJson<AccountsInput>,
) -> Result<Json<Accounts>, ApiError> {
    put_kind(&ctx, AccountsKind::Year, path.1, &input, &client).await
}

/// The delår of a year as stored (öre), as the year file's `delar`: the accounts per 30 June, with
/// each line's utfall 1 January – 30 June, the same period the year before, and the full-year budget
/// and prognos; balances at 30 June against 31 December the year before.
#[utoipa::path(get, path = "/api/v1/t/{slug}/years/{year}/delar", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("year" = i32, Path)), responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
pub async fn get_delar(
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i32)>,
) -> Result<Json<Accounts>, ApiError> {
    get_kind(&ctx, AccountsKind::Delar, path.1).await
}

/// Replaces the delår of a year: the same body as the accounts, with each line's full-year `prognos`.
#[utoipa::path(put, path = "/api/v1/t/{slug}/years/{year}/delar", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("year" = i32, Path)), request_body = AccountsInput,
    responses((status = 200, body = Object), (status = 422, body = ErrorBody)))]
pub async fn put_delar(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i32)>,
    crate::api::ApiJson(input): crate::api::ApiJson<AccountsInput>,
) -> Result<Json<Accounts>, ApiError> {
    put_kind(&ctx, AccountsKind::Delar, path.1, &input, &client).await
}
