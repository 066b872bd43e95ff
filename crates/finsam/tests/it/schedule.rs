//! The yearly cycle (årshjul), with a controllable clock: `Scheduler::tick` is called directly with
//! chosen times, and a fresh scheduler is built for each call, as after a restart. Each (förbund,
//! document, year) runs once across repeated ticks, restarts and concurrent ticks; a run missed while the
//! server was down happens once when it comes back; missing data gives a notice instead of a version.

use chrono::{DateTime, TimeZone, Utc};
use finsam_db::entities::tenant;
use finsam_db::repo::{documents, outbox, schedule as repo, tenants};
use finsam_jobs::schedule::{ScheduleKind, Scheduler, natural_year, stockholm_date};
use finsam_testkit::{TestApp, csrf_from, spawn_app};
use reqwest::{Method, StatusCode};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

/// A scheduler as a (re)started process builds it. Without a queue: the app's sweeper renders.
fn scheduler(app: &TestApp) -> Scheduler {
    Scheduler {
        db: app.db.clone(),
        queue: None,
        base_url: app.base.clone(),
        mail_kick: None,
        signing: None,
    }
}

/// A scheduler that also starts the signing of what it rendered, as `finsam serve` and `worker` build it,
/// with the render queue the app's worker takes jobs from.
async fn scheduler_with_signing(app: &TestApp) -> Scheduler {
    let queue =
        finsam_jobs::render::RenderQueue::for_database(&app.db, &app.cfg.data_dir.join("jobs.db"))
            .await
            .unwrap();
    Scheduler {
        queue: Some(queue),
        signing: Some(finsam_jobs::signing::Signing {
            db: app.db.clone(),
            storage: finsam::app::storage(&app.cfg).unwrap(),
            base_url: app.base.clone(),
            mail_kick: Default::default(),
            render_queue: None,
            attach_limit: app.cfg.mail_attach_limit,
        }),
        ..scheduler(app)
    }
}

/// The demo förbund are created now; the controlled clock runs in 2025, so say they existed before.
async fn existed_since_2020(app: &TestApp, slug: &str) -> i64 {
    tenant::Entity::update_many()
        .col_expr(tenant::Column::CreatedAt, Expr::value(at(2020, 1, 1, 0)))
        .filter(tenant::Column::Slug.eq(slug))
        .exec(app.db.platform())
        .await
        .unwrap();
    tenants::by_slug(app.db.platform(), slug)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The runs a tick made in one förbund, as (kind, year, outcome).
fn made_in(runs: &[repo::Run], tenant_id: i64) -> Vec<(String, i32, String)> {
    runs.iter()
        .filter(|r| r.tenant_id == tenant_id)
        .map(|r| (r.kind.clone(), r.year, r.outcome.clone()))
        .collect()
}

/// The versions of one document (kind, year) of a förbund.
async fn versions_of(
    app: &TestApp,
    tenant_id: i64,
    kind: &str,
    year: i32,
) -> Vec<documents::Version> {
    let docs = documents::list(&app.db.tenant(tenant_id), tenant_id)
        .await
        .unwrap();
    let Some(d) = docs.iter().find(|d| d.kind == kind && d.year == Some(year)) else {
        return vec![];
    };
    documents::versions(&app.db.tenant(tenant_id), tenant_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|v| v.document_id == d.id)
        .collect()
}

/// The schedule's notices about (kind, year) queued for `to`. (The running app ticks on the real clock
/// beside these tests, and a förbund said to exist since 2020 may get this autumn's verksamhetsplan
/// from it: so count only the document asked about.)
async fn notices_to(app: &TestApp, to: &str, kind: &str, year: i32) -> Vec<outbox::OutboxMessage> {
    let part = format!(":{kind}:{year}:");
    outbox::list_all(&app.db.all_tenants())
        .await
        .unwrap()
        .into_iter()
        .filter(|m| {
            m.recipient == to
                && m.idempotency_key.starts_with("schedule:")
                && m.idempotency_key.contains(&part)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_annual_report_is_queued_once_across_ticks_restarts_and_concurrent_ticks() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let t = existed_since_2020(&app, "hoglandet").await;

    // The day before: nothing.
    let made = scheduler(&app).tick(at(2025, 1, 31, 12)).await.unwrap();
    assert!(made_in(&made, t).is_empty(), "{made:?}");

    // 1 February, 07:00 in Stockholm: three processes tick at the same moment.
    let ticks: Vec<_> = (0..3)
        .map(|_| {
            let s = scheduler(&app);
            tokio::spawn(async move { s.tick(at(2025, 2, 1, 6)).await })
        })
        .collect();
    let mut made = Vec::new();
    for t in ticks {
        made.extend(t.await.unwrap().unwrap());
    }
    assert_eq!(
        made_in(&made, t),
        [("arsredovisning".to_owned(), 2024, "rendered".to_owned())],
        "one of the three made it"
    );
    let run = made.iter().find(|r| r.tenant_id == t).unwrap().clone();
    assert_eq!(run.trigger, "schedule");
    assert_eq!(run.due_on, chrono::NaiveDate::from_ymd_opt(2025, 3, 31));
    assert!(
        run.detail.as_deref().unwrap().contains("31 mars 2025"),
        "{run:?}"
    );

    // Ticks later that day and weeks later, each from a restarted process: nothing more.
    for now in [
        at(2025, 2, 1, 7),
        at(2025, 2, 1, 23),
        at(2025, 2, 15, 9),
        at(2025, 3, 30, 9),
    ] {
        let made = scheduler(&app).tick(now).await.unwrap();
        assert!(made_in(&made, t).is_empty(), "{now}: {made:?}");
    }

    // One version, the one the run names, final (not a draft).
    let versions = versions_of(&app, t, "arsredovisning", 2024).await;
    assert_eq!(versions.len(), 1);
    assert_eq!(Some(versions[0].id), run.version_id);
    assert!(!versions[0].draft);
    // One notice to the kansli.
    let notices = notices_to(&app, "kansli@hoglandet.example", "arsredovisning", 2024).await;
    let annual: Vec<_> = notices
        .iter()
        .filter(|m| m.subject == "Årsredovisningen 2024 är skapad")
        .collect();
    assert_eq!(annual.len(), 1, "{notices:?}");
    assert!(
        annual[0]
            .body_text
            .contains("underskriven senast 31 mars 2025")
    );
    assert!(annual[0].body_text.contains(&format!(
        "/t/hoglandet/dokument/versioner/{}",
        versions[0].id
    )));

    // The board reads it over the API.
    let styrelse = app.token("styrelse@hoglandet.example").await;
    let s = app
        .get("/api/v1/t/hoglandet/schedule", Some(&styrelse))
        .await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    let s = s.json();
    let r = s["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "arsredovisning" && r["year"] == 2024)
        .unwrap()
        .clone();
    assert_eq!(r["outcome"], "rendered");
    assert_eq!(r["version_id"], json!(versions[0].id));
    assert_eq!(r["due_on"], "2025-03-31");
    assert_eq!(s["reminders"], "Påminnelser om underskrift: varje dag");
    app.stop().await;
}

#[tokio::test]
async fn a_run_missed_while_the_server_was_down_happens_once_when_it_comes_back() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let t = existed_since_2020(&app, "hoglandet").await;

    assert!(made_in(&scheduler(&app).tick(at(2025, 1, 31, 9)).await.unwrap(), t).is_empty());
    // Down from 31 January to 10 February.
    let made = scheduler(&app).tick(at(2025, 2, 10, 9)).await.unwrap();
    assert_eq!(
        made_in(&made, t),
        [("arsredovisning".to_owned(), 2024, "rendered".to_owned())]
    );
    let made = scheduler(&app).tick(at(2025, 2, 11, 9)).await.unwrap();
    assert!(made_in(&made, t).is_empty());
    assert_eq!(versions_of(&app, t, "arsredovisning", 2024).await.len(), 1);

    // Down for longer than the catch-up window (60 days): the cycle is over, nothing is made up.
    let s = existed_since_2020(&app, "sodra-vatterbygden").await;
    let made = scheduler(&app).tick(at(2025, 4, 10, 9)).await.unwrap();
    assert!(made_in(&made, s).is_empty(), "{made:?}");
    assert!(
        repo::run_for(app.db.platform(), s, "arsredovisning", 2024)
            .await
            .unwrap()
            .is_none()
    );
    app.stop().await;
}

#[tokio::test]
async fn a_year_with_missing_data_gets_a_notice_to_the_kansli_and_no_version() {
    let app = spawn_app().await;
    // Finnveden has no accounts for 2024.
    let t = existed_since_2020(&app, "finnveden").await;
    let made = scheduler(&app).tick(at(2025, 2, 1, 9)).await.unwrap();
    let run = made.iter().find(|r| r.tenant_id == t).unwrap().clone();
    assert_eq!(
        (run.kind.as_str(), run.year, run.outcome.as_str()),
        ("arsredovisning", 2024, "missing_data")
    );
    assert_eq!(run.version_id, None);
    let detail = run.detail.clone().unwrap();
    assert!(
        detail.contains(finsam_core::finance::checks::ACCOUNTS_MISSING),
        "{detail}"
    );
    assert!(
        versions_of(&app, t, "arsredovisning", 2024)
            .await
            .is_empty()
    );

    // Every kansli account of the förbund is told what is missing, once.
    for to in ["kansli@finnveden.example", "forbundschef@finsam.example"] {
        let n = notices_to(&app, to, "arsredovisning", 2024).await;
        assert_eq!(n.len(), 1, "{to}: {n:?}");
        assert_eq!(n[0].subject, "Årsredovisningen 2024 kan inte skapas än");
        assert!(
            n[0].body_text
                .contains(finsam_core::finance::checks::ACCOUNTS_MISSING)
        );
        assert!(
            n[0].body_text.contains("/t/finnveden/ar/2024"),
            "{}",
            n[0].body_text
        );
        assert!(n[0].body_html.contains("Räkenskaperna för året saknas."));
    }
    assert!(
        notices_to(&app, "styrelse@finnveden.example", "arsredovisning", 2024)
            .await
            .is_empty()
    );
    // Ticking again tells nobody twice.
    scheduler(&app).tick(at(2025, 2, 2, 9)).await.unwrap();
    assert_eq!(
        notices_to(&app, "kansli@finnveden.example", "arsredovisning", 2024)
            .await
            .len(),
        1
    );

    // "Kör nu" may run it again (it made no version); still missing: the same outcome, no e-mail.
    let kansli = app.token("kansli@finnveden.example").await;
    let a = app
        .post_json(
            "/api/v1/t/finnveden/schedule/runs",
            Some(&kansli),
            json!({"kind": "arsredovisning", "year": 2024}),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.body);
    assert_eq!(a.json()["outcome"], "missing_data");
    assert_eq!(a.json()["attempts"], 2);
    assert_eq!(a.json()["trigger"], "manual");
    assert_eq!(
        notices_to(&app, "kansli@finnveden.example", "arsredovisning", 2024)
            .await
            .len(),
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn the_delarsrapport_is_skipped_where_it_is_not_required() {
    let app = spawn_app().await;
    let h = existed_since_2020(&app, "hoglandet").await;
    let f = existed_since_2020(&app, "finnveden").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let mut settings = app
        .get("/api/v1/t/hoglandet/years/2025/settings", Some(&kansli))
        .await
        .json();
    settings["delarsrapport_required"] = json!(false);
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/hoglandet/years/2025/settings",
            Some(&kansli),
            Some(settings),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);

    let made = scheduler(&app).tick(at(2025, 8, 1, 9)).await.unwrap();
    assert_eq!(
        made_in(&made, h),
        [(
            "delarsrapport".to_owned(),
            2025,
            "skipped_not_required".to_owned()
        )]
    );
    let run = made.iter().find(|r| r.tenant_id == h).unwrap();
    assert!(
        run.detail
            .as_deref()
            .unwrap()
            .contains("ingen delårsrapport")
    );
    assert!(
        notices_to(&app, "kansli@hoglandet.example", "delarsrapport", 2025)
            .await
            .is_empty()
    );
    assert!(versions_of(&app, h, "delarsrapport", 2025).await.is_empty());
    // Finnveden requires one (the default) but has no delår: missing data, named as the renderer names it.
    assert_eq!(
        made_in(&made, f),
        [("delarsrapport".to_owned(), 2025, "missing_data".to_owned())]
    );
    let run = made.iter().find(|r| r.tenant_id == f).unwrap();
    assert!(
        run.detail
            .as_deref()
            .unwrap()
            .contains(finsam_core::finance::checks::DELAR_MISSING)
    );
    app.stop().await;
}

/// Waits for the render worker to finish a version.
async fn finished(app: &TestApp, tenant_id: i64, id: i64) -> documents::Version {
    for _ in 0..600 {
        let v = documents::version(&app.db.tenant(tenant_id), tenant_id, id)
            .await
            .unwrap()
            .unwrap();
        if v.status == "ready" || v.status == "failed" {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("version {id} did not finish in 2 minutes");
}

#[tokio::test]
async fn the_verksamhetsplan_is_a_draft_for_the_styrelse_with_a_notice_of_the_decision_date() {
    let app = spawn_app().await;
    app.import_fixture("sodra-vatterbygden", "sodra-vatterbygden-2024.json")
        .await;
    let t = existed_since_2020(&app, "sodra-vatterbygden").await;
    // A scheduler that pushes to the app's render queue, as the running app's does.
    let mut s = scheduler(&app);
    s.queue = Some(
        finsam_jobs::render::RenderQueue::for_database(&app.db, &app.cfg.data_dir.join("jobs.db"))
            .await
            .unwrap(),
    );
    // 1 October 2023: the plan for 2024 (whose budget the fixture holds).
    let made = s.tick(at(2023, 10, 1, 9)).await.unwrap();
    assert_eq!(
        made_in(&made, t),
        [("verksamhetsplan".to_owned(), 2024, "rendered".to_owned())]
    );
    let run = made.iter().find(|r| r.tenant_id == t).unwrap();
    assert!(
        run.detail
            .as_deref()
            .unwrap()
            .contains("Styrelsens beslut senast 30 november 2023"),
        "{run:?}"
    );
    let v = finished(&app, t, run.version_id.unwrap()).await;
    assert_eq!(v.status, "ready", "{v:?}");
    assert!(v.draft);
    assert_eq!(v.draft_reason.as_deref(), Some("Förslag till styrelsen"));

    let n = notices_to(
        &app,
        "kansli@sodra-vatterbygden.example",
        "verksamhetsplan",
        2024,
    )
    .await;
    assert_eq!(n.len(), 1, "{n:?}");
    assert_eq!(n[0].subject, "Förslag till verksamhetsplan 2024");
    assert!(
        n[0].body_text
            .contains("Styrelsen ska besluta verksamhetsplanen senast 30 november 2023."),
        "{}",
        n[0].body_text
    );

    // A year without a budget is still drafted, and the notice says the budget is missing.
    let made = scheduler(&app).tick(at(2025, 10, 1, 9)).await.unwrap();
    let run = made.iter().find(|r| r.tenant_id == t).unwrap();
    assert_eq!((run.year, run.outcome.as_str()), (2026, "rendered"));
    assert!(
        run.detail
            .as_deref()
            .unwrap()
            .contains("Budgeten för 2026 är inte inlagd ännu.")
    );
    app.stop().await;
}

#[tokio::test]
async fn editing_the_dates_moves_the_run_and_bad_dates_are_named_in_swedish() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let t = existed_since_2020(&app, "hoglandet").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let styrelse = app.token("styrelse@hoglandet.example").await;

    // The defaults, made on first read.
    let s = app
        .get("/api/v1/t/hoglandet/schedule", Some(&kansli))
        .await
        .json();
    let entries: Vec<(String, String, Option<String>)> = s["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_owned(),
                e["date"].as_str().unwrap().to_owned(),
                e["due"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            (
                "arsredovisning".into(),
                "1 februari".into(),
                Some("31 mars".into())
            ),
            ("delarsrapport".into(), "1 augusti".into(), None),
            (
                "verksamhetsplan".into(),
                "1 oktober".into(),
                Some("30 november".into())
            ),
        ]
    );

    // 31 February does not exist; half a deadline is not one; an unknown kind is named.
    let put = |body: Value, token: String| {
        let app = &app;
        async move {
            app.request(
                Method::PUT,
                "/api/v1/t/hoglandet/schedule",
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    let a = put(
        json!({"entries": [
            {"kind": "arsredovisning", "month": 2, "day": 31, "enabled": true, "due_month": 4, "due_day": 15},
            {"kind": "verksamhetsplan", "month": 10, "day": 1, "enabled": true, "due_month": 11},
            {"kind": "budgetbrev", "month": 1, "day": 1, "enabled": true}
        ]}),
        kansli.clone(),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    let fields: Vec<(String, String)> = a.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(fields.len(), 3, "{fields:?}");
    assert_eq!(fields[0].0, "entries[0].day");
    assert!(
        fields[0].1.contains("31 februari finns inte"),
        "{}",
        fields[0].1
    );
    assert_eq!(fields[1].0, "entries[1].due_day");
    assert_eq!(fields[2].0, "entries[2].kind");
    // The board may read, not change.
    let a = put(json!({"entries": []}), styrelse.clone()).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);

    // Move the årsredovisning to 15 February, signing by 15 April.
    let a = put(
        json!({"entries": [
            {"kind": "arsredovisning", "month": 2, "day": 15, "enabled": true, "due_month": 4, "due_day": 15}
        ]}),
        kansli.clone(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["entries"][0]["date"], "15 februari");
    assert_eq!(
        a.json()["entries"][1]["date"],
        "1 augusti",
        "left as it was"
    );

    let made = scheduler(&app).tick(at(2025, 2, 1, 9)).await.unwrap();
    assert!(made_in(&made, t).is_empty(), "{made:?}");
    let made = scheduler(&app).tick(at(2025, 2, 15, 9)).await.unwrap();
    let run = made.iter().find(|r| r.tenant_id == t).unwrap();
    assert_eq!((run.kind.as_str(), run.year), ("arsredovisning", 2024));
    assert_eq!(run.due_on, chrono::NaiveDate::from_ymd_opt(2025, 4, 15));

    // Turned off, it does not run.
    let a = put(
        json!({"entries": [{"kind": "delarsrapport", "month": 8, "day": 1, "enabled": false}]}),
        kansli.clone(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    let made = scheduler(&app).tick(at(2025, 8, 1, 9)).await.unwrap();
    assert!(made_in(&made, t).is_empty(), "{made:?}");

    // Each change is in the audit log.
    let log = app
        .get("/api/v1/t/hoglandet/audit", Some(&kansli))
        .await
        .json();
    let saved = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "schedule_saved")
        .count();
    assert_eq!(saved, 2, "{log}");
    app.stop().await;
}

#[tokio::test]
async fn run_now_runs_once_the_second_time_answers_409_and_permissions_hold() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let t = tenants::by_slug(app.db.platform(), "hoglandet")
        .await
        .unwrap()
        .unwrap()
        .id;
    let kansli = app.token("kansli@hoglandet.example").await;
    let styrelse = app.token("styrelse@hoglandet.example").await;
    let beredning = app.token("beredning@hoglandet.example").await;
    let coach = app.token("coach@hoglandet.example").await;
    let path = "/api/v1/t/hoglandet/schedule/runs";

    let a = app
        .post_json(
            path,
            Some(&kansli),
            json!({"kind": "arsredovisning", "year": 2024}),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.body);
    let first = a.json();
    assert_eq!(first["outcome"], "rendered");
    assert_eq!(first["trigger"], "manual");
    assert_eq!(first["due_on"], "2025-03-31", "the cycle's deadline");
    let version = first["version_id"].as_i64().unwrap();

    let a = app
        .post_json(
            path,
            Some(&kansli),
            json!({"kind": "arsredovisning", "year": 2024}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
    let b = a.json();
    assert_eq!(b["error"]["code"], "conflict");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Årsredovisning 2024 har redan körts"),
        "{b}"
    );
    assert_eq!(b["run"]["id"], first["id"]);
    assert_eq!(b["run"]["version_id"], json!(version));
    assert_eq!(versions_of(&app, t, "arsredovisning", 2024).await.len(), 1);
    // A manual run is not e-mailed (the kansli asked and got the answer).
    assert!(
        notices_to(&app, "kansli@hoglandet.example", "arsredovisning", 2024)
            .await
            .is_empty()
    );
    // And the schedule, later, does not run it either.
    let made = scheduler(&app).tick(Utc::now()).await.unwrap();
    assert!(
        !made_in(&made, t)
            .iter()
            .any(|(k, y, _)| k == "arsredovisning" && *y == 2024)
    );

    // The year defaults to the natural one.
    let a = app
        .post_json(path, Some(&kansli), json!({"kind": "delarsrapport"}))
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.body);
    assert_eq!(
        a.json()["year"],
        natural_year(ScheduleKind::Delarsrapport, stockholm_date(Utc::now()))
    );

    // Bad requests name the field.
    for (body, field) in [
        (json!({"kind": "budgetbrev", "year": 2024}), "kind"),
        (json!({"kind": "arsredovisning", "year": 1800}), "year"),
    ] {
        let a = app.post_json(path, Some(&kansli), body.clone()).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(a.json()["error"]["fields"][0]["path"], field, "{body}");
    }

    // Who may do what.
    let a = app
        .post_json(
            path,
            Some(&styrelse),
            json!({"kind": "arsredovisning", "year": 2023}),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    for token in [&styrelse, &beredning] {
        let a = app.get("/api/v1/t/hoglandet/schedule", Some(token)).await;
        assert_eq!(a.status, StatusCode::OK);
    }
    let a = app.get("/api/v1/t/hoglandet/schedule", Some(&coach)).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = app.get("/api/v1/t/finnveden/schedule", Some(&kansli)).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);

    // The manual runs are in the audit log; the refused one is not.
    let log = app
        .get("/api/v1/t/hoglandet/audit", Some(&kansli))
        .await
        .json();
    let runs = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "schedule_run")
        .count();
    assert_eq!(runs, 2, "{log}");
    app.stop().await;
}

#[tokio::test]
async fn the_page_shows_the_schedule_edits_it_and_runs_now() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let page = "/t/hoglandet/arshjul";

    // The board sees the schedule but no forms; a coach sees nothing.
    let (mut b, _) = app
        .browser_login("styrelse@hoglandet.example", finsam_testkit::PASSWORD)
        .await;
    let a = app.browse(&mut b, Method::GET, page, None).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("Årsredovisning"), "{}", a.body);
    assert!(a.body.contains("1 februari (förra årets)"), "{}", a.body);
    assert!(a.body.contains("Underskrift senast 31 mars"));
    assert!(a.body.contains("Påminnelser om underskrift"));
    assert!(!a.body.contains("Spara årshjulet"));
    assert!(!a.body.contains("Kör nu</button>") && !a.body.contains("arshjul/kor"));
    let (mut c, _) = app
        .browser_login("coach@hoglandet.example", finsam_testkit::PASSWORD)
        .await;
    assert_eq!(
        app.browse(&mut c, Method::GET, page, None).await.status,
        StatusCode::FORBIDDEN
    );

    let (mut k, _) = app
        .browser_login("kansli@hoglandet.example", finsam_testkit::PASSWORD)
        .await;
    let a = app.browse(&mut k, Method::GET, page, None).await;
    assert!(a.body.contains("Spara årshjulet"));
    let csrf = csrf_from(&a.body).unwrap();
    let mut fields = finsam_testkit::form_fields(&a.body, page);
    for f in fields.iter_mut() {
        if f.0 == "arsredovisning_day" {
            f.1 = "31".into();
        }
    }
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let a = app.browse(&mut k, Method::POST, page, Some(&form)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("31 februari finns inte"), "{}", a.body);
    assert!(a.body.contains("href=\"#arsredovisning_day\""));
    assert!(
        a.body
            .contains("aria-invalid=\"true\" aria-describedby=\"arsredovisning_day-error\"")
    );
    assert!(a.body.contains("value=\"31\""), "what was typed is kept");

    for f in fields.iter_mut() {
        if f.0 == "arsredovisning_day" {
            f.1 = "3".into();
        }
    }
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let a = app.browse(&mut k, Method::POST, page, Some(&form)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let a = app
        .browse(&mut k, Method::GET, a.location().unwrap(), None)
        .await;
    assert!(a.body.contains("Årshjulet är sparat."));
    assert!(a.body.contains("3 februari (förra årets)"));

    // Kör nu, twice.
    let run = [
        ("csrf_token", csrf.as_str()),
        ("kind", "arsredovisning"),
        ("year", "2024"),
    ];
    let a = app
        .browse(&mut k, Method::POST, "/t/hoglandet/arshjul/kor", Some(&run))
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let a = app
        .browse(&mut k, Method::GET, a.location().unwrap(), None)
        .await;
    assert!(
        a.body.contains("Årsredovisningen för 2024 är beställd."),
        "{}",
        a.body
    );
    assert!(a.body.contains("/t/hoglandet/dokument/versioner/"));
    let a = app
        .browse(&mut k, Method::POST, "/t/hoglandet/arshjul/kor", Some(&run))
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert!(a.body.contains("har redan körts"), "{}", a.body);
    assert!(a.body.contains("role=\"alert\""));
    assert!(a.body.contains("Se dokumentet"));

    // A year that is not one is named on the form.
    let bad = [
        ("csrf_token", csrf.as_str()),
        ("kind", "verksamhetsplan"),
        ("year", "nästa"),
    ];
    let a = app
        .browse(&mut k, Method::POST, "/t/hoglandet/arshjul/kor", Some(&bad))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("href=\"#verksamhetsplan_year\""));
    assert!(a.body.contains("value=\"nästa\""));
    app.stop().await;
}

#[tokio::test]
async fn the_running_scheduler_ticks_at_start() {
    let app = spawn_app().await;
    let t = tenants::by_slug(app.db.platform(), "finnveden")
        .await
        .unwrap()
        .unwrap()
        .id;
    // The delårsrapport's day is today: the förbund existed today, so the tick at start makes it.
    let today = stockholm_date(Utc::now());
    use chrono::Datelike;
    finsam_jobs::schedule::entries(&app.db.tenant(t), t)
        .await
        .unwrap();
    repo::save_entry(
        &app.db.tenant(t),
        t,
        &repo::EntryValues {
            kind: "delarsrapport",
            month: today.month() as i32,
            day: today.day() as i32,
            enabled: true,
            due: None,
        },
        None,
    )
    .await
    .unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(scheduler(&app).run(async move {
        let _ = rx.await;
    }));
    let mut run = None;
    for _ in 0..100 {
        run = repo::run_for(&app.db.tenant(t), t, "delarsrapport", today.year())
            .await
            .unwrap();
        if run.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let _ = tx.send(());
    running.await.unwrap();
    let run = run.expect("the tick at start made the run");
    assert_eq!(run.outcome, "missing_data");
    assert_eq!(run.trigger, "schedule");
    app.stop().await;
}

/// Imports Höglandet 2024 with an e-mail address for every person (the fixture has none).
async fn import_hoglandet_with_addresses(app: &TestApp) {
    let (_, _, json) = finsam::demo::FIXTURES
        .iter()
        .find(|(s, n, _)| *s == "hoglandet" && *n == "hoglandet-2024.json")
        .unwrap();
    let mut file: Value = serde_json::from_str(json).unwrap();
    for p in file["people"].as_array_mut().unwrap() {
        let key = p["key"].as_str().unwrap().to_owned();
        p["email"] = json!(format!("{key}@hoglandet.example"));
    }
    let kansli = app.token("kansli@hoglandet.example").await;
    let a = app
        .request(
            Method::POST,
            "/api/v1/t/hoglandet/import",
            Some(&kansli),
            Some(file),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
}

#[tokio::test]
async fn the_annual_report_goes_out_for_signing_by_itself_once_it_is_ready() {
    let app = spawn_app().await;
    import_hoglandet_with_addresses(&app).await;
    let t = existed_since_2020(&app, "hoglandet").await;

    // 1 February: the run renders the årsredovisning.
    let made = scheduler_with_signing(&app)
        .await
        .tick(at(2025, 2, 1, 6))
        .await
        .unwrap();
    let run = made.iter().find(|r| r.tenant_id == t).unwrap().clone();
    let version_id = run.version_id.unwrap();
    let v = finished(&app, t, version_id).await;
    assert_eq!(v.status, "ready", "{v:?}");

    // The next ticks, from three processes at once and again later: one round, with the board at
    // year end as signers and the schedule's date as the deadline.
    let mut ticks = Vec::new();
    for _ in 0..3 {
        let s = scheduler_with_signing(&app).await;
        ticks.push(tokio::spawn(async move { s.tick(at(2025, 2, 1, 7)).await }));
    }
    for t in ticks {
        t.await.unwrap().unwrap();
    }
    scheduler_with_signing(&app)
        .await
        .tick(at(2025, 2, 2, 7))
        .await
        .unwrap();
    let rounds = finsam_db::repo::signing::for_version(&app.db.tenant(t), t, version_id)
        .await
        .unwrap();
    assert_eq!(rounds.len(), 1, "{rounds:?}");
    let round = finsam_jobs::signing::parse_state(&rounds[0]).unwrap();
    assert_eq!(
        round.deadline,
        chrono::NaiveDate::from_ymd_opt(2025, 3, 31).unwrap()
    );
    let signers: Vec<&str> = round.signers.iter().map(|s| s.name.as_str()).collect();
    assert!(signers.contains(&"Sebastian Hörlin"), "{signers:?}");
    assert!(
        !signers.contains(&"Marie-Louise Gunnarsson"),
        "an ersättare does not sign: {signers:?}"
    );
    assert!(
        round
            .message
            .as_deref()
            .unwrap()
            .contains("senast 31 mars 2025")
    );
    let run = repo::run_for(&app.db.tenant(t), t, "arsredovisning", 2024)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(run.signing_round_id, Some(rounds[0].id));
    // Each signer's invitation is queued once.
    let invitations =
        outbox::with_key_prefix(&app.db.tenant(t), t, &format!("sign:{}:", rounds[0].id))
            .await
            .unwrap();
    let invited: std::collections::HashSet<&str> = invitations
        .iter()
        .filter(|m| m.subject.starts_with("Underskrift begärs"))
        .map(|m| m.recipient.as_str())
        .collect();
    assert_eq!(invited.len(), round.signers.len());
    assert_eq!(
        invitations
            .iter()
            .filter(|m| m.subject.starts_with("Underskrift begärs"))
            .count(),
        round.signers.len()
    );
    app.stop().await;
}

#[tokio::test]
async fn a_signing_that_cannot_start_is_told_to_the_kansli_once() {
    let app = spawn_app().await;
    // The fixture's board has no e-mail addresses: nobody can be asked to sign.
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let t = existed_since_2020(&app, "hoglandet").await;
    let made = scheduler_with_signing(&app)
        .await
        .tick(at(2025, 2, 1, 6))
        .await
        .unwrap();
    let version_id = made
        .iter()
        .find(|r| r.tenant_id == t)
        .unwrap()
        .version_id
        .unwrap();
    finished(&app, t, version_id).await;
    for now in [at(2025, 2, 1, 7), at(2025, 2, 1, 8), at(2025, 2, 3, 8)] {
        scheduler_with_signing(&app).await.tick(now).await.unwrap();
    }
    assert!(
        finsam_db::repo::signing::for_version(&app.db.tenant(t), t, version_id)
            .await
            .unwrap()
            .is_empty()
    );
    let run = repo::run_for(&app.db.tenant(t), t, "arsredovisning", 2024)
        .await
        .unwrap()
        .unwrap();
    let note = run.signing_note.expect("why it could not start");
    assert!(note.contains("e-post"), "{note}");
    let notices: Vec<_> = outbox::with_key_prefix(&app.db.tenant(t), t, "schedule-signing:")
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.recipient == "kansli@hoglandet.example")
        .collect();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(
        notices[0].subject,
        "Underskriften av årsredovisningen 2024 kunde inte startas"
    );
    assert!(notices[0].body_text.contains(&note));
    // The kansli adds the addresses and starts it by hand from the document (the signing tests).
    app.stop().await;
}
