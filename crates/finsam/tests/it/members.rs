//! The kansli keeps the member organisations: every problem named by field, organisationsnummer checked
//! and unique, registrator addresses where the documents go.

use finsam_testkit::{PASSWORD, csrf_from, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_kansli_adds_and_changes_members_through_the_api() {
    let app = spawn_app().await;
    let kansli = app.token("kansli@finnveden.example").await;
    let bad = json!({"name": "", "kind": "landsting", "organisationsnummer": "212000-0564",
                     "registrator_emails": ["registrator@gnosjo.example", "inte en adress"], "contact_email": "x@y.example"});
    let a = app
        .post_json("/api/v1/t/finnveden/members", Some(&kansli), bad)
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
            "name",
            "kind",
            "organisationsnummer",
            "registrator_emails[1]",
            "contact_name"
        ]
    );

    // Gnosjö's organisationsnummer is taken by the demo's Gnosjö kommun.
    let dup =
        json!({"name": "Gnosjö igen", "kind": "kommun", "organisationsnummer": "212000-0555"});
    let a = app
        .post_json("/api/v1/t/finnveden/members", Some(&kansli), dup)
        .await;
    assert_eq!(
        a.json()["error"]["fields"][0]["path"],
        "organisationsnummer"
    );

    let members = app
        .get("/api/v1/t/finnveden/members", Some(&kansli))
        .await
        .json();
    let gnosjo = members["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Gnosjö kommun")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let change = json!({"name": "Gnosjö kommun", "kind": "kommun", "organisationsnummer": "2120000555",
                        "population": {"2024": 9800}, "registrator_emails": ["registrator@gnosjo.example", "kommun@gnosjo.example"],
                        "contact_name": "Karin Karlsson", "contact_email": "karin@gnosjo.example"});
    let a = app
        .request(
            Method::PUT,
            &format!("/api/v1/t/finnveden/members/{gnosjo}"),
            Some(&kansli),
            Some(change),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.json()["registrator_emails"],
        json!(["registrator@gnosjo.example", "kommun@gnosjo.example"])
    );
    let year = app
        .get("/api/v1/t/finnveden/export?year=2024", Some(&kansli))
        .await
        .json();
    let m = year["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Gnosjö kommun")
        .unwrap()
        .clone();
    assert_eq!(
        (
            m["population"]["2024"].as_u64(),
            m["contact"]["name"].as_str()
        ),
        (Some(9800), Some("Karin Karlsson"))
    );

    // Another förbund's member cannot be changed from here; the board cannot change members.
    let other = app
        .get(
            "/api/v1/t/hoglandet/members",
            Some(&app.token("kansli@hoglandet.example").await),
        )
        .await
        .json();
    let eksjo = other["members"][0]["id"].as_i64().unwrap();
    let a = app
        .request(
            Method::PUT,
            &format!("/api/v1/t/finnveden/members/{eksjo}"),
            Some(&kansli),
            Some(json!({})),
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let styrelse = app.token("styrelse@finnveden.example").await;
    let a = app
        .request(
            Method::PUT,
            &format!("/api/v1/t/finnveden/members/{gnosjo}"),
            Some(&styrelse),
            Some(json!({})),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);

    let a = app
        .post_json("/api/v1/t/finnveden/members", Some(&kansli), json!({"name": "Jönköpings kommun", "kind": "kommun", "organisationsnummer": "212000-0530"}))
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    app.stop().await;
}

#[tokio::test]
async fn the_member_form_names_each_problem_in_swedish_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let (mut b, _) = app
        .browser_login("kansli@finnveden.example", PASSWORD)
        .await;
    let page = app
        .browse(&mut b, Method::GET, "/t/finnveden/medlemmar/ny", None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = csrf_from(&page.body).unwrap();
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/t/finnveden/medlemmar",
            Some(&[
                ("csrf_token", &csrf),
                ("name", "Ny kommun <b>"),
                ("kind", "kommun"),
                ("organisationsnummer", "212000-0531"),
                ("registrator_emails", "ok@ny.example\nfel adress"),
                ("population_2024", "tio"),
            ]),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    for text in [
        "Organisationsnumret har fel kontrollsiffra.",
        "Folkmängden 2024 ska vara ett heltal.",
        "href=\"#population_2024\"",
    ] {
        assert!(a.body.contains(text), "{text}");
    }
    assert!(
        a.body.contains("value=\"Ny kommun &lt;b&gt;\""),
        "kept and escaped"
    );
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/t/finnveden/medlemmar",
            Some(&[
                ("csrf_token", &csrf),
                ("name", "Ny kommun"),
                ("kind", "kommun"),
                ("organisationsnummer", "212000-0531"),
                ("registrator_emails", ""),
            ]),
        )
        .await;
    assert!(a.body.contains("fel kontrollsiffra"));
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/t/finnveden/medlemmar",
            Some(&[
                ("csrf_token", &csrf),
                ("name", "Jönköpings kommun"),
                ("kind", "kommun"),
                ("organisationsnummer", "212000-0530"),
                ("registrator_emails", "registrator@jonkoping.example"),
            ]),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let home = app.browse(&mut b, Method::GET, "/t/finnveden", None).await;
    assert!(
        home.body.contains("Jönköpings kommun")
            && home.body.contains("registrator@jonkoping.example")
    );
    app.stop().await;
}
