//! API conventions: the OpenAPI document, health, error bodies, security headers, the audit log.

use finsam_testkit::spawn_app;
use finsam_web::route_list;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::json;

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = spawn_app().await;
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for r in route_list()
        .iter()
        .filter(|r| r.path.starts_with("/api/v1/") && r.path != "/api/v1/openapi.json")
    {
        let entry = paths
            .get(r.path)
            .unwrap_or_else(|| panic!("{} is missing from the OpenAPI document", r.path));
        let method = r.method.as_str().to_lowercase();
        assert!(
            entry.get(&method).is_some(),
            "{} {} is missing from the OpenAPI document",
            r.method,
            r.path
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn health_readiness_and_headers() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    assert_eq!(app.get("/readyz", None).await.status, StatusCode::OK);
    let page = app.get("/login", None).await;
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("object-src 'none'"));
    assert_eq!(page.headers["x-content-type-options"], "nosniff");
    assert_eq!(page.headers["referrer-policy"], "no-referrer");
    assert!(page.body.contains("<html lang=\"sv\">"));
    assert!(
        !page.body.contains("http://") && !page.body.contains("https://"),
        "nothing is loaded from elsewhere"
    );
    assert!(page.headers.contains_key("x-request-id"));
    app.stop().await;
}

#[tokio::test]
async fn errors_have_a_stable_shape() {
    let app = spawn_app().await;
    let a = app.get("/api/v1/finns-inte", None).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(
        a.json(),
        json!({"error": {"code": "not_found", "message": "Sidan eller uppgiften finns inte.", "fields": []}})
    );
    let a = app.get("/api/v1/me", None).await;
    assert_eq!(a.json()["error"]["code"], "unauthenticated");
    let a = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(a.status(), StatusCode::BAD_REQUEST);
    let a = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({"email": 5, "password": "x"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.json()["error"]["fields"][0]["path"], "email");
    let big = "x".repeat(2 * 1024 * 1024);
    let a = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(a.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // A page that does not exist is a Swedish page.
    let a = app.get("/finns-inte", None).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(a.body.contains("Sidan finns inte"));
    app.stop().await;
}

#[tokio::test]
async fn the_audit_log_is_append_only() {
    let app = spawn_app().await;
    let _ = app.token("kansli@hoglandet.example").await;
    let n = app
        .db
        .all_tenants()
        .execute_unprepared("UPDATE audit_events SET action = 'x'")
        .await;
    assert!(n.is_err(), "UPDATE must be refused");
    let n = app
        .db
        .all_tenants()
        .execute_unprepared("DELETE FROM audit_events")
        .await;
    assert!(n.is_err(), "DELETE must be refused");
    app.stop().await;
}

#[tokio::test]
async fn the_kansli_invites_board_members_and_takes_roles_away() {
    let app = spawn_app().await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let a = app
        .post_json("/api/v1/t/hoglandet/memberships", Some(&kansli), json!({"name": "Ny Ledamot", "email": "ny.ledamot@aneby.example", "role": "ordförande"}))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.json()["error"]["fields"][0]["path"], "role");
    let a = app
        .post_json(
            "/api/v1/t/hoglandet/memberships",
            Some(&kansli),
            json!({"name": "Ny Ledamot", "email": "ny.ledamot@aneby.example", "role": "styrelse"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    let id = a.json()["account_id"].as_i64().unwrap();
    app.wait_for_mail("ny.ledamot@aneby.example").await;
    let people = app
        .get("/api/v1/t/hoglandet/people", Some(&kansli))
        .await
        .json();
    assert!(people.to_string().contains("ny.ledamot@aneby.example"));
    let a = app
        .request(
            reqwest::Method::DELETE,
            &format!("/api/v1/t/hoglandet/memberships/{id}/styrelse"),
            Some(&kansli),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    let a = app
        .request(
            reqwest::Method::DELETE,
            &format!("/api/v1/t/hoglandet/memberships/{id}/styrelse"),
            Some(&kansli),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    app.stop().await;
}
