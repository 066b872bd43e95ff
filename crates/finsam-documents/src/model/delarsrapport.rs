//! The delårsrapport's input (`typst-templates/README.md`, "Delårsrapport"), built from the stored year
//! for the period 1 January – 30 June of `file.year`.
//!
//! The figures come from the year's delår (`YearFile::delar`: the accounts per 30 June with the utfall
//! 1 January – 30 June, the same period the year before, and each line's full-year budget and prognos),
//! computed by the same `finsam_core::finance` functions as the årsredovisning's:
//! - resultaträkning: budget (full year), utfall to date, prognos (full year) and the same period the
//!   year before; notes on intäkter and kostnader with the same two periods;
//! - balansräkning at 30 June against 31 December the year before (`finance::opening_balance`: the
//!   delår's `prior_ore` result amounts are a half year, so `Statements::prior_balans` would not do);
//! - kassaflödesanalys of the period (`finance::cash_flow` applies as is: the period's result, the change
//!   of fordringar and skulder since 31 December, and the likvida medel then and now);
//! - driftredovisning: budget, prognos, the prognos's avvikelse from the budget, utfall to date;
//! - ekonomi: costs per class, the administration share, medlemsbidrag and soliditet, all of the period;
//! - eget kapital and balanskrav as **prognoses** for the year end: the national recommendation and the
//!   balanskrav are about a year, so they are judged on the prognos (eget kapital at 1 January + the
//!   prognos result, against the prognos of the year's medlemsbidrag), never on half a year's figures.
//!
//! Left null because they mean nothing for a half year or are not held: the kassaflödesanalys's column
//! for the year before (it needs the balances at 30 June the year before), the insatser's avvikelse (a
//! full-year budget against half a year's utfall), the socioekonomisk effekt (a yearly value per
//! participant against the year's funding), and the investeringar's prognos (none is stored).
//!
//! Without a delår the year file holds no outcome for the period, and the report shows what it has: the
//! organisation as at 30 June, the insatser with their budgets, the delår reports, the texts, the result
//! lines' full-year budget and the balances at the end of the year before. The template leaves an
//! all-null column out and prints "Uppgifter saknas." for an empty table.

use super::arsredovisning::{
    NoteRefs, ResultColumns, Row, Span, balance_rows, balanskrav, budget_column, cash_flow_rows,
    delar_operating_rows, eget_kapital, ekonomi, insats, insatser_summa, investment_rows, kansli,
    note, notes, operating_rows, ordforande, planned_accounts, prognos_column, rapporter,
    result_rows, seat_rows, selected_insatser, texts, ymd,
};
use super::{Meta, ModelError, date, envelope};
use crate::Kind;
use chrono::NaiveDate;
use finsam_core::finance::{cash_flow, medlemsbidrag, opening_balance, statements};
use finsam_core::money::Ore;
use finsam_core::yearfile::{Accounts, Insats, ReportPeriod, YearFile};
use serde_json::{Value, json};

/// Note 1 of the delårsrapport (redovisningsprinciper); `{from}` and `{to}` are the period.
pub const REDOVISNINGSPRINCIPER: &str = "Delårsrapporten avser perioden {from} – {to}. Den har upprättats enligt samma principer som årsredovisningen, det vill säga enligt lagen (2018:597) om kommunal bokföring och redovisning (LKBR) och Rådet för kommunal redovisnings (RKR) rekommendationer, bland dem rekommendationen om delårsrapport.

Beloppen anges i hela kronor. Varje belopp avrundas för sig, så en summa kan avvika med någon krona från summan av de avrundade raderna.";

/// Added to note 1 when the delår's figures are stored: what the columns compare.
pub const JAMFORELSER: &str = "Budget och prognos avser helåret. Resultaträkningen och noterna jämförs med samma period föregående år, balansräkningen med ställningen vid föregående årsskifte.";

/// The text of the notes on fordringar and kortfristiga skulder; `{to}` is the end of the period.
pub const BALANSNOT: &str =
    "Belopp per {to}. Ställningen vid föregående årsskifte framgår av balansräkningen.";

/// Printed in the investeringsredovisning when the year has investments but no delår: the year file
/// does not say which of them fall in the period.
pub const INVESTERINGAR_OKAND_PERIOD: &str = "Årets investeringar är registrerade för helåret; vilka som gjorts under perioden framgår inte.";

/// The figures of the report: from the delår when stored, else what the year holds for the period.
struct Figures {
    prior_period_end: Option<NaiveDate>,
    prior_year_end: Option<NaiveDate>,
    ekonomi: Value,
    eget_kapital: Value,
    balanskrav: Value,
    resultatrakning: Vec<Value>,
    balansrakning: Vec<Value>,
    kassaflodesanalys: Vec<Value>,
    driftredovisning: Vec<Value>,
    investeringar: Vec<Value>,
    noter: Vec<Value>,
}

/// Note 1 with the period filled in.
fn principles(start: NaiveDate, end: NaiveDate) -> String {
    REDOVISNINGSPRINCIPER
        .replace("{from}", &date(start))
        .replace("{to}", &date(end))
}

/// The figures of the stored delår `d` (see the module's documentation).
fn from_delar(
    file: &YearFile,
    d: &Accounts,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Figures, ModelError> {
    let year = file.year;
    let s = statements(d);
    let opening = opening_balance(d);
    let principles = format!("{}\n\n{JAMFORELSER}", principles(start, end));
    let balansnot = BALANSNOT.replace("{to}", &date(end));
    let (noter, refs) = notes(d, &s, &principles, Some(&balansnot));
    let prognos = prognos_column(d);
    let resultatrakning = result_rows(
        &ResultColumns {
            budget: budget_column(d),
            current: Some(s.resultat),
            prognos,
            prior: s.prior_resultat,
        },
        &refs,
        "Periodens resultat",
    );
    // The year end as the prognos sees it: the lines' prognoses (a line without one counts as 0, as
    // in the prognos column) as the year's figures.
    let year_end = prognos_column(d).map(|_| {
        let p = planned_accounts(d, |l| l.prognos_ore);
        let result = statements(&p).resultat.arets_resultat;
        (p, result, Ore(d.eget_kapital_ingaende_ore) + result)
    });
    Ok(Figures {
        prior_period_end: s.prior_resultat.map(|_| ymd(year - 1, 6, 30)).transpose()?,
        prior_year_end: opening.map(|_| ymd(year - 1, 12, 31)).transpose()?,
        ekonomi: ekonomi(d),
        eget_kapital: year_end.as_ref().map_or(Value::Null, |(p, _, ek)| {
            eget_kapital(file, medlemsbidrag(p), *ek)
        }),
        // The realisationsvinster known so far are the period's.
        balanskrav: year_end
            .as_ref()
            .map_or(Value::Null, |(p, result, _)| balanskrav(p, *result)),
        resultatrakning,
        balansrakning: balance_rows(
            Some(&s.balans),
            opening.as_ref(),
            &refs,
            "Periodens resultat",
        ),
        kassaflodesanalys: cash_flow(d).map_or_else(Vec::new, |c| cash_flow_rows(&c, Span::Period)),
        driftredovisning: delar_operating_rows(d, &s, year_end.map(|(_, _, ek)| ek)),
        investeringar: investment_rows(d),
        noter,
    })
}

/// Without a delår: the result lines' full-year budget, the balances at the end of the year before,
/// and nothing of the period (the year's accounts hold the year's utfall, never a half year's).
fn without_delar(file: &YearFile, start: NaiveDate, end: NaiveDate) -> Figures {
    let year = file.year;
    let acc = file.accounts.as_ref();
    let prior_balans = acc.and_then(|a| statements(a).prior_balans);
    let refs = NoteRefs::default();
    let resultatrakning = acc.map_or_else(Vec::new, |a| {
        result_rows(
            &ResultColumns {
                budget: budget_column(a),
                current: None,
                prognos: None,
                prior: None,
            },
            &refs,
            "Periodens resultat",
        )
    });
    let investeringar: Vec<Value> = match acc {
        Some(a) if !a.investeringar.is_empty() => {
            vec![Row::line(INVESTERINGAR_OKAND_PERIOD).value()]
        }
        _ => Vec::new(),
    };
    let noter: Vec<Value> = if acc.is_some() {
        vec![note(
            1,
            "Redovisningsprinciper",
            &principles(start, end),
            vec![],
        )]
    } else {
        Vec::new()
    };
    Figures {
        // No figures of the same period the year before are stored.
        prior_period_end: None,
        prior_year_end: prior_balans.and_then(|_| ymd(year - 1, 12, 31).ok()),
        ekonomi: Value::Null,
        eget_kapital: Value::Null,
        balanskrav: Value::Null,
        resultatrakning,
        balansrakning: balance_rows(None, prior_balans.as_ref(), &refs, "Periodens resultat"),
        kassaflodesanalys: Vec::new(),
        driftredovisning: acc.map_or_else(Vec::new, |a| operating_rows(a, None)),
        investeringar,
        noter,
    }
}

/// The envelope of the delårsrapport for 1 January – 30 June of `file.year`.
pub fn build(file: &YearFile, meta: &Meta) -> Result<Value, ModelError> {
    let year = file.year;
    let start = ymd(year, 1, 1)?;
    let end = ymd(year, 6, 30)?;
    let f = match &file.delar {
        Some(d) => from_delar(file, d, start, end)?,
        None => without_delar(file, start, end),
    };

    let insatser: Vec<&Insats> = selected_insatser(file, ReportPeriod::Delar);
    let insats_values: Vec<Value> = insatser
        .iter()
        .map(|i| insats(file, i, ReportPeriod::Delar))
        .collect();

    let data = json!({
        "year": year,
        "period_end": date(end),
        "prior_period_end": f.prior_period_end.map(date),
        "prior_year_end": f.prior_year_end.map(date),
        "texts": texts(file),
        "ordforande": ordforande(file, end),
        "styrelse": seat_rows(file, &file.organisation.styrelse, start, end, true),
        "beredningsgrupp": seat_rows(file, &file.organisation.beredningsgrupp, start, end, false),
        "kansli": kansli(file, start, end),
        "ekonomi": f.ekonomi,
        "eget_kapital": f.eget_kapital,
        "balanskrav": f.balanskrav,
        "socioekonomi": Value::Null,
        "insatser": insats_values,
        "insatser_summa": insatser_summa(file, &insatser, false),
        "resultatrakning": f.resultatrakning,
        "balansrakning": f.balansrakning,
        "kassaflodesanalys": f.kassaflodesanalys,
        "driftredovisning": f.driftredovisning,
        "investeringar": f.investeringar,
        "noter": f.noter,
        "underskrift": Value::Null,
        "rapporter": rapporter(file, ReportPeriod::Delar),
    });
    Ok(envelope(
        Kind::Delarsrapport,
        meta,
        format!("Delårsrapport {year}"),
        Some(format!("Perioden {} – {}", date(start), date(end))),
        data,
    ))
}
