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
fn the_delarsrapport_shows_what_is_stored_for_the_period_and_invents_nothing() {
    let v = delarsrapport::build(&hoglandet(), &meta("2024-09-19")).unwrap();
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
    assert!(
        text.contains(&normalise("2 234 040")),
        "the opening balances"
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
