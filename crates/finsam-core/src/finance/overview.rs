//! The five-year overview (1.1 Översikt över verksamhetens utveckling).

use super::key_figures::soliditet_tenths;
use super::statements;
use crate::money::Ore;
use crate::yearfile::Accounts;
use serde::Serialize;

/// One year of the overview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OverviewRow {
    pub year: i32,
    /// All income, financial included (the seed prints 8 439 tkr for 2024: 8 298 260 + 140 622).
    pub intakter: Ore,
    /// All costs, financial included (8 594 tkr: 8 594 446 + 10).
    pub kostnader: Ore,
    pub arets_resultat: Ore,
    /// In tenths (698 for 69,8 %); 0 for a year without assets.
    pub soliditet_tenths: i64,
    /// In hundredths (100 for 1,0).
    pub anstallda_hundredths: u32,
}

/// The year `year` from `accounts`, then `accounts.history` newest first (history years from `year`
/// on are ignored), at most five rows.
pub fn five_year_overview(year: i32, accounts: &Accounts) -> Vec<OverviewRow> {
    let r = statements(accounts).resultat;
    let mut rows = vec![OverviewRow {
        year,
        intakter: r.intakter_totalt(),
        kostnader: r.kostnader_totalt(),
        arets_resultat: r.arets_resultat,
        soliditet_tenths: soliditet_tenths(accounts).unwrap_or(0),
        anstallda_hundredths: accounts.anstallda_hundredths,
    }];
    let mut history: Vec<_> = accounts.history.iter().filter(|h| h.year < year).collect();
    history.sort_by_key(|h| std::cmp::Reverse(h.year));
    history.dedup_by_key(|h| h.year);
    rows.extend(history.into_iter().take(4).map(|h| OverviewRow {
        year: h.year,
        intakter: Ore(h.intakter_ore),
        kostnader: Ore(h.kostnader_ore),
        arets_resultat: Ore(h.arets_resultat_ore),
        soliditet_tenths: h.soliditet_tenths,
        anstallda_hundredths: h.anstallda_hundredths,
    }));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::fixtures::{hoglandet_2024_accounts, kr};

    #[test]
    fn hoglandet_2024_overview_in_tkr() {
        let rows = five_year_overview(2024, &hoglandet_2024_accounts());
        let tkr = |o: Ore| crate::finance::div_round(i128::from(o.0), 100_000) as i64;
        let got: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.year,
                    tkr(r.intakter),
                    tkr(r.kostnader),
                    tkr(r.arets_resultat),
                    r.soliditet_tenths,
                    r.anstallda_hundredths,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (2024, 8_439, 8_594, -156, 698, 100),
                (2023, 8_170, 7_746, 424, 734, 100),
                (2022, 8_098, 8_363, -265, 600, 100),
                (2021, 8_033, 7_605, 428, 770, 100),
                (2020, 7_992, 7_506, 486, 610, 100),
            ]
        );
    }

    #[test]
    fn history_from_the_year_on_is_ignored_and_duplicates_kept_once() {
        let mut a = hoglandet_2024_accounts();
        a.history.truncate(2); // 2021, 2023
        let mut same_year = a.history[0].clone();
        same_year.year = 2024;
        let mut twice = a.history[1].clone();
        twice.arets_resultat_ore = 1;
        a.history.extend([same_year, twice]);
        let rows = five_year_overview(2024, &a);
        let years: Vec<_> = rows.iter().map(|r| r.year).collect();
        assert_eq!(years, [2024, 2023, 2021]);
        assert_eq!(rows[0].arets_resultat, Ore(kr(-155_574, 0)));
        // The first of two entries for a year counts.
        assert_eq!(rows[1].arets_resultat, Ore(kr(423_888, 60)));
    }
}
