//! A förbund's year: the checks, key figures, socioekonomisk effekt, budget and board, for everyone who
//! reads everything; the kansli also reads a year file in here.

use crate::error::{AppError, PageError};
use crate::extract::{ClientInfo, Tenant, perm};
use crate::state::AppState;
use crate::views::{self, csrf_for_page};
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::{Datelike, NaiveDate};
use finsam_core::Permission;
use finsam_core::finance::budget::BudgetFigures;
use finsam_core::finance::key_figures::KeyFigures;
use finsam_core::money::{Ore, format_percent_tenths};
use finsam_core::yearfile::{Position, SeatKind};
use finsam_db::repo::yearfile;
use minijinja::{Value, context};

fn percent(p: f64) -> String {
    format_percent_tenths((p * 10.0).round() as i64)
}

fn kr(ore: i64) -> String {
    Ore(ore).format_kr()
}

/// `/t/{slug}/ar`: the newest year with data, or last year.
pub async fn index(ctx: Tenant<perm::ReadAll>) -> Result<Redirect, PageError> {
    let years = yearfile::years(&ctx.db, ctx.tenant_id()).await?;
    let year = years
        .first()
        .copied()
        .unwrap_or_else(|| chrono::Utc::now().year() - 1);
    Ok(Redirect::to(&format!("/t/{}/ar/{year}", ctx.tenant.slug)))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
    jar: CookieJar,
    Path(path): Path<(String, i32)>,
) -> Result<Response, PageError> {
    let year = path.1;
    if !(2000..=2100).contains(&year) {
        return Err(AppError::NotFound.into());
    }
    let file = yearfile::export(&ctx.db, ctx.tenant_id(), year).await?;
    let kf = KeyFigures::from_year_file(&file);
    let mut years = yearfile::years(&ctx.db, ctx.tenant_id()).await?;
    if !years.contains(&year) {
        years.push(year);
        years.sort_unstable_by(|a, b| b.cmp(a));
    }
    let figures: Vec<Value> = if file.accounts.is_some() {
        [
            ("Årets resultat", kr(kf.arets_resultat_ore)),
            ("Utgående eget kapital", kr(kf.utgaende_eget_kapital_ore)),
            ("Summa tillgångar", kr(kf.summa_tillgangar_ore)),
            ("Soliditet", percent(kf.soliditet_procent)),
            ("Årets kassaflöde", kr(kf.arets_kassaflode_ore)),
            ("Medlemsbidrag", kr(kf.medlemsbidrag_ore)),
            (
                "Eget kapital av medlemsbidragen",
                percent(kf.eget_kapital_andel_av_medlemsbidrag_procent),
            ),
            (
                "Rekommenderat tak för eget kapital",
                kr(kf.eget_kapital_tak_ore),
            ),
            (
                "Andel administration",
                percent(kf.administration_andel_procent),
            ),
        ]
        .into_iter()
        .map(|(label, value)| context! { label, value })
        .collect()
    } else {
        vec![]
    };
    let socio: Vec<Value> = kf
        .socioekonomisk_effekt
        .iter()
        .map(|s| {
            context! {
                insats => s.insats.clone(), antal => s.till_arbete_eller_studier,
                effekt => kr(s.effekt_ore), medel => kr(s.medel_ore), differens => kr(s.differens_ore),
            }
        })
        .collect();
    let budget: Vec<Value> = BudgetFigures::from_year_file(&file)
        .map(|b| {
            b.years
                .iter()
                .map(|y| {
                    context! {
                        year => y.year, r#in => kr(y.balanserat_resultat_in_ore), intakter => kr(y.summa_intakter_ore),
                        kostnader => kr(y.summa_kostnader_ore), prel => kr(y.prel_balanserat_resultat_ore),
                        admin => percent(y.administration_andel_procent),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid year");
    let name_of = |key: &str| {
        file.people
            .iter()
            .find(|p| p.key == key)
            .map_or(key.to_owned(), |p| p.name.clone())
    };
    let styrelse: Vec<Value> = file
        .members
        .iter()
        .filter_map(|m| {
            let seats: Vec<_> = file.organisation.styrelse.iter().filter(|s| s.member == m.key && s.holds_on(year_end)).collect();
            if seats.is_empty() {
                return None;
            }
            let names = |kind: SeatKind| {
                seats
                    .iter()
                    .filter(|s| s.seat == kind)
                    .map(|s| match s.position {
                        Some(Position::Ordforande) => format!("{} (ordförande)", name_of(&s.person)),
                        Some(Position::ViceOrdforande) => format!("{} (vice ordförande)", name_of(&s.person)),
                        _ => name_of(&s.person),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            Some(context! { member => m.name.clone(), ordinarie => names(SeatKind::Ordinarie), ersattare => names(SeatKind::Ersattare) })
        })
        .collect();
    let (jar, csrf) = csrf_for_page(&state, jar);
    let layout = views::layout(&state, &ctx.auth, Some(&ctx), &csrf).await?;
    let failing = kf.checks.iter().filter(|c| !c.ok).count();
    // The delår's own checks, when the year has one (they gate a final delårsrapport).
    let delar = if file.delar.is_some() {
        finsam_core::finance::checks::delar_checks(&file)
    } else {
        Vec::new()
    };
    let delar_failing = delar.iter().filter(|c| !c.ok).count();
    let delar_checks: Vec<Value> = delar
        .iter()
        .map(|c| context! { ok => c.ok, message => c.message.clone() })
        .collect();
    let checks: Vec<Value> = kf
        .checks
        .iter()
        .map(|c| context! { ok => c.ok, message => c.message.clone() })
        .collect();
    Ok((
        jar,
        views::render(
            "year.html",
            context! {
                title => format!("{} {year}", ctx.tenant.name),
                tenant => views::tenant_value(&ctx),
                year, years, checks, failing, figures, socio, budget, styrelse, delar_checks, delar_failing,
                can_manage => ctx.can(Permission::Manage),
                ..layout
            },
        )?,
    )
        .into_response())
}

/// Reads an uploaded year file: all or nothing, every problem listed.
pub async fn import(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let mut multipart =
        multipart.map_err(|_| AppError::field("file", "Välj en årsfil att läsa in."))?;
    let mut bytes = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::PayloadTooLarge)?
    {
        if field.name() == Some("file") {
            bytes = Some(field.bytes().await.map_err(|_| AppError::PayloadTooLarge)?);
        }
    }
    let bytes = bytes
        .filter(|b| !b.is_empty())
        .ok_or_else(|| AppError::field("file", "Välj en årsfil att läsa in."))?;
    match crate::api::yearfile::import_bytes(
        &state,
        ctx.tenant_id(),
        ctx.account_id(),
        &bytes,
        &client,
    )
    .await
    {
        Ok(done) => {
            Ok(Redirect::to(&format!("/t/{}/ar/{}", ctx.tenant.slug, done.year)).into_response())
        }
        Err(AppError::Validation(problems)) => {
            let (jar, csrf) = csrf_for_page(&state, jar);
            let layout = views::layout(&state, &ctx.auth, Some(&ctx), &csrf).await?;
            let page = views::render(
                "import_errors.html",
                context! {
                    title => "Årsfilen lästes inte in",
                    tenant => views::tenant_value(&ctx),
                    problems => problems.iter().map(|p| context! { path => p.path.clone(), message => p.message.clone() }).collect::<Vec<_>>(),
                    ..layout
                },
            )?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}
