//! The engine: every template compiles with its examples (an empty and a maximal input, a draft, a signed
//! one, one full of typst syntax), the files are PDF/A-2a + PDF/UA-1 with every font embedded, characters
//! no font has are replaced rather than failing the document, and the extracted text of each kind built
//! from the fixtures is kept as a golden file (insta).

mod common;

use chrono::NaiveDate;
use common::{example, fixture, poppler, render_on, repo};
use finsam_documents::model::{self, Meta};
use finsam_documents::{Engine, Kind, RenderError};
use serde_json::Value;

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 20).unwrap()
}

/// Every document of these tests is rendered on the same day, whatever its input's date.
fn render(kind: Kind, input: &Value) -> Result<Vec<u8>, RenderError> {
    render_on(kind, input, date()).map(|r| r.pdf)
}

#[test]
fn every_template_compiles_with_each_of_its_examples_into_tagged_pdf_a_with_embedded_fonts() {
    let mut compiled = 0;
    for entry in std::fs::read_dir(repo().join("typst-templates/examples")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let kind = Kind::ALL
            .into_iter()
            .find(|k| name.starts_with(k.as_str()))
            .unwrap_or_else(|| panic!("{name}: an example is named after its kind"));
        let input = example(&name);
        let pdf = render(kind, &input).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(pdf.starts_with(b"%PDF-"), "{name}");
        let meta = poppler("pdfinfo", &["-meta"], &pdf);
        assert!(
            meta.contains("<pdfaid:part>2</pdfaid:part>")
                && meta.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
            "{name}: PDF/A-2a in the XMP"
        );
        assert!(
            meta.contains("<pdfuaid:part>1</pdfuaid:part>"),
            "{name}: PDF/UA-1"
        );
        assert!(meta.contains("sv-SE"), "{name}: Swedish");
        let fonts = poppler("pdffonts", &[], &pdf);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{name}: fonts are listed");
        for row in rows {
            // name type encoding emb sub uni id: "emb" is the fourth column from the end.
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(cols[cols.len() - 5], "yes", "{name}: embedded: {row}");
        }
        compiled += 1;
    }
    assert!(compiled >= 12, "every example was compiled ({compiled})");
}

#[test]
fn a_character_no_font_has_is_replaced_instead_of_failing_the_document() {
    let mut input = example("minnesanteckningar.json");
    input["data"]["items"][0]["title"] = Value::String("Välkomna 🎉 歡迎 – ✓".into());
    // Unchanged, PDF/A refuses the file.
    assert!(matches!(
        render(Kind::Minnesanteckningar, &input),
        Err(RenderError::Export(_))
    ));
    let replaced = Engine::global().make_printable(&mut input);
    assert_eq!(
        replaced, 3,
        "the emoji and the two CJK characters; ✓ is in typst's fonts"
    );
    let pdf = render(Kind::Minnesanteckningar, &input).expect("renders once replaced");
    let text = poppler("pdftotext", &[], &pdf);
    assert!(text.contains("Välkomna"), "{text}");
    assert!(text.contains('✓'));
}

fn meta(forbund: &str) -> Meta {
    Meta {
        forbund: forbund.into(),
        date: Some(date()),
        ..Meta::default()
    }
}

/// The text of a rendered document, one line per line, trailing spaces gone (stable across runs).
fn text_of(kind: Kind, input: &Value) -> String {
    let pdf = render(kind, input).unwrap();
    poppler("pdftotext", &["-layout"], &pdf)
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn golden_text_of_the_arsredovisning() {
    let input = model::arsredovisning::build(
        &fixture("hoglandet-2024.json"),
        &meta("Höglandets samordningsförbund"),
    )
    .unwrap();
    insta::assert_snapshot!(text_of(Kind::Arsredovisning, &input));
}

#[test]
fn golden_text_of_the_delarsrapport() {
    let input = model::delarsrapport::build(
        &fixture("hoglandet-2024.json"),
        &meta("Höglandets samordningsförbund"),
    )
    .unwrap();
    insta::assert_snapshot!(text_of(Kind::Delarsrapport, &input));
}

#[test]
fn golden_text_of_the_verksamhetsplan() {
    let input = model::verksamhetsplan::build(
        &fixture("sodra-vatterbygden-2024.json"),
        &meta("Samordningsförbundet Södra Vätterbygden"),
    )
    .unwrap();
    insta::assert_snapshot!(text_of(Kind::Verksamhetsplan, &input));
}

#[test]
fn golden_text_of_the_minutes() {
    let file = fixture("medlemssamrad-2024-02-23.json");
    let input = model::minnesanteckningar::build_with_people(
        &file.meetings[0],
        &file.people,
        &meta("Samordningsförbundet Södra Vätterbygden"),
    )
    .unwrap();
    insta::assert_snapshot!(text_of(Kind::Minnesanteckningar, &input));
}
