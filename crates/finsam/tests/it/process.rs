//! The `finsam worker` process: it does the background work without a server, and stops cleanly on
//! SIGTERM (exit status 0). Run as a real process of the built binary, on the embedded default.

use finsam_db::repo::outbox;
use sea_orm::EntityTrait;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn finsam(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_finsam"));
    c.args(args)
        .env("FINSAM_DATA_DIR", dir)
        .env("FINSAM_LOG", "info")
        .env_remove("FINSAM_DATABASE_URL")
        .env_remove("FINSAM_SMTP_URL")
        .env_remove("FINSAM_STORAGE_URL")
        .stdout(Stdio::null());
    c
}

fn log_of(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("worker.log")).unwrap_or_default()
}

async fn wait_for_exit(child: &mut Child, dir: &Path) -> std::process::ExitStatus {
    for _ in 0..300 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    panic!("the worker did not stop within 30 s:\n{}", log_of(dir));
}

#[tokio::test]
async fn the_worker_process_sends_queued_mail_and_exits_0_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let status = finsam(dir.path(), &["migrate"]).status().unwrap();
    assert!(status.success(), "finsam migrate: {status}");

    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("finsam.db").display()
    );
    let db = finsam_db::connect(&url).await.unwrap();
    for n in 0..3 {
        let key = format!("process-test-{n}");
        outbox::enqueue(
            &db,
            outbox::NewMessage {
                idempotency_key: &key,
                recipient: "registrator@example.com",
                subject: "Ett prov",
                body_text: "Hej",
                body_html: "<p>Hej</p>",
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }

    let log = std::fs::File::create(dir.path().join("worker.log")).unwrap();
    let mut child = finsam(dir.path(), &["worker"])
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    let outbox_dir = dir.path().join("outbox");
    let count = || {
        std::fs::read_dir(&outbox_dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .count()
            })
            .unwrap_or(0)
    };
    let mut sent = 0;
    for _ in 0..300 {
        sent = count();
        if sent == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        sent,
        3,
        "the worker sent the queued mail:\n{}",
        log_of(dir.path())
    );

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = wait_for_exit(&mut child, dir.path()).await;
    assert!(status.success(), "exit {status}:\n{}", log_of(dir.path()));
    // Every message is marked sent: nothing is sent again by the next worker.
    let rows = finsam_db::entities::outbox_message::Entity::find()
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|m| m.status == outbox::SENT), "{rows:?}");
    assert_eq!(count(), 3);
}
