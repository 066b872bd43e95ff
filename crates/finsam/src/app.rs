//! The running application: database, HTTP server and e-mail worker in one process, with one
//! shutdown signal. Tests start it the same way on port 0 (see finsam-testkit).

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

pub async fn open_database(cfg: &Config) -> anyhow::Result<finsam_db::Conn> {
    let db = finsam_db::connect(&cfg.database_url)
        .await
        .with_context(|| {
            format!(
                "opening the database {}",
                crate::config::redact_url(&cfg.database_url)
            )
        })?;
    finsam_db::migrate(&db)
        .await
        .context("running migrations")?;
    Ok(db)
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
        session_idle: cfg.session_idle,
        session_max_age: chrono::Duration::hours(24),
        access_token_ttl: chrono::Duration::minutes(15),
        mail_from: cfg.mail_from.clone(),
    }
}

/// A started application.
pub struct Running {
    pub addr: SocketAddr,
    pub db: finsam_db::Conn,
    shutdown: watch::Sender<bool>,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
    worker: tokio::task::JoinHandle<()>,
    render_worker: tokio::task::JoinHandle<()>,
    housekeeping: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Stops accepting, lets requests in flight finish, stops the worker between messages.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        let server = self.server.await.context("server task")?;
        self.worker.await.context("worker task")?;
        self.render_worker.await.context("render worker task")?;
        self.housekeeping.abort();
        server
    }

    /// Waits until the shutdown signal has stopped everything.
    pub async fn wait(self) -> anyhow::Result<()> {
        let server = self.server.await.context("server task")?;
        self.worker.await.context("worker task")?;
        self.render_worker.await.context("render worker task")?;
        self.housekeeping.abort();
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

/// Starts the server on `listener` and the e-mail worker beside it.
pub async fn start(
    cfg: &Config,
    db: finsam_db::Conn,
    listener: TcpListener,
) -> anyhow::Result<Running> {
    let addr = listener.local_addr()?;
    let kick = Arc::new(Notify::new());
    let storage =
        finsam_storage::Storage::local(&cfg.objects_dir).context("opening the object storage")?;
    let queue = RenderQueue::open(&cfg.data_dir.join("jobs.db")).await?;
    let signing = finsam_jobs::signing::Signing {
        db: db.clone(),
        storage: storage.clone(),
        base_url: cfg.base_url.as_str().trim_end_matches('/').to_owned(),
        mail_kick: kick.clone(),
        render_queue: Some(queue.clone()),
        attach_limit: cfg.mail_attach_limit,
    };
    let renderer = Renderer {
        db: db.clone(),
        storage: storage.clone(),
        signing: Some(signing.clone()),
    };
    let state = AppState::new(
        db.clone(),
        web_config(cfg),
        kick.clone(),
        storage.clone(),
        queue.clone(),
        signing.clone(),
    );
    let throttle = state.throttle.clone();
    let app = finsam_web::router(state);
    let (tx, rx) = watch::channel(false);

    let server_rx = rx.clone();
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(until_true(server_rx))
        .await
        .context("HTTP server")
    });
    // The yearly cycle (årshjul): ticks once now, then every five minutes (apalis-cron) until shutdown.
    // Each (förbund, document, year) runs once, whichever process ticks: docs/schedule.md.
    tokio::spawn(
        finsam_jobs::schedule::Scheduler {
            db: db.clone(),
            queue: Some(queue.clone()),
            base_url: cfg.base_url.as_str().trim_end_matches('/').to_owned(),
            mail_kick: Some(kick.clone()),
        }
        .run(until_true(rx.clone())),
    );
    let worker = Worker {
        db: db.clone(),
        transport: transport(cfg)?,
        from: cfg.mail_from.clone(),
        kick,
        storage: Some(storage),
    };
    let worker = tokio::spawn(worker.run(until_true(rx.clone())));
    let kicked = queue.clone();
    let render_worker = tokio::spawn(queue.run(renderer.clone(), until_true(rx.clone())));
    let housekeeping = tokio::spawn(async move {
        // The sweeper: versions left queued (a lost job) or stuck (a dead worker) are rendered here,
        // every 30 s and at once when a rendering is asked for.
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        let mut n: u32 = 0;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = kicked.kicked() => {}
            }
            if let Err(e) = renderer.sweep().await {
                tracing::warn!(error = %e, "document sweep failed");
            }
            // Signing: reminders, expiry at the deadline, and any seal a crash left halfway.
            if let Err(e) = signing.tick(chrono::Utc::now()).await {
                tracing::warn!(error = %e, "signing tick failed");
            }
            n += 1;
            if n.is_multiple_of(2) {
                throttle.shrink();
            }
        }
    });
    Ok(Running {
        addr,
        db,
        shutdown: tx,
        server,
        worker,
        render_worker,
        housekeeping,
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
