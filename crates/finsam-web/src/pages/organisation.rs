//! Who sat where during a year, and who changed.

use crate::error::{AppError, PageError};
use crate::extract::{Tenant, perm};
use crate::state::AppState;
use crate::views::{self, csrf_for_page};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use chrono::{Datelike, NaiveDate};
use finsam_core::yearfile::{Position, Seat, SeatKind, YearFile};
use finsam_db::repo::yearfile;
use minijinja::{Value, context};

/// Seats that overlap `year`, as table rows: ordinarie before ersättare, in the file's member order.
fn rows(file: &YearFile, seats: &[Seat], year: i32) -> Vec<Value> {
    let start = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year");
    let end = NaiveDate::from_ymd_opt(year, 12, 31).expect("valid year");
    let mut out: Vec<(usize, SeatKind, Value)> = seats
        .iter()
        .filter(|s| s.from.is_none_or(|f| f <= end) && s.to.is_none_or(|t| t >= start))
        .map(|s| {
            let member_pos = file.members.iter().position(|m| m.key == s.member).unwrap_or(usize::MAX);
            let member = file.members.get(member_pos).map_or(s.member.clone(), |m| m.name.clone());
            let role = match (s.seat, s.position) {
                (SeatKind::Ordinarie, Some(Position::Ordforande)) => "Ordförande",
                (SeatKind::Ordinarie, Some(Position::ViceOrdforande)) => "Vice ordförande",
                (SeatKind::Ordinarie, _) => "Ordinarie",
                (SeatKind::Ersattare, _) => "Ersättare",
            };
            let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            (member_pos, s.seat, context! { member, role, name => person_name(file, &s.person), from => date(s.from), to => date(s.to) })
        })
        .collect();
    out.sort_by_key(|(pos, kind, _)| (*pos, *kind));
    out.into_iter().map(|(_, _, v)| v).collect()
}

fn person_name(file: &YearFile, key: &str) -> String {
    file.people
        .iter()
        .find(|p| p.key == key)
        .map_or(key.to_owned(), |p| p.name.clone())
}

/// Sentences for the seats that began or ended during the year.
fn changes(file: &YearFile, body: &str, seats: &[Seat], year: i32) -> Vec<String> {
    let mut out = Vec::new();
    for s in seats.iter().filter(|s| s.changed_during(year)) {
        let member = file
            .members
            .iter()
            .find(|m| m.key == s.member)
            .map_or(s.member.clone(), |m| m.name.clone());
        let seat = if s.seat == SeatKind::Ordinarie {
            "ordinarie"
        } else {
            "ersättare"
        };
        let name = person_name(file, &s.person);
        if let Some(f) = s.from.filter(|d| d.year() == year) {
            out.push(format!("{f}: {name} blev {seat} i {body} för {member}."));
        }
        if let Some(t) = s.to.filter(|d| d.year() == year) {
            out.push(format!(
                "{t}: {name} lämnade uppdraget som {seat} i {body} för {member}."
            ));
        }
    }
    out
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
    let org = &file.organisation;
    let mut all_changes = changes(&file, "styrelsen", &org.styrelse, year);
    all_changes.extend(changes(
        &file,
        "beredningsgruppen",
        &org.beredningsgrupp,
        year,
    ));
    all_changes.sort();
    let kansli: Vec<Value> = org
        .kansli
        .iter()
        .map(|k| context! { name => person_name(&file, &k.person), title => k.title.clone(), share => format!("{} %", k.share_percent) })
        .collect();
    let (jar, csrf) = csrf_for_page(&state, jar);
    let layout = views::layout(&state, &ctx.auth, Some(&ctx), &csrf).await?;
    Ok((
        jar,
        views::render(
            "organisation.html",
            context! {
                title => format!("Organisation {year}"), year,
                tenant => views::tenant_value(&ctx),
                styrelse => rows(&file, &org.styrelse, year),
                beredningsgrupp => rows(&file, &org.beredningsgrupp, year),
                kansli, changes => all_changes,
                can_manage => ctx.can(finsam_core::Permission::Manage),
                ..layout
            },
        )?,
    )
        .into_response())
}
