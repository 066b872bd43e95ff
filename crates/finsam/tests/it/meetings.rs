//! Medlemssamråd and styrelsemöten: header, numbered items with beslut, and the people who sign.

use finsam_testkit::{PASSWORD, csrf_from, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_meeting_is_written_with_its_items_and_roles() {
    let app = spawn_app().await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let bad = json!({"kind": "årsmöte", "title": "", "date": "23/2", "place": "",
                     "items": [{"number": "1", "title": "Öppnande"}, {"number": "1", "title": "", "text": "Deltagare 850709-1234"}]});
    let a = app
        .post_json("/api/v1/t/hoglandet/meetings", Some(&kansli), bad)
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let paths: Vec<String> = a.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "kind",
            "title",
            "date",
            "place",
            "items[1].number",
            "items[1].title",
            "items[1].text"
        ]
    );

    let good = json!({
        "kind": "medlemssamrad", "title": "Medlemssamråd", "date": "2024-02-23", "place": "Vrigstad vårdshus",
        "kallade": "Kommunstyrelsernas ordförande", "deltagare": ["Therese Petersson", "Joakim Dahlström"], "bilagor": ["Principer för samverkan"],
        "items": [{"number": "1", "title": "Presentation"}, {"number": "2", "title": "Val av justerare", "beslut": "Therese Petersson och Joakim Dahlström väljs."},
                  {"number": "7a", "title": "Strategikonferens", "text": "NNS konferens den 17 april."}],
        "motesordforande": "Johanna Buchalle", "sekreterare": "Linda Johansson", "justerare": ["Therese Petersson", "Joakim Dahlström"]
    });
    let a = app
        .post_json("/api/v1/t/hoglandet/meetings", Some(&kansli), good.clone())
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let m = a.json();
    let id = m["id"].as_i64().unwrap();
    assert_eq!(m["meeting"]["key"], "medlemssamrad-2024-02-23");
    assert_eq!(
        m["meeting"]["items"][1]["beslut"],
        "Therese Petersson och Joakim Dahlström väljs."
    );
    let names: Vec<&str> = m["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for n in [
        "Johanna Buchalle",
        "Linda Johansson",
        "Therese Petersson",
        "Joakim Dahlström",
    ] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    // Changing it keeps the same people (found by name) and the same key.
    let mut changed = good;
    changed["place"] = json!("Eksjö");
    let a = app
        .request(
            Method::PUT,
            &format!("/api/v1/t/hoglandet/meetings/{id}"),
            Some(&kansli),
            Some(changed),
        )
        .await;
    assert_eq!(a.json()["meeting"]["place"], "Eksjö");
    let year = app
        .get("/api/v1/t/hoglandet/export?year=2024", Some(&kansli))
        .await
        .json();
    assert_eq!(year["meetings"].as_array().unwrap().len(), 1);
    assert_eq!(
        year["people"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["name"] == "Therese Petersson")
            .count(),
        1
    );
    // The board reads; a coach does not; another förbund does not see it.
    let styrelse = app.token("styrelse@hoglandet.example").await;
    assert_eq!(
        app.get(
            &format!("/api/v1/t/hoglandet/meetings/{id}"),
            Some(&styrelse)
        )
        .await
        .status,
        StatusCode::OK
    );
    let coach = app.token("coach@hoglandet.example").await;
    assert_eq!(
        app.get("/api/v1/t/hoglandet/meetings", Some(&coach))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let other = app.token("kansli@finnveden.example").await;
    assert_eq!(
        app.get("/api/v1/t/finnveden/meetings", Some(&other))
            .await
            .json()["meetings"],
        json!([])
    );
    app.stop().await;
}

#[tokio::test]
async fn the_meeting_form_adds_items_and_names_problems() {
    let app = spawn_app().await;
    let (mut b, _) = app
        .browser_login("kansli@finnveden.example", PASSWORD)
        .await;
    let page = app
        .browse(&mut b, Method::GET, "/t/finnveden/moten/ny", None)
        .await;
    assert!(page.body.contains("Val av justerare"));
    let csrf = csrf_from(&page.body).unwrap();
    let form = [
        ("csrf_token", csrf.as_str()),
        ("kind", "styrelsemote"),
        ("title", "Styrelsemöte"),
        ("date", "2024-05-02"),
        ("place", ""),
        ("items", "3"),
        ("number_0", "1"),
        ("title_0", "Mötets öppnande"),
        ("number_1", "2"),
        ("title_1", "Val av justerare"),
        ("beslut_1", "Anna Ask väljs."),
        ("number_2", "3"),
        ("title_2", "Budget 2025"),
        ("beslut_2", "Styrelsen fastställer budgeten."),
        ("motesordforande", "Bo Berg"),
        ("justerare", "Anna Ask"),
    ];
    let a = app
        .browse(&mut b, Method::POST, "/t/finnveden/moten", Some(&form))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("href=\"#place\"") && a.body.contains("value=\"Budget 2025\""));
    let mut fixed = form;
    fixed[4] = ("place", "Värnamo");
    let a = app
        .browse(&mut b, Method::POST, "/t/finnveden/moten", Some(&fixed))
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let at = a.location().unwrap().to_owned();
    let shown = app.browse(&mut b, Method::GET, &at, None).await;
    assert!(
        shown.body.contains("Styrelsen fastställer budgeten.")
            && shown.body.contains("value=\"Bo Berg\"")
    );
    app.stop().await;
}
