//! Tenant isolation and the permission matrix, generated from the router's own route list: every
//! route × every role × the own and a foreign förbund. A route added without the right guard fails here.

use finsam_core::{EmailAddress, Permission, Role};
use finsam_db::repo::{accounts, coach_reports, insatser, members, memberships, tenants};
use finsam_testkit::{TestApp, spawn_app};
use finsam_web::{Access, route_list};
use reqwest::{Method, StatusCode};
use std::collections::HashMap;

const OWN: &str = "hoglandet";
const FOREIGN: &str = "finnveden";

/// Ids to put into a route's path parameters, for the own and the foreign förbund.
pub(crate) struct Fixture {
    own: HashMap<&'static str, String>,
    foreign: HashMap<&'static str, String>,
    /// An insats in the own förbund that the coach is not attached to.
    unattached_insats: String,
    /// A report on that insats.
    unattached_report: String,
    target_account: i64,
}

async fn account_id(app: &TestApp, email: &str) -> i64 {
    accounts::by_email(app.db.platform(), &EmailAddress::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id
}

pub(crate) async fn fixture(app: &TestApp) -> Fixture {
    let own_t = tenants::by_slug(app.db.platform(), OWN)
        .await
        .unwrap()
        .unwrap();
    let foreign_t = tenants::by_slug(app.db.platform(), FOREIGN)
        .await
        .unwrap()
        .unwrap();
    let own_member = members::list(&app.db.tenant(own_t.id), own_t.id)
        .await
        .unwrap()[0]
        .id;
    let foreign_member = members::list(&app.db.tenant(foreign_t.id), foreign_t.id)
        .await
        .unwrap()[0]
        .id;
    let own_ins = insatser::list(
        &app.db.tenant(own_t.id),
        own_t.id,
        insatser::Visibility::All,
    )
    .await
    .unwrap();
    let coach = account_id(app, "coach@hoglandet.example").await;
    let attached = insatser::list(
        &app.db.tenant(own_t.id),
        own_t.id,
        insatser::Visibility::AttachedTo(coach),
    )
    .await
    .unwrap()[0]
        .id;
    let unattached = own_ins.iter().find(|i| i.id != attached).unwrap().id;
    let foreign_ins = insatser::list(
        &app.db.tenant(foreign_t.id),
        foreign_t.id,
        insatser::Visibility::All,
    )
    .await
    .unwrap()[0]
        .id;
    // A person whose role the destructive routes may take away (it is given back before each call).
    let target = accounts::create(
        app.db.platform(),
        &EmailAddress::parse("mal@hoglandet.example").unwrap(),
        "Mål",
        None,
        false,
    )
    .await
    .unwrap();
    memberships::grant(
        &app.db.tenant(own_t.id),
        own_t.id,
        target.id,
        Role::Styrelse,
    )
    .await
    .unwrap();
    let foreign_account = account_id(app, "styrelse@finnveden.example").await;

    // A submitted report on each of: the coach's insats, another insats here, an insats of the other förbund.
    let report = |tenant_id: i64, insats_id: i64| {
        let db = app.db.clone();
        async move {
            let ins = insatser::get(
                &db.tenant(tenant_id),
                tenant_id,
                insats_id,
                insatser::Visibility::All,
            )
            .await
            .unwrap()
            .unwrap();
            let r = finsam_core::yearfile::CoachReport {
                insats: insatser::key_of(&ins),
                kommun: None,
                year: 2024,
                period: finsam_core::yearfile::ReportPeriod::Helar,
                status: finsam_core::yearfile::ReportStatus::Submitted,
                return_comment: None,
                participants: Default::default(),
                new_participants: Default::default(),
                ended: Default::default(),
                efterstod: Default::default(),
                answers: Default::default(),
            };
            coach_reports::save(&db.tenant(tenant_id), tenant_id, None, &r)
                .await
                .unwrap()
        }
    };
    // Both förbund have a 2024 budget, accounts and delår, so a 404 for them can only mean the other
    // förbund's.
    for t in [own_t.id, foreign_t.id] {
        let budget: finsam_core::yearfile::YearFile = serde_json::from_value(serde_json::json!({
            "format": "finsam-year/1", "year": 2024,
            "budget": {"balanserat_resultat_budget_prev_ore": 0, "balanserat_resultat_prognos_prev_ore": 0,
                       "lines": [{"key": "kansli", "label": "Kansli", "section": "administration", "budget_ore": 100, "plan1_ore": 100, "plan2_ore": 100}]},
            "accounts": {"resultat": [], "fordringar": [], "kassa_och_bank_ore": 100, "kortfristiga_skulder": [], "eget_kapital_ingaende_ore": 100},
            "delar": {"resultat": [], "fordringar": [], "kassa_och_bank_ore": 100, "kortfristiga_skulder": [], "eget_kapital_ingaende_ore": 100}
        }))
        .unwrap();
        finsam_db::repo::yearfile::import(&app.db.tenant(t), t, &budget)
            .await
            .unwrap();
    }
    // A meeting in each förbund.
    let mut meeting_ids = Vec::new();
    for t in [own_t.id, foreign_t.id] {
        let m: finsam_core::yearfile::Meeting = serde_json::from_value(serde_json::json!({
            "key": "styrelsemote-2024-03-20", "kind": "styrelsemote", "title": "Styrelsemöte", "date": "2024-03-20", "place": "Eksjö",
            "items": [{"number": "1", "title": "Mötets öppnande"}]
        }))
        .unwrap();
        meeting_ids.push(
            finsam_db::repo::meetings::save(&app.db.tenant(t), t, &m, None)
                .await
                .unwrap(),
        );
    }
    // A document version in each förbund.
    let mut version_ids = Vec::new();
    for t in [own_t.id, foreign_t.id] {
        let d = finsam_db::repo::documents::ensure(
            &app.db.tenant(t),
            t,
            "arsredovisning",
            "2024",
            Some(2024),
            None,
        )
        .await
        .unwrap();
        version_ids.push(
            finsam_db::repo::documents::queue_version(
                &app.db.tenant(t),
                t,
                d.id,
                Some("Test"),
                None,
            )
            .await
            .unwrap()
            .id,
        );
    }
    // A signing round in each förbund (on its version; the round's rules do not look at the file).
    let mut round_ids = Vec::new();
    for (i, t) in [own_t.id, foreign_t.id].into_iter().enumerate() {
        let v = finsam_db::repo::documents::version(&app.db.tenant(t), t, version_ids[i])
            .await
            .unwrap()
            .unwrap();
        let (round, _) = finsam_signing::Round::start(
            finsam_signing::round::NewRound {
                signers: vec![finsam_signing::round::NewSigner {
                    name: "Anna".into(),
                    email: EmailAddress::parse("anna@eksjo.example").unwrap(),
                    title: None,
                    organisation: None,
                }],
                ordered: false,
                deadline: (chrono::Utc::now() + chrono::Duration::days(10)).date_naive(),
                message: None,
                reminders: Default::default(),
                version_sha256: "ab".repeat(32),
            },
            chrono::Utc::now(),
        )
        .unwrap();
        let row = finsam_db::repo::signing::insert_round(
            &app.db.tenant(t),
            finsam_db::repo::signing::NewRoundRow {
                tenant_id: t,
                document_id: v.document_id,
                version_id: v.id,
                reference: round.reference.as_str(),
                status: "pending",
                state: serde_json::to_string(&round).unwrap(),
                ends_at: round.ends_at(),
                auto_distribute: false,
                previous_round_id: None,
                started_by: None,
            },
        )
        .await
        .unwrap();
        round_ids.push(row.id);
    }
    // A survey in each förbund.
    let mut survey_ids = Vec::new();
    for (t, key) in [(own_t.id, "enkat-egen"), (foreign_t.id, "enkat-annan")] {
        let d: finsam_core::yearfile::SurveyDefinition = serde_json::from_value(serde_json::json!({
            "key": key, "name": "Enkät", "scale": ["Nej", "Ja"], "questions": [{"key": "1", "text": "Fråga?"}]
        }))
        .unwrap();
        survey_ids.push(
            finsam_db::repo::surveys::save_definition(&app.db.tenant(t), t, &d, None)
                .await
                .unwrap(),
        );
    }
    let own_report = report(own_t.id, attached).await;
    let unattached_report = report(own_t.id, unattached).await;
    let foreign_report = report(foreign_t.id, foreign_ins).await;

    let map = |slug: &str,
               member: i64,
               insats: i64,
               account: i64,
               report: i64,
               meeting: i64,
               survey: i64,
               version: i64,
               round: i64| {
        HashMap::from([
            ("round_id", round.to_string()),
            ("version_id", version.to_string()),
            ("survey_id", survey.to_string()),
            ("slug", slug.to_owned()),
            ("member_id", member.to_string()),
            ("insats_id", insats.to_string()),
            ("account_id", account.to_string()),
            ("role", "styrelse".to_owned()),
            ("report_id", report.to_string()),
            ("year", "2024".to_owned()),
            ("body", "styrelse".to_owned()),
            ("meeting_id", meeting.to_string()),
        ])
    };
    Fixture {
        own: map(
            OWN,
            own_member,
            attached,
            target.id,
            own_report,
            meeting_ids[0],
            survey_ids[0],
            version_ids[0],
            round_ids[0],
        ),
        foreign: map(
            FOREIGN,
            foreign_member,
            foreign_ins,
            foreign_account,
            foreign_report,
            meeting_ids[1],
            survey_ids[1],
            version_ids[1],
            round_ids[1],
        ),
        unattached_insats: unattached.to_string(),
        unattached_report: unattached_report.to_string(),
        target_account: target.id,
    }
}

/// Fills `{param}`s from `values`; a parameter without a value is a new route this test must learn.
fn fill(path: &str, values: &HashMap<&'static str, String>) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').unwrap() + start;
        let name = &rest[start + 1..end];
        let v = values.get(name).unwrap_or_else(|| {
            panic!("route {path}: add a fixture value for {{{name}}} in tests/isolation.rs")
        });
        out.push_str(&rest[..start]);
        out.push_str(v);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Mixes own and foreign ids: the own slug with a foreign object's id must be as unknown as a missing id.
fn own_slug_foreign_ids(f: &Fixture) -> HashMap<&'static str, String> {
    let mut m = f.foreign.clone();
    m.insert("slug", OWN.into());
    m
}

async fn call(app: &TestApp, method: &Method, path: &str, token: Option<&str>) -> StatusCode {
    let mut rb = app.http.request(method.clone(), app.url(path));
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    rb = if path.starts_with("/api/") {
        rb.header("content-type", "application/json").body("{}")
    } else {
        rb.header("content-type", "application/x-www-form-urlencoded")
            .body("")
    };
    rb.send().await.unwrap().status()
}

const ROLES: [(Role, &str); 4] = [
    (Role::Kansli, "kansli@hoglandet.example"),
    (Role::Styrelse, "styrelse@hoglandet.example"),
    (Role::Beredningsgrupp, "beredning@hoglandet.example"),
    (Role::Coach, "coach@hoglandet.example"),
];

async fn restore_target(app: &TestApp, f: &Fixture) {
    let t = tenants::by_slug(app.db.platform(), OWN)
        .await
        .unwrap()
        .unwrap();
    memberships::grant(&app.db.tenant(t.id), t.id, f.target_account, Role::Styrelse)
        .await
        .unwrap();
}

#[tokio::test]
async fn every_tenant_route_answers_404_for_another_tenant_and_follows_the_permission_matrix() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let mut tokens = Vec::new();
    for (role, email) in ROLES {
        tokens.push((role, app.token(email).await));
    }
    let admin = app.token("admin@finsam.example").await;
    // Kansli in two other förbund, but not in this one.
    let outsider = app.token("forbundschef@finsam.example").await;

    let routes = route_list();
    let tenant_routes: Vec<_> = routes
        .iter()
        .filter(|r| matches!(r.access, Access::Tenant(_) | Access::TenantInsats))
        .collect();
    assert!(
        tenant_routes.len() >= 10,
        "the route list is read from the router"
    );
    let mut checked = 0;
    for r in &tenant_routes {
        assert!(
            r.path.contains("{slug}"),
            "{} {}: a tenant route must take the tenant from the path",
            r.method,
            r.path
        );
        let own_path = fill(r.path, &f.own);
        let foreign_path = fill(r.path, &f.foreign);
        let mixed_path = fill(r.path, &own_slug_foreign_ids(&f));
        let permission = match r.access {
            Access::Tenant(p) => p,
            _ => Permission::ViewTenant,
        };

        for (role, token) in &tokens {
            restore_target(&app, &f).await;
            // Another förbund: 404, whatever the role.
            let s = call(&app, &r.method, &foreign_path, Some(token)).await;
            assert_eq!(
                s,
                StatusCode::NOT_FOUND,
                "{role:?} {} {foreign_path}",
                r.method
            );
            // The own förbund with another förbund's object id: 404 as well (when allowed at all).
            if mixed_path != own_path && role.can(permission) {
                let s = call(&app, &r.method, &mixed_path, Some(token)).await;
                assert_eq!(
                    s,
                    StatusCode::NOT_FOUND,
                    "{role:?} {} {mixed_path}",
                    r.method
                );
            }
            restore_target(&app, &f).await;
            // The own förbund: allowed, or 403.
            let s = call(&app, &r.method, &own_path, Some(token)).await;
            if role.can(permission) {
                assert!(
                    !matches!(
                        s,
                        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
                    ),
                    "{role:?} may {} {own_path}, got {s}",
                    r.method
                );
            } else {
                assert_eq!(
                    s,
                    StatusCode::FORBIDDEN,
                    "{role:?} may not {} {own_path}",
                    r.method
                );
            }
            checked += 1;
        }
        if r.access == Access::TenantInsats {
            let mut values = f.own.clone();
            values.insert("insats_id", f.unattached_insats.clone());
            values.insert("report_id", f.unattached_report.clone());
            let unattached = fill(r.path, &values);
            for (role, token) in &tokens {
                let s = call(&app, &r.method, &unattached, Some(token)).await;
                let want = if *role == Role::Coach {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::OK
                };
                assert_eq!(s, want, "{role:?} {unattached}");
            }
        }
        // No membership here: the platform admin and a kansli of other förbund see nothing.
        for token in [&admin, &outsider] {
            assert_eq!(
                call(&app, &r.method, &own_path, Some(token)).await,
                StatusCode::NOT_FOUND,
                "outsider {own_path}"
            );
        }
        // Nobody signed in.
        let s = call(&app, &r.method, &own_path, None).await;
        if r.path.starts_with("/api/") {
            assert_eq!(s, StatusCode::UNAUTHORIZED, "anonymous {own_path}");
        } else if r.method == Method::GET {
            assert_eq!(
                s,
                StatusCode::SEE_OTHER,
                "anonymous {own_path} goes to the login page"
            );
        } else {
            assert_eq!(
                s,
                StatusCode::FORBIDDEN,
                "anonymous form post {own_path} has no CSRF token"
            );
        }
    }
    assert_eq!(checked, tenant_routes.len() * ROLES.len());
    app.stop().await;
}

#[tokio::test]
async fn platform_admin_routes_are_for_the_admin_only_and_signed_in_routes_need_sign_in() {
    let app = spawn_app().await;
    let admin = app.token("admin@finsam.example").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let values = HashMap::from([(
        "account_id",
        accounts::by_email(
            app.db.platform(),
            &EmailAddress::parse("coach@finnveden.example").unwrap(),
        )
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string(),
    )]);
    for r in route_list() {
        match r.access {
            Access::PlatformAdmin => {
                let path = fill(r.path, &values);
                assert_eq!(
                    call(&app, &r.method, &path, Some(&kansli)).await,
                    StatusCode::FORBIDDEN,
                    "{} {path}",
                    r.method
                );
                let s = call(&app, &r.method, &path, Some(&admin)).await;
                assert!(
                    !matches!(
                        s,
                        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
                    ),
                    "admin {} {path}: {s}",
                    r.method
                );
                let s = call(&app, &r.method, &path, None).await;
                assert!(
                    matches!(
                        s,
                        StatusCode::UNAUTHORIZED | StatusCode::SEE_OTHER | StatusCode::FORBIDDEN
                    ),
                    "anonymous {} {path}: {s}",
                    r.method
                );
            }
            Access::SignedIn => {
                let path = fill(r.path, &values);
                let s = call(&app, &r.method, &path, None).await;
                assert!(
                    matches!(
                        s,
                        StatusCode::UNAUTHORIZED | StatusCode::SEE_OTHER | StatusCode::FORBIDDEN
                    ),
                    "anonymous {} {path}: {s}",
                    r.method
                );
            }
            _ => {}
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn each_forbund_lists_its_own_members_and_nobody_elses() {
    let app = spawn_app().await;
    let expected = [
        (
            "sodra-vatterbygden",
            "kansli@sodra-vatterbygden.example",
            "Jönköpings kommun",
            "Eksjö kommun",
        ),
        (
            "hoglandet",
            "kansli@hoglandet.example",
            "Eksjö kommun",
            "Gnosjö kommun",
        ),
        (
            "finnveden",
            "kansli@finnveden.example",
            "Gnosjö kommun",
            "Habo kommun",
        ),
    ];
    for (slug, email, has, lacks) in expected {
        let token = app.token(email).await;
        let a = app
            .get(&format!("/api/v1/t/{slug}/members"), Some(&token))
            .await;
        assert_eq!(a.status, StatusCode::OK);
        let names: Vec<String> = a.json()["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap().to_owned())
            .collect();
        assert!(names.contains(&has.to_owned()), "{slug}: {names:?}");
        assert!(!names.contains(&lacks.to_owned()), "{slug}: {names:?}");
        for common in [
            "Region Jönköpings län",
            "Försäkringskassan",
            "Arbetsförmedlingen",
        ] {
            assert!(names.contains(&common.to_owned()), "{slug} has {common}");
        }
        let first = &a.json()["members"][0];
        assert_eq!(first["name"], "Försäkringskassan");
        assert_eq!(first["kind"], "forsakringskassan");
        assert_eq!(first["organisationsnummer"], "202100-5521");
    }
    let hoglandet = app
        .get(
            "/api/v1/t/hoglandet/members",
            Some(&app.token("kansli@hoglandet.example").await),
        )
        .await;
    assert_eq!(
        hoglandet.json()["members"].as_array().unwrap().len(),
        9,
        "FK, AF, the region and six kommuner"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_coach_sees_only_the_insatser_they_are_attached_to() {
    let app = spawn_app().await;
    let coach = app.token("coach@hoglandet.example").await;
    let a = app.get("/api/v1/t/hoglandet/insatser", Some(&coach)).await;
    let names: Vec<_> = a.json()["insatser"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["SE-Höglandet"]);
    let styrelse = app.token("styrelse@hoglandet.example").await;
    let a = app
        .get("/api/v1/t/hoglandet/insatser", Some(&styrelse))
        .await;
    assert_eq!(a.json()["insatser"].as_array().unwrap().len(), 2);
    // The coach cannot see who holds which role either.
    assert_eq!(
        app.get("/api/v1/t/hoglandet/people", Some(&coach))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    app.stop().await;
}
