//! The minutes' input (`typst-templates/README.md`, "Minnesanteckningar"): the meeting's header, its items
//! with their text and beslut as parsed blocks, and who signs (mötesordförande, sekreterare, justerare).
//!
//! The meeting names its signers by person key. [`build_with_people`] looks them up among the förbund's
//! people (name, title, organisation); [`build`] has no people list and finds a signer only among the
//! meeting's deltagare whose name gives the key (`"Johanna Buchalle"` for `johanna-buchalle`), without title
//! or organisation. A signer found in neither is an error: the minutes never print a key as a name.

use super::{Meta, ModelError, blocks, date, envelope};
use crate::Kind;
use finsam_core::yearfile::{Meeting, MeetingKind, Person};
use serde_json::{Value, json};

pub fn build(meeting: &Meeting, meta: &Meta) -> Result<Value, ModelError> {
    build_with_people(meeting, &[], meta)
}

/// [`build`], with the signers' names, titles and organisations from `people` (the förbund's people).
pub fn build_with_people(
    meeting: &Meeting,
    people: &[Person],
    meta: &Meta,
) -> Result<Value, ModelError> {
    let signer = |key: &str, role: &str| person(meeting, people, key, role);
    let chair = match meeting.kind {
        MeetingKind::Medlemssamrad => "Mötesordföranden",
        MeetingKind::Styrelsemote => "Ordföranden",
    };
    let ordforande = meeting
        .motesordforande
        .as_deref()
        .map(|k| signer(k, chair))
        .transpose()?;
    let sekreterare = meeting
        .sekreterare
        .as_deref()
        .map(|k| signer(k, "Sekreteraren"))
        .transpose()?;
    let justerare = meeting
        .justerare
        .iter()
        .map(|k| signer(k, "Justeraren"))
        .collect::<Result<Vec<_>, _>>()?;
    let data = json!({
        "meeting_kind": meeting.kind,
        "date": date(meeting.date),
        "time": Value::Null,
        "place": meeting.place.trim(),
        "kallade": meeting.kallade.trim(),
        "deltagare": meeting
            .deltagare
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .map(|n| json!({"name": n, "role": null, "organisation": null}))
            .collect::<Vec<_>>(),
        "bilagor": meeting
            .bilagor
            .iter()
            .map(|b| b.trim())
            .filter(|b| !b.is_empty())
            .collect::<Vec<_>>(),
        "items": meeting.items.iter().map(|i| json!({
            "number": i.number.trim(),
            "title": i.title,
            "text": blocks(&i.text),
            "beslut": i.beslut.as_deref().map(blocks),
        })).collect::<Vec<_>>(),
        "ordforande": ordforande,
        "sekreterare": sekreterare,
        "justerare": justerare,
    });
    // Minutes carry the meeting's date, whenever they are rendered.
    let meta = Meta {
        date: Some(meeting.date),
        ..meta.clone()
    };
    Ok(envelope(
        Kind::Minnesanteckningar,
        &meta,
        meeting.title.clone(),
        None,
        data,
    ))
}

/// A signer as the template takes it, `{name, title, organisation}`.
fn person(
    meeting: &Meeting,
    people: &[Person],
    key: &str,
    role: &str,
) -> Result<Value, ModelError> {
    if let Some(p) = people.iter().find(|p| p.key == key) {
        return Ok(json!({
            "name": p.name,
            "title": p.title,
            "organisation": p.organisation,
        }));
    }
    meeting
        .deltagare
        .iter()
        .map(|n| n.trim())
        .find(|n| finsam_core::slug::key(n) == key)
        .map(|n| json!({"name": n, "title": null, "organisation": null}))
        .ok_or_else(|| {
            ModelError::Missing(format!(
                "{role} ({key}) finns inte bland förbundets personer. Välj personen på nytt i mötet."
            ))
        })
}
