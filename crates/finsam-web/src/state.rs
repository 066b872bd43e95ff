use crate::auth::throttle::LoginThrottle;
use crate::config::WebConfig;
use finsam_db::Db;
use std::sync::Arc;

/// Shared by every request. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub cfg: Arc<WebConfig>,
    pub throttle: Arc<LoginThrottle>,
    /// Public routes (the signer's link, verification): per client address and per key.
    pub public_throttle: Arc<LoginThrottle>,
    /// Wakes the outbox worker after a message is queued, so e-mail leaves at once.
    pub mail_kick: Arc<tokio::sync::Notify>,
    /// Where rendered documents are kept.
    pub storage: finsam_storage::Storage,
    /// Asks the render worker for a version.
    pub render_queue: finsam_jobs::render::RenderQueue,
    /// Signing rounds, their e-mails and distribution.
    pub signing: finsam_jobs::signing::Signing,
}

impl AppState {
    pub fn new(
        db: Db,
        cfg: WebConfig,
        mail_kick: Arc<tokio::sync::Notify>,
        storage: finsam_storage::Storage,
        render_queue: finsam_jobs::render::RenderQueue,
        signing: finsam_jobs::signing::Signing,
    ) -> Self {
        Self {
            db,
            cfg: Arc::new(cfg),
            throttle: Arc::new(LoginThrottle::new(5, 30)),
            public_throttle: Arc::new(LoginThrottle::new(30, 60)),
            mail_kick,
            storage,
            render_queue,
            signing,
        }
    }
}
