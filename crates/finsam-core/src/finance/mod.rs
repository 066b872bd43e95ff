//! The financial rules of a förbund: statements, key figures, budget roll-forward, checks.
//!
//! Everything here is a pure function of the year file's types. Money is [`Ore`] (integers of öre)
//! throughout and is rounded to kronor only for print; percentages are integers of tenths of a per
//! cent (185 for 18,5 %), computed with integer arithmetic and rounded half away from zero.
//!
//! - [`statements`](mod@statements): resultaträkning and balansräkning, this year and the year before;
//!   [`opening_balance`], the balansräkning at the start of the period (the delår's comparison).
//! - [`cash_flow`](mod@cash_flow): the kassaflödesanalys from the two balance sheets.
//! - [`key_figures`]: soliditet, balanskravsresultat, medlemsbidrag, the eget kapital cap,
//!   the administration share and the shares per cost class; [`KeyFigures`] for the API.
//! - [`socio`]: socioekonomisk effekt per individinriktad insats.
//! - [`budget`]: the five budget columns with their roll-forward; [`BudgetFigures`] for the API.
//! - [`split`]: splitting the kommun quarter between kommuner by population, in whole hundreds.
//! - [`overview`]: the five-year overview.
//! - [`checks`](mod@checks): whether a year holds together, as a list of [`Check`]s; [`delar_checks`],
//!   whether its delår (the accounts per 30 June) does.

pub mod budget;
pub mod cash_flow;
pub mod checks;
pub mod key_figures;
pub mod overview;
pub mod socio;
pub mod split;
pub mod statements;

#[cfg(test)]
pub(crate) mod fixtures;

pub use budget::{BudgetColumn, BudgetColumnKind, BudgetFigures, budget_columns};
pub use cash_flow::{CashFlow, cash_flow};
pub use checks::{Check, checks, delar_checks};
pub use key_figures::{
    AdministrationShare, ClassShare, FundingSplit, KeyFigures, SplitAccuracy, administration_share,
    balanskravsresultat, class_shares, eget_kapital_cap, medlemsbidrag, soliditet_tenths,
};
pub use overview::{OverviewRow, five_year_overview};
pub use socio::{SocioekonomiskEffekt, socioekonomisk_effekt};
pub use split::{
    SPLIT_UNIT_ORE, SplitError, split_between_kommuner, split_by_population, split_in_units,
};
pub use statements::{BalanceSheet, ResultStatement, Statements, opening_balance, statements};

use crate::money::Ore;

/// `numerator / denominator` in tenths of a per cent (185 for 18,5 %), rounded half away from
/// zero; `None` when the denominator is zero.
pub fn tenths(numerator: Ore, denominator: Ore) -> Option<i64> {
    if denominator.0 == 0 {
        return None;
    }
    Some(div_round(i128::from(numerator.0) * 1000, i128::from(denominator.0)) as i64)
}

/// `tenths` tenths of a per cent of `amount` (`amount × tenths / 1000`), rounded half away from
/// zero to whole öre.
pub fn apply_tenths(amount: Ore, tenths: i64) -> Ore {
    Ore(div_round(i128::from(amount.0) * i128::from(tenths), 1000) as i64)
}

/// Tenths of a per cent as the API's number with one decimal: 698 → 69.8.
pub fn tenths_to_percent(tenths: i64) -> f64 {
    tenths as f64 / 10.0
}

/// `n / d` rounded half away from zero; `d` must not be zero.
pub(crate) fn div_round(n: i128, d: i128) -> i128 {
    let negative = (n < 0) != (d < 0);
    let (n, d) = (n.abs(), d.abs());
    let q = (2 * n + d) / (2 * d);
    if negative { -q } else { q }
}

/// An amount in öre written exactly, in kronor with two decimals: `0,40`, `−12 345,67`.
pub(crate) fn format_ore_exact(ore: Ore) -> String {
    let sign = if ore.0 < 0 { "\u{2212}" } else { "" };
    let a = ore.0.unsigned_abs();
    format!(
        "{sign}{},{:02}",
        crate::money::format_integer((a / 100) as i64),
        a % 100
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::fixtures::kr;

    #[test]
    fn tenths_round_half_away_from_zero() {
        assert_eq!(tenths(Ore(1_483_897), Ore(2_127_221)), Some(698));
        assert_eq!(tenths(Ore(1), Ore(2000)), Some(1)); // 0,05 % → 0,1 %
        assert_eq!(tenths(Ore(-1), Ore(2000)), Some(-1));
        assert_eq!(tenths(Ore(1), Ore(2001)), Some(0));
        assert_eq!(tenths(Ore(5), Ore(-10)), Some(-500));
        assert_eq!(tenths(Ore(5), Ore(0)), None);
    }

    #[test]
    fn apply_tenths_rounds_to_whole_ore() {
        assert_eq!(
            apply_tenths(Ore(kr(7_000_000, 0)), 200),
            Ore(kr(1_400_000, 0))
        );
        assert_eq!(apply_tenths(Ore(5), 100), Ore(1)); // 0,5 öre → 1
        assert_eq!(apply_tenths(Ore(-5), 100), Ore(-1));
        assert_eq!(tenths_to_percent(698), 69.8);
        assert_eq!(tenths_to_percent(-5), -0.5);
    }

    #[test]
    fn exact_ore_print() {
        assert_eq!(format_ore_exact(Ore(40)), "0,40");
        assert_eq!(format_ore_exact(Ore(-1_234_567)), "\u{2212}12 345,67");
        assert_eq!(format_ore_exact(Ore(0)), "0,00");
    }
}
