//! The year's figures from the fixtures built from the seeds: the numbers the förbund printed.

use finsam_testkit::spawn_app;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn kr(v: &Value) -> i64 {
    let ore = v.as_i64().unwrap();
    // Half away from zero, as the förbund round for print.
    if ore >= 0 {
        (ore + 50) / 100
    } else {
        -((-ore + 50) / 100)
    }
}

#[tokio::test]
async fn hoglandet_2024_gives_the_figures_of_the_annual_report() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let token = app.token("styrelse@hoglandet.example").await;
    let a = app
        .get("/api/v1/t/hoglandet/years/2024/key-figures", Some(&token))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let k = a.json();
    assert_eq!(kr(&k["arets_resultat_ore"]), -155_574);
    assert_eq!(kr(&k["utgaende_eget_kapital_ore"]), 1_483_897);
    assert_eq!(kr(&k["summa_tillgangar_ore"]), 2_127_221);
    assert_eq!(kr(&k["arets_kassaflode_ore"]), -176_641);
    assert_eq!(k["soliditet_procent"], json!(69.8));
    assert_eq!(kr(&k["medlemsbidrag_ore"]), 8_036_000);
    assert_eq!(
        k["eget_kapital_andel_av_medlemsbidrag_procent"],
        json!(18.5)
    );
    assert_eq!(kr(&k["eget_kapital_tak_ore"]), 1_555_400);
    assert_eq!(k["eget_kapital_over_tak"], json!(false));
    let failing: Vec<&Value> = k["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] != json!(true))
        .collect();
    assert!(failing.is_empty(), "every check passes: {failing:?}");
    assert!(k["checks"].as_array().unwrap().len() >= 8);
    let se = k["socioekonomisk_effekt"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["insats"] == "SE-Höglandet")
        .expect("SE-Höglandet");
    assert_eq!(se["till_arbete_eller_studier"], 42);
    assert_eq!(kr(&se["effekt_ore"]), 8_164_800);
    assert_eq!(kr(&se["medel_ore"]), 3_975_750);
    assert_eq!(kr(&se["differens_ore"]), 4_189_050);
    // A coach does not see the förbund's accounts.
    let coach = app.token("coach@hoglandet.example").await;
    assert_eq!(
        app.get("/api/v1/t/hoglandet/years/2024/key-figures", Some(&coach))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    app.stop().await;
}

#[tokio::test]
async fn sodra_vatterbygden_budget_rolls_forward_as_the_verksamhetsplan() {
    let app = spawn_app().await;
    app.import_fixture("sodra-vatterbygden", "sodra-vatterbygden-2024.json")
        .await;
    let token = app.token("kansli@sodra-vatterbygden.example").await;
    let a = app
        .get("/api/v1/t/sodra-vatterbygden/budgets/2024", Some(&token))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let b = a.json();
    let years: Vec<(i64, i64)> = b["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| {
            (
                y["year"].as_i64().unwrap(),
                kr(&y["prel_balanserat_resultat_ore"]),
            )
        })
        .collect();
    assert_eq!(years, [(2024, 1_282_824), (2025, 551_324), (2026, 20_324)]);
    let y2024 = &b["years"][0];
    assert_eq!(
        (
            kr(&y2024["summa_intakter_ore"]),
            kr(&y2024["summa_kostnader_ore"])
        ),
        (12_639_324, 11_356_500)
    );
    assert_eq!(kr(&y2024["balanserat_resultat_in_ore"]), 1_491_324);
    assert_eq!(
        kr(&b["years"][1]["balanserat_resultat_in_ore"]),
        1_282_824,
        "a year's result is next year's balanserat resultat"
    );
    assert_eq!(y2024["administration_andel_procent"], json!(9.6));

    // Contributions 2024: half from the state, a quarter each from the region and the kommuner.
    let members = app
        .get("/api/v1/t/sodra-vatterbygden/members", Some(&token))
        .await
        .json();
    let kind_of = |name: &str| {
        members["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .unwrap()["kind"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let mut by_kind = std::collections::BTreeMap::new();
    for c in b["medlemsbidrag"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["year"] == 2024)
    {
        *by_kind
            .entry(kind_of(c["member"].as_str().unwrap()))
            .or_insert(0) += kr(&c["amount_ore"]);
    }
    let total: i64 = by_kind.values().sum();
    let state = by_kind.get("forsakringskassan").copied().unwrap_or(0)
        + by_kind.get("arbetsformedlingen").copied().unwrap_or(0);
    assert_eq!(
        (state, by_kind["region"], by_kind["kommun"], total),
        (5_574_000, 2_787_000, 2_787_000, 11_148_000)
    );
    assert_eq!(state * 2, total);
    assert_eq!(
        app.get("/api/v1/t/sodra-vatterbygden/budgets/2030", Some(&token))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

#[tokio::test]
async fn approved_counts_appear_in_the_years_figures() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let insatser = app
        .get("/api/v1/t/hoglandet/insatser", Some(&kansli))
        .await
        .json();
    let it = insatser["insatser"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "IT-spåret")
        .expect("IT-spåret");
    let report = json!({
        "insats_id": it["id"], "year": 2024, "period": "helar", "submit": true,
        "participants": {"kvinnor": 10, "man": 10}, "ended": {"arbete": {"kvinnor": 3, "man": 4}, "studier": {"man": 1}}
    });
    let a = app
        .post_json("/api/v1/t/hoglandet/coach-reports", Some(&kansli), report)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let id = a.json()["id"].as_i64().unwrap();
    let row = |k: &Value| {
        k["socioekonomisk_effekt"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["insats"] == "IT-spåret")
            .cloned()
    };
    let check = |k: &Value| {
        k["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == "coach_reports_approved")
            .cloned()
            .unwrap()
    };
    let before = app
        .get("/api/v1/t/hoglandet/years/2024/key-figures", Some(&kansli))
        .await
        .json();
    assert_eq!(
        row(&before).map(|r| r["till_arbete_eller_studier"].clone()),
        Some(json!(0)),
        "not counted until approved"
    );
    assert_eq!(check(&before)["ok"], json!(false));
    let a = app
        .post_json(
            &format!("/api/v1/t/hoglandet/coach-reports/{id}/decision"),
            Some(&kansli),
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let after = app
        .get("/api/v1/t/hoglandet/years/2024/key-figures", Some(&kansli))
        .await
        .json();
    let r = row(&after).unwrap();
    assert_eq!(r["till_arbete_eller_studier"], 8);
    assert_eq!(kr(&r["effekt_ore"]), 8 * 194_400);
    assert_eq!(check(&after)["ok"], json!(true));

    // The participant table in Excel.
    let resp = app
        .http
        .get(app.url("/api/v1/t/hoglandet/years/2024/deltagare.xlsx"))
        .bearer_auth(&kansli)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = resp.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
    assert!(
        bytes
            .windows(b"xl/worksheets/sheet1.xml".len())
            .any(|w| w == b"xl/worksheets/sheet1.xml")
    );
    app.stop().await;
}

#[tokio::test]
async fn the_budget_downloads_as_excel() {
    let app = spawn_app().await;
    app.import_fixture("sodra-vatterbygden", "sodra-vatterbygden-2024.json")
        .await;
    let token = app.token("styrelse@sodra-vatterbygden.example").await;
    let resp = app
        .http
        .get(app.url("/api/v1/t/sodra-vatterbygden/budgets/2024/budget.xlsx"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("budget-sodra-vatterbygden-2024.xlsx")
    );
    let bytes = resp.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"));
    // No budget, no file.
    let none = app
        .http
        .get(app.url("/api/v1/t/sodra-vatterbygden/budgets/2023/budget.xlsx"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn the_organisation_page_answers_who_sat_and_who_changed() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let token = app.token("beredning@hoglandet.example").await;
    let a = app
        .get("/t/hoglandet/ar/2024/organisation", Some(&token))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    // Seed 004: the Aneby ersättare changed on 2024-11-25/26.
    assert!(
        a.body.contains("Arijana Jazic") && a.body.contains("2024-11-25"),
        "{}",
        a.body
    );
    assert!(
        a.body
            .contains("2024-11-26: Gudrun Andersson blev ersättare i styrelsen för Aneby kommun.")
    );
    assert!(a.body.contains("Beredningsgrupp") && a.body.contains("Kajsa Hallmans"));
    let coach = app.token("coach@hoglandet.example").await;
    assert_eq!(
        app.get("/t/hoglandet/ar/2024/organisation", Some(&coach))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    app.stop().await;
}

#[tokio::test]
async fn the_budget_form_saves_what_it_shows_and_names_every_problem() {
    use finsam_testkit::{PASSWORD, csrf_from};
    use reqwest::Method;
    let app = spawn_app().await;
    app.import_fixture("sodra-vatterbygden", "sodra-vatterbygden-2024.json")
        .await;
    let kansli = app.token("kansli@sodra-vatterbygden.example").await;
    let before = app
        .get(
            "/api/v1/t/sodra-vatterbygden/years/2024/budget",
            Some(&kansli),
        )
        .await
        .json();

    // The form, sent back unchanged, changes nothing: every amount survives the kronor round trip.
    let (mut b, _) = app
        .browser_login("kansli@sodra-vatterbygden.example", PASSWORD)
        .await;
    let page = app
        .browse(
            &mut b,
            Method::GET,
            "/t/sodra-vatterbygden/ar/2024/budget",
            None,
        )
        .await;
    assert!(
        page.body.contains("value=\"2 238 400\""),
        "Jönköping's contribution in kronor"
    );
    let mut fields: Vec<(String, String)> =
        vec![("csrf_token".into(), csrf_from(&page.body).unwrap())];
    // Read every input and select back as a browser would submit it.
    let html = page.body.clone();
    for chunk in html
        .split("<input ")
        .skip(1)
        .chain(html.split("<select ").skip(1))
    {
        let attr = |name: &str| {
            chunk
                .split(&format!(" {name}=\""))
                .nth(1)
                .or_else(|| chunk.strip_prefix(&format!("{name}=\"")))
                .and_then(|r| r.split('"').next())
        };
        let Some(name) = attr("name") else { continue };
        if name == "csrf_token" {
            continue;
        }
        let value = if chunk.starts_with("id=")
            && html.contains(&format!(
                "<select {}",
                &chunk[..chunk.find('>').unwrap_or(0)]
            )) {
            chunk
                .split("<option ")
                .find(|o| o.contains(" selected"))
                .and_then(|o| o.split("value=\"").nth(1))
                .and_then(|r| r.split('"').next())
                .unwrap_or("")
                .to_owned()
        } else {
            attr("value").unwrap_or("").to_owned()
        };
        fields.push((name.to_owned(), value.replace("&#x2f;", "/")));
    }
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/t/sodra-vatterbygden/ar/2024/budget",
            Some(&pairs),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let after = app
        .get(
            "/api/v1/t/sodra-vatterbygden/years/2024/budget",
            Some(&kansli),
        )
        .await
        .json();
    assert_eq!(after, before);

    // The API names every problem.
    let bad = json!({"balanserat_resultat_budget_prev": "x", "balanserat_resultat_prognos_prev": "0",
                     "lines": [{"label": "", "section": "intakt", "budget": "1", "plan1": "1", "plan2": "1"},
                               {"label": "Bidrag", "section": "verksamhet", "member": "habo", "budget": "tio", "plan1": "1", "plan2": "1"}]});
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/sodra-vatterbygden/years/2024/budget",
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
            "balanserat_resultat_budget_prev",
            "lines[1].budget",
            "lines[0].label",
            "lines[1].member"
        ]
    );
    // A new budget through the API rolls forward.
    let fresh = json!({"balanserat_resultat_budget_prev": "0", "balanserat_resultat_prognos_prev": "1 000 000",
                       "lines": [{"label": "Staten", "section": "intakt", "member": "forsakringskassan", "budget": "5 000 000", "plan1": "5 000 000", "plan2": "5 000 000"},
                                 {"label": "Kansli", "section": "administration", "budget": "5 500 000", "plan1": "5 500 000", "plan2": "5 500 000"}]});
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/sodra-vatterbygden/years/2025/budget",
            Some(&kansli),
            Some(fresh),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let figures = app
        .get("/api/v1/t/sodra-vatterbygden/budgets/2025", Some(&kansli))
        .await
        .json();
    let prel: Vec<i64> = figures["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| kr(&y["prel_balanserat_resultat_ore"]))
        .collect();
    assert_eq!(prel, [500_000, 0, -500_000]);
    app.stop().await;
}

#[tokio::test]
async fn the_accounts_form_saves_what_it_shows_and_the_checks_follow() {
    use finsam_testkit::PASSWORD;
    use reqwest::Method;
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let before = app
        .get("/api/v1/t/hoglandet/years/2024/accounts", Some(&kansli))
        .await
        .json();
    let (mut b, _) = app
        .browser_login("kansli@hoglandet.example", PASSWORD)
        .await;
    let page = app
        .browse(
            &mut b,
            Method::GET,
            "/t/hoglandet/ar/2024/rakenskaper",
            None,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let fields = finsam_testkit::form_fields(&page.body, "/t/hoglandet/ar/2024/rakenskaper");
    assert!(
        fields
            .iter()
            .any(|(k, v)| k.starts_with("offsets_") && v == "1"),
        "the NNS income offsets administration"
    );
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let a = app
        .browse(
            &mut b,
            Method::POST,
            "/t/hoglandet/ar/2024/rakenskaper",
            Some(&pairs),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let after = app
        .get("/api/v1/t/hoglandet/years/2024/accounts", Some(&kansli))
        .await
        .json();
    assert_eq!(after, before, "öre survive the round trip through kronor");

    // One krona more in the bank: saved as data, and the balance check says it does not hold.
    let mut changed = fields.clone();
    for (k, v) in changed.iter_mut() {
        if k == "kassa_och_bank" {
            let o = finsam_core::money::parse_kronor(v).unwrap();
            *v = finsam_core::money::kronor_for_input(finsam_core::Ore(o.0 + 100));
        }
    }
    let pairs: Vec<(&str, &str)> = changed
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        app.browse(
            &mut b,
            Method::POST,
            "/t/hoglandet/ar/2024/rakenskaper",
            Some(&pairs)
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let k = app
        .get("/api/v1/t/hoglandet/years/2024/key-figures", Some(&kansli))
        .await
        .json();
    let balance = k["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "balance")
        .unwrap()
        .clone();
    assert_eq!(balance["ok"], json!(false), "{balance}");

    // A cost without a class and an amount that is not a number are named.
    let bad = json!({"resultat": [{"label": "Porto", "section": "kostnad", "utfall": "1 000"}, {"label": "Bidrag", "section": "intakt", "utfall": "tio"}],
                     "kassa_och_bank": "0", "eget_kapital_ingaende": "0"});
    let a = app
        .request(
            Method::PUT,
            "/api/v1/t/hoglandet/years/2024/accounts",
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
    for want in ["resultat[0].class", "resultat[1].utfall"] {
        assert!(paths.contains(&want.to_owned()), "{want} in {paths:?}");
    }
    app.stop().await;
}
