//! The årsredovisning and delårsrapport built from the stored year: the same shape as the templates'
//! examples, the seed's key figures, and a PDF that compiles and shows them.
//!
//! Set `FINSAM_MODEL_PDF_DIR=/tmp` to keep the rendered PDFs (`model-ar.pdf`, …) for a look.

mod common;

use chrono::NaiveDate;
use common::{Blocks, empty_year, example, fixture, keep_pdf, normalise, pdf_text};
use finsam_core::yearfile::{ReportPeriod, ReportStatus, SeatKind, YearFile};
use finsam_documents::Kind;
use finsam_documents::model::{Meta, arsredovisning, delarsrapport};
use serde_json::Value;

fn hoglandet() -> YearFile {
    fixture("hoglandet-2024.json")
}

fn meta(date: &str) -> Meta {
    Meta {
        forbund: "Höglandets samordningsförbund".into(),
        orgnr: None,
        date: Some(NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap()),
        ..Meta::default()
    }
}

/// A figure as the model prints it: no-break spaces and a real minus sign.
fn fig(s: &str) -> String {
    s.replace(' ', "\u{a0}").replace('-', "\u{2212}")
}

/// The input has the shape of the example `name`; the kansli's texts (blocks) are not looked into.
fn assert_same_shape(got: &Value, name: &str) {
    common::assert_same_shape(got, name, Blocks::Skipped);
}

fn row<'a>(rows: &'a Value, label: &str) -> &'a Value {
    rows.as_array()
        .expect("rows")
        .iter()
        .find(|r| r["label"] == label)
        .unwrap_or_else(|| panic!("no row {label}"))
}

// ── 1. The shape of the examples ────────────────────────────────────────────────────────────

#[test]
fn the_input_has_the_shape_of_the_examples() {
    let ar = arsredovisning::build(&hoglandet(), &meta("2025-03-20")).unwrap();
    assert_same_shape(&ar, "arsredovisning.json");
    let ar_empty = arsredovisning::build(&empty_year(), &meta("2026-03-01")).unwrap();
    assert_same_shape(&ar_empty, "arsredovisning-empty.json");
    assert_same_shape(&ar_empty, "arsredovisning.json");
    let dr = delarsrapport::build(&hoglandet(), &meta("2024-09-19")).unwrap();
    assert_same_shape(&dr, "delarsrapport.json");
    let dr_empty = delarsrapport::build(&empty_year(), &meta("2025-09-01")).unwrap();
    assert_same_shape(&dr_empty, "delarsrapport-empty.json");
    assert_same_shape(&dr_empty, "delarsrapport.json");

    // Every key the README lists is sent, with null or [] when empty: the empty year has them all.
    for (got, name) in [
        (&ar_empty, "arsredovisning-empty.json"),
        (&dr_empty, "delarsrapport-empty.json"),
    ] {
        let want = example(name);
        let mut gk: Vec<_> = got["data"].as_object().unwrap().keys().collect();
        let mut wk: Vec<_> = want["data"].as_object().unwrap().keys().collect();
        gk.sort();
        wk.sort();
        assert_eq!(gk, wk, "{name}");
        // The smallest valid year gives exactly the smallest example's data.
        assert_eq!(got["data"], want["data"], "{name}");
    }
}

// ── 2. The key figures as the seed prints them ──────────────────────────────────────────────

#[test]
fn the_key_figures_are_the_seeds() {
    let file = hoglandet();
    let v = arsredovisning::build(&file, &meta("2025-03-20")).unwrap();
    let d = &v["data"];
    assert_eq!(v["meta"]["title"], "Årsredovisning 2024");
    assert_eq!(d["period_end"], "2024-12-31");
    assert_eq!(d["prior_period_end"], "2023-12-31");

    let rr = &d["resultatrakning"];
    assert_eq!(row(rr, "Årets resultat")["current"], "\u{2212}155\u{a0}574");
    assert_eq!(row(rr, "Årets resultat")["prior"], fig("423 889"));
    assert_eq!(
        row(rr, "Verksamhetens intäkter")["current"],
        fig("8 298 260")
    );
    assert_eq!(
        row(rr, "Verksamhetens kostnader")["current"],
        fig("-8 594 446")
    );
    assert_eq!(row(rr, "Finansiella kostnader")["current"], fig("-10"));
    assert_eq!(row(rr, "Verksamhetens intäkter")["note"], "2");

    let br = &d["balansrakning"];
    assert_eq!(
        row(br, "Summa eget kapital")["current"],
        "1\u{a0}483\u{a0}897"
    );
    assert_eq!(
        row(br, "Summa tillgångar")["current"],
        "2\u{a0}127\u{a0}221"
    );
    assert_eq!(
        row(br, "Summa eget kapital, avsättningar och skulder")["current"],
        fig("2 127 221")
    );
    assert_eq!(row(br, "Summa tillgångar")["prior"], fig("2 234 040"));

    let kf = &d["kassaflodesanalys"];
    assert_eq!(
        row(kf, "Årets kassaflöde")["current"],
        "\u{2212}176\u{a0}641"
    );
    assert_eq!(
        row(kf, "Ökning (−)/minskning (+) av kortfristiga fordringar")["current"],
        fig("-69 823")
    );
    assert_eq!(
        row(kf, "Ökning (+)/minskning (−) av kortfristiga skulder")["current"],
        fig("48 756")
    );

    let dr = &d["driftredovisning"];
    assert_eq!(row(dr, "Nettokostnad")["current"], fig("8 594 456"));
    assert_eq!(row(dr, "Intäkt")["current"], fig("8 438 882"));
    assert_eq!(row(dr, "Intäkt")["prior"], fig("8 169 803"));

    assert_eq!(d["ekonomi"]["soliditet"], "70\u{a0}%");
    assert_eq!(d["ekonomi"]["administration"]["andel"], fig("18,8 %"));
    assert_eq!(d["oversikt"][0]["soliditet"], "70\u{a0}%");
    assert_eq!(d["oversikt"][0]["intakter"], fig("8 439"));
    assert_eq!(d["oversikt"][1]["year"], 2023);
    assert_eq!(d["eget_kapital"]["tak"], fig("1 555 400"));
    assert_eq!(d["eget_kapital"]["andel_av_medlemsbidrag"], fig("18,5 %"));
    assert_eq!(d["eget_kapital"]["over_tak"], false);
    assert_eq!(d["balanskrav"]["balanskravsresultat"], fig("-155 574"));

    let se = d["socioekonomi"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["insats"] == "SE-Höglandet")
        .expect("SE-Höglandet's row");
    assert_eq!(se["till_arbete_eller_studier"], 42);
    assert_eq!(se["effekt"], "8\u{a0}164\u{a0}800");
    assert_eq!(se["medel"], "3\u{a0}975\u{a0}750");
    assert_eq!(se["differens"], fig("4 189 050"));

    let se = &d["insatser"][0];
    assert_eq!(se["name"], "SE-Höglandet");
    assert_eq!(se["deltagare"]["participants"]["total"], 220);
    assert_eq!(se["deltagare"]["arbete_eller_studier"], 42);
    assert_eq!(se["deltagare"]["andel_arbete_eller_studier"], fig("57 %"));
    assert_eq!(se["deltagare"]["reports"], 6);
    assert_eq!(se["goals"][0]["status"], "uppfyllt");
    let names: Vec<&str> = d["insatser"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert!(
        !names.contains(&"Psykiatriveckan"),
        "no money, no reports in 2024"
    );
    assert_eq!(d["insatser_summa"]["utfall"], fig("6 717 954"));
    assert_eq!(d["rapporter"].as_array().unwrap().len(), 6);

    // Every ordinarie styrelse ledamot sitting on 2024-12-31 signs, the ordförande first.
    let year_end = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
    let signers: Vec<&str> = d["underskrift"]["signers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    let sitting: Vec<String> = file
        .organisation
        .styrelse
        .iter()
        .filter(|s| s.seat == SeatKind::Ordinarie && s.holds_on(year_end))
        .map(|s| {
            file.people
                .iter()
                .find(|p| p.key == s.person)
                .unwrap()
                .name
                .clone()
        })
        .collect();
    assert_eq!(sitting.len(), 9);
    assert_eq!(signers.len(), sitting.len());
    for name in &sitting {
        assert!(signers.contains(&name.as_str()), "{name} does not sign");
    }
    assert_eq!(d["underskrift"]["signers"][0]["role"], "Ordförande");
    assert_eq!(d["underskrift"]["signers"][0]["name"], "Sebastian Hörlin");
    assert_eq!(d["underskrift"]["signers"][1]["role"], "Vice ordförande");
    assert_eq!(d["ordforande"]["name"], "Sebastian Hörlin");

    // Seats: who left during the year is listed after who holds the seat, with the date.
    let aneby = d["styrelse"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["member"] == "Aneby kommun")
        .unwrap();
    assert_eq!(aneby["position"], "Vice ordförande");
    assert_eq!(aneby["ersattare"][0]["name"], "Gudrun Andersson");
    assert_eq!(aneby["ersattare"][0]["from"], "2024-11-26");
    assert_eq!(aneby["ersattare"][1]["to"], "2024-11-25");
    let savsjo = d["beredningsgrupp"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["member"] == "Sävsjö kommun")
        .unwrap();
    assert_eq!(savsjo["ordinarie_vakant"], true);
}

#[test]
fn without_a_delar_the_delarsrapport_shows_what_is_stored_and_invents_nothing() {
    let mut file = hoglandet();
    file.delar = None;
    let v = delarsrapport::build(&file, &meta("2024-09-19")).unwrap();
    let d = &v["data"];
    assert_eq!(v["meta"]["title"], "Delårsrapport 2024");
    assert_eq!(d["period_end"], "2024-06-30");
    // The balances at the start of the period are the year before's closing ones.
    assert_eq!(d["prior_year_end"], "2023-12-31");
    let br = &d["balansrakning"];
    assert_eq!(row(br, "Summa tillgångar")["prior"], fig("2 234 040"));
    assert_eq!(row(br, "Summa tillgångar")["current"], Value::Null);
    // No half-year outcome and no budget per line in the fixture: nothing to show.
    assert_eq!(d["resultatrakning"], serde_json::json!([]));
    assert_eq!(d["kassaflodesanalys"], serde_json::json!([]));
    assert_eq!(d["eget_kapital"], Value::Null);
    assert_eq!(d["prior_period_end"], Value::Null);
    // The styrelse as at 30 June: Arijana Jazic was still Aneby's ersättare, Gudrun Andersson not yet.
    let aneby = d["styrelse"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["member"] == "Aneby kommun")
        .unwrap();
    let ersattare: Vec<&str> = aneby["ersattare"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect();
    assert_eq!(ersattare, ["Arijana Jazic"]);
    // The year's utfall is not the period's.
    for i in d["insatser"].as_array().unwrap() {
        assert_eq!(i["utfall"], Value::Null, "{}", i["name"]);
        assert!(
            i["goals"]
                .as_array()
                .unwrap()
                .iter()
                .all(|g| g["status"].is_null())
        );
    }
    assert_eq!(d["insatser"][0]["budget"], fig("3 980 000"));
}

/// The fixture's delår (invented, fixtures/README.md): every column of the period and the year.
#[test]
fn the_delarsrapport_shows_the_delar_utfall_prognos_and_30_june_balances() {
    let v = delarsrapport::build(&hoglandet(), &meta("2024-09-19")).unwrap();
    let d = &v["data"];
    assert_eq!(d["period_end"], "2024-06-30");
    assert_eq!(d["prior_period_end"], "2023-06-30");
    assert_eq!(d["prior_year_end"], "2023-12-31");
    let cols = |r: &Value| -> [Value; 4] {
        ["budget", "current", "prognos", "prior"].map(|k| r[k].clone())
    };
    let s = |v: &str| Value::String(fig(v));
    let rr = &d["resultatrakning"];
    assert_eq!(
        cols(row(rr, "Verksamhetens intäkter")),
        [
            s("8 319 334"),
            s("4 083 565"),
            s("8 298 000"),
            s("4 018 000")
        ]
    );
    assert_eq!(
        cols(row(rr, "Verksamhetens kostnader")),
        [
            s("-8 574 637"),
            s("-4 102 318"),
            s("-8 600 000"),
            s("-3 882 957")
        ]
    );
    // No line budgets a financial item: the budget has no figure there, the prognos has.
    assert_eq!(
        cols(row(rr, "Finansiella intäkter")),
        [Value::Null, s("61 204"), s("130 000"), s("66 904")]
    );
    assert_eq!(
        cols(row(rr, "Periodens resultat")),
        [s("-255 303"), s("42 451"), s("-172 000"), s("201 946")]
    );
    assert_eq!(row(rr, "Verksamhetens intäkter")["note"], "2");

    // The balansräkning at 30 June, against 31 December (2023's closing balances, not a half year).
    let br = &d["balansrakning"];
    let at = |label: &str| {
        [
            row(br, label)["current"].clone(),
            row(br, label)["prior"].clone(),
        ]
    };
    assert_eq!(at("Fordringar"), [s("95 118"), s("47 489")]);
    assert_eq!(at("Kassa och bank"), [s("2 099 144"), s("2 186 551")]);
    assert_eq!(at("Summa tillgångar"), [s("2 194 262"), s("2 234 040")]);
    assert_eq!(at("Periodens resultat"), [s("42 451"), s("423 889")]);
    assert_eq!(at("Övrigt eget kapital"), [s("1 639 471"), s("1 215 582")]);
    assert_eq!(at("Summa eget kapital"), [s("1 681 922"), s("1 639 471")]);
    assert_eq!(at("Kortfristiga skulder"), [s("512 340"), s("594 569")]);
    assert_eq!(
        at("Summa eget kapital, avsättningar och skulder"),
        [s("2 194 262"), s("2 234 040")]
    );

    // The period's cash flow reconciles; there is no column for the year before.
    let kf = &d["kassaflodesanalys"];
    assert_eq!(row(kf, "Periodens resultat")["current"], s("42 451"));
    assert_eq!(
        row(kf, "Ökning (−)/minskning (+) av kortfristiga fordringar")["current"],
        s("-47 629")
    );
    assert_eq!(
        row(kf, "Ökning (+)/minskning (−) av kortfristiga skulder")["current"],
        s("-82 229")
    );
    assert_eq!(row(kf, "Periodens kassaflöde")["current"], s("-87 407"));
    assert_eq!(
        row(kf, "Likvida medel vid periodens början")["current"],
        s("2 186 551")
    );
    assert_eq!(
        row(kf, "Likvida medel vid periodens slut")["current"],
        s("2 099 144")
    );
    assert!(kf.as_array().unwrap().iter().all(|r| r["prior"].is_null()));

    // Driftredovisning: the prognos against the budget, and the utfall to date.
    let dr = &d["driftredovisning"];
    let drift = |label: &str| -> [Value; 4] {
        ["budget", "prognos", "avvikelse", "current"].map(|k| row(dr, label)[k].clone())
    };
    assert_eq!(
        drift("Nettokostnad"),
        [s("8 574 637"), s("8 600 000"), s("-25 363"), s("4 102 318")]
    );
    assert_eq!(
        drift("Intäkt"),
        [s("8 319 334"), s("8 428 000"), s("108 666"), s("4 144 769")]
    );
    assert_eq!(
        drift("Resultat"),
        [s("-255 303"), s("-172 000"), s("83 303"), s("42 451")]
    );
    assert_eq!(
        drift("Utgående eget kapital"),
        [Value::Null, s("1 467 471"), Value::Null, s("1 681 922")]
    );

    // The period's economy; the eget kapital and balanskrav as prognoses for the year end.
    let e = &d["ekonomi"];
    assert_eq!(e["kostnader"], s("4 102 318"));
    assert_eq!(e["medlemsbidrag"], s("4 018 000"));
    assert_eq!(e["administration"]["netto"], s("796 628"));
    assert_eq!(e["administration"]["andel"], fig("19,4 %"));
    assert_eq!(e["soliditet"], fig("77 %"));
    let ek = &d["eget_kapital"];
    assert_eq!(ek["utgaende"], s("1 467 471"));
    assert_eq!(ek["medlemsbidrag"], s("8 036 000"));
    assert_eq!(ek["tak"], s("1 555 400"));
    assert_eq!(ek["andel_av_medlemsbidrag"], fig("18,3 %"));
    assert_eq!(ek["over_tak"], false);
    assert_eq!(d["balanskrav"]["arets_resultat"], s("-172 000"));
    assert_eq!(d["balanskrav"]["balanskravsresultat"], s("-172 000"));
    assert_eq!(d["socioekonomi"], Value::Null);

    // Notes: the two periods for intäkter and kostnader, 30 June only for the balances.
    let noter = d["noter"].as_array().unwrap();
    let titles: Vec<&str> = noter.iter().map(|n| n["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "Redovisningsprinciper",
            "Verksamhetens intäkter",
            "Verksamhetens kostnader",
            "Fordringar",
            "Kortfristiga skulder"
        ]
    );
    let tjansteperson = row(&noter[2]["rows"], "Tjänsteperson");
    assert_eq!(tjansteperson["current"], s("688 341"));
    assert_eq!(tjansteperson["prior"], s("592 342"));
    let ford = row(&noter[3]["rows"], "Summa fordringar");
    assert_eq!(
        [ford["current"].clone(), ford["prior"].clone()],
        [s("95 118"), Value::Null]
    );

    // The insatser's utfall to date comes from the delår's cost lines, with no avvikelse.
    let se = &d["insatser"][0];
    assert_eq!(se["name"], "SE-Höglandet");
    assert_eq!(se["budget"], s("3 980 000"));
    assert_eq!(se["utfall"], s("1 987 875"));
    assert_eq!(se["avvikelse"], Value::Null);
}

#[test]
fn the_delarsrapport_takes_the_delar_reports_and_the_arsredovisning_the_helar_ones() {
    let mut file = hoglandet();
    let mut delar = file.coach_reports[1].clone();
    delar.period = ReportPeriod::Delar;
    delar.participants.kvinnor = 7;
    file.coach_reports.push(delar.clone());
    let mut submitted = delar;
    submitted.status = ReportStatus::Submitted;
    file.coach_reports.push(submitted);

    let d = delarsrapport::build(&file, &meta("2024-09-19")).unwrap()["data"].clone();
    let rapporter = d["rapporter"].as_array().unwrap();
    assert_eq!(rapporter.len(), 1, "only the approved delår report");
    assert_eq!(rapporter[0]["kommun"], "Eksjö kommun");
    assert_eq!(rapporter[0]["deltagare"]["participants"]["kvinnor"], 7);
    assert_eq!(d["insatser"][0]["deltagare"]["reports"], 1);
    assert_eq!(d["insatser"][0]["deltagare"]["participants"]["total"], 26);

    let a = arsredovisning::build(&file, &meta("2025-03-20")).unwrap()["data"].clone();
    assert_eq!(a["rapporter"].as_array().unwrap().len(), 6);
    assert_eq!(a["insatser"][0]["deltagare"]["participants"]["total"], 220);
}

#[test]
fn a_budget_per_line_fills_the_budget_columns() {
    let mut file = hoglandet();
    let acc = file.accounts.as_mut().unwrap();
    for l in &mut acc.resultat {
        l.budget_ore = Some(match l.key.as_str() {
            "driftbidrag-fk" => 401_800_000,
            "ovriga-intakter" => 28_333_400,
            k if k.starts_with("driftbidrag") || k.starts_with("bidrag") => l.utfall_ore,
            "se-projekt" => 398_000_000,
            _ => continue,
        });
    }
    let v = arsredovisning::build(&file, &meta("2025-03-20")).unwrap();
    let d = &v["data"];
    // 8 036 000 + 283 334 = 8 319 334; 3 980 000 of costs.
    assert_eq!(
        row(&d["resultatrakning"], "Verksamhetens intäkter")["budget"],
        fig("8 319 334")
    );
    assert_eq!(
        row(&d["resultatrakning"], "Verksamhetens kostnader")["budget"],
        fig("-3 980 000")
    );
    assert_eq!(
        row(&d["resultatrakning"], "Finansiella intäkter")["budget"],
        Value::Null
    );
    assert_eq!(
        row(&d["driftredovisning"], "Intäkt")["avvikelse"],
        fig("119 548")
    );
    file.delar = None;
    let dr = delarsrapport::build(&file, &meta("2024-09-19")).unwrap();
    let rows = dr["data"]["driftredovisning"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "only the rows with a budget");
    assert!(
        rows.iter()
            .all(|r| r["current"].is_null() && r["prognos"].is_null())
    );
}

// ── 3. The input compiles ───────────────────────────────────────────────────────────────────

/// Renders without warnings, keeping the PDF as `{name}.pdf` when `FINSAM_MODEL_PDF_DIR` is set.
fn render(kind: Kind, value: &Value, name: &str) -> Vec<u8> {
    let rendered = common::render(kind, value);
    assert!(rendered.pdf.starts_with(b"%PDF-"), "{name}");
    assert!(
        rendered.warnings.is_empty(),
        "{name}: {:?}",
        rendered.warnings
    );
    keep_pdf(name, &rendered.pdf);
    rendered.pdf
}

#[test]
fn the_arsredovisning_renders_with_its_figures_and_headings() {
    let v = arsredovisning::build(&hoglandet(), &meta("2025-03-20")).unwrap();
    let text = pdf_text(&render(Kind::Arsredovisning, &v, "model-ar"));
    for want in [
        "−155 574",
        "1 483 897",
        "2 127 221",
        "−176 641",
        "70 %",
        "8 164 800",
        "3 975 750",
        "Översikt över verksamhetens utveckling",
        "Viktiga förhållanden för resultat och ekonomisk ställning",
        "Händelser av väsentlig betydelse",
        "Styrning och uppföljning av den egna verksamheten",
        "God ekonomisk hushållning, måluppfyllelse och ekonomisk ställning",
        "Väsentliga personalförhållanden",
        "Förväntad utveckling",
        "Sebastian Hörlin",
        "Andreas Appelberg",
    ] {
        assert!(text.contains(&normalise(want)), "the PDF lacks {want:?}");
    }
    for (n, title) in [
        ("1.1", "Översikt"),
        ("1.4", "Styrning"),
        ("1.7", "Förväntad"),
    ] {
        assert!(
            text.contains(&format!("{n} {title}")),
            "no heading {n} {title}"
        );
    }
}

#[test]
fn an_empty_year_renders() {
    let v = arsredovisning::build(&empty_year(), &meta("2026-03-01")).unwrap();
    let text = pdf_text(&render(Kind::Arsredovisning, &v, "model-ar-empty"));
    assert!(text.contains("Årsredovisning 2025"));
    assert!(text.contains("Uppgifter saknas."));
}

#[test]
fn the_delarsrapport_renders_for_both_years() {
    let v = delarsrapport::build(&hoglandet(), &meta("2024-09-19")).unwrap();
    let text = pdf_text(&render(Kind::Delarsrapport, &v, "model-dr"));
    assert!(text.contains("Delårsrapport 2024"));
    for (want, what) in [
        ("2 234 040", "the opening balances"),
        ("Utfall t.o.m. 2024-06-30", "the utfall's heading"),
        ("Prognos 2024", "the prognos's heading"),
        ("Utfall t.o.m. 2023-06-30", "the same period's heading"),
        ("4 083 565", "the utfall of intäkter"),
        ("−4 102 318", "the utfall of kostnader"),
        ("−8 600 000", "the prognos of kostnader"),
        ("−172 000", "the prognos result"),
        ("201 946", "the same period the year before"),
        ("2 194 262", "summa tillgångar at 30 June"),
        ("1 681 922", "eget kapital at 30 June"),
        ("−87 407", "the period's kassaflöde"),
        ("1 467 471", "the eget kapital prognos"),
        ("Periodens kassaflöde", "the kassaflödesanalys"),
    ] {
        assert!(
            text.contains(&normalise(want)),
            "the PDF lacks {what}: {want:?}"
        );
    }
    let mut without = hoglandet();
    without.delar = None;
    let v = delarsrapport::build(&without, &meta("2024-09-19")).unwrap();
    let text = pdf_text(&render(Kind::Delarsrapport, &v, "model-dr-without-delar"));
    assert!(
        text.contains(&normalise("2 234 040")) && !text.contains(&normalise("4 083 565")),
        "without the delår: the opening balances and no period"
    );
    let v = delarsrapport::build(&empty_year(), &meta("2025-09-01")).unwrap();
    render(Kind::Delarsrapport, &v, "model-dr-empty");
}

#[test]
fn drafts_render_with_the_stamp() {
    let mut m = meta("2025-02-10");
    m.draft = Some("för beredningsgruppen".into());
    let v = arsredovisning::build(&hoglandet(), &m).unwrap();
    let text = pdf_text(&render(Kind::Arsredovisning, &v, "model-ar-draft"));
    assert!(text.contains("UTKAST"));
    let v = delarsrapport::build(&hoglandet(), &m).unwrap();
    render(Kind::Delarsrapport, &v, "model-dr-draft");
}

// ── 4. Texts are data ───────────────────────────────────────────────────────────────────────

#[test]
fn typst_syntax_in_texts_prints_literally() {
    let mut file = hoglandet();
    let nasty = r#"Se #read("/etc/passwd") och #import "x.typ" samt ]# här."#;
    file.texts.insert("handelser".into(), nasty.into());
    file.insatser[0].name = r#"SE ]# #import "x.typ""#.into();
    file.coach_reports[0].answers.ovrigt = r#"#read("/etc/passwd")"#.into();
    let v = arsredovisning::build(&file, &meta("2025-03-20")).unwrap();
    let text = pdf_text(&render(Kind::Arsredovisning, &v, "model-ar-escaping"));
    for want in [
        r#"#read("/etc/passwd")"#,
        r#"#import "x.typ""#,
        "]#",
        r#"SE ]# #import "x.typ""#,
    ] {
        assert!(text.contains(want), "the PDF lacks {want:?}");
    }
    assert!(!text.contains("root:"), "a file was read");
}
