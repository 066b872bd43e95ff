//! Rendering documents. A version row is the truth (queued → rendering → ready | failed); the apalis job
//! ([`RenderQueue`]) only says "look at version N", and the sweeper pushes it again for any version left
//! queued or stuck, so a lost job or a crashed worker never leaves a document pending.
//!
//! [`Renderer::render`] is idempotent: it claims the version first (a compare-and-set on its status), keeps
//! the input JSON in storage before compiling (a failed render keeps what it was given), and writes the PDF
//! under its content hash before marking the version ready, so a crash in between re-renders the same bytes
//! into the same key.

use anyhow::Context;
use apalis::prelude::*;
use apalis_postgres::PostgresStorage;
use apalis_sqlite::{SqlitePool, SqliteStorage};
use chrono::{Duration, NaiveDate, Utc};
use finsam_core::finance::checks::{checks, delar_checks, failing_messages};
use finsam_db::Db;
use finsam_db::repo::documents::{self, Provenance};
use finsam_db::repo::{meetings, tenants, yearfile};
use finsam_documents::model::{self, Meta};
use finsam_documents::{Engine, Job, Kind, TYPST_VERSION};
use finsam_storage::{Storage, key};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The apalis queue's name: explicit, never derived from a type path.
pub const RENDER_QUEUE: &str = "finsam-render-document";
/// A rendering started longer ago than this is taken to be dead and may be claimed again.
pub const STALE: Duration = Duration::minutes(10);

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct RenderJob {
    pub tenant_id: i64,
    pub version_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ready,
    Failed(String),
    /// Not queued (already rendered, or another worker holds it).
    Skipped,
}

#[derive(Clone)]
pub struct Renderer {
    pub db: Db,
    pub storage: Storage,
    /// Seals signing rounds: builds a sealed version's input and records the seal once it is rendered.
    pub signing: Option<crate::signing::Signing>,
}

fn sha256_hex(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// Why a document's input could not be made; the version fails with this message.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// The document's date: the day the version was asked for, in Europe/Stockholm.
pub fn version_date(v: &documents::Version) -> NaiveDate {
    finsam_core::time::stockholm_date(v.created_at)
}

/// What a render is given: the kind, the input JSON, the document's date and the assets (the logo).
pub struct VersionInput {
    pub kind: Kind,
    pub input: Vec<u8>,
    pub date: NaiveDate,
    pub assets: Vec<(&'static str, Vec<u8>)>,
}

/// Builds a version's input JSON from the stored data, and the date the document carries. Before a final
/// (non-draft) årsredovisning the year's checks must pass; before a final delårsrapport, the delår's.
pub async fn version_input(
    db: &Db,
    storage: &Storage,
    doc: &documents::Document,
    v: &documents::Version,
) -> Result<VersionInput, InputError> {
    let kind = Kind::parse(&doc.kind)
        .ok_or_else(|| InputError::Refused(format!("okänd dokumenttyp {}", doc.kind)))?;
    let tenant = tenants::by_id(&db.tenant(doc.tenant_id), doc.tenant_id)
        .await
        .context("reading the tenant")?
        .ok_or_else(|| InputError::Refused("förbundet finns inte".into()))?;
    let date = version_date(v);
    // The logo goes in as an asset; its hash goes into the input, so the input names everything the
    // file is made from.
    let mut assets = Vec::new();
    let mut logo_hash = None;
    if let (Some(sha), Some(kind)) = (
        &tenant.logo_sha256,
        tenant
            .logo_kind
            .as_deref()
            .and_then(finsam_documents::logo::LogoKind::parse),
    ) {
        let bytes = storage
            .get(&key(tenant.id, sha, kind.ext()))
            .await
            .context("reading the logo")?;
        assets.push((kind.asset_path(), bytes));
        logo_hash = Some((kind.asset_path(), sha.clone()));
    }
    let meta = Meta {
        forbund: tenant.name.clone(),
        orgnr: tenant.orgnr.clone(),
        date: Some(date),
        logo: logo_hash.as_ref().map(|(p, _)| (*p).to_owned()),
        draft: v.draft_reason.clone(),
        signing: None,
    };
    let value = match kind {
        Kind::Minnesanteckningar => {
            let id = doc
                .meeting_id
                .ok_or_else(|| InputError::Refused("mötet saknas".into()))?;
            let m = meetings::get(&db.tenant(doc.tenant_id), doc.tenant_id, id)
                .await
                .context("reading the meeting")?
                .ok_or_else(|| InputError::Refused("mötet finns inte längre".into()))?;
            let people = finsam_db::repo::organisation::people(&db.tenant(doc.tenant_id), doc.tenant_id)
                .await
                .context("reading the people")?;
            model::minnesanteckningar::build_with_people(&m.meeting, &people, &meta)
        }
        Kind::Arsredovisning | Kind::Delarsrapport | Kind::Verksamhetsplan => {
            let year = doc
                .year
                .ok_or_else(|| InputError::Refused("året saknas".into()))?;
            let file = yearfile::export(&db.tenant(doc.tenant_id), doc.tenant_id, year)
                .await
                .context("reading the year")?;
            if !v.draft && kind != Kind::Verksamhetsplan {
                // The delårsrapport is made mid-year: its checks are the delår's, not the year's.
                let (all, whose) = if kind == Kind::Delarsrapport {
                    (delar_checks(&file), "Delårets")
                } else {
                    (checks(&file), "Årets")
                };
                let failing = failing_messages(all);
                if !failing.is_empty() {
                    return Err(InputError::Refused(format!(
                        "{whose} kontroller stoppade dokumentet: {} Rätta uppgifterna, eller gör ett utkast.",
                        failing.join(" ")
                    )));
                }
            }
            match kind {
                Kind::Arsredovisning => model::arsredovisning::build(&file, &meta),
                Kind::Delarsrapport => model::delarsrapport::build(&file, &meta),
                _ => model::verksamhetsplan::build(&file, &meta),
            }
        }
    }
    .map_err(|e| InputError::Refused(e.to_string()))?;
    let mut value = value;
    if let Some((path, sha)) = &logo_hash {
        value["assets"] = serde_json::json!({ *path: sha });
    }
    finish_input(kind, value, date, assets, v)
}

/// The input as the renderer takes it: characters the fonts cannot draw replaced (and logged), the date
/// the PDF carries (the document's own `meta.date`, such as a meeting's, else `fallback`), serialised.
fn finish_input(
    kind: Kind,
    mut value: serde_json::Value,
    fallback: NaiveDate,
    assets: Vec<(&'static str, Vec<u8>)>,
    v: &documents::Version,
) -> Result<VersionInput, InputError> {
    let replaced = Engine::global().make_printable(&mut value);
    if replaced > 0 {
        tracing::info!(
            tenant_id = v.tenant_id,
            version_id = v.id,
            replaced,
            "characters the fonts cannot draw were replaced"
        );
    }
    let date = value["meta"]["date"]
        .as_str()
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .unwrap_or(fallback);
    let input = serde_json::to_vec(&value).context("writing the input JSON")?;
    Ok(VersionInput {
        kind,
        input,
        date,
        assets,
    })
}

impl Renderer {
    /// Renders one version if it is still to be rendered; safe to call again for the same version.
    pub async fn render(&self, tenant_id: i64, version_id: i64) -> anyhow::Result<Outcome> {
        crate::metrics::timed(
            "render",
            self.render_version(tenant_id, version_id),
            |o| match o {
                Outcome::Ready => "ready",
                Outcome::Failed(_) => "failed",
                Outcome::Skipped => "skipped",
            },
        )
        .await
    }

    async fn render_version(&self, tenant_id: i64, version_id: i64) -> anyhow::Result<Outcome> {
        let now = Utc::now();
        if !documents::claim(
            &self.db.tenant(tenant_id),
            tenant_id,
            version_id,
            now - STALE,
        )
        .await?
        {
            return Ok(Outcome::Skipped);
        }
        let v = documents::version(&self.db.tenant(tenant_id), tenant_id, version_id)
            .await?
            .context("the claimed version is gone")?;
        let doc = documents::get(&self.db.tenant(tenant_id), tenant_id, v.document_id)
            .await?
            .context("the version's document is gone")?;
        let VersionInput {
            kind,
            input,
            date,
            assets,
        } = match self.input_of(&doc, &v).await {
            Ok(x) => x,
            Err(InputError::Refused(msg)) => {
                return self.fail(tenant_id, version_id, msg, None).await;
            }
            Err(InputError::Other(e)) => {
                // Not the data's fault: leave it claimed; the sweeper tries again after STALE.
                return Err(e);
            }
        };
        let input_sha = sha256_hex(&input);
        self.storage
            .put_once(&key(tenant_id, &input_sha, "json"), input.clone())
            .await?;
        let rendered = tokio::task::spawn_blocking(move || {
            Engine::global().render(&Job {
                kind,
                input: &input,
                date,
                assets,
            })
        })
        .await
        .context("the render task")?;
        let rendered = match rendered {
            Ok(r) => r,
            Err(e) => {
                return self
                    .fail(
                        tenant_id,
                        version_id,
                        format!("Dokumentet kunde inte skapas: {e}"),
                        Some(&input_sha),
                    )
                    .await;
            }
        };
        let pdf_sha = sha256_hex(&rendered.pdf);
        let pdf_bytes = rendered.pdf.len() as i64;
        self.storage
            .put_once(&key(tenant_id, &pdf_sha, "pdf"), rendered.pdf)
            .await?;
        let p = Provenance {
            input_sha256: input_sha,
            pdf_sha256: pdf_sha,
            template_sha256: Engine::global().template_hash(kind).to_owned(),
            typst_version: TYPST_VERSION.to_owned(),
            pages: rendered.pages as i32,
            render_ms: rendered.took.as_millis().min(i32::MAX as u128) as i32,
            pdf_bytes,
        };
        documents::finish_ready(&self.db.tenant(tenant_id), tenant_id, version_id, &p).await?;
        crate::metrics::render_time(kind.as_str(), rendered.took);
        if v.signing_round_id.is_some()
            && let Some(signing) = &self.signing
            && let Some(done) =
                documents::version(&self.db.tenant(tenant_id), tenant_id, version_id).await?
        {
            // If this fails (or the process dies here), the signing tick records the seal later.
            if let Err(e) = signing.complete_seal(&done, Utc::now()).await {
                tracing::warn!(error = %e, version_id, "seal not recorded yet");
            }
        }
        tracing::info!(
            tenant_id,
            version_id,
            kind = kind.as_str(),
            pages = p.pages,
            render_ms = p.render_ms,
            "document rendered"
        );
        Ok(Outcome::Ready)
    }

    /// A version's input: from the stored data, or, for the sealed version of a signing round, from the
    /// signed version's stored input with the signature page.
    async fn input_of(
        &self,
        doc: &documents::Document,
        v: &documents::Version,
    ) -> Result<VersionInput, InputError> {
        if v.signing_round_id.is_none() {
            return version_input(&self.db, &self.storage, doc, v).await;
        }
        let signing = self
            .signing
            .as_ref()
            .context("this worker cannot seal (no signing service)")?;
        let kind = Kind::parse(&doc.kind)
            .ok_or_else(|| InputError::Refused(format!("okänd dokumenttyp {}", doc.kind)))?;
        let (value, assets) = signing.sealed_input(v).await?;
        finish_input(kind, value, version_date(v), assets, v)
    }

    async fn fail(
        &self,
        tenant_id: i64,
        version_id: i64,
        msg: String,
        input_sha: Option<&str>,
    ) -> anyhow::Result<Outcome> {
        tracing::warn!(tenant_id, version_id, error = %msg, "document not rendered");
        documents::finish_failed(
            &self.db.tenant(tenant_id),
            tenant_id,
            version_id,
            &msg,
            input_sha,
        )
        .await?;
        Ok(Outcome::Failed(msg))
    }

    /// Renders every version still to be rendered (queued, or stuck since before [`STALE`]), one after
    /// the other until `stopping` says so: a stopping process finishes the version it holds and leaves
    /// the rest queued for the next.
    pub async fn sweep(&self, stopping: impl Fn() -> bool) -> anyhow::Result<usize> {
        let mut n = 0;
        // Work waiting in every förbund: a deliberate cross-tenant read; each version is then rendered
        // in its own förbund.
        for v in documents::pending(&self.db.all_tenants(), Utc::now() - STALE, 100).await? {
            if stopping() {
                break;
            }
            if self.render(v.tenant_id, v.id).await? != Outcome::Skipped {
                n += 1;
            }
        }
        Ok(n)
    }
}

/// The apalis queue of render jobs, in its own SQLite file (apalis sets `synchronous=OFF` on it, which the
/// main database must not share).
#[derive(Clone)]
pub struct RenderQueue {
    backend: QueueBackend,
    /// Wakes the sweeper at once after a push, so a rendering never waits for the next tick even when
    /// apalis's poll is slow to see the job (both may try; the claim lets one render).
    kick: std::sync::Arc<tokio::sync::Notify>,
}

/// Where the jobs wait: a SQLite file of this process (the embedded mode), or the PostgreSQL database
/// every process shares, so a job pushed by one server is taken by any worker (heartbeats give a dead
/// worker's jobs to another).
#[derive(Clone)]
enum QueueBackend {
    Sqlite(SqliteStorage<RenderJob>),
    Postgres(PostgresStorage<RenderJob>),
}

impl RenderQueue {
    pub async fn open(path: &std::path::Path) -> anyhow::Result<Self> {
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let pool = SqlitePool::connect(&url)
            .await
            .with_context(|| format!("opening the job queue {}", path.display()))?;
        SqliteStorage::setup(&pool)
            .await
            .context("setting up the job queue")?;
        let config = apalis_sqlite::Config::default().queue(RENDER_QUEUE);
        Ok(Self {
            backend: QueueBackend::Sqlite(SqliteStorage::new(&pool).with_config(config)),
            kick: Default::default(),
        })
    }

    /// Makes or updates the queue's tables in the schema `apalis`: a migration step, run by the
    /// tables' owner with the application's own migrations.
    pub async fn setup_postgres(pool: &apalis_postgres::PgPool) -> anyhow::Result<()> {
        PostgresStorage::setup(pool)
            .await
            .context("setting up the job queue in PostgreSQL")
    }

    /// The queue in the application's PostgreSQL database (its tables in the schema `apalis`, made by
    /// [`RenderQueue::setup_postgres`]).
    pub async fn open_postgres(pool: &apalis_postgres::PgPool) -> anyhow::Result<Self> {
        let config = apalis_postgres::Config::default().queue(RENDER_QUEUE);
        Ok(Self {
            backend: QueueBackend::Postgres(PostgresStorage::new(pool).with_config(config)),
            kick: Default::default(),
        })
    }

    /// The queue for `db`: in PostgreSQL when the database is, else in the SQLite file `sqlite_path`.
    pub async fn for_database(db: &Db, sqlite_path: &std::path::Path) -> anyhow::Result<Self> {
        if db.backend() == finsam_db::DbBackend::Postgres {
            Self::open_postgres(db.connection().get_postgres_connection_pool()).await
        } else {
            Self::open(sqlite_path).await
        }
    }

    /// `postgres` or `sqlite`, for the logs.
    pub fn describe(&self) -> &'static str {
        match self.backend {
            QueueBackend::Sqlite(_) => "sqlite",
            QueueBackend::Postgres(_) => "postgres",
        }
    }

    /// Asks for a version to be rendered. Asking twice is fine: the idempotency key keeps one job.
    pub async fn push(&self, job: RenderJob) -> anyhow::Result<()> {
        let task = TaskBuilder::new(job)
            .max_attempts(3)
            .idempotency_key(format!("render:{}:{}", job.tenant_id, job.version_id))
            .build();
        let pushed = match &self.backend {
            QueueBackend::Sqlite(s) => s.clone().push_task(task).await.map_err(|e| e.to_string()),
            QueueBackend::Postgres(p) => match p.clone().push_task(task).await {
                Ok(()) => Ok(()),
                // PostgreSQL refuses a second job with the same key: it is queued already.
                Err(e) if e.to_string().contains("duplicate key") => Ok(()),
                Err(e) => Err(e.to_string()),
            },
        }
        .map_err(|e| anyhow::anyhow!("queueing the render job: {e}"));
        self.kick.notify_one();
        pushed
    }

    /// Resolves when a job was pushed since the last call.
    pub async fn kicked(&self) {
        self.kick.notified().await;
    }

    /// Runs the render worker until `shutdown` resolves.
    pub async fn run(
        self,
        renderer: Renderer,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) {
        async fn handle(job: RenderJob, r: Data<Renderer>) -> Result<(), BoxDynError> {
            r.render(job.tenant_id, job.version_id).await?;
            Ok(())
        }
        let until = async move {
            shutdown.await;
            Ok::<(), std::io::Error>(())
        };
        // Poll every half second: a rendering asked for in the UI starts at once, not after apalis's
        // idle backoff (up to a minute).
        let poll = std::time::Duration::from_millis(500);
        let result = match self.backend {
            QueueBackend::Sqlite(s) => {
                WorkerBuilder::new("finsam-render")
                    .backend(s.poll_with_interval(poll))
                    .data(renderer)
                    .build(handle)
                    .run_until(until)
                    .await
            }
            QueueBackend::Postgres(p) => {
                WorkerBuilder::new(format!("finsam-render-{}", worker_name()))
                    .backend(p.poll_with_interval(poll))
                    .data(renderer)
                    .build(handle)
                    .run_until(until)
                    .await
            }
        };
        if let Err(e) = result {
            tracing::error!(error = %e, "render worker stopped");
        }
    }
}

/// A name for this process's render worker among those sharing a PostgreSQL queue: host and pid.
fn worker_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
    format!("{host}-{}", std::process::id())
}
