//! Resultaträkning and balansräkning from the [`Accounts`], for the year and (where the file holds
//! the prior amounts) the year before.

use crate::money::Ore;
use crate::yearfile::{Accounts, ResultLine, Section};
use serde::Serialize;

/// The resultaträkning. Every amount is positive in its own sense (a cost of 100 kr is 10 000);
/// the results are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ResultStatement {
    pub verksamhetens_intakter: Ore,
    pub verksamhetens_kostnader: Ore,
    /// Verksamhetens intäkter − verksamhetens kostnader.
    pub resultat_fore_finansiella_poster: Ore,
    pub finansiella_intakter: Ore,
    pub finansiella_kostnader: Ore,
    pub resultat_efter_finansiella_poster: Ore,
    /// The same as the result after financial items: a förbund has no extraordinary items.
    pub arets_resultat: Ore,
}

impl ResultStatement {
    /// From per-line amounts (the year's `utfall_ore`, or the prior year's `prior_ore`).
    fn from_lines<'a>(lines: impl Iterator<Item = (&'a ResultLine, i64)>) -> Self {
        let (mut vi, mut vk, mut fi, mut fk) = (0i64, 0i64, 0i64, 0i64);
        for (l, ore) in lines {
            match l.section {
                Section::Intakt => vi += ore,
                Section::Kostnad => vk += ore,
                Section::FinansiellIntakt => fi += ore,
                Section::FinansiellKostnad => fk += ore,
            }
        }
        let fore = vi - vk;
        let efter = fore + fi - fk;
        Self {
            verksamhetens_intakter: Ore(vi),
            verksamhetens_kostnader: Ore(vk),
            resultat_fore_finansiella_poster: Ore(fore),
            finansiella_intakter: Ore(fi),
            finansiella_kostnader: Ore(fk),
            resultat_efter_finansiella_poster: Ore(efter),
            arets_resultat: Ore(efter),
        }
    }

    /// All income, financial included (the five-year overview's and the driftredovisning's "intäkt").
    pub fn intakter_totalt(&self) -> Ore {
        self.verksamhetens_intakter + self.finansiella_intakter
    }

    /// All costs, financial included (the driftredovisning's "nettokostnad").
    pub fn kostnader_totalt(&self) -> Ore {
        self.verksamhetens_kostnader + self.finansiella_kostnader
    }
}

/// The balansräkning at the end of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BalanceSheet {
    /// The sum of the itemised fordringar.
    pub fordringar: Ore,
    pub kassa_och_bank: Ore,
    /// Fordringar + kassa och bank (a förbund has no fixed assets in the year file).
    pub summa_tillgangar: Ore,
    pub eget_kapital_ingaende: Ore,
    pub arets_resultat: Ore,
    /// Ingående eget kapital + årets resultat.
    pub eget_kapital_utgaende: Ore,
    /// The sum of the itemised kortfristiga skulder.
    pub kortfristiga_skulder: Ore,
    pub summa_eget_kapital_och_skulder: Ore,
}

impl BalanceSheet {
    fn new(
        fordringar: Ore,
        kassa_och_bank: Ore,
        eget_kapital_ingaende: Ore,
        arets_resultat: Ore,
        kortfristiga_skulder: Ore,
    ) -> Self {
        let utgaende = eget_kapital_ingaende + arets_resultat;
        Self {
            fordringar,
            kassa_och_bank,
            summa_tillgangar: fordringar + kassa_och_bank,
            eget_kapital_ingaende,
            arets_resultat,
            eget_kapital_utgaende: utgaende,
            kortfristiga_skulder,
            summa_eget_kapital_och_skulder: utgaende + kortfristiga_skulder,
        }
    }

    /// Summa tillgångar − summa eget kapital och skulder: zero when the balance sheet balances.
    pub fn difference(&self) -> Ore {
        self.summa_tillgangar - self.summa_eget_kapital_och_skulder
    }
}

/// Both statements for the year and, where the file has the amounts, the year before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Statements {
    pub resultat: ResultStatement,
    pub balans: BalanceSheet,
    /// Present when at least one result line has a `prior_ore` (lines without one count as 0).
    pub prior_resultat: Option<ResultStatement>,
    /// Present when the prior kassa och bank, the prior ingående eget kapital and the prior result
    /// are all present (itemised fordringar and skulder without a `prior_ore` count as 0).
    pub prior_balans: Option<BalanceSheet>,
}

/// The statements of `accounts`.
pub fn statements(accounts: &Accounts) -> Statements {
    let resultat = ResultStatement::from_lines(accounts.resultat.iter().map(|l| (l, l.utfall_ore)));
    let balans = BalanceSheet::new(
        Ore(accounts.fordringar.iter().map(|i| i.ore).sum()),
        Ore(accounts.kassa_och_bank_ore),
        Ore(accounts.eget_kapital_ingaende_ore),
        resultat.arets_resultat,
        Ore(accounts.kortfristiga_skulder.iter().map(|i| i.ore).sum()),
    );
    let prior_resultat = accounts
        .resultat
        .iter()
        .any(|l| l.prior_ore.is_some())
        .then(|| {
            ResultStatement::from_lines(
                accounts
                    .resultat
                    .iter()
                    .map(|l| (l, l.prior_ore.unwrap_or(0))),
            )
        });
    let prior_balans = match (
        accounts.kassa_och_bank_prior_ore,
        accounts.eget_kapital_ingaende_prior_ore,
        prior_resultat,
    ) {
        (Some(kassa), Some(ek), Some(r)) => Some(BalanceSheet::new(
            prior_fordringar(accounts),
            Ore(kassa),
            Ore(ek),
            r.arets_resultat,
            prior_skulder(accounts),
        )),
        _ => None,
    };
    Statements {
        resultat,
        balans,
        prior_resultat,
        prior_balans,
    }
}

/// The balansräkning at the start of the accounts' period, 31 December the year before: the items'
/// `prior_ore`, the prior kassa och bank, and the eget kapital at 1 January split into the year
/// before's opening eget kapital (`eget_kapital_ingaende_prior_ore`) and that year's result (the
/// difference). For a full year this is [`Statements::prior_balans`] when the file holds together; for
/// the delår, whose result lines' `prior_ore` are the same half year before, it is the comparison the
/// balansräkning needs. `None` without the prior kassa och bank or the prior opening eget kapital.
pub fn opening_balance(accounts: &Accounts) -> Option<BalanceSheet> {
    let kassa = accounts.kassa_och_bank_prior_ore?;
    let ek_prior = accounts.eget_kapital_ingaende_prior_ore?;
    Some(BalanceSheet::new(
        prior_fordringar(accounts),
        Ore(kassa),
        Ore(ek_prior),
        Ore(accounts.eget_kapital_ingaende_ore - ek_prior),
        prior_skulder(accounts),
    ))
}

/// The prior year's fordringar (items without a prior amount count as 0).
pub(crate) fn prior_fordringar(accounts: &Accounts) -> Ore {
    Ore(accounts
        .fordringar
        .iter()
        .map(|i| i.prior_ore.unwrap_or(0))
        .sum())
}

/// The prior year's kortfristiga skulder (items without a prior amount count as 0).
pub(crate) fn prior_skulder(accounts: &Accounts) -> Ore {
    Ore(accounts
        .kortfristiga_skulder
        .iter()
        .map(|i| i.prior_ore.unwrap_or(0))
        .sum())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::fixtures::{hoglandet_2024_accounts, kr};

    #[test]
    fn hoglandet_2024_resultatrakning() {
        let s = statements(&hoglandet_2024_accounts());
        let r = s.resultat;
        assert_eq!(r.verksamhetens_intakter.round_kronor(), 8_298_260);
        assert_eq!(r.verksamhetens_kostnader.round_kronor(), 8_594_446);
        assert_eq!(r.resultat_fore_finansiella_poster.round_kronor(), -296_186);
        assert_eq!(r.finansiella_intakter.round_kronor(), 140_622);
        assert_eq!(r.finansiella_kostnader.round_kronor(), 10);
        assert_eq!(r.resultat_efter_finansiella_poster.round_kronor(), -155_574);
        assert_eq!(r.arets_resultat, Ore(kr(-155_574, 0)));
        // The driftredovisning's intäkt and nettokostnad.
        assert_eq!(r.intakter_totalt().round_kronor(), 8_438_882);
        assert_eq!(r.kostnader_totalt().round_kronor(), 8_594_456);

        let p = s.prior_resultat.expect("prior amounts are present");
        assert_eq!(p.verksamhetens_intakter.round_kronor(), 8_035_996);
        assert_eq!(p.verksamhetens_kostnader.round_kronor(), 7_745_914);
        assert_eq!(p.resultat_fore_finansiella_poster.round_kronor(), 290_082);
        assert_eq!(p.finansiella_intakter.round_kronor(), 133_807);
        assert_eq!(p.finansiella_kostnader, Ore(0));
        assert_eq!(p.arets_resultat.round_kronor(), 423_889);
        assert_eq!(p.intakter_totalt().round_kronor(), 8_169_803);
    }

    #[test]
    fn hoglandet_2024_balansrakning_balances_exactly_in_ore() {
        let s = statements(&hoglandet_2024_accounts());
        let b = s.balans;
        assert_eq!(b.fordringar.round_kronor(), 117_312);
        assert_eq!(b.kassa_och_bank.round_kronor(), 2_009_910);
        assert_eq!(b.summa_tillgangar.round_kronor(), 2_127_221);
        assert_eq!(b.eget_kapital_ingaende.round_kronor(), 1_639_471);
        assert_eq!(b.arets_resultat.round_kronor(), -155_574);
        assert_eq!(b.eget_kapital_utgaende.round_kronor(), 1_483_897);
        assert_eq!(b.kortfristiga_skulder.round_kronor(), 643_324);
        assert_eq!(b.summa_eget_kapital_och_skulder.round_kronor(), 2_127_221);
        assert_eq!(b.difference(), Ore(0));
        // The printed lines add up to one krona more than the printed total; the öre do not.
        assert_eq!(
            b.fordringar.round_kronor() + b.kassa_och_bank.round_kronor(),
            2_127_222
        );

        let p = s.prior_balans.expect("prior amounts are present");
        assert_eq!(p.fordringar.round_kronor(), 47_489);
        assert_eq!(p.kassa_och_bank.round_kronor(), 2_186_551);
        assert_eq!(p.summa_tillgangar.round_kronor(), 2_234_040);
        assert_eq!(p.eget_kapital_ingaende.round_kronor(), 1_215_582);
        assert_eq!(p.arets_resultat.round_kronor(), 423_889);
        assert_eq!(p.eget_kapital_utgaende, b.eget_kapital_ingaende);
        assert_eq!(p.kortfristiga_skulder.round_kronor(), 594_569);
        assert_eq!(p.summa_eget_kapital_och_skulder.round_kronor(), 2_234_040);
        assert_eq!(p.difference(), Ore(0));
    }

    #[test]
    fn the_opening_balance_is_the_prior_years_closing_one() {
        let a = hoglandet_2024_accounts();
        let opening = opening_balance(&a).expect("prior balances are present");
        assert_eq!(Some(opening), statements(&a).prior_balans);
        assert_eq!(opening.arets_resultat.round_kronor(), 423_889);
        assert_eq!(
            opening.eget_kapital_utgaende,
            Ore(a.eget_kapital_ingaende_ore)
        );

        // It does not need the prior result lines, which for a delår are a half year.
        let mut half = a.clone();
        for l in &mut half.resultat {
            l.prior_ore = l.prior_ore.map(|o| o / 2);
        }
        assert_eq!(opening_balance(&half), Some(opening));
        assert_ne!(statements(&half).prior_balans, Some(opening));

        let mut a = hoglandet_2024_accounts();
        a.eget_kapital_ingaende_prior_ore = None;
        assert_eq!(opening_balance(&a), None);
    }

    #[test]
    fn without_prior_amounts_there_is_no_prior_year() {
        let mut a = hoglandet_2024_accounts();
        for l in &mut a.resultat {
            l.prior_ore = None;
        }
        let s = statements(&a);
        assert!(s.prior_resultat.is_none() && s.prior_balans.is_none());

        let mut a = hoglandet_2024_accounts();
        a.kassa_och_bank_prior_ore = None;
        let s = statements(&a);
        assert!(s.prior_resultat.is_some() && s.prior_balans.is_none());
    }
}
