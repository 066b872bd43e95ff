//! The year file: one förbund's year as one JSON document (format `finsam-year/1`, docs/year-file.md).
//! It is what import and export exchange, what the checks and key figures are computed from, and (later)
//! the input the documents are rendered from.
//!
//! Records refer to each other by `key` (a short stable name chosen by whoever writes the file, such as
//! `eksjo` or `se-hoglandet`), never by database ids, so a file can be imported into any tenant.
//! Money is integers of öre; counts are unsigned, so a negative count is a type error with its path.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub const FORMAT: &str = "finsam-year/1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearFile {
    /// Always `finsam-year/1`.
    pub format: String,
    /// The year the file describes (the accounts' year; for a budget, the budget year).
    pub year: i32,
    #[serde(default)]
    pub members: Vec<Member>,
    #[serde(default)]
    pub people: Vec<Person>,
    #[serde(default)]
    pub organisation: Organisation,
    #[serde(default)]
    pub insatser: Vec<Insats>,
    #[serde(default)]
    pub coach_reports: Vec<CoachReport>,
    #[serde(default)]
    pub survey_definitions: Vec<SurveyDefinition>,
    #[serde(default)]
    pub survey_results: Vec<SurveyResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<Accounts>,
    /// The accounts per 30 June of the year (the delår), for the delårsrapport. Result lines:
    /// `utfall_ore` is the outcome 1 January – 30 June, `prior_ore` the same period the year before,
    /// `budget_ore` the full-year budget and `prognos_ore` the full-year prognos. Balances
    /// (`fordringar`, `kortfristiga_skulder`, `kassa_och_bank_ore`) are at 30 June, their `prior_ore`
    /// at 31 December the year before. `eget_kapital_ingaende_ore` is at 1 January of the year and
    /// `eget_kapital_ingaende_prior_ore` at 1 January the year before, as in `accounts`;
    /// `realisationsvinster_ore` and `investeringar` are the period's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delar: Option<Accounts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Budget>,
    #[serde(default)]
    pub settings: Settings,
    /// Texts of the årsredovisning by key (see [`TEXT_KEYS`]), in the Markdown subset of [`crate::markup`].
    #[serde(default)]
    pub texts: BTreeMap<String, String>,
    #[serde(default)]
    pub meetings: Vec<Meeting>,
    /// The verksamhetsplan's inriktningar with their delmål and mått, for the plan of this year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inriktningar: Vec<Inriktning>,
}

/// One inriktning of the verksamhetsplan ("A. Öka möjligheterna till egen försörjning …").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inriktning {
    pub title: String,
    #[serde(default)]
    pub delmal: Vec<Delmal>,
    /// More about it, in the Markdown subset of [`crate::markup`].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// A delmål and how it is measured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delmal {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matt: Option<String>,
}

/// The Swedish heading of each text key, as the form and the årsredovisning name it.
pub fn text_label(key: &str) -> &'static str {
    match key {
        "ordforanden_har_ordet" => "Ordföranden har ordet",
        "organisation" => "Organisation",
        "uppdrag" => "Uppdrag",
        "finansiering" => "Finansiering",
        "vision" => "Vision",
        "oversikt" => "Översikt över verksamhetens utveckling",
        "viktiga_forhallanden" => "Viktiga förhållanden för resultat och ekonomisk ställning",
        "handelser" => "Händelser av väsentlig betydelse",
        "styrning" => "Styrning och uppföljning av verksamheten",
        "god_ekonomisk_hushallning" => "God ekonomisk hushållning",
        "personalforhallanden" => "Väsentliga personalförhållanden",
        "forvantad_utveckling" => "Förväntad utveckling",
        "vp_vision_motto" => "Verksamhetsplan: visionen på en rad (omslaget)",
        "vp_inledning" => "Verksamhetsplan: inledning",
        "vp_malgrupper" => "Verksamhetsplan: målgrupper",
        "vp_inriktningar" => "Verksamhetsplan: inriktning och delmål, inledande text",
        "vp_inriktningar_noter" => "Verksamhetsplan: förklaringar under inriktningarna",
        "vp_finansiella_riktlinjer" => "Verksamhetsplan: finansiella riktlinjer",
        "vp_budget" => "Verksamhetsplan: kommentar till budgeten",
        "vp_medlemsbidrag" => "Verksamhetsplan: kommentar till medlemsbidragen",
        _ => "Okänd text",
    }
}

/// Checks the texts of a year: known keys, no personnummer. Paths are `texts.{key}`.
pub fn text_problems(texts: &BTreeMap<String, String>) -> Vec<Problem> {
    let mut p = Vec::new();
    for (key, text) in texts {
        if !TEXT_KEYS.contains(&key.as_str()) {
            p.push(Problem::new(
                format!("texts.{key}"),
                format!("Okänd text. Kända texter: {}.", TEXT_KEYS.join(", ")),
            ));
        }
        if text.chars().count() > 50_000 {
            p.push(Problem::new(
                format!("texts.{key}"),
                "Texten får ha högst 50 000 tecken.",
            ));
        }
        personnummer(&mut p, &format!("texts.{key}"), text);
    }
    p
}

/// Checks the settings of a year. Paths are `settings.…`.
pub fn settings_problems(s: &Settings) -> Vec<Problem> {
    let mut p = Vec::new();
    for (name, v) in [
        (
            "socioekonomi_offentlig_forsorjning_ore",
            s.socioekonomi_offentlig_forsorjning_ore,
        ),
        (
            "socioekonomi_administration_ore",
            s.socioekonomi_administration_ore,
        ),
        ("socioekonomi_skatt_ore", s.socioekonomi_skatt_ore),
    ] {
        if v < 0 {
            p.push(Problem::new(
                format!("settings.{name}"),
                "Beloppet får inte vara negativt.",
            ));
        }
    }
    let brackets = &s.eget_kapital_brackets;
    if brackets.is_empty() || brackets.last().is_some_and(|b| b.up_to_ore.is_some()) {
        p.push(Problem::new(
            "settings.eget_kapital_brackets",
            "Sista intervallet ska sakna övre gräns.",
        ));
    }
    if brackets
        .windows(2)
        .any(|w| match (w[0].up_to_ore, w[1].up_to_ore) {
            (Some(a), Some(b)) => b <= a,
            (None, _) => true,
            _ => false,
        })
    {
        p.push(Problem::new(
            "settings.eget_kapital_brackets",
            "Intervallens övre gränser ska öka.",
        ));
    }
    if brackets.iter().any(|b| b.percent_tenths > 1000) {
        p.push(Problem::new(
            "settings.eget_kapital_brackets",
            "En procentsats får vara högst 100 %.",
        ));
    }
    p
}

/// The text keys the årsredovisning knows, in document order.
pub const TEXT_KEYS: &[&str] = &[
    "ordforanden_har_ordet",
    "organisation",
    "uppdrag",
    "finansiering",
    "vision",
    "oversikt",
    "viktiga_forhallanden",
    "handelser",
    "styrning",
    "god_ekonomisk_hushallning",
    "personalforhallanden",
    "forvantad_utveckling",
    "vp_vision_motto",
    "vp_inledning",
    "vp_malgrupper",
    "vp_inriktningar",
    "vp_inriktningar_noter",
    "vp_finansiella_riktlinjer",
    "vp_budget",
    "vp_medlemsbidrag",
];

/// The texts of the årsredovisning (the rest of [`TEXT_KEYS`] belong to the verksamhetsplan).
pub fn is_arsredovisning_text(key: &str) -> bool {
    TEXT_KEYS.contains(&key) && !key.starts_with("vp_")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub key: String,
    pub name: String,
    pub kind: crate::MemberKind,
    pub organisationsnummer: crate::OrgNr,
    /// Population per year (kommuner), used to split the kommun quarter of the contributions.
    #[serde(default)]
    pub population: BTreeMap<i32, u32>,
    /// Where documents are sent.
    #[serde(default)]
    pub registrator_emails: Vec<crate::EmailAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<crate::EmailAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// A person the förbund deals with; most never have an account (board members sign by e-mail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub key: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<crate::EmailAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The organisation as written on a signature page ("Eksjö kommun").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    #[serde(default)]
    pub styrelse: Vec<Seat>,
    #[serde(default)]
    pub beredningsgrupp: Vec<Seat>,
    #[serde(default)]
    pub kansli: Vec<Staff>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SeatKind {
    Ordinarie,
    Ersattare,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    Ordforande,
    ViceOrdforande,
    Ledamot,
}

/// A seat held by a person for a member, from one date to another (both inclusive; open when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Seat {
    pub person: String,
    pub member: String,
    pub seat: SeatKind,
    /// Styrelse only: ordförande, vice ordförande or ledamot (the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
}

impl Seat {
    /// Whether the seat was held on `day`.
    pub fn holds_on(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= day) && self.to.is_none_or(|t| day <= t)
    }

    /// Whether the seat began or ended during `year` (a change the årsredovisning lists).
    pub fn changed_during(&self, year: i32) -> bool {
        self.from
            .is_some_and(|d| chrono::Datelike::year(&d) == year)
            || self.to.is_some_and(|d| chrono::Datelike::year(&d) == year)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    pub person: String,
    pub title: String,
    /// Share of full time in per cent (65 for 65 %).
    pub share_percent: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InsatsKind {
    Individinriktad,
    Strukturovergripande,
}

impl InsatsKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Individinriktad => "individinriktad",
            Self::Strukturovergripande => "strukturovergripande",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Insats {
    pub key: String,
    pub name: String,
    pub kind: InsatsKind,
    /// The member responsible (key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_member: Option<String>,
    /// Who carries it out (free text: "Eksjö kommun, arbetsmarknadsenheten").
    #[serde(default)]
    pub performer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_to: Option<NaiveDate>,
    #[serde(default)]
    pub target_group: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub goals: Vec<Goal>,
    /// Money per year: granted maximum, budgeted, outcome.
    #[serde(default)]
    pub years: Vec<InsatsYear>,
    #[serde(default)]
    pub goal_results: Vec<GoalResult>,
    /// Coaches reporting for this insats, by e-mail (linked to an account with that e-mail, if any).
    #[serde(default)]
    pub coaches: Vec<CoachAttachment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    pub key: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InsatsYear {
    pub year: i32,
    /// Beviljat: the granted maximum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beviljat_ore: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_ore: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utfall_ore: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Maluppfyllelse {
    Uppfyllt,
    DelvisUppfyllt,
    EjUppfyllt,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalResult {
    pub goal: String,
    pub year: i32,
    pub status: Maluppfyllelse,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoachAttachment {
    pub email: crate::EmailAddress,
    /// The kommun (member key) the coach reports for, when the insats runs in several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kommun: Option<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReportPeriod {
    /// 1 January – 30 June.
    Delar,
    /// The whole year.
    Helar,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Draft,
    Submitted,
    Returned,
    Approved,
}

/// Counts by gender. Aggregates only: the platform keeps no data about individual participants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GenderCounts {
    #[serde(default)]
    pub kvinnor: u32,
    #[serde(default)]
    pub man: u32,
    #[serde(default)]
    pub uppgift_saknas: u32,
}

impl GenderCounts {
    pub fn total(&self) -> u32 {
        self.kvinnor + self.man + self.uppgift_saknas
    }
}

impl std::ops::Add for GenderCounts {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        Self {
            kvinnor: self.kvinnor + o.kvinnor,
            man: self.man + o.man,
            uppgift_saknas: self.uppgift_saknas + o.uppgift_saknas,
        }
    }
}

/// Why participants ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ended {
    #[serde(default)]
    pub arbete: GenderCounts,
    #[serde(default)]
    pub studier: GenderCounts,
    #[serde(default)]
    pub aktivt_arbetssokande: GenderCounts,
    #[serde(default)]
    pub arbetslivsinriktad_rehabilitering: GenderCounts,
    #[serde(default)]
    pub sjukdom: GenderCounts,
    #[serde(default)]
    pub annat_skal: GenderCounts,
}

impl Ended {
    pub fn total(&self) -> GenderCounts {
        self.arbete
            + self.studier
            + self.aktivt_arbetssokande
            + self.arbetslivsinriktad_rehabilitering
            + self.sjukdom
            + self.annat_skal
    }

    /// Ended to work or studies: what the socioekonomisk effekt counts.
    pub fn arbete_eller_studier(&self) -> u32 {
        self.arbete.total() + self.studier.total()
    }
}

/// The free-text answers of the coaches' year report (seed 004, bilaga 3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportAnswers {
    /// The coaches' names, as the report lists them.
    #[serde(default)]
    pub coaches: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coach_share_percent: Option<u32>,
    /// Remittentgrupp: its members.
    #[serde(default)]
    pub remittentgrupp: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remittentgrupp_meetings: Option<u32>,
    /// Övrigt som hänt (personalbyte, lokalförändring, chefsbyte …).
    #[serde(default)]
    pub handelser: String,
    /// Kontakten med företagen/arbetsgivarna.
    #[serde(default)]
    pub arbetsgivarkontakt: String,
    #[serde(default)]
    pub framgangsfaktorer: String,
    #[serde(default)]
    pub jamstalldhet: String,
    #[serde(default)]
    pub ovrigt: String,
}

impl ReportAnswers {
    pub fn texts(&self) -> [(&'static str, &str); 7] {
        [
            ("coaches", &self.coaches),
            ("remittentgrupp", &self.remittentgrupp),
            ("handelser", &self.handelser),
            ("arbetsgivarkontakt", &self.arbetsgivarkontakt),
            ("framgangsfaktorer", &self.framgangsfaktorer),
            ("jamstalldhet", &self.jamstalldhet),
            ("ovrigt", &self.ovrigt),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoachReport {
    pub insats: String,
    /// The kommun (member key), when the insats reports per kommun.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kommun: Option<String>,
    pub year: i32,
    pub period: ReportPeriod,
    pub status: ReportStatus,
    /// Why the kansli returned it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_comment: Option<String>,
    /// Participants during the period.
    #[serde(default)]
    pub participants: GenderCounts,
    /// Of them, new during the period.
    #[serde(default)]
    pub new_participants: GenderCounts,
    #[serde(default)]
    pub ended: Ended,
    /// In structured efterstöd at the end of the period.
    #[serde(default)]
    pub efterstod: GenderCounts,
    #[serde(default)]
    pub answers: ReportAnswers,
}

/// A versioned question set with its answer scale (the indikatorenkät), as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyDefinition {
    /// e.g. `nns-indikatorer-2024`.
    pub key: String,
    pub name: String,
    /// The answer options, in order.
    pub scale: Vec<String>,
    pub questions: Vec<SurveyQuestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyQuestion {
    /// "1", "4a" …
    pub key: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyResult {
    pub insats: String,
    pub year: i32,
    pub survey: String,
    pub answers: Vec<SurveyAnswerCounts>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswerCounts {
    pub question: String,
    /// One count per answer option, in the scale's order.
    pub counts: Vec<u32>,
}

/// Where a line of the resultaträkning belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Verksamhetens intäkter.
    Intakt,
    /// Verksamhetens kostnader.
    Kostnad,
    FinansiellIntakt,
    FinansiellKostnad,
}

/// How a cost is classified for the shares the förbund report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CostClass {
    Individinriktad,
    Strukturovergripande,
    Administration,
    NyVerksamhet,
}

/// One line of the resultaträkning (and its note). Amounts are positive for what the section says
/// (an intäkt of 100 is +100, a kostnad of 100 is +100); a correction may be negative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultLine {
    pub key: String,
    pub label: String,
    pub section: Section,
    /// Costs: the class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<CostClass>,
    /// Contributions: the paying member (key); these sum to the medlemsbidrag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// Costs of an insats: its key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insats: Option<String>,
    /// Income that pays for administration (e.g. selling part of the förbundschef's time): netted
    /// against administration costs in the administration share.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub offsets_administration: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_ore: Option<i64>,
    pub utfall_ore: i64,
    /// The same line the year before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_ore: Option<i64>,
    /// The prognos for the full year: only in the delår ([`YearFile::delar`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prognos_ore: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BalanceItem {
    pub key: String,
    pub label: String,
    pub ore: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_ore: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Investment {
    pub label: String,
    pub ore: i64,
}

/// A year of the five-year overview that is not stored as a full year in the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoryYear {
    pub year: i32,
    pub intakter_ore: i64,
    pub kostnader_ore: i64,
    pub arets_resultat_ore: i64,
    /// Soliditet in tenths of a per cent (698 for 69,8 %).
    pub soliditet_tenths: i64,
    /// Employees in hundredths (100 for 1,0).
    pub anstallda_hundredths: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Accounts {
    pub resultat: Vec<ResultLine>,
    /// Fordringar, itemised (note).
    pub fordringar: Vec<BalanceItem>,
    pub kassa_och_bank_ore: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kassa_och_bank_prior_ore: Option<i64>,
    /// Kortfristiga skulder, itemised (note).
    pub kortfristiga_skulder: Vec<BalanceItem>,
    /// Eget kapital at the start of the year.
    pub eget_kapital_ingaende_ore: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eget_kapital_ingaende_prior_ore: Option<i64>,
    /// Realisationsvinster to deduct in the balanskravsresultat.
    #[serde(default)]
    pub realisationsvinster_ore: i64,
    #[serde(default)]
    pub investeringar: Vec<Investment>,
    /// Employees this year, in hundredths (100 for 1,0).
    #[serde(default)]
    pub anstallda_hundredths: u32,
    /// Earlier years for the five-year overview.
    #[serde(default)]
    pub history: Vec<HistoryYear>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BudgetSection {
    Intakt,
    Verksamhet,
    Administration,
}

/// One line of the budget: Budget N−1, Prognos N−1, Budget N, Plan N+1, Plan N+2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetLine {
    pub key: String,
    pub label: String,
    pub section: BudgetSection,
    /// Contributions: the paying member (key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insats: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_prev_ore: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prognos_prev_ore: Option<i64>,
    pub budget_ore: i64,
    pub plan1_ore: i64,
    pub plan2_ore: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Balanserat resultat carried into last year's budget and into last year's prognos; the later
    /// columns carry forward what the column before leaves.
    pub balanserat_resultat_budget_prev_ore: i64,
    pub balanserat_resultat_prognos_prev_ore: i64,
    pub lines: Vec<BudgetLine>,
    /// When the styrelse decided it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<NaiveDate>,
}

/// One bracket of the eget kapital recommendation: `percent_tenths` of the contributions up to
/// `up_to_ore` (no limit for the last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EkBracket {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up_to_ore: Option<i64>,
    pub percent_tenths: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EkReading {
    /// Each bracket's rate applies to the part of the contributions inside it (the default).
    Marginal,
    /// The rate of the bracket the whole sum falls in applies to all of it.
    Whole,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Socioekonomisk effekt, per participant and month: public support, administration, tax.
    pub socioekonomi_offentlig_forsorjning_ore: i64,
    pub socioekonomi_administration_ore: i64,
    pub socioekonomi_skatt_ore: i64,
    pub eget_kapital_brackets: Vec<EkBracket>,
    pub eget_kapital_reading: EkReading,
    pub delarsrapport_required: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            socioekonomi_offentlig_forsorjning_ore: 1_000_000,
            socioekonomi_administration_ore: 50_000,
            socioekonomi_skatt_ore: 570_000,
            eget_kapital_brackets: vec![
                EkBracket {
                    up_to_ore: Some(700_000_000),
                    percent_tenths: 200,
                },
                EkBracket {
                    up_to_ore: Some(1_500_000_000),
                    percent_tenths: 150,
                },
                EkBracket {
                    up_to_ore: None,
                    percent_tenths: 100,
                },
            ],
            eget_kapital_reading: EkReading::Marginal,
            delarsrapport_required: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    Medlemssamrad,
    Styrelsemote,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub key: String,
    pub kind: MeetingKind,
    pub title: String,
    pub date: NaiveDate,
    pub place: String,
    /// Who was called (free text, as the minutes print it).
    #[serde(default)]
    pub kallade: String,
    /// Participants' names.
    #[serde(default)]
    pub deltagare: Vec<String>,
    #[serde(default)]
    pub bilagor: Vec<String>,
    pub items: Vec<MeetingItem>,
    /// Person keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motesordforande: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sekreterare: Option<String>,
    #[serde(default)]
    pub justerare: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingItem {
    /// "1", "7a" …
    pub number: String,
    pub title: String,
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beslut: Option<String>,
}

/// A problem in a year file: where (`insatser[2].goal_results[0].goal`) and what, in Swedish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl Problem {
    fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Reads a year file. A file that is not even of the right shape gives one problem with its path.
pub fn parse(json: &[u8]) -> Result<YearFile, Vec<Problem>> {
    let de = &mut serde_json::Deserializer::from_slice(json);
    let file: YearFile = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        vec![Problem::new(
            if path == "." { String::new() } else { path },
            format!("Fel form: {}", e.into_inner()),
        )]
    })?;
    let problems = file.validate();
    if problems.is_empty() {
        Ok(file)
    } else {
        Err(problems)
    }
}

/// Whether `text` holds something shaped like a Swedish personnummer or samordningsnummer
/// (YYMMDD-NNNN, YYYYMMDD-NNNN, with `-`, `+`, a space or nothing between): a date of birth
/// (day + 60 for samordningsnummer) followed by four digits. Organisationsnummer do not match:
/// their "month" is 20 or more.
pub fn contains_personnummer(text: &str) -> bool {
    // Maximal runs of digits, with their byte ranges.
    let bytes = text.as_bytes();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    for (k, &(a, b)) in runs.iter().enumerate() {
        let run = &text[a..b];
        // Written together: YYMMDDNNNN or YYYYMMDDNNNN.
        if (run.len() == 10 || run.len() == 12) && plausible_birth_date(&run[..run.len() - 4]) {
            return true;
        }
        // Written apart: YYMMDD-NNNN, YYMMDD+NNNN, YYMMDD NNNN (and with a four-digit year).
        if (run.len() == 6 || run.len() == 8)
            && plausible_birth_date(run)
            && let Some(&(c, d)) = runs.get(k + 1)
            && c == b + 1
            && matches!(bytes[b], b'-' | b'+' | b' ')
            && d - c == 4
        {
            return true;
        }
    }
    false
}

fn plausible_birth_date(d: &str) -> bool {
    let d = if d.len() == 8 {
        if !(d.starts_with("19") || d.starts_with("20")) {
            return false;
        }
        &d[2..]
    } else {
        d
    };
    let month: u32 = d[2..4].parse().unwrap_or(0);
    let day: u32 = d[4..6].parse().unwrap_or(0);
    (1..=12).contains(&month) && ((1..=31).contains(&day) || (61..=91).contains(&day))
}

impl YearFile {
    /// Every problem in the file, each with its path. A year whose figures do not add up is not a
    /// problem here: that is data, and the checks in [`crate::finance`] report it.
    pub fn validate(&self) -> Vec<Problem> {
        let mut p = Vec::new();
        if self.format != FORMAT {
            p.push(Problem::new(
                "format",
                format!("Formatet ska vara {FORMAT}."),
            ));
        }
        if !(2000..=2100).contains(&self.year) {
            p.push(Problem::new("year", "Året ska vara mellan 2000 och 2100."));
        }
        let members = unique_keys(
            &mut p,
            "members",
            self.members.iter().map(|m| m.key.as_str()),
        );
        let people = unique_keys(&mut p, "people", self.people.iter().map(|m| m.key.as_str()));
        let insatser = unique_keys(
            &mut p,
            "insatser",
            self.insatser.iter().map(|m| m.key.as_str()),
        );
        let mut orgnrs = BTreeSet::new();
        for (i, m) in self.members.iter().enumerate() {
            if m.name.trim().is_empty() {
                p.push(Problem::new(format!("members[{i}].name"), "Namn saknas."));
            }
            if !orgnrs.insert(m.organisationsnummer.as_str()) {
                p.push(Problem::new(
                    format!("members[{i}].organisationsnummer"),
                    "Organisationsnumret finns redan hos en annan medlem.",
                ));
            }
            if m.kind != crate::MemberKind::Kommun && !m.population.is_empty() {
                p.push(Problem::new(
                    format!("members[{i}].population"),
                    "Folkmängd anges bara för kommuner.",
                ));
            }
        }
        for (i, person) in self.people.iter().enumerate() {
            if person.name.trim().is_empty() {
                p.push(Problem::new(format!("people[{i}].name"), "Namn saknas."));
            }
        }
        for (body, seats) in [
            ("styrelse", &self.organisation.styrelse),
            ("beredningsgrupp", &self.organisation.beredningsgrupp),
        ] {
            for (i, s) in seats.iter().enumerate() {
                let at = format!("organisation.{body}[{i}]");
                reference(
                    &mut p,
                    &format!("{at}.person"),
                    &s.person,
                    &people,
                    "personen",
                );
                reference(
                    &mut p,
                    &format!("{at}.member"),
                    &s.member,
                    &members,
                    "medlemmen",
                );
                dates_in_order(&mut p, &at, s.from, s.to);
                if body == "beredningsgrupp" && s.position.is_some() {
                    p.push(Problem::new(
                        format!("{at}.position"),
                        "Beredningsgruppen har inga ordförandeposter.",
                    ));
                }
            }
        }
        for (i, s) in self.organisation.kansli.iter().enumerate() {
            let at = format!("organisation.kansli[{i}]");
            reference(
                &mut p,
                &format!("{at}.person"),
                &s.person,
                &people,
                "personen",
            );
            dates_in_order(&mut p, &at, s.from, s.to);
            if s.share_percent == 0 || s.share_percent > 100 {
                p.push(Problem::new(
                    format!("{at}.share_percent"),
                    "Andelen av heltid ska vara 1–100 procent.",
                ));
            }
        }
        for (i, ins) in self.insatser.iter().enumerate() {
            let at = format!("insatser[{i}]");
            if ins.name.trim().is_empty() {
                p.push(Problem::new(format!("{at}.name"), "Namn saknas."));
            }
            if let Some(m) = &ins.responsible_member {
                reference(
                    &mut p,
                    &format!("{at}.responsible_member"),
                    m,
                    &members,
                    "medlemmen",
                );
            }
            if let (Some(f), Some(t)) = (ins.period_from, ins.period_to)
                && t < f
            {
                p.push(Problem::new(
                    format!("{at}.period_to"),
                    "Perioden slutar före den börjar.",
                ));
            }
            let goals = unique_keys(
                &mut p,
                &format!("{at}.goals"),
                ins.goals.iter().map(|g| g.key.as_str()),
            );
            for (j, y) in ins.years.iter().enumerate() {
                for (name, v) in [
                    ("beviljat_ore", y.beviljat_ore),
                    ("budget_ore", y.budget_ore),
                    ("utfall_ore", y.utfall_ore),
                ] {
                    if v.is_some_and(|v| v < 0) {
                        p.push(Problem::new(
                            format!("{at}.years[{j}].{name}"),
                            "Beloppet får inte vara negativt.",
                        ));
                    }
                }
            }
            for (j, r) in ins.goal_results.iter().enumerate() {
                reference(
                    &mut p,
                    &format!("{at}.goal_results[{j}].goal"),
                    &r.goal,
                    &goals,
                    "målet",
                );
                personnummer(
                    &mut p,
                    &format!("{at}.goal_results[{j}].comment"),
                    &r.comment,
                );
            }
            for (j, c) in ins.coaches.iter().enumerate() {
                if let Some(k) = &c.kommun {
                    reference(
                        &mut p,
                        &format!("{at}.coaches[{j}].kommun"),
                        k,
                        &members,
                        "kommunen",
                    );
                }
            }
            for (name, text) in [
                ("description", &ins.description),
                ("target_group", &ins.target_group),
                ("performer", &ins.performer),
            ] {
                personnummer(&mut p, &format!("{at}.{name}"), text);
            }
        }
        let mut report_keys = BTreeSet::new();
        for (i, r) in self.coach_reports.iter().enumerate() {
            let at = format!("coach_reports[{i}]");
            reference(
                &mut p,
                &format!("{at}.insats"),
                &r.insats,
                &insatser,
                "insatsen",
            );
            if let Some(k) = &r.kommun {
                reference(&mut p, &format!("{at}.kommun"), k, &members, "kommunen");
            }
            if !report_keys.insert((r.insats.clone(), r.kommun.clone(), r.year, r.period)) {
                p.push(Problem::new(
                    at.clone(),
                    "Det finns redan en rapport för samma insats, kommun och period.",
                ));
            }
            p.extend(report_problems(r, &at));
        }
        let surveys = unique_keys(
            &mut p,
            "survey_definitions",
            self.survey_definitions.iter().map(|s| s.key.as_str()),
        );
        for (i, d) in self.survey_definitions.iter().enumerate() {
            p.extend(survey_definition_problems(
                d,
                &format!("survey_definitions[{i}]"),
            ));
        }
        for (i, s) in self.survey_results.iter().enumerate() {
            let at = format!("survey_results[{i}]");
            reference(
                &mut p,
                &format!("{at}.insats"),
                &s.insats,
                &insatser,
                "insatsen",
            );
            let Some(def) = self.survey_definitions.iter().find(|d| d.key == s.survey) else {
                reference(
                    &mut p,
                    &format!("{at}.survey"),
                    &s.survey,
                    &surveys,
                    "enkäten",
                );
                continue;
            };
            if self
                .survey_results
                .iter()
                .take(i)
                .any(|o| o.insats == s.insats && o.year == s.year && o.survey == s.survey)
            {
                p.push(Problem::new(
                    at.clone(),
                    "Det finns redan resultat för samma insats, år och enkät.",
                ));
            }
            p.extend(survey_result_problems(s, def, &at));
        }
        if let Some(acc) = &self.accounts {
            p.extend(accounts_problems(acc, "accounts", &members, &insatser));
            for (i, l) in acc.resultat.iter().enumerate() {
                if l.prognos_ore.is_some() {
                    p.push(Problem::new(
                        format!("accounts.resultat[{i}].prognos_ore"),
                        "Prognos hör till delåret (delar), inte till årets räkenskaper.",
                    ));
                }
            }
        }
        if let Some(acc) = &self.delar {
            p.extend(accounts_problems(acc, "delar", &members, &insatser));
        }
        if let Some(b) = &self.budget {
            unique_keys(
                &mut p,
                "budget.lines",
                b.lines.iter().map(|l| l.key.as_str()),
            );
            for (i, l) in b.lines.iter().enumerate() {
                if let Some(m) = &l.member {
                    reference(
                        &mut p,
                        &format!("budget.lines[{i}].member"),
                        m,
                        &members,
                        "medlemmen",
                    );
                }
                if let Some(k) = &l.insats {
                    reference(
                        &mut p,
                        &format!("budget.lines[{i}].insats"),
                        k,
                        &insatser,
                        "insatsen",
                    );
                }
            }
        }
        p.extend(settings_problems(&self.settings));
        p.extend(text_problems(&self.texts));
        for (i, r) in self.inriktningar.iter().enumerate() {
            let at = format!("inriktningar[{i}]");
            if r.title.trim().is_empty() {
                p.push(Problem::new(format!("{at}.title"), "Rubriken saknas."));
            }
            personnummer(&mut p, &format!("{at}.title"), &r.title);
            personnummer(&mut p, &format!("{at}.text"), &r.text);
            for (j, d) in r.delmal.iter().enumerate() {
                if d.text.trim().is_empty() {
                    p.push(Problem::new(
                        format!("{at}.delmal[{j}].text"),
                        "Delmålet saknas.",
                    ));
                }
                personnummer(&mut p, &format!("{at}.delmal[{j}].text"), &d.text);
                if let Some(m) = &d.matt {
                    personnummer(&mut p, &format!("{at}.delmal[{j}].matt"), m);
                }
            }
        }
        let meetings = unique_keys(
            &mut p,
            "meetings",
            self.meetings.iter().map(|m| m.key.as_str()),
        );
        let _ = meetings;
        for (i, m) in self.meetings.iter().enumerate() {
            let at = format!("meetings[{i}]");
            for (role, key) in [
                ("motesordforande", &m.motesordforande),
                ("sekreterare", &m.sekreterare),
            ] {
                if let Some(k) = key {
                    reference(&mut p, &format!("{at}.{role}"), k, &people, "personen");
                }
            }
            for (j, k) in m.justerare.iter().enumerate() {
                reference(
                    &mut p,
                    &format!("{at}.justerare[{j}]"),
                    k,
                    &people,
                    "personen",
                );
            }
            unique_keys(
                &mut p,
                &format!("{at}.items"),
                m.items.iter().map(|it| it.number.as_str()),
            );
            for (j, it) in m.items.iter().enumerate() {
                personnummer(&mut p, &format!("{at}.items[{j}].text"), &it.text);
                if let Some(b) = &it.beslut {
                    personnummer(&mut p, &format!("{at}.items[{j}].beslut"), b);
                }
            }
        }
        p
    }
}

/// The problems of the accounts at `at` (`accounts` or `delar`): unique keys of the lines and items,
/// known members and insatser, and a class on every cost and on costs only.
fn accounts_problems(
    acc: &Accounts,
    at: &str,
    members: &BTreeSet<String>,
    insatser: &BTreeSet<String>,
) -> Vec<Problem> {
    let mut p = Vec::new();
    unique_keys(
        &mut p,
        &format!("{at}.resultat"),
        acc.resultat.iter().map(|l| l.key.as_str()),
    );
    for (i, l) in acc.resultat.iter().enumerate() {
        let at = format!("{at}.resultat[{i}]");
        if let Some(m) = &l.member {
            reference(&mut p, &format!("{at}.member"), m, members, "medlemmen");
        }
        if let Some(k) = &l.insats {
            reference(&mut p, &format!("{at}.insats"), k, insatser, "insatsen");
        }
        if l.class.is_some() && l.section != Section::Kostnad {
            p.push(Problem::new(
                format!("{at}.class"),
                "Bara kostnader klassas.",
            ));
        }
        if l.section == Section::Kostnad && l.class.is_none() {
            p.push(Problem::new(format!("{at}.class"), "Ange om kostnaden är individinriktad, strukturövergripande, administration eller ny verksamhet."));
        }
    }
    unique_keys(
        &mut p,
        &format!("{at}.fordringar"),
        acc.fordringar.iter().map(|l| l.key.as_str()),
    );
    unique_keys(
        &mut p,
        &format!("{at}.kortfristiga_skulder"),
        acc.kortfristiga_skulder.iter().map(|l| l.key.as_str()),
    );
    p
}

/// The key of the person called `name` (compared without regard to case), adding them when new. A
/// given e-mail is kept on the person. Answers the key and whether `people` changed for that person.
pub fn person_for_name(
    people: &mut Vec<Person>,
    name: &str,
    email: Option<crate::EmailAddress>,
) -> (String, bool) {
    let name = name.trim();
    if let Some(p) = people
        .iter_mut()
        .find(|p| p.name.to_lowercase() == name.to_lowercase())
    {
        let changed = email.is_some() && p.email != email;
        if changed {
            p.email = email;
        }
        return (p.key.clone(), changed);
    }
    let base = crate::slug::key(name);
    let base = if base.is_empty() {
        "person".to_owned()
    } else {
        base
    };
    let mut key = base.clone();
    let mut n = 2;
    while people.iter().any(|p| p.key == key) {
        key = format!("{base}-{n}");
        n += 1;
    }
    people.push(Person {
        key: key.clone(),
        name: name.to_owned(),
        email,
        title: None,
        organisation: None,
    });
    (key, true)
}

/// What can be wrong inside one coach report, with paths under `at` ("" for a report on its own).
/// The most answer options and questions a survey may have.
pub const SURVEY_MAX_OPTIONS: usize = 10;
pub const SURVEY_MAX_QUESTIONS: usize = 60;

/// What is wrong with one survey definition (`at` is its path, e.g. `survey_definitions[0]`).
pub fn survey_definition_problems(d: &SurveyDefinition, at: &str) -> Vec<Problem> {
    let mut p = Vec::new();
    let field = |f: &str| {
        if at.is_empty() {
            f.to_owned()
        } else {
            format!("{at}.{f}")
        }
    };
    if d.key.is_empty() || crate::slug::key(&d.key) != d.key {
        p.push(Problem::new(
            field("key"),
            "Nyckeln ska bestå av små bokstäver a–z, siffror och bindestreck.",
        ));
    }
    if d.name.trim().is_empty() {
        p.push(Problem::new(field("name"), "Namn saknas."));
    }
    if !(2..=SURVEY_MAX_OPTIONS).contains(&d.scale.len()) {
        p.push(Problem::new(
            field("scale"),
            format!("Svarsskalan ska ha 2–{SURVEY_MAX_OPTIONS} svarsalternativ."),
        ));
    }
    for (i, o) in d.scale.iter().enumerate() {
        if o.trim().is_empty() {
            p.push(Problem::new(
                field(&format!("scale[{i}]")),
                "Svarsalternativet är tomt.",
            ));
        } else if d.scale[..i].contains(o) {
            p.push(Problem::new(
                field(&format!("scale[{i}]")),
                format!("Svarsalternativet {o} finns redan."),
            ));
        }
    }
    if d.questions.is_empty() || d.questions.len() > SURVEY_MAX_QUESTIONS {
        p.push(Problem::new(
            field("questions"),
            format!("Enkäten ska ha 1–{SURVEY_MAX_QUESTIONS} frågor."),
        ));
    }
    for (i, q) in d.questions.iter().enumerate() {
        let key_ok = !q.key.is_empty()
            && q.key.chars().count() <= 10
            && q.key.chars().all(|c| c.is_alphanumeric() || c == '.');
        if !key_ok {
            p.push(Problem::new(
                field(&format!("questions[{i}].key")),
                "Frågans nummer ska vara 1–10 tecken: bokstäver, siffror eller punkt (t.ex. 4a).",
            ));
        } else if d.questions[..i].iter().any(|o| o.key == q.key) {
            p.push(Problem::new(
                field(&format!("questions[{i}].key")),
                format!("Frågan {} finns redan.", q.key),
            ));
        }
        if q.text.trim().is_empty() {
            p.push(Problem::new(
                field(&format!("questions[{i}].text")),
                "Frågetexten saknas.",
            ));
        }
    }
    if [&d.name]
        .into_iter()
        .chain(&d.scale)
        .chain(d.questions.iter().map(|q| &q.text))
        .any(|t| contains_personnummer(t))
    {
        p.push(Problem::new(
            at.to_owned(),
            "Enkäten ser ut att innehålla ett personnummer. Ta bort numret.",
        ));
    }
    p
}

/// What is wrong with one insats's answer counts against its survey (`at` as for the year file).
pub fn survey_result_problems(r: &SurveyResult, def: &SurveyDefinition, at: &str) -> Vec<Problem> {
    let mut p = Vec::new();
    for (j, a) in r.answers.iter().enumerate() {
        let here = if at.is_empty() {
            format!("answers[{j}]")
        } else {
            format!("{at}.answers[{j}]")
        };
        if !def.questions.iter().any(|q| q.key == a.question) {
            p.push(Problem::new(
                format!("{here}.question"),
                format!("Frågan {} finns inte i enkäten {}.", a.question, def.key),
            ));
        } else if r.answers[..j].iter().any(|o| o.question == a.question) {
            p.push(Problem::new(
                format!("{here}.question"),
                format!("Frågan {} finns redan.", a.question),
            ));
        }
        if a.counts.len() != def.scale.len() {
            p.push(Problem::new(
                format!("{here}.counts"),
                format!(
                    "Det ska finnas {} antal, ett per svarsalternativ.",
                    def.scale.len()
                ),
            ));
        }
    }
    p
}

/// What may not change in a survey that already has results: the answer scale (the counts are in its
/// order) and the questions that were answered. Names and question texts may be corrected, and
/// questions added; anything else is a new version of the survey, under a new key.
pub fn survey_change_problems(
    old: &SurveyDefinition,
    new: &SurveyDefinition,
    results: &[SurveyResult],
) -> Vec<Problem> {
    let mut p = Vec::new();
    if results.is_empty() {
        return p;
    }
    if old.scale != new.scale {
        p.push(Problem::new(
            "scale",
            "Enkäten har resultat, så svarsskalan kan inte ändras. Lägg upp en ny version av enkäten i stället.",
        ));
    }
    let answered: BTreeSet<&str> = results
        .iter()
        .flat_map(|r| r.answers.iter().map(|a| a.question.as_str()))
        .collect();
    let missing: Vec<&str> = answered
        .into_iter()
        .filter(|k| !new.questions.iter().any(|q| q.key == *k))
        .collect();
    if !missing.is_empty() {
        p.push(Problem::new(
            "questions",
            format!(
                "Enkäten har resultat för fråga {}, så frågan kan inte tas bort.",
                missing.join(", ")
            ),
        ));
    }
    p
}

pub fn report_problems(r: &CoachReport, at: &str) -> Vec<Problem> {
    let mut p = Vec::new();
    let path = |f: &str| {
        if at.is_empty() {
            f.to_owned()
        } else {
            format!("{at}.{f}")
        }
    };
    if r.new_participants.total() > r.participants.total() {
        p.push(Problem::new(
            path("new_participants"),
            "Fler nya än deltagare totalt.",
        ));
    }
    if r.ended.total().total() > r.participants.total() {
        p.push(Problem::new(
            path("ended"),
            "Fler avslutade än deltagare totalt.",
        ));
    }
    if r.efterstod.total() > r.participants.total() {
        p.push(Problem::new(
            path("efterstod"),
            "Fler i efterstöd än deltagare totalt.",
        ));
    }
    for (name, text) in r.answers.texts() {
        personnummer(&mut p, &path(&format!("answers.{name}")), text);
    }
    if let Some(c) = &r.return_comment {
        personnummer(&mut p, &path("return_comment"), c);
    }
    p
}

fn unique_keys<'a>(
    p: &mut Vec<Problem>,
    at: &str,
    keys: impl Iterator<Item = &'a str>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for (i, k) in keys.enumerate() {
        if k.trim().is_empty() {
            p.push(Problem::new(format!("{at}[{i}].key"), "Nyckel saknas."));
        } else if !seen.insert(k.to_owned()) {
            p.push(Problem::new(
                format!("{at}[{i}].key"),
                format!("Nyckeln {k} används redan."),
            ));
        }
    }
    seen
}

fn reference(p: &mut Vec<Problem>, at: &str, key: &str, known: &BTreeSet<String>, what: &str) {
    if !known.contains(key) {
        p.push(Problem::new(
            at,
            format!("Okänd referens: {what} {key} finns inte i filen."),
        ));
    }
}

fn dates_in_order(p: &mut Vec<Problem>, at: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) {
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        p.push(Problem::new(
            format!("{at}.to"),
            "T.o.m.-datumet ligger före fr.o.m.-datumet.",
        ));
    }
}

fn personnummer(p: &mut Vec<Problem>, at: &str, text: &str) {
    if contains_personnummer(text) {
        p.push(Problem::new(
            at,
            "Texten ser ut att innehålla ett personnummer. Finsam sparar inga uppgifter om enskilda deltagare: ta bort numret.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personnummer_are_found_in_every_common_shape() {
        for t in [
            "Deltagaren 850709-1234 fick jobb",
            "850709+1234",
            "198507091234",
            "19850709-1234 slutade",
            "se 850709 1234",
            "samordningsnummer 850769-1234",
        ] {
            assert!(contains_personnummer(t), "{t}");
        }
    }

    #[test]
    fn ordinary_numbers_are_not_personnummer() {
        for t in [
            "212000-0530",
            "Eksjö kommun, org.nr 212000-0621",
            "Budget 8 036 000 kr",
            "Telefon 0381-123 45",
            "Möte 2024-02-23 kl 10",
            "12345678901234",
            "ref 116553SE",
            "851309-1234",
        ] {
            assert!(!contains_personnummer(t), "{t}");
        }
    }

    fn minimal() -> YearFile {
        serde_json::from_str(r#"{"format": "finsam-year/1", "year": 2024}"#).unwrap()
    }

    #[test]
    fn a_minimal_file_is_valid_and_defaults_apply() {
        let f = minimal();
        assert!(f.validate().is_empty());
        assert_eq!(f.settings.socioekonomi_skatt_ore, 570_000);
        assert_eq!(f.settings.eget_kapital_brackets.len(), 3);
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let json = br#"{
            "format": "finsam-year/1", "year": 2024,
            "members": [{"key": "eksjo", "name": "Eksjo kommun", "kind": "kommun", "organisationsnummer": "212000-0621"}],
            "people": [{"key": "anna", "name": "Anna"}],
            "organisation": {"styrelse": [
                {"person": "anna", "member": "nassjo", "seat": "ordinarie", "from": "2024-06-01", "to": "2024-01-01"}
            ]},
            "insatser": [{"key": "se", "name": "SE", "kind": "individinriktad", "description": "Deltagare 850709-1234"}],
            "coach_reports": [{"insats": "okand", "year": 2024, "period": "helar", "status": "draft"}]
        }"#;
        let problems = parse(json).unwrap_err();
        let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "organisation.styrelse[0].member",
                "organisation.styrelse[0].to",
                "insatser[0].description",
                "coach_reports[0].insats"
            ]
        );
        assert!(problems[2].message.contains("personnummer"));
    }

    #[test]
    fn the_delar_is_checked_like_the_accounts_and_only_it_has_a_prognos() {
        let accounts = |prognos: &str| {
            format!(
                r#"{{"resultat": [
                    {{"key": "bidrag", "label": "Bidrag", "section": "intakt", "member": "nassjo", "utfall_ore": 1{prognos}}},
                    {{"key": "bidrag", "label": "Porto", "section": "kostnad", "utfall_ore": 1}}],
                  "fordringar": [], "kassa_och_bank_ore": 0, "kortfristiga_skulder": [], "eget_kapital_ingaende_ore": 0}}"#
            )
        };
        let json = format!(
            r#"{{"format": "finsam-year/1", "year": 2024, "accounts": {}, "delar": {}}}"#,
            accounts(r#", "prognos_ore": 5"#),
            accounts(r#", "prognos_ore": 5"#)
        );
        let problems = parse(json.as_bytes()).unwrap_err();
        let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "accounts.resultat[1].key",
                "accounts.resultat[0].member",
                "accounts.resultat[1].class",
                "accounts.resultat[0].prognos_ore",
                "delar.resultat[1].key",
                "delar.resultat[0].member",
                "delar.resultat[1].class",
            ]
        );
    }

    #[test]
    fn wrong_types_and_negative_counts_name_the_field() {
        let json = br#"{"format": "finsam-year/1", "year": 2024, "insatser": [{"key": "se", "name": "SE", "kind": "individinriktad"}],
            "coach_reports": [{"insats": "se", "year": 2024, "period": "helar", "status": "draft", "participants": {"kvinnor": -3}}]}"#;
        let problems = parse(json).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "coach_reports[0].participants.kvinnor");
        let json = br#"{"format": "finsam-year/1", "year": "2024"}"#;
        assert_eq!(parse(json).unwrap_err()[0].path, "year");
        let json = br#"{"format": "finsam-year/1", "year": 2024, "members": [{"key": "x", "name": "X", "kind": "kommun", "organisationsnummer": "212000-0531"}]}"#;
        let p = parse(json).unwrap_err();
        assert_eq!(p[0].path, "members[0].organisationsnummer");
        assert!(p[0].message.contains("kontrollsiffra"), "{}", p[0].message);
    }

    #[test]
    fn people_are_found_by_name_and_added_once() {
        let mut people = vec![];
        let (a, new) = person_for_name(&mut people, "Anna Ask", None);
        assert!(new && a == "anna-ask");
        let (b, changed) = person_for_name(
            &mut people,
            " anna ask ",
            Some(crate::EmailAddress::parse("anna@x.example").unwrap()),
        );
        assert_eq!((b.as_str(), changed, people.len()), ("anna-ask", true, 1));
        let (c, _) = person_for_name(&mut people, "Anna-Ask", None);
        assert_eq!(
            c, "anna-ask-2",
            "another name with the same key gets its own"
        );
    }

    #[test]
    fn seats_answer_who_sat_when_and_who_changed() {
        let s = Seat {
            person: "a".into(),
            member: "m".into(),
            seat: SeatKind::Ersattare,
            position: None,
            from: NaiveDate::from_ymd_opt(2024, 12, 1),
            to: None,
        };
        assert!(s.holds_on(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()));
        assert!(!s.holds_on(NaiveDate::from_ymd_opt(2024, 11, 30).unwrap()));
        assert!(s.changed_during(2024) && !s.changed_during(2025));
    }
}

/// The JSON Schema of the year file, generated from these types (docs/year-file.schema.json).
pub fn json_schema() -> serde_json::Value {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(YearFile)).expect("a schema serialises");
    schema["$id"] = serde_json::json!("https://finsam.example/schemas/finsam-year-1.json");
    schema["title"] = serde_json::json!("Finsam year file (finsam-year/1)");
    schema
}

#[cfg(test)]
mod schema_tests {
    /// docs/year-file.schema.json is the generated schema. After changing the types, regenerate it with
    /// `FINSAM_UPDATE_SCHEMA=1 cargo test -p finsam-core schema`.
    #[test]
    fn the_committed_schema_is_current() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/year-file.schema.json"
        );
        let generated = serde_json::to_string_pretty(&super::json_schema()).unwrap() + "\n";
        if std::env::var("FINSAM_UPDATE_SCHEMA").is_ok() {
            std::fs::write(path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "docs/year-file.schema.json is out of date: run FINSAM_UPDATE_SCHEMA=1 cargo test -p finsam-core schema"
        );
    }
}

#[cfg(test)]
mod survey_tests {
    use super::*;

    fn survey(scale: &[&str], questions: &[&str]) -> SurveyDefinition {
        SurveyDefinition {
            key: "enkat-2025".into(),
            name: "Enkät".into(),
            scale: scale.iter().map(|s| (*s).to_owned()).collect(),
            questions: questions
                .iter()
                .map(|k| SurveyQuestion {
                    key: (*k).to_owned(),
                    text: format!("Fråga {k}?"),
                })
                .collect(),
        }
    }

    fn answered(questions: &[&str]) -> SurveyResult {
        SurveyResult {
            insats: "se".into(),
            year: 2025,
            survey: "enkat-2025".into(),
            answers: questions
                .iter()
                .map(|q| SurveyAnswerCounts {
                    question: (*q).to_owned(),
                    counts: vec![1, 2],
                })
                .collect(),
        }
    }

    #[test]
    fn a_survey_without_results_may_change_freely() {
        let old = survey(&["Nej", "Ja"], &["1", "2"]);
        let new = survey(&["Aldrig", "Ibland", "Alltid"], &["3"]);
        assert!(survey_change_problems(&old, &new, &[]).is_empty());
    }

    #[test]
    fn with_results_the_scale_and_answered_questions_stay_but_texts_and_new_questions_may_change() {
        let old = survey(&["Nej", "Ja"], &["1", "2", "3"]);
        let results = [answered(&["1", "2"])];
        let mut new = survey(&["Nej", "Ja"], &["1", "2", "4"]);
        new.questions[0].text = "Rättad fråga?".into();
        assert!(survey_change_problems(&old, &new, &results).is_empty());
        let worse = survey(&["Ja", "Nej"], &["1"]);
        let p = survey_change_problems(&old, &worse, &results);
        assert_eq!(
            p.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
            ["scale", "questions"]
        );
        assert!(p[1].message.contains("fråga 2"), "{}", p[1].message);
    }

    #[test]
    fn a_definition_needs_a_key_a_scale_and_distinct_questions() {
        assert!(
            survey_definition_problems(&survey(&["Nej", "Ja"], &["1", "4a", "4.1"]), "s")
                .is_empty()
        );
        let mut bad = survey(&["Ja", "Ja"], &["1", "1", ""]);
        bad.key = "Stora Bokstäver".into();
        let p = survey_definition_problems(&bad, "s");
        assert_eq!(
            p.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
            [
                "s.key",
                "s.scale[1]",
                "s.questions[1].key",
                "s.questions[2].key"
            ]
        );
    }

    #[test]
    fn counts_must_match_the_scale_and_name_known_questions_once() {
        let def = survey(&["Nej", "Ja"], &["1", "2"]);
        let mut r = answered(&["1", "1", "9"]);
        r.answers[0].counts = vec![1];
        let p = survey_result_problems(&r, &def, "");
        assert_eq!(
            p.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
            [
                "answers[0].counts",
                "answers[1].question",
                "answers[2].question"
            ]
        );
    }
}
