//! The typst engine: the templates and fonts under `typst-templates/`, compiled into the binary and
//! loaded once per process; a [`World`] per render that can read only those, the job's own input
//! (`/input.json`) and the job's own assets (`/logo.png`, `/logo.svg`, `/qr.svg`).

use crate::Kind;
use include_dir::{Dir, include_dir};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration as TypstDuration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../typst-templates");

/// The version of the typst compiler, recorded with every rendering.
pub const TYPST_VERSION: &str = "0.15.1";

/// The folder of the signing rounds' audit trail (not a [`Kind`]: it is never a version).
pub const TRAIL_FOLDER: &str = "signeringslogg";

/// The assets a job may give its template, by the path the template reads.
pub const ASSET_PATHS: [&str; 3] = ["/logo.png", "/logo.svg", "/qr.svg"];

/// What one render needs: the kind, the JSON the template reads, the date the document carries (the PDF's
/// dates come from it, so the file is the same whenever it is rendered) and any assets.
pub struct Job<'a> {
    pub kind: Kind,
    pub input: &'a [u8],
    pub date: chrono::NaiveDate,
    pub assets: Vec<(&'static str, Vec<u8>)>,
}

#[derive(Debug, Clone)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub warnings: Vec<String>,
    pub took: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the template did not compile: {}", .0.join("; "))]
    Compile(Vec<String>),
    #[error("the PDF could not be written: {}", .0.join("; "))]
    Export(Vec<String>),
    #[error("{0}")]
    Input(String),
}

/// Fonts, the font book, the standard library and the parsed templates: made once, shared by every render.
pub struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    hashes: HashMap<Kind, String>,
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("template paths are valid"),
    )
    .intern()
}

fn walk<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    for f in dir.files() {
        out.push(f);
    }
    for d in dir.dirs() {
        walk(d, out);
    }
}

impl Engine {
    /// The engine of this process, made on first use (the cold start: fonts and templates).
    pub fn global() -> &'static Engine {
        static ENGINE: OnceLock<Engine> = OnceLock::new();
        ENGINE.get_or_init(Engine::load)
    }

    fn load() -> Engine {
        let mut all = Vec::new();
        walk(&TEMPLATES, &mut all);
        all.sort_by(|a, b| a.path().cmp(b.path()));
        let mut fonts = Vec::new();
        let mut sources = HashMap::new();
        let mut files = HashMap::new();
        for f in &all {
            let path = f.path().to_string_lossy().replace('\\', "/");
            if path.starts_with("examples/") {
                continue;
            }
            let lower = path.to_lowercase();
            if lower.starts_with("fonts/") {
                if lower.ends_with(".ttf") || lower.ends_with(".otf") {
                    fonts.extend(Font::iter(Bytes::new(f.contents().to_vec())));
                }
                continue;
            }
            let id = file_id(&format!("/{path}"));
            if lower.ends_with(".typ") {
                let text = String::from_utf8(f.contents().to_vec()).expect("templates are UTF-8");
                sources.insert(id, Source::new(id, text));
            } else {
                files.insert(id, Bytes::new(f.contents().to_vec()));
            }
        }
        assert!(!fonts.is_empty(), "typst-templates/fonts holds the fonts");
        // typst's own fonts come after ours, as fallback for characters Lato lacks (math, arrows, ✓).
        for data in typst_assets::fonts() {
            fonts.extend(Font::iter(Bytes::new(data)));
        }
        // A template's hash covers what it can read: the shared library, its own folder and the fonts.
        let mut hashes = HashMap::new();
        for kind in Kind::ALL {
            let mut h = Sha256::new();
            for f in &all {
                let path = f.path().to_string_lossy().replace('\\', "/");
                if path.starts_with("lib/")
                    || path.starts_with("fonts/")
                    || path.starts_with(&format!("{}/", kind.folder()))
                {
                    h.update(path.as_bytes());
                    h.update([0]);
                    h.update((f.contents().len() as u64).to_be_bytes());
                    h.update(f.contents());
                }
            }
            hashes.insert(kind, hex::encode(h.finalize()));
        }
        Engine {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            sources,
            files,
            hashes,
        }
    }

    /// Whether some font can draw `c` (PDF/A refuses a character no embedded font has).
    pub fn covers(&self, c: char) -> bool {
        c.is_control()
            || self
                .fonts
                .iter()
                .any(|f| f.info().coverage.contains(c as u32))
    }

    /// Replaces, in every string of `value`, the characters no font can draw (emoji, most non-Latin
    /// scripts) with U+FFFD, so a stray emoji in a text cannot stop a document. Answers how many.
    pub fn make_printable(&self, value: &mut serde_json::Value) -> usize {
        use serde_json::Value;
        match value {
            Value::String(s) => {
                if s.chars().all(|c| self.covers(c)) {
                    return 0;
                }
                let mut n = 0;
                let replacement = if self.covers('\u{fffd}') {
                    '\u{fffd}'
                } else {
                    '?'
                };
                *s = s
                    .chars()
                    .map(|c| {
                        if self.covers(c) {
                            c
                        } else {
                            n += 1;
                            replacement
                        }
                    })
                    .collect();
                n
            }
            Value::Array(a) => a.iter_mut().map(|v| self.make_printable(v)).sum(),
            Value::Object(o) => o.values_mut().map(|v| self.make_printable(v)).sum(),
            _ => 0,
        }
    }

    /// SHA-256 of the files a kind's template reads (its folder, the shared library and the fonts).
    pub fn template_hash(&self, kind: Kind) -> &str {
        &self.hashes[&kind]
    }

    /// Compiles the kind's template with the job's input into a PDF/A-2a + PDF/UA-1 file.
    pub fn render(&self, job: &Job<'_>) -> Result<Rendered, RenderError> {
        self.compile(job.kind.folder(), job.input, job.date, &job.assets)
    }

    /// Compiles the audit trail of a signing round (`typst-templates/signeringslogg/`): a record for
    /// the kansli, rendered when it is downloaded and never stored as a version of a document.
    pub fn render_trail(
        &self,
        input: &[u8],
        date: chrono::NaiveDate,
    ) -> Result<Rendered, RenderError> {
        self.compile(TRAIL_FOLDER, input, date, &[])
    }

    fn compile(
        &self,
        folder: &str,
        input: &[u8],
        date: chrono::NaiveDate,
        job_assets: &[(&'static str, Vec<u8>)],
    ) -> Result<Rendered, RenderError> {
        use chrono::Datelike;
        let started = Instant::now();
        let today = Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8)
            .ok_or_else(|| RenderError::Input(format!("the date {date} is out of range")))?;
        let mut assets = HashMap::new();
        for (path, bytes) in job_assets {
            if !ASSET_PATHS.contains(path) {
                return Err(RenderError::Input(format!("{path} is not an asset path")));
            }
            assets.insert(file_id(path), Bytes::new(bytes.clone()));
        }
        let world = JobWorld {
            engine: self,
            main: file_id(&format!("/{folder}/main.typ")),
            input_id: file_id("/input.json"),
            input: Bytes::new(input.to_vec()),
            assets,
            today,
        };
        let compiled = typst::compile::<PagedDocument>(&world);
        let warnings: Vec<String> = compiled.warnings.iter().map(message).collect();
        let document = compiled
            .output
            .map_err(|e| RenderError::Compile(e.iter().map(message).collect()))?;
        let standards = PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1])
            .expect("PDF/A-2a and PDF/UA-1 combine");
        let options = PdfOptions {
            ident: Smart::Auto,
            creator: Smart::Custom(Some(format!("Finsam (typst {TYPST_VERSION})"))),
            timestamp: Some(Timestamp::new_utc(today)),
            page_ranges: None,
            standards,
            tagged: true,
            pretty: false,
        };
        let pdf = typst_pdf::pdf(&document, &options)
            .map_err(|e| RenderError::Export(e.iter().map(message).collect()))?;
        // comemo's caches are process-wide and grow with every render: keep only what the last two
        // renders used (the benchmark: peak 127 MiB instead of 317 with ten, and no slower).
        typst::comemo::evict(2);
        Ok(Rendered {
            pages: document.pages().len(),
            pdf,
            warnings,
            took: started.elapsed(),
        })
    }
}

fn message(d: &SourceDiagnostic) -> String {
    let mut m = d.message.to_string();
    for h in &d.hints {
        m.push_str(" (");
        m.push_str(&h.v);
        m.push(')');
    }
    m
}

struct JobWorld<'a> {
    engine: &'a Engine,
    main: FileId,
    input_id: FileId,
    input: Bytes,
    assets: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl World for JobWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.engine
            .sources
            .get(&id)
            .cloned()
            .ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.input_id {
            return Ok(self.input.clone());
        }
        if let Some(b) = self.assets.get(&id).or_else(|| self.engine.files.get(&id)) {
            return Ok(b.clone());
        }
        if let Some(s) = self.engine.sources.get(&id) {
            return Ok(Bytes::from_string(s.text().to_owned()));
        }
        Err(not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<TypstDuration>) -> Option<Datetime> {
        Some(self.today)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_world_reads_only_templates_fonts_and_the_jobs_own_input() {
        let engine = Engine::global();
        let world = JobWorld {
            engine,
            main: file_id("/minnesanteckningar/main.typ"),
            input_id: file_id("/input.json"),
            input: Bytes::new(b"{}".to_vec()),
            assets: HashMap::new(),
            today: Datetime::from_ymd(2024, 2, 23).unwrap(),
        };
        assert_eq!(
            world.file(file_id("/input.json")).unwrap().as_slice(),
            b"{}"
        );
        assert!(world.source(file_id("/lib/finsam.typ")).is_ok());
        // (A path that climbs out of the root, "/../x", cannot even be named: typst refuses it.)
        for outside in [
            "/etc/passwd",
            "/logo.png",
            "/qr.svg",
            "/x.typ",
            "/fonts/OFL.txt",
        ] {
            assert!(world.file(file_id(outside)).is_err(), "{outside}");
            assert!(world.source(file_id(outside)).is_err(), "{outside}");
        }
        // Examples are not served: a template reads the job's input, never another förbund's data.
        assert!(
            world
                .file(file_id("/examples/arsredovisning.json"))
                .is_err()
        );
    }

    #[test]
    fn a_templates_hash_changes_only_with_what_it_reads() {
        let e = Engine::global();
        let a = e.template_hash(Kind::Arsredovisning);
        assert_eq!(a.len(), 64);
        assert_ne!(a, e.template_hash(Kind::Minnesanteckningar));
    }
}
