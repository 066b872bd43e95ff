//! The kansli keeps the styrelse and the beredningsgrupp: seats with dates, people by name.

use finsam_testkit::{PASSWORD, csrf_from, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn seats_are_replaced_whole_and_every_problem_is_named() {
    let app = spawn_app().await;
    let kansli = app.token("kansli@finnveden.example").await;
    let bad = json!({"seats": [
        {"name": "", "member": "gnosjo", "seat": "ordinarie"},
        {"name": "Anna Ask", "member": "nassjo", "seat": "ordinarie"},
        {"name": "Bo Berg", "member": "gnosjo", "seat": "ersattare", "from": "2024-06-01", "to": "2024-01-01"},
        {"name": "Cia Ceder", "member": "varnamo", "seat": "vald", "from": "1 juni"}
    ]});
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/finnveden/organisation/styrelse",
            Some(&kansli),
            Some(bad),
        )
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
            "seats[0].name",
            "seats[1].member",
            "seats[2].to",
            "seats[3].seat",
            "seats[3].from"
        ]
    );
    let a = app
        .request(Method::PUT, "/api/v1/t/finnveden/organisation/beredningsgrupp", Some(&kansli), Some(json!({"seats": [{"name": "X", "member": "gnosjo", "seat": "ordinarie", "position": "ordforande"}]})))
        .await;
    assert_eq!(a.json()["error"]["fields"][0]["path"], "seats[0].position");

    let good = json!({"seats": [
        {"name": "Anna Ask", "email": "anna@gnosjo.example", "member": "gnosjo", "seat": "ordinarie", "position": "ordforande"},
        {"name": "Bo Berg", "member": "gnosjo", "seat": "ersattare", "to": "2024-05-31"},
        {"name": "Cia Ceder", "member": "gnosjo", "seat": "ersattare", "from": "2024-06-01"}
    ]});
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/finnveden/organisation/styrelse",
            Some(&kansli),
            Some(good),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["seats"].as_array().unwrap().len(), 3);
    // The same name again is the same person.
    let again = json!({"seats": [{"name": "anna ask", "member": "gnosjo", "seat": "ordinarie", "position": "ordforande"}]});
    app.request(
        Method::PUT,
        "/api/v1/t/finnveden/organisation/beredningsgrupp",
        Some(&kansli),
        Some(json!({"seats": []})),
    )
    .await;
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/finnveden/organisation/styrelse",
            Some(&kansli),
            Some(again),
        )
        .await;
    assert_eq!(a.json()["seats"][0]["email"], "anna@gnosjo.example");
    let year = app
        .get("/api/v1/t/finnveden/export?year=2024", Some(&kansli))
        .await
        .json();
    assert_eq!(
        year["people"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["name"] == "Anna Ask")
            .count(),
        1
    );

    let styrelse = app.token("styrelse@finnveden.example").await;
    assert_eq!(
        app.get("/api/v1/t/finnveden/organisation/styrelse", Some(&styrelse))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.request(
            Method::PUT,
            "/api/v1/t/finnveden/organisation/styrelse",
            Some(&styrelse),
            Some(json!({"seats": []}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/t/finnveden/organisation/revisorer", Some(&kansli))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

#[tokio::test]
async fn the_seat_form_records_a_change_of_ersattare() {
    let app = spawn_app().await;
    let (mut b, _) = app
        .browser_login("kansli@finnveden.example", PASSWORD)
        .await;
    let page = app
        .browse(
            &mut b,
            Method::GET,
            "/t/finnveden/organisation/styrelse",
            None,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Ordförande") && page.body.contains("id=\"from_0\""));
    let csrf = csrf_from(&page.body).unwrap();
    let form = [
        ("csrf_token", csrf.as_str()),
        ("rows", "3"),
        ("name_0", "Anna Ask"),
        ("member_0", "gnosjo"),
        ("seat_0", "ordinarie"),
        ("position_0", "ordforande"),
        ("name_1", "Bo Berg"),
        ("member_1", "gnosjo"),
        ("seat_1", "ersattare"),
        ("to_1", "2024-11-25"),
        ("name_2", "Cia Ceder"),
        ("member_2", "gnosjo"),
        ("seat_2", "ersattare"),
        ("from_2", "2024-13-01"),
    ];
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/t/finnveden/organisation/styrelse",
            Some(&form),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        a.body.contains("href=\"#from_2\"")
            && a.body.contains("ÅÅÅÅ-MM-DD")
            && a.body.contains("value=\"Cia Ceder\"")
    );
    let mut fixed = form;
    fixed[13] = ("from_2", "2024-11-26");
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/t/finnveden/organisation/styrelse",
            Some(&fixed),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let org = app
        .browse(
            &mut b,
            Method::GET,
            "/t/finnveden/ar/2024/organisation",
            None,
        )
        .await;
    assert!(
        org.body
            .contains("2024-11-26: Cia Ceder blev ersättare i styrelsen för Gnosjö kommun."),
        "{}",
        org.body
    );
    assert!(org.body.contains(
        "2024-11-25: Bo Berg lämnade uppdraget som ersättare i styrelsen för Gnosjö kommun."
    ));
    app.stop().await;
}

#[tokio::test]
async fn the_kansli_staff_is_kept_with_shares_of_full_time() {
    let app = spawn_app().await;
    let kansli = app.token("kansli@sodra-vatterbygden.example").await;
    let bad = json!({"staff": [{"name": "Kajsa Hallmans", "title": "", "share_percent": "165"}]});
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/sodra-vatterbygden/kansli",
            Some(&kansli),
            Some(bad),
        )
        .await;
    let paths: Vec<String> = a.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paths, ["staff[0].title", "staff[0].share_percent"]);
    let good = json!({"staff": [{"name": "Kajsa Hallmans", "title": "Förbundschef", "share_percent": "65 %"}, {"name": "Peter Hedfors", "title": "Verksamhetsutvecklare", "share_percent": "100"}]});
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/sodra-vatterbygden/kansli",
            Some(&kansli),
            Some(good),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["staff"][0]["share_percent"], "65");
    let year = app
        .get(
            "/api/v1/t/sodra-vatterbygden/export?year=2024",
            Some(&kansli),
        )
        .await
        .json();
    assert_eq!(year["organisation"]["kansli"][0]["share_percent"], 65);
    // In the browser too.
    let (mut b, _) = app
        .browser_login("kansli@sodra-vatterbygden.example", PASSWORD)
        .await;
    let page = app
        .browse(&mut b, Method::GET, "/t/sodra-vatterbygden/kansli", None)
        .await;
    assert!(page.body.contains("value=\"Förbundschef\""));
    let csrf = csrf_from(&page.body).unwrap();
    let form = [
        ("csrf_token", csrf.as_str()),
        ("rows", "1"),
        ("name_0", "Kajsa Hallmans"),
        ("title_0", "Förbundschef"),
        ("share_percent_0", "noll"),
    ];
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/t/sodra-vatterbygden/kansli",
            Some(&form),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("href=\"#share_percent_0\""));
    app.stop().await;
}
