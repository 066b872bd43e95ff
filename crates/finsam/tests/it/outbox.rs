//! The outbox delivers every message exactly once even when the worker dies in the middle of sending:
//! a message that left but was not yet marked sent is sent again under the same file name (the outbox
//! folder) and the same Message-ID, so nothing is lost and no second copy appears.

use chrono::Utc;
use finsam_db::repo::outbox;
use finsam_jobs::outbox::{LEASE, Worker};
use finsam_mail::transport::OutboxFolder;
use finsam_mail::{OutgoingMessage, SendError, Transport};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Delivers like the outbox folder, but "dies" at message `die_at`: the message is written, and the
/// worker never gets to record it (the send never returns, and the task is killed).
struct DiesMidSend {
    inner: OutboxFolder,
    sent: AtomicUsize,
    die_at: usize,
}

#[async_trait::async_trait]
impl Transport for DiesMidSend {
    async fn send(&self, msg: &OutgoingMessage) -> Result<(), SendError> {
        self.inner.send(msg).await?;
        if self.sent.fetch_add(1, Ordering::SeqCst) + 1 == self.die_at {
            std::future::pending::<()>().await;
        }
        Ok(())
    }
    fn describe(&self) -> String {
        "dies mid-send".into()
    }
}

fn eml_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn a_worker_killed_in_the_middle_of_sending_delivers_every_message_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let db = finsam_db::connect(&url).await.unwrap();
    finsam_db::migrate(&db).await.unwrap();
    let outbox_dir = dir.path().join("outbox");
    let n = 20;
    for i in 0..n {
        let key = format!("test:{i}");
        let to = format!("mottagare{i}@example.se");
        assert!(
            outbox::enqueue(
                &db,
                outbox::NewMessage {
                    tenant_id: None,
                    idempotency_key: &key,
                    recipient: &to,
                    subject: "Prov",
                    body_text: "Hej",
                    body_html: "<p>Hej</p>",
                    ..Default::default()
                },
            )
            .await
            .unwrap()
        );
    }
    let from: finsam_mail::Mailbox = "Finsam <no-reply@finsam.example>".parse().unwrap();
    let dying = Worker {
        db: finsam_db::Db::new(db.clone()),
        transport: Arc::new(DiesMidSend {
            inner: OutboxFolder::new(&outbox_dir).unwrap(),
            sent: AtomicUsize::new(0),
            die_at: 8,
        }),
        from: from.clone(),
        kick: Default::default(),
        storage: None,
    };
    let now = Utc::now();
    let task = tokio::spawn(async move { dying.run_once(now).await });
    for _ in 0..200 {
        if eml_files(&outbox_dir).len() >= 8 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    task.abort();
    let _ = task.await;
    assert_eq!(
        eml_files(&outbox_dir).len(),
        8,
        "the worker died after its eighth message"
    );
    let rows = outbox::list_all(&db).await.unwrap();
    assert_eq!(rows.iter().filter(|m| m.status == outbox::SENT).count(), 7);
    assert_eq!(
        rows.iter().filter(|m| m.status == outbox::SENDING).count(),
        1,
        "the message in flight is held by the dead worker's lease"
    );

    // A new worker, started again: before the lease runs out it leaves the held message alone…
    let worker = Worker {
        db: finsam_db::Db::new(db.clone()),
        transport: Arc::new(OutboxFolder::new(&outbox_dir).unwrap()),
        from,
        kick: Default::default(),
        storage: None,
    };
    assert_eq!(worker.run_once(now).await.unwrap(), 12);
    // … and after it, sends it again: the same file, not a second copy.
    assert_eq!(
        worker
            .run_once(now + LEASE + chrono::Duration::seconds(1))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        worker.run_once(now + LEASE * 2).await.unwrap(),
        0,
        "nothing is left"
    );

    let files = eml_files(&outbox_dir);
    assert_eq!(files.len(), n, "every message once");
    let mut recipients = HashSet::new();
    let mut ids = HashSet::new();
    for f in &files {
        let raw = std::fs::read(f).unwrap();
        let m = mail_parser::MessageParser::default().parse(&raw).unwrap();
        recipients.insert(
            m.to()
                .unwrap()
                .first()
                .unwrap()
                .address()
                .unwrap()
                .to_owned(),
        );
        ids.insert(m.message_id().unwrap().to_owned());
    }
    assert_eq!(recipients.len(), n);
    assert_eq!(ids.len(), n);
    let rows = outbox::list_all(&db).await.unwrap();
    assert!(rows.iter().all(|m| m.status == outbox::SENT));
    assert!(
        dir.path().join("outbox").read_dir().unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp")),
        "no half-written file is left"
    );
}
