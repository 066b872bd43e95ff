//! The engine: every template compiles with its examples (an empty and a maximal input, a draft, a signed
//! one, one full of typst syntax), the files are PDF/A-2a + PDF/UA-1 with every font embedded, characters
//! no font has are replaced rather than failing the document, and the extracted text of each kind built
//! from the fixtures is kept as a golden file (insta).

use chrono::NaiveDate;
use finsam_core::yearfile::YearFile;
use finsam_documents::model::{self, Meta};
use finsam_documents::{Engine, Job, Kind, RenderError};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 20).unwrap()
}

fn render(kind: Kind, input: &Value) -> Result<Vec<u8>, RenderError> {
    Engine::global()
        .render(&Job {
            kind,
            input: &serde_json::to_vec(input).unwrap(),
            date: date(),
            assets: vec![],
        })
        .map(|r| r.pdf)
}

fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile_dir();
    let path = dir.join("d.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut cmd = Command::new(tool);
    cmd.args(args).arg(&path);
    if tool == "pdftotext" {
        cmd.arg("-");
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) is installed: {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(out.stdout).unwrap()
}

fn tempfile_dir() -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let d = std::env::temp_dir().join(format!(
        "finsam-engine-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
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
        let input: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
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
    let path = repo().join("typst-templates/examples/minnesanteckningar.json");
    let mut input: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
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

fn fixture(name: &str) -> YearFile {
    serde_json::from_slice(&std::fs::read(repo().join("fixtures").join(name)).unwrap()).unwrap()
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
