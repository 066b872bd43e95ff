//! The kansli's forms for a year's texts, settings, budget, accounts and delår.

use crate::api::accounts_edit::{AccountsInput, AccountsKind};
use crate::api::yeardata::{save_settings, save_texts};
use crate::error::{AppError, FieldError, PageError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use crate::state::AppState;
use crate::views::{self, FormErrors, csrf_for_page};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use finsam_core::money::{
    Ore, format_integer, kronor_for_input, parse_kronor, parse_percent_tenths,
};
use finsam_core::yearfile::{EkBracket, EkReading, Settings, TEXT_KEYS, text_label};
use finsam_db::repo::yearfile as repo;
use minijinja::value::Serde;
use minijinja::{Value, context};
use std::collections::{BTreeMap, HashMap};

async fn texts_page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    year: i32,
    values: &BTreeMap<String, String>,
    errors: Option<FormErrors>,
) -> Result<Html<String>, AppError> {
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    let texts: Vec<Value> = TEXT_KEYS
        .iter()
        .map(|k| context! { key => *k, label => text_label(k), value => values.get(*k).cloned().unwrap_or_default() })
        .collect();
    views::render(
        "texts.html",
        context! {
            title => format!("Texter {year}"), year, texts, errors => Value::from(Serde(&errors)),
            tenant => views::tenant_value(ctx),
            ..layout
        },
    )
}

pub async fn texts_form(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
    Path(path): Path<(String, i32)>,
) -> Result<Response, PageError> {
    let year = crate::api::year_param(path.1)?;
    let values = repo::texts(&ctx.db, ctx.tenant_id(), year).await?;
    let (jar, csrf) = csrf_for_page(&state, jar);
    Ok((
        jar,
        texts_page(&state, &ctx, &csrf, year, &values, None).await?,
    )
        .into_response())
}

pub async fn texts_save(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Path(path): Path<(String, i32)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let year = crate::api::year_param(path.1)?;
    let texts: BTreeMap<String, String> = TEXT_KEYS
        .iter()
        .map(|k| {
            (
                k.to_string(),
                form.get(&format!("texts-{k}"))
                    .map(|v| v.replace("\r\n", "\n"))
                    .unwrap_or_default(),
            )
        })
        .collect();
    match save_texts(&ctx, year, texts.clone(), &client).await {
        Ok(()) => Ok(Redirect::to(&format!("/t/{}/ar/{year}", ctx.tenant.slug)).into_response()),
        Err(AppError::Validation(fields)) => {
            let fields = fields
                .into_iter()
                .map(|f| FieldError::new(f.path.replace('.', "-"), f.message))
                .collect();
            let (jar, csrf) = csrf_for_page(&state, jar);
            let html = texts_page(
                &state,
                &ctx,
                &csrf,
                year,
                &texts,
                Some(FormErrors::from_fields(fields)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, html).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

/// The settings form's values as typed.
#[derive(serde::Serialize)]
struct SettingsForm {
    offentlig: String,
    administration: String,
    skatt: String,
    brackets: Vec<BracketForm>,
    reading: String,
    delarsrapport: bool,
}

#[derive(serde::Serialize)]
struct BracketForm {
    upto: String,
    percent: String,
}

const BRACKET_ROWS: usize = 4;

fn form_from(s: &Settings) -> SettingsForm {
    let mut brackets: Vec<BracketForm> = s
        .eget_kapital_brackets
        .iter()
        .map(|b| BracketForm {
            upto: b
                .up_to_ore
                .map(|o| kronor_for_input(Ore(o)))
                .unwrap_or_default(),
            percent: {
                let t = b.percent_tenths;
                if t % 10 == 0 {
                    format_integer(i64::from(t / 10))
                } else {
                    format!("{},{}", t / 10, t % 10)
                }
            },
        })
        .collect();
    while brackets.len() < BRACKET_ROWS {
        brackets.push(BracketForm {
            upto: String::new(),
            percent: String::new(),
        });
    }
    SettingsForm {
        offentlig: kronor_for_input(Ore(s.socioekonomi_offentlig_forsorjning_ore)),
        administration: kronor_for_input(Ore(s.socioekonomi_administration_ore)),
        skatt: kronor_for_input(Ore(s.socioekonomi_skatt_ore)),
        brackets,
        reading: match s.eget_kapital_reading {
            EkReading::Marginal => "marginal".into(),
            EkReading::Whole => "whole".into(),
        },
        delarsrapport: s.delarsrapport_required,
    }
}

async fn settings_page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    year: i32,
    form: &SettingsForm,
    errors: Option<FormErrors>,
) -> Result<Html<String>, AppError> {
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    views::render(
        "settings.html",
        context! {
            title => format!("Inställningar {year}"), year,
            form => Value::from(Serde(form)), errors => Value::from(Serde(&errors)),
            tenant => views::tenant_value(ctx),
            ..layout
        },
    )
}

pub async fn settings_form(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
    Path(path): Path<(String, i32)>,
) -> Result<Response, PageError> {
    let year = crate::api::year_param(path.1)?;
    let s = repo::settings(&ctx.db, ctx.tenant_id(), year).await?;
    let (jar, csrf) = csrf_for_page(&state, jar);
    Ok((
        jar,
        settings_page(&state, &ctx, &csrf, year, &form_from(&s), None).await?,
    )
        .into_response())
}

/// Reads the settings form; every field that does not parse is named.
fn read_settings(
    form: &HashMap<String, String>,
) -> (SettingsForm, Result<Settings, Vec<FieldError>>) {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let mut errors = Vec::new();
    let mut amount = |field: &str, label: &str| match parse_kronor(&get(field)) {
        Ok(o) => o.0,
        Err(m) => {
            errors.push(FieldError::new(field, format!("{label}: {m}")));
            0
        }
    };
    let offentlig = amount("offentlig", "Offentlig försörjning");
    let administration = amount("administration", "Administration");
    let skatt = amount("skatt", "Skatteintäkt");
    let mut brackets = Vec::new();
    let mut shown = Vec::new();
    for i in 0..BRACKET_ROWS {
        let (upto, percent) = (get(&format!("upto_{i}")), get(&format!("percent_{i}")));
        shown.push(BracketForm {
            upto: upto.clone(),
            percent: percent.clone(),
        });
        if upto.trim().is_empty() && percent.trim().is_empty() {
            continue;
        }
        let up_to_ore = match upto.trim() {
            "" => None,
            u => match parse_kronor(u) {
                Ok(o) => Some(o.0),
                Err(m) => {
                    errors.push(FieldError::new(format!("upto_{i}"), m));
                    None
                }
            },
        };
        match parse_percent_tenths(&percent) {
            Ok(t) => brackets.push(EkBracket {
                up_to_ore,
                percent_tenths: t as u32,
            }),
            Err(m) => errors.push(FieldError::new(format!("percent_{i}"), m)),
        }
    }
    let reading = if get("reading") == "whole" {
        EkReading::Whole
    } else {
        EkReading::Marginal
    };
    let shown_form = SettingsForm {
        offentlig: get("offentlig"),
        administration: get("administration"),
        skatt: get("skatt"),
        brackets: shown,
        reading: get("reading"),
        delarsrapport: form.contains_key("delarsrapport"),
    };
    if !errors.is_empty() {
        return (shown_form, Err(errors));
    }
    let settings = Settings {
        socioekonomi_offentlig_forsorjning_ore: offentlig,
        socioekonomi_administration_ore: administration,
        socioekonomi_skatt_ore: skatt,
        eget_kapital_brackets: brackets,
        eget_kapital_reading: reading,
        delarsrapport_required: shown_form.delarsrapport,
    };
    (shown_form, Ok(settings))
}

pub async fn settings_save(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Path(path): Path<(String, i32)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let year = crate::api::year_param(path.1)?;
    let (shown, parsed) = read_settings(&form);
    let result = match parsed {
        Ok(s) => save_settings(&ctx, year, s, &client).await,
        Err(fields) => Err(AppError::Validation(fields)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/t/{}/ar/{year}", ctx.tenant.slug)).into_response()),
        Err(AppError::Validation(fields)) => {
            let fields = fields
                .into_iter()
                .map(|f| {
                    let path = if f.path.starts_with("settings.eget_kapital") {
                        "brackets".to_owned()
                    } else {
                        f.path
                    };
                    FieldError::new(path, f.message)
                })
                .collect();
            let (jar, csrf) = csrf_for_page(&state, jar);
            let html = settings_page(
                &state,
                &ctx,
                &csrf,
                year,
                &shown,
                Some(FormErrors::from_fields(fields)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, html).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

const BLANK_BUDGET_LINES: usize = 3;

async fn budget_page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    year: i32,
    mut input: crate::api::budget_edit::BudgetInput,
    errors: Option<FormErrors>,
) -> Result<Html<String>, AppError> {
    input.lines.extend(
        (0..BLANK_BUDGET_LINES).map(|_| crate::api::budget_edit::LineInput {
            section: "verksamhet".into(),
            ..Default::default()
        }),
    );
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    let (members, insatser) = options(state, ctx.tenant_id()).await?;
    views::render(
        "budget_form.html",
        context! {
            title => format!("Budget {year}"), year, members, insatser,
            form => Value::from(Serde(&input)), errors => Value::from(Serde(&errors)),
            tenant => views::tenant_value(ctx),
            ..layout
        },
    )
}

/// The stored budget as the form shows it (kronor).
fn budget_input(b: &finsam_core::yearfile::Budget) -> crate::api::budget_edit::BudgetInput {
    use crate::api::budget_edit::{BudgetInput, LineInput};
    let kr = |o: i64| kronor_for_input(Ore(o));
    let okr = |o: Option<i64>| o.map(kr).unwrap_or_default();
    BudgetInput {
        balanserat_resultat_budget_prev: kr(b.balanserat_resultat_budget_prev_ore),
        balanserat_resultat_prognos_prev: kr(b.balanserat_resultat_prognos_prev_ore),
        decided_on: b.decided_on.map(|d| d.to_string()).unwrap_or_default(),
        lines: b
            .lines
            .iter()
            .map(|l| LineInput {
                key: l.key.clone(),
                label: l.label.clone(),
                section: match l.section {
                    finsam_core::yearfile::BudgetSection::Intakt => "intakt".into(),
                    finsam_core::yearfile::BudgetSection::Verksamhet => "verksamhet".into(),
                    finsam_core::yearfile::BudgetSection::Administration => "administration".into(),
                },
                member: l.member.clone().unwrap_or_default(),
                insats: l.insats.clone().unwrap_or_default(),
                budget_prev: okr(l.budget_prev_ore),
                prognos_prev: okr(l.prognos_prev_ore),
                budget: kr(l.budget_ore),
                plan1: kr(l.plan1_ore),
                plan2: kr(l.plan2_ore),
            })
            .collect(),
    }
}

pub async fn budget_form(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
    Path(path): Path<(String, i32)>,
) -> Result<Response, PageError> {
    let year = crate::api::year_param(path.1)?;
    let input = repo::budget(&ctx.db, ctx.tenant_id(), year)
        .await?
        .map(|b| budget_input(&b))
        .unwrap_or_else(|| crate::api::budget_edit::BudgetInput {
            balanserat_resultat_budget_prev: "0".into(),
            balanserat_resultat_prognos_prev: "0".into(),
            ..Default::default()
        });
    let (jar, csrf) = csrf_for_page(&state, jar);
    Ok((
        jar,
        budget_page(&state, &ctx, &csrf, year, input, None).await?,
    )
        .into_response())
}

pub async fn budget_save(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Path(path): Path<(String, i32)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    use crate::api::budget_edit::{BudgetInput, LineInput, save_budget};
    let year = crate::api::year_param(path.1)?;
    let get = |k: String| form.get(&k).cloned().unwrap_or_default();
    let count: usize = get("lines".into()).parse().unwrap_or(0).min(500);
    // A line without a label is empty: a blank row, or one the kansli cleared.
    let lines: Vec<LineInput> = (0..count)
        .filter(|i| !get(format!("label_{i}")).trim().is_empty())
        .map(|i| LineInput {
            key: get(format!("key_{i}")),
            label: get(format!("label_{i}")),
            section: get(format!("section_{i}")),
            member: get(format!("member_{i}")),
            insats: get(format!("insats_{i}")),
            budget_prev: get(format!("budget_prev_{i}")),
            prognos_prev: get(format!("prognos_prev_{i}")),
            budget: get(format!("budget_{i}")),
            plan1: get(format!("plan1_{i}")),
            plan2: get(format!("plan2_{i}")),
        })
        .collect();
    let input = BudgetInput {
        balanserat_resultat_budget_prev: get("balanserat_resultat_budget_prev".into()),
        balanserat_resultat_prognos_prev: get("balanserat_resultat_prognos_prev".into()),
        decided_on: get("decided_on".into()),
        lines,
    };
    match save_budget(&ctx, year, &input, &client).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/t/{}/ar/{year}#budget", ctx.tenant.slug)).into_response())
        }
        Err(AppError::Validation(fields)) => {
            // "lines[2].budget" is the form's "budget_2" among the lines shown first.
            let fields = fields
                .into_iter()
                .map(|f| {
                    let path = f
                        .path
                        .strip_prefix("lines[")
                        .and_then(|r| r.split_once("]."))
                        .map_or(f.path.clone(), |(i, field)| format!("{field}_{i}"));
                    FieldError::new(path, f.message)
                })
                .collect();
            let (jar, csrf) = csrf_for_page(&state, jar);
            let html = budget_page(
                &state,
                &ctx,
                &csrf,
                year,
                input,
                Some(FormErrors::from_fields(fields)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, html).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

const BLANK_ACCOUNT_LINES: usize = 2;

/// The form's words for the year's accounts or the delår: the page's title, the path under
/// `/t/{slug}/ar/{year}/`, the date of the balances and the labels of the amounts.
fn accounts_labels(kind: AccountsKind, year: i32) -> Value {
    let prev_end = format!("{}-12-31", year - 1);
    match kind {
        AccountsKind::Year => context! {
            title => format!("Räkenskaper {year}"),
            path => "rakenskaper",
            delar => false,
            hint => "",
            budget => format!("Budget {year}"),
            utfall => format!("Utfall {year}"),
            prior => format!("Utfall {}", year - 1),
            prognos => "",
            balance_at => format!("{year}-12-31"),
            balance_prior => prev_end,
            realisationsvinster => "Realisationsvinster",
            investeringar => "Investeringar",
            save => "Spara räkenskaperna",
        },
        AccountsKind::Delar => context! {
            title => format!("Delårets räkenskaper {year}"),
            path => "delar",
            delar => true,
            hint => format!("Delåret är 1 januari – 30 juni {year}: utfallet för perioden och samma period i fjol, budget och prognos för helåret, och balansen per 30 juni mot föregående årsskifte. Det blir delårsrapportens siffror."),
            budget => format!("Budget {year}"),
            utfall => format!("Utfall jan–jun {year}"),
            prior => "Samma period i fjol",
            prognos => format!("Prognos helår {year}"),
            balance_at => format!("{year}-06-30"),
            balance_prior => prev_end,
            realisationsvinster => "Realisationsvinster under perioden",
            investeringar => "Investeringar under perioden",
            save => "Spara delårets räkenskaper",
        },
    }
}

async fn accounts_page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    kind: AccountsKind,
    year: i32,
    mut input: AccountsInput,
    errors: Option<FormErrors>,
) -> Result<Html<String>, AppError> {
    use crate::api::accounts_edit::{ItemInput, LineInput};
    input
        .resultat
        .extend((0..BLANK_ACCOUNT_LINES).map(|_| LineInput {
            section: "kostnad".into(),
            ..Default::default()
        }));
    for list in [
        &mut input.fordringar,
        &mut input.kortfristiga_skulder,
        &mut input.investeringar,
    ] {
        list.push(ItemInput::default());
    }
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    let (members, insatser) = options(state, ctx.tenant_id()).await?;
    let labels = accounts_labels(kind, year);
    views::render(
        "accounts_form.html",
        context! {
            title => labels.get_attr("title").unwrap_or_default(), year, members, insatser, labels,
            form => Value::from(Serde(&input)), errors => Value::from(Serde(&errors)),
            tenant => views::tenant_value(ctx),
            ..layout
        },
    )
}

async fn accounts_form_of(
    state: &AppState,
    ctx: &TenantCtx,
    kind: AccountsKind,
    jar: CookieJar,
    year: i32,
) -> Result<Response, PageError> {
    let year = crate::api::year_param(year)?;
    let input = kind
        .stored(&ctx.db, ctx.tenant_id(), year)
        .await?
        .map(|a| crate::api::accounts_edit::input_from(&a))
        .unwrap_or_default();
    let (jar, csrf) = csrf_for_page(state, jar);
    Ok((
        jar,
        accounts_page(state, ctx, &csrf, kind, year, input, None).await?,
    )
        .into_response())
}

async fn accounts_save_of(
    state: &AppState,
    ctx: &TenantCtx,
    kind: AccountsKind,
    client: &ClientInfo,
    jar: CookieJar,
    year: i32,
    form: &HashMap<String, String>,
) -> Result<Response, PageError> {
    use crate::api::accounts_edit::{ItemInput, LineInput, save_accounts};
    let year = crate::api::year_param(year)?;
    let get = |k: String| form.get(&k).cloned().unwrap_or_default();
    let count = |k: &str| -> usize { get(k.into()).parse().unwrap_or(0).min(1000) };
    // Rows without a label are empty: blank ones, or ones the kansli cleared.
    let resultat: Vec<LineInput> = (0..count("resultat"))
        .filter(|i| !get(format!("label_{i}")).trim().is_empty())
        .map(|i| LineInput {
            key: get(format!("key_{i}")),
            label: get(format!("label_{i}")),
            section: get(format!("section_{i}")),
            class: get(format!("class_{i}")),
            member: get(format!("member_{i}")),
            insats: get(format!("insats_{i}")),
            offsets_administration: form.contains_key(&format!("offsets_{i}")),
            budget: get(format!("budget_{i}")),
            utfall: get(format!("utfall_{i}")),
            prior: get(format!("prior_{i}")),
            prognos: get(format!("prognos_{i}")),
        })
        .collect();
    let items = |name: &str| -> Vec<ItemInput> {
        (0..count(name))
            .filter(|i| !get(format!("{name}_label_{i}")).trim().is_empty())
            .map(|i| ItemInput {
                key: get(format!("{name}_key_{i}")),
                label: get(format!("{name}_label_{i}")),
                amount: get(format!("{name}_amount_{i}")),
                prior: get(format!("{name}_prior_{i}")),
            })
            .collect()
    };
    let input = AccountsInput {
        resultat,
        fordringar: items("fordringar"),
        kortfristiga_skulder: items("kortfristiga_skulder"),
        kassa_och_bank: get("kassa_och_bank".into()),
        kassa_och_bank_prior: get("kassa_och_bank_prior".into()),
        eget_kapital_ingaende: get("eget_kapital_ingaende".into()),
        eget_kapital_ingaende_prior: get("eget_kapital_ingaende_prior".into()),
        realisationsvinster: get("realisationsvinster".into()),
        anstallda: get("anstallda".into()),
        investeringar: items("investeringar"),
    };
    match save_accounts(ctx, kind, year, &input, client).await {
        Ok(_) => {
            let to = match kind {
                AccountsKind::Year => format!("/t/{}/ar/{year}#kontroller", ctx.tenant.slug),
                AccountsKind::Delar => format!("/t/{}/ar/{year}", ctx.tenant.slug),
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(AppError::Validation(fields)) => {
            // "resultat[2].utfall" is the form's "utfall_2"; "fordringar[1].amount" is "fordringar_amount_1".
            let fields = fields
                .into_iter()
                .map(|f| {
                    let path = match f.path.split_once('[').and_then(|(list, rest)| {
                        rest.split_once("].").map(|(i, field)| (list, i, field))
                    }) {
                        Some(("resultat", i, field)) => format!("{field}_{i}"),
                        Some((list, i, field)) => format!("{list}_{field}_{i}"),
                        None => f.path.clone(),
                    };
                    FieldError::new(path, f.message)
                })
                .collect();
            let (jar, csrf) = csrf_for_page(state, jar);
            let html = accounts_page(
                state,
                ctx,
                &csrf,
                kind,
                year,
                input,
                Some(FormErrors::from_fields(fields)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, html).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

/// The year's accounts (`/t/{slug}/ar/{year}/rakenskaper`).
pub async fn accounts_form(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
    Path(path): Path<(String, i32)>,
) -> Result<Response, PageError> {
    accounts_form_of(&state, &ctx, AccountsKind::Year, jar, path.1).await
}

pub async fn accounts_save(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Path(path): Path<(String, i32)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    accounts_save_of(
        &state,
        &ctx,
        AccountsKind::Year,
        &client,
        jar,
        path.1,
        &form,
    )
    .await
}

/// The delår's accounts per 30 June (`/t/{slug}/ar/{year}/delar`), the delårsrapport's figures.
pub async fn delar_form(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
    Path(path): Path<(String, i32)>,
) -> Result<Response, PageError> {
    accounts_form_of(&state, &ctx, AccountsKind::Delar, jar, path.1).await
}

pub async fn delar_save(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Path(path): Path<(String, i32)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    accounts_save_of(
        &state,
        &ctx,
        AccountsKind::Delar,
        &client,
        jar,
        path.1,
        &form,
    )
    .await
}

/// The förbund's members and insatser as (key, name) options for the line forms.
async fn options(state: &AppState, tenant_id: i64) -> Result<(Vec<Value>, Vec<Value>), AppError> {
    use finsam_db::repo::{insatser, members};
    let members = members::list(&state.db.tenant(tenant_id), tenant_id)
        .await?
        .iter()
        .map(|m| context! { key => members::details(m).key, name => m.name.clone() })
        .collect();
    let insatser = insatser::list(
        &state.db.tenant(tenant_id),
        tenant_id,
        insatser::Visibility::All,
    )
    .await?
    .iter()
    .map(|i| context! { key => insatser::key_of(i), name => i.name.clone() })
    .collect();
    Ok((members, insatser))
}
