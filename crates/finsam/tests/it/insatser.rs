//! The kansli keeps the insatser: goals keep their results when their text stays, money per year in
//! kronor as typed, every problem named.

use finsam_testkit::{PASSWORD, csrf_from, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn an_insats_is_changed_and_its_goal_results_survive() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let list = app
        .get("/api/v1/t/hoglandet/insatser", Some(&kansli))
        .await
        .json();
    let se = list["insatser"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "SE-Höglandet")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let before = app
        .get("/api/v1/t/hoglandet/export?year=2024", Some(&kansli))
        .await
        .json();
    let old = before["insatser"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "SE-Höglandet")
        .unwrap()
        .clone();
    let goals: Vec<String> = old["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["text"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        !goals.is_empty() && !old["goal_results"].as_array().unwrap().is_empty(),
        "the fixture has goals with results"
    );

    let bad = json!({"name": "", "kind": "annat", "responsible_member": "nassjo-x", "period_from": "2025-01-01", "period_to": "2024-01-01",
                     "goals": ["Mål med 850709-1234"], "years": [{"year": 2024, "beviljat": "fyra", "budget": "-5"}]});
    let a = app
        .request(
            Method::PUT,
            &format!("/api/v1/t/hoglandet/insatser/{se}"),
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
            "name",
            "kind",
            "responsible_member",
            "period_to",
            "goals[0]",
            "years[0].beviljat",
            "years[0].budget"
        ]
    );

    // Same goals plus a new one; a changed budget.
    let mut new_goals = goals.clone();
    new_goals.push("Fler unga vuxna deltar".into());
    let good = json!({"name": "SE-Höglandet", "kind": "individinriktad", "responsible_member": old["responsible_member"].as_str().unwrap_or(""), "performer": "Kommunerna",
                      "goals": new_goals, "years": [{"year": 2024, "beviljat": "4 000 000", "budget": "3 800 000", "utfall": "3 975 750"}]});
    let a = app
        .request(
            Method::PUT,
            &format!("/api/v1/t/hoglandet/insatser/{se}"),
            Some(&kansli),
            Some(good),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let saved = &a.json()["insats"];
    assert_eq!(
        saved["goal_results"], old["goal_results"],
        "unchanged goals keep their måluppfyllelse"
    );
    assert_eq!(saved["goals"].as_array().unwrap().len(), goals.len() + 1);
    assert_eq!(saved["years"][0]["budget_ore"], 380_000_000);
    assert_eq!(saved["coaches"], old["coaches"], "coaches stay");
    // The figures still hold: the effect's medel comes from the utfall.
    let k = app
        .get("/api/v1/t/hoglandet/years/2024/key-figures", Some(&kansli))
        .await
        .json();
    let row = k["socioekonomisk_effekt"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["insats"] == "SE-Höglandet")
        .unwrap()
        .clone();
    assert_eq!(row["medel_ore"], 397_575_000);

    // A new insats; a name that is taken is refused.
    let a = app
        .post_json(
            "/api/v1/t/hoglandet/insatser",
            Some(&kansli),
            json!({"name": "Ny insats", "kind": "strukturovergripande"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    let a = app
        .post_json(
            "/api/v1/t/hoglandet/insatser",
            Some(&kansli),
            json!({"name": "Ny insats", "kind": "strukturovergripande"}),
        )
        .await;
    assert_eq!(a.json()["error"]["fields"][0]["path"], "name");
    let coach = app.token("coach@hoglandet.example").await;
    assert_eq!(
        app.request(
            Method::PUT,
            &format!("/api/v1/t/hoglandet/insatser/{se}"),
            Some(&coach),
            Some(json!({}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    app.stop().await;
}

#[tokio::test]
async fn the_insats_form_for_the_kansli_and_a_read_only_page_for_its_coach() {
    let app = spawn_app().await;
    let (mut b, _) = app
        .browser_login("kansli@finnveden.example", PASSWORD)
        .await;
    let page = app
        .browse(&mut b, Method::GET, "/t/finnveden/insatser/ny", None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = csrf_from(&page.body).unwrap();
    let form = [
        ("csrf_token", csrf.as_str()),
        ("name", "Arbetsträning"),
        ("kind", "individinriktad"),
        ("responsible_member", "gnosjo"),
        ("goals", "Hälften går vidare\nFärre avbrott"),
        ("years", "1"),
        ("year_0", "2025"),
        ("beviljat_0", "500 000"),
        ("budget_0", "450 000,50"),
        ("utfall_0", "tio"),
    ];
    let a = app
        .browse(&mut b, Method::POST, "/t/finnveden/insatser", Some(&form))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        a.body.contains("href=\"#utfall_0\"") && a.body.contains("value=\"450 000,50\""),
        "{}",
        a.body
    );
    let mut fixed = form;
    fixed[9] = ("utfall_0", "");
    let a = app
        .browse(&mut b, Method::POST, "/t/finnveden/insatser", Some(&fixed))
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let at = a.location().unwrap().to_owned();
    let page = app.browse(&mut b, Method::GET, &at, None).await;
    assert!(page.body.contains("value=\"450 000,50\"") && page.body.contains("Färre avbrott"));

    // The demo's Finnveden coach is attached to NOVA: read-only there, nothing of the new one.
    let (mut coach, _) = app.browser_login("coach@finnveden.example", PASSWORD).await;
    let list = app
        .browse(&mut coach, Method::GET, "/t/finnveden/insatser", None)
        .await;
    assert!(list.body.contains("NOVA") && !list.body.contains("Arbetsträning"));
    assert_eq!(
        app.browse(&mut coach, Method::GET, &at, None).await.status,
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

#[tokio::test]
async fn maluppfyllelse_is_recorded_per_goal_and_year() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let year = app
        .get("/api/v1/t/hoglandet/export?year=2024", Some(&kansli))
        .await
        .json();
    let list = app
        .get("/api/v1/t/hoglandet/insatser", Some(&kansli))
        .await
        .json();
    let se = list["insatser"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "SE-Höglandet")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let old = year["insatser"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "SE-Höglandet")
        .unwrap()
        .clone();
    let first_goal = old["goals"][0]["key"].as_str().unwrap().to_owned();
    let url = format!("/api/v1/t/hoglandet/insatser/{se}/maluppfyllelse/2025");
    let bad = json!({"results": [{"goal": "g999", "status": "uppfyllt"}, {"goal": first_goal, "status": "kanske", "comment": ""}]});
    let a = app
        .request(Method::PUT, &url, Some(&kansli), Some(bad))
        .await;
    let paths: Vec<String> = a.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paths, ["results[0].goal", "results[1].status"]);
    let good = json!({"results": [{"goal": first_goal, "status": "delvis_uppfyllt", "comment": "38 % till arbete"}]});
    let a = app
        .request(Method::PUT, &url, Some(&kansli), Some(good))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let results = a.json()["insats"]["goal_results"]
        .as_array()
        .unwrap()
        .clone();
    let y2025: Vec<_> = results.iter().filter(|r| r["year"] == 2025).collect();
    assert_eq!(y2025.len(), 1);
    assert_eq!(y2025[0]["status"], "delvis_uppfyllt");
    let y2024_before = old["goal_results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["year"] == 2024)
        .count();
    assert_eq!(
        results.iter().filter(|r| r["year"] == 2024).count(),
        y2024_before,
        "other years stay"
    );
    app.stop().await;
}

#[tokio::test]
async fn after_saving_maluppfyllelse_the_page_shows_the_year_just_assessed() {
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let list = app
        .get("/api/v1/t/hoglandet/insatser", Some(&kansli))
        .await
        .json();
    let se = list["insatser"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "SE-Höglandet")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (mut b, _) = app
        .browser_login("kansli@hoglandet.example", PASSWORD)
        .await;
    let page = app
        .browse(
            &mut b,
            Method::GET,
            &format!("/t/hoglandet/insatser/{se}?ar=2023"),
            None,
        )
        .await;
    assert!(page.body.contains("Måluppfyllelse 2023"));
    let csrf = csrf_from(&page.body).unwrap();
    let goal = page
        .body
        .split("name=\"goal_0\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let form = [
        ("csrf_token", csrf.as_str()),
        ("goals", "1"),
        ("goal_0", goal.as_str()),
        ("status_0", "ej_uppfyllt"),
        ("comment_0", ""),
    ];
    let a = app
        .browse(
            &mut b,
            Method::POST,
            &format!("/t/hoglandet/insatser/{se}/maluppfyllelse/2023"),
            Some(&form),
        )
        .await;
    assert_eq!(
        a.location(),
        Some(format!("/t/hoglandet/insatser/{se}?ar=2023#maluppfyllelse").as_str())
    );
    app.stop().await;
}
