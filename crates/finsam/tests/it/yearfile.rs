//! The year file over the API: import all-or-nothing and idempotent, every problem listed, the size
//! limit, and export → import into an empty förbund → export giving the same file.

use finsam_core::{EmailAddress, Role, TenantSlug};
use finsam_db::repo::{accounts, memberships, tenants};
use finsam_testkit::{TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn year_file() -> Value {
    json!({
        "format": "finsam-year/1",
        "year": 2024,
        "members": [
            {"key": "eksjo", "name": "Eksjö kommun", "kind": "kommun", "organisationsnummer": "212000-0621",
             "population": {"2024": 17700}, "registrator_emails": ["registrator@eksjo.example"],
             "contact": {"name": "Anna Andersson", "email": "anna@eksjo.example"}},
            {"key": "forsakringskassan", "name": "Försäkringskassan", "kind": "forsakringskassan", "organisationsnummer": "202100-5521",
             "registrator_emails": ["registrator@fk.example"]}
        ],
        "people": [
            {"key": "hörlin", "name": "Sebastian Hörlin", "email": "sebastian@eksjo.example", "title": "Ordförande", "organisation": "Eksjö kommun"},
            {"key": "rydell", "name": "Klas Rydell", "organisation": "Försäkringskassan"},
            {"key": "khan", "name": "Majda Khan"}
        ],
        "organisation": {
            "styrelse": [
                {"person": "hörlin", "member": "eksjo", "seat": "ordinarie", "position": "ordforande"},
                {"person": "rydell", "member": "forsakringskassan", "seat": "ordinarie"},
                {"person": "khan", "member": "forsakringskassan", "seat": "ersattare", "from": "2024-12-01"}
            ],
            "kansli": [{"person": "hörlin", "title": "Förbundschef", "share_percent": 100}]
        },
        "insatser": [{
            "key": "se", "name": "SE-Höglandet", "kind": "individinriktad", "responsible_member": "eksjo",
            "performer": "Eksjö kommun", "period_from": "2022-01-01", "target_group": "Unga vuxna", "description": "Supported employment.",
            "goals": [{"key": "g1", "text": "40 % till arbete eller studier"}],
            "years": [{"year": 2024, "beviljat_ore": 400000000, "budget_ore": 380000000, "utfall_ore": 397575000}],
            "goal_results": [{"goal": "g1", "year": 2024, "status": "uppfyllt", "comment": "42 av 220"}],
            "coaches": [{"email": "coach@hoglandet.example", "kommun": "eksjo"}]
        }],
        "coach_reports": [{
            "insats": "se", "kommun": "eksjo", "year": 2024, "period": "helar", "status": "approved",
            "participants": {"kvinnor": 95, "man": 125}, "new_participants": {"kvinnor": 40, "man": 50},
            "ended": {"arbete": {"kvinnor": 17, "man": 23}, "studier": {"kvinnor": 2}, "annat_skal": {"kvinnor": 13, "man": 19}},
            "efterstod": {"kvinnor": 21, "man": 25},
            "answers": {"coaches": "Tre coacher", "coach_share_percent": 75, "remittentgrupp": "AF, FK, regionen, kommunen",
                        "remittentgrupp_meetings": 6, "handelser": "Personalbyte", "arbetsgivarkontakt": "God",
                        "framgangsfaktorer": "Tät kontakt", "jamstalldhet": "Följs upp", "ovrigt": ""}
        }],
        "survey_definitions": [{"key": "nns-2024", "name": "Indikatorer 2024", "scale": ["Nej", "Delvis", "Ja"],
                                "questions": [{"key": "1", "text": "Fråga ett"}, {"key": "4a", "text": "Fråga fyra a"}]}],
        "survey_results": [{"insats": "se", "year": 2024, "survey": "nns-2024",
                            "answers": [{"question": "1", "counts": [1, 2, 3]}, {"question": "4a", "counts": [0, 0, 6]}]}],
        "accounts": {
            "resultat": [
                {"key": "fk", "label": "Driftbidrag från Försäkringskassan", "section": "intakt", "member": "forsakringskassan", "utfall_ore": 401800000, "prior_ore": 401800000},
                {"key": "se", "label": "SE-Projekt", "section": "kostnad", "class": "individinriktad", "insats": "se", "utfall_ore": 397575000},
                {"key": "ranta", "label": "Ränta", "section": "finansiell_intakt", "utfall_ore": 14062200}
            ],
            "fordringar": [{"key": "kund", "label": "Kundfordringar", "ore": 4200000, "prior_ore": 0}],
            "kassa_och_bank_ore": 200990960, "kassa_och_bank_prior_ore": 218655060,
            "kortfristiga_skulder": [{"key": "lev", "label": "Leverantörsskulder", "ore": 38751300}],
            "eget_kapital_ingaende_ore": 163947100,
            "anstallda_hundredths": 100,
            "history": [{"year": 2023, "intakter_ore": 816980300, "kostnader_ore": 774591400, "arets_resultat_ore": 42388900, "soliditet_tenths": 734, "anstallda_hundredths": 100}]
        },
        "budget": {
            "balanserat_resultat_budget_prev_ore": 199971000, "balanserat_resultat_prognos_prev_ore": 233702400,
            "lines": [{"key": "fk", "label": "Staten gm Försäkringskassan", "section": "intakt", "member": "forsakringskassan",
                       "budget_prev_ore": 444600000, "prognos_prev_ore": 444600000, "budget_ore": 557400000, "plan1_ore": 557400000, "plan2_ore": 557400000}],
            "decided_on": "2023-11-23"
        },
        "settings": {
            "socioekonomi_offentlig_forsorjning_ore": 1000000, "socioekonomi_administration_ore": 50000, "socioekonomi_skatt_ore": 570000,
            "eget_kapital_brackets": [{"up_to_ore": 700000000, "percent_tenths": 200}, {"up_to_ore": 1500000000, "percent_tenths": 150}, {"percent_tenths": 100}],
            "eget_kapital_reading": "marginal", "delarsrapport_required": true
        },
        "texts": {"ordforanden_har_ordet": "Ett år av **samverkan**.\n\n- Punkt ett\n- Punkt två"},
        "meetings": [{
            "key": "styrelse-2024-03-20", "kind": "styrelsemote", "title": "Styrelsemöte", "date": "2024-03-20", "place": "Eksjö",
            "kallade": "Styrelsen", "deltagare": ["Sebastian Hörlin", "Klas Rydell"], "bilagor": [],
            "items": [{"number": "1", "title": "Mötets öppnande", "text": ""}, {"number": "2", "title": "Val av justerare", "text": "", "beslut": "Klas Rydell väljs."}],
            "motesordforande": "hörlin", "justerare": ["rydell"]
        }]
    })
}

async fn import(app: &TestApp, slug: &str, token: &str, body: &Value) -> finsam_testkit::Answer {
    app.post_json(
        &format!("/api/v1/t/{slug}/import"),
        Some(token),
        body.clone(),
    )
    .await
}

async fn export(app: &TestApp, slug: &str, token: &str) -> Value {
    let a = app
        .get(&format!("/api/v1/t/{slug}/export?year=2024"), Some(token))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.json()
}

/// The file as the year-file types write it: every field spelled out.
fn normalised(v: &Value) -> Value {
    let parsed = finsam_core::yearfile::parse(v.to_string().as_bytes()).expect("a valid file");
    serde_json::to_value(parsed).unwrap()
}

/// Removes the records that the demo made before the file came, so exports can be compared.
fn only_file_records(mut v: Value) -> Value {
    for list in ["members", "insatser"] {
        let file = year_file();
        let keys: Vec<&str> = file[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["key"].as_str().unwrap())
            .collect();
        let kept: Vec<Value> = v[list]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| keys.contains(&m["key"].as_str().unwrap()))
            .cloned()
            .collect();
        v[list] = Value::Array(kept);
    }
    v
}

#[tokio::test]
async fn a_year_file_goes_in_whole_and_comes_back_out_the_same() {
    let app = spawn_app().await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let file = year_file();
    let a = import(&app, "hoglandet", &kansli, &file).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["imported"]["members"], 2);
    let first = export(&app, "hoglandet", &kansli).await;
    assert_eq!(
        only_file_records(first.clone()),
        normalised(&file),
        "what went in comes out"
    );
    // The member that matched the demo's Eksjö by organisationsnummer is one member, not two.
    let members = app
        .get("/api/v1/t/hoglandet/members", Some(&kansli))
        .await
        .json();
    let eksjo: Vec<_> = members["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["organisationsnummer"] == "212000-0621")
        .collect();
    assert_eq!(eksjo.len(), 1);
    assert_eq!(
        eksjo[0]["registrator_emails"],
        json!(["registrator@eksjo.example"])
    );
    // The same file again changes nothing.
    assert_eq!(
        import(&app, "hoglandet", &kansli, &file).await.status,
        StatusCode::OK
    );
    assert_eq!(export(&app, "hoglandet", &kansli).await, first);
    // The coach named in the file is attached to the insats (the demo coach was already).
    let coach = app.token("coach@hoglandet.example").await;
    let ins = app
        .get("/api/v1/t/hoglandet/insatser", Some(&coach))
        .await
        .json();
    assert_eq!(ins["insatser"][0]["name"], "SE-Höglandet");
    // Styrelse may export; a coach may not; another förbund sees nothing of it.
    let styrelse = app.token("styrelse@hoglandet.example").await;
    assert_eq!(export(&app, "hoglandet", &styrelse).await, first);
    assert_eq!(
        app.get("/api/v1/t/hoglandet/export?year=2024", Some(&coach))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let other = app.token("kansli@finnveden.example").await;
    let theirs = export(&app, "finnveden", &other).await;
    assert!(!theirs.to_string().contains("SE-Höglandet") && theirs["people"] == json!([]));
    app.stop().await;
}

#[tokio::test]
async fn export_then_import_into_an_empty_forbund_then_export_gives_the_same_file() {
    let app = spawn_app().await;
    let kansli = app.token("kansli@hoglandet.example").await;
    assert_eq!(
        import(&app, "hoglandet", &kansli, &year_file())
            .await
            .status,
        StatusCode::OK
    );
    let exported = export(&app, "hoglandet", &kansli).await;

    let empty = tenants::create(
        app.db.platform(),
        &TenantSlug::parse("tomt").unwrap(),
        "Tomma förbundet",
    )
    .await
    .unwrap();
    let account = accounts::by_email(
        app.db.platform(),
        &EmailAddress::parse("kansli@hoglandet.example").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    memberships::grant(&app.db.tenant(empty.id), empty.id, account.id, Role::Kansli)
        .await
        .unwrap();
    let kansli = app.token("kansli@hoglandet.example").await;
    let a = import(&app, "tomt", &kansli, &exported).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(export(&app, "tomt", &kansli).await, exported);
    app.stop().await;
}

#[tokio::test]
async fn a_broken_file_changes_nothing_and_every_problem_is_listed() {
    let app = spawn_app().await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let first = import(&app, "hoglandet", &kansli, &year_file()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let before = export(&app, "hoglandet", &kansli).await;

    let mut broken = year_file();
    broken["members"][0]["name"] = json!("Nytt namn som inte får sparas");
    broken["organisation"]["styrelse"][1]["member"] = json!("nassjo");
    broken["organisation"]["styrelse"][2]["to"] = json!("2024-01-01");
    broken["coach_reports"][0]["answers"]["ovrigt"] = json!("Deltagare 850709-1234 fick jobb");
    broken["insatser"][0]["goal_results"][0]["goal"] = json!("g9");
    let a = import(&app, "hoglandet", &kansli, &broken).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = a.json();
    assert_eq!(body["error"]["code"], "validation_failed");
    let paths: Vec<_> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "organisation.styrelse[1].member",
            "organisation.styrelse[2].to",
            "insatser[0].goal_results[0].goal",
            "coach_reports[0].answers.ovrigt"
        ]
    );
    assert!(body.to_string().contains("personnummer"));
    // A negative count and a wrong type are named by path too.
    let mut negative = year_file();
    negative["coach_reports"][0]["participants"]["kvinnor"] = json!(-1);
    let a = import(&app, "hoglandet", &kansli, &negative).await;
    assert_eq!(
        a.json()["error"]["fields"][0]["path"],
        "coach_reports[0].participants.kvinnor"
    );
    let a = app
        .http
        .post(app.url("/api/v1/t/hoglandet/import"))
        .bearer_auth(&kansli)
        .body("{ inte json")
        .send()
        .await
        .unwrap();
    assert_eq!(a.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        export(&app, "hoglandet", &kansli).await,
        before,
        "nothing was written"
    );

    // A balance sheet that does not balance is data: accepted (the checks flag it).
    let mut unbalanced = year_file();
    unbalanced["accounts"]["kassa_och_bank_ore"] = json!(1);
    assert_eq!(
        import(&app, "hoglandet", &kansli, &unbalanced).await.status,
        StatusCode::OK
    );
    app.stop().await;
}

#[tokio::test]
async fn a_file_above_five_mib_answers_413_and_only_the_kansli_imports() {
    let app = spawn_app().await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let mut big = year_file();
    big["texts"]["ordforanden_har_ordet"] = json!("x".repeat(5 * 1024 * 1024 + 1));
    let a = import(&app, "hoglandet", &kansli, &big).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.json()["error"]["code"], "payload_too_large");
    let mut fits = year_file();
    fits["insatser"][0]["description"] = json!("y".repeat(4 * 1024 * 1024));
    assert_eq!(
        import(&app, "hoglandet", &kansli, &fits).await.status,
        StatusCode::OK
    );
    let styrelse = app.token("styrelse@hoglandet.example").await;
    assert_eq!(
        import(&app, "hoglandet", &styrelse, &year_file())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    app.stop().await;
}

#[tokio::test]
async fn the_kansli_uploads_a_year_file_in_the_browser() {
    use finsam_testkit::csrf_from;
    let app = spawn_app().await;
    let (b, _) = app
        .browser_login("kansli@hoglandet.example", finsam_testkit::PASSWORD)
        .await;
    let page = app
        .http
        .get(app.url("/t/hoglandet/ar/2024"))
        .header("cookie", b.cookie_header())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("enctype=\"multipart/form-data\""));
    let csrf = csrf_from(&page.replace("import?csrf_token=", "name=\"csrf_token\" value=\""))
        .expect("the upload form carries a token");
    let upload = |body: String, token: Option<String>| {
        let app = &app;
        let cookie = b.cookie_header();
        async move {
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::text(body).file_name("ar.json"),
            );
            let url = match token {
                Some(t) => app.url(&format!("/t/hoglandet/import?csrf_token={t}")),
                None => app.url("/t/hoglandet/import"),
            };
            app.http
                .post(url)
                .header("cookie", cookie)
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };
    // Without the token: refused.
    assert_eq!(
        upload(year_file().to_string(), None).await.status(),
        StatusCode::FORBIDDEN
    );
    // A broken file: a page listing every problem, nothing written.
    let mut broken = year_file();
    broken["organisation"]["styrelse"][1]["member"] = json!("nassjo");
    broken["coach_reports"][0]["answers"]["ovrigt"] = json!("850709-1234");
    let r = upload(broken.to_string(), Some(csrf.clone())).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("organisation.styrelse[1].member")
            && html.contains("coach_reports[0].answers.ovrigt")
            && html.contains("Ingenting har ändrats")
    );
    let kansli = app.token("kansli@hoglandet.example").await;
    assert_eq!(
        export(&app, "hoglandet", &kansli).await["people"],
        json!([])
    );
    // A good one: read in, and the year page shows it.
    let r = upload(year_file().to_string(), Some(csrf)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/t/hoglandet/ar/2024");
    assert_eq!(
        export(&app, "hoglandet", &kansli).await["people"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    app.stop().await;
}
