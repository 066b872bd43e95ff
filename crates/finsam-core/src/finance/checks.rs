//! Whether a year holds together. Each check has a stable code, a verdict and a Swedish message with
//! the figures in print (whole kronor, Swedish style). Nothing is ever adjusted to make a check pass:
//! a year that does not hold together gets every failing check.

use super::key_figures::{FundingSplit, SplitAccuracy, eget_kapital_cap, medlemsbidrag};
use super::{cash_flow, format_ore_exact, opening_balance, statements, tenths};
use crate::money::{Ore, format_percent_tenths};
use crate::yearfile::{Accounts, ReportPeriod, ReportStatus, Section, YearFile};
use serde::Serialize;

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable, snake_case: see [`CODES`].
    pub code: &'static str,
    pub ok: bool,
    /// Swedish, for the kansli.
    pub message: String,
}

impl Check {
    fn new(code: &'static str, ok: bool, message: impl Into<String>) -> Self {
        Self {
            code,
            ok,
            message: message.into(),
        }
    }
}

/// Tillgångar = eget kapital + skulder, exactly in öre.
pub const BALANCE: &str = "balance";
/// Ingående eget kapital + årets resultat = utgående; ingående = the prior year's utgående.
pub const EK_ROLL: &str = "ek_roll";
/// Årets kassaflöde = likvida medel UB − IB.
pub const KASSAFLODE: &str = "kassaflode";
/// The prior year's balance sheet balances (when the file has it).
pub const PRIOR_BALANCE: &str = "prior_balance";
/// Every cost line has a class.
pub const COSTS_CLASSIFIED: &str = "costs_classified";
/// The state pays 50 %, the region 25 % and the kommuner 25 % of the medlemsbidrag.
pub const CONTRIBUTIONS_SPLIT: &str = "contributions_split";
/// Eget kapital within the national recommendation (a flag, not an error in the books).
pub const EK_UNDER_CAP: &str = "ek_under_cap";
/// Every helår coach report of the year is approved.
pub const COACH_REPORTS_APPROVED: &str = "coach_reports_approved";

/// Every code, in the order [`checks`] returns them.
pub const CODES: [&str; 8] = [
    BALANCE,
    EK_ROLL,
    KASSAFLODE,
    PRIOR_BALANCE,
    COSTS_CLASSIFIED,
    CONTRIBUTIONS_SPLIT,
    EK_UNDER_CAP,
    COACH_REPORTS_APPROVED,
];

/// What the accounts checks say when the file has no accounts.
pub const ACCOUNTS_MISSING: &str = "Räkenskaperna för året saknas.";

/// What the delår checks say when the file has no delår.
pub const DELAR_MISSING: &str = "Delårets räkenskaper (per 30 juni) saknas.";

/// The codes of [`delar_checks`], in its order.
pub const DELAR_CODES: [&str; 5] = [
    BALANCE,
    KASSAFLODE,
    PRIOR_BALANCE,
    COSTS_CLASSIFIED,
    COACH_REPORTS_APPROVED,
];

/// All checks of the year, one per code, in [`CODES`] order.
pub fn checks(file: &YearFile) -> Vec<Check> {
    let mut out = match &file.accounts {
        None => CODES[..7]
            .iter()
            .map(|&code| Check::new(code, false, ACCOUNTS_MISSING))
            .collect(),
        Some(acc) => vec![
            balance(acc),
            ek_roll(acc),
            kassaflode(acc, ReportPeriod::Helar),
            prior_balance(acc),
            costs_classified(acc),
            contributions_split(file, acc),
            ek_under_cap(file, acc),
        ],
    };
    out.push(coach_reports_approved(file, ReportPeriod::Helar));
    out
}

/// The messages of the checks that fail, each once: several checks can fail for one reason (no
/// accounts at all).
pub fn failing_messages(all: Vec<Check>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in all.into_iter().filter(|c| !c.ok) {
        if !out.contains(&c.message) {
            out.push(c.message);
        }
    }
    out
}

/// The checks of the delår (`YearFile::delar`), one per code in [`DELAR_CODES`] order: the balance
/// at 30 June, the period's kassaflöde, the balance at the end of the year before (the delårsrapport's
/// comparison), every cost classified, and every delår coach report approved. The year's accounts, and
/// with them the medlemsbidrag split and the eget kapital cap, which are about a whole year, are not
/// looked at: when the delårsrapport is made they do not exist yet.
pub fn delar_checks(file: &YearFile) -> Vec<Check> {
    let mut out = match &file.delar {
        None => DELAR_CODES[..4]
            .iter()
            .map(|&code| Check::new(code, false, DELAR_MISSING))
            .collect(),
        Some(d) => {
            let b = statements(d).balans;
            let opening = match opening_balance(d) {
                Some(o) => balance_message(
                    PRIOR_BALANCE,
                    "Vid föregående årsskifte: tillgångarna",
                    o.summa_tillgangar,
                    o.summa_eget_kapital_och_skulder,
                ),
                None => Check::new(
                    PRIOR_BALANCE,
                    false,
                    "Kassa och bank eller eget kapital vid föregående års början saknas, så ställningen vid föregående årsskifte kan inte jämföras.",
                ),
            };
            vec![
                balance_message(
                    BALANCE,
                    "Per 30 juni: tillgångarna",
                    b.summa_tillgangar,
                    b.summa_eget_kapital_och_skulder,
                ),
                kassaflode(d, ReportPeriod::Delar),
                opening,
                costs_classified(d),
            ]
        }
    };
    out.push(coach_reports_approved(file, ReportPeriod::Delar));
    out
}

fn print_kr(o: Ore) -> String {
    o.format_kr()
}

fn balance(acc: &Accounts) -> Check {
    let b = statements(acc).balans;
    balance_message(
        BALANCE,
        "Tillgångarna",
        b.summa_tillgangar,
        b.summa_eget_kapital_och_skulder,
    )
}

fn balance_message(code: &'static str, subject: &str, assets: Ore, ek_och_skulder: Ore) -> Check {
    if assets == ek_och_skulder {
        Check::new(
            code,
            true,
            format!(
                "{subject} ({}) är lika stora som eget kapital och skulder ({}).",
                print_kr(assets),
                print_kr(ek_och_skulder)
            ),
        )
    } else {
        Check::new(
            code,
            false,
            format!(
                "{subject} ({}) är inte lika stora som eget kapital och skulder ({}): skillnaden är {} kr.",
                print_kr(assets),
                print_kr(ek_och_skulder),
                format_ore_exact(assets - ek_och_skulder)
            ),
        )
    }
}

fn ek_roll(acc: &Accounts) -> Check {
    let s = statements(acc);
    let b = s.balans;
    let roll = format!(
        "Eget kapital: ingående {} + årets resultat {} = utgående {}.",
        print_kr(b.eget_kapital_ingaende),
        print_kr(b.arets_resultat),
        print_kr(b.eget_kapital_utgaende)
    );
    let Some(prior_in) = acc.eget_kapital_ingaende_prior_ore.map(Ore) else {
        return Check::new(EK_ROLL, true, roll);
    };
    let Some(prior_result) = s.prior_resultat.map(|r| r.arets_resultat) else {
        return Check::new(
            EK_ROLL,
            false,
            format!(
                "{roll} Föregående års ingående eget kapital finns men inte föregående års resultat \
                 (jämförelsetal på resultatraderna), så övergången mellan åren kan inte stämmas av."
            ),
        );
    };
    let prior_out = prior_in + prior_result;
    if prior_out == b.eget_kapital_ingaende {
        Check::new(
            EK_ROLL,
            true,
            format!(
                "{roll} Ingående eget kapital är föregående års utgående ({} + {} = {}).",
                print_kr(prior_in),
                print_kr(prior_result),
                print_kr(prior_out)
            ),
        )
    } else {
        Check::new(
            EK_ROLL,
            false,
            format!(
                "Ingående eget kapital ({}) är inte lika med föregående års utgående eget kapital \
                 ({} + {} = {}): skillnaden är {} kr.",
                print_kr(b.eget_kapital_ingaende),
                print_kr(prior_in),
                print_kr(prior_result),
                print_kr(prior_out),
                format_ore_exact(b.eget_kapital_ingaende - prior_out)
            ),
        )
    }
}

/// The kassaflöde of the year (helår) or of the period (delår).
fn kassaflode(acc: &Accounts, period: ReportPeriod) -> Check {
    let Some(c) = cash_flow(acc) else {
        let message = match period {
            ReportPeriod::Helar => {
                "Likvida medel vid årets början (kassa och bank föregående år) saknas, så kassaflödet kan inte stämmas av."
            }
            ReportPeriod::Delar => {
                "Likvida medel vid periodens början (kassa och bank vid föregående årsskifte) saknas, så delårets kassaflöde kan inte stämmas av."
            }
        };
        return Check::new(KASSAFLODE, false, message);
    };
    let change = c.likvida_medel_vid_arets_slut - c.likvida_medel_vid_arets_borjan;
    let flow = match period {
        ReportPeriod::Helar => "årets kassaflöde",
        ReportPeriod::Delar => "periodens kassaflöde",
    };
    let figures = format!(
        "{flow} ({}) och förändringen av likvida medel ({} − {} = {})",
        print_kr(c.arets_kassaflode),
        print_kr(c.likvida_medel_vid_arets_slut),
        print_kr(c.likvida_medel_vid_arets_borjan),
        print_kr(change)
    );
    if c.difference() == Ore(0) {
        Check::new(KASSAFLODE, true, format!("Lika stora: {figures}."))
    } else {
        Check::new(
            KASSAFLODE,
            false,
            format!(
                "Inte lika stora: {figures}; skillnaden är {} kr.",
                format_ore_exact(c.difference())
            ),
        )
    }
}

fn prior_balance(acc: &Accounts) -> Check {
    let s = statements(acc);
    if let Some(p) = s.prior_balans {
        return balance_message(
            PRIOR_BALANCE,
            "Föregående år: tillgångarna",
            p.summa_tillgangar,
            p.summa_eget_kapital_och_skulder,
        );
    }
    let any_prior = acc.kassa_och_bank_prior_ore.is_some()
        || acc.eget_kapital_ingaende_prior_ore.is_some()
        || acc.fordringar.iter().any(|i| i.prior_ore.is_some())
        || acc
            .kortfristiga_skulder
            .iter()
            .any(|i| i.prior_ore.is_some())
        || s.prior_resultat.is_some();
    if !any_prior {
        return Check::new(
            PRIOR_BALANCE,
            true,
            "Filen har inga jämförelsetal för föregående år, så det finns ingen föregående balansräkning att stämma av.",
        );
    }
    let mut missing = Vec::new();
    if acc.kassa_och_bank_prior_ore.is_none() {
        missing.push("kassa och bank");
    }
    if acc.eget_kapital_ingaende_prior_ore.is_none() {
        missing.push("ingående eget kapital");
    }
    if s.prior_resultat.is_none() {
        missing.push("resultatet (jämförelsetal på resultatraderna)");
    }
    Check::new(
        PRIOR_BALANCE,
        false,
        format!(
            "Jämförelsetalen för föregående år är ofullständiga: {} saknas.",
            missing.join(", ")
        ),
    )
}

fn costs_classified(acc: &Accounts) -> Check {
    let costs: Vec<_> = acc
        .resultat
        .iter()
        .filter(|l| l.section == Section::Kostnad)
        .collect();
    let unclassified: Vec<&str> = costs
        .iter()
        .filter(|l| l.class.is_none())
        .map(|l| l.label.as_str())
        .collect();
    if unclassified.is_empty() {
        Check::new(
            COSTS_CLASSIFIED,
            true,
            format!("Alla kostnadsrader ({} st) är klassade.", costs.len()),
        )
    } else {
        Check::new(
            COSTS_CLASSIFIED,
            false,
            format!(
                "Kostnadsrader utan klass: {}. Ange individinriktad, strukturövergripande, administration eller ny verksamhet.",
                unclassified.join(", ")
            ),
        )
    }
}

fn contributions_split(file: &YearFile, acc: &Accounts) -> Check {
    let s = FundingSplit::from_accounts(&file.members, acc);
    if s.total == Ore(0) {
        return Check::new(
            CONTRIBUTIONS_SPLIT,
            false,
            "Inga medlemsbidrag är bokförda (intäktsrader med betalande medlem).",
        );
    }
    let pct = |t: Option<i64>| t.map_or_else(String::new, format_percent_tenths);
    let mut figures = format!(
        "staten {} ({}), regionen {} ({}), kommunerna {} ({})",
        print_kr(s.staten),
        pct(s.staten_tenths),
        print_kr(s.region),
        pct(s.region_tenths),
        print_kr(s.kommuner),
        pct(s.kommuner_tenths)
    );
    if s.okand != Ore(0) {
        figures.push_str(&format!(
            ", från medlemmar som inte finns i filen {}",
            print_kr(s.okand)
        ));
    }
    let total = print_kr(s.total);
    match s.accuracy() {
        SplitAccuracy::Exact => Check::new(
            CONTRIBUTIONS_SPLIT,
            true,
            format!("Medlemsbidragen ({total}) fördelas exakt 50/25/25: {figures}."),
        ),
        SplitAccuracy::WithinOneKrona => Check::new(
            CONTRIBUTIONS_SPLIT,
            true,
            format!(
                "Medlemsbidragen ({total}) fördelas 50/25/25 inom en krona (avrundning): {figures}."
            ),
        ),
        SplitAccuracy::Off => Check::new(
            CONTRIBUTIONS_SPLIT,
            false,
            format!("Medlemsbidragen ({total}) fördelas inte 50/25/25 som lagen säger: {figures}."),
        ),
    }
}

fn ek_under_cap(file: &YearFile, acc: &Accounts) -> Check {
    let ek = statements(acc).balans.eget_kapital_utgaende;
    let bidrag = medlemsbidrag(acc);
    let tak = eget_kapital_cap(bidrag, &file.settings);
    let share = match tenths(ek, bidrag) {
        Some(t) if bidrag > Ore(0) => format!(
            "är {} av medlemsbidragen ({})",
            format_percent_tenths(t),
            print_kr(bidrag)
        ),
        _ => "har inga medlemsbidrag att jämföras med".to_owned(),
    };
    if ek <= tak {
        Check::new(
            EK_UNDER_CAP,
            true,
            format!(
                "Eget kapital ({}) {share} och ryms inom rekommendationens tak ({}).",
                print_kr(ek),
                print_kr(tak)
            ),
        )
    } else {
        Check::new(
            EK_UNDER_CAP,
            false,
            format!(
                "Eget kapital ({}) {share} och överstiger rekommendationens tak ({}) med {}.",
                print_kr(ek),
                print_kr(tak),
                print_kr(ek - tak)
            ),
        )
    }
}

fn status_label(s: ReportStatus) -> &'static str {
    match s {
        ReportStatus::Draft => "utkast",
        ReportStatus::Submitted => "inskickad, ej granskad",
        ReportStatus::Returned => "återsänd för komplettering",
        ReportStatus::Approved => "godkänd",
    }
}

/// Every coach report of the year and `period` is approved.
fn coach_reports_approved(file: &YearFile, period: ReportPeriod) -> Check {
    let year = file.year;
    let kind = match period {
        ReportPeriod::Helar => "helårsrapporter",
        ReportPeriod::Delar => "delårsrapporter",
    };
    let reports: Vec<_> = file
        .coach_reports
        .iter()
        .filter(|r| r.year == year && r.period == period)
        .collect();
    if reports.is_empty() {
        return Check::new(
            COACH_REPORTS_APPROVED,
            true,
            format!("Det finns inga {kind} för {year}."),
        );
    }
    let pending: Vec<String> = reports
        .iter()
        .filter(|r| r.status != ReportStatus::Approved)
        .map(|r| {
            let insats = file
                .insatser
                .iter()
                .find(|i| i.key == r.insats)
                .map_or(r.insats.as_str(), |i| i.name.as_str());
            let kommun = r.kommun.as_deref().map(|k| {
                file.members
                    .iter()
                    .find(|m| m.key == k)
                    .map_or(k, |m| m.name.as_str())
            });
            match kommun {
                Some(k) => format!("{insats} ({k}): {}", status_label(r.status)),
                None => format!("{insats}: {}", status_label(r.status)),
            }
        })
        .collect();
    if pending.is_empty() {
        Check::new(
            COACH_REPORTS_APPROVED,
            true,
            format!("Alla {kind} för {year} ({} st) är godkända.", reports.len()),
        )
    } else {
        Check::new(
            COACH_REPORTS_APPROVED,
            false,
            format!(
                "{}{} för {year} som inte är godkända: {}.",
                kind[..1].to_uppercase(),
                &kind[1..],
                pending.join("; ")
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::fixtures::{hoglandet_2024, kr};

    fn by_code(checks: &[Check], code: &str) -> Check {
        checks.iter().find(|c| c.code == code).unwrap().clone()
    }

    #[test]
    fn hoglandet_2024_holds_together() {
        let c = checks(&hoglandet_2024());
        assert_eq!(c.iter().map(|c| c.code).collect::<Vec<_>>(), CODES);
        let messages: Vec<(&str, bool, &str)> = c
            .iter()
            .map(|c| (c.code, c.ok, c.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    BALANCE,
                    true,
                    "Tillgångarna (2 127 221) är lika stora som eget kapital och skulder (2 127 221)."
                ),
                (
                    EK_ROLL,
                    true,
                    "Eget kapital: ingående 1 639 471 + årets resultat \u{2212}155 574 = utgående 1 483 897. Ingående eget kapital är föregående års utgående (1 215 582 + 423 889 = 1 639 471)."
                ),
                (
                    KASSAFLODE,
                    true,
                    "Lika stora: årets kassaflöde (\u{2212}176 641) och förändringen av likvida medel (2 009 910 − 2 186 551 = \u{2212}176 641)."
                ),
                (
                    PRIOR_BALANCE,
                    true,
                    "Föregående år: tillgångarna (2 234 040) är lika stora som eget kapital och skulder (2 234 040)."
                ),
                (
                    COSTS_CLASSIFIED,
                    true,
                    "Alla kostnadsrader (14 st) är klassade."
                ),
                (
                    CONTRIBUTIONS_SPLIT,
                    true,
                    "Medlemsbidragen (8 036 000) fördelas exakt 50/25/25: staten 4 018 000 (50,0 %), regionen 2 009 000 (25,0 %), kommunerna 2 009 000 (25,0 %)."
                ),
                (
                    EK_UNDER_CAP,
                    true,
                    "Eget kapital (1 483 897) är 18,5 % av medlemsbidragen (8 036 000) och ryms inom rekommendationens tak (1 555 400)."
                ),
                (
                    COACH_REPORTS_APPROVED,
                    true,
                    "Alla helårsrapporter för 2024 (7 st) är godkända."
                ),
            ]
        );
    }

    #[test]
    fn an_unbalanced_year_reports_every_failing_check() {
        let mut f = hoglandet_2024();
        let acc = f.accounts.as_mut().unwrap();
        // Kassa off by 40 öre: the balance sheet and the cash flow no longer agree, though both print alike.
        acc.kassa_och_bank_ore += 40;
        // The opening eget kapital does not follow from last year.
        acc.eget_kapital_ingaende_ore += kr(1_000, 0);
        // Last year's balance sheet is off too.
        acc.kassa_och_bank_prior_ore = acc.kassa_och_bank_prior_ore.map(|k| k - kr(5, 0));
        // An unclassified cost, paid to a member outside the file's shares, and too much capital.
        let mut cost = acc
            .resultat
            .iter()
            .find(|l| l.key == "styrelse")
            .unwrap()
            .clone();
        cost.key = "okand".into();
        cost.label = "Okänd kostnad".into();
        cost.class = None;
        cost.utfall_ore = 0;
        cost.prior_ore = None;
        acc.resultat.push(cost);
        acc.resultat
            .iter_mut()
            .find(|l| l.key == "aneby")
            .unwrap()
            .utfall_ore += kr(50_000, 0);
        acc.eget_kapital_ingaende_ore += kr(5_000_000, 0);
        f.coach_reports[2].status = ReportStatus::Submitted;
        f.coach_reports[0].status = ReportStatus::Returned;

        let c = checks(&f);
        assert_eq!(c.len(), CODES.len());
        let failing: Vec<&str> = c.iter().filter(|c| !c.ok).map(|c| c.code).collect();
        assert_eq!(failing, CODES, "{c:#?}");

        let balance = by_code(&c, BALANCE);
        assert!(balance.message.starts_with("Tillgångarna (2 127 222) är inte lika stora som eget kapital och skulder (7 178 221)"), "{}", balance.message);
        assert!(
            by_code(&c, EK_ROLL)
                .message
                .contains("skillnaden är 5 001 000,00 kr")
        );
        assert!(by_code(&c, KASSAFLODE).message.contains("skillnaden är "));
        assert!(
            by_code(&c, PRIOR_BALANCE)
                .message
                .contains("skillnaden är \u{2212}5,00 kr")
        );
        assert!(
            by_code(&c, COSTS_CLASSIFIED)
                .message
                .starts_with("Kostnadsrader utan klass: Okänd kostnad.")
        );
        assert!(
            by_code(&c, CONTRIBUTIONS_SPLIT)
                .message
                .starts_with("Medlemsbidragen (8 086 000) fördelas inte 50/25/25")
        );
        assert!(
            by_code(&c, EK_UNDER_CAP)
                .message
                .contains("överstiger rekommendationens tak (1 562 900)"),
            "{}",
            by_code(&c, EK_UNDER_CAP).message
        );
        assert_eq!(
            by_code(&c, COACH_REPORTS_APPROVED).message,
            "Helårsrapporter för 2024 som inte är godkända: IT-spåret: återsänd för komplettering; SE-Höglandet (Eksjö kommun): inskickad, ej granskad."
        );
    }

    #[test]
    fn forty_ore_are_enough_to_fail_the_balance() {
        let mut f = hoglandet_2024();
        f.accounts.as_mut().unwrap().kassa_och_bank_ore += 40;
        let c = checks(&f);
        let b = by_code(&c, BALANCE);
        assert!(!b.ok);
        assert_eq!(
            b.message,
            "Tillgångarna (2 127 222) är inte lika stora som eget kapital och skulder (2 127 221): skillnaden är 0,40 kr."
        );
        // The cash flow follows the result and the balance items, not the kassa: it fails too.
        assert!(!by_code(&c, KASSAFLODE).ok);
    }

    #[test]
    fn the_delar_is_checked_on_its_own_figures_and_reports() {
        let mut f = hoglandet_2024();
        let c = delar_checks(&f);
        assert_eq!(c.iter().map(|c| c.code).collect::<Vec<_>>(), DELAR_CODES);
        assert!(c[..4].iter().all(|c| !c.ok && c.message == DELAR_MISSING));
        assert!(
            c[4].ok,
            "the one delår report is approved: {}",
            c[4].message
        );

        // Balances that hold, and no year's accounts: the delår's checks do not need them.
        f.delar = f.accounts.take();
        let c = delar_checks(&f);
        assert!(c.iter().all(|c| c.ok), "{c:?}");
        assert!(c[0].message.starts_with("Per 30 juni: tillgångarna"));
        assert!(
            c[1].message.contains("periodens kassaflöde"),
            "{}",
            c[1].message
        );
        assert!(c[2].message.starts_with("Vid föregående årsskifte"));

        let d = f.delar.as_mut().unwrap();
        d.kassa_och_bank_ore += 40;
        d.eget_kapital_ingaende_prior_ore = None;
        f.coach_reports[7].status = ReportStatus::Submitted;
        let c = delar_checks(&f);
        let failing: Vec<&str> = c.iter().filter(|c| !c.ok).map(|c| c.code).collect();
        assert_eq!(
            failing,
            [BALANCE, KASSAFLODE, PRIOR_BALANCE, COACH_REPORTS_APPROVED]
        );
        assert!(
            c[0].message.contains("skillnaden är 0,40 kr"),
            "{}",
            c[0].message
        );
        assert!(
            c[4].message
                .starts_with("Delårsrapporter för 2024 som inte är godkända"),
            "{}",
            c[4].message
        );
        // The year's checks look at the helår reports only.
        assert!(by_code(&checks(&f), COACH_REPORTS_APPROVED).ok);
    }

    #[test]
    fn missing_accounts_fail_the_accounts_checks() {
        let mut f = hoglandet_2024();
        f.accounts = None;
        let c = checks(&f);
        assert_eq!(c.iter().map(|c| c.code).collect::<Vec<_>>(), CODES);
        for check in &c[..7] {
            assert!(!check.ok);
            assert_eq!(check.message, ACCOUNTS_MISSING);
        }
        assert!(c[7].ok);
    }

    #[test]
    fn without_prior_figures_there_is_nothing_to_reconcile_but_the_cash_flow() {
        let mut f = hoglandet_2024();
        let acc = f.accounts.as_mut().unwrap();
        acc.kassa_och_bank_prior_ore = None;
        acc.eget_kapital_ingaende_prior_ore = None;
        for l in &mut acc.resultat {
            l.prior_ore = None;
        }
        for i in acc
            .fordringar
            .iter_mut()
            .chain(acc.kortfristiga_skulder.iter_mut())
        {
            i.prior_ore = None;
        }
        let c = checks(&f);
        assert!(by_code(&c, BALANCE).ok);
        assert_eq!(
            by_code(&c, EK_ROLL),
            Check::new(
                EK_ROLL,
                true,
                "Eget kapital: ingående 1 639 471 + årets resultat \u{2212}155 574 = utgående 1 483 897."
            )
        );
        assert!(by_code(&c, PRIOR_BALANCE).ok);
        let k = by_code(&c, KASSAFLODE);
        assert!(!k.ok && k.message.starts_with("Likvida medel vid årets början"));

        // Only part of the prior figures: say what is missing.
        let acc = f.accounts.as_mut().unwrap();
        acc.kassa_och_bank_prior_ore = Some(kr(2_186_551, 0));
        let c = checks(&f);
        assert_eq!(
            by_code(&c, PRIOR_BALANCE).message,
            "Jämförelsetalen för föregående år är ofullständiga: ingående eget kapital, resultatet (jämförelsetal på resultatraderna) saknas."
        );
        let acc = f.accounts.as_mut().unwrap();
        acc.eget_kapital_ingaende_prior_ore = Some(kr(1_215_582, 40));
        let e = by_code(&checks(&f), EK_ROLL);
        assert!(!e.ok && e.message.contains("inte föregående års resultat"));
    }

    #[test]
    fn rounding_within_a_krona_is_accepted_and_said() {
        let mut f = hoglandet_2024();
        let acc = f.accounts.as_mut().unwrap();
        acc.resultat
            .iter_mut()
            .find(|l| l.key == "aneby")
            .unwrap()
            .utfall_ore += kr(1, 0);
        let c = by_code(&checks(&f), CONTRIBUTIONS_SPLIT);
        assert!(c.ok);
        assert!(
            c.message.contains("inom en krona (avrundning)"),
            "{}",
            c.message
        );

        acc_no_contributions(&mut f);
        let c = by_code(&checks(&f), CONTRIBUTIONS_SPLIT);
        assert!(!c.ok);
        let e = by_code(&checks(&f), EK_UNDER_CAP);
        assert!(
            !e.ok && e.message.contains("har inga medlemsbidrag"),
            "{}",
            e.message
        );
    }

    fn acc_no_contributions(f: &mut YearFile) {
        for l in &mut f.accounts.as_mut().unwrap().resultat {
            l.member = None;
        }
    }
}
