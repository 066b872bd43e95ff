//! Documents: the kansli asks for a rendering, the render job makes an immutable version with its
//! provenance, the board reads and downloads it; a year whose checks fail renders only as a draft.

use finsam_testkit::{PASSWORD, TestApp, csrf_from, pdftotext, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Waits for the render worker to finish a version (queued → rendering → ready | failed).
async fn finished(app: &TestApp, token: &str, slug: &str, version: i64) -> Value {
    for _ in 0..600 {
        let v = app
            .get(&format!("/api/v1/t/{slug}/versions/{version}"), Some(token))
            .await
            .json();
        if v["status"] == "ready" || v["status"] == "failed" {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("version {version} did not finish in 2 minutes");
}

/// The PDF of a ready version, as the kansli downloads it.
async fn pdf_of(app: &TestApp, token: &str, slug: &str, v: &Value) -> Vec<u8> {
    app.http
        .get(app.url(&format!("/api/v1/t/{slug}/versions/{}/pdf", v["id"])))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

async fn request(app: &TestApp, token: &str, slug: &str, body: Value) -> finsam_testkit::Answer {
    app.request(
        Method::POST,
        &format!("/api/v1/t/{slug}/documents"),
        Some(token),
        Some(body),
    )
    .await
}

/// Asks for a rendering and waits until the version is finished.
async fn rendered(app: &TestApp, token: &str, slug: &str, body: Value) -> Value {
    let a = request(app, token, slug, body).await;
    finished(app, token, slug, a.json()["version_id"].as_i64().unwrap()).await
}

#[tokio::test]
async fn an_annual_report_is_rendered_stored_with_its_provenance_and_read_by_the_board() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let styrelse = app.token("styrelse@hoglandet.example").await;
    let coach = app.token("coach@hoglandet.example").await;

    let a = request(
        &app,
        &kansli,
        "hoglandet",
        json!({"kind": "arsredovisning", "year": 2024}),
    )
    .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.body);
    let first = a.json();
    assert_eq!(first["status"], "queued");
    let id = first["version_id"].as_i64().unwrap();
    let v = finished(&app, &kansli, "hoglandet", id).await;
    assert_eq!(v["status"], "ready", "{v}");
    assert_eq!(v["number"], 1);
    assert_eq!(v["typst_version"], "0.15.1");
    assert!(v["pages"].as_i64().unwrap() >= 15, "{v}");
    for k in ["input_sha256", "pdf_sha256", "template_sha256"] {
        assert_eq!(v[k].as_str().unwrap().len(), 64, "{k}");
    }
    assert!(
        v["created_at"].as_str().unwrap().ends_with(":00"),
        "with the offset"
    );

    // The board downloads it; the bytes are the ones the version names.
    let a = app
        .get(
            &format!("/api/v1/t/hoglandet/versions/{id}/pdf"),
            Some(&styrelse),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.headers["content-type"], "application/pdf");
    let pdf = app
        .http
        .get(app.url(&format!("/api/v1/t/hoglandet/versions/{id}/pdf?download=1")))
        .bearer_auth(&styrelse)
        .send()
        .await
        .unwrap();
    assert!(
        pdf.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"arsredovisning-2024-v1.pdf\"")
    );
    let bytes = pdf.bytes().await.unwrap();
    assert_eq!(hex::encode(Sha256::digest(&bytes)), v["pdf_sha256"]);
    let text = pdftotext(&bytes);
    for figure in [
        "−155 574",
        "1 483 897",
        "2 127 221",
        "−176 641",
        "8 164 800",
        "70 %",
    ] {
        assert!(text.contains(figure), "{figure} in the text");
    }
    for heading in [
        "Översikt över verksamhetens utveckling",
        "Styrning och uppföljning av den egna verksamheten",
        "Resultaträkning",
        "Balansräkning",
        "Kassaflödesanalys",
    ] {
        assert!(text.contains(heading), "{heading}");
    }
    assert!(!text.contains("UTKAST"));

    // Rendering again makes version 2, byte for byte the same file.
    let again = request(
        &app,
        &kansli,
        "hoglandet",
        json!({"kind": "arsredovisning", "year": 2024}),
    )
    .await
    .json();
    let v2 = finished(
        &app,
        &kansli,
        "hoglandet",
        again["version_id"].as_i64().unwrap(),
    )
    .await;
    assert_eq!(again["document_id"], first["document_id"]);
    assert_eq!(v2["number"], 2);
    assert_eq!(v2["pdf_sha256"], v["pdf_sha256"], "same data, same bytes");
    assert_eq!(v2["input_sha256"], v["input_sha256"]);

    // Who may do what.
    let a = request(
        &app,
        &styrelse,
        "hoglandet",
        json!({"kind": "arsredovisning", "year": 2024}),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = app
        .get(&format!("/api/v1/t/hoglandet/versions/{id}"), Some(&coach))
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let list = app
        .get("/api/v1/t/hoglandet/documents", Some(&styrelse))
        .await
        .json();
    assert_eq!(
        list["documents"][0]["versions"].as_array().unwrap().len(),
        2
    );
    assert_eq!(
        list["documents"][0]["versions"][0]["number"], 2,
        "newest first"
    );

    // Bad requests name the field.
    for (body, field) in [
        (json!({"kind": "budgetbrev", "year": 2024}), "kind"),
        (json!({"kind": "arsredovisning"}), "year"),
        (json!({"kind": "arsredovisning", "year": 1800}), "year"),
        (json!({"kind": "minnesanteckningar"}), "meeting_id"),
        (
            json!({"kind": "minnesanteckningar", "meeting_id": 999999}),
            "meeting_id",
        ),
    ] {
        let a = request(&app, &kansli, "hoglandet", body.clone()).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(a.json()["error"]["fields"][0]["path"], field, "{body}");
    }
}

#[tokio::test]
async fn a_year_whose_checks_fail_renders_only_as_a_draft_stamped_utkast() {
    let app = spawn_app().await;
    app.import_fixture("sodra-vatterbygden", "sodra-vatterbygden-2024.json")
        .await;
    let kansli = app.token("kansli@sodra-vatterbygden.example").await;
    // The fixture holds the budget but no accounts for 2024: the annual report's checks fail.
    let v = rendered(
        &app,
        &kansli,
        "sodra-vatterbygden",
        json!({"kind": "arsredovisning", "year": 2024}),
    )
    .await;
    assert_eq!(v["status"], "failed");
    let error = v["error"].as_str().unwrap();
    assert!(
        error.starts_with("Årets kontroller stoppade dokumentet"),
        "{error}"
    );
    assert!(v["pdf_sha256"].is_null());
    let a = app
        .get(
            &format!("/api/v1/t/sodra-vatterbygden/versions/{}/pdf", v["id"]),
            Some(&kansli),
        )
        .await;
    assert_eq!(
        a.status,
        StatusCode::CONFLICT,
        "a failed version has no file"
    );

    let v = rendered(
        &app,
        &kansli,
        "sodra-vatterbygden",
        json!({"kind": "arsredovisning", "year": 2024, "draft": true, "reason": "För beredningsgruppen"}),
    )
    .await;
    assert_eq!(v["status"], "ready", "{v}");
    assert_eq!(v["draft_reason"], "För beredningsgruppen");
    let pdf = pdf_of(&app, &kansli, "sodra-vatterbygden", &v).await;
    assert!(pdftotext(&pdf).contains("UTKAST"));

    // The verksamhetsplan has no checks to pass: the budget table of seed 003.
    let v = rendered(
        &app,
        &kansli,
        "sodra-vatterbygden",
        json!({"kind": "verksamhetsplan", "year": 2024}),
    )
    .await;
    assert_eq!(v["status"], "ready", "{v}");
    let pdf = pdf_of(&app, &kansli, "sodra-vatterbygden", &v).await;
    let text = pdftotext(&pdf);
    for figure in ["1 282 824", "551 324", "20 324"] {
        assert!(text.contains(figure), "{figure}");
    }
}

#[tokio::test]
async fn the_kansli_makes_minutes_from_the_meeting_page_in_the_browser() {
    let app = spawn_app().await;
    app.import_fixture("sodra-vatterbygden", "medlemssamrad-2024-02-23.json")
        .await;
    let (mut b, _) = app
        .browser_login("kansli@sodra-vatterbygden.example", PASSWORD)
        .await;
    let list = app
        .browse(&mut b, Method::GET, "/t/sodra-vatterbygden/moten", None)
        .await;
    let at = list
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| {
            h.starts_with("/t/sodra-vatterbygden/moten/")
                && h.rsplit('/').next().unwrap().parse::<i64>().is_ok()
        })
        .expect("a meeting link")
        .to_owned();
    let page = app.browse(&mut b, Method::GET, &at, None).await;
    assert!(page.body.contains("Skapa minnesanteckningar som PDF"));
    let csrf = csrf_from(&page.body).unwrap();
    let meeting_id = at.rsplit('/').next().unwrap().to_owned();
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/t/sodra-vatterbygden/dokument",
            Some(&[
                ("csrf_token", csrf.as_str()),
                ("kind", "minnesanteckningar"),
                ("meeting_id", meeting_id.as_str()),
            ]),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let version_page = a.location().unwrap().to_owned();
    let version: i64 = version_page.rsplit('/').next().unwrap().parse().unwrap();
    let kansli = app.token("kansli@sodra-vatterbygden.example").await;
    let v = finished(&app, &kansli, "sodra-vatterbygden", version).await;
    assert_eq!(v["status"], "ready", "{v}");
    let page = app.browse(&mut b, Method::GET, &version_page, None).await;
    assert!(
        page.body.contains("Visa dokumentet")
            && page.body.contains(v["pdf_sha256"].as_str().unwrap())
    );
    let pdf = app
        .browse(&mut b, Method::GET, &format!("{version_page}/pdf"), None)
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    let docs = app
        .browse(&mut b, Method::GET, "/t/sodra-vatterbygden/dokument", None)
        .await;
    assert!(docs.body.contains("Minnesanteckningar"));
    assert!(docs.body.contains("Klar"));
}

#[tokio::test]
async fn the_kansli_uploads_a_logo_that_is_checked_kept_and_put_on_new_documents() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let styrelse = app.token("styrelse@hoglandet.example").await;
    let put = |token: &str, body: &'static [u8]| {
        app.http
            .put(app.url("/api/v1/t/hoglandet/logo"))
            .bearer_auth(token)
            .header("content-type", "image/svg+xml")
            .body(body)
            .send()
    };
    assert_eq!(
        app.get("/api/v1/t/hoglandet/logo", Some(&styrelse))
            .await
            .status,
        StatusCode::NO_CONTENT,
        "no logo yet"
    );
    let svg: &'static [u8] = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 20"><rect width="60" height="20" fill="#0b3a5b"/></svg>"##;
    let bad: &'static [u8] = br#"<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.com/a.png"/></svg>"#;
    let r = put(&kansli, bad).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["path"], "file");
    assert_eq!(
        put(&styrelse, svg).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        put(&kansli, svg).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    let got = app
        .http
        .get(app.url("/api/v1/t/hoglandet/logo"))
        .bearer_auth(&styrelse)
        .send()
        .await
        .unwrap();
    assert_eq!(got.headers()["content-type"], "image/svg+xml");
    assert_eq!(got.bytes().await.unwrap().as_ref(), svg);

    // The förbund's organisationsnummer: checked, stored in its usual form.
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/hoglandet/profile",
            Some(&kansli),
            Some(json!({"orgnr": "222000-1718"})),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.json()["error"]["fields"][0]["path"], "orgnr");
    // Every wrong field is named at once, and nothing is saved.
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/hoglandet/profile",
            Some(&kansli),
            Some(json!({"orgnr": "2220001719", "mail_from_name": "Kansliet\r\nBcc: x@example.com", "mail_reply_to": "inte en adress"})),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = a.json();
    let paths: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["mail_from_name", "mail_reply_to"]);
    assert_eq!(
        app.get("/api/v1/t/hoglandet/profile", Some(&kansli))
            .await
            .json()["orgnr"],
        ""
    );
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/hoglandet/profile",
            Some(&kansli),
            Some(json!({"orgnr": "2220001719"})),
        )
        .await;
    assert_eq!(a.json()["orgnr"], "222000-1719");
    assert_eq!(
        app.get("/api/v1/t/hoglandet/profile", Some(&styrelse))
            .await
            .json()["orgnr"],
        "222000-1719"
    );

    // A new version carries it: the input names the logo by its hash.
    let v = rendered(
        &app,
        &kansli,
        "hoglandet",
        json!({"kind": "arsredovisning", "year": 2024}),
    )
    .await;
    assert_eq!(v["status"], "ready", "{v}");
    let pdf = pdf_of(&app, &kansli, "hoglandet", &v).await;
    assert!(
        pdftotext(&pdf).contains("222000-1719"),
        "the number on the pages"
    );
    let log = app
        .get("/api/v1/t/hoglandet/audit", Some(&kansli))
        .await
        .json();
    assert!(
        log["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "logo_saved")
    );
    let r = app
        .http
        .delete(app.url("/api/v1/t/hoglandet/logo"))
        .bearer_auth(&kansli)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/t/hoglandet/logo", Some(&styrelse))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let b = request(
        &app,
        &kansli,
        "hoglandet",
        json!({"kind": "arsredovisning", "year": 2024}),
    )
    .await;
    let w = finished(
        &app,
        &kansli,
        "hoglandet",
        b.json()["version_id"].as_i64().unwrap(),
    )
    .await;
    assert_ne!(
        w["input_sha256"], v["input_sha256"],
        "the logo is part of the input"
    );
    assert_ne!(w["pdf_sha256"], v["pdf_sha256"]);
}

/// The delårsrapport from the delår (the accounts per 30 June): rendered final when the delår holds
/// together, with the period's figures, and refused (draft only) when it does not.
#[tokio::test]
async fn a_delarsrapport_shows_the_delar_and_its_checks_are_the_delars() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let render = async |body: Value| {
        let a = request(&app, &kansli, "hoglandet", body).await;
        assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.body);
        finished(
            &app,
            &kansli,
            "hoglandet",
            a.json()["version_id"].as_i64().unwrap(),
        )
        .await
    };
    let v = render(json!({"kind": "delarsrapport", "year": 2024})).await;
    assert_eq!(v["status"], "ready", "{v}");
    let pdf = pdf_of(&app, &kansli, "hoglandet", &v).await;
    let text = pdftotext(&pdf);
    for figure in ["4 083 565", "−172 000", "2 194 262", "1 681 922", "−87 407"] {
        assert!(text.contains(figure), "{figure} in the text");
    }

    // A delår that does not balance (one krona more in the bank) stops the final report.
    let mut file = app
        .get("/api/v1/t/hoglandet/export?year=2024", Some(&kansli))
        .await
        .json();
    file["delar"]["kassa_och_bank_ore"] = json!(209_914_500);
    let a = app
        .request(
            Method::POST,
            "/api/v1/t/hoglandet/import",
            Some(&kansli),
            Some(file),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v = render(json!({"kind": "delarsrapport", "year": 2024})).await;
    assert_eq!(v["status"], "failed");
    let error = v["error"].as_str().unwrap();
    assert!(
        error.starts_with("Delårets kontroller stoppade dokumentet"),
        "{error}"
    );
    assert!(error.contains("Per 30 juni"), "{error}");
    // The årsredovisning still answers to the year's checks, which hold.
    let v = render(json!({"kind": "arsredovisning", "year": 2024})).await;
    assert_eq!(v["status"], "ready", "{v}");
    let v = render(json!({"kind": "delarsrapport", "year": 2024, "draft": true, "reason": "Till beredningsgruppen"})).await;
    assert_eq!(v["status"], "ready", "{v}");
    app.stop().await;
}

/// `/metrics`: requests by route and status, the render job by outcome and its time, the queues'
/// state; labels carry no förbund, person or token.
#[tokio::test]
async fn the_metrics_count_requests_render_jobs_and_the_queues() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let a = request(
        &app,
        &kansli,
        "hoglandet",
        json!({"kind": "arsredovisning", "year": 2024}),
    )
    .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.body);
    let v = finished(
        &app,
        &kansli,
        "hoglandet",
        a.json()["version_id"].as_i64().unwrap(),
    )
    .await;
    assert_eq!(v["status"], "ready");
    assert_eq!(
        app.get("/finns-inte", None).await.status,
        StatusCode::NOT_FOUND
    );

    let m = app.get("/metrics", None).await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(
        m.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = m.body;
    for want in [
        r#"finsam_http_requests_total{method="POST",route="/api/v1/t/{slug}/documents",status="202"} 1"#,
        r#"finsam_http_requests_total{method="GET",route="unmatched",status="404"} 1"#,
        r#"finsam_jobs_total{kind="render",outcome="ready"} 1"#,
        r#"finsam_render_seconds_count{document="arsredovisning"} 1"#,
        r#"finsam_document_versions{status="ready"} 1"#,
        "# TYPE finsam_http_request_duration_seconds histogram",
        "finsam_database_up 1",
    ] {
        assert!(text.contains(want), "{want} in:\n{text}");
    }
    for never in ["hoglandet", "kansli@", "Bearer"] {
        assert!(!text.contains(never), "{never} must not be in the metrics");
    }
    app.stop().await;
}

/// A rendering goes through the job queue: the PostgreSQL database's `apalis.jobs` (shared by every
/// process) on PostgreSQL, this process's `jobs.db` on SQLite; the job ends `Done`, once.
#[tokio::test]
async fn a_rendering_is_a_job_in_the_shared_queue_done_once() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let a = request(
        &app,
        &kansli,
        "hoglandet",
        json!({"kind": "arsredovisning", "year": 2024}),
    )
    .await;
    let id = a.json()["version_id"].as_i64().unwrap();
    assert_eq!(
        finished(&app, &kansli, "hoglandet", id).await["status"],
        "ready"
    );
    let queue = finsam_jobs::render::RENDER_QUEUE;
    let (db, sql) = if finsam_testkit::backend() == "postgres" {
        (
            app.db.connection().clone(),
            format!("SELECT status FROM apalis.jobs WHERE job_type = '{queue}'"),
        )
    } else {
        let url = format!(
            "sqlite://{}?mode=ro",
            app.cfg.data_dir.join("jobs.db").display()
        );
        (
            finsam_db::connect(&url).await.unwrap(),
            format!("SELECT status FROM Jobs WHERE job_type = '{queue}'"),
        )
    };
    let mut statuses = Vec::new();
    for _ in 0..100 {
        statuses = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                sql.clone(),
            ))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get_by_index::<String>(0).unwrap())
            .collect::<Vec<_>>();
        if statuses == ["Done"] {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(statuses, ["Done"], "one job, done");
    app.stop().await;
}
