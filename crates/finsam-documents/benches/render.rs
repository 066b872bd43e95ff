//! How fast the in-process engine renders the Höglandet 2024 årsredovisning, against the typst CLI.
//!
//! ```sh
//! cargo bench -p finsam-documents --bench render
//! ```
//!
//! Environment: `FINSAM_BENCH_RUNS` (warm renders and CLI runs, default 20), `FINSAM_TYPST_CLI` (the
//! typst 0.15.1 binary for the baseline, default `typst` on `PATH`; the baseline is skipped when it is
//! missing). See `docs/performance.md` for what is measured and the numbers of a run.
//!
//! Each warm render moves the document's date one day on (`meta.date` in the input and the job's date):
//! the input bytes differ every time, so typst's memo cache cannot hand back the previous document, and
//! the date is printed in every page's running header, so every page is laid out again. The body stays
//! the same. Two more measures are shown apart, for what typst's cache can save: N renders that each add
//! one short paragraph to one text (1.7 Förväntad utveckling) and keep the date, and one render of an
//! unchanged input.

use chrono::{Days, NaiveDate};
use finsam_core::yearfile::YearFile;
use finsam_documents::model::{Meta, arsredovisning};
use finsam_documents::{Engine, Job, Kind, Rendered, TYPST_VERSION};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const WARM_TARGET: Duration = Duration::from_millis(150);
const COLD_TARGET: Duration = Duration::from_millis(1500);
const PEAK_TARGET_KIB: u64 = 300 * 1024;
const RATIO_TARGET: f64 = 3.0;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn base_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 20).expect("a valid date")
}

/// The envelope of the årsredovisning dated `date`.
fn envelope(year: &YearFile, date: NaiveDate) -> Value {
    let meta = Meta {
        forbund: "Höglandets samordningsförbund".into(),
        date: Some(date),
        ..Meta::default()
    };
    arsredovisning::build(year, &meta).expect("the fixture builds an årsredovisning")
}

/// [`envelope`] as the JSON bytes the engine reads.
fn input(year: &YearFile, date: NaiveDate) -> Vec<u8> {
    serde_json::to_vec(&envelope(year, date)).expect("the envelope serialises")
}

/// The envelope dated [`base_date`] with one more short paragraph under 1.7 Förväntad utveckling.
fn input_with_text(year: &YearFile, run: usize) -> Vec<u8> {
    let mut value = envelope(year, base_date());
    value["data"]["texts"]["forvantad_utveckling"]
        .as_array_mut()
        .expect("texts are blocks")
        .push(json!({"type": "paragraph", "content": [{"text": format!("Ändring {run}."), "bold": false}]}));
    serde_json::to_vec(&value).expect("the envelope serialises")
}

fn render(input: &[u8], date: NaiveDate) -> (Rendered, Duration) {
    let started = Instant::now();
    let rendered = Engine::global()
        .render(&Job {
            kind: Kind::Arsredovisning,
            input,
            date,
            assets: Vec::new(),
        })
        .unwrap_or_else(|e| panic!("the årsredovisning renders: {e}"));
    let took = started.elapsed();
    assert!(rendered.pdf.starts_with(b"%PDF-"), "the output is a PDF");
    (rendered, took)
}

/// A field of `/proc/self/status` in KiB (`VmHWM`, `VmRSS`), when the system has one.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status
        .lines()
        .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))?;
    line[field.len() + 1..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

struct Stats {
    median: Duration,
    min: Duration,
    max: Duration,
}

fn stats(times: &[Duration]) -> Stats {
    let mut t = times.to_vec();
    t.sort();
    let n = t.len();
    let median = if n % 2 == 1 {
        t[n / 2]
    } else {
        (t[n / 2 - 1] + t[n / 2]) / 2
    };
    Stats {
        median,
        min: t[0],
        max: t[n - 1],
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT MET" }
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        // Follows symlinks: typst refuses to read through them, so the copy holds plain files.
        if std::fs::metadata(entry.path())?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// The CLI's times over `runs` compiles of the same template and input, or why there are none.
fn cli_baseline(cli: &str, input: &[u8], runs: usize) -> Result<(String, Vec<Duration>), String> {
    let version = Command::new(cli)
        .arg("--version")
        .output()
        .map_err(|e| format!("`{cli}` could not be run ({e})"))?;
    if !version.status.success() {
        return Err(format!("`{cli} --version` failed"));
    }
    let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
    let dir = std::env::temp_dir().join(format!("finsam-bench-render-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let result = (|| {
        copy_dir(&repo().join("typst-templates"), &dir)
            .map_err(|e| format!("copying typst-templates to {}: {e}", dir.display()))?;
        std::fs::write(dir.join("input.json"), input).map_err(|e| format!("input.json: {e}"))?;
        let out = dir.join("out.pdf");
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let _ = std::fs::remove_file(&out);
            let started = Instant::now();
            let run = Command::new(cli)
                .arg("compile")
                .arg("--root")
                .arg(&dir)
                .arg("--font-path")
                .arg(dir.join("fonts"))
                .arg("--ignore-system-fonts")
                .args(["--pdf-standard", "a-2a,ua-1"])
                .arg(dir.join("arsredovisning/main.typ"))
                .arg(&out)
                .output()
                .map_err(|e| format!("`{cli} compile` could not be run ({e})"))?;
            let took = started.elapsed();
            if !run.status.success() || !out.exists() {
                return Err(format!(
                    "`{cli} compile` failed: {}",
                    String::from_utf8_lossy(&run.stderr).trim()
                ));
            }
            times.push(took);
        }
        Ok(times)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result.map(|times| (version, times))
}

fn main() {
    let runs: usize = match std::env::var("FINSAM_BENCH_RUNS") {
        Ok(v) => v
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .expect("FINSAM_BENCH_RUNS is a positive whole number"),
        Err(_) => 20,
    };
    let cli = std::env::var("FINSAM_TYPST_CLI").unwrap_or_else(|_| "typst".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "finsam-documents render bench: årsredovisning Höglandet 2024, typst {TYPST_VERSION}, {runs} runs, \
         {cores} cores, load average {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );

    // 1. The input.
    let started = Instant::now();
    let bytes = std::fs::read(repo().join("fixtures/hoglandet-2024.json")).expect("the fixture");
    let year: YearFile = serde_json::from_slice(&bytes).expect("the fixture is a year file");
    let first = input(&year, base_date());
    let built = started.elapsed();

    // 2. Cold: the engine (fonts, templates, library) and the first render.
    let started = Instant::now();
    Engine::global();
    let load_took = started.elapsed();
    let (cold, cold_render) = render(&first, base_date());
    let cold_took = load_took + cold_render;
    let hwm_cold = status_kib("VmHWM");

    // 3. Warm: a new date each time.
    let mut warm = Vec::with_capacity(runs);
    let mut pages = cold.pages;
    let mut rss = Vec::with_capacity(runs);
    for i in 1..=runs {
        let date = base_date() + Days::new(i as u64);
        let json = input(&year, date);
        let (r, took) = render(&json, date);
        assert_eq!(r.pages, cold.pages, "every run renders the same pages");
        pages = r.pages;
        warm.push(took);
        rss.push(status_kib("VmRSS"));
    }
    let warm_stats = stats(&warm);
    // 4. Peak memory of this process after those runs (the CLI runs below are children and do not count).
    let hwm = status_kib("VmHWM");

    // Apart: one text changed each time, same date; then the same input as the last of those.
    let mut text = Vec::with_capacity(runs);
    for i in 1..=runs {
        let (_, took) = render(&input_with_text(&year, i), base_date());
        text.push(took);
    }
    let text_stats = stats(&text);
    let (_, unchanged) = render(&input_with_text(&year, runs), base_date());
    let hwm_end = status_kib("VmHWM");

    // 5. The CLI.
    let baseline = cli_baseline(&cli, &first, runs);

    // 6. The table.
    println!();
    println!(
        "input: {} bytes of JSON, built in {}; PDF: {} pages, {} bytes, {} warnings",
        first.len(),
        ms(built),
        pages,
        cold.pdf.len(),
        cold.warnings.len()
    );
    println!();
    println!("| measure | median | min | max |");
    println!("| --- | ---: | ---: | ---: |");
    println!(
        "| cold: engine load + first render | {} (load {}, render {}) | | |",
        ms(cold_took),
        ms(load_took),
        ms(cold_render)
    );
    println!(
        "| warm render ({runs} runs, new date each) | {} | {} | {} |",
        ms(warm_stats.median),
        ms(warm_stats.min),
        ms(warm_stats.max)
    );
    println!(
        "| warm render ({runs} runs, one text changed each) | {} | {} | {} |",
        ms(text_stats.median),
        ms(text_stats.min),
        ms(text_stats.max)
    );
    println!(
        "| warm render, unchanged input (1 run) | {} | | |",
        ms(unchanged)
    );
    let cli_stats = match &baseline {
        Ok((version, times)) => {
            let s = stats(times);
            println!(
                "| {version} CLI compile ({runs} runs) | {} | {} | {} |",
                ms(s.median),
                ms(s.min),
                ms(s.max)
            );
            Some(s)
        }
        Err(why) => {
            println!("| typst CLI | skipped: {why} (set FINSAM_TYPST_CLI) | | |");
            None
        }
    };
    println!();
    match (hwm_cold, hwm, hwm_end) {
        (Some(c), Some(h), Some(e)) => println!(
            "memory: VmHWM {} after the cold render, {} after the {runs} warm renders (the peak measured \
             below), {} after the text-change renders too",
            mib(c),
            mib(h),
            mib(e)
        ),
        _ => println!("memory: /proc/self/status is not readable here"),
    }
    if rss.iter().all(Option::is_some) {
        let each: Vec<String> = rss
            .iter()
            .map(|k| format!("{:.0}", k.unwrap_or(0) as f64 / 1024.0))
            .collect();
        println!("VmRSS after each warm render (MiB): {}", each.join(" "));
    }
    let ratio = cli_stats
        .as_ref()
        .map(|s| s.median.as_secs_f64() / warm_stats.median.as_secs_f64());
    if let Some(ratio) = ratio {
        println!("CLI median / in-process warm median: {ratio:.1}×");
    }

    println!();
    println!("| target | result | |");
    println!("| --- | --- | --- |");
    println!(
        "| warm ≤ {} | {} | {} |",
        ms(WARM_TARGET),
        ms(warm_stats.median),
        verdict(warm_stats.median <= WARM_TARGET)
    );
    println!(
        "| cold ≤ {} | {} | {} |",
        ms(COLD_TARGET),
        ms(cold_took),
        verdict(cold_took <= COLD_TARGET)
    );
    match hwm {
        Some(h) => println!(
            "| peak ≤ {} | {} | {} |",
            mib(PEAK_TARGET_KIB),
            mib(h),
            verdict(h <= PEAK_TARGET_KIB)
        ),
        None => println!(
            "| peak ≤ {} | unknown | not measured |",
            mib(PEAK_TARGET_KIB)
        ),
    }
    match ratio {
        Some(r) => println!(
            "| ≥ {RATIO_TARGET:.0}× faster than the CLI | {r:.1}× | {} |",
            verdict(r >= RATIO_TARGET)
        ),
        None => {
            println!("| ≥ {RATIO_TARGET:.0}× faster than the CLI | no baseline | not measured |")
        }
    }
}
