//! The production shape on this machine: PostgreSQL, an S3-compatible bucket (moto), an SMTP sink
//! (aiosmtpd), two `finsam serve` processes (the first started as `finsam demo`, which loads the three
//! förbund) and two `finsam worker` processes, all real processes of the built binary with the same
//! environment except their data dir and port.
//!
//! Through both servers the three förbund's kansli ask for 50 renderings; the minutes of the
//! medlemssamråd are signed in each förbund by their four default signers (links and codes read from
//! the SMTP sink), sealed and sent to the members' registrators and a revisor. Then: every version was
//! rendered exactly once (one "document rendered" log line across the four processes, one claim),
//! every e-mail was sent once (one "e-mail sent" line per outbox row, and the sink holds each Message-ID
//! exactly once), every PDF is in the bucket, nothing is left queued, and each process stops with exit
//! status 0 on SIGTERM.
//!
//! Only meaningful on PostgreSQL (several processes share the database): without
//! `FINSAM_TEST_POSTGRES_URL` the test fails; `scripts/test` leaves it out of the SQLite run.

use crate::process::{free_port, log_of, run_ok, wait_for_exit, wait_until_up};
use finsam_db::entities::{document_version, outbox_message};
use finsam_db::repo::{documents, outbox};
use finsam_testkit::{Mail, PASSWORD, S3Server, SmtpSink};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BUCKET: &str = "finsam";
const JWT_SECRET: &str = "multiprocess-test-secret-0123456789abcdef";
/// How long any one wait may take before the test fails: generous, for a machine busy with other tests
/// (the whole test takes about 15 s on two idle cores).
const WAIT: Duration = Duration::from_secs(300);
const MINUTES: &str = "minnesanteckningar";

/// The three demo förbund: slug, and the registrators their members have in the demo data (Finnveden's
/// members have none).
const FORBUND: [(&str, usize); 3] = [
    ("hoglandet", 9),
    ("sodra-vatterbygden", 7),
    ("finnveden", 0),
];

/// A running `finsam` process, killed when dropped (a failed test leaves nothing behind).
struct Proc {
    name: &'static str,
    /// Holds `worker.log` (its standard error) and `data/` (its FINSAM_DATA_DIR).
    dir: PathBuf,
    port: u16,
    child: Child,
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Sends SIGTERM to a process and waits for it: it must exit with 0.
async fn stop(p: &mut Proc) {
    let kill = Command::new("kill")
        .args(["-TERM", &p.child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let dir = p.dir.clone();
    let status = wait_for_exit(&mut p.child, &dir).await;
    assert!(
        status.success(),
        "finsam {} stops with 0 on SIGTERM: {status}\n{}",
        p.name,
        log_of(&dir)
    );
}

/// The JSON log lines of a process, parsed (other lines are skipped).
fn json_lines(dir: &Path) -> Vec<Value> {
    log_of(dir)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .collect()
}

/// A field of a JSON log line: tracing-subscriber puts the event's fields under `fields`.
fn field<'a>(line: &'a Value, name: &str) -> Option<&'a Value> {
    line.get("fields")
        .and_then(|f| f.get(name))
        .or_else(|| line.get(name))
}

/// For a failure message: each process's warnings and errors, and its last lines.
fn logs(procs: &[Proc]) -> String {
    let mut out = String::new();
    for p in procs {
        let text = log_of(&p.dir);
        let lines: Vec<&str> = text.lines().collect();
        let problems: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| l.contains("\"WARN\"") || l.contains("\"ERROR\""))
            .take(40)
            .collect();
        let tail = &lines[lines.len().saturating_sub(25)..];
        out.push_str(&format!(
            "\n--- finsam {} (port {}): {} lines; warnings and errors:\n{}\n--- last lines:\n{}\n",
            p.name,
            p.port,
            lines.len(),
            problems.join("\n"),
            tail.join("\n")
        ));
    }
    out
}

/// HTTP to the two servers; a public signing request answered 429 (the per-client throttle) is retried
/// after its Retry-After, and counted.
struct Api {
    http: reqwest::Client,
    bases: [String; 2],
    throttled: AtomicUsize,
}

impl Api {
    async fn send(
        &self,
        server: usize,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, String) {
        let url = format!("{}{path}", self.bases[server % 2]);
        for _ in 0..5 {
            let mut rb = self.http.request(method.clone(), &url);
            if let Some(t) = token {
                rb = rb.bearer_auth(t);
            }
            if let Some(b) = &body {
                rb = rb.json(b);
            }
            let resp = rb
                .send()
                .await
                .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
            let status = resp.status();
            if status == StatusCode::TOO_MANY_REQUESTS {
                self.throttled.fetch_add(1, Ordering::Relaxed);
                let secs = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(10);
                tokio::time::sleep(Duration::from_secs(secs.min(61))).await;
                continue;
            }
            return (status, resp.text().await.unwrap_or_default());
        }
        panic!("{method} {url}: still throttled after five tries");
    }

    async fn json(
        &self,
        server: usize,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        want: StatusCode,
    ) -> Value {
        let (status, text) = self.send(server, method.clone(), path, token, body).await;
        assert_eq!(
            status,
            want,
            "{method} {path} on server {}: {text}",
            server % 2
        );
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }
}

fn local_part(message_id: &str) -> String {
    message_id
        .trim_matches(['<', '>'])
        .split('@')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Waits until the sink holds a message to `to` whose Message-ID starts with `prefix` and contains
/// `part` (the round and the kind of message, from the outbox idempotency key) and is not in `seen`.
async fn mail_in_sink(
    sink: &SmtpSink,
    procs: &[Proc],
    to: &str,
    prefix: &str,
    part: &str,
    seen: &BTreeSet<String>,
) -> Mail {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(m) = sink.messages().into_iter().find(|m| {
            let id = local_part(&m.message_id);
            m.to == to && id.starts_with(prefix) && id.contains(part) && !seen.contains(&id)
        }) {
            return m;
        }
        assert!(
            Instant::now() < deadline,
            "no e-mail {prefix}…{part}… to {to} reached the SMTP sink in {WAIT:?}; it has {:?}{}",
            sink.messages()
                .iter()
                .map(|m| (m.to.clone(), local_part(&m.message_id)))
                .collect::<Vec<_>>(),
            logs(procs)
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The version ids of every förbund's versions with their state, through the API.
async fn versions_of(api: &Api, server: usize, slug: &str, token: &str) -> BTreeMap<i64, Value> {
    let list = api
        .json(
            server,
            Method::GET,
            &format!("/api/v1/t/{slug}/documents"),
            Some(token),
            None,
            StatusCode::OK,
        )
        .await;
    let mut out = BTreeMap::new();
    for d in list["documents"].as_array().expect("documents") {
        for v in d["versions"].as_array().expect("versions") {
            out.insert(v["id"].as_i64().expect("an id"), v.clone());
        }
    }
    out
}

#[tokio::test]
async fn two_servers_and_two_workers_render_sign_and_send_everything_once() {
    let started = Instant::now();
    assert!(
        std::env::var("FINSAM_TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty()),
        "multiprocess:: needs PostgreSQL: set FINSAM_TEST_POSTGRES_URL to a server where it may create \
         databases (scripts/test starts one and sets it; it leaves this test out of the SQLite run)"
    );
    let s3 = S3Server::start().await;
    s3.create_bucket(BUCKET).await;
    let sink = SmtpSink::start().await;
    let root = tempfile::tempdir().unwrap();
    let database = finsam_testkit::database(root.path()).await.unwrap();
    assert!(database.url.starts_with("postgres"), "{}", database.url);

    // The environment every process shares, as a deployment gives it.
    let port_a = free_port();
    let mut env: Vec<(String, String)> = vec![
        ("FINSAM_DATABASE_URL".into(), database.url.clone()),
        (
            "FINSAM_DATABASE_OWNER_URL".into(),
            database.owner_url.clone().unwrap(),
        ),
        ("FINSAM_JWT_SECRET".into(), JWT_SECRET.into()),
        ("FINSAM_STORAGE_URL".into(), format!("s3://{BUCKET}")),
        ("FINSAM_SMTP_URL".into(), sink.url()),
        (
            "FINSAM_BASE_URL".into(),
            format!("http://127.0.0.1:{port_a}"),
        ),
        ("FINSAM_LOG_FORMAT".into(), "json".into()),
        ("FINSAM_DEMO_PASSWORD".into(), PASSWORD.into()),
    ];
    env.extend(
        s3.options()
            .into_iter()
            .map(|(k, v)| (k.to_ascii_uppercase(), v)),
    );
    let command = |args: &[&str], dir: &Path, port: u16| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_finsam"));
        c.args(args)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env("FINSAM_DATA_DIR", dir.join("data"))
            .env("FINSAM_LISTEN", format!("127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        c
    };
    let spawn = |name: &'static str, args: &[&str], port: u16| {
        let dir = root.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let log = std::fs::File::create(dir.join("worker.log")).unwrap();
        let child = command(args, &dir, port)
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap_or_else(|e| panic!("starting finsam {name}: {e}"));
        Proc {
            name,
            dir,
            port,
            child,
        }
    };

    let migrate = root.path().join("migrate");
    run_ok(
        &mut command(&["migrate"], &migrate, free_port()),
        "finsam migrate",
    );
    // Server A loads the demo (three förbund, their fixtures) before it listens.
    let mut procs = vec![spawn("demo", &["demo"], port_a)];
    let dir = procs[0].dir.clone();
    wait_until_up(port_a, &mut procs[0].child, &dir).await;
    procs.push(spawn("serve", &["serve"], free_port()));
    procs.push(spawn("worker-1", &["worker"], free_port()));
    procs.push(spawn("worker-2", &["worker"], free_port()));
    for p in procs.iter_mut().skip(1) {
        let dir = p.dir.clone();
        wait_until_up(p.port, &mut p.child, &dir).await;
    }
    let up = started.elapsed();

    let api = std::sync::Arc::new(Api {
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        bases: [
            format!("http://127.0.0.1:{}", procs[0].port),
            format!("http://127.0.0.1:{}", procs[1].port),
        ],
        throttled: AtomicUsize::new(0),
    });
    // Each förbund's kansli signs in on one server; the token is good on both (one JWT secret).
    let mut tokens = BTreeMap::new();
    let mut meetings = BTreeMap::new();
    for (i, (slug, _)) in FORBUND.iter().enumerate() {
        let login = api
            .json(
                i,
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"email": format!("kansli@{slug}.example"), "password": PASSWORD})),
                StatusCode::OK,
            )
            .await;
        let token = login["access_token"].as_str().unwrap().to_owned();
        let list = api
            .json(
                i + 1,
                Method::GET,
                &format!("/api/v1/t/{slug}/meetings"),
                Some(&token),
                None,
                StatusCode::OK,
            )
            .await;
        let meeting = list["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["date"] == "2024-02-23")
            .unwrap_or_else(|| panic!("the medlemssamråd in {slug}: {list}"))["id"]
            .as_i64()
            .unwrap();
        tokens.insert(*slug, token);
        meetings.insert(*slug, meeting);
    }

    // 50 renderings: what renders final in each förbund, and drafts (each with its own reason, so its
    // own PDF) where the checks fail or for the beredningsgrupp.
    let minutes = |slug: &str| json!({"kind": MINUTES, "meeting_id": meetings[slug]});
    let draft = |mut body: Value, n: usize| {
        body["draft"] = json!(true);
        body["reason"] = json!(format!("Utkast {n} till beredningsgruppen"));
        body
    };
    let year = |kind: &str| json!({"kind": kind, "year": 2024});
    let mut plans: [(&'static str, Vec<Value>); 3] = FORBUND.map(|(slug, _)| (slug, Vec::new()));
    for _ in 0..4 {
        plans[0].1.push(year("arsredovisning"));
        plans[0].1.push(year("delarsrapport"));
        plans[0].1.push(year("verksamhetsplan"));
        plans[0].1.push(minutes("hoglandet"));
    }
    plans[0].1.push(draft(year("arsredovisning"), 1));
    plans[0].1.push(draft(year("arsredovisning"), 2));
    for n in 0..6 {
        plans[1].1.push(minutes("sodra-vatterbygden"));
        plans[1].1.push(year("verksamhetsplan"));
        if n < 5 {
            // Södra Vätterbygden's 2024 has no accounts: the årsredovisning is a draft only.
            plans[1].1.push(draft(year("arsredovisning"), n + 1));
        }
    }
    for n in 0..15 {
        plans[2].1.push(if n % 3 == 2 {
            draft(minutes("finnveden"), n)
        } else {
            minutes("finnveden")
        });
    }
    assert_eq!(plans.iter().map(|(_, p)| p.len()).sum::<usize>(), 50);
    // All 50 at once, alternating between the servers: versions of one document are asked for at the
    // same moment too (they take turns for the next version number: the document row is locked while one is numbered).
    let mut set = tokio::task::JoinSet::new();
    let mut n = 0;
    for (slug, bodies) in &plans {
        for body in bodies {
            let api = api.clone();
            let token = tokens[slug].clone();
            let (slug, body, i) = (*slug, body.clone(), n);
            n += 1;
            set.spawn(async move {
                let a = api
                    .json(
                        i,
                        Method::POST,
                        &format!("/api/v1/t/{slug}/documents"),
                        Some(&token),
                        Some(body),
                        StatusCode::ACCEPTED,
                    )
                    .await;
                vec![(slug, a["version_id"].as_i64().unwrap())]
            });
        }
    }
    let mut asked: Vec<(&str, i64)> = Vec::new();
    while let Some(ids) = set.join_next().await {
        asked.extend(ids.unwrap_or_else(|e| panic!("asking for renderings: {e}{}", logs(&procs))));
    }
    asked.sort_by_key(|(_, id)| *id);
    assert_eq!(asked.len(), 50);

    // SIGTERM to a worker while the renderings are under way: it finishes (or returns) what it holds
    // and exits 0; a new worker takes its place. The checks below find every version rendered once.
    stop(&mut procs[2]).await;
    procs.push(spawn("worker-3", &["worker"], free_port()));
    {
        let p = procs.last_mut().unwrap();
        let dir = p.dir.clone();
        wait_until_up(p.port, &mut p.child, &dir).await;
    }

    // Every version finishes; every kind asked for renders.
    let deadline = Instant::now() + WAIT;
    let mut finished: BTreeMap<i64, (&str, Value)> = BTreeMap::new();
    let mut poll = 0;
    loop {
        finished.clear();
        for (slug, _) in FORBUND {
            poll += 1;
            for (id, v) in versions_of(&api, poll, slug, &tokens[slug]).await {
                if v["status"] == "ready" || v["status"] == "failed" {
                    finished.insert(id, (slug, v));
                }
            }
        }
        if asked.iter().all(|(_, id)| finished.contains_key(id)) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{} of 50 versions finished in {WAIT:?}{}",
            asked
                .iter()
                .filter(|(_, id)| finished.contains_key(id))
                .count(),
            logs(&procs)
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let rendered = started.elapsed();
    for (slug, id) in &asked {
        let v = &finished[id].1;
        assert_eq!(v["status"], "ready", "version {id} of {slug}: {v}");
        assert!(v["pdf_sha256"].is_string(), "{v}");
    }

    // One final version of the minutes per förbund goes out for signing, with the default signers
    // (mötesordförande, sekreterare, two justerare), through both servers.
    let deadline_day = (chrono::Utc::now() + chrono::Duration::days(10))
        .date_naive()
        .to_string();
    let mut rounds: Vec<(&str, i64, Vec<String>)> = Vec::new();
    for (i, (slug, _)) in FORBUND.iter().enumerate() {
        let signed = asked
            .iter()
            .map(|(_, id)| &finished[id])
            .find(|(s, v)| s == slug && v["kind"] == MINUTES && v["draft"] == false)
            .map(|(_, v)| v["id"].as_i64().unwrap())
            .expect("a final version of the minutes");
        let a = api
            .json(
                i,
                Method::POST,
                &format!("/api/v1/t/{slug}/versions/{signed}/signing-rounds"),
                Some(&tokens[slug]),
                Some(json!({"deadline": deadline_day, "message": "Minnesanteckningarna att justera."})),
                StatusCode::CREATED,
            )
            .await;
        let round = a["round_id"].as_i64().unwrap();
        let r = api
            .json(
                i + 1,
                Method::GET,
                &format!("/api/v1/t/{slug}/signing-rounds/{round}"),
                Some(&tokens[slug]),
                None,
                StatusCode::OK,
            )
            .await;
        let signers: Vec<String> = r["signers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["email"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(signers.len(), 4, "the minutes' default signers: {r}");
        rounds.push((*slug, round, signers));
    }

    // Each signer: the invitation's link and the code from the SMTP sink, the page, the code, the
    // signature. The signers alternate between the servers: the public throttle (30 requests a minute
    // per client) is per process, and each server gets six signers' three requests.
    let link_prefix = format!("{}/sign/", api.bases[0]);
    let mut seen = BTreeSet::new();
    let mut server = 0;
    for (slug, round, signers) in &rounds {
        for email in signers {
            server += 1;
            let invitation = mail_in_sink(
                &sink,
                &procs,
                email,
                &format!("sign-{round}-"),
                "-invitation-",
                &seen,
            )
            .await;
            seen.insert(local_part(&invitation.message_id));
            let link = invitation
                .link(&link_prefix)
                .unwrap_or_else(|| panic!("a signing link in {}", invitation.text));
            let token = link.rsplit('/').next().unwrap().to_owned();
            let (status, page) = api
                .send(server, Method::GET, &format!("/sign/{token}"), None, None)
                .await;
            assert_eq!(status, StatusCode::OK, "{slug}: the signer's page: {page}");
            let (status, body) = api
                .send(
                    server,
                    Method::POST,
                    &format!("/api/v1/sign/{token}/code"),
                    None,
                    None,
                )
                .await;
            assert_eq!(status, StatusCode::NO_CONTENT, "{slug} {email}: {body}");
            let code_mail = mail_in_sink(
                &sink,
                &procs,
                email,
                &format!("sign-{round}-"),
                "-code-",
                &seen,
            )
            .await;
            seen.insert(local_part(&code_mail.message_id));
            let code = code_mail
                .code()
                .unwrap_or_else(|| panic!("a code in {}", code_mail.text));
            let decided = api
                .json(
                    server,
                    Method::POST,
                    &format!("/api/v1/sign/{token}"),
                    None,
                    Some(json!({"code": code, "decision": "sign"})),
                    StatusCode::OK,
                )
                .await;
            assert_eq!(decided["signer_status"], "signed", "{decided}");
        }
    }

    // Sealed: the sealed version is rendered by whichever process takes it.
    let mut sealed: Vec<(&str, i64)> = Vec::new();
    for (i, (slug, round, _)) in rounds.iter().enumerate() {
        let deadline = Instant::now() + WAIT;
        loop {
            let r = api
                .json(
                    i,
                    Method::GET,
                    &format!("/api/v1/t/{slug}/signing-rounds/{round}"),
                    Some(&tokens[slug]),
                    None,
                    StatusCode::OK,
                )
                .await;
            if r["status"] == "sealed" {
                sealed.push((*slug, r["sealed_version_id"].as_i64().expect("sealed")));
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the round {round} of {slug} was not sealed in {WAIT:?}: {r}{}",
                logs(&procs)
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
    let signed_at = started.elapsed();

    // Distribution: the members' registrators (where the förbund has them) and a revisor.
    let mut expected_recipients = BTreeMap::new();
    for (i, ((slug, registrators), (_, version))) in FORBUND.iter().zip(&sealed).enumerate() {
        let path = format!("/api/v1/t/{slug}/versions/{version}/distribution");
        if *registrators > 0 {
            let rows = api
                .json(
                    i,
                    Method::POST,
                    &path,
                    Some(&tokens[slug]),
                    None,
                    StatusCode::ACCEPTED,
                )
                .await;
            assert_eq!(rows.as_array().unwrap().len(), *registrators, "{rows}");
        }
        let revisor = format!("revisor@{slug}.example");
        api.json(
            i + 1,
            Method::POST,
            &path,
            Some(&tokens[slug]),
            Some(json!({"recipients": [{"email": revisor, "name": "Revisorn"}]})),
            StatusCode::ACCEPTED,
        )
        .await;
        expected_recipients.insert(*slug, registrators + 1);
    }
    // SIGTERM to server B while the distribution e-mails go out (the servers' outbox workers send
    // most of them): it finishes the message it holds and exits 0; the others send the rest, and the
    // checks below find each e-mail sent once. From here on only server A is asked.
    stop(&mut procs[1]).await;
    for (slug, version) in &sealed {
        let deadline = Instant::now() + WAIT;
        loop {
            let rows = api
                .json(
                    0,
                    Method::GET,
                    &format!("/api/v1/t/{slug}/versions/{version}/distribution"),
                    Some(&tokens[slug]),
                    None,
                    StatusCode::OK,
                )
                .await;
            let rows = rows.as_array().unwrap();
            assert_eq!(rows.len(), expected_recipients[slug], "{rows:?}");
            if rows.iter().all(|r| r["status"] == "sent") {
                break;
            }
            assert!(
                !rows.iter().any(|r| r["status"] == "failed"),
                "{slug}: {rows:?}{}",
                logs(&procs)
            );
            assert!(
                Instant::now() < deadline,
                "{slug}'s distribution was not sent in {WAIT:?}: {rows:?}{}",
                logs(&procs)
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    // Nothing left queued: every e-mail (the kansli's notices too) sent, every version finished.
    // As the application's role, across every förbund (row-level security holds for it too).
    let db = finsam_db::Db::new(finsam_db::connect(&database.url).await.unwrap()).all_tenants();
    let deadline = Instant::now() + WAIT;
    let mails = loop {
        let rows = outbox_message::Entity::find().all(&db).await.unwrap();
        if rows.iter().all(|m| m.status == outbox::SENT) {
            break rows;
        }
        assert!(
            !rows.iter().any(|m| m.status == outbox::FAILED),
            "an e-mail failed: {:?}{}",
            rows.iter()
                .filter(|m| m.status == outbox::FAILED)
                .map(|m| (&m.recipient, &m.last_error))
                .collect::<Vec<_>>(),
            logs(&procs)
        );
        assert!(
            Instant::now() < deadline,
            "e-mail still queued after {WAIT:?}: {:?}{}",
            rows.iter()
                .filter(|m| m.status != outbox::SENT)
                .map(|m| (&m.recipient, &m.status, &m.idempotency_key))
                .collect::<Vec<_>>(),
            logs(&procs)
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    // The render queue every process shares (apalis-postgres, `apalis.jobs`): every job done.
    let queue = finsam_jobs::render::RENDER_QUEUE;
    let deadline = Instant::now() + WAIT;
    let jobs = loop {
        let statuses: Vec<String> = db
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                format!("SELECT status FROM apalis.jobs WHERE job_type = '{queue}'"),
            ))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get_by_index::<String>(0).unwrap())
            .collect();
        if statuses.iter().all(|s| s == "Done") {
            break statuses.len();
        }
        assert!(
            Instant::now() < deadline,
            "render jobs not done after {WAIT:?}: {statuses:?}{}",
            logs(&procs)
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let versions = document_version::Entity::find().all(&db).await.unwrap();
    let not_finished: Vec<_> = versions
        .iter()
        .filter(|v| {
            v.status == documents::status::QUEUED || v.status == documents::status::RENDERING
        })
        .map(|v| (v.id, &v.status))
        .collect();
    assert!(not_finished.is_empty(), "left queued: {not_finished:?}");
    let ours: BTreeSet<i64> = asked.iter().chain(&sealed).map(|(_, id)| *id).collect();
    assert_eq!(ours.len(), 53);
    let all: BTreeSet<i64> = versions.iter().map(|v| v.id).collect();
    assert!(all.is_superset(&ours), "{all:?} ⊇ {ours:?}");
    for v in &versions {
        assert_eq!(
            v.status,
            documents::status::READY,
            "version {}: {v:?}",
            v.id
        );
        assert_eq!(v.attempts, 1, "version {} claimed once: {v:?}", v.id);
    }

    // Every e-mail once in the sink: one message per outbox row, under the row's Message-ID.
    let in_sink = sink.messages();
    let mut sink_ids: BTreeMap<String, usize> = BTreeMap::new();
    for m in &in_sink {
        *sink_ids.entry(local_part(&m.message_id)).or_default() += 1;
    }
    let twice: Vec<_> = sink_ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "delivered more than once: {twice:?}");
    let expected_ids: BTreeSet<String> = mails
        .iter()
        .map(|m| finsam_mail::transport::message_id_local(&m.idempotency_key))
        .collect();
    assert_eq!(expected_ids.len(), mails.len(), "distinct Message-IDs");
    assert_eq!(
        sink_ids.keys().cloned().collect::<BTreeSet<_>>(),
        expected_ids,
        "the sink holds exactly the outbox's messages"
    );
    assert_eq!(in_sink.len(), mails.len());
    for m in &mails {
        assert_eq!(
            m.attempts, 1,
            "{} sent at the first attempt",
            m.idempotency_key
        );
    }
    let distributed = mails
        .iter()
        .filter(|m| m.idempotency_key.starts_with("dist:"))
        .count();
    assert_eq!(distributed, expected_recipients.values().sum::<usize>());
    // Each distribution e-mail carries its sealed version's PDF (`dist:{version}:{recipient}`).
    let pdf_of: BTreeMap<i64, &str> = versions
        .iter()
        .filter_map(|v| Some((v.id, v.pdf_sha256.as_deref()?)))
        .collect();
    for m in in_sink
        .iter()
        .filter(|m| local_part(&m.message_id).starts_with("dist-"))
    {
        let version: i64 = local_part(&m.message_id)
            .split('-')
            .nth(1)
            .and_then(|v| v.parse().ok())
            .expect("dist-{version}-…");
        assert!(sealed.iter().any(|(_, id)| *id == version), "{version}");
        assert_eq!(m.attachments.len(), 1, "the sealed PDF to {}", m.to);
        let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&m.attachments[0].1));
        assert_eq!(
            sha, pdf_of[&version],
            "{} got the sealed version {version}",
            m.to
        );
    }

    // Every document in the bucket, under its förbund and hash; and nothing else there.
    let bucket = finsam_storage::Storage::open(&s3.location(BUCKET, "")).unwrap();
    let mut expected_pdfs = BTreeSet::new();
    for v in &versions {
        let sha = v.pdf_sha256.as_deref().expect("a ready version's PDF hash");
        let key = finsam_storage::key(v.tenant_id, sha, "pdf");
        assert!(
            bucket.exists(&key).await.unwrap(),
            "{key} (version {})",
            v.id
        );
        let input = v.input_sha256.as_deref().expect("the input's hash");
        let input_key = finsam_storage::key(v.tenant_id, input, "json");
        assert!(bucket.exists(&input_key).await.unwrap(), "{input_key}");
        expected_pdfs.insert(key);
    }
    let tenants: BTreeSet<i64> = versions.iter().map(|v| v.tenant_id).collect();
    let mut pdfs_in_bucket = BTreeSet::new();
    for t in &tenants {
        for k in bucket.list_dir(&format!("t/{t}")).await.unwrap() {
            if k.ends_with(".pdf") {
                pdfs_in_bucket.insert(k);
            }
        }
    }
    assert_eq!(
        pdfs_in_bucket, expected_pdfs,
        "the bucket's PDFs are the versions'"
    );

    // SIGTERM: each process still running stops with exit status 0.
    for p in procs.iter_mut() {
        if p.child.try_wait().unwrap().is_none() {
            stop(p).await;
        }
    }

    // Rendered once, sent once: across the four processes' logs, one "document rendered" line per
    // version and one "e-mail sent" line per outbox row.
    let mut renders: BTreeMap<i64, Vec<&'static str>> = BTreeMap::new();
    let mut sends: BTreeMap<i64, Vec<&'static str>> = BTreeMap::new();
    for p in &procs {
        let lines = json_lines(&p.dir);
        assert!(!lines.is_empty(), "finsam {} logs JSON", p.name);
        for line in lines {
            let message = field(&line, "message").and_then(Value::as_str);
            match message {
                Some("document rendered") => renders
                    .entry(field(&line, "version_id").and_then(Value::as_i64).unwrap())
                    .or_default()
                    .push(p.name),
                Some("e-mail sent") => sends
                    .entry(field(&line, "outbox_id").and_then(Value::as_i64).unwrap())
                    .or_default()
                    .push(p.name),
                _ => {}
            }
        }
    }
    let rendered_twice: Vec<_> = renders.iter().filter(|(_, by)| by.len() != 1).collect();
    assert!(
        rendered_twice.is_empty(),
        "rendered more than once: {rendered_twice:?}"
    );
    assert_eq!(
        renders.keys().copied().collect::<BTreeSet<_>>(),
        all,
        "every version rendered, by one process"
    );
    let sent_twice: Vec<_> = sends.iter().filter(|(_, by)| by.len() != 1).collect();
    assert!(sent_twice.is_empty(), "sent more than once: {sent_twice:?}");
    assert_eq!(
        sends.keys().copied().collect::<BTreeSet<_>>(),
        mails.iter().map(|m| m.id).collect::<BTreeSet<_>>(),
        "every e-mail sent, by one process"
    );

    let by_process = |counts: &BTreeMap<i64, Vec<&'static str>>| {
        let mut out: BTreeMap<&'static str, usize> = BTreeMap::new();
        for by in counts.values() {
            *out.entry(by[0]).or_default() += 1;
        }
        out
    };
    println!(
        "multiprocess: up in {up:?}, 50 rendered at {rendered:?}, sealed at {signed_at:?}, done in {:?}; \
         {} versions (rendered by {:?}), {} e-mails (sent by {:?}), {} PDFs in the bucket, {jobs} render jobs done, {} throttled requests",
        started.elapsed(),
        versions.len(),
        by_process(&renders),
        mails.len(),
        by_process(&sends),
        pdfs_in_bucket.len(),
        api.throttled.load(Ordering::Relaxed),
    );
}
