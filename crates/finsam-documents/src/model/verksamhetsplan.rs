//! The verksamhetsplan's input (`typst-templates/README.md`, "Verksamhetsplan"): the year's `vp_` texts
//! and the shared uppdrag, vision and organisation, the inriktningar lettered A, B, C …, the budget's five
//! columns rolled forward by [`budget_columns`], and the medlemsbidrag as the law splits them.

use super::{Meta, ModelError, blocks, date, envelope, int, kr, kr_opt, percent_tenths};
use crate::Kind;
use finsam_core::MemberKind;
use finsam_core::finance::budget::{BudgetColumn, budget_columns};
use finsam_core::finance::tenths;
use finsam_core::money::Ore;
use finsam_core::yearfile::{Budget, BudgetLine, BudgetSection, Inriktning, Member, YearFile};
use serde_json::{Value, json};

/// The column of the budget year (Budget N) among the five.
const CURRENT: usize = 2;

/// The row label of the state's contributions (Försäkringskassan pays for itself and Arbetsförmedlingen).
const STATEN: &str = "Staten genom Försäkringskassan";

pub fn build(file: &YearFile, meta: &Meta) -> Result<Value, ModelError> {
    let year = file.year;
    let text = |key: &str| file.texts.get(key).map_or("", String::as_str);
    let columns = file
        .budget
        .as_ref()
        .map(|b| budget_columns(b, &file.members, year));
    let motto = text("vp_vision_motto").trim();
    let data = json!({
        "year": year,
        "decided_on": file.budget.as_ref().and_then(|b| b.decided_on).map(date),
        "vision_motto": (!motto.is_empty()).then_some(motto),
        "inledning": blocks(text("vp_inledning")),
        "uppdrag": blocks(text("uppdrag")),
        "malgrupper": blocks(text("vp_malgrupper")),
        "organisation": blocks(text("organisation")),
        "vision": blocks(text("vision")),
        "inriktningar_intro": blocks(text("vp_inriktningar")),
        "inriktningar": file.inriktningar.iter().enumerate().map(|(i, r)| inriktning(i, r)).collect::<Vec<_>>(),
        "inriktningar_notes": blocks(text("vp_inriktningar_noter")),
        "finansiella_riktlinjer": blocks(text("vp_finansiella_riktlinjer")),
        "budget_text": blocks(text("vp_budget")),
        "budget": match (&file.budget, &columns) {
            (Some(b), Some(c)) => budget_table(b, c),
            _ => Value::Null,
        },
        "medlemsbidrag_text": blocks(text("vp_medlemsbidrag")),
        "medlemsbidrag": columns.as_ref().map_or(Value::Null, |c| medlemsbidrag(c, &file.members, year)),
    });
    // The document's date is the caller's (the decision or the draft); without one, the decision's.
    let meta = Meta {
        date: meta
            .date
            .or_else(|| file.budget.as_ref().and_then(|b| b.decided_on)),
        ..meta.clone()
    };
    let subtitle = file
        .budget
        .is_some()
        .then(|| format!("Budget {year} och plan {}\u{2013}{}", year + 1, year + 2));
    Ok(envelope(
        Kind::Verksamhetsplan,
        &meta,
        format!("Verksamhetsplan {year}"),
        subtitle,
        data,
    ))
}

/// A, B, … Z, then AA, AB … as a spreadsheet names its columns.
fn letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

fn inriktning(i: usize, r: &Inriktning) -> Value {
    json!({
        "letter": letter(i),
        "title": r.title,
        "delmal": r.delmal.iter().map(|d| json!({
            "text": d.text,
            "matt": d.matt.as_deref().map(str::trim).filter(|m| !m.is_empty()),
        })).collect::<Vec<_>>(),
        "text": blocks(&r.text),
    })
}

/// One amount per column, each in kronor.
fn row(columns: &[BudgetColumn; 5], f: impl Fn(&BudgetColumn) -> Ore) -> Value {
    Value::Array(columns.iter().map(|c| Value::String(kr(f(c)))).collect())
}

fn line(l: &BudgetLine) -> Value {
    json!({
        "label": l.label,
        "values": [
            kr_opt(l.budget_prev_ore),
            kr_opt(l.prognos_prev_ore),
            kr(Ore(l.budget_ore)),
            kr(Ore(l.plan1_ore)),
            kr(Ore(l.plan2_ore)),
        ],
    })
}

fn budget_table(budget: &Budget, columns: &[BudgetColumn; 5]) -> Value {
    let lines = |section: BudgetSection| -> Vec<Value> {
        budget
            .lines
            .iter()
            .filter(|l| l.section == section)
            .map(line)
            .collect()
    };
    json!({
        "columns": columns.iter().map(|c| c.label.clone()).collect::<Vec<_>>(),
        "current": CURRENT,
        "intakter": lines(BudgetSection::Intakt),
        "balanserat_resultat": row(columns, |c| c.balanserat_resultat_in),
        "summa_intakter": row(columns, |c| c.summa_intakter),
        "verksamhet": lines(BudgetSection::Verksamhet),
        "delsumma_verksamhet": row(columns, |c| c.verksamhet),
        "administration": lines(BudgetSection::Administration),
        "delsumma_administration": row(columns, |c| c.administration),
        "summa_kostnader": row(columns, |c| c.summa_kostnader),
        "prel_balanserat_resultat": row(columns, |c| c.prel_balanserat_resultat),
        "administration_andel": columns
            .iter()
            .map(|c| c.administration_tenths.map(percent_tenths))
            .collect::<Vec<_>>(),
    })
}

/// A member's population in `year`, or in the latest year before it: `(year counted, population)`.
fn population(member: &Member, year: i32) -> Option<(i32, u32)> {
    member
        .population
        .range(..=year)
        .next_back()
        .map(|(y, p)| (*y, *p))
}

/// The distribution table for Budget N, Plan N+1 and Plan N+2: the state, the region, the kommuner
/// (with their summed population) and each kommun under them. Shares are of Budget N's total.
fn medlemsbidrag(columns: &[BudgetColumn; 5], members: &[Member], year: i32) -> Value {
    let planned = &columns[CURRENT..];
    let first = &planned[0];
    if first.per_member.is_empty() {
        return Value::Null;
    }
    let total = first.funding.total;
    let share = |amount: Ore| tenths(amount, total).map(percent_tenths);
    let values = |f: &dyn Fn(&BudgetColumn) -> Ore| -> Vec<String> {
        planned.iter().map(|c| kr(f(c))).collect()
    };
    // The amount of member `i` (in budget order) in a column; every column lists the same members.
    let member_amount = |i: usize| move |c: &BudgetColumn| c.per_member[i].amount;
    let of_kind = |kind: Option<MemberKind>| -> Vec<usize> {
        (0..first.per_member.len())
            .filter(|&i| first.per_member[i].kind == kind)
            .collect()
    };
    let sub_rows = |idx: &[usize], with_population: bool| -> Vec<Value> {
        idx.iter()
            .map(|&i| {
                let c = &first.per_member[i];
                let pop = with_population
                    .then(|| members.iter().find(|m| m.key == c.member))
                    .flatten()
                    .and_then(|m| population(m, year));
                json!({
                    "label": c.name,
                    "share": share(c.amount),
                    "population": pop.map(|(_, p)| int(i64::from(p))),
                    "values": values(&member_amount(i)),
                    "level": 1,
                })
            })
            .collect()
    };
    let group = |label: &str, amount: &dyn Fn(&BudgetColumn) -> Ore, population: Option<String>| {
        json!({
            "label": label,
            "share": share(amount(first)),
            "population": population,
            "values": values(amount),
            "level": 0,
        })
    };

    let mut rows = Vec::new();
    let staten: Vec<usize> = [
        MemberKind::Forsakringskassan,
        MemberKind::Arbetsformedlingen,
    ]
    .into_iter()
    .flat_map(|k| of_kind(Some(k)))
    .collect();
    if !staten.is_empty() {
        rows.push(group(STATEN, &|c| c.funding.staten, None));
        if staten.len() > 1 {
            let mut sorted = staten.clone();
            sorted.sort_unstable();
            rows.extend(sub_rows(&sorted, false));
        }
    }
    let regions = of_kind(Some(MemberKind::Region));
    match regions.as_slice() {
        [] => {}
        [one] => {
            let name = first.per_member[*one].name.clone();
            rows.push(group(&name, &|c| c.funding.region, None));
        }
        several => {
            rows.push(group("Regionen", &|c| c.funding.region, None));
            rows.extend(sub_rows(several, false));
        }
    }
    let kommuner = of_kind(Some(MemberKind::Kommun));
    let mut population_years = Vec::new();
    if !kommuner.is_empty() {
        let pops: Vec<Option<(i32, u32)>> = kommuner
            .iter()
            .map(|&i| {
                members
                    .iter()
                    .find(|m| m.key == first.per_member[i].member)
                    .and_then(|m| population(m, year))
            })
            .collect();
        population_years = pops.iter().flatten().map(|(y, _)| *y).collect();
        // The sum only when every kommun has a population: a partial sum would mislead.
        let summed = pops
            .iter()
            .map(|p| p.map(|(_, n)| i64::from(n)))
            .sum::<Option<i64>>();
        rows.push(group(
            "Kommunerna",
            &|c| c.funding.kommuner,
            summed.map(int),
        ));
        rows.extend(sub_rows(&kommuner, true));
    }
    // Contributions from members the file does not list (a file that validates has none).
    for i in of_kind(None) {
        let mut r = sub_rows(&[i], false).remove(0);
        r["level"] = json!(0);
        rows.push(r);
    }
    population_years.sort_unstable();
    population_years.dedup();
    // The heading names the year only when every population counted is from the same year.
    let population_year = match population_years.as_slice() {
        [y] => Some(*y),
        _ => None,
    };
    json!({
        "columns": planned.iter().map(|c| c.label.clone()).collect::<Vec<_>>(),
        "population_year": population_year,
        "rows": rows,
        "total": {
            "share": share(total),
            "values": values(&|c| c.funding.total),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::letter;

    #[test]
    fn letters_run_on_past_z() {
        let l: Vec<String> = [0, 1, 2, 25, 26, 27, 51, 52].map(letter).to_vec();
        assert_eq!(l, ["A", "B", "C", "Z", "AA", "AB", "AZ", "BA"]);
    }
}
