//! Indikatorenkäter: the survey definitions (question set and answer scale, as data) and each insats's
//! answer counts per year. Definitions are addressed by id in the API and by key in the year file.

use crate::Result;
use crate::entities::{survey_definition, survey_result};
use finsam_core::yearfile::{SurveyDefinition, SurveyResult};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

/// A stored definition with its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSurvey {
    pub id: i64,
    pub definition: SurveyDefinition,
}

fn unreadable(what: &str, e: serde_json::Error) -> crate::DbError {
    crate::DbError::Db(sea_orm::DbErr::Custom(format!(
        "stored {what} is unreadable: {e}"
    )))
}

fn stored(row: survey_definition::Model) -> Result<StoredSurvey> {
    Ok(StoredSurvey {
        id: row.id,
        definition: serde_json::from_str(&row.data)
            .map_err(|e| unreadable("survey definition", e))?,
    })
}

pub async fn list<C: ConnectionTrait>(db: &C, tenant_id: i64) -> Result<Vec<StoredSurvey>> {
    survey_definition::Entity::find()
        .filter(survey_definition::Column::TenantId.eq(tenant_id))
        .order_by_asc(survey_definition::Column::Position)
        .order_by_asc(survey_definition::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    id: i64,
) -> Result<Option<StoredSurvey>> {
    survey_definition::Entity::find_by_id(id)
        .filter(survey_definition::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?
        .map(stored)
        .transpose()
}

pub async fn by_key<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    key: &str,
) -> Result<Option<StoredSurvey>> {
    survey_definition::Entity::find()
        .filter(survey_definition::Column::TenantId.eq(tenant_id))
        .filter(survey_definition::Column::Key.eq(key))
        .one(db)
        .await?
        .map(stored)
        .transpose()
}

/// Writes a definition under its key: replaces the stored one or adds it (last, unless `position`).
/// The caller has checked it (`finsam_core::yearfile::survey_definition_problems`).
pub async fn save_definition<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    d: &SurveyDefinition,
    position: Option<i32>,
) -> Result<i64> {
    let existing = survey_definition::Entity::find()
        .filter(survey_definition::Column::TenantId.eq(tenant_id))
        .filter(survey_definition::Column::Key.eq(&d.key))
        .one(db)
        .await?;
    let mut row = match existing {
        Some(r) => r.into(),
        None => {
            let last: Option<i32> = survey_definition::Entity::find()
                .filter(survey_definition::Column::TenantId.eq(tenant_id))
                .select_only()
                .column_as(survey_definition::Column::Position.max(), "m")
                .into_tuple::<Option<i32>>()
                .one(db)
                .await?
                .flatten();
            survey_definition::ActiveModel {
                tenant_id: Set(tenant_id),
                key: Set(d.key.clone()),
                position: Set(last.map_or(0, |p| p + 1)),
                ..Default::default()
            }
        }
    };
    if let Some(p) = position {
        row.position = Set(p);
    }
    row.data = Set(serde_json::to_string(d).expect("survey definitions always serialise"));
    let saved = row.save(db).await?;
    Ok(saved.id.unwrap())
}

/// Every result of one survey, in every insats and year (to guard changes to the survey).
pub async fn results_of_survey<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    survey_key: &str,
) -> Result<Vec<SurveyResult>> {
    results_where(
        db,
        survey_result::Entity::find()
            .filter(survey_result::Column::TenantId.eq(tenant_id))
            .filter(survey_result::Column::SurveyKey.eq(survey_key)),
    )
    .await
}

/// One insats's results for a year, one per survey.
pub async fn results<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    insats_key: &str,
    year: i32,
) -> Result<Vec<SurveyResult>> {
    results_where(
        db,
        survey_result::Entity::find()
            .filter(survey_result::Column::TenantId.eq(tenant_id))
            .filter(survey_result::Column::InsatsKey.eq(insats_key))
            .filter(survey_result::Column::Year.eq(year)),
    )
    .await
}

async fn results_where<C: ConnectionTrait>(
    db: &C,
    q: sea_orm::Select<survey_result::Entity>,
) -> Result<Vec<SurveyResult>> {
    q.order_by_asc(survey_result::Column::Position)
        .order_by_asc(survey_result::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| serde_json::from_str(&r.data).map_err(|e| unreadable("survey result", e)))
        .collect()
}

pub async fn count_results<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    survey_key: &str,
) -> Result<u64> {
    Ok(survey_result::Entity::find()
        .filter(survey_result::Column::TenantId.eq(tenant_id))
        .filter(survey_result::Column::SurveyKey.eq(survey_key))
        .count(db)
        .await?)
}

/// Writes one insats's counts for a year and survey, replacing what was there.
pub async fn save_result<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    r: &SurveyResult,
    position: Option<i32>,
) -> Result<()> {
    let existing = survey_result::Entity::find()
        .filter(survey_result::Column::TenantId.eq(tenant_id))
        .filter(survey_result::Column::InsatsKey.eq(&r.insats))
        .filter(survey_result::Column::Year.eq(r.year))
        .filter(survey_result::Column::SurveyKey.eq(&r.survey))
        .one(db)
        .await?;
    let mut row = match existing {
        Some(x) => x.into(),
        None => survey_result::ActiveModel {
            tenant_id: Set(tenant_id),
            insats_key: Set(r.insats.clone()),
            year: Set(r.year),
            survey_key: Set(r.survey.clone()),
            position: Set(0),
            ..Default::default()
        },
    };
    if let Some(p) = position {
        row.position = Set(p);
    }
    row.data = Set(serde_json::to_string(r).expect("survey results always serialise"));
    row.save(db).await?;
    Ok(())
}

/// Removes one insats's counts for a year and survey; true when there were any.
pub async fn delete_result<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    insats_key: &str,
    year: i32,
    survey_key: &str,
) -> Result<bool> {
    let res = survey_result::Entity::delete_many()
        .filter(survey_result::Column::TenantId.eq(tenant_id))
        .filter(survey_result::Column::InsatsKey.eq(insats_key))
        .filter(survey_result::Column::Year.eq(year))
        .filter(survey_result::Column::SurveyKey.eq(survey_key))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}
