//! What the background work counts and times, through the `metrics` facade (rendered at `/metrics`
//! by finsam-web). Labels are kinds and outcomes only: never a förbund, a person or an address.

use std::time::{Duration, Instant};

/// One job of `kind` ended with `outcome` after `took`.
pub fn job(kind: &'static str, outcome: &'static str, took: Duration) {
    metrics::counter!("finsam_jobs_total", "kind" => kind, "outcome" => outcome).increment(1);
    metrics::histogram!("finsam_job_duration_seconds", "kind" => kind, "outcome" => outcome)
        .record(took.as_secs_f64());
}

/// Times a job: `outcome` names how it ended.
pub async fn timed<T, E>(
    kind: &'static str,
    work: impl Future<Output = Result<T, E>>,
    outcome: impl FnOnce(&T) -> &'static str,
) -> Result<T, E> {
    let started = Instant::now();
    let r = work.await;
    let o = match &r {
        Ok(v) => outcome(v),
        Err(_) => "error",
    };
    job(kind, o, started.elapsed());
    r
}

/// One e-mail: `sent`, `retry` (a transient failure, tried again later) or `failed` (given up).
pub fn email(outcome: &'static str) {
    metrics::counter!("finsam_emails_total", "outcome" => outcome).increment(1);
}

/// The typst compile of one document.
pub fn render_time(document: &'static str, took: Duration) {
    metrics::histogram!("finsam_render_seconds", "document" => document).record(took.as_secs_f64());
}
