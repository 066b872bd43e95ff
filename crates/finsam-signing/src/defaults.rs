//! Who signs by default, per kind of document (the kansli may change the list before starting):
//!
//! - årsredovisning: every ordinarie ledamot of the styrelse sitting at the end of the year
//!   (ordförande first, then vice ordförande, then the ledamöter in the file's order);
//! - delårsrapport and verksamhetsplan: the styrelse's ordförande;
//! - minnesanteckningar: the meeting's mötesordförande, sekreterare and justerare.
//!
//! The functions read only the data they are given (a year file, a meeting and the people).

use crate::round::NewSigner;
use chrono::NaiveDate;
use finsam_core::EmailAddress;
use finsam_core::yearfile::{Meeting, Person, Position, Seat, SeatKind, YearFile};
use serde::{Deserialize, Serialize};

/// The document a round is for, as far as the defaults care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningDocument<'a> {
    Arsredovisning,
    Delarsrapport,
    Verksamhetsplan,
    /// Minutes of the meeting with this key in the year file.
    Minnesanteckningar {
        meeting: &'a str,
    },
}

/// A proposed signer, from the förbund's people. The e-mail may be missing in the data; the kansli
/// must add it before the round can start ([`ProposedSigner::to_new_signer`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedSigner {
    /// The person's key in the year file.
    pub person: String,
    pub name: String,
    pub email: Option<EmailAddress>,
    /// The role in which they sign ("Ordförande", "Ledamot", "Justerare").
    pub title: Option<String>,
    /// As printed on the signature page ("Eksjö kommun").
    pub organisation: Option<String>,
}

impl ProposedSigner {
    /// The signer to start a round with, once the e-mail is known.
    pub fn to_new_signer(&self) -> Result<NewSigner, DefaultsError> {
        Ok(NewSigner {
            name: self.name.clone(),
            email: self
                .email
                .clone()
                .ok_or_else(|| DefaultsError::EmailMissing(self.name.clone()))?,
            title: self.title.clone(),
            organisation: self.organisation.clone(),
        })
    }
}

/// Why no default could be proposed. Swedish, for the kansli.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DefaultsError {
    #[error("Personen {0} finns inte bland förbundets personer.")]
    UnknownPerson(String),
    #[error("Ingen ordinarie ledamot satt i styrelsen den {0}. Lägg in styrelsen för året först.")]
    NoStyrelse(NaiveDate),
    #[error(
        "Styrelsen hade ingen ordförande den {0}. Ange ordföranden eller välj undertecknare själv."
    )]
    NoOrdforande(NaiveDate),
    #[error("Året {0} går inte att använda.")]
    BadYear(i32),
    #[error("Mötet {0} finns inte.")]
    UnknownMeeting(String),
    #[error(
        "Mötet saknar mötesordförande, sekreterare och justerare. Ange dem eller välj undertecknare själv."
    )]
    NoMeetingRoles,
    #[error("{0} saknar e-postadress. Lägg till den innan underskriften startas.")]
    EmailMissing(String),
}

/// The default signers of a document made from `file`. `today` is the day the round starts, which
/// decides who is ordförande for a delårsrapport or verksamhetsplan; for the årsredovisning the
/// styrelse at 31 December of the file's year counts, whatever the day.
pub fn default_signers(
    doc: SigningDocument<'_>,
    file: &YearFile,
    today: NaiveDate,
) -> Result<Vec<ProposedSigner>, DefaultsError> {
    match doc {
        SigningDocument::Arsredovisning => styrelse_at_year_end(file),
        SigningDocument::Delarsrapport | SigningDocument::Verksamhetsplan => {
            ordforande_on(file, today).map(|p| vec![p])
        }
        SigningDocument::Minnesanteckningar { meeting } => {
            let m = file
                .meetings
                .iter()
                .find(|m| m.key == meeting)
                .ok_or_else(|| DefaultsError::UnknownMeeting(meeting.to_owned()))?;
            meeting_signers(m, &file.people)
        }
    }
}

/// Every ordinarie ledamot of the styrelse on 31 December of the file's year: ordförande, vice
/// ordförande, then the others in the file's order; each person once.
pub fn styrelse_at_year_end(file: &YearFile) -> Result<Vec<ProposedSigner>, DefaultsError> {
    let day =
        NaiveDate::from_ymd_opt(file.year, 12, 31).ok_or(DefaultsError::BadYear(file.year))?;
    let mut seats: Vec<&Seat> = file
        .organisation
        .styrelse
        .iter()
        .filter(|s| s.seat == SeatKind::Ordinarie && s.holds_on(day))
        .collect();
    if seats.is_empty() {
        return Err(DefaultsError::NoStyrelse(day));
    }
    // Stable: the file's order within each position.
    seats.sort_by_key(|s| rank(s.position));
    let mut out: Vec<ProposedSigner> = Vec::new();
    for s in seats {
        if out.iter().any(|p| p.person == s.person) {
            continue;
        }
        out.push(board_signer(file, s)?);
    }
    Ok(out)
}

/// The styrelse's ordförande on `day` (an ordinarie seat with the position ordförande).
pub fn ordforande_on(file: &YearFile, day: NaiveDate) -> Result<ProposedSigner, DefaultsError> {
    let seat = file
        .organisation
        .styrelse
        .iter()
        .find(|s| {
            s.seat == SeatKind::Ordinarie
                && s.position == Some(Position::Ordforande)
                && s.holds_on(day)
        })
        .ok_or(DefaultsError::NoOrdforande(day))?;
    board_signer(file, seat)
}

/// The meeting's mötesordförande, sekreterare and justerare, in that order, each person once (with
/// the first role they hold).
pub fn meeting_signers(
    meeting: &Meeting,
    people: &[Person],
) -> Result<Vec<ProposedSigner>, DefaultsError> {
    let roles = meeting
        .motesordforande
        .iter()
        .map(|p| (p, "Mötesordförande"))
        .chain(meeting.sekreterare.iter().map(|p| (p, "Sekreterare")))
        .chain(meeting.justerare.iter().map(|p| (p, "Justerare")));
    let mut out: Vec<ProposedSigner> = Vec::new();
    for (key, title) in roles {
        if out.iter().any(|p| &p.person == key) {
            continue;
        }
        let person = find_person(people, key)?;
        out.push(ProposedSigner {
            person: person.key.clone(),
            name: person.name.clone(),
            email: person.email.clone(),
            title: Some(title.to_owned()),
            organisation: person.organisation.clone(),
        });
    }
    if out.is_empty() {
        return Err(DefaultsError::NoMeetingRoles);
    }
    Ok(out)
}

fn rank(p: Option<Position>) -> u8 {
    match p {
        Some(Position::Ordforande) => 0,
        Some(Position::ViceOrdforande) => 1,
        Some(Position::Ledamot) | None => 2,
    }
}

fn board_signer(file: &YearFile, seat: &Seat) -> Result<ProposedSigner, DefaultsError> {
    let person = find_person(&file.people, &seat.person)?;
    let title = match seat.position {
        Some(Position::Ordforande) => "Ordförande",
        Some(Position::ViceOrdforande) => "Vice ordförande",
        Some(Position::Ledamot) | None => "Ledamot",
    };
    // The organisation printed is the person's own, else the member they sit for.
    let organisation = person.organisation.clone().or_else(|| {
        file.members
            .iter()
            .find(|m| m.key == seat.member)
            .map(|m| m.name.clone())
    });
    Ok(ProposedSigner {
        person: person.key.clone(),
        name: person.name.clone(),
        email: person.email.clone(),
        title: Some(title.to_owned()),
        organisation,
    })
}

fn find_person<'a>(people: &'a [Person], key: &str) -> Result<&'a Person, DefaultsError> {
    people
        .iter()
        .find(|p| p.key == key)
        .ok_or_else(|| DefaultsError::UnknownPerson(key.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> YearFile {
        let path = format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn hoglandet_2024_arsredovisning_is_signed_by_the_nine_ordinarie_ledamoter_at_year_end() {
        let file = fixture("hoglandet-2024.json");
        let signers =
            default_signers(SigningDocument::Arsredovisning, &file, day(2025, 2, 1)).unwrap();
        let rows: Vec<_> = signers
            .iter()
            .map(|s| {
                (
                    s.name.as_str(),
                    s.title.as_deref().unwrap(),
                    s.organisation.as_deref().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("Sebastian Hörlin", "Ordförande", "Eksjö kommun"),
                ("Marianne Cederqvist", "Vice ordförande", "Aneby kommun"),
                ("Lindha Hjälm", "Ledamot", "Nässjö kommun"),
                ("Kerstin Hvirf", "Ledamot", "Sävsjö kommun"),
                ("Mikael Stenquist", "Ledamot", "Tranås kommun"),
                ("Carina Bardh", "Ledamot", "Vetlanda kommun"),
                ("Klas Rydell", "Ledamot", "Försäkringskassan"),
                ("Andreas Appelberg", "Ledamot", "Arbetsförmedlingen"),
                ("Annelie Andersson", "Ledamot", "Region Jönköpings län"),
            ]
        );
        // The fixture has no e-mail addresses for the board: the kansli must add them.
        assert_eq!(
            signers[0].to_new_signer().unwrap_err(),
            DefaultsError::EmailMissing("Sebastian Hörlin".into())
        );
        let mut with_email = signers[0].clone();
        with_email.email = Some(EmailAddress::parse("sebastian@eksjo.example").unwrap());
        assert_eq!(with_email.to_new_signer().unwrap().name, "Sebastian Hörlin");
    }

    #[test]
    fn seats_ending_before_year_end_do_not_sign_and_those_starting_by_it_do() {
        let mut file = fixture("hoglandet-2024.json");
        // Lindha Hjälm leaves on 30 November; Kent Karlsson takes her ordinarie seat on 1 December.
        let seat = file
            .organisation
            .styrelse
            .iter_mut()
            .find(|s| s.person == "lindha-hjalm")
            .unwrap();
        seat.to = Some(day(2024, 11, 30));
        let mut new = seat.clone();
        new.person = "kent-karlsson".into();
        new.from = Some(day(2024, 12, 1));
        new.to = None;
        file.organisation.styrelse.push(new);
        let names: Vec<_> = styrelse_at_year_end(&file)
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert!(!names.contains(&"Lindha Hjälm".to_owned()));
        assert_eq!(names.last().map(String::as_str), Some("Kent Karlsson"));
        assert_eq!(names.len(), 9);
        // No ersättare sign.
        assert!(!names.contains(&"Marie-Louise Gunnarsson".to_owned()));
    }

    #[test]
    fn delarsrapport_and_verksamhetsplan_are_signed_by_the_ordforande() {
        let file = fixture("hoglandet-2024.json");
        for doc in [
            SigningDocument::Delarsrapport,
            SigningDocument::Verksamhetsplan,
        ] {
            let s = default_signers(doc, &file, day(2024, 8, 1)).unwrap();
            assert_eq!(s.len(), 1);
            assert_eq!(s[0].name, "Sebastian Hörlin");
            assert_eq!(s[0].title.as_deref(), Some("Ordförande"));
        }
        let mut no_chair = file.clone();
        no_chair.organisation.styrelse[0].to = Some(day(2024, 6, 30));
        assert_eq!(
            default_signers(SigningDocument::Delarsrapport, &no_chair, day(2024, 8, 1))
                .unwrap_err(),
            DefaultsError::NoOrdforande(day(2024, 8, 1))
        );
    }

    #[test]
    fn the_medlemssamrad_minutes_are_signed_by_its_chair_secretary_and_justerare() {
        let file = fixture("medlemssamrad-2024-02-23.json");
        let s = default_signers(
            SigningDocument::Minnesanteckningar {
                meeting: "medlemssamrad-2024-02-23",
            },
            &file,
            day(2024, 2, 26),
        )
        .unwrap();
        let rows: Vec<_> = s
            .iter()
            .map(|s| {
                (
                    s.name.as_str(),
                    s.title.as_deref().unwrap(),
                    s.organisation.as_deref().unwrap(),
                    s.email.as_ref().unwrap().as_str(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "Johanna Buchalle",
                    "Mötesordförande",
                    "Arbetsförmedlingen",
                    "johanna.buchalle@arbetsformedlingen.example"
                ),
                (
                    "Linda Johansson",
                    "Sekreterare",
                    "Arbetsförmedlingen",
                    "linda.y.johansson@arbetsformedlingen.example"
                ),
                (
                    "Therese Petersson",
                    "Justerare",
                    "Sävsjö kommun",
                    "therese.petersson@savsjo.example"
                ),
                (
                    "Joakim Dahlström",
                    "Justerare",
                    "Jönköpings kommun",
                    "joakim.dahlstrom@jonkoping.example"
                ),
            ]
        );
        // Ready to start a round with.
        assert!(s.iter().all(|p| p.to_new_signer().is_ok()));
    }

    #[test]
    fn meeting_roles_are_checked_and_a_person_signs_once() {
        let file = fixture("medlemssamrad-2024-02-23.json");
        assert_eq!(
            default_signers(
                SigningDocument::Minnesanteckningar { meeting: "nope" },
                &file,
                day(2024, 2, 26)
            )
            .unwrap_err(),
            DefaultsError::UnknownMeeting("nope".into())
        );
        let mut m = file.meetings[0].clone();
        m.justerare.push("linda-johansson".into());
        let s = meeting_signers(&m, &file.people).unwrap();
        assert_eq!(s.len(), 4);
        assert_eq!(s[1].title.as_deref(), Some("Sekreterare"));
        m.justerare.push("okand".into());
        assert_eq!(
            meeting_signers(&m, &file.people).unwrap_err(),
            DefaultsError::UnknownPerson("okand".into())
        );
        m.motesordforande = None;
        m.sekreterare = None;
        m.justerare.clear();
        assert_eq!(
            meeting_signers(&m, &file.people).unwrap_err(),
            DefaultsError::NoMeetingRoles
        );
    }

    #[test]
    fn an_empty_styrelse_is_reported() {
        let file = fixture("medlemssamrad-2024-02-23.json");
        assert_eq!(
            styrelse_at_year_end(&file).unwrap_err(),
            DefaultsError::NoStyrelse(day(2024, 12, 31))
        );
    }
}
