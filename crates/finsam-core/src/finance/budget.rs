//! The budget's five columns (Budget N−1, Prognos N−1, Budget N, Plan N+1, Plan N+2) and their
//! roll-forward: each column's prel. balanserat resultat is what the next column carries in.

use super::key_figures::FundingSplit;
use super::{tenths, tenths_to_percent};
use crate::MemberKind;
use crate::money::Ore;
use crate::yearfile::{Budget, BudgetLine, BudgetSection, Member, YearFile};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetColumnKind {
    /// Budget N−1, as decided a year ago.
    BudgetPrev,
    /// Prognos N−1, the current forecast for last year.
    PrognosPrev,
    /// Budget N, the year the budget is for.
    Budget,
    /// Plan N+1.
    Plan1,
    /// Plan N+2.
    Plan2,
}

impl BudgetColumnKind {
    pub const ALL: [Self; 5] = [
        Self::BudgetPrev,
        Self::PrognosPrev,
        Self::Budget,
        Self::Plan1,
        Self::Plan2,
    ];

    /// The year of the column, for a budget for `year`.
    pub fn year(self, year: i32) -> i32 {
        match self {
            Self::BudgetPrev | Self::PrognosPrev => year - 1,
            Self::Budget => year,
            Self::Plan1 => year + 1,
            Self::Plan2 => year + 2,
        }
    }

    /// The column heading: "Budget 2023", "Prognos 2023", "Budget 2024", "Plan 2025", "Plan 2026".
    pub fn label(self, year: i32) -> String {
        let word = match self {
            Self::BudgetPrev | Self::Budget => "Budget",
            Self::PrognosPrev => "Prognos",
            Self::Plan1 | Self::Plan2 => "Plan",
        };
        format!("{word} {}", self.year(year))
    }

    /// The line's amount in this column (a blank is 0).
    pub fn amount(self, line: &BudgetLine) -> Ore {
        Ore(match self {
            Self::BudgetPrev => line.budget_prev_ore.unwrap_or(0),
            Self::PrognosPrev => line.prognos_prev_ore.unwrap_or(0),
            Self::Budget => line.budget_ore,
            Self::Plan1 => line.plan1_ore,
            Self::Plan2 => line.plan2_ore,
        })
    }
}

/// One member's contribution in a column (all its contribution lines together).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberContribution {
    /// The member's key.
    pub member: String,
    /// The member's name (the key when the member is not in the file).
    pub name: String,
    pub kind: Option<MemberKind>,
    pub amount: Ore,
}

/// One column of the budget, rolled forward.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetColumn {
    pub kind: BudgetColumnKind,
    pub year: i32,
    /// "Budget 2024" and so on.
    pub label: String,
    /// Intäkt lines with a paying member.
    pub medlemsbidrag: Ore,
    /// Intäkt lines without a member.
    pub ovriga_intakter: Ore,
    /// The balanserat resultat carried in: given for Budget N−1 and Prognos N−1, the column
    /// before's prel. balanserat resultat from Budget N on (Budget N carries Prognos N−1's).
    pub balanserat_resultat_in: Ore,
    /// Medlemsbidrag + övriga intäkter + balanserat resultat.
    pub summa_intakter: Ore,
    /// Delsumma verksamhet.
    pub verksamhet: Ore,
    /// Delsumma administration.
    pub administration: Ore,
    pub summa_kostnader: Ore,
    /// Summa intäkter − summa kostnader.
    pub prel_balanserat_resultat: Ore,
    /// Administration / summa kostnader, in tenths; `None` without costs.
    pub administration_tenths: Option<i64>,
    /// Per member, in the order the budget lists them.
    pub per_member: Vec<MemberContribution>,
    /// The contributions as the law splits them.
    pub funding: FundingSplit,
}

/// The five columns of `budget` (a budget for `year`), rolled forward.
pub fn budget_columns(budget: &Budget, members: &[Member], year: i32) -> [BudgetColumn; 5] {
    let mut member_keys: Vec<&str> = Vec::new();
    for l in &budget.lines {
        if let Some(m) = l.member.as_deref()
            && l.section == BudgetSection::Intakt
            && !member_keys.contains(&m)
        {
            member_keys.push(m);
        }
    }
    let mut carried = Ore(0);
    BudgetColumnKind::ALL.map(|kind| {
        let sum = |f: &dyn Fn(&BudgetLine) -> bool| -> Ore {
            budget
                .lines
                .iter()
                .filter(|l| f(l))
                .map(|l| kind.amount(l))
                .sum()
        };
        let medlemsbidrag = sum(&|l| l.section == BudgetSection::Intakt && l.member.is_some());
        let ovriga = sum(&|l| l.section == BudgetSection::Intakt && l.member.is_none());
        let verksamhet = sum(&|l| l.section == BudgetSection::Verksamhet);
        let administration = sum(&|l| l.section == BudgetSection::Administration);
        let balanserat_in = match kind {
            BudgetColumnKind::BudgetPrev => Ore(budget.balanserat_resultat_budget_prev_ore),
            BudgetColumnKind::PrognosPrev => Ore(budget.balanserat_resultat_prognos_prev_ore),
            _ => carried,
        };
        let summa_intakter = medlemsbidrag + ovriga + balanserat_in;
        let summa_kostnader = verksamhet + administration;
        let prel = summa_intakter - summa_kostnader;
        carried = prel;
        let per_member: Vec<MemberContribution> = member_keys
            .iter()
            .map(|&key| {
                let m = members.iter().find(|m| m.key == key);
                MemberContribution {
                    member: key.to_owned(),
                    name: m.map_or_else(|| key.to_owned(), |m| m.name.clone()),
                    kind: m.map(|m| m.kind),
                    amount: sum(&|l| {
                        l.section == BudgetSection::Intakt && l.member.as_deref() == Some(key)
                    }),
                }
            })
            .collect();
        let funding = FundingSplit::new(
            members,
            per_member.iter().map(|c| (c.member.clone(), c.amount)),
        );
        BudgetColumn {
            kind,
            year: kind.year(year),
            label: kind.label(year),
            medlemsbidrag,
            ovriga_intakter: ovriga,
            balanserat_resultat_in: balanserat_in,
            summa_intakter,
            verksamhet,
            administration,
            summa_kostnader,
            prel_balanserat_resultat: prel,
            administration_tenths: tenths(administration, summa_kostnader),
            per_member,
            funding,
        }
    })
}

/// The budget figures as the API returns them: the budget year and the two plan years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetFigures {
    pub years: Vec<BudgetYear>,
    /// Per member and year (N, N+1, N+2), members in the budget's order.
    pub medlemsbidrag: Vec<BudgetContribution>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetYear {
    pub year: i32,
    pub summa_intakter_ore: i64,
    pub summa_kostnader_ore: i64,
    pub balanserat_resultat_in_ore: i64,
    pub prel_balanserat_resultat_ore: i64,
    /// One decimal; 0.0 without costs.
    pub administration_andel_procent: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetContribution {
    /// The member's name.
    pub member: String,
    pub year: i32,
    pub amount_ore: i64,
}

impl BudgetFigures {
    /// `None` when the file has no budget.
    pub fn from_year_file(file: &YearFile) -> Option<Self> {
        let budget = file.budget.as_ref()?;
        let [_, _, n, n1, n2] = budget_columns(budget, &file.members, file.year);
        let planned = [n, n1, n2];
        let years = planned
            .iter()
            .map(|c| BudgetYear {
                year: c.year,
                summa_intakter_ore: c.summa_intakter.0,
                summa_kostnader_ore: c.summa_kostnader.0,
                balanserat_resultat_in_ore: c.balanserat_resultat_in.0,
                prel_balanserat_resultat_ore: c.prel_balanserat_resultat.0,
                administration_andel_procent: c
                    .administration_tenths
                    .map_or(0.0, tenths_to_percent),
            })
            .collect();
        let medlemsbidrag = (0..planned[0].per_member.len())
            .flat_map(|i| {
                planned.iter().map(move |c| BudgetContribution {
                    member: c.per_member[i].name.clone(),
                    year: c.year,
                    amount_ore: c.per_member[i].amount.0,
                })
            })
            .collect();
        Some(Self {
            years,
            medlemsbidrag,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::fixtures::{kr, sodra_vatterbygden_budget_2024};

    fn kronor(o: Ore) -> i64 {
        o.round_kronor()
    }

    #[test]
    fn sodra_vatterbygden_2024_rolls_forward() {
        let f = sodra_vatterbygden_budget_2024();
        let cols = budget_columns(f.budget.as_ref().unwrap(), &f.members, f.year);
        let labels: Vec<_> = cols.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Budget 2023",
                "Prognos 2023",
                "Budget 2024",
                "Plan 2025",
                "Plan 2026"
            ]
        );
        let row =
            |f: fn(&BudgetColumn) -> Ore| cols.iter().map(|c| kronor(f(c))).collect::<Vec<_>>();
        assert_eq!(
            row(|c| c.balanserat_resultat_in),
            [1_999_710, 2_337_024, 1_491_324, 1_282_824, 551_324]
        );
        assert_eq!(
            row(|c| c.summa_intakter),
            [10_891_710, 11_229_024, 12_639_324, 12_430_824, 11_699_324]
        );
        assert_eq!(
            row(|c| c.verksamhet),
            [8_745_500, 8_766_700, 10_266_500, 10_761_500, 10_533_000]
        );
        assert_eq!(
            row(|c| c.administration),
            [834_000, 971_000, 1_090_000, 1_118_000, 1_146_000]
        );
        assert_eq!(
            row(|c| c.summa_kostnader),
            [9_579_500, 9_737_700, 11_356_500, 11_879_500, 11_679_000]
        );
        assert_eq!(
            row(|c| c.prel_balanserat_resultat),
            [1_312_210, 1_491_324, 1_282_824, 551_324, 20_324]
        );
        assert_eq!(cols[2].administration_tenths, Some(96));
        let admin: Vec<_> = cols.iter().map(|c| c.administration_tenths).collect();
        assert_eq!(admin, [Some(87), Some(100), Some(96), Some(94), Some(98)]);

        let f24 = &cols[2].funding;
        assert_eq!(kronor(f24.staten), 5_574_000);
        assert_eq!(kronor(f24.region), 2_787_000);
        assert_eq!(kronor(f24.kommuner), 2_787_000);
        assert_eq!(
            (f24.staten_tenths, f24.region_tenths, f24.kommuner_tenths),
            (Some(500), Some(250), Some(250))
        );
        let per: Vec<_> = cols[2]
            .per_member
            .iter()
            .map(|c| (c.name.as_str(), kronor(c.amount)))
            .collect();
        assert_eq!(
            per,
            [
                ("Habo kommun", 204_100),
                ("Jönköpings kommun", 2_238_400),
                ("Mullsjö kommun", 116_000),
                ("Vaggeryds kommun", 228_500),
                ("Region Jönköpings län", 2_787_000),
                ("Försäkringskassan", 5_574_000),
            ]
        );
        // 2023 too: 4 446 000 / 2 223 000 / 2 223 000.
        assert_eq!(cols[0].funding.kommuner, Ore(kr(2_223_000, 0)));
        assert_eq!(cols[0].funding.staten_tenths, Some(500));
    }

    #[test]
    fn budget_figures_for_the_api() {
        let f = sodra_vatterbygden_budget_2024();
        let b = BudgetFigures::from_year_file(&f).unwrap();
        let v = serde_json::to_value(&b).unwrap();
        assert_eq!(
            v["years"][0],
            serde_json::json!({"year": 2024, "summa_intakter_ore": 1_263_932_400i64,
                "summa_kostnader_ore": 1_135_650_000i64, "balanserat_resultat_in_ore": 149_132_400i64,
                "prel_balanserat_resultat_ore": 128_282_400i64, "administration_andel_procent": 9.6})
        );
        assert_eq!(
            b.years.iter().map(|y| y.year).collect::<Vec<_>>(),
            [2024, 2025, 2026]
        );
        assert_eq!(b.years[2].prel_balanserat_resultat_ore, 2_032_400);
        assert_eq!(b.medlemsbidrag.len(), 18);
        assert_eq!(
            v["medlemsbidrag"][0],
            serde_json::json!({"member": "Habo kommun", "year": 2024, "amount_ore": 20_410_000})
        );
        assert_eq!(
            v["medlemsbidrag"][17],
            serde_json::json!({"member": "Försäkringskassan", "year": 2026, "amount_ore": 557_400_000})
        );
        let mut g = f.clone();
        g.budget = None;
        assert_eq!(BudgetFigures::from_year_file(&g), None);
    }

    #[test]
    fn other_income_counts_in_the_sum_but_not_as_contributions() {
        let mut f = sodra_vatterbygden_budget_2024();
        let b = f.budget.as_mut().unwrap();
        b.lines.push(BudgetLine {
            key: "ranta".into(),
            label: "Ränta".into(),
            section: BudgetSection::Intakt,
            member: None,
            insats: None,
            budget_prev_ore: None,
            prognos_prev_ore: None,
            budget_ore: kr(5_000, 0),
            plan1_ore: 0,
            plan2_ore: 0,
        });
        let cols = budget_columns(f.budget.as_ref().unwrap(), &f.members, f.year);
        assert_eq!(cols[2].ovriga_intakter, Ore(kr(5_000, 0)));
        assert_eq!(kronor(cols[2].medlemsbidrag), 11_148_000);
        assert_eq!(kronor(cols[2].summa_intakter), 12_644_324);
        // Carried forward into both plan years.
        assert_eq!(kronor(cols[4].prel_balanserat_resultat), 25_324);
    }
}
