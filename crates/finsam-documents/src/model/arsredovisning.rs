//! The årsredovisning's input (`typst-templates/README.md`, "Årsredovisning"), built from the stored year.
//!
//! Every figure comes from `finsam_core::finance` (statements, cash flow, key figures, overview, socio);
//! what the domain has no function for (the budget column, the eget kapital brackets one by one,
//! participant sums) is computed here from öre integers and counts. Rounding happens only when a figure is
//! formatted. The building blocks the delårsrapport shares are `pub(super)`.

use super::{
    Meta, ModelError, blocks, date, envelope, int, kr, percent_tenths, percent_whole, tkr,
};
use crate::Kind;
use chrono::NaiveDate;
use finsam_core::finance::{
    self, BalanceSheet, CashFlow, ResultStatement, administration_share, apply_tenths,
    balanskravsresultat, cash_flow, class_shares, eget_kapital_cap, five_year_overview,
    medlemsbidrag, socio::annual_value_per_participant, socioekonomisk_effekt, statements,
};
use finsam_core::money::Ore;
use finsam_core::yearfile::{
    Accounts, CoachReport, CostClass, EkReading, Ended, GenderCounts, Insats, InsatsKind,
    Maluppfyllelse, Position, ReportPeriod, ReportStatus, ResultLine, Seat, SeatKind, Section,
    TEXT_KEYS, YearFile, is_arsredovisning_text,
};
use serde_json::{Value, json};

/// Note 1 of the årsredovisning (redovisningsprinciper). The year file holds no wording for it.
pub const REDOVISNINGSPRINCIPER: &str = "Årsredovisningen har upprättats enligt lagen (2018:597) om kommunal bokföring och redovisning (LKBR) och Rådet för kommunal redovisnings (RKR) rekommendationer, i den mån de är tillämpliga på ett samordningsförbund.

Intäkter och kostnader redovisas det räkenskapsår de hör till. Fordringar och skulder tas upp till nominella belopp.

Beloppen anges i hela kronor. Varje belopp avrundas för sig, så en summa kan avvika med någon krona från summan av de avrundade raderna.";

/// The styrelse's statement above the signatures; `{forbund}` and `{year}` are filled in.
pub const STYRELSENS_UNDERSKRIFT: &str = "Styrelsen för {forbund} har upprättat årsredovisningen för räkenskapsåret {year} och överlämnar den till förbundets medlemmar och revisorer.";

/// The envelope of the årsredovisning for `file.year`.
pub fn build(file: &YearFile, meta: &Meta) -> Result<Value, ModelError> {
    let year = file.year;
    let start = ymd(year, 1, 1)?;
    let end = ymd(year, 12, 31)?;
    let acc = file.accounts.as_ref();
    // The accounts with their statements, when the year has accounts.
    let fin = acc.map(|a| (a, statements(a)));
    let st = fin.as_ref().map(|(_, s)| s);
    let prior_any = st.is_some_and(|s| s.prior_resultat.is_some() || s.prior_balans.is_some());
    let prior_end = st
        .and_then(|s| s.prior_balans)
        .and_then(|_| NaiveDate::from_ymd_opt(year - 1, 12, 31));

    let (noter, refs) = fin.as_ref().map_or_else(
        || (Vec::new(), NoteRefs::default()),
        |(a, s)| notes(a, s, REDOVISNINGSPRINCIPER, None),
    );
    let resultatrakning = fin.as_ref().map_or_else(Vec::new, |(a, s)| {
        result_rows(
            &ResultColumns {
                budget: budget_column(a),
                current: Some(s.resultat),
                prognos: None,
                prior: s.prior_resultat,
            },
            &refs,
            "Årets resultat",
        )
    });
    let balansrakning = st.map_or_else(Vec::new, |s| {
        balance_rows(
            Some(&s.balans),
            s.prior_balans.as_ref(),
            &refs,
            "Årets resultat",
        )
    });
    let kassaflodesanalys = acc
        .and_then(cash_flow)
        .map_or_else(Vec::new, |c| cash_flow_rows(&c, Span::Year));
    let driftredovisning = fin
        .as_ref()
        .map_or_else(Vec::new, |(a, s)| operating_rows(a, Some(s)));
    let investeringar = acc.map_or_else(Vec::new, investment_rows);

    let insatser: Vec<&Insats> = selected_insatser(file, ReportPeriod::Helar);
    let insats_values: Vec<Value> = insatser
        .iter()
        .map(|i| insats(file, i, ReportPeriod::Helar))
        .collect();

    let data = json!({
        "year": year,
        "prior_year": prior_any.then_some(year - 1),
        "period_end": date(end),
        "prior_period_end": prior_end.map(date),
        "texts": texts(file),
        "ordforande": ordforande(file, end),
        "oversikt": acc.map_or_else(Vec::new, |a| overview(year, a)),
        "styrelse": seat_rows(file, &file.organisation.styrelse, start, end, true),
        "beredningsgrupp": seat_rows(file, &file.organisation.beredningsgrupp, start, end, false),
        "kansli": kansli(file, start, end),
        "ekonomi": acc.map(ekonomi),
        "eget_kapital": fin.as_ref().map(|(a, s)| {
            eget_kapital(file, medlemsbidrag(a), s.balans.eget_kapital_utgaende)
        }),
        "balanskrav": fin.as_ref().map(|(a, s)| balanskrav(a, s.resultat.arets_resultat)),
        "socioekonomi": socioekonomi(file),
        "insatser": insats_values,
        "insatser_summa": insatser_summa(file, &insatser, true),
        "resultatrakning": resultatrakning,
        "balansrakning": balansrakning,
        "kassaflodesanalys": kassaflodesanalys,
        "driftredovisning": driftredovisning,
        "investeringar": investeringar,
        "noter": noter,
        "underskrift": underskrift(file, meta, end),
        "rapporter": rapporter(file, ReportPeriod::Helar),
    });
    Ok(envelope(
        Kind::Arsredovisning,
        meta,
        format!("Årsredovisning {year}"),
        Some(format!("Räkenskapsåret {} – {}", date(start), date(end))),
        data,
    ))
}

// ── Small helpers ───────────────────────────────────────────────────────────────────────────

pub(super) fn ymd(year: i32, month: u32, day: u32) -> Result<NaiveDate, ModelError> {
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| ModelError::Missing(format!("Året {year} går inte att använda som datum.")))
}

fn neg(o: Ore) -> Ore {
    Ore(-o.0)
}

/// A percentage of tenths with a decimal only when it has one: `20 %`, `12,5 %`.
fn percent_auto(tenths: i64) -> String {
    if tenths % 10 == 0 {
        percent_whole(tenths)
    } else {
        percent_tenths(tenths)
    }
}

/// Årsarbetare from hundredths: `1,0`, `1,5`, `1,25`.
fn arsarbetare(hundredths: u32) -> String {
    let (whole, frac) = (i64::from(hundredths / 100), hundredths % 100);
    if frac % 10 == 0 {
        format!("{},{}", int(whole), frac / 10)
    } else {
        format!("{},{frac:02}", int(whole))
    }
}

fn member_name(file: &YearFile, key: &str) -> String {
    file.members
        .iter()
        .find(|m| m.key == key)
        .map_or_else(|| key.to_owned(), |m| m.name.clone())
}

fn person_name(file: &YearFile, key: &str) -> String {
    file.people
        .iter()
        .find(|p| p.key == key)
        .map_or_else(|| key.to_owned(), |p| p.name.clone())
}

fn non_empty(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

/// Every text key of the årsredovisning as blocks, `[]` when unwritten (the verksamhetsplan's `vp_` texts
/// are not the årsredovisning's).
pub(super) fn texts(file: &YearFile) -> Value {
    let mut m = serde_json::Map::new();
    for key in TEXT_KEYS.iter().filter(|k| is_arsredovisning_text(k)) {
        let text = file.texts.get(*key).map_or("", String::as_str);
        m.insert((*key).to_owned(), blocks(text));
    }
    Value::Object(m)
}

// ── Statements ──────────────────────────────────────────────────────────────────────────────

/// One row of a statement or note; amounts are öre, formatted when the row is written out.
pub(super) struct Row {
    label: String,
    level: &'static str,
    note: Option<String>,
    budget: Option<Ore>,
    current: Option<Ore>,
    prognos: Option<Ore>,
    avvikelse: Option<Ore>,
    prior: Option<Ore>,
}

impl Row {
    pub(super) fn new(label: impl Into<String>, level: &'static str) -> Self {
        Self {
            label: label.into(),
            level,
            note: None,
            budget: None,
            current: None,
            prognos: None,
            avvikelse: None,
            prior: None,
        }
    }

    pub(super) fn line(label: impl Into<String>) -> Self {
        Self::new(label, "line")
    }

    fn note(mut self, n: Option<&String>) -> Self {
        self.note = n.cloned();
        self
    }

    pub(super) fn budget(mut self, o: Option<Ore>) -> Self {
        self.budget = o;
        self
    }

    fn current(mut self, o: Option<Ore>) -> Self {
        self.current = o;
        self
    }

    fn prognos(mut self, o: Option<Ore>) -> Self {
        self.prognos = o;
        self
    }

    fn avvikelse(mut self, o: Option<Ore>) -> Self {
        self.avvikelse = o;
        self
    }

    fn prior(mut self, o: Option<Ore>) -> Self {
        self.prior = o;
        self
    }

    pub(super) fn value(&self) -> Value {
        let f = |o: Option<Ore>| o.map_or(Value::Null, |o| Value::String(kr(o)));
        json!({
            "label": self.label,
            "level": self.level,
            "note": self.note,
            "budget": f(self.budget),
            "current": f(self.current),
            "prognos": f(self.prognos),
            "avvikelse": f(self.avvikelse),
            "prior": f(self.prior),
        })
    }
}

fn values(rows: Vec<Row>) -> Vec<Value> {
    rows.iter().map(Row::value).collect()
}

/// The note numbers the statements refer to (absent when the note is left out).
#[derive(Debug, Default)]
pub(super) struct NoteRefs {
    intakter: Option<String>,
    kostnader: Option<String>,
    fordringar: Option<String>,
    skulder: Option<String>,
}

/// A planned column of the resultaträkning, the budget or the delår's prognos: the result lines'
/// `budget_ore` (or `prognos_ore`) summed by the domain's own statement (lines without one count as 0),
/// with the sections that have any at all.
pub(super) struct BudgetColumn {
    r: ResultStatement,
    sections: Vec<Section>,
}

impl BudgetColumn {
    fn has(&self, s: Section) -> bool {
        self.sections.contains(&s)
    }

    fn of(&self, s: Section, f: impl Fn(&ResultStatement) -> Ore) -> Option<Ore> {
        self.has(s).then(|| f(&self.r))
    }
}

/// `None` when no result line has a budget.
pub(super) fn budget_column(acc: &Accounts) -> Option<BudgetColumn> {
    planned_column(acc, |l| l.budget_ore)
}

/// The full-year prognos of the delår; `None` when no result line has one.
pub(super) fn prognos_column(acc: &Accounts) -> Option<BudgetColumn> {
    planned_column(acc, |l| l.prognos_ore)
}

/// The same accounts with `amount` of each line (0 when it has none) as its utfall and no prior year:
/// the domain's functions then compute on the budget or the prognos.
pub(super) fn planned_accounts(
    acc: &Accounts,
    amount: impl Fn(&ResultLine) -> Option<i64>,
) -> Accounts {
    Accounts {
        resultat: acc
            .resultat
            .iter()
            .map(|l| ResultLine {
                utfall_ore: amount(l).unwrap_or(0),
                prior_ore: None,
                ..l.clone()
            })
            .collect(),
        ..acc.clone()
    }
}

fn planned_column(
    acc: &Accounts,
    amount: impl Fn(&ResultLine) -> Option<i64> + Copy,
) -> Option<BudgetColumn> {
    let sections: Vec<Section> = [
        Section::Intakt,
        Section::Kostnad,
        Section::FinansiellIntakt,
        Section::FinansiellKostnad,
    ]
    .into_iter()
    .filter(|s| {
        acc.resultat
            .iter()
            .any(|l| l.section == *s && amount(l).is_some())
    })
    .collect();
    if sections.is_empty() {
        return None;
    }
    Some(BudgetColumn {
        r: statements(&planned_accounts(acc, amount)).resultat,
        sections,
    })
}

pub(super) struct ResultColumns {
    pub(super) budget: Option<BudgetColumn>,
    pub(super) current: Option<ResultStatement>,
    pub(super) prognos: Option<BudgetColumn>,
    pub(super) prior: Option<ResultStatement>,
}

/// The resultaträkning; `[]` when no column has figures. Costs are printed negative.
pub(super) fn result_rows(c: &ResultColumns, refs: &NoteRefs, result_label: &str) -> Vec<Value> {
    if c.budget.is_none() && c.current.is_none() && c.prognos.is_none() && c.prior.is_none() {
        return Vec::new();
    }
    let row = |label: &str,
               level: &'static str,
               section: Option<Section>,
               f: &dyn Fn(&ResultStatement) -> Ore| {
        let planned = |col: &Option<BudgetColumn>| {
            col.as_ref().and_then(|b| match section {
                Some(s) => b.of(s, f),
                None => Some(f(&b.r)),
            })
        };
        Row::new(label, level)
            .budget(planned(&c.budget))
            .current(c.current.as_ref().map(f))
            .prognos(planned(&c.prognos))
            .prior(c.prior.as_ref().map(f))
    };
    values(vec![
        row(
            "Verksamhetens intäkter",
            "line",
            Some(Section::Intakt),
            &|r| r.verksamhetens_intakter,
        )
        .note(refs.intakter.as_ref()),
        row(
            "Verksamhetens kostnader",
            "line",
            Some(Section::Kostnad),
            &|r| neg(r.verksamhetens_kostnader),
        )
        .note(refs.kostnader.as_ref()),
        row("Verksamhetens resultat", "sum", None, &|r| {
            r.resultat_fore_finansiella_poster
        }),
        row(
            "Finansiella intäkter",
            "line",
            Some(Section::FinansiellIntakt),
            &|r| r.finansiella_intakter,
        ),
        row(
            "Finansiella kostnader",
            "line",
            Some(Section::FinansiellKostnad),
            &|r| neg(r.finansiella_kostnader),
        ),
        row("Resultat efter finansiella poster", "sum", None, &|r| {
            r.resultat_efter_finansiella_poster
        }),
        row(result_label, "total", None, &|r| r.arets_resultat),
    ])
}

/// The balansräkning; `[]` when neither column is known.
pub(super) fn balance_rows(
    current: Option<&BalanceSheet>,
    prior: Option<&BalanceSheet>,
    refs: &NoteRefs,
    result_label: &str,
) -> Vec<Value> {
    if current.is_none() && prior.is_none() {
        return Vec::new();
    }
    let row = |label: &str, level: &'static str, f: &dyn Fn(&BalanceSheet) -> Ore| {
        Row::new(label, level)
            .current(current.map(f))
            .prior(prior.map(f))
    };
    values(vec![
        Row::new("Tillgångar", "heading"),
        Row::new("Omsättningstillgångar", "subheading"),
        row("Fordringar", "line", &|b| b.fordringar).note(refs.fordringar.as_ref()),
        row("Kassa och bank", "line", &|b| b.kassa_och_bank),
        row("Summa omsättningstillgångar", "sum", &|b| {
            b.summa_tillgangar
        }),
        row("Summa tillgångar", "total", &|b| b.summa_tillgangar),
        Row::new("Eget kapital, avsättningar och skulder", "heading"),
        Row::new("Eget kapital", "subheading"),
        row(result_label, "line", &|b| b.arets_resultat),
        row("Övrigt eget kapital", "line", &|b| b.eget_kapital_ingaende),
        row("Summa eget kapital", "sum", &|b| b.eget_kapital_utgaende),
        Row::new("Skulder", "subheading"),
        row("Kortfristiga skulder", "line", &|b| b.kortfristiga_skulder)
            .note(refs.skulder.as_ref()),
        row("Summa skulder", "sum", &|b| b.kortfristiga_skulder),
        row(
            "Summa eget kapital, avsättningar och skulder",
            "total",
            &|b| b.summa_eget_kapital_och_skulder,
        ),
    ])
}

/// Whether a statement covers the year (årsredovisning) or the period (delårsrapport): "Årets
/// resultat" or "Periodens resultat".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Span {
    Year,
    Period,
}

impl Span {
    fn word(self) -> &'static str {
        match self {
            Span::Year => "årets",
            Span::Period => "periodens",
        }
    }

    fn capitalised(self) -> &'static str {
        match self {
            Span::Year => "Årets",
            Span::Period => "Periodens",
        }
    }
}

/// The kassaflödesanalys of the year or period. The year before would need the balances of two years
/// back (the delår: at 30 June the year before), which the year file does not hold, so its column stays
/// empty.
pub(super) fn cash_flow_rows(c: &CashFlow, span: Span) -> Vec<Value> {
    let row = |label: &str, level: &'static str, o: Ore| Row::new(label, level).current(Some(o));
    let (cap, word) = (span.capitalised(), span.word());
    values(vec![
        Row::new("Den löpande verksamheten", "subheading"),
        row(&format!("{cap} resultat"), "line", c.arets_resultat),
        row(
            "Ökning (−)/minskning (+) av kortfristiga fordringar",
            "line",
            c.forandring_fordringar,
        ),
        row(
            "Ökning (+)/minskning (−) av kortfristiga skulder",
            "line",
            c.forandring_skulder,
        ),
        row(
            "Kassaflöde från den löpande verksamheten",
            "sum",
            c.lopande_verksamhet,
        ),
        row(
            "Kassaflöde från investeringsverksamheten",
            "sum",
            c.investeringsverksamhet,
        ),
        row(
            "Kassaflöde från finansieringsverksamheten",
            "sum",
            c.finansieringsverksamhet,
        ),
        row(&format!("{cap} kassaflöde"), "total", c.arets_kassaflode),
        row(
            &format!("Likvida medel vid {word} början"),
            "line",
            c.likvida_medel_vid_arets_borjan,
        ),
        row(
            &format!("Likvida medel vid {word} slut"),
            "line",
            c.likvida_medel_vid_arets_slut,
        ),
    ])
}

/// The driftredovisning: nettokostnad and intäkt (financial items included), the result, and the
/// year-end eget kapital and likvida medel. Avvikelse is signed so that positive is favourable.
/// Without `s` (no outcome for the period) only the budget is shown, and rows without figures are left
/// out; `[]` when nothing is left.
pub(super) fn operating_rows(acc: &Accounts, s: Option<&finance::Statements>) -> Vec<Value> {
    let (b_cost, b_income, b_result) = planned_totals(budget_column(acc).as_ref());
    let r = s.map(|s| &s.resultat);
    let p = s.and_then(|s| s.prior_resultat.as_ref());
    let pb = s.and_then(|s| s.prior_balans.as_ref());
    let cost = r.map(ResultStatement::kostnader_totalt);
    let income = r.map(ResultStatement::intakter_totalt);
    let result = r.map(|r| r.arets_resultat);
    let rows = vec![
        Row::line("Nettokostnad")
            .current(cost)
            .budget(b_cost)
            .avvikelse(diff(b_cost, cost))
            .prior(p.map(ResultStatement::kostnader_totalt)),
        Row::line("Intäkt")
            .current(income)
            .budget(b_income)
            .avvikelse(diff(income, b_income))
            .prior(p.map(ResultStatement::intakter_totalt)),
        Row::new("Resultat", "sum")
            .current(result)
            .budget(b_result)
            .avvikelse(diff(result, b_result))
            .prior(p.map(|p| p.arets_resultat)),
        Row::line("Utgående eget kapital")
            .current(s.map(|s| s.balans.eget_kapital_utgaende))
            .prior(pb.map(|b| b.eget_kapital_utgaende)),
        Row::line("Likvida medel")
            .current(s.map(|s| s.balans.kassa_och_bank))
            .prior(pb.map(|b| b.kassa_och_bank)),
    ];
    let rows: Vec<Row> = if s.is_some() {
        rows
    } else {
        rows.into_iter()
            .filter(|r| r.budget.is_some() || r.prognos.is_some())
            .map(|r| r.prior(None))
            .collect()
    };
    values(rows)
}

/// `a − b` when both are known.
fn diff(a: Option<Ore>, b: Option<Ore>) -> Option<Ore> {
    a.zip(b).map(|(a, b)| a - b)
}

/// A planned column's nettokostnad and intäkt (financial items included; each `None` when none of its
/// sections is planned) and result, for the driftredovisning.
fn planned_totals(c: Option<&BudgetColumn>) -> (Option<Ore>, Option<Ore>, Option<Ore>) {
    let cost = c.and_then(|b| {
        (b.has(Section::Kostnad) || b.has(Section::FinansiellKostnad))
            .then(|| b.r.kostnader_totalt())
    });
    let income = c.and_then(|b| {
        (b.has(Section::Intakt) || b.has(Section::FinansiellIntakt)).then(|| b.r.intakter_totalt())
    });
    (cost, income, c.map(|b| b.r.arets_resultat))
}

/// The delårsrapport's driftredovisning: the full-year budget and prognos, the prognos's avvikelse from
/// the budget (positive is favourable) and the utfall to date (`s`, the delår's statements); the eget
/// kapital at the end of the period with its prognos for the year end, and the likvida medel.
pub(super) fn delar_operating_rows(
    acc: &Accounts,
    s: &finance::Statements,
    ek_prognos: Option<Ore>,
) -> Vec<Value> {
    let (b_cost, b_income, b_result) = planned_totals(budget_column(acc).as_ref());
    let (p_cost, p_income, p_result) = planned_totals(prognos_column(acc).as_ref());
    let r = &s.resultat;
    values(vec![
        Row::line("Nettokostnad")
            .budget(b_cost)
            .prognos(p_cost)
            .avvikelse(diff(b_cost, p_cost))
            .current(Some(r.kostnader_totalt())),
        Row::line("Intäkt")
            .budget(b_income)
            .prognos(p_income)
            .avvikelse(diff(p_income, b_income))
            .current(Some(r.intakter_totalt())),
        Row::new("Resultat", "sum")
            .budget(b_result)
            .prognos(p_result)
            .avvikelse(diff(p_result, b_result))
            .current(Some(r.arets_resultat)),
        Row::line("Utgående eget kapital")
            .prognos(ek_prognos)
            .current(Some(s.balans.eget_kapital_utgaende)),
        Row::line("Likvida medel").current(Some(s.balans.kassa_och_bank)),
    ])
}

/// The year's (or period's) investments, one line each with their sum; `[]` without any.
pub(super) fn investment_rows(acc: &Accounts) -> Vec<Value> {
    if acc.investeringar.is_empty() {
        return Vec::new();
    }
    let mut rows: Vec<Row> = acc
        .investeringar
        .iter()
        .map(|i| Row::line(i.label.clone()).current(Some(Ore(i.ore))))
        .collect();
    rows.push(
        Row::new("Summa investeringar", "total")
            .current(Some(acc.investeringar.iter().map(|i| Ore(i.ore)).sum())),
    );
    values(rows)
}

// ── Noter ───────────────────────────────────────────────────────────────────────────────────

pub(super) fn note(number: usize, title: &str, text: &str, rows: Vec<Row>) -> Value {
    json!({
        "number": number.to_string(),
        "title": title,
        "blocks": blocks(text),
        "rows": values(rows),
    })
}

/// The groups of note 3 (heading, subtotal), in order; see [`cost_group`].
const COST_GROUPS: [(&str, &str); 3] = [
    ("Insatser", "Summa insatser"),
    ("Administration", "Summa administration"),
    ("Övriga kostnader", "Summa övriga kostnader"),
];

/// A cost line's group in note 3: an insats's cost, administration, or anything else.
fn cost_group(l: &ResultLine) -> usize {
    if l.insats.is_some() {
        0
    } else if l.class == Some(CostClass::Administration) {
        1
    } else {
        2
    }
}

/// Note 1 (`principles`), then intäkter, kostnader, fordringar and kortfristiga skulder, each numbered
/// in turn and left out when it has no lines. The notes' columns are the statement's current and prior;
/// with `balance_text` (the delår, whose prior column is the same period the year before, which a
/// balance has not) the fordringar and skulder notes have that text and the current column only.
pub(super) fn notes(
    acc: &Accounts,
    s: &finance::Statements,
    principles: &str,
    balance_text: Option<&str>,
) -> (Vec<Value>, NoteRefs) {
    let mut out = vec![note(1, "Redovisningsprinciper", principles, vec![])];
    let mut refs = NoteRefs::default();
    let has_prior = s.prior_resultat.is_some();
    let prior_of = |l: &ResultLine| has_prior.then(|| Ore(l.prior_ore.unwrap_or(0)));
    let line = |l: &ResultLine| {
        Row::line(l.label.clone())
            .current(Some(Ore(l.utfall_ore)))
            .prior(prior_of(l))
    };
    let p = s.prior_resultat.as_ref();

    let intakter: Vec<&ResultLine> = acc
        .resultat
        .iter()
        .filter(|l| l.section == Section::Intakt)
        .collect();
    if !intakter.is_empty() {
        let mut rows: Vec<Row> = intakter.iter().map(|l| line(l)).collect();
        rows.push(
            Row::new("Summa verksamhetens intäkter", "total")
                .current(Some(s.resultat.verksamhetens_intakter))
                .prior(p.map(|p| p.verksamhetens_intakter)),
        );
        let n = out.len() + 1;
        out.push(note(n, "Verksamhetens intäkter", "", rows));
        refs.intakter = Some(n.to_string());
    }

    let kostnader: Vec<&ResultLine> = acc
        .resultat
        .iter()
        .filter(|l| l.section == Section::Kostnad)
        .collect();
    if !kostnader.is_empty() {
        // Insatser, administration, then anything else, each with its subtotal.
        let mut rows = Vec::new();
        for (group, (heading, sum)) in COST_GROUPS.iter().enumerate() {
            let lines: Vec<&&ResultLine> = kostnader
                .iter()
                .filter(|l| cost_group(l) == group)
                .collect();
            if lines.is_empty() {
                continue;
            }
            rows.push(Row::new(*heading, "subheading"));
            rows.extend(lines.iter().map(|l| line(l)));
            rows.push(
                Row::new(*sum, "sum")
                    .current(Some(lines.iter().map(|l| Ore(l.utfall_ore)).sum()))
                    .prior(has_prior.then(|| lines.iter().filter_map(|l| prior_of(l)).sum())),
            );
        }
        rows.push(
            Row::new("Summa verksamhetens kostnader", "total")
                .current(Some(s.resultat.verksamhetens_kostnader))
                .prior(p.map(|p| p.verksamhetens_kostnader)),
        );
        let n = out.len() + 1;
        out.push(note(n, "Verksamhetens kostnader", "", rows));
        refs.kostnader = Some(n.to_string());
    }

    for (items, title, sum_label, current_total, prior_total, slot) in [
        (
            &acc.fordringar,
            "Fordringar",
            "Summa fordringar",
            s.balans.fordringar,
            s.prior_balans.map(|b| b.fordringar),
            &mut refs.fordringar,
        ),
        (
            &acc.kortfristiga_skulder,
            "Kortfristiga skulder",
            "Summa kortfristiga skulder",
            s.balans.kortfristiga_skulder,
            s.prior_balans.map(|b| b.kortfristiga_skulder),
            &mut refs.skulder,
        ),
    ] {
        if items.is_empty() {
            continue;
        }
        let has_prior = balance_text.is_none() && items.iter().any(|i| i.prior_ore.is_some());
        let mut rows: Vec<Row> = items
            .iter()
            .map(|i| {
                Row::line(i.label.clone())
                    .current(Some(Ore(i.ore)))
                    .prior(has_prior.then(|| Ore(i.prior_ore.unwrap_or(0))))
            })
            .collect();
        let prior_sum = prior_total
            .or_else(|| {
                has_prior.then(|| items.iter().map(|i| Ore(i.prior_ore.unwrap_or(0))).sum())
            })
            .filter(|_| has_prior);
        rows.push(
            Row::new(sum_label, "total")
                .current(Some(current_total))
                .prior(prior_sum),
        );
        let n = out.len() + 1;
        out.push(note(n, title, balance_text.unwrap_or(""), rows));
        *slot = Some(n.to_string());
    }
    (out, refs)
}

// ── Key figures ─────────────────────────────────────────────────────────────────────────────

/// The five-year overview in tkr, newest first.
fn overview(year: i32, acc: &Accounts) -> Vec<Value> {
    five_year_overview(year, acc)
        .iter()
        .map(|r| {
            json!({
                "year": r.year,
                "intakter": tkr(r.intakter),
                "kostnader": tkr(r.kostnader),
                "arets_resultat": tkr(r.arets_resultat),
                "soliditet": percent_whole(r.soliditet_tenths),
                "anstallda": arsarbetare(r.anstallda_hundredths),
            })
        })
        .collect()
}

/// Costs per class (classes with no cost left out), the netted administration share and soliditet.
pub(super) fn ekonomi(acc: &Accounts) -> Value {
    let s = statements(acc);
    let shares: Vec<Value> = class_shares(acc)
        .iter()
        .filter(|c| c.amount.0 != 0)
        .map(|c| {
            json!({
                "class": c.class,
                "amount": kr(c.amount),
                "share": c.tenths.map(percent_tenths),
            })
        })
        .collect();
    let a = administration_share(acc);
    json!({
        "medlemsbidrag": kr(medlemsbidrag(acc)),
        "kostnader": kr(s.resultat.verksamhetens_kostnader),
        "kostnadsfordelning": shares,
        "administration": {
            "kostnader": kr(a.administration),
            "avraknade_intakter": kr(a.avraknade_intakter),
            "netto": kr(a.netto),
            "andel": a.tenths.map(percent_tenths),
        },
        "soliditet": finance::soliditet_tenths(acc).map(percent_whole),
    })
}

/// Eget kapital against the recommendation, with each bracket's base and allowance. The brackets are
/// the same as `eget_kapital_cap` reads them, so their amounts add up to its cap.
pub(super) fn eget_kapital(file: &YearFile, bidrag: Ore, utgaende: Ore) -> Value {
    let settings = &file.settings;
    let tak = eget_kapital_cap(bidrag, settings);
    let c = bidrag.0.max(0);
    let mut brackets = Vec::new();
    match settings.eget_kapital_reading {
        EkReading::Marginal => {
            let mut lower = 0i64;
            for b in &settings.eget_kapital_brackets {
                let upper = b.up_to_ore.unwrap_or(i64::MAX);
                if upper <= lower {
                    continue;
                }
                let base = Ore((c.min(upper) - lower).max(0));
                brackets.push(json!({
                    "from": kr(Ore(lower)),
                    "to": b.up_to_ore.map(|u| kr(Ore(u))),
                    "percent": percent_auto(i64::from(b.percent_tenths)),
                    "base": kr(base),
                    "amount": kr(apply_tenths(base, i64::from(b.percent_tenths))),
                }));
                lower = upper;
            }
        }
        EkReading::Whole => {
            let all = &settings.eget_kapital_brackets;
            if let Some(i) = all
                .iter()
                .position(|b| b.up_to_ore.is_none_or(|u| c <= u))
                .or_else(|| all.len().checked_sub(1))
            {
                let b = &all[i];
                let from = i.checked_sub(1).and_then(|j| all[j].up_to_ore).unwrap_or(0);
                brackets.push(json!({
                    "from": kr(Ore(from)),
                    "to": b.up_to_ore.map(|u| kr(Ore(u))),
                    "percent": percent_auto(i64::from(b.percent_tenths)),
                    "base": kr(Ore(c)),
                    "amount": kr(apply_tenths(Ore(c), i64::from(b.percent_tenths))),
                }));
            }
        }
    }
    json!({
        "utgaende": kr(utgaende),
        "medlemsbidrag": kr(bidrag),
        "tak": kr(tak),
        "andel_av_medlemsbidrag": finance::tenths(utgaende, bidrag).map(percent_tenths),
        "over_tak": utgaende > tak,
        "brackets": brackets,
    })
}

/// The balanskravsresultat; the realisationsvinster as deducted.
pub(super) fn balanskrav(acc: &Accounts, arets_resultat: Ore) -> Value {
    json!({
        "arets_resultat": kr(arets_resultat),
        "realisationsvinster": kr(neg(Ore(acc.realisationsvinster_ore))),
        "balanskravsresultat": kr(balanskravsresultat(acc)),
    })
}

/// The socioekonomisk effekt of the year's individinriktade insatser; null when none has a helår report.
fn socioekonomi(file: &YearFile) -> Value {
    let rows: Vec<Value> = socioekonomisk_effekt(file, file.year)
        .iter()
        .map(|r| {
            json!({
                "insats": r.insats,
                "till_arbete_eller_studier": r.till_arbete_eller_studier,
                "effekt": kr(Ore(r.effekt_ore)),
                "medel": kr(Ore(r.medel_ore)),
                "differens": kr(Ore(r.differens_ore)),
            })
        })
        .collect();
    if rows.is_empty() {
        return Value::Null;
    }
    let s = &file.settings;
    let per_manad = Ore(s.socioekonomi_offentlig_forsorjning_ore
        + s.socioekonomi_administration_ore
        + s.socioekonomi_skatt_ore);
    json!({
        "offentlig_forsorjning": kr(Ore(s.socioekonomi_offentlig_forsorjning_ore)),
        "administration": kr(Ore(s.socioekonomi_administration_ore)),
        "skatt": kr(Ore(s.socioekonomi_skatt_ore)),
        "per_manad": kr(per_manad),
        "per_ar": kr(annual_value_per_participant(s)),
        "rows": rows,
    })
}

// ── Organisation ────────────────────────────────────────────────────────────────────────────

fn overlaps(s: &Seat, start: NaiveDate, end: NaiveDate) -> bool {
    s.from.is_none_or(|f| f <= end) && s.to.is_none_or(|t| start <= t)
}

fn within(d: Option<NaiveDate>, start: NaiveDate, end: NaiveDate) -> Option<String> {
    d.filter(|d| start <= *d && *d <= end).map(date)
}

fn position_label(p: Option<Position>) -> &'static str {
    match p {
        Some(Position::Ordforande) => "Ordförande",
        Some(Position::ViceOrdforande) => "Vice ordförande",
        Some(Position::Ledamot) | None => "Ledamot",
    }
}

fn position_rank(p: Option<Position>) -> u8 {
    match p {
        Some(Position::Ordforande) => 0,
        Some(Position::ViceOrdforande) => 1,
        _ => 2,
    }
}

/// The seats of a body during `start`–`end`, one row per member in the order the members first appear:
/// those holding the seat at `end` first, then those who left; dates are printed when they fall in the
/// period (a change during it).
pub(super) fn seat_rows(
    file: &YearFile,
    seats: &[Seat],
    start: NaiveDate,
    end: NaiveDate,
    with_position: bool,
) -> Vec<Value> {
    let seats: Vec<&Seat> = seats.iter().filter(|s| overlaps(s, start, end)).collect();
    let mut members: Vec<&str> = Vec::new();
    for s in &seats {
        if !members.contains(&s.member.as_str()) {
            members.push(&s.member);
        }
    }
    let holders = |member: &str, kind: SeatKind| -> (Vec<Value>, bool) {
        let of: Vec<&&Seat> = seats
            .iter()
            .filter(|s| s.member == member && s.seat == kind)
            .collect();
        let (now, left): (Vec<&&Seat>, Vec<&&Seat>) = of.iter().partition(|s| s.holds_on(end));
        let vakant = now.is_empty();
        let list = now
            .iter()
            .chain(left.iter())
            .map(|s| {
                json!({
                    "name": person_name(file, &s.person),
                    "from": within(s.from, start, end),
                    "to": within(s.to, start, end),
                })
            })
            .collect();
        (list, vakant)
    };
    members
        .iter()
        .map(|m| {
            let (ordinarie, ordinarie_vakant) = holders(m, SeatKind::Ordinarie);
            let (ersattare, ersattare_vakant) = holders(m, SeatKind::Ersattare);
            let position = with_position
                .then(|| {
                    seats
                        .iter()
                        .filter(|s| {
                            s.member == *m && s.seat == SeatKind::Ordinarie && s.holds_on(end)
                        })
                        .min_by_key(|s| position_rank(s.position))
                        .map(|s| position_label(s.position))
                })
                .flatten();
            json!({
                "member": member_name(file, m),
                "position": position,
                "ordinarie": ordinarie,
                "ordinarie_vakant": ordinarie_vakant,
                "ersattare": ersattare,
                "ersattare_vakant": ersattare_vakant,
            })
        })
        .collect()
}

/// The ordinarie styrelse seats held at `end`, ordförande first, then vice ordförande, then the
/// ledamöter in seat order.
fn sitting_board(file: &YearFile, end: NaiveDate) -> Vec<&Seat> {
    let mut seats: Vec<&Seat> = file
        .organisation
        .styrelse
        .iter()
        .filter(|s| s.seat == SeatKind::Ordinarie && s.holds_on(end))
        .collect();
    seats.sort_by_key(|s| position_rank(s.position));
    seats
}

/// Who signs "Ordföranden har ordet": the ordförande at `end`.
pub(super) fn ordforande(file: &YearFile, end: NaiveDate) -> Value {
    sitting_board(file, end)
        .into_iter()
        .find(|s| s.position == Some(Position::Ordforande))
        .map_or(
            Value::Null,
            |s| json!({ "name": person_name(file, &s.person), "role": "Ordförande" }),
        )
}

/// The kansli during the period.
pub(super) fn kansli(file: &YearFile, start: NaiveDate, end: NaiveDate) -> Vec<Value> {
    file.organisation
        .kansli
        .iter()
        .filter(|k| k.from.is_none_or(|f| f <= end) && k.to.is_none_or(|t| start <= t))
        .map(|k| {
            json!({
                "name": person_name(file, &k.person),
                "title": k.title,
                "share": percent_whole(i64::from(k.share_percent) * 10),
                "from": within(k.from, start, end),
                "to": within(k.to, start, end),
            })
        })
        .collect()
}

/// Every ordinarie ledamot at year end signs; null when nobody sits.
fn underskrift(file: &YearFile, meta: &Meta, end: NaiveDate) -> Value {
    let signers: Vec<Value> = sitting_board(file, end)
        .into_iter()
        .map(|s| {
            json!({
                "name": person_name(file, &s.person),
                "role": position_label(s.position),
                "member": member_name(file, &s.member),
            })
        })
        .collect();
    if signers.is_empty() {
        return Value::Null;
    }
    let forbund = if meta.forbund.trim().is_empty() {
        "samordningsförbundet"
    } else {
        meta.forbund.trim()
    };
    let statement = STYRELSENS_UNDERSKRIFT
        .replace("{forbund}", forbund)
        .replace("{year}", &file.year.to_string());
    json!({
        "blocks": blocks(&statement),
        "place": Value::Null,
        "date": Value::Null,
        "signers": signers,
    })
}

// ── Insatser and reports ────────────────────────────────────────────────────────────────────

fn gc(g: GenderCounts) -> Value {
    json!({
        "kvinnor": g.kvinnor,
        "man": g.man,
        "uppgift_saknas": g.uppgift_saknas,
        "total": g.total(),
    })
}

fn add_ended(a: Ended, b: &Ended) -> Ended {
    Ended {
        arbete: a.arbete + b.arbete,
        studier: a.studier + b.studier,
        aktivt_arbetssokande: a.aktivt_arbetssokande + b.aktivt_arbetssokande,
        arbetslivsinriktad_rehabilitering: a.arbetslivsinriktad_rehabilitering
            + b.arbetslivsinriktad_rehabilitering,
        sjukdom: a.sjukdom + b.sjukdom,
        annat_skal: a.annat_skal + b.annat_skal,
    }
}

/// Participants summed over `reports`; with `count`, how many reports the sum is made of.
fn deltagare(reports: &[&CoachReport], count: bool) -> Value {
    let mut participants = GenderCounts::default();
    let mut new = GenderCounts::default();
    let mut ended = Ended::default();
    let mut efterstod = GenderCounts::default();
    for r in reports {
        participants = participants + r.participants;
        new = new + r.new_participants;
        ended = add_ended(ended, &r.ended);
        efterstod = efterstod + r.efterstod;
    }
    let aos = ended.arbete_eller_studier();
    let andel = finance::tenths(Ore(i64::from(aos)), Ore(i64::from(ended.total().total())))
        .map(percent_whole);
    let mut v = json!({
        "participants": gc(participants),
        "new": gc(new),
        "ended": {
            "arbete": gc(ended.arbete),
            "studier": gc(ended.studier),
            "aktivt_arbetssokande": gc(ended.aktivt_arbetssokande),
            "arbetslivsinriktad_rehabilitering": gc(ended.arbetslivsinriktad_rehabilitering),
            "sjukdom": gc(ended.sjukdom),
            "annat_skal": gc(ended.annat_skal),
            "total": gc(ended.total()),
        },
        "efterstod": gc(efterstod),
        "arbete_eller_studier": aos,
        "andel_arbete_eller_studier": andel,
    });
    if count {
        v["reports"] = json!(reports.len());
    }
    v
}

/// The approved reports of the year and period, in insats order and then in the file's order.
fn approved_reports(file: &YearFile, period: ReportPeriod) -> Vec<&CoachReport> {
    let mut reports: Vec<&CoachReport> = file
        .coach_reports
        .iter()
        .filter(|r| r.year == file.year && r.period == period && r.status == ReportStatus::Approved)
        .collect();
    reports.sort_by_key(|r| {
        file.insatser
            .iter()
            .position(|i| i.key == r.insats)
            .unwrap_or(usize::MAX)
    });
    reports
}

/// An insats's money for one year.
#[derive(Debug, Clone, Copy)]
struct Money {
    beviljat: Option<Ore>,
    budget: Option<Ore>,
    utfall: Option<Ore>,
}

/// The insats's money for the year: beviljat, budget, and for the helår the utfall (the insats's own
/// figure, else its cost lines in the year's accounts); for the delår the utfall to date is its cost
/// lines in the delår's accounts, since the insats's own figure is the year's.
fn insats_money(file: &YearFile, i: &Insats, period: ReportPeriod) -> Money {
    let y = i.years.iter().find(|y| y.year == file.year);
    let acc = match period {
        ReportPeriod::Helar => file.accounts.as_ref(),
        ReportPeriod::Delar => file.delar.as_ref(),
    };
    let lines = acc.map(|a| {
        a.resultat
            .iter()
            .filter(|l| l.section == Section::Kostnad && l.insats.as_deref() == Some(&i.key))
            .collect::<Vec<_>>()
    });
    let from_lines = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.iter().map(|l| Ore(l.utfall_ore)).sum());
    Money {
        beviljat: y.and_then(|y| y.beviljat_ore).map(Ore),
        budget: y.and_then(|y| y.budget_ore).map(Ore),
        utfall: match period {
            ReportPeriod::Helar => y.and_then(|y| y.utfall_ore).map(Ore).or(from_lines),
            ReportPeriod::Delar => from_lines,
        },
    }
}

/// The insatser to print: those with money in the year, reports of the period, goal results or survey
/// results of the year. Individinriktade first, each kind in the file's order.
pub(super) fn selected_insatser(file: &YearFile, period: ReportPeriod) -> Vec<&Insats> {
    let year = file.year;
    let mut out: Vec<&Insats> = file
        .insatser
        .iter()
        .filter(|i| {
            // The year's money, and for the delår also the utfall to date.
            let m = insats_money(file, i, ReportPeriod::Helar);
            let to_date = (period == ReportPeriod::Delar)
                .then(|| insats_money(file, i, period).utfall)
                .flatten();
            let money = [m.beviljat, m.budget, m.utfall, to_date]
                .iter()
                .flatten()
                .any(|o| o.0 != 0);
            let reports = file
                .coach_reports
                .iter()
                .any(|r| r.insats == i.key && r.year == year && r.period == period);
            let assessed = period == ReportPeriod::Helar
                && (i.goal_results.iter().any(|g| g.year == year)
                    || file
                        .survey_results
                        .iter()
                        .any(|s| s.insats == i.key && s.year == year));
            money || reports || assessed
        })
        .collect();
    out.sort_by_key(|i| i.kind != InsatsKind::Individinriktad);
    out
}

fn status(s: Maluppfyllelse) -> &'static str {
    match s {
        Maluppfyllelse::Uppfyllt => "uppfyllt",
        Maluppfyllelse::DelvisUppfyllt => "delvis_uppfyllt",
        Maluppfyllelse::EjUppfyllt => "ej_uppfyllt",
    }
}

/// The indikatorenkät results of the insats for the year, questions in the survey's order.
fn enkater(file: &YearFile, i: &Insats) -> Vec<Value> {
    file.survey_results
        .iter()
        .filter(|r| r.insats == i.key && r.year == file.year)
        .filter_map(|r| {
            let def = file.survey_definitions.iter().find(|d| d.key == r.survey)?;
            let questions: Vec<Value> = def
                .questions
                .iter()
                .filter_map(|q| {
                    let a = r.answers.iter().find(|a| a.question == q.key)?;
                    Some(json!({
                        "key": q.key,
                        "text": q.text,
                        "counts": a.counts,
                        "total": a.counts.iter().map(|c| u64::from(*c)).sum::<u64>(),
                    }))
                })
                .collect();
            Some(json!({ "name": def.name, "scale": def.scale, "questions": questions }))
        })
        .collect()
}

/// One insats. For the helår: the year's utfall, assessed goals, participants from the approved helår
/// reports and the surveys. For the delår the utfall is the one to date (its cost lines in the delår's
/// accounts; null without them) with no avvikelse, since the budget is the full year's; the year's
/// assessments and surveys are left out, and participants come from the delår reports.
pub(super) fn insats(file: &YearFile, i: &Insats, period: ReportPeriod) -> Value {
    let helar = period == ReportPeriod::Helar;
    let Money {
        beviljat,
        budget,
        utfall,
    } = insats_money(file, i, period);
    let goals: Vec<Value> = i
        .goals
        .iter()
        .map(|g| {
            let r = i
                .goal_results
                .iter()
                .find(|r| r.goal == g.key && r.year == file.year)
                .filter(|_| helar);
            json!({
                "text": g.text,
                "status": r.map(|r| status(r.status)),
                "comment": r.and_then(|r| non_empty(&r.comment)),
            })
        })
        .collect();
    let reports: Vec<&CoachReport> = approved_reports(file, period)
        .into_iter()
        .filter(|r| r.insats == i.key)
        .collect();
    json!({
        "name": i.name,
        "kind": i.kind.as_str(),
        "responsible": i.responsible_member.as_deref().map(|m| member_name(file, m)),
        "performer": non_empty(&i.performer),
        "period_from": i.period_from.map(date),
        "period_to": i.period_to.map(date),
        "target_group": blocks(&i.target_group),
        "description": blocks(&i.description),
        "beviljat": beviljat.map(kr),
        "budget": budget.map(kr),
        "utfall": utfall.map(kr),
        "avvikelse": budget.zip(utfall).filter(|_| helar).map(|(b, u)| kr(b - u)),
        "goals": goals,
        "deltagare": if reports.is_empty() { Value::Null } else { deltagare(&reports, true) },
        "enkater": if helar { enkater(file, i) } else { Vec::new() },
    })
}

/// The sum row of the insatser's money; null when none has any. Without utfall (the delår) only the
/// budget is summed.
pub(super) fn insatser_summa(file: &YearFile, insatser: &[&Insats], with_utfall: bool) -> Value {
    let money: Vec<_> = insatser
        .iter()
        .map(|i| insats_money(file, i, ReportPeriod::Helar))
        .collect();
    let sum = |f: fn(&Money) -> Option<Ore>| {
        let v: Vec<Ore> = money.iter().filter_map(f).collect();
        (!v.is_empty()).then(|| v.into_iter().sum::<Ore>())
    };
    let budget = sum(|m| m.budget);
    let utfall = if with_utfall { sum(|m| m.utfall) } else { None };
    if budget.is_none() && utfall.is_none() {
        return Value::Null;
    }
    json!({
        "budget": budget.map(kr),
        "utfall": utfall.map(kr),
        "avvikelse": budget.zip(utfall).map(|(b, u)| kr(b - u)),
    })
}

/// The coaches' approved reports of the period, one page each.
pub(super) fn rapporter(file: &YearFile, period: ReportPeriod) -> Vec<Value> {
    approved_reports(file, period)
        .into_iter()
        .map(|r| {
            let a = &r.answers;
            json!({
                "insats": file
                    .insatser
                    .iter()
                    .find(|i| i.key == r.insats)
                    .map_or_else(|| r.insats.clone(), |i| i.name.clone()),
                "kommun": r.kommun.as_deref().map(|k| member_name(file, k)),
                "coaches": non_empty(&a.coaches),
                "coach_share": a.coach_share_percent.map(|p| percent_whole(i64::from(p) * 10)),
                "remittentgrupp": blocks(&a.remittentgrupp),
                "remittentgrupp_meetings": a.remittentgrupp_meetings,
                "deltagare": deltagare(&[r], false),
                "answers": {
                    "handelser": blocks(&a.handelser),
                    "arbetsgivarkontakt": blocks(&a.arbetsgivarkontakt),
                    "framgangsfaktorer": blocks(&a.framgangsfaktorer),
                    "jamstalldhet": blocks(&a.jamstalldhet),
                    "ovrigt": blocks(&a.ovrigt),
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_formats() {
        assert_eq!(arsarbetare(100), "1,0");
        assert_eq!(arsarbetare(150), "1,5");
        assert_eq!(arsarbetare(125), "1,25");
        assert_eq!(percent_auto(200), "20\u{a0}%");
        assert_eq!(percent_auto(125), "12,5\u{a0}%");
    }

    #[test]
    fn the_brackets_add_up_to_the_cap() {
        let mut file: YearFile =
            serde_json::from_str(r#"{"format": "finsam-year/1", "year": 2024}"#).unwrap();
        for reading in [EkReading::Marginal, EkReading::Whole] {
            file.settings.eget_kapital_reading = reading;
            for kronor in [0, 5_000_000, 7_000_000, 8_036_000, 15_000_000, 20_000_000] {
                let bidrag = Ore::from_kronor(kronor);
                let v = eget_kapital(&file, bidrag, Ore(0));
                let sum: i64 = v["brackets"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|b| {
                        finsam_core::money::parse_kronor(b["amount"].as_str().unwrap())
                            .unwrap()
                            .0
                    })
                    .sum();
                assert_eq!(
                    Ore(sum).round_kronor(),
                    eget_kapital_cap(bidrag, &file.settings).round_kronor(),
                    "{reading:?} {kronor}"
                );
            }
        }
    }
}
