//! Signing in and out: the answers to wrong and forged credentials, sessions that end at once,
//! CSRF, throttling, invitations, password resets, and no secret in any log line.

use finsam_testkit::{Browser, PASSWORD, TestApp, csrf_from, spawn_app};
use finsam_web::auth::jwt::{self, Claims, TokenKind};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// Every log line of this test binary, at every level.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let writer = buf.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
        buf
    })
    .clone()
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl Write for LogWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn claims(sub: i64, kind: TokenKind, exp_offset: i64) -> Claims {
    let now = chrono::Utc::now();
    Claims {
        sub: sub.to_string(),
        typ: kind,
        sid: None,
        iat: now.timestamp(),
        iat_ms: now.timestamp_millis(),
        exp: now.timestamp() + exp_offset,
    }
}

async fn me(app: &TestApp, token: &str) -> StatusCode {
    app.get("/api/v1/me", Some(token)).await.status
}

#[tokio::test]
async fn bad_credentials_and_bad_tokens_get_the_right_answers_and_no_secret_is_logged() {
    let logs = captured_logs();
    let app = spawn_app().await;

    // A wrong password and an unknown account: 401, one message, one code.
    let wrong = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({"email": "kansli@hoglandet.example", "password": "fel-lösenord-123"}),
        )
        .await;
    let unknown = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({"email": "ingen@hoglandet.example", "password": "fel-lösenord-123"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.json()["error"]["code"], "invalid_credentials");

    let token = app.token("kansli@hoglandet.example").await;
    assert_eq!(me(&app, &token).await, StatusCode::OK);
    let login = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({"email": "styrelse@hoglandet.example", "password": PASSWORD}),
        )
        .await;
    let body = login.json();
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_i64().unwrap() <= 900);
    assert_eq!(
        body["memberships"],
        json!([{"tenant": "hoglandet", "role": "styrelse"}])
    );

    let id: i64 = app.get("/api/v1/me", Some(&token)).await.json()["id"]
        .as_i64()
        .unwrap();
    let secret = app.cfg.jwt_secret.clone();
    // Expired.
    let expired = jwt::issue(&secret, &claims(id, TokenKind::Access, -5)).unwrap();
    assert_eq!(me(&app, &expired).await, StatusCode::UNAUTHORIZED);
    // Forged: signed with another key.
    let forged = jwt::issue(
        b"not-the-server-secret-but-just-as-long!!",
        &claims(id, TokenKind::Access, 600),
    )
    .unwrap();
    assert_eq!(me(&app, &forged).await, StatusCode::UNAUTHORIZED);
    // alg: none.
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let none = format!(
        "{}.{}.",
        b64.encode(br#"{"alg":"none","typ":"JWT"}"#),
        b64.encode(serde_json::to_vec(&claims(id, TokenKind::Access, 600)).unwrap())
    );
    assert_eq!(me(&app, &none).await, StatusCode::UNAUTHORIZED);
    // A session cookie's token is no bearer token.
    let session_kind = jwt::issue(&secret, &claims(id, TokenKind::Session, 600)).unwrap();
    assert_eq!(me(&app, &session_kind).await, StatusCode::UNAUTHORIZED);
    // Garbage.
    assert_eq!(me(&app, "abc.def.ghi").await, StatusCode::UNAUTHORIZED);

    // A cookie POST without a CSRF token: 403, both to a page and to the API.
    let (mut b, landed) = app
        .browser_login("kansli@hoglandet.example", PASSWORD)
        .await;
    assert_eq!(landed.status, StatusCode::SEE_OTHER);
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/konto/losenord",
            Some(&[("current_password", PASSWORD)]),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = app
        .http
        .post(app.url("/api/v1/t/hoglandet/memberships"))
        .header("cookie", b.cookie_header())
        .json(&json!({"name": "X", "email": "x@eksjo.se", "role": "styrelse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(a.status(), StatusCode::FORBIDDEN);
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/konto/losenord",
            Some(&[("csrf_token", "00"), ("current_password", PASSWORD)]),
        )
        .await;
    assert_eq!(
        a.status,
        StatusCode::FORBIDDEN,
        "a wrong token is refused too"
    );

    // A flood of attempts at one account: 429 with Retry-After.
    let mut last = None;
    for _ in 0..8 {
        let a = app
            .post_json(
                "/api/v1/auth/login",
                None,
                json!({"email": "coach@finnveden.example", "password": "gissning-nummer-ett"}),
            )
            .await;
        last = Some(a);
    }
    let last = last.unwrap();
    assert_eq!(last.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = last.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(last.json()["error"]["code"], "rate_limited");
    // Even the right password waits.
    let a = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({"email": "coach@finnveden.example", "password": PASSWORD}),
        )
        .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);

    app.stop().await;
    let text = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(
        text.contains("request"),
        "the capture works: {} bytes",
        text.len()
    );
    for secret_text in [
        PASSWORD,
        "fel-lösenord-123",
        "gissning-nummer-ett",
        token.as_str(),
        &forged,
        &expired,
    ] {
        assert!(
            !text.contains(secret_text),
            "a secret reached the log: {secret_text}"
        );
    }
    for (_, v) in &b.cookies {
        assert!(
            v.len() < 8 || !text.contains(v.as_str()),
            "a cookie value reached the log"
        );
    }
}

#[tokio::test]
async fn the_session_cookie_is_http_only_lax_and_logout_ends_it_at_once() {
    let app = spawn_app().await;
    let (mut b, landed) = app
        .browser_login("kansli@hoglandet.example", PASSWORD)
        .await;
    assert_eq!(landed.location(), Some("/t/hoglandet"));
    let line = landed
        .set_cookie_lines()
        .into_iter()
        .find(|l| l.starts_with("finsam-session="))
        .expect("session cookie");
    assert!(
        line.contains("HttpOnly") && line.contains("SameSite=Lax") && line.contains("Path=/"),
        "{line}"
    );
    assert!(
        !line.contains("Secure"),
        "http base URL: no Secure flag, so no __Host- prefix: {line}"
    );

    let page = app.browse(&mut b, Method::GET, "/t/hoglandet", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Höglandets samordningsförbund"));
    let old = b.clone();
    let csrf = csrf_from(&page.body).unwrap();
    let out = app
        .browse(
            &mut b,
            Method::POST,
            "/logout",
            Some(&[("csrf_token", &csrf)]),
        )
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location(), Some("/login?utloggad=1"));
    // The old cookie, replayed, no longer works.
    let mut replay = old;
    let a = app
        .browse(&mut replay, Method::GET, "/t/hoglandet", None)
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(a.location().unwrap().starts_with("/login"));
    app.stop().await;
}

#[tokio::test]
async fn with_an_https_base_url_the_cookie_is_secure_and_host_prefixed() {
    let app =
        finsam_testkit::spawn_app_with(|c| c.base_url = Some("https://finsam.example".into()))
            .await
            .unwrap();
    let mut b = Browser::default();
    let page = app.browse(&mut b, Method::GET, "/login", None).await;
    let csrf_line = page.set_cookie_lines().join("\n");
    assert!(
        csrf_line.contains("__Host-finsam-csrf=") && csrf_line.contains("Secure"),
        "{csrf_line}"
    );
    let csrf = csrf_from(&page.body).unwrap();
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/login",
            Some(&[
                ("csrf_token", &csrf),
                ("email", "kansli@hoglandet.example"),
                ("password", PASSWORD),
            ]),
        )
        .await;
    let line = a
        .set_cookie_lines()
        .into_iter()
        .find(|l| l.starts_with("__Host-finsam-session="))
        .expect("host cookie");
    assert!(
        line.contains("Secure")
            && line.contains("HttpOnly")
            && line.contains("Path=/")
            && !line.contains("Domain"),
        "{line}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_password_change_ends_other_sessions_and_earlier_tokens_and_disabling_ends_everything() {
    let app = spawn_app().await;
    let earlier_token = app.token("kansli@finnveden.example").await;
    let (mut other, _) = app
        .browser_login("kansli@finnveden.example", PASSWORD)
        .await;
    let (mut b, _) = app
        .browser_login("kansli@finnveden.example", PASSWORD)
        .await;
    let page = app
        .browse(&mut b, Method::GET, "/konto/losenord", None)
        .await;
    let csrf = csrf_from(&page.body).unwrap();

    // A weak new password: 422 naming the field, in Swedish; nothing changes.
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/konto/losenord",
            Some(&[
                ("csrf_token", &csrf),
                ("current_password", PASSWORD),
                ("password", "sommar2024!!"),
                ("password_confirm", "sommar2024!!"),
            ]),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        a.body.contains("för lätt att gissa") && a.body.contains("href=\"#password\""),
        "{}",
        a.body
    );
    assert_eq!(me(&app, &earlier_token).await, StatusCode::OK);
    // A wrong current password.
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/konto/losenord",
            Some(&[
                ("csrf_token", &csrf),
                ("current_password", "fel"),
                ("password", "ny fras med många ord"),
                ("password_confirm", "ny fras med många ord"),
            ]),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("Det nuvarande lösenordet stämmer inte."));

    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/konto/losenord",
            Some(&[
                ("csrf_token", &csrf),
                ("current_password", PASSWORD),
                ("password", "ny fras med många ord"),
                ("password_confirm", "ny fras med många ord"),
            ]),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("Lösenordet är bytt"));
    assert_eq!(
        app.browse(&mut b, Method::GET, "/t/finnveden", None)
            .await
            .status,
        StatusCode::OK,
        "this session goes on"
    );
    assert_eq!(
        app.browse(&mut other, Method::GET, "/t/finnveden", None)
            .await
            .status,
        StatusCode::SEE_OTHER,
        "the other session ended"
    );
    assert_eq!(
        me(&app, &earlier_token).await,
        StatusCode::UNAUTHORIZED,
        "earlier bearer tokens ended"
    );
    let a = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({"email": "kansli@finnveden.example", "password": "ny fras med många ord"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);

    // The platform admin disables the account: its session and tokens end at once.
    let fresh = a.json()["access_token"].as_str().unwrap().to_owned();
    let admin = app.token("admin@finsam.example").await;
    let accounts = app.get("/api/v1/admin/accounts", Some(&admin)).await.json();
    let id = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "kansli@finnveden.example")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let a = app
        .request(
            Method::POST,
            &format!("/admin/konton/{id}/inaktivera"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.browse(&mut b, Method::GET, "/t/finnveden", None)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(me(&app, &fresh).await, StatusCode::UNAUTHORIZED);
    let a = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({"email": "kansli@finnveden.example", "password": "ny fras med många ord"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn the_admin_invites_a_kansli_who_sets_a_password_from_the_link_once() {
    let app = spawn_app().await;
    let admin = app.token("admin@finsam.example").await;
    // Bad input names the fields.
    let a = app
        .post_json(
            "/api/v1/admin/invitations",
            Some(&admin),
            json!({"tenant": "finnveden", "name": "", "email": "inte-en-adress"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let paths: Vec<_> = a.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paths, ["email", "name"]);
    let a = app
        .post_json(
            "/api/v1/admin/invitations",
            Some(&admin),
            json!({"tenant": "finnveden"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.json()["error"]["fields"][0]["path"], "name");

    let a = app.post_json("/api/v1/admin/invitations", Some(&admin), json!({"tenant": "finnveden", "name": "Ny Kansli", "email": "ny.kansli@gnosjo.example"})).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let mail = app.wait_for_mail("ny.kansli@gnosjo.example").await;
    assert!(
        mail.subject.starts_with("Inbjudan till Finsam"),
        "{}",
        mail.subject
    );
    assert!(mail.html.contains("<strong>Kansli</strong>"));
    let link = mail
        .link(&format!("{}/inbjudan/", app.base))
        .expect("a link in the mail");
    let path = link.strip_prefix(&app.base).unwrap().to_owned();
    let token = path.rsplit('/').next().unwrap();
    assert_eq!(token.len(), 64, "256 random bits");

    // The token is stored only as its hash.
    let raw = finsam_db::repo::tokens::usable(
        app.db.platform(),
        token,
        finsam_db::repo::tokens::PURPOSE_INVITATION,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    assert!(raw.is_none(), "the database does not hold the token itself");

    let mut b = Browser::default();
    let page = app.browse(&mut b, Method::GET, &path, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Välj lösenord") && page.body.contains("Finnvedens samordningsförbund")
    );
    let csrf = csrf_from(&page.body).unwrap();
    let a = app
        .browse(
            &mut b,
            Method::POST,
            &path,
            Some(&[
                ("csrf_token", &csrf),
                ("password", "kort"),
                ("password_confirm", "kort"),
            ]),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("Lösenordet måste ha minst 12 tecken."));
    let a = app
        .browse(
            &mut b,
            Method::POST,
            &path,
            Some(&[
                ("csrf_token", &csrf),
                ("password", "blåbärssoppa-vasaloppet-77"),
                ("password_confirm", "blåbärssoppa-vasaloppet-78"),
            ]),
        )
        .await;
    assert!(a.body.contains("Lösenorden är inte lika."));
    let a = app
        .browse(
            &mut b,
            Method::POST,
            &path,
            Some(&[
                ("csrf_token", &csrf),
                ("password", "blåbärssoppa-vasaloppet-77"),
                ("password_confirm", "blåbärssoppa-vasaloppet-77"),
            ]),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location(), Some("/t/finnveden"));
    let home = app.browse(&mut b, Method::GET, "/t/finnveden", None).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Gnosjö kommun"));

    // Used once only.
    let mut other = Browser::default();
    let again = app.browse(&mut other, Method::GET, &path, None).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("Länken är inte giltig"));
    let login = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({"email": "ny.kansli@gnosjo.example", "password": "blåbärssoppa-vasaloppet-77"}),
        )
        .await;
    assert_eq!(
        login.json()["memberships"],
        json!([{"tenant": "finnveden", "role": "kansli"}])
    );

    // The förbund's audit log shows it; another förbund's does not.
    let kansli = login.json()["access_token"].as_str().unwrap().to_owned();
    let log = app
        .get("/api/v1/t/finnveden/audit", Some(&kansli))
        .await
        .json();
    let actions: Vec<_> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    for want in [
        "invitation_sent",
        "role_granted",
        "invitation_accepted",
        "login",
    ] {
        assert!(actions.contains(&want.to_owned()), "{want} in {actions:?}");
    }
    let other_log = app
        .get(
            "/api/v1/t/hoglandet/audit",
            Some(&app.token("kansli@hoglandet.example").await),
        )
        .await
        .json();
    assert!(!other_log.to_string().contains("ny.kansli@gnosjo.example"));
    app.stop().await;
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_a_link_that_works_once() {
    let app = spawn_app().await;
    let mut b = Browser::default();
    let page = app.browse(&mut b, Method::GET, "/aterstall", None).await;
    let csrf = csrf_from(&page.body).unwrap();
    // Unknown and known addresses get the same page.
    let unknown = app
        .browse(
            &mut b,
            Method::POST,
            "/aterstall",
            Some(&[("csrf_token", &csrf), ("email", "ingen@eksjo.se")]),
        )
        .await;
    let known = app
        .browse(
            &mut b,
            Method::POST,
            "/aterstall",
            Some(&[
                ("csrf_token", &csrf),
                ("email", "styrelse@hoglandet.example"),
            ]),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(unknown.body, known.body);
    let mail = app.wait_for_mail("styrelse@hoglandet.example").await;
    let link = mail.link(&format!("{}/aterstall/", app.base)).unwrap();
    let path = link.strip_prefix(&app.base).unwrap().to_owned();
    let page = app.browse(&mut b, Method::GET, &path, None).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = csrf_from(&page.body).unwrap();
    let a = app
        .browse(
            &mut b,
            Method::POST,
            &path,
            Some(&[
                ("csrf_token", &csrf),
                ("password", "tre tysta tranor i tranås"),
                ("password_confirm", "tre tysta tranor i tranås"),
            ]),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.browse(&mut b, Method::GET, &path, None).await.status,
        StatusCode::GONE
    );
    let old = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({"email": "styrelse@hoglandet.example", "password": PASSWORD}),
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({"email": "styrelse@hoglandet.example", "password": "tre tysta tranor i tranås"}),
        )
        .await;
    assert_eq!(new.status, StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn the_login_form_answers_in_swedish_and_lands_where_it_should() {
    let app = spawn_app().await;
    let (_, a) = app
        .browser_login("kansli@hoglandet.example", "fel-lösenord-123")
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(
        a.body.contains("role=\"alert\"") && a.body.contains("Fel e-postadress eller lösenord.")
    );
    let (_, b) = app
        .browser_login("ingen@hoglandet.example", "fel-lösenord-123")
        .await;
    assert_eq!(b.status, StatusCode::UNAUTHORIZED);

    for (email, landing) in [
        ("forbundschef@finsam.example", "/t"),
        ("admin@finsam.example", "/admin"),
        ("coach@finnveden.example", "/t/finnveden"),
    ] {
        let (_, a) = app.browser_login(email, PASSWORD).await;
        assert_eq!(a.location(), Some(landing), "{email}");
    }
    // The forbundschef sees both förbund and can switch; the page of a third is 404.
    let (mut b, _) = app
        .browser_login("forbundschef@finsam.example", PASSWORD)
        .await;
    let picker = app.browse(&mut b, Method::GET, "/t", None).await;
    assert!(
        picker
            .body
            .contains("Samordningsförbundet Södra Vätterbygden")
            && picker.body.contains("Finnvedens samordningsförbund")
    );
    assert!(!picker.body.contains("Höglandets samordningsförbund"));
    let sv = app
        .browse(&mut b, Method::GET, "/t/sodra-vatterbygden", None)
        .await;
    assert!(
        sv.body.contains("Byt förbund")
            && sv.body.contains("Habo kommun")
            && !sv.body.contains("Gnosjö kommun")
    );
    assert_eq!(
        app.browse(&mut b, Method::GET, "/t/hoglandet", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.browse(&mut b, Method::GET, "/t/finns-inte", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

#[tokio::test]
async fn a_session_unused_for_longer_than_the_idle_timeout_ends() {
    use sea_orm::ConnectionTrait;
    let app = finsam_testkit::spawn_app_with(|c| c.session_idle_minutes = 30)
        .await
        .unwrap();
    let (mut b, _) = app
        .browser_login("styrelse@finnveden.example", PASSWORD)
        .await;
    assert_eq!(
        app.browse(&mut b, Method::GET, "/t/finnveden", None)
            .await
            .status,
        StatusCode::OK
    );
    // 29 minutes idle: still signed in (and the visit moves the idle clock).
    let at = |mins: i64| {
        (chrono::Utc::now() - chrono::Duration::minutes(mins))
            .format("%Y-%m-%d %H:%M:%S%.6f+00:00")
            .to_string()
    };
    app.db
        .platform()
        .execute_unprepared(&format!("UPDATE sessions SET last_seen_at = '{}'", at(29)))
        .await
        .unwrap();
    assert_eq!(
        app.browse(&mut b, Method::GET, "/t/finnveden", None)
            .await
            .status,
        StatusCode::OK
    );
    // 31 minutes idle: the session has ended.
    app.db
        .platform()
        .execute_unprepared(&format!("UPDATE sessions SET last_seen_at = '{}'", at(31)))
        .await
        .unwrap();
    let a = app.browse(&mut b, Method::GET, "/t/finnveden", None).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location(), Some("/login?next=%2Ft%2Ffinnveden"));
    app.stop().await;
}
