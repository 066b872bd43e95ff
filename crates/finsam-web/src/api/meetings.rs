//! Medlemssamråd and styrelsemöten: the header (datum, kallade, deltagare, plats, bilagor), numbered
//! items with text and beslut, and who chairs, keeps the minutes and checks them. Roles are written as
//! names; the people are found or added by name.

use crate::error::{ApiError, AppError, ErrorBody, FieldError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use finsam_core::yearfile::{self, Meeting, MeetingItem, MeetingKind};
use finsam_db::repo::{audit, meetings, organisation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ItemInput {
    pub number: String,
    pub title: String,
    pub text: String,
    pub beslut: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MeetingInput {
    /// `medlemssamrad` or `styrelsemote`.
    pub kind: String,
    pub title: String,
    /// YYYY-MM-DD.
    pub date: String,
    pub place: String,
    pub kallade: String,
    pub deltagare: Vec<String>,
    pub bilagor: Vec<String>,
    pub items: Vec<ItemInput>,
    /// Names.
    pub motesordforande: String,
    pub sekreterare: String,
    pub justerare: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MeetingOut {
    pub id: i64,
    #[schema(value_type = Object)]
    pub meeting: Meeting,
    /// The people the roles name, by key.
    #[schema(value_type = Object)]
    pub people: Vec<yearfile::Person>,
}

/// Checks the input and writes the meeting (new when `existing` is None) in one transaction.
pub async fn save_meeting(
    ctx: &TenantCtx,
    existing: Option<i64>,
    input: &MeetingInput,
    client: &ClientInfo,
) -> Result<i64, AppError> {
    let mut e = Vec::new();
    let kind = match input.kind.as_str() {
        "medlemssamrad" => MeetingKind::Medlemssamrad,
        "styrelsemote" => MeetingKind::Styrelsemote,
        _ => {
            e.push(FieldError::new(
                "kind",
                "Välj medlemssamråd eller styrelsemöte.",
            ));
            MeetingKind::Styrelsemote
        }
    };
    let title = input.title.trim();
    if title.is_empty() {
        e.push(FieldError::new("title", "Rubrik saknas."));
    }
    let date = NaiveDate::parse_from_str(input.date.trim(), "%Y-%m-%d")
        .map_err(|_| e.push(FieldError::new("date", "Ange datumet som ÅÅÅÅ-MM-DD.")))
        .ok();
    if input.place.trim().is_empty() {
        e.push(FieldError::new("place", "Plats saknas."));
    }
    let mut items = Vec::new();
    for (i, it) in input.items.iter().enumerate() {
        if it.number.trim().is_empty()
            && it.title.trim().is_empty()
            && it.text.trim().is_empty()
            && it.beslut.trim().is_empty()
        {
            continue;
        }
        if it.number.trim().is_empty() {
            e.push(FieldError::new(
                format!("items[{i}].number"),
                "Ange punktens nummer, till exempel 3 eller 7a.",
            ));
        } else if items
            .iter()
            .any(|x: &MeetingItem| x.number == it.number.trim())
        {
            e.push(FieldError::new(
                format!("items[{i}].number"),
                "Numret finns redan.",
            ));
        }
        if it.title.trim().is_empty() {
            e.push(FieldError::new(
                format!("items[{i}].title"),
                "Rubrik saknas.",
            ));
        }
        for (field, text) in [("text", &it.text), ("beslut", &it.beslut)] {
            if yearfile::contains_personnummer(text) {
                e.push(FieldError::new(
                    format!("items[{i}].{field}"),
                    "Texten ser ut att innehålla ett personnummer. Ta bort numret.",
                ));
            }
        }
        items.push(MeetingItem {
            number: it.number.trim().to_owned(),
            title: it.title.trim().to_owned(),
            text: it.text.trim().to_owned(),
            beslut: Some(it.beslut.trim().to_owned()).filter(|b| !b.is_empty()),
        });
    }
    if items.is_empty() {
        e.push(FieldError::new("items", "Mötet behöver minst en punkt."));
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let txn = ctx.db.begin().await?;
    let current = match existing {
        Some(id) => Some(
            meetings::get(&txn, ctx.tenant_id(), id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let key = match &current {
        Some(c) => c.meeting.key.clone(),
        None => {
            let kind_word = if kind == MeetingKind::Medlemssamrad {
                "medlemssamrad"
            } else {
                "styrelsemote"
            };
            let base = format!("{kind_word}-{}", date.expect("checked above"));
            let mut key = base.clone();
            let mut n = 2;
            while meetings::by_key(&txn, ctx.tenant_id(), &key)
                .await?
                .is_some()
            {
                key = format!("{base}-{n}");
                n += 1;
            }
            key
        }
    };
    let mut people = organisation::people(&txn, ctx.tenant_id()).await?;
    let mut changed = Vec::new();
    let mut role = |name: &str| -> Option<String> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let (key, is_changed) = yearfile::person_for_name(&mut people, name, None);
        if is_changed {
            changed.push(key.clone());
        }
        Some(key)
    };
    let motesordforande = role(&input.motesordforande);
    let sekreterare = role(&input.sekreterare);
    let justerare: Vec<String> = input.justerare.iter().filter_map(|n| role(n)).collect();
    for key in &changed {
        if let Some(p) = people.iter().find(|p| &p.key == key) {
            organisation::save_person(&txn, ctx.tenant_id(), p, None).await?;
        }
    }
    let lines = |v: &[String]| {
        v.iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
    };
    let meeting = Meeting {
        key,
        kind,
        title: title.to_owned(),
        date: date.expect("checked above"),
        place: input.place.trim().to_owned(),
        kallade: input.kallade.trim().to_owned(),
        deltagare: lines(&input.deltagare),
        bilagor: lines(&input.bilagor),
        items,
        motesordforande,
        sekreterare,
        justerare,
    };
    let id = meetings::save(&txn, ctx.tenant_id(), &meeting, None).await?;
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: Some(ctx.tenant_id()),
            actor_account_id: Some(ctx.account_id()),
            action: audit::action::MEETING_SAVED,
            detail: serde_json::json!({ "meeting_id": id, "date": meeting.date.to_string() }),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    Ok(id)
}

async fn out(state: &AppState, tenant_id: i64, id: i64) -> Result<MeetingOut, AppError> {
    let m = meetings::get(&state.db.tenant(tenant_id), tenant_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let all = organisation::people(&state.db.tenant(tenant_id), tenant_id).await?;
    let named: Vec<&String> = m
        .meeting
        .motesordforande
        .iter()
        .chain(m.meeting.sekreterare.iter())
        .chain(m.meeting.justerare.iter())
        .collect();
    let people = all
        .into_iter()
        .filter(|p| named.contains(&&p.key))
        .collect();
    Ok(MeetingOut {
        id,
        meeting: m.meeting,
        people,
    })
}

/// The förbund's meetings, newest first.
#[utoipa::path(get, path = "/api/v1/t/{slug}/meetings", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = Object)))]
pub async fn list(ctx: Tenant<perm::ReadAll>) -> Result<Json<serde_json::Value>, ApiError> {
    let all = meetings::list(&ctx.db, ctx.tenant_id()).await?;
    Ok(Json(
        serde_json::json!({ "meetings": all.iter().map(|m| serde_json::json!({
        "id": m.id, "date": m.meeting.date.to_string(), "kind": m.meeting.kind, "title": m.meeting.title, "place": m.meeting.place,
    })).collect::<Vec<_>>() }),
    ))
}

/// One meeting, with the people its roles name.
#[utoipa::path(get, path = "/api/v1/t/{slug}/meetings/{meeting_id}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("meeting_id" = i64, Path)), responses((status = 200, body = MeetingOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i64)>,
) -> Result<Json<MeetingOut>, ApiError> {
    Ok(Json(out(&state, ctx.tenant_id(), path.1).await?))
}

/// Adds a meeting.
#[utoipa::path(post, path = "/api/v1/t/{slug}/meetings", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = MeetingInput,
    responses((status = 201, body = MeetingOut), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    crate::api::ApiJson(input): crate::api::ApiJson<MeetingInput>,
) -> Result<(axum::http::StatusCode, Json<MeetingOut>), ApiError> {
    let id = save_meeting(&ctx, None, &input, &client).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(out(&state, ctx.tenant_id(), id).await?),
    ))
}

/// Changes a meeting.
#[utoipa::path(put, path = "/api/v1/t/{slug}/meetings/{meeting_id}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("meeting_id" = i64, Path)), request_body = MeetingInput,
    responses((status = 200, body = MeetingOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, i64)>,
    bytes: axum::body::Bytes,
) -> Result<Json<MeetingOut>, ApiError> {
    meetings::get(&ctx.db, ctx.tenant_id(), path.1)
        .await?
        .ok_or(AppError::NotFound)?;
    let input: MeetingInput = crate::api::parse_json(&bytes)?;
    let id = save_meeting(&ctx, Some(path.1), &input, &client).await?;
    Ok(Json(out(&state, ctx.tenant_id(), id).await?))
}
