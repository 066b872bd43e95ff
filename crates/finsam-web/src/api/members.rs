use crate::error::{ApiError, AppError, ErrorBody, FieldError};
use crate::extract::ClientInfo;
use crate::extract::{Tenant, perm};
use axum::Json;
use axum::extract::Path;
use finsam_db::repo::audit;
use finsam_db::repo::members;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct MemberOut {
    pub id: i64,
    pub name: String,
    /// `kommun`, `region`, `forsakringskassan` or `arbetsformedlingen`.
    pub kind: String,
    /// NNNNNN-NNNN.
    pub organisationsnummer: String,
    /// Where documents are sent.
    pub registrator_emails: Vec<String>,
}

impl From<members::Member> for MemberOut {
    fn from(m: members::Member) -> Self {
        let registrator_emails = m
            .data
            .as_deref()
            .and_then(|d| serde_json::from_str::<finsam_core::yearfile::Member>(d).ok())
            .map(|d| d.registrator_emails.into_iter().map(String::from).collect())
            .unwrap_or_default();
        Self {
            id: m.id,
            name: m.name,
            kind: m.kind,
            organisationsnummer: m.orgnr,
            registrator_emails,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MembersResponse {
    pub members: Vec<MemberOut>,
}

/// The förbund's member organisations.
#[utoipa::path(get, path = "/api/v1/t/{slug}/members", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The förbund")),
    responses((status = 200, body = MembersResponse), (status = 404, body = ErrorBody)))]
pub async fn list(ctx: Tenant<perm::ViewTenant>) -> Result<Json<MembersResponse>, ApiError> {
    let rows = members::list(&ctx.db, ctx.tenant_id()).await?;
    Ok(Json(MembersResponse {
        members: rows.into_iter().map(MemberOut::from).collect(),
    }))
}

/// One member organisation.
#[utoipa::path(get, path = "/api/v1/t/{slug}/members/{member_id}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("member_id" = i64, Path)),
    responses((status = 200, body = MemberOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    ctx: Tenant<perm::ViewTenant>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<MemberOut>, ApiError> {
    let m = members::get(&ctx.db, ctx.tenant_id(), path.1)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(m.into()))
}

/// A member as the kansli enters it. Strings are checked here so every problem names its field.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct MemberInput {
    pub name: String,
    /// `kommun`, `region`, `forsakringskassan` or `arbetsformedlingen`.
    pub kind: String,
    pub organisationsnummer: String,
    /// Population per year, kommuner only.
    pub population: BTreeMap<i32, u32>,
    pub registrator_emails: Vec<String>,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
}

/// Checks the input and builds the member, or answers every problem.
pub fn validate(
    input: &MemberInput,
    key: String,
) -> Result<finsam_core::yearfile::Member, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = input.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "Namn saknas."));
    } else if name.chars().count() > 200 {
        errors.push(FieldError::new("name", "Namnet får ha högst 200 tecken."));
    }
    let kind = finsam_core::MemberKind::parse(&input.kind);
    if kind.is_none() {
        errors.push(FieldError::new(
            "kind",
            "Välj kommun, region, Försäkringskassan eller Arbetsförmedlingen.",
        ));
    }
    let orgnr = finsam_core::OrgNr::parse(&input.organisationsnummer)
        .map_err(|e| errors.push(FieldError::new("organisationsnummer", e.0)))
        .ok();
    let mut registrator_emails = Vec::new();
    for (i, e) in input
        .registrator_emails
        .iter()
        .filter(|e| !e.trim().is_empty())
        .enumerate()
    {
        match finsam_core::EmailAddress::parse(e) {
            Ok(a) => registrator_emails.push(a),
            Err(err) => errors.push(FieldError::new(
                format!("registrator_emails[{i}]"),
                format!("{e}: {}", err.0),
            )),
        }
    }
    if kind.is_some_and(|k| k != finsam_core::MemberKind::Kommun)
        && input.population.values().any(|n| *n > 0)
    {
        errors.push(FieldError::new(
            "population",
            "Folkmängd anges bara för kommuner.",
        ));
    }
    for year in input.population.keys() {
        if !(2000..=2100).contains(year) {
            errors.push(FieldError::new(
                format!("population.{year}"),
                "Året ska vara mellan 2000 och 2100.",
            ));
        }
    }
    let contact_email = match input.contact_email.trim() {
        "" => None,
        e => finsam_core::EmailAddress::parse(e)
            .map_err(|err| errors.push(FieldError::new("contact_email", err.0)))
            .ok(),
    };
    let contact = (!input.contact_name.trim().is_empty()).then(|| finsam_core::yearfile::Contact {
        name: input.contact_name.trim().to_owned(),
        email: contact_email.clone(),
        phone: Some(input.contact_phone.trim().to_owned()).filter(|p| !p.is_empty()),
    });
    if contact.is_none() && (contact_email.is_some() || !input.contact_phone.trim().is_empty()) {
        errors.push(FieldError::new(
            "contact_name",
            "Ange kontaktpersonens namn.",
        ));
    }
    match (kind, orgnr, errors.is_empty()) {
        (Some(kind), Some(organisationsnummer), true) => Ok(finsam_core::yearfile::Member {
            key,
            name: name.to_owned(),
            kind,
            organisationsnummer,
            population: input
                .population
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(y, n)| (*y, *n))
                .collect(),
            registrator_emails,
            contact,
        }),
        _ => Err(errors),
    }
}

/// Creates (`existing` = None) or updates a member of the förbund, in one transaction with its audit row.
pub async fn save_member(
    ctx: &crate::extract::TenantCtx,
    existing: Option<i64>,
    input: &MemberInput,
    client: &ClientInfo,
) -> Result<members::Member, AppError> {
    let txn = ctx.db.begin().await?;
    let current = match existing {
        Some(id) => Some(
            members::get(&txn, ctx.tenant_id(), id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let key = match &current {
        Some(m) => members::details(m).key,
        None => {
            let base = finsam_core::slug::key(&input.name);
            let base = if base.is_empty() {
                "medlem".to_owned()
            } else {
                base
            };
            let mut key = base.clone();
            let mut n = 2;
            while members::by_key(&txn, ctx.tenant_id(), &key)
                .await?
                .is_some()
            {
                key = format!("{base}-{n}");
                n += 1;
            }
            key
        }
    };
    let member = validate(input, key).map_err(AppError::Validation)?;
    if let Some(other) =
        members::by_orgnr(&txn, ctx.tenant_id(), &member.organisationsnummer).await?
        && Some(other.id) != existing
    {
        return Err(AppError::field(
            "organisationsnummer",
            "En annan medlem har redan det organisationsnumret.",
        ));
    }
    let saved = members::save(&txn, ctx.tenant_id(), current, &member, None).await?;
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: Some(ctx.tenant_id()),
            actor_account_id: Some(ctx.account_id()),
            action: audit::action::MEMBER_SAVED,
            detail: serde_json::json!({ "member_id": saved.id, "name": saved.name }),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    Ok(saved)
}

/// Adds a member organisation.
#[utoipa::path(post, path = "/api/v1/t/{slug}/members", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = MemberInput,
    responses((status = 201, body = MemberOut), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    crate::api::ApiJson(input): crate::api::ApiJson<MemberInput>,
) -> Result<(axum::http::StatusCode, Json<MemberOut>), ApiError> {
    let m = save_member(&ctx, None, &input, &client).await?;
    Ok((axum::http::StatusCode::CREATED, Json(m.into())))
}

/// Changes a member organisation.
#[utoipa::path(put, path = "/api/v1/t/{slug}/members/{member_id}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("member_id" = i64, Path)), request_body = MemberInput,
    responses((status = 200, body = MemberOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i64)>,
    body: axum::body::Bytes,
) -> Result<Json<MemberOut>, ApiError> {
    members::get(&ctx.db, ctx.tenant_id(), path.1)
        .await?
        .ok_or(AppError::NotFound)?;
    let input: MemberInput = crate::api::parse_json(&body)?;
    Ok(Json(
        save_member(&ctx, Some(path.1), &input, &client)
            .await?
            .into(),
    ))
}
