//! Nyckeltal: soliditet, balanskravsresultat, medlemsbidrag and their split, the eget kapital cap,
//! the administration share and the shares per cost class; and [`KeyFigures`], all of it for the API.

use super::{Check, SocioekonomiskEffekt, apply_tenths, cash_flow, checks, statements, tenths};
use super::{socioekonomisk_effekt, tenths_to_percent};
use crate::MemberKind;
use crate::money::Ore;
use crate::yearfile::{
    Accounts, CostClass, EkReading, Member, ResultLine, Section, Settings, YearFile,
};
use serde::Serialize;

/// Soliditet: utgående eget kapital / summa tillgångar, in tenths (698 for 69,8 %); `None` without
/// assets.
pub fn soliditet_tenths(accounts: &Accounts) -> Option<i64> {
    let b = statements(accounts).balans;
    tenths(b.eget_kapital_utgaende, b.summa_tillgangar)
}

/// Balanskravsresultat: årets resultat − realisationsvinster.
pub fn balanskravsresultat(accounts: &Accounts) -> Ore {
    statements(accounts).resultat.arets_resultat - Ore(accounts.realisationsvinster_ore)
}

/// Medlemsbidrag: the sum of the intäkt lines that name a paying member.
pub fn medlemsbidrag(accounts: &Accounts) -> Ore {
    accounts
        .resultat
        .iter()
        .filter(|l| l.section == Section::Intakt && l.member.is_some())
        .map(|l| Ore(l.utfall_ore))
        .sum()
}

/// The members' contributions grouped as the law splits them: the state (Försäkringskassan and
/// Arbetsförmedlingen members), the region and the kommuner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FundingSplit {
    pub total: Ore,
    pub staten: Ore,
    pub region: Ore,
    pub kommuner: Ore,
    /// Contributions whose member is not in the file's member list (a file that validates has none).
    pub okand: Ore,
    /// Shares of the total in tenths; `None` when the total is zero.
    pub staten_tenths: Option<i64>,
    pub region_tenths: Option<i64>,
    pub kommuner_tenths: Option<i64>,
}

/// How far a [`FundingSplit`] is from 50/25/25.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitAccuracy {
    /// Exactly 50 %, 25 % and 25 % in öre.
    Exact,
    /// Each group within one krona of its share (rounding).
    WithinOneKrona,
    Off,
}

impl FundingSplit {
    /// Groups `(member key, amount)` contributions by the kind of member.
    pub fn new(members: &[Member], contributions: impl IntoIterator<Item = (String, Ore)>) -> Self {
        let (mut staten, mut region, mut kommuner, mut okand) = (0i64, 0i64, 0i64, 0i64);
        for (key, ore) in contributions {
            match members.iter().find(|m| m.key == key).map(|m| m.kind) {
                Some(MemberKind::Forsakringskassan | MemberKind::Arbetsformedlingen) => {
                    staten += ore.0
                }
                Some(MemberKind::Region) => region += ore.0,
                Some(MemberKind::Kommun) => kommuner += ore.0,
                None => okand += ore.0,
            }
        }
        let total = Ore(staten + region + kommuner + okand);
        Self {
            total,
            staten: Ore(staten),
            region: Ore(region),
            kommuner: Ore(kommuner),
            okand: Ore(okand),
            staten_tenths: tenths(Ore(staten), total),
            region_tenths: tenths(Ore(region), total),
            kommuner_tenths: tenths(Ore(kommuner), total),
        }
    }

    /// The year's medlemsbidrag from the accounts, grouped.
    pub fn from_accounts(members: &[Member], accounts: &Accounts) -> Self {
        Self::new(
            members,
            accounts
                .resultat
                .iter()
                .filter(|l| l.section == Section::Intakt)
                .filter_map(|l| Some((l.member.clone()?, Ore(l.utfall_ore)))),
        )
    }

    /// Whether the state pays half and the region and the kommuner a quarter each.
    pub fn accuracy(&self) -> SplitAccuracy {
        let t = i128::from(self.total.0);
        // Deviations scaled to the whole: 2 × staten − total is twice staten's deviation, and so on.
        let dev = [
            (2 * i128::from(self.staten.0) - t, 2),
            (4 * i128::from(self.region.0) - t, 4),
            (4 * i128::from(self.kommuner.0) - t, 4),
        ];
        if self.okand.0 == 0 && dev.iter().all(|(d, _)| *d == 0) {
            SplitAccuracy::Exact
        } else if self.okand.0 == 0 && dev.iter().all(|(d, k)| d.abs() <= 100 * k) {
            SplitAccuracy::WithinOneKrona
        } else {
            SplitAccuracy::Off
        }
    }
}

/// The most eget kapital the national recommendation allows for `contributions`, from the
/// brackets in `settings` (see [`EkReading`]). Negative contributions allow nothing.
pub fn eget_kapital_cap(contributions: Ore, settings: &Settings) -> Ore {
    let c = contributions.0.max(0);
    match settings.eget_kapital_reading {
        EkReading::Marginal => {
            let mut lower = 0i64;
            let mut cap = Ore(0);
            for b in &settings.eget_kapital_brackets {
                let upper = b.up_to_ore.unwrap_or(i64::MAX);
                if upper <= lower {
                    continue; // out of order: validation refuses it; count nothing twice
                }
                if c > lower {
                    let part = c.min(upper) - lower;
                    cap = cap + apply_tenths(Ore(part), i64::from(b.percent_tenths));
                }
                lower = upper;
            }
            cap
        }
        EkReading::Whole => settings
            .eget_kapital_brackets
            .iter()
            .find(|b| b.up_to_ore.is_none_or(|u| c <= u))
            .or(settings.eget_kapital_brackets.last())
            .map_or(Ore(0), |b| {
                apply_tenths(Ore(c), i64::from(b.percent_tenths))
            }),
    }
}

/// The administration share: administration costs, less the income that pays for administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AdministrationShare {
    /// Costs classed as administration.
    pub administration: Ore,
    /// Income lines marked `offsets_administration`.
    pub avraknade_intakter: Ore,
    /// Administration − avräknade intäkter.
    pub netto: Ore,
    /// Verksamhetens kostnader.
    pub kostnader: Ore,
    /// Netto / kostnader in tenths; `None` without costs.
    pub tenths: Option<i64>,
}

/// The administration share of the year's verksamhetens kostnader.
pub fn administration_share(accounts: &Accounts) -> AdministrationShare {
    administration_share_of(&accounts.resultat, |l| l.utfall_ore)
}

fn administration_share_of(
    lines: &[ResultLine],
    amount: impl Fn(&ResultLine) -> i64,
) -> AdministrationShare {
    let sum = |f: &dyn Fn(&ResultLine) -> bool| -> Ore {
        Ore(lines.iter().filter(|l| f(l)).map(&amount).sum())
    };
    let administration =
        sum(&|l| l.section == Section::Kostnad && l.class == Some(CostClass::Administration));
    let avraknade = sum(&|l| l.section == Section::Intakt && l.offsets_administration);
    let kostnader = sum(&|l| l.section == Section::Kostnad);
    let netto = administration - avraknade;
    AdministrationShare {
        administration,
        avraknade_intakter: avraknade,
        netto,
        kostnader,
        tenths: tenths(netto, kostnader),
    }
}

/// The cost classes in the order the förbund report them.
pub const COST_CLASSES: [CostClass; 4] = [
    CostClass::Individinriktad,
    CostClass::Strukturovergripande,
    CostClass::Administration,
    CostClass::NyVerksamhet,
];

/// One cost class's part of the verksamhetens kostnader (gross: nothing is netted here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClassShare {
    pub class: CostClass,
    pub amount: Ore,
    /// Of verksamhetens kostnader, in tenths; `None` without costs. Rounded each on its own, so the
    /// four need not add up to exactly 100,0 %.
    pub tenths: Option<i64>,
}

/// The shares of the four cost classes, in [`COST_CLASSES`] order. Unclassified costs count in the
/// total but in no class (the `costs_classified` check names them).
pub fn class_shares(accounts: &Accounts) -> [ClassShare; 4] {
    let costs = || {
        accounts
            .resultat
            .iter()
            .filter(|l| l.section == Section::Kostnad)
    };
    let total = Ore(costs().map(|l| l.utfall_ore).sum());
    COST_CLASSES.map(|class| {
        let amount = Ore(costs()
            .filter(|l| l.class == Some(class))
            .map(|l| l.utfall_ore)
            .sum());
        ClassShare {
            class,
            amount,
            tenths: tenths(amount, total),
        }
    })
}

/// The key figures of a year, as the API returns them. Amounts are öre; percentages have one decimal.
/// A year without accounts has zeros here and failing checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyFigures {
    pub arets_resultat_ore: i64,
    pub utgaende_eget_kapital_ore: i64,
    pub summa_tillgangar_ore: i64,
    /// 0.0 without assets.
    pub soliditet_procent: f64,
    /// 0 without the opening likvida medel (the `kassaflode` check says so).
    pub arets_kassaflode_ore: i64,
    pub medlemsbidrag_ore: i64,
    /// 0.0 without contributions.
    pub eget_kapital_andel_av_medlemsbidrag_procent: f64,
    pub eget_kapital_tak_ore: i64,
    pub eget_kapital_over_tak: bool,
    /// Netted administration / verksamhetens kostnader; 0.0 without costs.
    pub administration_andel_procent: f64,
    pub checks: Vec<Check>,
    pub socioekonomisk_effekt: Vec<SocioekonomiskEffekt>,
}

impl KeyFigures {
    pub fn from_year_file(file: &YearFile) -> Self {
        let percent = |t: Option<i64>| t.map_or(0.0, tenths_to_percent);
        let checks = checks(file);
        let socioekonomisk_effekt = socioekonomisk_effekt(file, file.year);
        let Some(acc) = &file.accounts else {
            return Self {
                arets_resultat_ore: 0,
                utgaende_eget_kapital_ore: 0,
                summa_tillgangar_ore: 0,
                soliditet_procent: 0.0,
                arets_kassaflode_ore: 0,
                medlemsbidrag_ore: 0,
                eget_kapital_andel_av_medlemsbidrag_procent: 0.0,
                eget_kapital_tak_ore: 0,
                eget_kapital_over_tak: false,
                administration_andel_procent: 0.0,
                checks,
                socioekonomisk_effekt,
            };
        };
        let s = statements(acc);
        let ek = s.balans.eget_kapital_utgaende;
        let bidrag = medlemsbidrag(acc);
        let tak = eget_kapital_cap(bidrag, &file.settings);
        Self {
            arets_resultat_ore: s.resultat.arets_resultat.0,
            utgaende_eget_kapital_ore: ek.0,
            summa_tillgangar_ore: s.balans.summa_tillgangar.0,
            soliditet_procent: percent(tenths(ek, s.balans.summa_tillgangar)),
            arets_kassaflode_ore: cash_flow(acc).map_or(0, |c| c.arets_kassaflode.0),
            medlemsbidrag_ore: bidrag.0,
            eget_kapital_andel_av_medlemsbidrag_procent: percent(tenths(ek, bidrag)),
            eget_kapital_tak_ore: tak.0,
            eget_kapital_over_tak: ek > tak,
            administration_andel_procent: percent(administration_share(acc).tenths),
            checks,
            socioekonomisk_effekt,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::fixtures::{hoglandet_2024, hoglandet_2024_accounts, kr};
    use crate::yearfile::EkBracket;

    #[test]
    fn hoglandet_2024_key_figures() {
        let a = hoglandet_2024_accounts();
        assert_eq!(soliditet_tenths(&a), Some(698));
        assert_eq!(balanskravsresultat(&a), Ore(kr(-155_574, 0)));
        assert_eq!(medlemsbidrag(&a), Ore(kr(8_036_000, 0)));
        let settings = Settings::default();
        assert_eq!(
            eget_kapital_cap(medlemsbidrag(&a), &settings),
            Ore(kr(1_555_400, 0))
        );
        let ek = statements(&a).balans.eget_kapital_utgaende;
        assert_eq!(tenths(ek, medlemsbidrag(&a)), Some(185));
    }

    #[test]
    fn hoglandet_2024_administration_share_nets_the_nns_income() {
        let s = administration_share(&hoglandet_2024_accounts());
        // Note 3's administration lines, with the 10 kr of finansiella kostnader out of övrig administration.
        assert_eq!(s.administration, Ore(kr(1_876_492, 0)));
        assert_eq!(s.avraknade_intakter, Ore(kr(262_259, 45)));
        assert_eq!(s.netto, Ore(kr(1_614_232, 55)));
        assert_eq!(s.kostnader, Ore(kr(8_594_446, 0)));
        // 1 614 232,55 / 8 594 446 = 18,78 %: the seed's "19 %".
        assert_eq!(s.tenths, Some(188));
        // Gross, without netting: 21,8 %.
        assert_eq!(tenths(s.administration, s.kostnader), Some(218));
    }

    #[test]
    fn hoglandet_2024_class_shares() {
        let shares = class_shares(&hoglandet_2024_accounts());
        let got: Vec<_> = shares
            .iter()
            .map(|s| (s.class, s.amount.round_kronor(), s.tenths))
            .collect();
        assert_eq!(
            got,
            [
                (CostClass::Individinriktad, 4_538_250, Some(528)),
                (CostClass::Strukturovergripande, 1_948_037, Some(227)),
                (CostClass::Administration, 1_876_492, Some(218)),
                (CostClass::NyVerksamhet, 231_667, Some(27)),
            ]
        );
    }

    #[test]
    fn hoglandet_2024_contributions_split_exactly() {
        let f = hoglandet_2024();
        let s = FundingSplit::from_accounts(&f.members, f.accounts.as_ref().unwrap());
        assert_eq!(s.total, Ore(kr(8_036_000, 0)));
        assert_eq!(s.staten, Ore(kr(4_018_000, 0)));
        assert_eq!(s.region, Ore(kr(2_009_000, 0)));
        assert_eq!(s.kommuner, Ore(kr(2_009_000, 0)));
        assert_eq!(
            (s.staten_tenths, s.region_tenths, s.kommuner_tenths),
            (Some(500), Some(250), Some(250))
        );
        assert_eq!(s.accuracy(), SplitAccuracy::Exact);

        let off_by = |ore: i64| {
            let mut s = s;
            s.kommuner = Ore(s.kommuner.0 + ore);
            s.total = Ore(s.total.0 + ore);
            s.accuracy()
        };
        // One krona more for the kommuner moves each share by less than a krona.
        assert_eq!(off_by(100), SplitAccuracy::WithinOneKrona);
        assert_eq!(off_by(-100), SplitAccuracy::WithinOneKrona);
        assert_eq!(off_by(10_000), SplitAccuracy::Off);
    }

    #[test]
    fn the_cap_reads_the_brackets_marginally_or_whole() {
        let mut s = Settings::default();
        let cap = |s: &Settings, kr_: i64| eget_kapital_cap(Ore(kr(kr_, 0)), s).round_kronor();
        assert_eq!(cap(&s, 0), 0);
        assert_eq!(cap(&s, -5), 0);
        assert_eq!(cap(&s, 5_000_000), 1_000_000);
        assert_eq!(cap(&s, 7_000_000), 1_400_000);
        assert_eq!(cap(&s, 8_036_000), 1_555_400);
        assert_eq!(cap(&s, 15_000_000), 2_600_000);
        assert_eq!(cap(&s, 20_000_000), 3_100_000);
        s.eget_kapital_reading = EkReading::Whole;
        assert_eq!(cap(&s, 7_000_000), 1_400_000);
        assert_eq!(cap(&s, 8_036_000), 1_205_400);
        assert_eq!(cap(&s, 15_000_000), 2_250_000);
        assert_eq!(cap(&s, 20_000_000), 2_000_000);
        // A single open bracket, and brackets with an upper limit only (validation refuses these,
        // but the rule must not panic or invent money).
        s.eget_kapital_brackets = vec![EkBracket {
            up_to_ore: None,
            percent_tenths: 200,
        }];
        assert_eq!(cap(&s, 8_036_000), 1_607_200);
        s.eget_kapital_reading = EkReading::Marginal;
        assert_eq!(cap(&s, 8_036_000), 1_607_200);
        s.eget_kapital_brackets = vec![EkBracket {
            up_to_ore: Some(kr(1_000, 0)),
            percent_tenths: 100,
        }];
        assert_eq!(cap(&s, 5_000), 100);
        s.eget_kapital_reading = EkReading::Whole;
        assert_eq!(cap(&s, 5_000), 500);
        s.eget_kapital_brackets.clear();
        assert_eq!(cap(&s, 5_000), 0);
    }

    #[test]
    fn key_figures_for_the_api() {
        let k = KeyFigures::from_year_file(&hoglandet_2024());
        assert_eq!(Ore(k.arets_resultat_ore).round_kronor(), -155_574);
        assert_eq!(Ore(k.utgaende_eget_kapital_ore).round_kronor(), 1_483_897);
        assert_eq!(Ore(k.summa_tillgangar_ore).round_kronor(), 2_127_221);
        assert_eq!(Ore(k.arets_kassaflode_ore).round_kronor(), -176_641);
        assert_eq!(k.soliditet_procent, 69.8);
        assert_eq!(k.medlemsbidrag_ore, kr(8_036_000, 0));
        assert_eq!(k.eget_kapital_andel_av_medlemsbidrag_procent, 18.5);
        assert_eq!(k.eget_kapital_tak_ore, kr(1_555_400, 0));
        assert!(!k.eget_kapital_over_tak);
        assert_eq!(k.administration_andel_procent, 18.8);
        assert!(k.checks.iter().all(|c| c.ok), "{:#?}", k.checks);
        let v = serde_json::to_value(&k).unwrap();
        let mut keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "administration_andel_procent",
                "arets_kassaflode_ore",
                "arets_resultat_ore",
                "checks",
                "eget_kapital_andel_av_medlemsbidrag_procent",
                "eget_kapital_over_tak",
                "eget_kapital_tak_ore",
                "medlemsbidrag_ore",
                "socioekonomisk_effekt",
                "soliditet_procent",
                "summa_tillgangar_ore",
                "utgaende_eget_kapital_ore",
            ]
        );
        assert_eq!(v["soliditet_procent"], serde_json::json!(69.8));
        assert_eq!(
            v["checks"][0],
            serde_json::json!({"code": "balance", "ok": true,
                "message": "Tillgångarna (2 127 221) är lika stora som eget kapital och skulder (2 127 221)."})
        );
        assert_eq!(
            v["socioekonomisk_effekt"][1],
            serde_json::json!({"insats": "SE-Höglandet", "till_arbete_eller_studier": 42,
                "effekt_ore": 816_480_000, "medel_ore": 397_575_000, "differens_ore": 418_905_000})
        );
    }

    #[test]
    fn key_figures_without_accounts_are_zero_and_say_why() {
        let mut f = hoglandet_2024();
        f.accounts = None;
        let k = KeyFigures::from_year_file(&f);
        assert_eq!(k.summa_tillgangar_ore, 0);
        assert_eq!(k.soliditet_procent, 0.0);
        assert!(
            k.checks
                .iter()
                .any(|c| !c.ok && c.message == "Räkenskaperna för året saknas.")
        );
    }
}
