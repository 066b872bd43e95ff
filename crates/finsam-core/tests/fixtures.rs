//! The hand-made fixtures in `fixtures/` (see `fixtures/README.md`): each parses and validates, survives
//! a serialise round trip unchanged, and its figures hang together exactly in öre while rounding to what
//! the seed documents print. Sums are taken here, directly from the parsed data, on purpose: these tests
//! pin the data, not the finance code.

use chrono::NaiveDate;
use finsam_core::yearfile::{
    self, Accounts, BudgetLine, BudgetSection, CostClass, GenderCounts, Position, ReportPeriod,
    ReportStatus, SeatKind, Section, YearFile,
};
use finsam_core::{MemberKind, Ore};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

const HOGLANDET: &str = "hoglandet-2024.json";
const SODRA: &str = "sodra-vatterbygden-2024.json";
const SAMRAD: &str = "medlemssamrad-2024-02-23.json";

fn read(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load(name: &str) -> YearFile {
    match yearfile::parse(&read(name)) {
        Ok(file) => file,
        Err(problems) => {
            let list: Vec<String> = problems
                .iter()
                .map(|p| format!("  {}: {}", p.path, p.message))
                .collect();
            panic!(
                "{name} has {} problem(s):\n{}",
                problems.len(),
                list.join("\n")
            );
        }
    }
}

/// Whole kronor as printed: half away from zero.
fn kr(ore: i64) -> i64 {
    Ore(ore).round_kronor()
}

/// `n / d` rounded half away from zero (`d` > 0).
fn round_div(n: i64, d: i64) -> i64 {
    let q = (2 * n.abs() + d) / (2 * d);
    if n < 0 { -q } else { q }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The first place where two JSON values differ, for a readable failure.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()).collect::<BTreeSet<_>>() {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => {
                        if let Some(d) = first_difference(p, q, &format!("{at}.{k}")) {
                            return Some(d);
                        }
                    }
                    (p, q) => return Some(format!("{at}.{k}: {p:?} vs {q:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{at}: {} vs {} elements", x.len(), y.len()));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (p, q))| first_difference(p, q, &format!("{at}[{i}]")))
        }
        _ if a == b => None,
        _ => Some(format!("{at}: {a} vs {b}")),
    }
}

fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| {
            out.push(k.clone());
            strings(x, out)
        }),
        _ => {}
    }
}

#[test]
fn every_fixture_parses_validates_and_round_trips_unchanged() {
    for name in [HOGLANDET, SODRA, SAMRAD] {
        let file = load(name);
        let written: serde_json::Value = serde_json::from_slice(&read(name)).unwrap();
        let again = serde_json::to_value(&file).unwrap();
        if let Some(d) = first_difference(&again, &written, "") {
            panic!("{name} does not round-trip (serialised vs file): {d}");
        }
    }
}

#[test]
fn every_e_mail_address_in_the_fixtures_is_on_the_example_domain() {
    for name in [HOGLANDET, SODRA, SAMRAD] {
        let value: serde_json::Value = serde_json::from_slice(&read(name)).unwrap();
        let mut all = Vec::new();
        strings(&value, &mut all);
        for s in all.iter().filter(|s| s.contains('@')) {
            assert!(s.ends_with(".example"), "{name}: {s}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Höglandet 2024 (seed 004): the accounts.
// ---------------------------------------------------------------------------------------------

/// Note 2 and note 3 as printed (2024, 2023), by line key. "Övrig administration" is printed 162 017 in
/// note 3 because the note counts the 10 kr of finansiella kostnader in it; the line holds the rest.
const PRINTED_LINES: &[(&str, i64, i64)] = &[
    ("driftbidrag-fk", 4_018_000, 4_018_000),
    ("driftbidrag-region", 2_009_000, 2_009_000),
    ("bidrag-aneby", 119_350, 119_465),
    ("bidrag-nassjo", 558_250, 557_750),
    ("bidrag-savsjo", 205_150, 205_585),
    ("bidrag-eksjo", 313_000, 312_845),
    ("bidrag-tranas", 329_650, 329_330),
    ("bidrag-vetlanda", 483_600, 484_025),
    ("ovriga-intakter", 262_259, 0),
    ("oresutjamning", 0, -4),
    ("ranta", 140_622, 133_807),
    ("se-projekt", 3_975_750, 3_760_701),
    ("it-sparet", 562_500, 562_500),
    ("inspirationsdag", 97_637, 57_160),
    ("valfardsguiden", 50_400, 51_000),
    ("uppdrag-samverkan", 1_800_000, 1_735_511),
    ("psykiatriveckan", 0, 20_000),
    ("forrehabilitering", 81_667, 0),
    ("rakna-med-oss", 150_000, 0),
    ("styrelse", 49_628, 54_959),
    ("tjansteperson", 1_402_173, 1_184_685),
    ("ovrig-administration", 162_007, 133_260),
    ("revision", 62_251, 50_451),
    ("ekonomihantering", 108_704, 104_541),
    ("utbildning", 91_729, 31_148),
    ("finansiella-kostnader", 10, 0),
];

/// One year of the accounts, summed from the file. `prior` selects the comparative column.
#[derive(Debug, Clone, Copy)]
struct Year {
    intakter: i64,
    kostnader: i64,
    finansiella_intakter: i64,
    finansiella_kostnader: i64,
    fordringar: i64,
    kassa: i64,
    skulder: i64,
    ek_ingaende: i64,
}

impl Year {
    fn of(acc: &Accounts, prior: bool) -> Self {
        let amount = |ore: i64, p: Option<i64>| {
            if prior {
                p.expect("every line has a comparative")
            } else {
                ore
            }
        };
        let section = |s: Section| -> i64 {
            acc.resultat
                .iter()
                .filter(|l| l.section == s)
                .map(|l| amount(l.utfall_ore, l.prior_ore))
                .sum()
        };
        let items = |list: &[yearfile::BalanceItem]| -> i64 {
            list.iter().map(|i| amount(i.ore, i.prior_ore)).sum()
        };
        Year {
            intakter: section(Section::Intakt),
            kostnader: section(Section::Kostnad),
            finansiella_intakter: section(Section::FinansiellIntakt),
            finansiella_kostnader: section(Section::FinansiellKostnad),
            fordringar: items(&acc.fordringar),
            kassa: amount(acc.kassa_och_bank_ore, acc.kassa_och_bank_prior_ore),
            skulder: items(&acc.kortfristiga_skulder),
            ek_ingaende: amount(
                acc.eget_kapital_ingaende_ore,
                acc.eget_kapital_ingaende_prior_ore,
            ),
        }
    }
    fn resultat(&self) -> i64 {
        self.intakter - self.kostnader
    }
    fn arets_resultat(&self) -> i64 {
        self.resultat() + self.finansiella_intakter - self.finansiella_kostnader
    }
    fn ek_utgaende(&self) -> i64 {
        self.ek_ingaende + self.arets_resultat()
    }
    fn tillgangar(&self) -> i64 {
        self.fordringar + self.kassa
    }
}

fn hoglandet() -> (YearFile, Accounts, Year, Year) {
    let file = load(HOGLANDET);
    let acc = file.accounts.clone().expect("Höglandet has accounts");
    let now = Year::of(&acc, false);
    let prior = Year::of(&acc, true);
    (file, acc, now, prior)
}

#[test]
fn hoglandet_every_line_rounds_to_note_2_and_note_3() {
    let (_, acc, _, _) = hoglandet();
    let printed: BTreeMap<&str, (i64, i64)> =
        PRINTED_LINES.iter().map(|&(k, a, b)| (k, (a, b))).collect();
    assert_eq!(acc.resultat.len(), printed.len());
    for l in &acc.resultat {
        let (now, prior) = printed[l.key.as_str()];
        assert_eq!(kr(l.utfall_ore), now, "{} 2024", l.key);
        assert_eq!(kr(l.prior_ore.unwrap()), prior, "{} 2023", l.key);
        assert_eq!(
            l.budget_ore, None,
            "{}: the seed has no line budgets",
            l.key
        );
    }
    // Note 3 prints Övrig administration with the finansiella kostnader in it.
    let line = |k: &str| acc.resultat.iter().find(|l| l.key == k).unwrap();
    assert_eq!(
        kr(line("ovrig-administration").utfall_ore + line("finansiella-kostnader").utfall_ore),
        162_017
    );
    // Costs carry a class; contributions a member; the NNS sale offsets administration.
    for l in &acc.resultat {
        assert_eq!(
            l.class.is_some(),
            l.section == Section::Kostnad,
            "{}",
            l.key
        );
        let is_contribution = l.key.starts_with("bidrag-") || l.key.starts_with("driftbidrag-");
        assert_eq!(l.member.is_some(), is_contribution, "{}", l.key);
        assert_eq!(
            l.offsets_administration,
            l.key == "ovriga-intakter",
            "{}",
            l.key
        );
    }
}

#[test]
fn hoglandet_resultatrakning_and_notes_sum_to_the_printed_figures() {
    let (file, acc, now, prior) = hoglandet();
    // Resultaträkning 2024 and 2023.
    assert_eq!(kr(now.intakter), 8_298_260);
    assert_eq!(kr(now.kostnader), 8_594_446);
    assert_eq!(kr(now.resultat()), -296_186);
    assert_eq!(kr(now.finansiella_intakter), 140_622);
    assert_eq!(kr(now.finansiella_kostnader), 10);
    assert_eq!(kr(now.arets_resultat()), -155_574);
    assert_eq!(kr(prior.intakter), 8_035_996);
    assert_eq!(kr(prior.kostnader), 7_745_914);
    assert_eq!(kr(prior.resultat()), 290_082);
    assert_eq!(kr(prior.finansiella_intakter), 133_807);
    assert_eq!(kr(prior.finansiella_kostnader), 0);
    assert_eq!(kr(prior.arets_resultat()), 423_889);
    // Not 2 "Summa" and driftredovisningens "Intäkt": verksamhetens and finansiella intäkter.
    assert_eq!(kr(now.intakter + now.finansiella_intakter), 8_438_882);
    assert_eq!(kr(prior.intakter + prior.finansiella_intakter), 8_169_803);
    // Not 3 "Totalt" and driftredovisningens "Nettokostnad": all costs, the 10 kr included.
    assert_eq!(kr(now.kostnader + now.finansiella_kostnader), 8_594_456);
    assert_eq!(kr(prior.kostnader + prior.finansiella_kostnader), 7_745_914);
    // Driftredovisning: avvikelse nettokostnad against the printed budget.
    assert_eq!(
        8_574_637 - kr(now.kostnader + now.finansiella_kostnader),
        -19_819
    );
    // Balanskravsresultat.
    assert_eq!(
        kr(now.arets_resultat() - acc.realisationsvinster_ore),
        -155_574
    );
    // Five-year overview, 2024 column (tkr): intäkter include interest, kostnader the financial cost.
    assert_eq!(
        round_div(now.intakter + now.finansiella_intakter, 100_000),
        8_439
    );
    assert_eq!(
        round_div(now.kostnader + now.finansiella_kostnader, 100_000),
        8_594
    );
    // The seed prints −155 here, but −155 574 kr is −156 tkr rounded (every other cell rounds: 2023's
    // 423 889 is printed 424). Not something öre can fix; fixtures/README.md lists it.
    assert_eq!(round_div(now.arets_resultat(), 100_000), -156);
    // The 2023 history row is the 2023 comparative rounded to tkr.
    let years: Vec<i32> = acc.history.iter().map(|h| h.year).collect();
    assert_eq!(years, [2020, 2021, 2022, 2023]);
    let h23 = acc.history.iter().find(|h| h.year == 2023).unwrap();
    assert_eq!(
        h23.intakter_ore,
        round_div(prior.intakter + prior.finansiella_intakter, 100_000) * 100_000
    );
    assert_eq!(
        h23.kostnader_ore,
        round_div(prior.kostnader + prior.finansiella_kostnader, 100_000) * 100_000
    );
    assert_eq!(
        h23.arets_resultat_ore,
        round_div(prior.arets_resultat(), 100_000) * 100_000
    );
    assert_eq!(
        h23.soliditet_tenths,
        round_div(prior.ek_utgaende() * 100, prior.tillgangar()) * 10
    );
    for h in &acc.history {
        assert_eq!(
            h.intakter_ore - h.kostnader_ore,
            h.arets_resultat_ore,
            "{}",
            h.year
        );
    }
    assert_eq!(file.year, 2024);
}

#[test]
fn hoglandet_balance_sheet_holds_exactly_in_ore_and_rounds_to_print() {
    let (_, acc, now, prior) = hoglandet();
    // Identities, exact.
    assert_eq!(now.tillgangar(), now.ek_utgaende() + now.skulder);
    assert_eq!(prior.tillgangar(), prior.ek_utgaende() + prior.skulder);
    assert_eq!(
        prior.ek_utgaende(),
        now.ek_ingaende,
        "2023 utgående = 2024 ingående"
    );
    // Printed, 2024.
    assert_eq!(kr(now.fordringar), 117_312);
    assert_eq!(kr(now.kassa), 2_009_910);
    assert_eq!(kr(now.tillgangar()), 2_127_221);
    assert_eq!(kr(now.ek_ingaende), 1_639_471);
    assert_eq!(kr(now.ek_utgaende()), 1_483_897);
    assert_eq!(kr(now.skulder), 643_324);
    assert_eq!(kr(now.ek_utgaende() + now.skulder), 2_127_221);
    // Printed, 2023.
    assert_eq!(kr(prior.fordringar), 47_489);
    assert_eq!(kr(prior.kassa), 2_186_551);
    assert_eq!(kr(prior.tillgangar()), 2_234_040);
    assert_eq!(kr(prior.ek_ingaende), 1_215_582);
    assert_eq!(kr(prior.ek_utgaende()), 1_639_471);
    assert_eq!(kr(prior.skulder), 594_569);
    assert_eq!(kr(prior.ek_utgaende() + prior.skulder), 2_234_040);
    // Notes 4 and 5, item by item.
    let note4: &[(&str, i64, i64)] = &[
        ("kundfordringar", 42_000, 0),
        ("skattekonto", 11_620, 2_755),
        ("fordran-moms", 1_540, 28_628),
        ("forutbetalda-hyror", 6_392, 6_274),
        ("ovriga-interimsfordringar", 55_760, 9_832),
    ];
    let note5: &[(&str, i64, i64)] = &[
        ("leverantorsskulder", 387_513, 361_463),
        ("skatteskulder", 144_771, 180_313),
        ("personalskatt", 16_534, 15_520),
        ("avrakning-sociala-avgifter", 18_462, 17_198),
        ("upplupna-semesterloner", 35_949, 14_510),
        ("upplupna-sociala-avgifter", 11_295, 4_559),
        ("ovriga-interimsskulder", 28_800, 1_006),
    ];
    for (items, printed) in [(&acc.fordringar, note4), (&acc.kortfristiga_skulder, note5)] {
        assert_eq!(items.len(), printed.len());
        for (item, &(key, a, b)) in items.iter().zip(printed) {
            assert_eq!(item.key, key);
            assert_eq!(kr(item.ore), a, "{key} 2024");
            assert_eq!(kr(item.prior_ore.unwrap()), b, "{key} 2023");
        }
    }
    // Nyckeltal: soliditet 70 % (73 % the year before).
    assert_eq!(round_div(now.ek_utgaende() * 100, now.tillgangar()), 70);
    assert_eq!(round_div(prior.ek_utgaende() * 100, prior.tillgangar()), 73);
    assert_eq!(acc.anstallda_hundredths, 100);
    assert!(acc.investeringar.is_empty());
}

/// 2022 closing fordringar and skulder are not in the file (it holds one comparative year); these are
/// chosen so that the 2023 column of the kassaflödesanalys rounds right too. See fixtures/README.md.
const FORDRINGAR_2022_ORE: i64 = 6_699_000;
const SKULDER_2022_ORE: i64 = 82_469_880;

#[test]
fn hoglandet_kassaflodesanalys_holds_exactly_and_rounds_to_print() {
    let (_, _, now, prior) = hoglandet();
    let d_fordringar = now.fordringar - prior.fordringar;
    let d_skulder = now.skulder - prior.skulder;
    let flow = now.arets_resultat() - d_fordringar + d_skulder;
    assert_eq!(now.kassa - prior.kassa, flow, "kassa UB − IB = kassaflöde");
    assert_eq!(kr(-d_fordringar), -69_823);
    assert_eq!(kr(d_skulder), 48_756);
    assert_eq!(kr(flow), -176_641);
    // 2023 column, from the 2022 balances above.
    let d_fordringar = prior.fordringar - FORDRINGAR_2022_ORE;
    let d_skulder = prior.skulder - SKULDER_2022_ORE;
    let flow = prior.arets_resultat() - d_fordringar + d_skulder;
    assert_eq!(kr(-d_fordringar), 19_501);
    assert_eq!(kr(d_skulder), -230_130);
    assert_eq!(kr(flow), 213_260);
    assert_eq!(
        kr(prior.kassa - flow),
        1_973_291,
        "likvida medel 2023-01-01"
    );
}

#[test]
fn hoglandet_contributions_eget_kapital_and_administration_share() {
    let (file, acc, now, _) = hoglandet();
    let kind = |key: &str| file.members.iter().find(|m| m.key == key).unwrap().kind;
    let mut by_kind: BTreeMap<&str, i64> = BTreeMap::new();
    for l in acc.resultat.iter().filter(|l| l.member.is_some()) {
        *by_kind
            .entry(kind(l.member.as_deref().unwrap()).as_str())
            .or_default() += l.utfall_ore;
    }
    let contributions: i64 = by_kind.values().sum();
    assert_eq!(contributions, 803_600_000);
    assert_eq!(by_kind["forsakringskassan"], contributions / 2);
    assert_eq!(by_kind["region"], contributions / 4);
    assert_eq!(by_kind["kommun"], contributions / 4);
    assert_eq!(file.members.len(), 9);
    for m in file.members.iter().filter(|m| m.kind == MemberKind::Kommun) {
        assert!(m.population.contains_key(&2024), "{}", m.key);
    }
    // Eget kapital against the recommendation (marginal brackets): 1 555 400 allowed, 18,5 % used.
    let mut cap = 0;
    let mut lower = 0;
    for b in &file.settings.eget_kapital_brackets {
        let upper = b.up_to_ore.unwrap_or(i64::MAX).min(contributions);
        if upper > lower {
            cap += (upper - lower) * i64::from(b.percent_tenths) / 1000;
        }
        lower = upper;
    }
    assert_eq!(cap, 155_540_000);
    assert!(now.ek_utgaende() <= cap);
    assert_eq!(round_div(now.ek_utgaende() * 1000, contributions), 185);
    // Administration share, netting the NNS sale: 19 %.
    let admin: i64 = acc
        .resultat
        .iter()
        .filter(|l| l.class == Some(CostClass::Administration))
        .map(|l| l.utfall_ore)
        .sum();
    let offsets: i64 = acc
        .resultat
        .iter()
        .filter(|l| l.offsets_administration)
        .map(|l| l.utfall_ore)
        .sum();
    assert_eq!(kr(offsets), 262_259);
    assert_eq!(round_div((admin - offsets) * 100, now.kostnader), 19);
}

/// The invented half year (fixtures/README.md, "The delår"): the accounts' lines and items, its balance
/// at 30 June exact in öre, its opening balances the accounts' closing ones of 2023, and the sums the
/// delårsrapport prints.
#[test]
fn hoglandet_delar_holds_exactly_and_opens_where_2023_closed() {
    let (file, acc, now, prior) = hoglandet();
    let delar = file.delar.clone().expect("Höglandet has a delår");
    let shape = |a: &Accounts| -> Vec<(String, String, Section, Option<CostClass>)> {
        a.resultat
            .iter()
            .map(|l| (l.key.clone(), l.label.clone(), l.section, l.class))
            .collect()
    };
    assert_eq!(shape(&delar), shape(&acc), "the same lines as the year");
    assert!(
        delar
            .resultat
            .iter()
            .all(|l| l.prior_ore.is_some() && l.prognos_ore.is_some()),
        "every line has the same period of 2023 and a prognos"
    );
    assert!(acc.resultat.iter().all(|l| l.prognos_ore.is_none()));

    // Columns of the resultaträkning, summed from the lines.
    let column = |f: &dyn Fn(&yearfile::ResultLine) -> Option<i64>| -> [i64; 5] {
        let sum = |s: Section| -> i64 {
            delar
                .resultat
                .iter()
                .filter(|l| l.section == s)
                .filter_map(f)
                .sum()
        };
        let (vi, vk) = (sum(Section::Intakt), sum(Section::Kostnad));
        let (fi, fk) = (
            sum(Section::FinansiellIntakt),
            sum(Section::FinansiellKostnad),
        );
        [vi, vk, fi, fk, vi - vk + fi - fk]
    };
    let utfall = column(&|l| Some(l.utfall_ore));
    assert_eq!(utfall.map(kr), [4_083_565, 4_102_318, 61_204, 0, 42_451]);
    let prior_period = column(&|l| l.prior_ore);
    assert_eq!(
        prior_period.map(kr),
        [4_018_000, 3_882_957, 66_904, 0, 201_946]
    );
    // The budget is the seed's (8 319 334 and 8 574 637), spread over the lines.
    let budget = column(&|l| l.budget_ore);
    assert_eq!(budget, [831_933_400, 857_463_700, 0, 0, -25_530_300]);
    let prognos = column(&|l| l.prognos_ore);
    assert_eq!(
        prognos.map(kr),
        [8_298_000, 8_600_000, 130_000, 0, -172_000]
    );
    // Half the year's contributions are paid by 30 June, 50/25/25 like the year's.
    let contributions: i64 = delar
        .resultat
        .iter()
        .filter(|l| l.member.is_some())
        .map(|l| l.utfall_ore)
        .sum();
    assert_eq!(contributions * 2, 803_600_000);

    // The balances at 30 June hold exactly; their comparison is 2023-12-31, as in the accounts.
    let fordringar: i64 = delar.fordringar.iter().map(|i| i.ore).sum();
    let skulder: i64 = delar.kortfristiga_skulder.iter().map(|i| i.ore).sum();
    let ek = delar.eget_kapital_ingaende_ore + utfall[4];
    assert_eq!(fordringar + delar.kassa_och_bank_ore, ek + skulder);
    assert_eq!(
        [fordringar, delar.kassa_och_bank_ore, ek, skulder].map(kr),
        [95_118, 2_099_144, 1_681_922, 512_340]
    );
    assert_eq!(kr(fordringar + delar.kassa_och_bank_ore), 2_194_262);
    for (d, a) in [
        (&delar.fordringar, &acc.fordringar),
        (&delar.kortfristiga_skulder, &acc.kortfristiga_skulder),
    ] {
        let keys = |l: &[yearfile::BalanceItem]| -> Vec<(String, Option<i64>)> {
            l.iter().map(|i| (i.key.clone(), i.prior_ore)).collect()
        };
        assert_eq!(keys(d), keys(a), "opening items are 2023's closing ones");
    }
    assert_eq!(delar.kassa_och_bank_prior_ore, Some(prior.kassa));
    assert_eq!(delar.eget_kapital_ingaende_ore, now.ek_ingaende);
    assert_eq!(
        delar.eget_kapital_ingaende_prior_ore,
        Some(prior.ek_ingaende)
    );
    // Kassaflöde of the period: kassa 30 June − kassa 31 December.
    let flow = utfall[4] - (fordringar - prior.fordringar) + (skulder - prior.skulder);
    assert_eq!(delar.kassa_och_bank_ore - prior.kassa, flow);
    assert_eq!(kr(flow), -87_407);
}

#[test]
fn hoglandet_insats_outcomes_match_the_accounts() {
    let (file, acc, _, _) = hoglandet();
    for ins in &file.insatser {
        for y in &ins.years {
            let Some(utfall) = y.utfall_ore else { continue };
            let lines = acc
                .resultat
                .iter()
                .filter(|l| l.insats.as_deref() == Some(ins.key.as_str()));
            let booked: i64 = match y.year {
                2024 => lines.map(|l| l.utfall_ore).sum(),
                2023 => lines.map(|l| l.prior_ore.unwrap()).sum(),
                other => panic!("{}: unexpected year {other}", ins.key),
            };
            assert_eq!(utfall, booked, "{} {}", ins.key, y.year);
        }
    }
    for l in acc.resultat.iter().filter(|l| l.insats.is_some()) {
        assert!(
            file.insatser
                .iter()
                .any(|i| Some(&i.key) == l.insats.as_ref())
        );
    }
}

#[test]
fn hoglandet_se_reports_add_up_to_the_se_hoglandet_totals() {
    let (file, _, _, _) = hoglandet();
    let reports: Vec<_> = file
        .coach_reports
        .iter()
        .filter(|r| r.insats == "se-hoglandet" && r.year == 2024 && r.period == ReportPeriod::Helar)
        .collect();
    let kommuner: BTreeSet<_> = reports.iter().filter_map(|r| r.kommun.as_deref()).collect();
    assert_eq!(
        kommuner,
        BTreeSet::from(["aneby", "eksjo", "nassjo", "savsjo", "tranas", "vetlanda"])
    );
    assert_eq!(reports.len(), 6);
    let gc = |kvinnor, man| GenderCounts {
        kvinnor,
        man,
        uppgift_saknas: 0,
    };
    let sum = |f: &dyn Fn(&yearfile::CoachReport) -> GenderCounts| {
        reports
            .iter()
            .map(|r| f(r))
            .fold(GenderCounts::default(), |a, b| a + b)
    };
    assert_eq!(sum(&|r| r.participants), gc(95, 125));
    assert_eq!(sum(&|r| r.ended.arbete), gc(17, 23));
    assert_eq!(sum(&|r| r.ended.studier), gc(2, 0));
    assert_eq!(sum(&|r| r.ended.annat_skal), gc(13, 19));
    assert_eq!(sum(&|r| r.ended.total()), gc(32, 42));
    assert_eq!(sum(&|r| r.efterstod), gc(21, 25));
    assert_eq!(sum(&|r| r.new_participants).total(), 73);
    let to_work_or_studies: u32 = reports.iter().map(|r| r.ended.arbete_eller_studier()).sum();
    assert_eq!(to_work_or_studies, 42);
    for r in &reports {
        assert_eq!(r.status, ReportStatus::Approved);
        assert!(r.ended.total().total() <= r.participants.total());
        assert!(r.efterstod.total() <= r.participants.total());
        assert!(!r.answers.coaches.is_empty());
    }
    // Vetlanda keeps no efterstöd statistics (its report says so); Nässjö had up to 48 at once.
    let of = |k: &str| {
        *reports
            .iter()
            .find(|r| r.kommun.as_deref() == Some(k))
            .unwrap()
    };
    assert_eq!(of("vetlanda").efterstod.total(), 0);
    assert!(of("nassjo").participants.total() >= 48);
    // Socioekonomisk effekt: 42 × 16 200 kr × 12 = 8 164 800, against 3 975 750 in funding.
    let s = &file.settings;
    let per_month = s.socioekonomi_offentlig_forsorjning_ore
        + s.socioekonomi_administration_ore
        + s.socioekonomi_skatt_ore;
    let effect = i64::from(to_work_or_studies) * per_month * 12;
    assert_eq!(kr(effect), 8_164_800);
    let se = file
        .insatser
        .iter()
        .find(|i| i.key == "se-hoglandet")
        .unwrap();
    let funding = se
        .years
        .iter()
        .find(|y| y.year == 2024)
        .and_then(|y| y.utfall_ore)
        .unwrap();
    assert_eq!(kr(funding), 3_975_750);
    assert_eq!(kr(effect - funding), 4_189_050);
    assert_eq!(se.coaches.len(), 1);
}

#[test]
fn hoglandet_organisation_on_2024_12_31_and_the_signers() {
    let (file, _, _, _) = hoglandet();
    let org = &file.organisation;
    let end = day(2024, 12, 31);
    let on_end = |seats: &[yearfile::Seat], kind: SeatKind| -> BTreeMap<String, Vec<String>> {
        let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for s in seats.iter().filter(|s| s.seat == kind && s.holds_on(end)) {
            m.entry(s.member.clone())
                .or_default()
                .push(s.person.clone());
        }
        m
    };
    // Styrelse: one ordinarie and one ersättare per member at year end.
    for kind in [SeatKind::Ordinarie, SeatKind::Ersattare] {
        let seats = on_end(&org.styrelse, kind);
        assert_eq!(seats.len(), 9, "{kind:?}");
        assert!(seats.values().all(|p| p.len() == 1), "{kind:?}: {seats:?}");
    }
    let holder = |pos: Position| -> Vec<&str> {
        org.styrelse
            .iter()
            .filter(|s| s.position == Some(pos) && s.holds_on(end))
            .map(|s| s.person.as_str())
            .collect()
    };
    assert_eq!(holder(Position::Ordforande), ["sebastian-horlin"]);
    assert_eq!(holder(Position::ViceOrdforande), ["marianne-cederqvist"]);
    // Signed 2025-03-20 after the 2025 changes: the seven signers who sat in 2024 were ordinarie then.
    let ordinarie: BTreeSet<&str> = org
        .styrelse
        .iter()
        .filter(|s| s.seat == SeatKind::Ordinarie && s.holds_on(end))
        .map(|s| s.person.as_str())
        .collect();
    for signer in [
        "marianne-cederqvist",
        "andreas-appelberg",
        "lindha-hjalm",
        "annelie-andersson",
        "kerstin-hvirf",
        "sebastian-horlin",
        "carina-bardh",
    ] {
        assert!(ordinarie.contains(signer), "{signer}");
    }
    // Six styrelse seats changed in 2024 (Aneby, FK and AF ersättare).
    assert_eq!(
        org.styrelse
            .iter()
            .filter(|s| s.changed_during(2024))
            .count(),
        6
    );
    // Beredningsgrupp: "byte av sex ordinarie representanter … samt byte av en ersättare".
    let left = |kind: SeatKind| {
        org.beredningsgrupp
            .iter()
            .filter(|s| s.seat == kind && s.to.is_some_and(|t| t < end))
            .count()
    };
    assert_eq!(left(SeatKind::Ordinarie), 6);
    assert_eq!(left(SeatKind::Ersattare), 1);
    // Nässjö and Sävsjö ordinarie are vacant at year end, AF ersättare all year.
    let ord = on_end(&org.beredningsgrupp, SeatKind::Ordinarie);
    assert!(!ord.contains_key("nassjo") && !ord.contains_key("savsjo"));
    assert!(!on_end(&org.beredningsgrupp, SeatKind::Ersattare).contains_key("arbetsformedlingen"));
    assert_eq!(org.kansli.len(), 1);
    assert_eq!(org.kansli[0].share_percent, 100);
    assert!(org.beredningsgrupp.iter().all(|s| s.position.is_none()));
}

// ---------------------------------------------------------------------------------------------
// Södra Vätterbygden 2024 (seed 003): the budget.
// ---------------------------------------------------------------------------------------------

/// The five columns of a budget line: Budget 2023, Prognos 2023, Budget 2024, Plan 2025, Plan 2026.
fn columns(l: &BudgetLine) -> [i64; 5] {
    [
        l.budget_prev_ore.expect("Budget 2023"),
        l.prognos_prev_ore.expect("Prognos 2023"),
        l.budget_ore,
        l.plan1_ore,
        l.plan2_ore,
    ]
}

fn column_sums(lines: &[BudgetLine], section: BudgetSection) -> [i64; 5] {
    let mut s = [0; 5];
    for l in lines.iter().filter(|l| l.section == section) {
        for (acc, v) in s.iter_mut().zip(columns(l)) {
            *acc += v;
        }
    }
    s
}

fn kronor(values: [i64; 5]) -> [i64; 5] {
    values.map(|v| v * 100)
}

#[test]
fn sodra_vatterbygden_budget_columns_and_roll_forward() {
    let file = load(SODRA);
    let b = file.budget.as_ref().expect("a budget");
    assert_eq!(b.decided_on, Some(day(2023, 11, 23)));
    assert!(file.accounts.is_none());
    let intakter = column_sums(&b.lines, BudgetSection::Intakt);
    let verksamhet = column_sums(&b.lines, BudgetSection::Verksamhet);
    let administration = column_sums(&b.lines, BudgetSection::Administration);
    let kostnader: [i64; 5] = std::array::from_fn(|i| verksamhet[i] + administration[i]);
    // Balanserat resultat carried in: given for 2023's budget and prognos; then Budget 2024 carries
    // Prognos 2023's result, Plan 2025 Budget 2024's and Plan 2026 Plan 2025's.
    let mut carried = [0; 5];
    let mut result = [0; 5];
    for i in 0..5 {
        carried[i] = match i {
            0 => b.balanserat_resultat_budget_prev_ore,
            1 => b.balanserat_resultat_prognos_prev_ore,
            _ => result[i - 1],
        };
        result[i] = intakter[i] + carried[i] - kostnader[i];
    }
    assert_eq!(
        carried,
        kronor([1_999_710, 2_337_024, 1_491_324, 1_282_824, 551_324])
    );
    let summa_intakter: [i64; 5] = std::array::from_fn(|i| intakter[i] + carried[i]);
    assert_eq!(
        summa_intakter,
        kronor([10_891_710, 11_229_024, 12_639_324, 12_430_824, 11_699_324])
    );
    assert_eq!(
        verksamhet,
        kronor([8_745_500, 8_766_700, 10_266_500, 10_761_500, 10_533_000])
    );
    assert_eq!(
        administration,
        kronor([834_000, 971_000, 1_090_000, 1_118_000, 1_146_000])
    );
    assert_eq!(
        kostnader,
        kronor([9_579_500, 9_737_700, 11_356_500, 11_879_500, 11_679_000])
    );
    assert_eq!(
        result,
        kronor([1_312_210, 1_491_324, 1_282_824, 551_324, 20_324])
    );
    // Administration share of the 2024 budget: 9,6 %.
    assert_eq!(round_div(administration[2] * 1000, kostnader[2]), 96);
    // Every contribution line names its member; every insats line its insats.
    for l in &b.lines {
        assert_eq!(
            l.member.is_some(),
            l.section == BudgetSection::Intakt,
            "{}",
            l.key
        );
        if let Some(k) = &l.insats {
            assert!(file.insatser.iter().any(|i| &i.key == k), "{k}");
        }
    }
    assert_eq!(file.insatser.len(), 5);
}

/// Splits `units` by `weights` by largest remainder; ties go to the earlier entry.
fn largest_remainder(units: i64, weights: &[i64]) -> Vec<i64> {
    let total: i64 = weights.iter().sum();
    let mut parts: Vec<i64> = weights.iter().map(|w| units * w / total).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(units * weights[i] % total), i));
    let left = units - parts.iter().sum::<i64>();
    for &i in order.iter().take(left as usize) {
        parts[i] += 1;
    }
    parts
}

#[test]
fn sodra_vatterbygden_kommun_quarter_is_the_population_split_in_hundreds() {
    let file = load(SODRA);
    let b = file.budget.as_ref().unwrap();
    let kind = |key: &str| file.members.iter().find(|m| m.key == key).unwrap().kind;
    let contributions: Vec<_> = b.lines.iter().filter(|l| l.member.is_some()).collect();
    let of_kind = |k: MemberKind| -> i64 {
        contributions
            .iter()
            .filter(|l| kind(l.member.as_deref().unwrap()) == k)
            .map(|l| l.budget_ore)
            .sum()
    };
    let state = of_kind(MemberKind::Forsakringskassan) + of_kind(MemberKind::Arbetsformedlingen);
    assert_eq!(state, 557_400_000);
    assert_eq!(of_kind(MemberKind::Region), state / 2);
    let quarter = of_kind(MemberKind::Kommun);
    assert_eq!(quarter, state / 2);
    // Split the quarter into whole hundreds of kronor by population 2024.
    let kommuner: Vec<_> = file
        .members
        .iter()
        .filter(|m| m.kind == MemberKind::Kommun)
        .collect();
    let weights: Vec<i64> = kommuner
        .iter()
        .map(|m| i64::from(m.population[&2024]))
        .collect();
    let split = largest_remainder(quarter / 10_000, &weights);
    let budgeted: Vec<i64> = kommuner
        .iter()
        .map(|m| {
            contributions
                .iter()
                .find(|l| l.member.as_deref() == Some(m.key.as_str()))
                .unwrap()
                .budget_ore
        })
        .collect();
    assert_eq!(
        split.iter().map(|h| h * 10_000).collect::<Vec<_>>(),
        budgeted
    );
    assert_eq!(
        budgeted,
        [20_410_000, 223_840_000, 11_600_000, 22_850_000],
        "Habo, Jönköping, Mullsjö, Vaggeryd"
    );
}

// ---------------------------------------------------------------------------------------------
// Medlemssamråd 2024-02-23 (seed 002).
// ---------------------------------------------------------------------------------------------

#[test]
fn medlemssamrad_minutes_items_and_signers() {
    let file = load(SAMRAD);
    assert_eq!(file.meetings.len(), 1);
    let m = &file.meetings[0];
    assert_eq!(m.key, "medlemssamrad-2024-02-23");
    assert_eq!(m.date, day(2024, 2, 23));
    assert_eq!(m.place, "Vrigstad vårdshus");
    assert_eq!(m.deltagare.len(), 22);
    assert_eq!(m.bilagor.len(), 3);
    let numbers: Vec<&str> = m.items.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(
        numbers,
        ["1", "2", "3", "4", "5", "6", "7", "7a", "7b", "8", "9"]
    );
    assert_eq!(m.items[1].title, "Val av justerare");
    let decided: Vec<&str> = m
        .items
        .iter()
        .filter(|i| i.beslut.is_some())
        .map(|i| i.number.as_str())
        .collect();
    assert_eq!(decided, ["2", "6", "8"]);
    assert_eq!(m.motesordforande.as_deref(), Some("johanna-buchalle"));
    assert_eq!(m.sekreterare.as_deref(), Some("linda-johansson"));
    assert_eq!(m.justerare, ["therese-petersson", "joakim-dahlstrom"]);
    // Every signer is a person with an address, a title and an organisation, and took part.
    for key in m
        .justerare
        .iter()
        .chain(m.motesordforande.iter())
        .chain(m.sekreterare.iter())
    {
        let p = file.people.iter().find(|p| &p.key == key).unwrap();
        assert!(p.email.is_some() && p.title.is_some() && p.organisation.is_some());
        assert!(m.deltagare.contains(&p.name), "{}", p.name);
    }
}
