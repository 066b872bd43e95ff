//! Import and export of the year file (`finsam_core::yearfile`).
//!
//! [`import`] writes a validated file into a tenant; the caller runs it inside one transaction, so a
//! file goes in whole or not at all. Records are matched by their keys (members also by
//! organisationsnummer, insatser also by name, so rows made by hand or under another key are adopted), so
//! importing the same file twice changes nothing. What a file holds replaces what is stored for it;
//! what a file leaves out is left alone, except that a year file is authoritative for its year's
//! settings. [`export`] reads the same shape back.

use crate::Result;
use crate::entities::{
    coach_report, insats, meeting, member, survey_definition, survey_result, year_data,
};
use chrono::{Datelike, NaiveDate, Utc};
use finsam_core::yearfile::{self, YearFile};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::Expr,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("year-file types always serialise")
}

fn from_json<T: DeserializeOwned>(s: &str, what: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| {
        crate::DbError::Db(sea_orm::DbErr::Custom(format!(
            "stored {what} is unreadable: {e}"
        )))
    })
}

/// What an import wrote, for the answer to the kansli.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub members: usize,
    pub people: usize,
    pub seats: usize,
    pub insatser: usize,
    pub coach_reports: usize,
    pub survey_results: usize,
    pub meetings: usize,
    pub accounts: bool,
    pub delar: bool,
    pub budget: bool,
    pub texts: usize,
}

const KIND_ACCOUNTS: &str = "accounts";
/// The accounts per 30 June (`YearFile::delar`).
const KIND_DELAR: &str = "delar";
const KIND_BUDGET: &str = "budget";
const KIND_SETTINGS: &str = "settings";
const KIND_TEXTS: &str = "texts";
const KIND_INRIKTNINGAR: &str = "inriktningar";

pub async fn import<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    file: &YearFile,
) -> Result<ImportSummary> {
    let mut summary = ImportSummary::default();

    for (pos, m) in file.members.iter().enumerate() {
        let existing = match super::members::by_key(db, tenant_id, &m.key).await? {
            Some(row) => Some(row),
            None => super::members::by_orgnr(db, tenant_id, &m.organisationsnummer).await?,
        };
        super::members::save(db, tenant_id, existing, m, Some(pos as i32)).await?;
        summary.members += 1;
    }

    for (pos, p) in file.people.iter().enumerate() {
        super::organisation::save_person(db, tenant_id, p, Some(pos as i32)).await?;
        summary.people += 1;
    }

    for (body, seats) in [
        ("styrelse", &file.organisation.styrelse),
        ("beredningsgrupp", &file.organisation.beredningsgrupp),
    ] {
        if !seats.is_empty() {
            summary.seats += super::organisation::replace_seats(db, tenant_id, body, seats).await?;
        }
    }
    if !file.organisation.kansli.is_empty() {
        super::organisation::replace_staff(db, tenant_id, &file.organisation.kansli).await?;
    }

    for (pos, ins) in file.insatser.iter().enumerate() {
        let existing = match super::insatser::by_key(db, tenant_id, &ins.key).await? {
            Some(r) => Some(r),
            None => super::insatser::by_name(db, tenant_id, &ins.name).await?,
        };
        super::insatser::save(db, tenant_id, existing, ins, Some(pos as i32)).await?;
        summary.insatser += 1;
    }

    for (pos, d) in file.survey_definitions.iter().enumerate() {
        super::surveys::save_definition(db, tenant_id, d, Some(pos as i32)).await?;
    }

    for (pos, r) in file.coach_reports.iter().enumerate() {
        let scope = r.kommun.clone().unwrap_or_default();
        let period = period_str(r.period);
        let existing = coach_report::Entity::find()
            .filter(coach_report::Column::TenantId.eq(tenant_id))
            .filter(coach_report::Column::InsatsKey.eq(&r.insats))
            .filter(coach_report::Column::Scope.eq(&scope))
            .filter(coach_report::Column::Year.eq(r.year))
            .filter(coach_report::Column::Period.eq(period))
            .one(db)
            .await?;
        let mut row = match existing {
            Some(x) => x.into(),
            None => coach_report::ActiveModel {
                tenant_id: Set(tenant_id),
                insats_key: Set(r.insats.clone()),
                scope: Set(scope),
                year: Set(r.year),
                period: Set(period.to_owned()),
                ..Default::default()
            },
        };
        row.status = Set(status_str(r.status).to_owned());
        row.position = Set(pos as i32);
        row.data = Set(to_json(r));
        row.save(db).await?;
        summary.coach_reports += 1;
    }

    for (pos, r) in file.survey_results.iter().enumerate() {
        super::surveys::save_result(db, tenant_id, r, Some(pos as i32)).await?;
        summary.survey_results += 1;
    }

    if let Some(a) = &file.accounts {
        put_year_data(db, tenant_id, file.year, KIND_ACCOUNTS, to_json(a)).await?;
        summary.accounts = true;
    }
    if let Some(d) = &file.delar {
        put_year_data(db, tenant_id, file.year, KIND_DELAR, to_json(d)).await?;
        summary.delar = true;
    }
    if let Some(b) = &file.budget {
        put_year_data(db, tenant_id, file.year, KIND_BUDGET, to_json(b)).await?;
        summary.budget = true;
    }
    put_year_data(
        db,
        tenant_id,
        file.year,
        KIND_SETTINGS,
        to_json(&file.settings),
    )
    .await?;
    if !file.inriktningar.is_empty() {
        put_year_data(
            db,
            tenant_id,
            file.year,
            KIND_INRIKTNINGAR,
            to_json(&file.inriktningar),
        )
        .await?;
    }
    if !file.texts.is_empty() {
        let mut texts = get_year_data::<std::collections::BTreeMap<String, String>>(
            db, tenant_id, file.year, KIND_TEXTS,
        )
        .await?
        .unwrap_or_default();
        for (k, v) in &file.texts {
            texts.insert(k.clone(), v.clone());
        }
        summary.texts = file.texts.len();
        put_year_data(db, tenant_id, file.year, KIND_TEXTS, to_json(&texts)).await?;
    }

    for (pos, m) in file.meetings.iter().enumerate() {
        super::meetings::save(db, tenant_id, m, Some(pos as i32)).await?;
        summary.meetings += 1;
    }
    Ok(summary)
}

pub fn period_str(p: yearfile::ReportPeriod) -> &'static str {
    match p {
        yearfile::ReportPeriod::Delar => "delar",
        yearfile::ReportPeriod::Helar => "helar",
    }
}

pub fn status_str(s: yearfile::ReportStatus) -> &'static str {
    match s {
        yearfile::ReportStatus::Draft => "draft",
        yearfile::ReportStatus::Submitted => "submitted",
        yearfile::ReportStatus::Returned => "returned",
        yearfile::ReportStatus::Approved => "approved",
    }
}

async fn put_year_data<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    year: i32,
    kind: &str,
    data: String,
) -> Result<()> {
    let updated = year_data::Entity::update_many()
        .col_expr(year_data::Column::Data, Expr::value(data.clone()))
        .filter(year_data::Column::TenantId.eq(tenant_id))
        .filter(year_data::Column::Year.eq(year))
        .filter(year_data::Column::Kind.eq(kind))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        year_data::ActiveModel {
            tenant_id: Set(tenant_id),
            year: Set(year),
            kind: Set(kind.to_owned()),
            position: Set(0),
            data: Set(data),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

async fn get_year_data<T: DeserializeOwned>(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    year: i32,
    kind: &str,
) -> Result<Option<T>> {
    let row = year_data::Entity::find()
        .filter(year_data::Column::TenantId.eq(tenant_id))
        .filter(year_data::Column::Year.eq(year))
        .filter(year_data::Column::Kind.eq(kind))
        .one(db)
        .await?;
    row.map(|r| from_json(&r.data, kind)).transpose()
}

/// The tenant's year as a year file.
pub async fn export<C: ConnectionTrait>(db: &C, tenant_id: i64, year: i32) -> Result<YearFile> {
    let members = member::Entity::find()
        .filter(member::Column::TenantId.eq(tenant_id))
        .order_by_asc(member::Column::Position)
        .order_by_asc(member::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| super::members::details(&m))
        .collect::<Vec<_>>();
    let people = super::organisation::people(db, tenant_id).await?;
    let mut organisation = yearfile::Organisation::default();
    organisation.styrelse = super::organisation::seats(db, tenant_id, "styrelse").await?;
    organisation.beredningsgrupp =
        super::organisation::seats(db, tenant_id, "beredningsgrupp").await?;
    organisation.kansli = super::organisation::staff(db, tenant_id).await?;
    let insatser = insats::Entity::find()
        .filter(insats::Column::TenantId.eq(tenant_id))
        .order_by_asc(insats::Column::Position)
        .order_by_asc(insats::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|i| match &i.data {
            Some(d) => from_json(d, "insats"),
            None => Ok(super::insatser::details(&i)),
        })
        .collect::<Result<Vec<_>>>()?;
    let coach_reports = coach_report::Entity::find()
        .filter(coach_report::Column::TenantId.eq(tenant_id))
        .filter(coach_report::Column::Year.eq(year))
        .order_by_asc(coach_report::Column::Position)
        .order_by_asc(coach_report::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|r| from_json(&r.data, "coach report"))
        .collect::<Result<Vec<_>>>()?;
    let survey_definitions = survey_definition::Entity::find()
        .filter(survey_definition::Column::TenantId.eq(tenant_id))
        .order_by_asc(survey_definition::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(|r| from_json(&r.data, "survey definition"))
        .collect::<Result<Vec<_>>>()?;
    let survey_results = survey_result::Entity::find()
        .filter(survey_result::Column::TenantId.eq(tenant_id))
        .filter(survey_result::Column::Year.eq(year))
        .order_by_asc(survey_result::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(|r| from_json(&r.data, "survey result"))
        .collect::<Result<Vec<_>>>()?;
    let start = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year");
    let end = NaiveDate::from_ymd_opt(year, 12, 31).expect("valid year");
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::TenantId.eq(tenant_id))
        .filter(meeting::Column::MeetingDate.between(start, end))
        .order_by_asc(meeting::Column::Position)
        .order_by_asc(meeting::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|r| from_json(&r.data, "meeting"))
        .collect::<Result<Vec<_>>>()?;
    Ok(YearFile {
        format: yearfile::FORMAT.to_owned(),
        year,
        members,
        people,
        organisation,
        insatser,
        coach_reports,
        survey_definitions,
        survey_results,
        accounts: get_year_data(db, tenant_id, year, KIND_ACCOUNTS).await?,
        delar: get_year_data(db, tenant_id, year, KIND_DELAR).await?,
        budget: get_year_data(db, tenant_id, year, KIND_BUDGET).await?,
        settings: get_year_data(db, tenant_id, year, KIND_SETTINGS)
            .await?
            .unwrap_or_default(),
        texts: get_year_data(db, tenant_id, year, KIND_TEXTS)
            .await?
            .unwrap_or_default(),
        meetings,
        inriktningar: get_year_data(db, tenant_id, year, KIND_INRIKTNINGAR)
            .await?
            .unwrap_or_default(),
    })
}

/// The years a tenant has data for, newest first (for pickers).
pub async fn years<C: ConnectionTrait>(db: &C, tenant_id: i64) -> Result<Vec<i32>> {
    let mut ys: Vec<i32> = year_data::Entity::find()
        .filter(year_data::Column::TenantId.eq(tenant_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.year)
        .collect();
    ys.sort_unstable_by(|a, b| b.cmp(a));
    ys.dedup();
    let _ = Utc::now().year();
    Ok(ys)
}

/// The year's årsredovisning texts by key.
pub async fn texts<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    year: i32,
) -> Result<std::collections::BTreeMap<String, String>> {
    Ok(get_year_data(db, tenant_id, year, KIND_TEXTS)
        .await?
        .unwrap_or_default())
}

/// Replaces the year's texts (an empty text is removed).
pub async fn set_texts<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    year: i32,
    texts: &std::collections::BTreeMap<String, String>,
) -> Result<()> {
    let kept: std::collections::BTreeMap<&String, &String> =
        texts.iter().filter(|(_, v)| !v.trim().is_empty()).collect();
    put_year_data(db, tenant_id, year, KIND_TEXTS, to_json(&kept)).await
}

/// The year's settings (the defaults when none are stored).
pub async fn settings<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    year: i32,
) -> Result<yearfile::Settings> {
    Ok(get_year_data(db, tenant_id, year, KIND_SETTINGS)
        .await?
        .unwrap_or_default())
}

pub async fn set_settings<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    year: i32,
    settings: &yearfile::Settings,
) -> Result<()> {
    put_year_data(db, tenant_id, year, KIND_SETTINGS, to_json(settings)).await
}

/// The year's budget, if any.
pub async fn budget<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    year: i32,
) -> Result<Option<yearfile::Budget>> {
    get_year_data(db, tenant_id, year, KIND_BUDGET).await
}

pub async fn set_budget<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    year: i32,
    budget: &yearfile::Budget,
) -> Result<()> {
    put_year_data(db, tenant_id, year, KIND_BUDGET, to_json(budget)).await
}

/// The year's accounts, if any.
pub async fn accounts<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    year: i32,
) -> Result<Option<yearfile::Accounts>> {
    get_year_data(db, tenant_id, year, KIND_ACCOUNTS).await
}

pub async fn set_accounts<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    year: i32,
    accounts: &yearfile::Accounts,
) -> Result<()> {
    put_year_data(db, tenant_id, year, KIND_ACCOUNTS, to_json(accounts)).await
}

/// The year's accounts per 30 June (the delår), if any.
pub async fn delar<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    year: i32,
) -> Result<Option<yearfile::Accounts>> {
    get_year_data(db, tenant_id, year, KIND_DELAR).await
}

pub async fn set_delar<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    year: i32,
    delar: &yearfile::Accounts,
) -> Result<()> {
    put_year_data(db, tenant_id, year, KIND_DELAR, to_json(delar)).await
}
