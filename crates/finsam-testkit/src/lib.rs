//! Test support. [`spawn_app`] starts the real application (server and e-mail worker) on port 0 with a
//! fresh data dir and its own database: a SQLite file, or a new PostgreSQL database when
//! `FINSAM_TEST_POSTGRES_URL` is set. Tests talk to it over HTTP like any client. [`servers`] starts
//! a real S3-compatible server and a real SMTP sink for the production-path tests.

use anyhow::Context;
use finsam::app::{self, Running};
use finsam::config::{Config, RawConfig};
use reqwest::{Method, StatusCode, header};
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;
use std::path::PathBuf;

pub mod servers;
pub use servers::{S3Server, SmtpSink};

/// The password of every demo account in tests.
pub const PASSWORD: &str = "korvgubbe-cykelstyre-42";

pub struct TestApp {
    pub base: String,
    pub cfg: Config,
    pub db: finsam_db::Db,
    pub data_dir: tempfile::TempDir,
    /// A client that does not follow redirects and keeps no cookies: tests see every answer as it is.
    pub http: reqwest::Client,
    running: Option<Running>,
}

/// Which database the tests run on.
pub fn backend() -> &'static str {
    if std::env::var("FINSAM_TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty()) {
        "postgres"
    } else {
        "sqlite"
    }
}

/// The PostgreSQL role the application connects as in tests: it logs in, and owns nothing and bypasses
/// nothing, so row-level security binds it as it binds a deployment's application role.
pub const APP_ROLE: &str = "finsam_test_app";

/// A fresh database for one test.
pub struct TestDatabase {
    /// What the application connects with (`FINSAM_DATABASE_URL`).
    pub url: String,
    /// The tables' owner, for migrations (`FINSAM_DATABASE_OWNER_URL`); PostgreSQL only.
    pub owner_url: Option<String>,
}

/// A fresh database for one test: a new PostgreSQL database when `FINSAM_TEST_POSTGRES_URL` is set
/// (owned by that URL's role, used by the application as [`APP_ROLE`]), else a SQLite file in `data_dir`.
pub async fn database(data_dir: &std::path::Path) -> anyhow::Result<TestDatabase> {
    match std::env::var("FINSAM_TEST_POSTGRES_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("finsam_t_{}", hex::encode(rand::random::<[u8; 6]>()));
            let admin = Database::connect(&admin_url)
                .await
                .context("connecting to FINSAM_TEST_POSTGRES_URL")?;
            // Tests run in parallel: the first makes the role, the others find it.
            admin
                .execute_unprepared(&format!(
                    "DO $$ BEGIN
                       CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
                     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                     END $$"
                ))
                .await
                .context("creating the application's test role")?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            admin.close().await?;
            let mut owner = url::Url::parse(&admin_url)?;
            owner.set_path(&format!("/{name}"));
            let mut app = owner.clone();
            app.set_username(APP_ROLE)
                .map_err(|_| anyhow::anyhow!("FINSAM_TEST_POSTGRES_URL cannot take a user name"))?;
            app.set_password(None).map_err(|_| {
                anyhow::anyhow!("FINSAM_TEST_POSTGRES_URL cannot drop its password")
            })?;
            Ok(TestDatabase {
                url: app.to_string(),
                owner_url: Some(owner.to_string()),
            })
        }
        _ => Ok(TestDatabase {
            url: format!("sqlite://{}?mode=rwc", data_dir.join("finsam.db").display()),
            owner_url: None,
        }),
    }
}

/// Starts the app with the demo data loaded.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await.expect("the test app starts")
}

/// Starts the app with the demo data, after `adjust` has changed the configuration.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut RawConfig)) -> anyhow::Result<TestApp> {
    spawn_app_configured(adjust, |_| {}).await
}

/// Starts the app with the demo data, after `adjust` has changed the configuration as read and
/// `resolved` the configuration as resolved (e.g. the S3 connection settings, which production takes
/// from the `AWS_*` variables).
pub async fn spawn_app_configured(
    adjust: impl FnOnce(&mut RawConfig),
    resolved: impl FnOnce(&mut Config),
) -> anyhow::Result<TestApp> {
    app::init_crypto();
    let data_dir = tempfile::tempdir()?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let database = database(data_dir.path()).await?;
    let mut raw = RawConfig {
        data_dir: data_dir.path().to_path_buf(),
        listen: addr.to_string(),
        database_url: Some(database.url),
        database_owner_url: database.owner_url,
        base_url: Some(format!("http://{addr}")),
        ..Default::default()
    };
    if backend() == "postgres" {
        raw.jwt_secret = Some("a-test-secret-that-is-long-enough-0123456789".into());
    }
    adjust(&mut raw);
    let mut cfg = Config::resolve(raw)?;
    resolved(&mut cfg);
    let db = app::open_database(&cfg).await?;
    finsam::demo::load(&db, PASSWORD).await?;
    let running = app::start(&cfg, db.clone(), listener).await?;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    Ok(TestApp {
        base: format!("http://{addr}"),
        cfg,
        db,
        data_dir,
        http,
        running: Some(running),
    })
}

/// A response read to the end.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: header::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// `name=value` of every Set-Cookie, for the next request's Cookie header.
    pub fn cookies(&self) -> Vec<(String, String)> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|s| s.split(';').next())
            .filter_map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
            })
            .collect()
    }

    pub fn set_cookie_lines(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }
}

/// A browser-like session: cookies kept by hand, CSRF token read from the last page.
#[derive(Default, Clone)]
pub struct Browser {
    pub cookies: Vec<(String, String)>,
}

impl Browser {
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn absorb(&mut self, a: &Answer) {
        for (k, v) in a.cookies() {
            self.cookies.retain(|(n, _)| *n != k);
            self.cookies.push((k, v));
        }
    }
}

/// The value of the first `csrf_token` hidden field in a page.
pub fn csrf_from(html: &str) -> Option<String> {
    let i = html.find("name=\"csrf_token\" value=\"")?;
    let rest = &html[i + "name=\"csrf_token\" value=\"".len()..];
    Some(rest[..rest.find('"')?].to_owned())
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut rb = self.http.request(method, self.url(path));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let resp = rb.send().await.expect("request");
        let status = resp.status();
        let headers = resp.headers().clone();
        Answer {
            status,
            headers,
            body: resp.text().await.unwrap_or_default(),
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.request(Method::GET, path, token, None).await
    }

    pub async fn post_json(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.request(Method::POST, path, token, Some(body)).await
    }

    /// Signs in through the API and answers the bearer token.
    pub async fn token(&self, email: &str) -> String {
        let a = self
            .post_json(
                "/api/v1/auth/login",
                None,
                serde_json::json!({ "email": email, "password": PASSWORD }),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "login {email}: {}", a.body);
        a.json()["access_token"].as_str().expect("token").to_owned()
    }

    /// A browser request with the given cookies (and form, for POST).
    pub async fn browse(
        &self,
        b: &mut Browser,
        method: Method,
        path: &str,
        form: Option<&[(&str, &str)]>,
    ) -> Answer {
        let mut rb = self.http.request(method, self.url(path));
        let cookie = b.cookie_header();
        if !cookie.is_empty() {
            rb = rb.header(header::COOKIE, cookie);
        }
        if let Some(f) = form {
            rb = rb.form(f);
        }
        let resp = rb.send().await.expect("request");
        let a = Answer {
            status: resp.status(),
            headers: resp.headers().clone(),
            body: String::new(),
        };
        let body = resp.text().await.unwrap_or_default();
        let a = Answer { body, ..a };
        b.absorb(&a);
        a
    }

    /// Signs in through the login form, as a browser does, and answers the browser.
    pub async fn browser_login(&self, email: &str, password: &str) -> (Browser, Answer) {
        let mut b = Browser::default();
        let page = self.browse(&mut b, Method::GET, "/login", None).await;
        let csrf = csrf_from(&page.body).expect("csrf field on the login page");
        let a = self
            .browse(
                &mut b,
                Method::POST,
                "/login",
                Some(&[
                    ("csrf_token", &csrf),
                    ("email", email),
                    ("password", password),
                ]),
            )
            .await;
        (b, a)
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.path().join("outbox")
    }

    /// Delivers every due e-mail now, without waiting for the worker's next pass.
    pub async fn deliver_mail(&self) {
        self.deliver_mail_at(chrono::Utc::now()).await;
    }

    /// One pass of the e-mail worker as if the clock said `now` (a later time makes retries due);
    /// answers how many messages were sent.
    pub async fn deliver_mail_at(&self, now: chrono::DateTime<chrono::Utc>) -> usize {
        let w = finsam_jobs::outbox::Worker {
            db: self.db.clone(),
            transport: app::transport(&self.cfg).expect("transport"),
            from: self.cfg.mail_from.clone(),
            kick: Default::default(),
            storage: Some(app::storage(&self.cfg).expect("storage")),
        };
        w.run_once(now).await.expect("deliver")
    }

    /// Every message in the outbox folder, parsed, oldest first.
    pub fn outbox(&self) -> Vec<Mail> {
        let mut files: Vec<_> = std::fs::read_dir(self.outbox_dir())
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
            .into_iter()
            .map(|p| Mail::parse(&std::fs::read(&p).expect("read eml")))
            .collect()
    }

    /// Waits (up to 10 s) until a message to `to` is in the outbox, and answers it.
    pub async fn wait_for_mail(&self, to: &str) -> Mail {
        for _ in 0..100 {
            if let Some(m) = self.outbox().into_iter().rev().find(|m| m.to == to) {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no e-mail to {to} arrived in the outbox");
    }

    /// Waits (up to 20 s) until a message to `to` whose subject contains `subject` is in the outbox,
    /// and answers the newest such.
    pub async fn wait_for_mail_about(&self, to: &str, subject: &str) -> Mail {
        for _ in 0..200 {
            if let Some(m) = self
                .outbox()
                .into_iter()
                .rev()
                .find(|m| m.to == to && m.subject.contains(subject))
            {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no e-mail to {to} about {subject:?} arrived in the outbox");
    }

    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await.expect("clean stop");
        }
    }
}

/// A delivered e-mail, decoded.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    /// The sender's display name (empty when there is none).
    pub from_name: String,
    /// The Reply-To address (empty when there is none).
    pub reply_to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub message_id: String,
    /// Attached files: name and bytes.
    pub attachments: Vec<(String, Vec<u8>)>,
}

impl Mail {
    pub fn parse(raw: &[u8]) -> Self {
        let m = mail_parser::MessageParser::default()
            .parse(raw)
            .expect("a parsable e-mail");
        let to = m
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_owned();
        let from_name = m
            .from()
            .and_then(|a| a.first())
            .and_then(|a| a.name())
            .unwrap_or_default()
            .to_owned();
        let reply_to = m
            .reply_to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_owned();
        Mail {
            to,
            from_name,
            reply_to,
            subject: m.subject().unwrap_or_default().to_owned(),
            text: m.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
            html: m.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
            message_id: m.message_id().unwrap_or_default().to_owned(),
            attachments: m
                .attachments()
                .map(|a| {
                    (
                        mail_parser::MimeHeaders::attachment_name(a)
                            .unwrap_or_default()
                            .to_owned(),
                        a.contents().to_vec(),
                    )
                })
                .collect(),
        }
    }

    /// The six-digit code of a signing code e-mail (the line `Kod: 123456`).
    pub fn code(&self) -> Option<String> {
        let i = self.text.find("Kod: ")?;
        Some(self.text[i + 5..].chars().take(6).collect())
    }

    /// The first link in the plain-text part that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let i = self.text.find(prefix)?;
        let rest = &self.text[i..];
        Some(rest.split_whitespace().next()?.to_owned())
    }
}

impl TestApp {
    /// Imports one of the fixtures (as `finsam demo` does) through the API, as the förbund's kansli.
    pub async fn import_fixture(&self, slug: &str, name: &str) {
        let (_, _, json) = finsam::demo::FIXTURES
            .iter()
            .find(|(s, n, _)| *s == slug && *n == name)
            .expect("a known fixture");
        let token = self.token(&format!("kansli@{slug}.example")).await;
        let resp = self
            .http
            .post(self.url(&format!("/api/v1/t/{slug}/import")))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(json.to_string())
            .send()
            .await
            .expect("import");
        assert_eq!(
            resp.status(),
            StatusCode::OK,
            "importing {name}: {}",
            resp.text().await.unwrap_or_default()
        );
    }
}

/// The fields a browser would submit for the first form with `action` in `html`: every named input
/// (checkboxes only when checked), textarea and select (its selected option, else its first).
pub fn form_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let start = html
        .find(&format!("action=\"{action}\""))
        .expect("the form");
    let form = &html[start
        ..html[start..]
            .find("</form>")
            .map_or(html.len(), |e| start + e)];
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let i = tag.find(&key)? + key.len();
        Some(tag[i..i + tag[i..].find('"')?].to_owned())
    };
    let unescape = |s: &str| {
        s.replace("&#x2f;", "/")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&amp;", "&")
    };
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if let Some(name) = attr(tag, "name") {
            if tag.starts_with("<input") {
                let is_box = attr(tag, "type").as_deref() == Some("checkbox");
                if !is_box || tag.contains(" checked") {
                    out.push((name, unescape(&attr(tag, "value").unwrap_or_default())));
                }
            } else if tag.starts_with("<textarea") {
                let body = &rest[end + 1..];
                out.push((
                    name,
                    unescape(&body[..body.find("</textarea>").unwrap_or(0)]),
                ));
            } else if tag.starts_with("<select") {
                let body = &rest[end..rest.find("</select>").unwrap_or(rest.len())];
                let options: Vec<&str> = body.split("<option").skip(1).collect();
                let chosen = options
                    .iter()
                    .find(|o| {
                        o.split('>')
                            .next()
                            .unwrap_or_default()
                            .contains(" selected")
                    })
                    .or(options.first());
                let value = chosen.and_then(|o| attr(o, "value")).unwrap_or_default();
                out.push((name, unescape(&value)));
            }
        }
        rest = &rest[end.min(rest.len())..];
        if rest.len() <= 1 {
            break;
        }
        rest = &rest[1..];
    }
    out
}

/// A PDF's text by `pdftotext` (poppler-utils), with no-break spaces as spaces.
pub fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf).expect("write the PDF");
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .expect("UTF-8 text")
        .replace('\u{a0}', " ")
}
