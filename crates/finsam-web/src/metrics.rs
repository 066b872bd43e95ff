//! `/metrics` in the Prometheus text format: requests by route and status, the background jobs by kind
//! and outcome (counted and timed where they run, in finsam-jobs), e-mails by outcome, render time, and
//! at each scrape the state of the queues read from the database (what waits, what failed).
//!
//! Labels are routes as declared (`/t/{slug}/…`, never a raw path, which may carry a token), methods,
//! statuses, kinds and outcomes: no tenant, person or address is ever a label.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

/// Seconds: from a fast API answer to a long render.
const BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

/// The process's recorder, installed on first use (one per process, shared by every app in it).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(BUCKETS)
            .expect("the buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder may be installed already (a test harness): ours still renders what it
        // is given, so only warn.
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was installed already; /metrics shows only gauges");
        }
        handle
    })
}

/// Counts and times every request by its declared route, method and status.
pub async fn track(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().as_str().to_owned();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("finsam_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("finsam_http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The metrics, with the queues' state read now.
pub async fn scrape(State(state): State<AppState>) -> Response {
    let handle = handle();
    match finsam_db::repo::health::queue_state(&state.db.all_tenants()).await {
        Ok(q) => {
            for (status, n) in q.outbox {
                metrics::gauge!("finsam_outbox_messages", "status" => status).set(n as f64);
            }
            for (status, n) in q.versions {
                metrics::gauge!("finsam_document_versions", "status" => status).set(n as f64);
            }
            metrics::gauge!("finsam_signing_rounds_pending").set(q.pending_rounds as f64);
            metrics::gauge!("finsam_database_up").set(1.0);
        }
        Err(e) => {
            tracing::warn!(error = %e, "reading the queues for /metrics failed");
            metrics::gauge!("finsam_database_up").set(0.0);
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}
