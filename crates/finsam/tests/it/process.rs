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

/// What a process started with its standard error in `dir/worker.log` has logged so far.
pub(crate) fn log_of(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("worker.log")).unwrap_or_default()
}

/// Waits (up to 30 s) until `child` has exited; kills it and fails the test otherwise.
pub(crate) async fn wait_for_exit(child: &mut Child, dir: &Path) -> std::process::ExitStatus {
    for _ in 0..300 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    panic!("the process did not stop within 30 s:\n{}", log_of(dir));
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
        enqueue_test_mail(&db, &format!("process-test-{n}")).await;
    }

    let log = std::fs::File::create(dir.path().join("worker.log")).unwrap();
    let port = free_port();
    let mut child = finsam(dir.path(), &["worker"])
        .env("FINSAM_LISTEN", format!("127.0.0.1:{port}"))
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    // Probes and scraping: the worker answers only these.
    wait_until_up(port, &mut child, dir.path()).await;
    let base = format!("http://127.0.0.1:{port}");
    assert!(
        reqwest::get(format!("{base}/healthz"))
            .await
            .unwrap()
            .status()
            .is_success()
    );
    assert_eq!(
        reqwest::get(format!("{base}/login"))
            .await
            .unwrap()
            .status(),
        reqwest::StatusCode::NOT_FOUND
    );
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
    let metrics = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(r#"finsam_emails_total{outcome="sent"} 3"#),
        "{metrics}"
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

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits (up to 60 s) until `/readyz` on `port` answers 200; fails the test if `child` exits first.
pub(crate) async fn wait_until_up(port: u16, child: &mut Child, dir: &Path) {
    let url = format!("http://127.0.0.1:{port}/readyz");
    for _ in 0..600 {
        if let Ok(r) = reqwest::get(&url).await
            && r.status().is_success()
        {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the server exited ({status}):\n{}", log_of(dir));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not answer within 60 s:\n{}", log_of(dir));
}

/// Runs a command to its end; fails the test unless it succeeds. Answers its standard output.
pub(crate) fn run_ok(c: &mut Command, what: &str) -> String {
    let out = c.stdout(Stdio::piped()).output().unwrap();
    assert!(
        out.status.success(),
        "{what}: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The embedded mode's backup, made while the demo server runs, restored into an empty data dir:
/// the same year file, the same stored documents, the same sign-in secret.
#[tokio::test]
async fn a_backup_of_the_embedded_mode_restores_the_same_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = free_port();
    let log = std::fs::File::create(dir.path().join("worker.log")).unwrap();
    let mut demo = finsam(&data, &["demo"])
        .env("FINSAM_LISTEN", format!("127.0.0.1:{port}"))
        .env("FINSAM_DEMO_PASSWORD", "korvgubbe-cykelstyre-42")
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    wait_until_up(port, &mut demo, dir.path()).await;
    // A stored document (a version and its PDF in the object folder).
    let pdf = dir.path().join("ar.pdf");
    run_ok(
        finsam(
            &data,
            &[
                "render",
                "--tenant",
                "hoglandet",
                "--kind",
                "arsredovisning",
                "--year",
                "2024",
                "--out",
            ],
        )
        .arg(&pdf),
        "finsam render",
    );
    let rendered = std::fs::read(&pdf).unwrap();

    // Backed up while the server runs; a second backup into the same folder is refused.
    let backup = dir.path().join("backup");
    run_ok(
        finsam(&data, &["backup", "--out"]).arg(&backup),
        "finsam backup",
    );
    let again = finsam(&data, &["backup", "--out"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(!again.status.success(), "a non-empty folder is refused");

    Command::new("kill")
        .args(["-TERM", &demo.id().to_string()])
        .status()
        .unwrap();
    let status = wait_for_exit(&mut demo, dir.path()).await;
    assert!(status.success(), "the demo server stops with 0: {status}");

    let restored = dir.path().join("restored");
    run_ok(
        finsam(&restored, &["restore", "--from"]).arg(&backup),
        "finsam restore",
    );
    // Restoring over data is refused, and so is a damaged backup.
    let over = finsam(&restored, &["restore", "--from"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(!over.status.success());
    assert!(String::from_utf8_lossy(&over.stderr).contains("not empty"));

    let export = |d: &Path| {
        run_ok(
            &mut finsam(d, &["export", "--tenant", "hoglandet", "--year", "2024"]),
            "finsam export",
        )
    };
    let before = export(&data);
    assert!(before.contains("\"year\": 2024"), "{before}");
    assert_eq!(export(&restored), before, "the same year after the restore");
    assert_eq!(
        std::fs::read(data.join("jwt-secret")).unwrap(),
        std::fs::read(restored.join("jwt-secret")).unwrap()
    );
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&rendered));
    let objects: Vec<_> = walk(&restored.join("objects"));
    assert!(
        objects.iter().any(|p| p.ends_with(&format!("{sha}.pdf"))),
        "the rendered PDF is in the restored object folder: {objects:?}"
    );

    // One changed byte in the backup: the restore refuses and writes nothing.
    let db = backup.join("finsam.db");
    let mut bytes = std::fs::read(&db).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 1;
    std::fs::write(&db, bytes).unwrap();
    let damaged = dir.path().join("damaged");
    let out = finsam(&damaged, &["restore", "--from"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged"));
    assert!(!damaged.exists() || std::fs::read_dir(&damaged).unwrap().next().is_none());
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path().to_string_lossy().into_owned());
            }
        }
    }
    out
}

/// `finsam migrate`, `serve` and `worker` with exactly the environment the Kubernetes ConfigMap and
/// Secret give them, except what must point at this machine: the database, the data dir, the port, and
/// the S3 endpoint (a real S3-compatible server). Each starts, answers /readyz, and stops with 0.
#[tokio::test]
async fn the_binary_runs_with_the_kubernetes_manifests_environment() {
    let s3 = finsam_testkit::servers::S3Server::start().await;
    s3.create_bucket("finsam-documents").await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let database = finsam_testkit::database(&data).await.unwrap();
    let with_env = |args: &[&str], port: u16| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_finsam"));
        c.args(args).env_clear().stdout(Stdio::null());
        for (k, v) in crate::deploy::manifest_environment() {
            c.env(k, v);
        }
        if let Some(owner) = &database.owner_url {
            c.env("FINSAM_DATABASE_OWNER_URL", owner);
        }
        c.env("FINSAM_DATABASE_URL", &database.url)
            .env("FINSAM_DATA_DIR", &data)
            .env("FINSAM_LISTEN", format!("127.0.0.1:{port}"))
            .env("AWS_ENDPOINT", &s3.endpoint)
            .env("AWS_ALLOW_HTTP", "true")
            .env("AWS_VIRTUAL_HOSTED_STYLE_REQUEST", "false");
        c
    };
    run_ok(&mut with_env(&["migrate"], free_port()), "finsam migrate");

    let mut running = Vec::new();
    for (i, cmd) in ["serve", "worker"].into_iter().enumerate() {
        let port = free_port();
        let logs = dir.path().join(cmd);
        std::fs::create_dir_all(&logs).unwrap();
        let log = std::fs::File::create(logs.join("worker.log")).unwrap();
        let mut child = with_env(&[cmd], port)
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap();
        wait_until_up(port, &mut child, &logs).await;
        // JSON logs, as the ConfigMap asks (one object per line).
        let text = log_of(&logs);
        let first = text.lines().next().unwrap_or_default();
        assert!(
            serde_json::from_str::<serde_json::Value>(first).is_ok(),
            "process {i} logs JSON: {first}"
        );
        running.push((cmd, port, child, logs));
    }
    let (_, port, _, _) = &running[0];
    let login = reqwest::get(format!("http://127.0.0.1:{port}/login"))
        .await
        .unwrap();
    assert_eq!(
        login.status(),
        reqwest::StatusCode::OK,
        "the server serves pages"
    );
    for (cmd, _, mut child, logs) in running {
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        let status = wait_for_exit(&mut child, &logs).await;
        assert!(status.success(), "finsam {cmd} stops with 0: {status}");
    }
}

/// With `FINSAM_MIGRATE_ON_START=false` (the manifests), a process refuses to start on a database that
/// lacks this release's migrations, and starts once `finsam migrate` ran them.
#[tokio::test]
async fn without_migrate_on_start_a_process_waits_for_finsam_migrate() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let worker = |dir: &Path| {
        let mut c = finsam(dir, &["worker"]);
        c.env("FINSAM_MIGRATE_ON_START", "false")
            .env("FINSAM_LISTEN", format!("127.0.0.1:{port}"));
        c
    };
    let refused = worker(dir.path()).output().unwrap();
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("finsam migrate"), "{err}");

    run_ok(&mut finsam(dir.path(), &["migrate"]), "finsam migrate");
    let log = std::fs::File::create(dir.path().join("worker.log")).unwrap();
    let mut child = worker(dir.path()).stderr(Stdio::from(log)).spawn().unwrap();
    wait_until_up(port, &mut child, dir.path()).await;
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(wait_for_exit(&mut child, dir.path()).await.success());
}

/// Queues a short message to a registrator, as the application would.
async fn enqueue_test_mail(db: &finsam_db::Conn, key: &str) {
    outbox::enqueue(
        db,
        outbox::NewMessage {
            idempotency_key: key,
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

/// The worker's log lines from `dir/worker.log` that carry `message`, in order, with the index of
/// the line.
fn log_lines_with(dir: &Path, message: &str) -> Vec<usize> {
    log_of(dir)
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(message))
        .map(|(i, _)| i)
        .collect()
}

fn sigterm(child: &Child) {
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
}

/// SIGTERM while the SMTP server is still taking a message: the worker waits for the answer, marks the
/// message sent, and exits 0. The message arrives once and is not sent again.
#[tokio::test]
async fn a_sigterm_during_a_send_lets_the_message_finish_once() {
    let sink = finsam_testkit::SmtpSink::start_slow(Duration::from_secs(3)).await;
    let dir = tempfile::tempdir().unwrap();
    run_ok(&mut finsam(dir.path(), &["migrate"]), "finsam migrate");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("finsam.db").display()
    );
    let db = finsam_db::connect(&url).await.unwrap();
    enqueue_test_mail(&db, "sigterm-during-send").await;
    let log = std::fs::File::create(dir.path().join("worker.log")).unwrap();
    let port = free_port();
    let mut child = finsam(dir.path(), &["worker"])
        .env("FINSAM_LISTEN", format!("127.0.0.1:{port}"))
        .env("FINSAM_SMTP_URL", sink.url())
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    wait_until_up(port, &mut child, dir.path()).await;
    for _ in 0..200 {
        if sink.receiving() > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(sink.receiving(), 1, "the send is in flight");
    assert!(sink.raw_messages().is_empty(), "and not answered yet");
    sigterm(&child);
    let status = wait_for_exit(&mut child, dir.path()).await;
    assert!(status.success(), "exit {status}:\n{}", log_of(dir.path()));
    // The worker stopped after the SMTP server took the message, not before.
    assert_eq!(sink.raw_messages().len(), 1);
    let rows = finsam_db::entities::outbox_message::Entity::find()
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, outbox::SENT, "{rows:?}");
    assert_eq!(rows[0].attempts, 1);
    let stopping = log_lines_with(dir.path(), "shutting down");
    let sent = log_lines_with(dir.path(), "e-mail sent");
    assert!(
        stopping.len() == 1 && sent.len() == 1 && sent[0] > stopping[0],
        "sent after the signal:\n{}",
        log_of(dir.path())
    );
    // A worker started again finds nothing to send.
    let log = std::fs::File::create(dir.path().join("worker.log")).unwrap();
    let port = free_port();
    let mut again = finsam(dir.path(), &["worker"])
        .env("FINSAM_LISTEN", format!("127.0.0.1:{port}"))
        .env("FINSAM_SMTP_URL", sink.url())
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    wait_until_up(port, &mut again, dir.path()).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    sigterm(&again);
    assert!(wait_for_exit(&mut again, dir.path()).await.success());
    assert_eq!(sink.receiving(), 1);
    assert_eq!(sink.raw_messages().len(), 1);
}

/// SIGTERM while the worker renders a queue of documents: it finishes the version in hand and stops;
/// nothing is left half-rendered (`rendering`), the rest stay queued, and the next worker renders them.
/// In the end every version was rendered exactly once. A render is in flight at the signal in nearly
/// every round (renders run back to back); the test repeats the round until one was, and asserts it.
#[tokio::test]
async fn a_sigterm_during_renders_finishes_the_one_in_hand_and_loses_none() {
    use finsam_db::repo::{documents, tenants};
    const VERSIONS: usize = 24;
    let dir = tempfile::tempdir().unwrap();
    run_ok(&mut finsam(dir.path(), &["migrate"]), "finsam migrate");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("finsam.db").display()
    );
    let db = finsam_db::Db::new(finsam_db::connect(&url).await.unwrap());
    assert!(
        finsam::demo::load_with_fixtures(&db, finsam_testkit::PASSWORD)
            .await
            .unwrap()
    );
    let t = tenants::by_slug(db.platform(), "hoglandet")
        .await
        .unwrap()
        .unwrap()
        .id;
    let doc = documents::ensure(&db.tenant(t), t, "arsredovisning", "2024", Some(2024), None)
        .await
        .unwrap();
    for _ in 0..VERSIONS {
        documents::queue_version(&db.tenant(t), t, doc.id, Some("Prov"), None)
            .await
            .unwrap();
    }
    let statuses = async || -> Vec<String> {
        documents::versions(&db.tenant(t), t)
            .await
            .unwrap()
            .into_iter()
            .map(|v| v.status)
            .collect()
    };

    let mut rendered = 0;
    let mut in_flight_at_signal = false;
    for round in 1..=5 {
        let logs = dir.path().join(format!("round-{round}"));
        std::fs::create_dir_all(&logs).unwrap();
        let log = std::fs::File::create(logs.join("worker.log")).unwrap();
        let port = free_port();
        let mut child = finsam(dir.path(), &["worker"])
            .env("FINSAM_LISTEN", format!("127.0.0.1:{port}"))
            .env("FINSAM_LOG_FORMAT", "json")
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap();
        wait_until_up(port, &mut child, &logs).await;
        // Let it render one, then stop it in the middle of the next.
        let before = rendered;
        for _ in 0..600 {
            if !log_lines_with(&logs, "document rendered").is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        sigterm(&child);
        let status = wait_for_exit(&mut child, &logs).await;
        assert!(status.success(), "exit {status}:\n{}", log_of(&logs));
        let done = log_lines_with(&logs, "document rendered");
        let stopping = log_lines_with(&logs, "shutting down");
        assert_eq!(stopping.len(), 1, "{}", log_of(&logs));
        in_flight_at_signal |= done.iter().any(|i| *i > stopping[0]);
        rendered += done.len();
        let now = statuses().await;
        assert!(
            !now.iter().any(|s| s == documents::status::RENDERING),
            "nothing left half-rendered after round {round}: {now:?}"
        );
        assert_eq!(
            now.iter()
                .filter(|s| *s == documents::status::READY)
                .count(),
            rendered,
            "every rendered version is ready, and only those"
        );
        assert!(rendered > before, "round {round} rendered something");
        if in_flight_at_signal {
            break;
        }
    }
    assert!(
        in_flight_at_signal,
        "in five rounds no render was in flight at the signal"
    );
    assert!(rendered < VERSIONS, "the stop left some queued");

    // The next worker renders the rest; every version rendered exactly once in all.
    let logs = dir.path().join("last");
    std::fs::create_dir_all(&logs).unwrap();
    let log = std::fs::File::create(logs.join("worker.log")).unwrap();
    let port = free_port();
    let mut child = finsam(dir.path(), &["worker"])
        .env("FINSAM_LISTEN", format!("127.0.0.1:{port}"))
        .env("FINSAM_LOG_FORMAT", "json")
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    wait_until_up(port, &mut child, &logs).await;
    for _ in 0..1200 {
        if statuses()
            .await
            .iter()
            .all(|s| s == documents::status::READY)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    sigterm(&child);
    assert!(wait_for_exit(&mut child, &logs).await.success());
    let end = statuses().await;
    assert!(
        end.iter().all(|s| s == documents::status::READY),
        "{end:?}\n{}",
        log_of(&logs)
    );
    assert_eq!(end.len(), VERSIONS);
    rendered += log_lines_with(&logs, "document rendered").len();
    assert_eq!(rendered, VERSIONS, "each version rendered once");
}
