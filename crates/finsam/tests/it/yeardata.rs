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

/// The delår (the accounts per 30 June): kept through the API and the form like the year's accounts,
/// with the prognos per line, and carried by the year file.
#[tokio::test]
async fn the_delar_is_kept_like_the_accounts_with_a_prognos_and_exported() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    const DELAR: &str = "/api/v1/t/hoglandet/years/2024/delar";
    let accounts_before = app
        .get("/api/v1/t/hoglandet/years/2024/accounts", Some(&kansli))
        .await
        .json();

    // The fixture's delår came in with the file.
    let imported = app.get(DELAR, Some(&kansli)).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    assert_eq!(imported.json()["kassa_och_bank_ore"], 209_914_400);

    let body = json!({
        "resultat": [
            {"label": "Driftbidrag från Försäkringskassan", "section": "intakt", "member": "forsakringskassan",
             "budget": "4 018 000", "utfall": "2 009 000", "prior": "2 009 000", "prognos": "4 018 000"},
            {"label": "SE-Projekt", "section": "kostnad", "class": "individinriktad", "insats": "se-hoglandet",
             "budget": "3 980 000", "utfall": "1 987 875,50", "prior": "1 880 350,50", "prognos": "3 975 750"}
        ],
        "fordringar": [{"label": "Skattekonto", "amount": "12 480", "prior": "2 755"}],
        "kortfristiga_skulder": [{"label": "Leverantörsskulder", "amount": "301 220", "prior": "361 462,60"}],
        "kassa_och_bank": "2 099 144", "kassa_och_bank_prior": "2 186 550,60",
        "eget_kapital_ingaende": "1 639 471", "eget_kapital_ingaende_prior": "1 215 582,20"
    });
    let a = app
        .request(Method::PUT, DELAR, Some(&kansli), Some(body.clone()))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let saved = a.json();
    let se = &saved["resultat"][1];
    assert_eq!(se["key"], "se-projekt");
    assert_eq!(se["utfall_ore"], 198_787_550);
    assert_eq!(se["prior_ore"], 188_035_050);
    assert_eq!(se["budget_ore"], 398_000_000);
    assert_eq!(se["prognos_ore"], 397_575_000);
    assert_eq!(saved["kassa_och_bank_prior_ore"], 218_655_060);
    assert_eq!(
        app.get(DELAR, Some(&kansli)).await.json(),
        saved,
        "GET answers what PUT stored"
    );

    // The year file carries it; the year's accounts are untouched.
    let export = app
        .get("/api/v1/t/hoglandet/export?year=2024", Some(&kansli))
        .await
        .json();
    assert_eq!(export["delar"], saved);
    assert_eq!(export["accounts"], accounts_before);

    // A bad amount answers 422 naming the field; nothing changes.
    let mut bad = body.clone();
    bad["resultat"][1]["prognos"] = json!("fyra miljoner");
    bad["kassa_och_bank"] = json!("12,345");
    let a = app
        .request(Method::PUT, DELAR, Some(&kansli), Some(bad))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    let paths: Vec<String> = a.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paths, ["resultat[1].prognos", "kassa_och_bank"]);
    assert_eq!(app.get(DELAR, Some(&kansli)).await.json(), saved);

    // A prognos belongs to the delår, not to the year's accounts.
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/hoglandet/years/2024/accounts",
            Some(&kansli),
            Some(body.clone()),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(a.body.contains("resultat[0].prognos"), "{}", a.body);

    // The styrelse reads it but does not write; a coach does not see it; a year without one is 404.
    let styrelse = app.token("styrelse@hoglandet.example").await;
    assert_eq!(app.get(DELAR, Some(&styrelse)).await.json(), saved);
    assert_eq!(
        app.request(Method::PUT, DELAR, Some(&styrelse), Some(body))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let coach = app.token("coach@hoglandet.example").await;
    assert_eq!(
        app.get(DELAR, Some(&coach)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/t/hoglandet/years/2023/delar", Some(&kansli))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The form shows the prognos per line and saves what it shows.
    let (mut b, _) = app
        .browser_login("kansli@hoglandet.example", PASSWORD)
        .await;
    let page = app
        .browse(&mut b, Method::GET, "/t/hoglandet/ar/2024/delar", None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for label in [
        "Delårets räkenskaper 2024",
        "Utfall jan–jun 2024",
        "Prognos helår 2024",
        "Samma period i fjol",
        "Kassa och bank 2024-06-30",
        "Kassa och bank 2023-12-31",
    ] {
        assert!(page.body.contains(label), "the form lacks {label:?}");
    }
    let fields = finsam_testkit::form_fields(&page.body, "/t/hoglandet/ar/2024/delar");
    assert!(
        fields
            .iter()
            .any(|(k, v)| k == "prognos_1" && v == "3 975 750"),
        "{fields:?}"
    );
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/t/hoglandet/ar/2024/delar",
            Some(&pairs),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(
        app.get(DELAR, Some(&kansli)).await.json(),
        saved,
        "öre survive the round trip through the form"
    );
    // A bad amount in the form is named at its field.
    let bad: Vec<(&str, &str)> = pairs
        .iter()
        .map(|&(k, v)| if k == "prognos_0" { (k, "x") } else { (k, v) })
        .collect();
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/t/hoglandet/ar/2024/delar",
            Some(&bad),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("id=\"prognos_0-error\""), "{}", a.body);
    // The year page links to it for the kansli.
    let year = app
        .browse(&mut b, Method::GET, "/t/hoglandet/ar/2024", None)
        .await;
    assert!(year.body.contains("href=\"/t/hoglandet/ar/2024/delar\""));
    app.stop().await;
}

#[tokio::test]
async fn the_year_page_shows_the_delars_own_checks() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let (mut b, _) = app
        .browser_login("styrelse@hoglandet.example", PASSWORD)
        .await;
    let page = app
        .browse(&mut b, Method::GET, "/t/hoglandet/ar/2024", None)
        .await;
    assert!(
        page.body.contains("Delårets kontroller (30 juni)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("kontroller av delåret håller."));
    // A year without a delår shows no such section.
    let page = app
        .browse(&mut b, Method::GET, "/t/hoglandet/ar/2023", None)
        .await;
    assert!(!page.body.contains("Delårets kontroller"));
}
