//! The coach's report: a coach reports only for their own insats; the kansli approves or returns it;
//! counts only, and no personnummer in any text.

use finsam_testkit::{TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn insats_id(app: &TestApp, token: &str, name: &str) -> i64 {
    let all = app
        .get("/api/v1/t/hoglandet/insatser", Some(token))
        .await
        .json();
    all["insatser"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == name)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn report(insats_id: i64, submit: bool) -> Value {
    json!({
        "insats_id": insats_id, "year": 2024, "period": "helar", "submit": submit,
        "participants": {"kvinnor": 95, "man": 125},
        "new_participants": {"kvinnor": 30, "man": 41},
        "ended": {"arbete": {"kvinnor": 17, "man": 23}, "studier": {"kvinnor": 2}, "annat_skal": {"kvinnor": 13, "man": 19}},
        "efterstod": {"kvinnor": 21, "man": 25},
        "answers": {"coaches": "Tre coacher", "framgangsfaktorer": "Tät kontakt med arbetsgivare"}
    })
}

#[tokio::test]
async fn a_coach_reports_for_their_own_insats_and_the_kansli_approves() {
    let app = spawn_app().await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let coach = app.token("coach@hoglandet.example").await;
    let se = insats_id(&app, &kansli, "SE-Höglandet").await;
    let other = insats_id(&app, &kansli, "Uppdrag Samverkan").await;

    // Not their insats: as if it did not exist.
    let a = app
        .post_json(
            "/api/v1/t/hoglandet/coach-reports",
            Some(&coach),
            report(other, false),
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    // The board reads but does not report.
    let styrelse = app.token("styrelse@hoglandet.example").await;
    assert_eq!(
        app.post_json(
            "/api/v1/t/hoglandet/coach-reports",
            Some(&styrelse),
            report(se, false)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // A draft, then changed, then submitted.
    let a = app
        .post_json(
            "/api/v1/t/hoglandet/coach-reports",
            Some(&coach),
            report(se, false),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let id = a.json()["id"].as_i64().unwrap();
    assert_eq!(a.json()["status"], "draft");
    let a = app
        .post_json(
            "/api/v1/t/hoglandet/coach-reports",
            Some(&coach),
            report(se, true),
        )
        .await;
    assert_eq!(
        (
            a.json()["id"].as_i64().unwrap(),
            a.json()["status"].as_str().unwrap()
        ),
        (id, "submitted")
    );
    // Submitted: no more changes.
    let a = app
        .post_json(
            "/api/v1/t/hoglandet/coach-reports",
            Some(&coach),
            report(se, true),
        )
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    // A coach cannot decide.
    let a = app
        .post_json(
            &format!("/api/v1/t/hoglandet/coach-reports/{id}/decision"),
            Some(&coach),
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);

    // Returned without a reason: refused; with one: returned, and the coach may change it again.
    let decide = |body: Value| {
        let app = &app;
        let kansli = kansli.clone();
        async move {
            app.post_json(
                &format!("/api/v1/t/hoglandet/coach-reports/{id}/decision"),
                Some(&kansli),
                body,
            )
            .await
        }
    };
    let a = decide(json!({"decision": "return"})).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.json()["error"]["fields"][0]["path"], "comment");
    let a = decide(
        json!({"decision": "return", "comment": "Antalet nya stämmer inte med förra rapporten."}),
    )
    .await;
    assert_eq!(a.json()["status"], "returned");
    let got = app
        .get(
            &format!("/api/v1/t/hoglandet/coach-reports/{id}"),
            Some(&coach),
        )
        .await
        .json();
    assert_eq!(
        got["report"]["return_comment"],
        "Antalet nya stämmer inte med förra rapporten."
    );
    let a = app
        .post_json(
            "/api/v1/t/hoglandet/coach-reports",
            Some(&coach),
            report(se, true),
        )
        .await;
    assert_eq!(a.json()["status"], "submitted");
    let a = decide(json!({"decision": "approve"})).await;
    assert_eq!(a.json()["status"], "approved");
    assert_eq!(
        decide(json!({"decision": "approve"})).await.status,
        StatusCode::CONFLICT,
        "decided once"
    );

    // The approved counts are part of the year.
    let year = app
        .get("/api/v1/t/hoglandet/export?year=2024", Some(&kansli))
        .await
        .json();
    let r = &year["coach_reports"][0];
    assert_eq!(
        (r["status"].as_str(), r["participants"]["man"].as_u64()),
        (Some("approved"), Some(125))
    );

    // Another förbund's coach sees none of it.
    let theirs = app.token("coach@finnveden.example").await;
    assert_eq!(
        app.get(
            &format!("/api/v1/t/hoglandet/coach-reports/{id}"),
            Some(&theirs)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let list = app
        .get("/api/v1/t/finnveden/coach-reports", Some(&theirs))
        .await
        .json();
    assert_eq!(list["reports"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn counts_only_no_personnummer_and_figures_that_hold_together() {
    let app = spawn_app().await;
    let coach = app.token("coach@hoglandet.example").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let se = insats_id(&app, &kansli, "SE-Höglandet").await;

    let mut r = report(se, true);
    r["answers"]["ovrigt"] = json!("Deltagaren 19850709-1234 fick jobb på Ica");
    let a = app
        .post_json("/api/v1/t/hoglandet/coach-reports", Some(&coach), r)
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = &a.json()["error"]["fields"][0];
    assert_eq!(f["path"], "answers.ovrigt");
    assert!(
        f["message"].as_str().unwrap().contains("personnummer"),
        "{f}"
    );

    let mut r = report(se, true);
    r["new_participants"]["man"] = json!(500);
    r["participants"]["kvinnor"] = json!(-1);
    let a = app
        .post_json("/api/v1/t/hoglandet/coach-reports", Some(&coach), r)
        .await;
    assert_eq!(
        a.json()["error"]["fields"][0]["path"],
        "participants.kvinnor",
        "a negative count is a type error with its path"
    );
    let mut r = report(se, true);
    r["new_participants"]["man"] = json!(500);
    let a = app
        .post_json("/api/v1/t/hoglandet/coach-reports", Some(&coach), r)
        .await;
    assert_eq!(a.json()["error"]["fields"][0]["path"], "new_participants");
    // A name field for a participant does not exist: unknown fields are refused.
    let mut r = report(se, true);
    r["participant_names"] = json!(["Anna"]);
    assert_eq!(
        app.post_json("/api/v1/t/hoglandet/coach-reports", Some(&coach), r)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Nothing was stored.
    assert_eq!(
        app.get("/api/v1/t/hoglandet/coach-reports", Some(&kansli))
            .await
            .json()["reports"],
        json!([])
    );
    app.stop().await;
}
