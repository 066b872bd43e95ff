//! The delårsrapport's input (`typst-templates/README.md`, "Delårsrapport"), built from the stored year
//! for the period 1 January – 30 June of `file.year`.
//!
//! What the year file holds for a delår, and what it does not:
//! - held: the organisation with dates (so the styrelse and beredningsgrupp as at 30 June), the kansli,
//!   the insatser with their budget for the year, the coaches' delår reports, the texts, the result
//!   lines' full-year budget and the balances at the end of the year before (`prior_ore`, the opening
//!   balances of the period);
//! - not held: any outcome for the period. `accounts` keep the year's utfall and the year before's, never a
//!   half year, and there is no full-year prognos. So the columns "Utfall t.o.m. 30 juni", "Prognos" and
//!   the corresponding period of the year before stay null, as do the figures computed from them
//!   (ekonomi, eget kapital and balanskrav prognoses, the kassaflödesanalys, the insatser's utfall to
//!   date). The template leaves an all-null column out and prints "Uppgifter saknas." for an empty table.

use super::arsredovisning::{
    NoteRefs, ResultColumns, Row, balance_rows, budget_column, insats, insatser_summa, kansli,
    note, operating_rows, ordforande, rapporter, result_rows, seat_rows, selected_insatser, texts,
    ymd,
};
use super::{Meta, ModelError, date, envelope};
use crate::Kind;
use finsam_core::finance::statements;
use finsam_core::yearfile::{Insats, ReportPeriod, YearFile};
use serde_json::{Value, json};

/// Note 1 of the delårsrapport (redovisningsprinciper); `{from}` and `{to}` are the period.
pub const REDOVISNINGSPRINCIPER: &str = "Delårsrapporten avser perioden {from} – {to}. Den har upprättats enligt samma principer som årsredovisningen, det vill säga enligt lagen (2018:597) om kommunal bokföring och redovisning (LKBR) och Rådet för kommunal redovisnings (RKR) rekommendationer, bland dem rekommendationen om delårsrapport.

Beloppen anges i hela kronor. Varje belopp avrundas för sig, så en summa kan avvika med någon krona från summan av de avrundade raderna.";

/// Printed in the investeringsredovisning when the year has investments: the year file does not say
/// which of them fall in the period.
pub const INVESTERINGAR_OKAND_PERIOD: &str = "Årets investeringar är registrerade för helåret; vilka som gjorts under perioden framgår inte.";

/// The envelope of the delårsrapport for 1 January – 30 June of `file.year`.
pub fn build(file: &YearFile, meta: &Meta) -> Result<Value, ModelError> {
    let year = file.year;
    let start = ymd(year, 1, 1)?;
    let end = ymd(year, 6, 30)?;
    let acc = file.accounts.as_ref();
    let st = acc.map(statements);
    let prior_balans = st.and_then(|s| s.prior_balans);
    let prior_year_end = prior_balans.and_then(|_| ymd(year - 1, 12, 31).ok());
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
    let balansrakning = balance_rows(None, prior_balans.as_ref(), &refs, "Periodens resultat");
    let driftredovisning = acc.map_or_else(Vec::new, |a| operating_rows(a, None));
    let investeringar: Vec<Value> = match acc {
        Some(a) if !a.investeringar.is_empty() => {
            vec![Row::line(INVESTERINGAR_OKAND_PERIOD).value()]
        }
        _ => Vec::new(),
    };
    let noter: Vec<Value> = if acc.is_some() {
        let text = REDOVISNINGSPRINCIPER
            .replace("{from}", &date(start))
            .replace("{to}", &date(end));
        vec![note(1, "Redovisningsprinciper", &text, vec![])]
    } else {
        Vec::new()
    };

    let insatser: Vec<&Insats> = selected_insatser(file, ReportPeriod::Delar);
    let insats_values: Vec<Value> = insatser
        .iter()
        .map(|i| insats(file, i, ReportPeriod::Delar))
        .collect();

    let data = json!({
        "year": year,
        "period_end": date(end),
        // No figures of the same period the year before are stored.
        "prior_period_end": Value::Null,
        "prior_year_end": prior_year_end.map(date),
        "texts": texts(file),
        "ordforande": ordforande(file, end),
        "styrelse": seat_rows(file, &file.organisation.styrelse, start, end, true),
        "beredningsgrupp": seat_rows(file, &file.organisation.beredningsgrupp, start, end, false),
        "kansli": kansli(file, start, end),
        "ekonomi": Value::Null,
        "eget_kapital": Value::Null,
        "balanskrav": Value::Null,
        "socioekonomi": Value::Null,
        "insatser": insats_values,
        "insatser_summa": insatser_summa(file, &insatser, false),
        "resultatrakning": resultatrakning,
        "balansrakning": balansrakning,
        "kassaflodesanalys": [],
        "driftredovisning": driftredovisning,
        "investeringar": investeringar,
        "noter": noter,
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
