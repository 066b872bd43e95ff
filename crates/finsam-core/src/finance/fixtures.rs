//! Test fixtures built from the seeds: Höglandet's accounts 2024 (seed 004) and Södra Vätterbygden's
//! budget 2024 (seed 003).
//!
//! The printed figures are whole kronor; the books are in öre. Where the printed lines do not add up
//! to the printed totals, the öre amounts below are chosen so that every line rounds to the printed
//! figure and every identity (sums, balance, eget kapital, cash flow) holds exactly in öre:
//!
//! - Verksamhetens intäkter 8 298 260 while the note's lines add up to 8 298 259: övriga ersättningar
//!   262 259,45 and öres- och kronutjämning 0,40.
//! - Note 3 totals 8 594 456, the nettokostnad of the driftredovisning, which includes the 10 kr of
//!   finansiella kostnader; the resultaträkning's verksamhetens kostnader are 8 594 446. The 10 kr are
//!   taken out of övrig administration (162 017 → 162 007) and booked as a finansiell kostnad.
//! - Note 3's 2023 lines add up to 7 745 916 against a printed 7 745 914: four lines carry −0,40.
//! - Finansiella intäkter 140 622,15, so årets resultat is −155 574,00 exactly.
//! - Fordringar 117 311,60 + kassa 2 009 909,60 = 2 127 221,20 (printed lines: 117 312 + 2 009 910).
//! - Kortfristiga skulder 643 324,20 (2023: 594 568,60), so the change prints as 48 756.
//! - Eget kapital ingående 2023 1 215 582,40 + årets resultat 2023 423 888,60 = 1 639 471,00.

use crate::MemberKind;
use crate::money::Ore;
use crate::yearfile::*;
use std::collections::BTreeMap;

/// Kronor and öre as öre: `kr(117_311, 60)`.
pub(crate) const fn kr(kronor: i64, ore: i64) -> i64 {
    kronor * 100 + if kronor < 0 { -ore } else { ore }
}

#[allow(clippy::too_many_arguments)]
fn line(
    key: &str,
    label: &str,
    section: Section,
    class: Option<CostClass>,
    member: Option<&str>,
    insats: Option<&str>,
    utfall_ore: i64,
    prior_ore: i64,
) -> ResultLine {
    ResultLine {
        key: key.into(),
        label: label.into(),
        section,
        class,
        member: member.map(Into::into),
        insats: insats.map(Into::into),
        offsets_administration: false,
        budget_ore: None,
        utfall_ore,
        prior_ore: Some(prior_ore),
        prognos_ore: None,
    }
}

fn contribution(
    key: &str,
    label: &str,
    member: &str,
    kronor: i64,
    prior_kronor: i64,
) -> ResultLine {
    line(
        key,
        label,
        Section::Intakt,
        None,
        Some(member),
        None,
        kr(kronor, 0),
        kr(prior_kronor, 0),
    )
}

fn cost(
    key: &str,
    label: &str,
    class: CostClass,
    insats: Option<&str>,
    ore: i64,
    prior_ore: i64,
) -> ResultLine {
    line(
        key,
        label,
        Section::Kostnad,
        Some(class),
        None,
        insats,
        ore,
        prior_ore,
    )
}

fn item(key: &str, label: &str, ore: i64, prior_ore: i64) -> BalanceItem {
    BalanceItem {
        key: key.into(),
        label: label.into(),
        ore,
        prior_ore: Some(prior_ore),
    }
}

/// Höglandets samordningsförbund, accounts 2024 (seed 004, notes 2–5).
pub(crate) fn hoglandet_2024_accounts() -> Accounts {
    use CostClass::*;
    let mut resultat = vec![
        contribution(
            "driftbidrag-fk",
            "Driftbidrag från Försäkringskassan",
            "fk",
            4_018_000,
            4_018_000,
        ),
        contribution(
            "driftbidrag-region",
            "Driftbidrag från Region Jönköpings län",
            "region",
            2_009_000,
            2_009_000,
        ),
        contribution("aneby", "Aneby kommun", "aneby", 119_350, 119_465),
        contribution("nassjo", "Nässjö kommun", "nassjo", 558_250, 557_750),
        contribution("savsjo", "Sävsjö kommun", "savsjo", 205_150, 205_585),
        contribution("eksjo", "Eksjö kommun", "eksjo", 313_000, 312_845),
        contribution("tranas", "Tranås kommun", "tranas", 329_650, 329_330),
        contribution("vetlanda", "Vetlanda kommun", "vetlanda", 483_600, 484_025),
    ];
    let mut ovriga = line(
        "ovriga-ersattningar",
        "Övriga ersättningar och intäkter",
        Section::Intakt,
        None,
        None,
        None,
        kr(262_259, 45),
        0,
    );
    ovriga.offsets_administration = true;
    resultat.push(ovriga);
    resultat.push(line(
        "oresutjamning",
        "Öres- och kronutjämning",
        Section::Intakt,
        None,
        None,
        None,
        kr(0, 40),
        kr(-4, 0),
    ));
    resultat.push(line(
        "ranta",
        "Ränta",
        Section::FinansiellIntakt,
        None,
        None,
        None,
        kr(140_622, 15),
        kr(133_807, 0),
    ));
    resultat.extend([
        cost(
            "se-projekt",
            "SE-Projekt",
            Individinriktad,
            Some("se-hoglandet"),
            kr(3_975_750, 0),
            kr(3_760_700, 60),
        ),
        cost(
            "it-sparet",
            "Projekt IT-Spåret",
            Individinriktad,
            Some("it-sparet"),
            kr(562_500, 0),
            kr(562_500, 0),
        ),
        cost(
            "inspirationsdag",
            "Inspirationsdag",
            Strukturovergripande,
            None,
            kr(97_637, 0),
            kr(57_160, 0),
        ),
        cost(
            "valfardsguiden",
            "Välfärdsguiden",
            Strukturovergripande,
            None,
            kr(50_400, 0),
            kr(51_000, 0),
        ),
        cost(
            "uppdrag-samverkan",
            "Uppdrag Samverkan",
            Strukturovergripande,
            None,
            kr(1_800_000, 0),
            kr(1_735_510, 60),
        ),
        cost(
            "psykiatriveckan",
            "Psykiatriveckan",
            Strukturovergripande,
            None,
            0,
            kr(20_000, 0),
        ),
        cost(
            "forrehabilitering",
            "Förrehabilitering i Hälsocenter",
            NyVerksamhet,
            None,
            kr(81_667, 0),
            0,
        ),
        cost(
            "rakna-med-oss",
            "Räkna med oss!",
            NyVerksamhet,
            None,
            kr(150_000, 0),
            0,
        ),
        cost(
            "styrelse",
            "Styrelse",
            Administration,
            None,
            kr(49_628, 0),
            kr(54_959, 0),
        ),
        cost(
            "tjansteperson",
            "Tjänsteperson",
            Administration,
            None,
            kr(1_402_173, 0),
            kr(1_184_684, 60),
        ),
        cost(
            "ovrig-administration",
            "Övrig administration",
            Administration,
            None,
            kr(162_007, 0),
            kr(133_259, 60),
        ),
        cost(
            "revision",
            "Revision",
            Administration,
            None,
            kr(62_251, 0),
            kr(50_451, 0),
        ),
        cost(
            "ekonomihantering",
            "Ekonomihantering",
            Administration,
            None,
            kr(108_704, 0),
            kr(104_541, 0),
        ),
        cost(
            "utbildning",
            "Utbildning styrelse och beredningsgrupp",
            Administration,
            None,
            kr(91_729, 0),
            kr(31_148, 0),
        ),
    ]);
    resultat.push(line(
        "bankavgifter",
        "Räntekostnader och bankavgifter",
        Section::FinansiellKostnad,
        None,
        None,
        None,
        kr(10, 0),
        0,
    ));
    Accounts {
        resultat,
        fordringar: vec![
            item("kundfordringar", "Kundfordringar", kr(42_000, 0), 0),
            item("skattekonto", "Skattekonto", kr(11_620, 0), kr(2_755, 0)),
            item("moms", "Fordran moms", kr(1_540, 0), kr(28_628, 0)),
            item("hyror", "Förutbetalda hyror", kr(6_392, 0), kr(6_274, 0)),
            item(
                "interimsfordringar",
                "Övriga interimsfordringar",
                kr(55_759, 60),
                kr(9_831, 60),
            ),
        ],
        kassa_och_bank_ore: kr(2_009_909, 60),
        kassa_och_bank_prior_ore: Some(kr(2_186_551, 0)),
        kortfristiga_skulder: vec![
            item(
                "leverantorsskulder",
                "Leverantörsskulder",
                kr(387_513, 20),
                kr(361_462, 60),
            ),
            item(
                "skatteskulder",
                "Skatteskulder",
                kr(144_771, 0),
                kr(180_313, 0),
            ),
            item(
                "personalskatt",
                "Personalskatt",
                kr(16_534, 0),
                kr(15_520, 0),
            ),
            item(
                "sociala-avgifter",
                "Avräkning lagstadgade sociala avgifter",
                kr(18_462, 0),
                kr(17_198, 0),
            ),
            item(
                "semesterloner",
                "Upplupna semesterlöner",
                kr(35_949, 0),
                kr(14_510, 0),
            ),
            item(
                "upplupna-sociala-avgifter",
                "Beräknade upplupna lagstadgade sociala avgifter",
                kr(11_295, 0),
                kr(4_559, 0),
            ),
            item(
                "interimsskulder",
                "Övriga interimsskulder",
                kr(28_800, 0),
                kr(1_006, 0),
            ),
        ],
        eget_kapital_ingaende_ore: kr(1_639_471, 0),
        eget_kapital_ingaende_prior_ore: Some(kr(1_215_582, 40)),
        realisationsvinster_ore: 0,
        investeringar: vec![],
        anstallda_hundredths: 100,
        history: vec![
            // Out of order on purpose, and one year too many for the overview.
            history(
                2021,
                kr(8_033_000, 0),
                kr(7_605_000, 0),
                kr(428_000, 0),
                770,
            ),
            history(
                2023,
                kr(8_169_803, 0),
                kr(7_745_914, 40),
                kr(423_888, 60),
                734,
            ),
            history(
                2019,
                kr(7_900_000, 0),
                kr(7_500_000, 0),
                kr(400_000, 0),
                500,
            ),
            history(
                2022,
                kr(8_098_000, 0),
                kr(8_363_000, 0),
                kr(-265_000, 0),
                600,
            ),
            history(
                2020,
                kr(7_992_000, 0),
                kr(7_506_000, 0),
                kr(486_000, 0),
                610,
            ),
        ],
    }
}

fn history(year: i32, intakter: i64, kostnader: i64, resultat: i64, soliditet: i64) -> HistoryYear {
    HistoryYear {
        year,
        intakter_ore: intakter,
        kostnader_ore: kostnader,
        arets_resultat_ore: resultat,
        soliditet_tenths: soliditet,
        anstallda_hundredths: 100,
    }
}

pub(crate) fn member(key: &str, name: &str, kind: MemberKind, orgnr: &str) -> Member {
    Member {
        key: key.into(),
        name: name.into(),
        kind,
        organisationsnummer: crate::OrgNr::parse(orgnr).unwrap(),
        population: BTreeMap::new(),
        registrator_emails: vec![],
        contact: None,
    }
}

fn state_and_region() -> Vec<Member> {
    vec![
        member(
            "fk",
            "Försäkringskassan",
            MemberKind::Forsakringskassan,
            "202100-5521",
        ),
        member(
            "af",
            "Arbetsförmedlingen",
            MemberKind::Arbetsformedlingen,
            "202100-2114",
        ),
        member(
            "region",
            "Region Jönköpings län",
            MemberKind::Region,
            "232100-0057",
        ),
    ]
}

fn insats(key: &str, name: &str, kind: InsatsKind, utfall_2024: Option<i64>) -> Insats {
    Insats {
        key: key.into(),
        name: name.into(),
        kind,
        responsible_member: None,
        performer: String::new(),
        period_from: None,
        period_to: None,
        target_group: String::new(),
        description: String::new(),
        goals: vec![],
        years: utfall_2024
            .map(|u| InsatsYear {
                year: 2024,
                beviljat_ore: None,
                budget_ore: None,
                utfall_ore: Some(u),
            })
            .into_iter()
            .collect(),
        goal_results: vec![],
        coaches: vec![],
    }
}

/// A coach report with `arbete` ended to work and `studier` to studies.
pub(crate) fn report(
    insats: &str,
    kommun: Option<&str>,
    year: i32,
    period: ReportPeriod,
    status: ReportStatus,
    arbete: u32,
    studier: u32,
) -> CoachReport {
    CoachReport {
        insats: insats.into(),
        kommun: kommun.map(Into::into),
        year,
        period,
        status,
        return_comment: None,
        // Everyone who ended, and ten more who go on.
        participants: GenderCounts {
            kvinnor: arbete / 2 + studier + 3 + 5,
            man: arbete - arbete / 2 + 1 + 5,
            uppgift_saknas: 0,
        },
        new_participants: GenderCounts::default(),
        ended: Ended {
            arbete: GenderCounts {
                kvinnor: arbete / 2,
                man: arbete - arbete / 2,
                uppgift_saknas: 0,
            },
            studier: GenderCounts {
                kvinnor: studier,
                man: 0,
                uppgift_saknas: 0,
            },
            sjukdom: GenderCounts {
                kvinnor: 3,
                man: 1,
                uppgift_saknas: 0,
            },
            ..Ended::default()
        },
        efterstod: GenderCounts::default(),
        answers: ReportAnswers::default(),
    }
}

/// Höglandets samordningsförbund 2024: members, the two individinriktade insatser of the
/// socioekonomisk effekt table, their coach reports (42 and 2 ended to work or studies) and the accounts.
pub(crate) fn hoglandet_2024() -> YearFile {
    use ReportPeriod::*;
    use ReportStatus::*;
    let mut members = state_and_region();
    members.extend([
        member("aneby", "Aneby kommun", MemberKind::Kommun, "212000-0548"),
        member("eksjo", "Eksjö kommun", MemberKind::Kommun, "212000-0621"),
        member("nassjo", "Nässjö kommun", MemberKind::Kommun, "212000-0555"),
        member("savsjo", "Sävsjö kommun", MemberKind::Kommun, "212000-0563"),
        member("tranas", "Tranås kommun", MemberKind::Kommun, "212000-0571"),
        member(
            "vetlanda",
            "Vetlanda kommun",
            MemberKind::Kommun,
            "212000-0589",
        ),
    ]);
    let se = "se-hoglandet";
    let file = YearFile {
        format: FORMAT.into(),
        year: 2024,
        members,
        people: vec![],
        organisation: Organisation::default(),
        insatser: vec![
            insats(
                "it-sparet",
                "IT-spåret",
                InsatsKind::Individinriktad,
                Some(kr(2_400_000, 0)),
            ),
            insats(se, "SE-Höglandet", InsatsKind::Individinriktad, None),
            insats(
                "uppdrag-samverkan",
                "Uppdrag Samverkan",
                InsatsKind::Strukturovergripande,
                None,
            ),
        ],
        coach_reports: vec![
            report("it-sparet", None, 2024, Helar, Approved, 1, 1),
            report(se, Some("aneby"), 2024, Helar, Approved, 2, 1),
            report(se, Some("eksjo"), 2024, Helar, Approved, 6, 2),
            report(se, Some("nassjo"), 2024, Helar, Approved, 9, 1),
            report(se, Some("savsjo"), 2024, Helar, Approved, 4, 1),
            report(se, Some("tranas"), 2024, Helar, Approved, 6, 1),
            report(se, Some("vetlanda"), 2024, Helar, Approved, 8, 1),
            // Neither the half year nor another year counts.
            report(se, Some("eksjo"), 2024, Delar, Approved, 3, 0),
            report(se, Some("eksjo"), 2023, Helar, Approved, 5, 0),
        ],
        survey_definitions: vec![],
        survey_results: vec![],
        accounts: Some(hoglandet_2024_accounts()),
        delar: None,
        budget: None,
        settings: Settings::default(),
        texts: BTreeMap::new(),
        meetings: vec![],
        inriktningar: vec![],
    };
    assert!(file.validate().is_empty(), "{:?}", file.validate());
    file
}

/// Populations that make the population split reproduce seed 003's kommun contributions 2024 exactly
/// (204 100, 2 238 400, 116 000, 228 500 of 2 787 000): the same as in `fixtures/sodra-vatterbygden-2024.json`.
/// The real populations (about 12 300, 143 000, 7 300, 14 000) do not reproduce them: the förbund's
/// key must be another count (see the split tests).
pub(crate) const SODRA_VATTERBYGDEN_POPULATION: [(&str, &str, &str, u32); 4] = [
    ("habo", "Habo kommun", "212000-0597", 12_855),
    ("jonkoping", "Jönköpings kommun", "212000-0530", 141_003),
    ("mullsjo", "Mullsjö kommun", "212000-0605", 7_304),
    ("vaggeryd", "Vaggeryds kommun", "212000-0613", 14_395),
];

/// A budget line from kronor, in the column order Budget N−1, Prognos N−1, Budget N, Plan N+1, Plan N+2
/// (`None` for a blank).
fn bline(
    key: &str,
    label: &str,
    section: BudgetSection,
    member: Option<&str>,
    cols: [Option<i64>; 5],
) -> BudgetLine {
    let ore = |c: Option<i64>| c.map(|k| k * 100);
    BudgetLine {
        key: key.into(),
        label: label.into(),
        section,
        member: member.map(Into::into),
        insats: None,
        budget_prev_ore: ore(cols[0]),
        prognos_prev_ore: ore(cols[1]),
        budget_ore: ore(cols[2]).unwrap_or(0),
        plan1_ore: ore(cols[3]).unwrap_or(0),
        plan2_ore: ore(cols[4]).unwrap_or(0),
    }
}

/// Samordningsförbundet Södra Vätterbygden, budget 2024 and plan 2025–2026 (seed 003, section 7).
pub(crate) fn sodra_vatterbygden_budget_2024() -> YearFile {
    use BudgetSection::*;
    let mut members = state_and_region();
    for (key, name, orgnr, population) in SODRA_VATTERBYGDEN_POPULATION {
        let mut m = member(key, name, MemberKind::Kommun, orgnr);
        m.population.insert(2024, population);
        members.push(m);
    }
    let s = |a: i64, b: i64, c: i64, d: i64, e: i64| [Some(a), Some(b), Some(c), Some(d), Some(e)];
    let lines = vec![
        bline(
            "habo",
            "Habo kommun",
            Intakt,
            Some("habo"),
            s(159_400, 161_300, 204_100, 204_100, 204_100),
        ),
        bline(
            "jonkoping",
            "Jönköpings kommun",
            Intakt,
            Some("jonkoping"),
            s(1_787_700, 1_786_000, 2_238_400, 2_238_400, 2_238_400),
        ),
        bline(
            "mullsjo",
            "Mullsjö kommun",
            Intakt,
            Some("mullsjo"),
            s(92_600, 92_600, 116_000, 116_000, 116_000),
        ),
        bline(
            "vaggeryd",
            "Vaggeryds kommun",
            Intakt,
            Some("vaggeryd"),
            s(183_300, 183_100, 228_500, 228_500, 228_500),
        ),
        bline(
            "region",
            "Region Jönköpings län",
            Intakt,
            Some("region"),
            s(2_223_000, 2_223_000, 2_787_000, 2_787_000, 2_787_000),
        ),
        bline(
            "staten",
            "Staten gm Försäkringskassan",
            Intakt,
            Some("fk"),
            s(4_446_000, 4_446_000, 5_574_000, 5_574_000, 5_574_000),
        ),
        bline(
            "enter",
            "Enter",
            Verksamhet,
            None,
            s(2_819_000, 2_398_900, 3_197_000, 3_289_000, 3_343_000),
        ),
        bline(
            "nova",
            "NOVA - Stöd i förändring",
            Verksamhet,
            None,
            s(3_253_000, 3_617_000, 4_200_000, 5_063_000, 5_229_000),
        ),
        bline(
            "fia",
            "FIA",
            Verksamhet,
            None,
            s(621_000, 640_000, 698_000, 698_000, 698_000),
        ),
        bline(
            "it-sparet",
            "IT-spåret",
            Verksamhet,
            None,
            s(562_500, 562_500, 562_500, 562_500, 0),
        ),
        bline(
            "koll",
            "Metodutv Koll på förmåga",
            Verksamhet,
            None,
            s(460_000, 490_000, 490_000, 0, 0),
        ),
        bline(
            "projektgemensamt",
            "Projektgemensamt",
            Verksamhet,
            None,
            s(50_000, 61_300, 70_000, 75_000, 80_000),
        ),
        bline(
            "nya-projekt",
            "Tillgängligt nya projekt",
            Verksamhet,
            None,
            [Some(0), None, Some(0), Some(0), Some(75_000)],
        ),
        bline(
            "verksamhetsutvecklare",
            "Verksamhetsutvecklare",
            Verksamhet,
            None,
            s(800_000, 817_000, 849_000, 874_000, 908_000),
        ),
        bline(
            "kompetensutveckling",
            "Kompetensutveckling",
            Verksamhet,
            None,
            s(180_000, 180_000, 200_000, 200_000, 200_000),
        ),
        bline(
            "kansli",
            "Kansli",
            Administration,
            None,
            s(720_000, 850_000, 870_000, 890_000, 910_000),
        ),
        bline(
            "information",
            "Information",
            Administration,
            None,
            s(20_000, 20_000, 30_000, 30_000, 30_000),
        ),
        bline(
            "styrelse",
            "Styrelse",
            Administration,
            None,
            s(2_000, 6_000, 35_000, 35_000, 35_000),
        ),
        bline(
            "revision",
            "Revision",
            Administration,
            None,
            s(0, 0, 55_000, 60_000, 65_000),
        ),
        bline(
            "ekonomihantering",
            "Ekonomihantering",
            Administration,
            None,
            s(92_000, 95_000, 100_000, 103_000, 106_000),
        ),
    ];
    let file = YearFile {
        format: FORMAT.into(),
        year: 2024,
        members,
        people: vec![],
        organisation: Organisation::default(),
        insatser: vec![],
        coach_reports: vec![],
        survey_definitions: vec![],
        survey_results: vec![],
        accounts: None,
        delar: None,
        budget: Some(Budget {
            balanserat_resultat_budget_prev_ore: kr(1_999_710, 0),
            balanserat_resultat_prognos_prev_ore: kr(2_337_024, 0),
            lines,
            decided_on: chrono::NaiveDate::from_ymd_opt(2023, 11, 23),
        }),
        settings: Settings::default(),
        texts: BTreeMap::new(),
        meetings: vec![],
        inriktningar: vec![],
    };
    assert!(file.validate().is_empty(), "{:?}", file.validate());
    file
}

#[test]
fn kr_builds_ore() {
    assert_eq!(kr(117_311, 60), 11_731_160);
    assert_eq!(kr(-4, 0), -400);
    assert_eq!(Ore(kr(2_127_221, 20)).round_kronor(), 2_127_221);
}
