//! A year's texts and settings: kept as written, checked, and feeding the figures.

use finsam_testkit::{PASSWORD, csrf_from, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn texts_are_kept_as_written_and_checked() {
    let app = spawn_app().await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let bad = json!({"handelser": "Deltagaren 850709-1234", "okand": "x"});
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/hoglandet/years/2024/texts",
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
    assert_eq!(paths, ["texts.handelser", "texts.okand"]);

    let tricky =
        "Ett år av **samverkan**.\n\n- #read(\"/etc/passwd\")\n- <script>alert(1)</script> ]#";
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/hoglandet/years/2024/texts",
            Some(&kansli),
            Some(json!({"ordforanden_har_ordet": tricky, "vision": ""})),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.json(),
        json!({"ordforanden_har_ordet": tricky}),
        "kept verbatim; an empty text is removed"
    );
    let styrelse = app.token("styrelse@hoglandet.example").await;
    assert_eq!(
        app.get("/api/v1/t/hoglandet/years/2024/texts", Some(&styrelse))
            .await
            .json()["ordforanden_har_ordet"],
        tricky
    );
    assert_eq!(
        app.request(
            Method::PUT,
            "/api/v1/t/hoglandet/years/2024/texts",
            Some(&styrelse),
            Some(json!({}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // In the form the text is escaped, never markup.
    let (mut b, _) = app
        .browser_login("kansli@hoglandet.example", PASSWORD)
        .await;
    let page = app
        .browse(&mut b, Method::GET, "/t/hoglandet/ar/2024/texter", None)
        .await;
    assert!(
        page.body
            .contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            && !page.body.contains("<script>alert(1)")
    );
    let csrf = csrf_from(&page.body).unwrap();
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/t/hoglandet/ar/2024/texter",
            Some(&[
                ("csrf_token", &csrf),
                ("texts-handelser", "Ny text\r\n\r\nAndra stycket"),
            ]),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let texts = app
        .get("/api/v1/t/hoglandet/years/2024/texts", Some(&kansli))
        .await
        .json();
    assert_eq!(
        texts,
        json!({"handelser": "Ny text\n\nAndra stycket"}),
        "the form replaces all texts; line breaks normalised"
    );
    app.stop().await;
}

#[tokio::test]
async fn settings_change_the_figures_and_bad_ones_are_named() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let mut s = app
        .get("/api/v1/t/hoglandet/years/2024/settings", Some(&kansli))
        .await
        .json();
    assert_eq!(s["socioekonomi_offentlig_forsorjning_ore"], 1_000_000);
    s["eget_kapital_brackets"] = json!([{"up_to_ore": 700000000, "percent_tenths": 200}, {"up_to_ore": 100, "percent_tenths": 150}]);
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/hoglandet/years/2024/settings",
            Some(&kansli),
            Some(s.clone()),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        a.json()["error"]["fields"][0]["path"],
        "settings.eget_kapital_brackets"
    );

    // Through the form, in kronor as people type them.
    let (mut b, _) = app
        .browser_login("kansli@hoglandet.example", PASSWORD)
        .await;
    let page = app
        .browse(
            &mut b,
            Method::GET,
            "/t/hoglandet/ar/2024/installningar",
            None,
        )
        .await;
    assert!(
        page.body.contains("value=\"10 000\"") && page.body.contains("value=\"7 000 000\""),
        "{}",
        page.body
    );
    let csrf = csrf_from(&page.body).unwrap();
    let form = |offentlig: &'static str| {
        vec![
            ("csrf_token", csrf.clone()),
            ("offentlig", offentlig.to_owned()),
            ("administration", "500".to_owned()),
            ("skatt", "5 700".to_owned()),
            ("upto_0", "7 000 000".to_owned()),
            ("percent_0", "20".to_owned()),
            ("upto_1", "15 000 000".to_owned()),
            ("percent_1", "15".to_owned()),
            ("upto_2", "".to_owned()),
            ("percent_2", "10".to_owned()),
            ("reading", "marginal".to_owned()),
            ("delarsrapport", "1".to_owned()),
        ]
    };
    let send = |f: Vec<(&'static str, String)>| {
        let app = &app;
        let mut b = b.clone();
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.browse(
                &mut b,
                Method::POST,
                "/t/hoglandet/ar/2024/installningar",
                Some(&pairs),
            )
            .await
        }
    };
    let a = send(form("tio tusen")).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("href=\"#offentlig\"") && a.body.contains("Ange ett belopp i kronor"));
    let a = send(form("12 000")).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let k = app
        .get("/api/v1/t/hoglandet/years/2024/key-figures", Some(&kansli))
        .await
        .json();
    let se = k["socioekonomisk_effekt"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["insats"] == "SE-Höglandet")
        .unwrap()
        .clone();
    assert_eq!(
        se["effekt_ore"],
        42 * 12 * (12_000 + 500 + 5_700) * 100,
        "42 × 12 × 18 200 kr"
    );
    let _ = &mut b;
    app.stop().await;
}
