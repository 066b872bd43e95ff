//! What the document tests share: the repository's fixtures and the templates' examples, rendering a
//! JSON input with the engine, poppler's view of a PDF, and comparing the key shape of two inputs.
//!
//! Each test file is a crate of its own that uses part of this: what one of them leaves unused is
//! marked `#[allow(dead_code)]`.

use chrono::NaiveDate;
use finsam_core::yearfile::YearFile;
use finsam_documents::{Engine, Job, Kind, RenderError, Rendered};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A year file of `fixtures/`.
pub fn fixture(name: &str) -> YearFile {
    let bytes = std::fs::read(repo().join("fixtures").join(name))
        .unwrap_or_else(|e| panic!("the fixture {name}: {e}"));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name} is a year file: {e}"))
}

/// The smallest valid year file: only the format and the year.
#[allow(dead_code)]
pub fn empty_year() -> YearFile {
    serde_json::from_str(r#"{"format": "finsam-year/1", "year": 2025}"#).expect("minimal file")
}

/// An input of `typst-templates/examples/`.
pub fn example(name: &str) -> Value {
    let bytes = std::fs::read(repo().join("typst-templates/examples").join(name))
        .unwrap_or_else(|e| panic!("the example {name}: {e}"));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name} is JSON: {e}"))
}

// ── Rendering ───────────────────────────────────────────────────────────────────────────────

/// Renders `input` as `kind` on `date` (the document's "today").
pub fn render_on(kind: Kind, input: &Value, date: NaiveDate) -> Result<Rendered, RenderError> {
    Engine::global().render(&Job {
        kind,
        input: &serde_json::to_vec(input).unwrap(),
        date,
        assets: vec![],
    })
}

/// Renders `input` as `kind` on the date of its `meta.date`; a failure panics.
#[allow(dead_code)]
pub fn render(kind: Kind, input: &Value) -> Rendered {
    let date = input["meta"]["date"]
        .as_str()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or_else(|| panic!("{kind:?}: meta.date is a date"));
    render_on(kind, input, date).unwrap_or_else(|e| panic!("{kind:?} did not render: {e}"))
}

/// With `FINSAM_MODEL_PDF_DIR` set, keeps `pdf` there as `{name}.pdf` to look at.
#[allow(dead_code)]
pub fn keep_pdf(name: &str, pdf: &[u8]) {
    if let Ok(dir) = std::env::var("FINSAM_MODEL_PDF_DIR") {
        std::fs::write(Path::new(&dir).join(format!("{name}.pdf")), pdf).unwrap();
    }
}

// ── Poppler ─────────────────────────────────────────────────────────────────────────────────

/// The output of a poppler tool (`pdftotext`, `pdfinfo`, `pdffonts`) run with `args` on `pdf`;
/// `pdftotext` writes to standard output.
pub fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "finsam-documents-test-{}-{}.pdf",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, pdf).unwrap();
    let mut cmd = Command::new(tool);
    cmd.args(args).arg(&path);
    if tool == "pdftotext" {
        cmd.arg("-");
    }
    let out = cmd.output();
    std::fs::remove_file(&path).ok();
    let out = out.unwrap_or_else(|e| panic!("{tool} (poppler-utils) is installed: {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The PDF's text with every run of white space (no-break spaces and line breaks too) as one space.
#[allow(dead_code)]
pub fn pdf_text(pdf: &[u8]) -> String {
    normalise(&poppler("pdftotext", &["-enc", "UTF-8"], pdf))
}

/// Every run of white space (no-break and narrow no-break spaces included) as one space.
#[allow(dead_code)]
pub fn normalise(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

// ── The shape of an input ───────────────────────────────────────────────────────────────────

/// Whether the shape comparison looks into arrays of blocks (`{"type": …, "content": …}`: paragraphs
/// and lists of the kansli's texts), which differ with the text rather than the contract.
#[allow(dead_code)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Blocks {
    Compared,
    Skipped,
}

/// Where `got` differs from `want` in the keys of its objects, recursively. An array is compared by
/// its first element's shape (when both have one), a value by its JSON type; null on either side
/// matches anything (an optional value).
#[allow(dead_code)]
pub fn shape_differences(
    path: &str,
    got: &Value,
    want: &Value,
    blocks: Blocks,
    out: &mut Vec<String>,
) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            let mut missing: Vec<&String> = w.keys().filter(|k| !g.contains_key(*k)).collect();
            let mut extra: Vec<&String> = g.keys().filter(|k| !w.contains_key(*k)).collect();
            if !missing.is_empty() || !extra.is_empty() {
                missing.sort();
                extra.sort();
                out.push(format!("{path}: missing {missing:?}, extra {extra:?}"));
            }
            for (k, wv) in w {
                if let Some(gv) = g.get(k) {
                    shape_differences(&format!("{path}.{k}"), gv, wv, blocks, out);
                }
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            let is_block = |v: &Value| v.get("type").is_some() && v.get("content").is_some();
            if blocks == Blocks::Skipped
                && (g.first().is_some_and(is_block) || w.first().is_some_and(is_block))
            {
                return;
            }
            if let (Some(g0), Some(w0)) = (g.first(), w.first()) {
                shape_differences(&format!("{path}[0]"), g0, w0, blocks, out);
            }
        }
        (Value::Null, _) | (_, Value::Null) => {}
        (g, w) => {
            let kind = |v: &Value| match v {
                Value::Bool(_) => "bool",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
                Value::Null => "null",
            };
            if kind(g) != kind(w) {
                out.push(format!(
                    "{path}: {} where the example has {}",
                    kind(g),
                    kind(w)
                ));
            }
        }
    }
}

/// Asserts that `got` has the key shape of the example `example_name`.
#[allow(dead_code)]
pub fn assert_same_shape(got: &Value, example_name: &str, blocks: Blocks) {
    let mut problems = Vec::new();
    shape_differences("", got, &example(example_name), blocks, &mut problems);
    assert!(
        problems.is_empty(),
        "differs from {example_name}:\n{}",
        problems.join("\n")
    );
}
