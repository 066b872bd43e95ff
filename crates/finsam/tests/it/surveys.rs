//! Indikatorenkäter: the kansli keeps the surveys as data and enters each insats's answer counts per
//! year; a survey with results keeps its scale; the counts travel in the year file.

use finsam_testkit::{PASSWORD, TestApp, csrf_from, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn paths(a: &Value) -> Vec<String> {
    a["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect()
}

async fn insats_id(app: &TestApp, token: &str, name: &str) -> i64 {
    let list = app
        .get("/api/v1/t/hoglandet/insatser", Some(token))
        .await
        .json();
    list["insatser"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == name)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_kansli_keeps_surveys_and_counts_and_the_scale_is_fixed_once_answered() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let styrelse = app.token("styrelse@hoglandet.example").await;

    // The fixture's survey is there, without results.
    let list = app
        .get("/api/v1/t/hoglandet/surveys", Some(&styrelse))
        .await
        .json();
    let nns = &list["surveys"][0];
    assert_eq!(nns["key"], "nns-indikatorer-deltagare-2024");
    assert_eq!(nns["scale"].as_array().unwrap().len(), 6);
    assert_eq!(nns["results"], 0);
    let nns_id = nns["id"].as_i64().unwrap();

    // Every problem of a new survey is named.
    let bad = json!({"key": "Ny Enkät", "name": " ", "scale": ["Ja"], "questions": [
        {"key": "1", "text": "Fråga"}, {"key": "1", "text": ""}, {"key": "x y", "text": "Mitt nummer 850709-1234"}]});
    let a = app
        .request(
            Method::POST,
            "/api/v1/t/hoglandet/surveys",
            Some(&kansli),
            Some(bad),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert_eq!(
        paths(&a.json()),
        [
            "key",
            "name",
            "scale",
            "questions[1].key",
            "questions[1].text",
            "questions[2].key",
            ""
        ]
    );
    // A key already in use.
    let dup = json!({"key": "nns-indikatorer-deltagare-2024", "name": "Kopia", "scale": ["Nej", "Ja"], "questions": [{"key": "1", "text": "Fråga?"}]});
    let a = app
        .request(
            Method::POST,
            "/api/v1/t/hoglandet/surveys",
            Some(&kansli),
            Some(dup),
        )
        .await;
    assert_eq!(paths(&a.json()), ["key"]);
    // The board reads, never writes.
    let a = app
        .request(
            Method::POST,
            "/api/v1/t/hoglandet/surveys",
            Some(&styrelse),
            Some(json!({})),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);

    // Counts for SE-Höglandet 2024: wrong length and unknown question are refused, nothing is written.
    let se = insats_id(&app, &kansli, "SE-Höglandet").await;
    let at = format!("/api/v1/t/hoglandet/insatser/{se}/surveys/2024/{nns_id}");
    let a = app
        .request(
            Method::PUT,
            &at,
            Some(&kansli),
            Some(json!({"answers": [{"question": "1", "counts": [1, 2, 3]}, {"question": "99", "counts": [0, 0, 0, 0, 0, 1]}]})),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        paths(&a.json()),
        ["answers[0].counts", "answers[1].question"]
    );
    let a = app
        .request(
            Method::PUT,
            &at,
            Some(&kansli),
            Some(json!({"answers": [{"question": "1", "counts": [-1, 0, 0, 0, 0, 0]}]})),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    let none = app
        .get(
            &format!("/api/v1/t/hoglandet/insatser/{se}/surveys/2024"),
            Some(&styrelse),
        )
        .await
        .json();
    assert_eq!(none["results"], json!([]));

    // Given out of order, stored in the survey's order, with the number who answered.
    let a = app
        .request(
            Method::PUT,
            &at,
            Some(&kansli),
            Some(json!({"answers": [{"question": "6", "counts": [2, 3, 10, 20, 25, 18]}, {"question": "1", "counts": [0, 1, 5, 22, 30, 20]}]})),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let got = app
        .get(
            &format!("/api/v1/t/hoglandet/insatser/{se}/surveys/2024"),
            Some(&styrelse),
        )
        .await
        .json();
    let r = &got["results"][0];
    assert_eq!(r["survey_id"], nns_id);
    assert_eq!(r["answers"][0]["question"], "1");
    assert_eq!(r["answers"][1]["question"], "6");
    assert_eq!(r["answered"]["1"], 78);
    assert_eq!(r["answered"]["6"], 78);

    // The year file carries the counts.
    let file = app
        .get("/api/v1/t/hoglandet/export?year=2024", Some(&kansli))
        .await
        .json();
    assert_eq!(file["survey_results"][0]["insats"], "se-hoglandet");
    assert_eq!(
        file["survey_results"][0]["answers"][0]["counts"],
        json!([0, 1, 5, 22, 30, 20])
    );

    // With results, the scale and the answered questions are fixed; names and texts may be corrected.
    let current = app
        .get(
            &format!("/api/v1/t/hoglandet/surveys/{nns_id}"),
            Some(&kansli),
        )
        .await
        .json();
    assert_eq!(current["results"], 1);
    let mut change = json!({"name": current["name"], "scale": ["Nej", "Ja"], "questions": [{"key": "1", "text": "Ny text"}]});
    let a = app
        .request(
            Method::PUT,
            &format!("/api/v1/t/hoglandet/surveys/{nns_id}"),
            Some(&kansli),
            Some(change.clone()),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(paths(&a.json()), ["scale", "questions"]);
    assert!(a.body.contains("fråga 6"), "{}", a.body);
    change["scale"] = current["scale"].clone();
    change["questions"] = current["questions"].clone();
    change["questions"][0]["text"] = json!("Får du stöd som är till nytta för dig?");
    change["questions"]
        .as_array_mut()
        .unwrap()
        .push(json!({"key": "11", "text": "En ny fråga"}));
    change["key"] = json!("annan-nyckel");
    let a = app
        .request(
            Method::PUT,
            &format!("/api/v1/t/hoglandet/surveys/{nns_id}"),
            Some(&kansli),
            Some(change.clone()),
        )
        .await;
    assert_eq!(paths(&a.json()), ["key"], "the key never changes");
    change["key"] = json!("");
    let a = app
        .request(
            Method::PUT,
            &format!("/api/v1/t/hoglandet/surveys/{nns_id}"),
            Some(&kansli),
            Some(change),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["questions"].as_array().unwrap().len(), 10);

    // Removed, the scale is free again.
    let a = app.request(Method::DELETE, &at, Some(&kansli), None).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    let after = app
        .get(
            &format!("/api/v1/t/hoglandet/surveys/{nns_id}"),
            Some(&kansli),
        )
        .await
        .json();
    assert_eq!(after["results"], 0);

    // Each change left an audit row.
    let log = app
        .get("/api/v1/t/hoglandet/audit", Some(&kansli))
        .await
        .json();
    let actions: Vec<&str> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "survey_result_saved")
            .count(),
        2
    );
    assert!(actions.contains(&"survey_saved"));
}

#[tokio::test]
async fn the_kansli_writes_a_survey_and_its_counts_in_the_browser() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let (mut b, _) = app
        .browser_login("kansli@hoglandet.example", PASSWORD)
        .await;
    let page = app
        .browse(&mut b, Method::GET, "/t/hoglandet/enkater/ny", None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = csrf_from(&page.body).unwrap();
    let mut form = vec![
        ("csrf_token", csrf.as_str()),
        ("key", "samverkansenkat-2025"),
        ("name", "Samverkansenkät 2025"),
        ("scale", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10"),
        (
            "questions",
            "1: Hur väl fungerar samverkan?\nFörtroende för parterna",
        ),
    ];
    let a = app
        .browse(&mut b, Method::POST, "/t/hoglandet/enkater", Some(&form))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("Rad 2:"), "{}", a.body);
    assert!(
        a.body.contains("Förtroende för parterna</textarea>"),
        "what was typed stays"
    );
    form[4] = (
        "questions",
        "1: Hur väl fungerar samverkan?\n2: Hur stort är förtroendet för parterna?",
    );
    let a = app
        .browse(&mut b, Method::POST, "/t/hoglandet/enkater", Some(&form))
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let list = app
        .browse(&mut b, Method::GET, "/t/hoglandet/enkater", None)
        .await;
    assert!(list.body.contains("Samverkansenkät 2025"));
    assert!(list.body.contains("Hur stort är förtroendet för parterna?"));

    // Counts for an insats: a bad cell is named and the typed values stay.
    let kansli = app.token("kansli@hoglandet.example").await;
    let se = insats_id(&app, &kansli, "SE-Höglandet").await;
    let surveys = app
        .get("/api/v1/t/hoglandet/surveys", Some(&kansli))
        .await
        .json();
    let id = surveys["surveys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "samverkansenkat-2025")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let page_at = format!("/t/hoglandet/insatser/{se}/enkater/2025");
    let page = app.browse(&mut b, Method::GET, &page_at, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Samverkansenkät 2025"));
    let csrf = csrf_from(&page.body).unwrap();
    let post_at = format!("/t/hoglandet/insatser/{se}/enkater/2025/{id}");
    let mut cells = vec![
        ("csrf_token", csrf.as_str()),
        ("c_0_6", "4"),
        ("c_0_7", "tre"),
        ("c_1_9", "2"),
    ];
    let a = app
        .browse(&mut b, Method::POST, &post_at, Some(&cells))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("href=\"#c_0_7\""), "{}", a.body);
    assert!(a.body.contains("value=\"tre\""));
    cells[2] = ("c_0_7", "3");
    let a = app
        .browse(&mut b, Method::POST, &post_at, Some(&cells))
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let stored = app
        .get(
            &format!("/api/v1/t/hoglandet/insatser/{se}/surveys/2025"),
            Some(&kansli),
        )
        .await
        .json();
    assert_eq!(
        stored["results"][0]["answers"],
        json!([{"question": "1", "counts": [0, 0, 0, 0, 0, 0, 4, 3, 0, 0]}, {"question": "2", "counts": [0, 0, 0, 0, 0, 0, 0, 0, 0, 2]}])
    );

    // The board sees the counts, without a form.
    let (mut board, _) = app
        .browser_login("styrelse@hoglandet.example", PASSWORD)
        .await;
    let page = app.browse(&mut board, Method::GET, &page_at, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("name=\"c_0_6\""));
    assert!(page.body.contains("<td>7</td>"), "7 answered question 1");
}
