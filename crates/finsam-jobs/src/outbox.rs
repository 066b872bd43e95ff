//! The outbox delivery worker.

use chrono::{DateTime, Duration, Utc};
use finsam_db::Db;
use finsam_db::repo::outbox;
use finsam_mail::{Mailbox, OutgoingMessage, SendError, Transport};
use std::sync::Arc;
use tokio::sync::Notify;

/// A claimed message is left alone by other workers for this long; after it, a crashed worker's
/// message is due again.
pub const LEASE: Duration = Duration::minutes(5);
/// After this many failed attempts a message is `failed` and the kansli sees it.
pub const MAX_ATTEMPTS: i32 = 8;
/// Messages taken per pass.
const BATCH: u64 = 50;
const POLL: std::time::Duration = std::time::Duration::from_secs(5);

/// When to try again after the `attempt`-th failure: 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h.
pub fn backoff(attempt: i32) -> Duration {
    match attempt {
        ..=1 => Duration::seconds(30),
        2 => Duration::minutes(2),
        3 => Duration::minutes(10),
        4 => Duration::minutes(30),
        5 => Duration::hours(1),
        6 => Duration::hours(3),
        _ => Duration::hours(6),
    }
}

pub struct Worker {
    pub db: Db,
    pub transport: Arc<dyn Transport>,
    pub from: Mailbox,
    pub kick: Arc<Notify>,
    /// Where attachments (sealed PDFs) are read from.
    pub storage: Option<finsam_storage::Storage>,
}

impl Worker {
    /// Delivers what is due now; answers how many messages were sent.
    pub async fn run_once(&self, now: DateTime<Utc>) -> anyhow::Result<usize> {
        let mut sent = 0;
        // The outbox is the platform's one queue of e-mail, for every förbund: a deliberate
        // cross-tenant path.
        let db = self.db.all_tenants();
        for m in outbox::due(&db, now, BATCH).await? {
            if !outbox::claim(&db, &m, now, LEASE).await? {
                continue;
            }
            let attempt = m.attempts + 1;
            let attachment = match self.attachment(&m).await {
                Ok(a) => a,
                Err(e) => {
                    // The object store did not answer: try again later, like a transport failure.
                    tracing::warn!(outbox_id = m.id, error = %e, "attachment not readable");
                    let retry = (attempt < MAX_ATTEMPTS).then(|| now + backoff(attempt));
                    crate::metrics::email(if retry.is_some() { "retry" } else { "failed" });
                    outbox::mark_attempt_failed(
                        &db,
                        m.id,
                        &format!("bilagan kunde inte läsas: {e}"),
                        retry,
                    )
                    .await?;
                    continue;
                }
            };
            let mut from = self.from.clone();
            if let Some(name) = &m.from_name {
                from.name = Some(name.clone());
            }
            let msg = OutgoingMessage {
                id: m.id,
                idempotency_key: m.idempotency_key.clone(),
                from,
                reply_to: m.reply_to.as_deref().and_then(|r| r.parse().ok()),
                to: m.recipient.clone(),
                subject: m.subject.clone(),
                text: m.body_text.clone(),
                html: m.body_html.clone(),
                attachment,
            };
            let started = std::time::Instant::now();
            let result = self.transport.send(&msg).await;
            crate::metrics::job(
                "email",
                if result.is_ok() { "sent" } else { "error" },
                started.elapsed(),
            );
            match result {
                Ok(()) => {
                    crate::metrics::email("sent");
                    outbox::mark_sent(&db, m.id, Utc::now()).await?;
                    tracing::info!(outbox_id = m.id, tenant_id = ?m.tenant_id, attempt, "e-mail sent");
                    sent += 1;
                }
                Err(e) => {
                    let retry_at = match &e {
                        SendError::Transient(_) if attempt < MAX_ATTEMPTS => {
                            Some(now + backoff(attempt))
                        }
                        _ => None,
                    };
                    crate::metrics::email(if retry_at.is_some() {
                        "retry"
                    } else {
                        "failed"
                    });
                    tracing::warn!(outbox_id = m.id, tenant_id = ?m.tenant_id, attempt, error = %e, will_retry = retry_at.is_some(), "e-mail not sent");
                    outbox::mark_attempt_failed(&db, m.id, &e.to_string(), retry_at).await?;
                }
            }
        }
        Ok(sent)
    }

    async fn attachment(
        &self,
        m: &outbox::OutboxMessage,
    ) -> anyhow::Result<Option<finsam_mail::transport::Attachment>> {
        let (Some(key), Some(name)) = (&m.attachment_key, &m.attachment_name) else {
            return Ok(None);
        };
        let storage = self
            .storage
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("no object storage to read the attachment from"))?;
        Ok(Some(finsam_mail::transport::Attachment {
            filename: name.clone(),
            content_type: "application/pdf".to_owned(),
            bytes: storage.get(key).await?,
        }))
    }

    /// Runs until `shutdown` resolves: on every kick, and every few seconds for retries.
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()>) {
        tracing::info!(transport = %self.transport.describe(), "e-mail worker started");
        tokio::pin!(shutdown);
        loop {
            match self.run_once(Utc::now()).await {
                // A full batch: more may be due (a distribution to every member); go on at once.
                Ok(n) if n >= BATCH as usize => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = ?e, "e-mail worker pass failed"),
            }
            tokio::select! {
                _ = &mut shutdown => break,
                _ = self.kick.notified() => {},
                _ = tokio::time::sleep(POLL) => {},
            }
        }
        tracing::info!("e-mail worker stopped");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_grows() {
        let steps: Vec<_> = (1..=8).map(super::backoff).collect();
        assert!(steps.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(steps[0], chrono::Duration::seconds(30));
    }
}
