//! The running application: database, HTTP server and the background work (e-mail, rendering,
//! signing, the yearly cycle) in one process, with one shutdown signal; `finsam worker` runs the
//! background work alone. Tests start it the same way on port 0 (see finsam-testkit).

use crate::config::{Config, MailConfig};
use anyhow::Context;
use finsam_jobs::outbox::Worker;
use finsam_jobs::render::{RenderQueue, Renderer};
use finsam_mail::Transport;
use finsam_web::{AppState, WebConfig};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

/// Installs the process-wide TLS provider once, so no crate panics for want of one.
pub fn init_crypto() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// Connects to the database and runs the pending migrations, or, with `FINSAM_MIGRATE_ON_START=false`,
/// refuses to start while any is pending (run `finsam migrate` first). On PostgreSQL it refuses a role
/// that row-level security does not bind (a superuser, or BYPASSRLS).
pub async fn open_database(cfg: &Config) -> anyhow::Result<finsam_db::Db> {
    let db = connect(&cfg.database_url).await?;
    if cfg.migrate_on_start {
        migrate(cfg, &db).await?;
    } else {
        let pending = finsam_db::pending_migrations(&db)
            .await
            .context("reading the applied migrations")?;
        let queue_missing = db.get_database_backend() == finsam_db::DbBackend::Postgres
            && !finsam_db::table_exists(&db, "apalis.jobs").await?;
        if pending > 0 || queue_missing {
            anyhow::bail!(
                "the database needs {pending} migration(s) this release brings{}: run `finsam migrate` first (FINSAM_MIGRATE_ON_START is false)",
                if queue_missing {
                    " and the job queue's tables"
                } else {
                    ""
                }
            );
        }
    }
    check_role(&db).await?;
    Ok(finsam_db::Db::new(db))
}

/// Connects to the database and runs the pending migrations, whatever the setting (`finsam migrate`).
pub async fn migrate_database(cfg: &Config) -> anyhow::Result<finsam_db::Db> {
    let db = connect(&cfg.database_url).await?;
    migrate(cfg, &db).await?;
    Ok(finsam_db::Db::new(db))
}

/// Runs the migrations and, on PostgreSQL, sets up the job queue's tables: as the owner
/// (`FINSAM_DATABASE_OWNER_URL`), who then grants the application's role what it needs, or on the
/// application's own connection when no owner is configured.
async fn migrate(cfg: &Config, app: &finsam_db::Conn) -> anyhow::Result<()> {
    let owner = match &cfg.database_owner_url {
        Some(url) => Some(connect(url).await?),
        None => None,
    };
    let conn = owner.as_ref().unwrap_or(app);
    finsam_db::migrate(conn)
        .await
        .context("running migrations")?;
    if conn.get_database_backend() == finsam_db::DbBackend::Postgres {
        RenderQueue::setup_postgres(conn.get_postgres_connection_pool()).await?;
    }
    if let Some(owner) = owner {
        let role = finsam_db::check_role(app)
            .await
            .context("reading the application's role")?
            .context("an owner's connection is for PostgreSQL only")?
            .role;
        finsam_db::grant_to(&owner, &role)
            .await
            .with_context(|| format!("granting the application's role {role} its privileges"))?;
        owner
            .close()
            .await
            .context("closing the owner's connection")?;
    }
    Ok(())
}

/// Row-level security binds every role but a superuser or one with BYPASSRLS: such a role would see
/// every förbund's rows, so it may not run the application.
async fn check_role(db: &finsam_db::Conn) -> anyhow::Result<()> {
    let Some(check) = finsam_db::check_role(db)
        .await
        .context("reading the application's role")?
    else {
        return Ok(());
    };
    if check.bypasses_rls {
        anyhow::bail!(
            "FINSAM_DATABASE_URL connects as {}, a superuser or a role with BYPASSRLS: row-level security would not separate the förbund. Connect as an ordinary role, and give migrations the owner's connection in FINSAM_DATABASE_OWNER_URL (docs/operations.md)",
            check.role
        );
    }
    if check.owns_tables {
        tracing::warn!(
            role = %check.role,
            "the application's database role owns the tables: row-level security applies (FORCE), but the role could turn it off; set FINSAM_DATABASE_OWNER_URL and connect as a role that owns nothing"
        );
    }
    Ok(())
}

async fn connect(url: &str) -> anyhow::Result<finsam_db::Conn> {
    finsam_db::connect(url)
        .await
        .with_context(|| format!("opening the database {}", crate::config::redact_url(url)))
}

/// The object storage the configuration names (`FINSAM_STORAGE_URL`): a local folder or an S3 bucket.
pub fn storage(cfg: &Config) -> anyhow::Result<finsam_storage::Storage> {
    finsam_storage::Storage::open(&cfg.storage).context("opening the object storage")
}

pub fn transport(cfg: &Config) -> anyhow::Result<Arc<dyn Transport>> {
    Ok(match &cfg.mail {
        MailConfig::OutboxFolder(dir) => Arc::new(
            finsam_mail::transport::OutboxFolder::new(dir).context("creating the outbox folder")?,
        ),
        MailConfig::Smtp(s) => {
            Arc::new(finsam_mail::transport::Smtp::new(s.clone()).map_err(anyhow::Error::msg)?)
        }
    })
}

pub fn web_config(cfg: &Config) -> WebConfig {
    WebConfig {
        base_url: cfg.base_url.clone(),
        jwt_secret: cfg.jwt_secret.clone().into(),
        jwt_secret_previous: cfg.jwt_secret_previous.clone().map(Into::into),
        session_idle: cfg.session_idle,
        session_max_age: chrono::Duration::hours(24),
        access_token_ttl: chrono::Duration::minutes(15),
        mail_from: cfg.mail_from.clone(),
    }
}

/// How long a stopping process waits for requests and jobs in flight (below Kubernetes' default 30 s
/// would cut renders short; the manifests give 60 s).
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(45);

/// A started application: the HTTP server (the whole application for `serve`, the health and metrics
/// routes for `worker`), and the background work beside it.
pub struct Running {
    pub addr: SocketAddr,
    pub db: finsam_db::Db,
    shutdown: watch::Sender<bool>,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
    /// Tasks that stop by themselves at the shutdown signal (between messages, between jobs).
    workers: Vec<tokio::task::JoinHandle<()>>,
    /// Tasks that hold nothing in flight and are simply stopped.
    housekeeping: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stops accepting, lets requests in flight finish, stops the workers between messages and jobs.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        self.wait().await
    }

    /// Waits until the shutdown signal has stopped everything, at most [`SHUTDOWN_GRACE`] after the
    /// signal: what is still running then is dropped, and taken up again by another process once its
    /// lease runs out (a render's claim, an e-mail's lease), so nothing is lost.
    pub async fn wait(self) -> anyhow::Result<()> {
        let signalled = until_true(self.shutdown.subscribe());
        let grace = async {
            signalled.await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        };
        tokio::select! {
            r = self.wait_all() => r,
            _ = grace => {
                tracing::warn!(grace_secs = SHUTDOWN_GRACE.as_secs(), "work in flight did not finish in time; stopping anyway");
                Ok(())
            }
        }
    }

    async fn wait_all(self) -> anyhow::Result<()> {
        let server = self.server.await.context("server task")?;
        for worker in self.workers {
            worker.await.context("worker task")?;
        }
        for task in self.housekeeping {
            task.abort();
        }
        server
    }

    pub fn shutdown_handle(&self) -> watch::Sender<bool> {
        self.shutdown.clone()
    }
}

async fn until_true(mut rx: watch::Receiver<bool>) {
    while !*rx.borrow() {
        if rx.changed().await.is_err() {
            return;
        }
    }
}

/// What the server and the background work share: storage, the render queue, the signing service.
#[derive(Clone)]
struct Services {
    db: finsam_db::Db,
    kick: Arc<Notify>,
    storage: finsam_storage::Storage,
    queue: RenderQueue,
    signing: finsam_jobs::signing::Signing,
    renderer: Renderer,
}

impl Services {
    async fn open(cfg: &Config, db: finsam_db::Db) -> anyhow::Result<Self> {
        let kick = Arc::new(Notify::new());
        let storage = storage(cfg)?;
        // The render queue: in PostgreSQL when the database is (shared by every process), else a
        // SQLite file of this process.
        let queue = RenderQueue::for_database(&db, &cfg.data_dir.join("jobs.db")).await?;
        tracing::info!(queue = queue.describe(), "render queue opened");
        let signing = finsam_jobs::signing::Signing {
            db: db.clone(),
            storage: storage.clone(),
            base_url: base_url(cfg),
            mail_kick: kick.clone(),
            render_queue: Some(queue.clone()),
            attach_limit: cfg.mail_attach_limit,
        };
        let renderer = Renderer {
            db: db.clone(),
            storage: storage.clone(),
            signing: Some(signing.clone()),
        };
        Ok(Self {
            db,
            kick,
            storage,
            queue,
            signing,
            renderer,
        })
    }
}

fn base_url(cfg: &Config) -> String {
    cfg.base_url.as_str().trim_end_matches('/').to_owned()
}

impl Services {
    fn app_state(&self, cfg: &Config) -> AppState {
        AppState::new(
            self.db.clone(),
            web_config(cfg),
            self.kick.clone(),
            self.storage.clone(),
            self.queue.clone(),
            self.signing.clone(),
        )
    }
}

/// Serves `app` on `listener` until the shutdown signal, then lets the requests in flight finish.
fn serve(
    listener: TcpListener,
    app: axum::Router,
    rx: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<anyhow::Result<()>> {
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(until_true(rx))
        .await
        .context("HTTP server")
    })
}

/// Starts the server on `listener` and the background work beside it.
pub async fn start(
    cfg: &Config,
    db: finsam_db::Db,
    listener: TcpListener,
) -> anyhow::Result<Running> {
    let services = Services::open(cfg, db).await?;
    let state = services.app_state(cfg);
    let throttles = [state.throttle.clone(), state.public_throttle.clone()];
    let mut running = background(cfg, services, listener, finsam_web::router(state))?;
    // The throttles' memory (sign-in, and the public signing and verification routes) is the server's;
    // it shrinks every minute.
    running.housekeeping.push(tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            for t in &throttles {
                t.shrink();
            }
        }
    }));
    Ok(running)
}

/// Starts the background work only (`finsam worker`): e-mail, rendering and sealing, the signing
/// rounds' reminders and expiry, and the yearly cycle; on `listener`, only `/healthz`, `/readyz` and
/// `/metrics` (for probes and scraping). Stops at `shutdown`.
pub async fn start_worker(
    cfg: &Config,
    db: finsam_db::Db,
    listener: TcpListener,
) -> anyhow::Result<Running> {
    let services = Services::open(cfg, db).await?;
    let ops = finsam_web::ops_router(services.app_state(cfg));
    background(cfg, services, listener, ops)
}

/// Serves `app` on `listener` and starts the background work beside it, under one shutdown signal.
fn background(
    cfg: &Config,
    services: Services,
    listener: TcpListener,
    app: axum::Router,
) -> anyhow::Result<Running> {
    let addr = listener.local_addr()?;
    let (tx, rx) = watch::channel(false);
    let server = serve(listener, app, rx.clone());
    let Services {
        db,
        kick,
        storage,
        queue,
        signing,
        renderer,
    } = services;
    // The yearly cycle (årshjul): ticks once now, then every five minutes (apalis-cron) until shutdown.
    // Each (förbund, document, year) runs once, whichever process ticks: docs/schedule.md.
    let scheduler = tokio::spawn(
        finsam_jobs::schedule::Scheduler {
            db: db.clone(),
            queue: Some(queue.clone()),
            base_url: base_url(cfg),
            mail_kick: Some(kick.clone()),
            signing: Some(signing.clone()),
        }
        .run(until_true(rx.clone())),
    );
    let mail = Worker {
        db: db.clone(),
        transport: transport(cfg)?,
        from: cfg.mail_from.clone(),
        kick,
        storage: Some(storage),
    };
    let mail = tokio::spawn(mail.run(until_true(rx.clone())));
    let kicked = queue.clone();
    let render = tokio::spawn(queue.run(renderer.clone(), until_true(rx.clone())));
    let stop = rx.clone();
    let sweeper = tokio::spawn(async move {
        // The sweeper: versions left queued (a lost job) or stuck (a dead worker) are rendered here,
        // every 30 s and at once when a rendering is asked for. It renders, so it is not simply
        // stopped: at the shutdown signal it finishes the version in hand and ends.
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        let stopping = || *stop.borrow();
        loop {
            let timed = tokio::select! {
                _ = tick.tick() => true,
                _ = kicked.kicked() => false,
                _ = until_true(stop.clone()) => break,
            };
            if let Err(e) = renderer.sweep(stopping).await {
                tracing::warn!(error = %e, "document sweep failed");
            }
            // Signing, every 30 s (not at each rendering asked for): reminders, expiry at the
            // deadline, and any seal a crash left halfway.
            if timed && let Err(e) = signing.tick(chrono::Utc::now()).await {
                tracing::warn!(error = %e, "signing tick failed");
            }
        }
    });
    Ok(Running {
        addr,
        db,
        shutdown: tx,
        server,
        // Each stops by itself at the signal, after the message, job, version or tick in hand.
        workers: vec![mail, render, sweeper, scheduler],
        housekeeping: Vec::new(),
    })
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
