//! The production path against real servers started by the tests (finsam-testkit's `servers`): object
//! storage in an S3-compatible bucket (moto) and e-mail over SMTP to a sink (aiosmtpd) that keeps every
//! message it accepts. Nothing here is a mock: the app talks S3 and SMTP over TCP.

use chrono::Utc;
use finsam_db::repo::{outbox, tenants};
use finsam_jobs::outbox::{MAX_ATTEMPTS, backoff};
use finsam_storage::{Storage, StorageError, key};
use finsam_testkit::{S3Server, SmtpSink, TestApp, servers::free_port, spawn_app_with};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The outbox rows to one recipient.
async fn rows_to(app: &TestApp, to: &str) -> Vec<outbox::OutboxMessage> {
    outbox::list_all(&app.db.all_tenants())
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.recipient == to)
        .collect()
}

/// Invites someone to Finnveden as the platform admin: one e-mail through the outbox.
async fn invite(app: &TestApp, email: &str) {
    let admin = app.token("admin@finsam.example").await;
    let a = app
        .post_json(
            "/api/v1/admin/invitations",
            Some(&admin),
            json!({"tenant": "finnveden", "name": "Ny Kansli", "email": email}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
}

#[tokio::test]
async fn objects_in_a_real_s3_bucket_are_written_once_and_kept_per_tenant() {
    let s3 = S3Server::start().await;
    s3.create_bucket("finsam").await;
    let store = Storage::open(&s3.location("finsam", "")).unwrap();

    let first = b"%PDF-1.7 first".to_vec();
    let k = key(1, &sha(&first), "pdf");
    assert!(!store.exists(&k).await.unwrap());
    assert!(matches!(
        store.get(&k).await,
        Err(StorageError::NotFound(ref missing)) if *missing == k
    ));
    store.put_once(&k, first.clone()).await.unwrap();
    assert!(store.exists(&k).await.unwrap());
    assert_eq!(store.get(&k).await.unwrap(), first);

    // The same key again is fine and changes nothing: the server refuses to replace it
    // (If-None-Match), so even different bytes under it (never the case with content hashes) stay out.
    store.put_once(&k, first.clone()).await.unwrap();
    store.put_once(&k, b"other".to_vec()).await.unwrap();
    assert_eq!(store.get(&k).await.unwrap(), first);

    // Keys are per tenant: the same content for tenant 2 is another object, and each tenant's folder
    // holds only its own.
    let k2 = key(2, &sha(&first), "pdf");
    assert!(!store.exists(&k2).await.unwrap());
    store.put_once(&k2, first.clone()).await.unwrap();
    assert_eq!(store.list_dir("t/1").await.unwrap(), [k.as_str()]);
    assert_eq!(store.list_dir("t/2").await.unwrap(), [k2.as_str()]);
    assert!(store.list_dir("t/3").await.unwrap().is_empty());

    // Under a prefix (s3://finsam/prod), every key is below it and nothing else is visible.
    let prod = Storage::open(&s3.location("finsam", "prod")).unwrap();
    assert!(!prod.exists(&k).await.unwrap());
    prod.put_once(&k, b"prod".to_vec()).await.unwrap();
    assert_eq!(prod.get(&k).await.unwrap(), b"prod");
    assert_eq!(store.get(&format!("prod/{k}")).await.unwrap(), b"prod");
    assert_eq!(store.get(&k).await.unwrap(), first);

    // A store told it has no conditional writes (AWS_CONDITIONAL_PUT=disabled) checks first, then
    // writes: still once.
    let plain = Storage::open(
        &s3.location("finsam", "")
            .with_aws_options([("aws_conditional_put".to_owned(), "disabled".to_owned())]),
    )
    .unwrap();
    let k3 = key(3, &sha(b"third"), "json");
    plain.put_once(&k3, b"third".to_vec()).await.unwrap();
    plain.put_once(&k3, b"not third".to_vec()).await.unwrap();
    assert_eq!(plain.get(&k3).await.unwrap(), b"third");
    plain.put_once(&k, b"other".to_vec()).await.unwrap();
    assert_eq!(plain.get(&k).await.unwrap(), first);

    // A bucket that does not exist is an error, never a silent success.
    let missing = Storage::open(&s3.location("finns-inte", "")).unwrap();
    let err = missing.put_once(&k, first.clone()).await.unwrap_err();
    assert!(matches!(err, StorageError::Store(_)), "{err}");
}

#[tokio::test]
async fn the_app_on_s3_and_smtp_stores_its_documents_in_the_bucket_and_mails_them() {
    let s3 = S3Server::start().await;
    s3.create_bucket("finsam-dokument").await;
    let sink = SmtpSink::start().await;
    let smtp_url = sink.url();
    let app = finsam_testkit::spawn_app_configured(
        |raw| {
            raw.storage_url = Some("s3://finsam-dokument".into());
            raw.smtp_url = Some(smtp_url);
        },
        // In production these come from the AWS_* variables.
        |cfg| cfg.storage = s3.location("finsam-dokument", ""),
    )
    .await
    .expect("the app starts on S3");
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;

    let a = app
        .post_json(
            "/api/v1/t/hoglandet/documents",
            Some(&kansli),
            json!({"kind": "arsredovisning", "year": 2024}),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.body);
    let id = a.json()["version_id"].as_i64().unwrap();
    let mut v = Value::Null;
    for _ in 0..600 {
        v = app
            .get(&format!("/api/v1/t/hoglandet/versions/{id}"), Some(&kansli))
            .await
            .json();
        if v["status"] == "ready" || v["status"] == "failed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(v["status"], "ready", "{v}");
    let pdf_sha = v["pdf_sha256"].as_str().unwrap().to_owned();
    let input_sha = v["input_sha256"].as_str().unwrap().to_owned();

    // The bucket holds the PDF and its input under the tenant and their hashes, read by a client of
    // its own; the local objects folder was never used.
    let tenant = tenants::by_slug(app.db.platform(), "hoglandet")
        .await
        .unwrap()
        .unwrap()
        .id;
    let bucket = Storage::open(&s3.location("finsam-dokument", "")).unwrap();
    let pdf_key = format!("t/{tenant}/{pdf_sha}.pdf");
    let mut expected = vec![pdf_key.clone(), format!("t/{tenant}/{input_sha}.json")];
    expected.sort();
    assert_eq!(
        bucket.list_dir(&format!("t/{tenant}")).await.unwrap(),
        expected
    );
    let stored = bucket.get(&pdf_key).await.unwrap();
    assert_eq!(sha(&stored), pdf_sha);
    assert!(stored.starts_with(b"%PDF-"));
    assert!(!app.data_dir.path().join("objects").exists());

    // The API serves the version's PDF from the bucket: the same bytes.
    let resp = app
        .http
        .get(app.url(&format!("/api/v1/t/hoglandet/versions/{id}/pdf")))
        .bearer_auth(&kansli)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.bytes().await.unwrap().to_vec(), stored);

    // A message with the PDF attached (as a distribution queues it): the worker reads the attachment
    // from the bucket and the SMTP server receives it whole.
    assert!(
        outbox::enqueue(
            &app.db.tenant(tenant),
            outbox::NewMessage {
                tenant_id: Some(tenant),
                idempotency_key: "test:attachment-from-s3",
                recipient: "registrator@eksjo.example",
                subject: "Årsredovisning 2024",
                body_text: "Bifogad.",
                body_html: "<p>Bifogad.</p>",
                attachment: Some((&pdf_key, "Årsredovisning 2024.pdf")),
                ..Default::default()
            },
        )
        .await
        .unwrap()
    );
    app.deliver_mail().await;
    let m = sink
        .wait_for("registrator@eksjo.example", "Årsredovisning 2024")
        .await;
    assert_eq!(
        m.attachments,
        [("Årsredovisning 2024.pdf".to_owned(), stored)]
    );
    app.stop().await;
}

#[tokio::test]
async fn e_mail_over_smtp_reaches_a_real_server_exactly_once() {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_app_with(|raw| raw.smtp_url = Some(url))
        .await
        .unwrap();
    invite(&app, "ny.kansli@gnosjo.example").await;

    let m = sink
        .wait_for("ny.kansli@gnosjo.example", "Inbjudan till Finsam")
        .await;
    let link = m
        .link(&format!("{}/inbjudan/", app.base))
        .expect("the invitation link");
    assert_eq!(link.rsplit('/').next().unwrap().len(), 64);
    assert!(m.message_id.starts_with("invitation-"), "{}", m.message_id);
    assert!(
        !app.outbox_dir().exists(),
        "nothing went to the outbox folder"
    );
    let rows = rows_to(&app, "ny.kansli@gnosjo.example").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].status.as_str(), rows[0].attempts),
        (outbox::SENT, 1)
    );
    assert!(rows[0].last_error.is_none());

    // More passes of the worker, and time: nothing is sent twice.
    app.deliver_mail().await;
    app.deliver_mail_at(Utc::now() + chrono::Duration::hours(7))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let received: Vec<_> = sink
        .messages()
        .into_iter()
        .filter(|m| m.to == "ny.kansli@gnosjo.example")
        .collect();
    assert_eq!(received.len(), 1, "exactly one message");
    app.stop().await;
}

#[tokio::test]
async fn e_mail_to_an_unreachable_smtp_server_is_retried_then_failed_with_the_reason() {
    // Nothing listens on this port: every connection is refused.
    let port = free_port();
    let app = spawn_app_with(|raw| raw.smtp_url = Some(format!("smtp://127.0.0.1:{port}")))
        .await
        .unwrap();
    let to = "ny.kansli@gnosjo.example";
    invite(&app, to).await;

    // The app's worker tries at once, fails, and queues it again after the first backoff.
    let mut row = None;
    for _ in 0..200 {
        let rows = rows_to(&app, to).await;
        if rows
            .first()
            .is_some_and(|m| m.attempts >= 1 && m.status == outbox::QUEUED)
        {
            row = rows.into_iter().next();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let row = row.expect("the worker tried the message");
    assert_eq!(row.attempts, 1);
    let error = row.last_error.clone().unwrap();
    assert!(error.starts_with("temporary: "), "{error}");
    assert!(row.next_attempt_at > Utc::now() + chrono::Duration::seconds(20));

    // The clock moves on: each attempt fails and is due again after a longer wait, until the last.
    let mut now = Utc::now();
    let mut attempts = row.attempts;
    while attempts < MAX_ATTEMPTS {
        now += chrono::Duration::hours(7);
        assert_eq!(app.deliver_mail_at(now).await, 0);
        let m = rows_to(&app, to).await.remove(0);
        assert_eq!(m.attempts, attempts + 1, "one attempt per pass");
        attempts = m.attempts;
        if attempts < MAX_ATTEMPTS {
            assert_eq!(m.status, outbox::QUEUED);
            let wait = m.next_attempt_at - now;
            assert!(
                (wait - backoff(attempts)).num_seconds().abs() <= 1,
                "attempt {attempts}: due again after {wait}"
            );
        }
    }
    let m = rows_to(&app, to).await.remove(0);
    assert_eq!(
        (m.status.as_str(), m.attempts),
        (outbox::FAILED, MAX_ATTEMPTS)
    );
    let reason = m.last_error.unwrap();
    assert!(
        reason.starts_with("temporary: ") && reason.to_lowercase().contains("connection"),
        "the reason is kept: {reason}"
    );
    assert!(m.sent_at.is_none());
    // A failed message is not tried again.
    assert_eq!(
        app.deliver_mail_at(now + chrono::Duration::days(30)).await,
        0
    );
    assert_eq!(rows_to(&app, to).await[0].attempts, MAX_ATTEMPTS);
    app.stop().await;
}

/// Waits until the app's worker has tried the message to `to` at least once.
async fn first_attempt(app: &TestApp, to: &str) -> outbox::OutboxMessage {
    for _ in 0..200 {
        if let Some(m) = rows_to(app, to).await.into_iter().next()
            && m.attempts >= 1
            && m.status != outbox::SENDING
        {
            return m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the worker did not try the message to {to}");
}

/// A relay that answers 5xx: the message is failed at once, with the server's answer as the reason,
/// and never tried again; one that answers 4xx: the message waits for its next attempt.
#[tokio::test]
async fn an_smtp_server_answering_5xx_fails_the_message_and_4xx_retries_it() {
    let refusing =
        finsam_testkit::servers::SmtpRefuser::start("550 5.1.1 Mailbox unavailable").await;
    let url = refusing.url();
    let app = spawn_app_with(|raw| raw.smtp_url = Some(url))
        .await
        .unwrap();
    let to = "okand@gnosjo.example";
    invite(&app, to).await;
    let m = first_attempt(&app, to).await;
    assert_eq!((m.status.as_str(), m.attempts), (outbox::FAILED, 1));
    let reason = m.last_error.unwrap();
    assert!(
        reason.contains("550") || reason.contains("Mailbox unavailable"),
        "{reason}"
    );
    assert_eq!(
        app.deliver_mail_at(Utc::now() + chrono::Duration::days(1))
            .await,
        0
    );
    assert_eq!(rows_to(&app, to).await[0].attempts, 1, "not tried again");
    app.stop().await;

    let busy = finsam_testkit::servers::SmtpRefuser::start("451 4.3.0 Try again later").await;
    let url = busy.url();
    let app = spawn_app_with(|raw| raw.smtp_url = Some(url))
        .await
        .unwrap();
    invite(&app, to).await;
    let m = first_attempt(&app, to).await;
    assert_eq!((m.status.as_str(), m.attempts), (outbox::QUEUED, 1));
    assert!(m.last_error.unwrap().starts_with("temporary: "));
    assert!(m.next_attempt_at > Utc::now() + chrono::Duration::seconds(20));
    app.stop().await;
}
