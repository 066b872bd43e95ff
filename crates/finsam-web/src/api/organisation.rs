//! The seats of the styrelse and the beredningsgrupp, with their dates. People are matched by name, so
//! the kansli writes names, not keys.

use crate::error::{ApiError, AppError, ErrorBody, FieldError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use finsam_core::yearfile::{self, Person, Position, Seat, SeatKind};
use finsam_db::repo::{audit, members, organisation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One seat as the kansli writes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SeatRow {
    pub name: String,
    /// The person's e-mail (where they sign); kept on the person.
    pub email: String,
    /// The member's key.
    pub member: String,
    /// `ordinarie` or `ersattare`.
    pub seat: String,
    /// Styrelse only: `ordforande`, `vice_ordforande` or `ledamot` (or empty).
    pub position: String,
    /// YYYY-MM-DD, or empty.
    pub from: String,
    pub to: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SeatsBody {
    pub seats: Vec<SeatRow>,
}

pub fn body_ok(body: &str) -> Result<&'static str, AppError> {
    organisation::BODIES
        .into_iter()
        .find(|b| *b == body)
        .ok_or(AppError::NotFound)
}

fn date(s: &str) -> Result<Option<NaiveDate>, ()> {
    match s.trim() {
        "" => Ok(None),
        d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ()),
    }
}

/// Checks every row and replaces the body's seats in one transaction. Paths are `seats[i].field`.
pub async fn save_seats(
    ctx: &TenantCtx,
    body: &'static str,
    rows: &[SeatRow],
    client: &ClientInfo,
) -> Result<(), AppError> {
    let member_rows = members::list(&ctx.db, ctx.tenant_id()).await?;
    let known_members: Vec<String> = member_rows.iter().filter_map(|m| m.key.clone()).collect();
    let mut people = organisation::people(&ctx.db, ctx.tenant_id()).await?;
    let mut errors = Vec::new();
    let mut seats = Vec::new();
    let mut changed_people: Vec<Person> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let at = |f: &str| format!("seats[{i}].{f}");
        let name = r.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new(at("name"), "Namn saknas."));
        }
        if !known_members.contains(&r.member) {
            errors.push(FieldError::new(
                at("member"),
                "Välj en av förbundets medlemmar.",
            ));
        }
        let seat = match r.seat.as_str() {
            "ordinarie" => Some(SeatKind::Ordinarie),
            "ersattare" => Some(SeatKind::Ersattare),
            _ => {
                errors.push(FieldError::new(
                    at("seat"),
                    "Välj ordinarie eller ersättare.",
                ));
                None
            }
        };
        let position = match (body, r.position.as_str()) {
            (_, "") => None,
            ("styrelse", "ordforande") => Some(Position::Ordforande),
            ("styrelse", "vice_ordforande") => Some(Position::ViceOrdforande),
            ("styrelse", "ledamot") => Some(Position::Ledamot),
            _ => {
                errors.push(FieldError::new(
                    at("position"),
                    "Ordförandeposter finns bara i styrelsen.",
                ));
                None
            }
        };
        let from = date(&r.from)
            .map_err(|_| errors.push(FieldError::new(at("from"), "Ange datumet som ÅÅÅÅ-MM-DD.")))
            .ok()
            .flatten();
        let to = date(&r.to)
            .map_err(|_| errors.push(FieldError::new(at("to"), "Ange datumet som ÅÅÅÅ-MM-DD.")))
            .ok()
            .flatten();
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.push(FieldError::new(
                at("to"),
                "T.o.m.-datumet ligger före fr.o.m.-datumet.",
            ));
        }
        let email = match r.email.trim() {
            "" => None,
            e => finsam_core::EmailAddress::parse(e)
                .map_err(|err| errors.push(FieldError::new(at("email"), err.0)))
                .ok(),
        };
        let (Some(seat), false) = (seat, name.is_empty()) else {
            continue;
        };
        // The same name is the same person; a new name is a new person.
        let (person, changed) = yearfile::person_for_name(&mut people, name, email);
        if changed && let Some(p) = people.iter().find(|p| p.key == person) {
            changed_people.retain(|c: &Person| c.key != p.key);
            changed_people.push(p.clone());
        }
        seats.push(Seat {
            person,
            member: r.member.clone(),
            seat,
            position,
            from,
            to,
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let txn = ctx.db.begin().await?;
    for p in &changed_people {
        organisation::save_person(&txn, ctx.tenant_id(), p, None).await?;
    }
    organisation::replace_seats(&txn, ctx.tenant_id(), body, &seats).await?;
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: Some(ctx.tenant_id()),
            actor_account_id: Some(ctx.account_id()),
            action: audit::action::SEATS_SAVED,
            detail: serde_json::json!({ "body": body, "seats": seats.len() }),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    Ok(())
}

/// The stored seats of a body as rows.
pub async fn rows(state: &AppState, tenant_id: i64, body: &str) -> Result<Vec<SeatRow>, AppError> {
    let people = organisation::people(&state.db.tenant(tenant_id), tenant_id).await?;
    Ok(
        organisation::seats(&state.db.tenant(tenant_id), tenant_id, body)
            .await?
            .into_iter()
            .map(|s| {
                let p = people.iter().find(|p| p.key == s.person);
                SeatRow {
                    name: p.map_or(s.person.clone(), |p| p.name.clone()),
                    email: p
                        .and_then(|p| p.email.as_ref())
                        .map(|e| e.to_string())
                        .unwrap_or_default(),
                    member: s.member,
                    seat: if s.seat == SeatKind::Ordinarie {
                        "ordinarie".into()
                    } else {
                        "ersattare".into()
                    },
                    position: match s.position {
                        Some(Position::Ordforande) => "ordforande".into(),
                        Some(Position::ViceOrdforande) => "vice_ordforande".into(),
                        Some(Position::Ledamot) => "ledamot".into(),
                        None => String::new(),
                    },
                    from: s.from.map(|d| d.to_string()).unwrap_or_default(),
                    to: s.to.map(|d| d.to_string()).unwrap_or_default(),
                }
            })
            .collect(),
    )
}

/// The seats of the styrelse or the beredningsgrupp.
#[utoipa::path(get, path = "/api/v1/t/{slug}/organisation/{body}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("body" = String, Path, description = "styrelse or beredningsgrupp")),
    responses((status = 200, body = SeatsBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, String)>,
) -> Result<Json<SeatsBody>, ApiError> {
    let body = body_ok(&path.1)?;
    Ok(Json(SeatsBody {
        seats: rows(&state, ctx.tenant_id(), body).await?,
    }))
}

/// Replaces the seats of the styrelse or the beredningsgrupp.
#[utoipa::path(put, path = "/api/v1/t/{slug}/organisation/{body}", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("body" = String, Path)), request_body = SeatsBody,
    responses((status = 200, body = SeatsBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    Path(path): Path<(String, String)>,
    bytes: axum::body::Bytes,
) -> Result<Json<SeatsBody>, ApiError> {
    let body = body_ok(&path.1)?;
    let input: SeatsBody = crate::api::parse_json(&bytes)?;
    save_seats(&ctx, body, &input.seats, &client).await?;
    Ok(Json(SeatsBody {
        seats: rows(&state, ctx.tenant_id(), body).await?,
    }))
}

/// One person on the kansli's staff as the kansli writes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct StaffRow {
    pub name: String,
    pub email: String,
    pub title: String,
    /// Per cent of full time, 1–100.
    pub share_percent: String,
    pub from: String,
    pub to: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct StaffBody {
    pub staff: Vec<StaffRow>,
}

/// Checks every row and replaces the staff in one transaction. Paths are `staff[i].field`.
pub async fn save_staff(
    ctx: &TenantCtx,
    rows: &[StaffRow],
    client: &ClientInfo,
) -> Result<(), AppError> {
    let mut people = organisation::people(&ctx.db, ctx.tenant_id()).await?;
    let mut errors = Vec::new();
    let mut list = Vec::new();
    let mut changed: Vec<String> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let at = |f: &str| format!("staff[{i}].{f}");
        let name = r.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new(at("name"), "Namn saknas."));
        }
        if r.title.trim().is_empty() {
            errors.push(FieldError::new(at("title"), "Befattning saknas."));
        }
        let share = match r
            .share_percent
            .trim()
            .trim_end_matches('%')
            .trim()
            .parse::<u32>()
        {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                errors.push(FieldError::new(
                    at("share_percent"),
                    "Ange andelen av heltid i procent, 1–100.",
                ));
                0
            }
        };
        let from = date(&r.from)
            .map_err(|_| errors.push(FieldError::new(at("from"), "Ange datumet som ÅÅÅÅ-MM-DD.")))
            .ok()
            .flatten();
        let to = date(&r.to)
            .map_err(|_| errors.push(FieldError::new(at("to"), "Ange datumet som ÅÅÅÅ-MM-DD.")))
            .ok()
            .flatten();
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.push(FieldError::new(
                at("to"),
                "T.o.m.-datumet ligger före fr.o.m.-datumet.",
            ));
        }
        let email = match r.email.trim() {
            "" => None,
            e => finsam_core::EmailAddress::parse(e)
                .map_err(|err| errors.push(FieldError::new(at("email"), err.0)))
                .ok(),
        };
        if name.is_empty() {
            continue;
        }
        let (person, is_changed) = yearfile::person_for_name(&mut people, name, email);
        if is_changed {
            changed.push(person.clone());
        }
        list.push(finsam_core::yearfile::Staff {
            person,
            title: r.title.trim().to_owned(),
            share_percent: share,
            from,
            to,
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let txn = ctx.db.begin().await?;
    for key in &changed {
        if let Some(p) = people.iter().find(|p| &p.key == key) {
            organisation::save_person(&txn, ctx.tenant_id(), p, None).await?;
        }
    }
    organisation::replace_staff(&txn, ctx.tenant_id(), &list).await?;
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: Some(ctx.tenant_id()),
            actor_account_id: Some(ctx.account_id()),
            action: audit::action::SEATS_SAVED,
            detail: serde_json::json!({ "body": "kansli", "staff": list.len() }),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    Ok(())
}

pub async fn staff_rows(state: &AppState, tenant_id: i64) -> Result<Vec<StaffRow>, AppError> {
    let people = organisation::people(&state.db.tenant(tenant_id), tenant_id).await?;
    Ok(organisation::staff(&state.db.tenant(tenant_id), tenant_id)
        .await?
        .into_iter()
        .map(|s| {
            let p = people.iter().find(|p| p.key == s.person);
            StaffRow {
                name: p.map_or(s.person.clone(), |p| p.name.clone()),
                email: p
                    .and_then(|p| p.email.as_ref())
                    .map(|e| e.to_string())
                    .unwrap_or_default(),
                title: s.title,
                share_percent: s.share_percent.to_string(),
                from: s.from.map(|d| d.to_string()).unwrap_or_default(),
                to: s.to.map(|d| d.to_string()).unwrap_or_default(),
            }
        })
        .collect())
}

/// The kansli's staff.
#[utoipa::path(get, path = "/api/v1/t/{slug}/kansli", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = StaffBody)))]
pub async fn get_staff(
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
) -> Result<Json<StaffBody>, ApiError> {
    Ok(Json(StaffBody {
        staff: staff_rows(&state, ctx.tenant_id()).await?,
    }))
}

/// Replaces the kansli's staff.
#[utoipa::path(put, path = "/api/v1/t/{slug}/kansli", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = StaffBody,
    responses((status = 200, body = StaffBody), (status = 422, body = ErrorBody)))]
pub async fn put_staff(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    crate::api::ApiJson(input): crate::api::ApiJson<StaffBody>,
) -> Result<Json<StaffBody>, ApiError> {
    save_staff(&ctx, &input.staff, &client).await?;
    Ok(Json(StaffBody {
        staff: staff_rows(&state, ctx.tenant_id()).await?,
    }))
}
