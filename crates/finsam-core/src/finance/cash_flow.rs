//! The kassaflödesanalys, from the year's result and the two balance sheets (indirect method).

use super::statements::{prior_fordringar, prior_skulder, statements};
use crate::money::Ore;
use crate::yearfile::Accounts;
use serde::Serialize;

/// The kassaflödesanalys as the årsredovisning prints it. Signs are those of the cash: an increase
/// of fordringar is negative, an increase of skulder positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CashFlow {
    pub arets_resultat: Ore,
    /// Ökning(−)/minskning(+) kortfristiga fordringar: −(UB − IB).
    pub forandring_fordringar: Ore,
    /// Ökning(+)/minskning(−) kortfristiga skulder: UB − IB.
    pub forandring_skulder: Ore,
    /// Kassaflöde från den löpande verksamheten.
    pub lopande_verksamhet: Ore,
    /// Kassaflöde från investeringsverksamheten: −(the year's investeringar).
    pub investeringsverksamhet: Ore,
    /// Kassaflöde från finansieringsverksamheten: a förbund may not borrow, so always 0.
    pub finansieringsverksamhet: Ore,
    pub arets_kassaflode: Ore,
    pub likvida_medel_vid_arets_borjan: Ore,
    pub likvida_medel_vid_arets_slut: Ore,
}

impl CashFlow {
    /// Årets kassaflöde − (likvida medel UB − IB): zero when the analysis reconciles.
    pub fn difference(&self) -> Ore {
        self.arets_kassaflode
            - (self.likvida_medel_vid_arets_slut - self.likvida_medel_vid_arets_borjan)
    }
}

/// The kassaflödesanalys; `None` without the prior kassa och bank (likvida medel at the start).
/// Itemised fordringar and skulder without a prior amount count as 0 at the start of the year.
pub fn cash_flow(accounts: &Accounts) -> Option<CashFlow> {
    let borjan = Ore(accounts.kassa_och_bank_prior_ore?);
    let s = statements(accounts);
    let forandring_fordringar = Ore(-(s.balans.fordringar - prior_fordringar(accounts)).0);
    let forandring_skulder = s.balans.kortfristiga_skulder - prior_skulder(accounts);
    let lopande = s.resultat.arets_resultat + forandring_fordringar + forandring_skulder;
    let investering = Ore(-accounts.investeringar.iter().map(|i| i.ore).sum::<i64>());
    let finansiering = Ore(0);
    Some(CashFlow {
        arets_resultat: s.resultat.arets_resultat,
        forandring_fordringar,
        forandring_skulder,
        lopande_verksamhet: lopande,
        investeringsverksamhet: investering,
        finansieringsverksamhet: finansiering,
        arets_kassaflode: lopande + investering + finansiering,
        likvida_medel_vid_arets_borjan: borjan,
        likvida_medel_vid_arets_slut: s.balans.kassa_och_bank,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::fixtures::hoglandet_2024_accounts;
    use crate::yearfile::Investment;

    #[test]
    fn hoglandet_2024_kassaflodesanalys() {
        let c = cash_flow(&hoglandet_2024_accounts()).unwrap();
        assert_eq!(c.arets_resultat.round_kronor(), -155_574);
        assert_eq!(c.forandring_fordringar.round_kronor(), -69_823);
        assert_eq!(c.forandring_skulder.round_kronor(), 48_756);
        assert_eq!(c.lopande_verksamhet.round_kronor(), -176_641);
        assert_eq!(c.investeringsverksamhet, Ore(0));
        assert_eq!(c.finansieringsverksamhet, Ore(0));
        assert_eq!(c.arets_kassaflode.round_kronor(), -176_641);
        assert_eq!(c.likvida_medel_vid_arets_borjan.round_kronor(), 2_186_551);
        assert_eq!(c.likvida_medel_vid_arets_slut.round_kronor(), 2_009_910);
        assert_eq!(c.difference(), Ore(0));
    }

    #[test]
    fn investments_leave_cash_and_without_an_opening_balance_there_is_no_analysis() {
        let mut a = hoglandet_2024_accounts();
        a.investeringar.push(Investment {
            label: "Dator".into(),
            ore: 1_000_000,
        });
        let c = cash_flow(&a).unwrap();
        assert_eq!(c.investeringsverksamhet, Ore(-1_000_000));
        assert_eq!(c.arets_kassaflode, c.lopande_verksamhet - Ore(1_000_000));
        // No fixed assets in the balance sheet, so the analysis no longer reconciles.
        assert_eq!(c.difference(), Ore(-1_000_000));

        a.kassa_och_bank_prior_ore = None;
        assert_eq!(cash_flow(&a), None);
    }
}
