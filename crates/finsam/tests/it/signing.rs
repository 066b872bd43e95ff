//! Signing by e-mail, end to end in-process: a rendered årsredovisning goes out to three signers, each
//! reads the link and the code from the outbox `.eml` files, one declines, a new round is signed by all,
//! the sealed PDF carries the signature page, verification accepts it and refuses a changed byte, and
//! the members' registrators each receive the sealed PDF.

use chrono::{Duration, Utc};
use finsam_testkit::{Mail, TestApp, pdftotext, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const SLUG: &str = "hoglandet";
const SIGNERS: [(&str, &str, &str, &str); 3] = [
    (
        "Anna Ordförande",
        "anna@eksjo.example",
        "Ordförande",
        "Eksjö kommun",
    ),
    (
        "Bo Ledamot",
        "bo@nassjo.example",
        "Ledamot",
        "Nässjö kommun",
    ),
    (
        "Cecilia Vice",
        "cecilia@rjl.example",
        "Vice ordförande",
        "Region Jönköpings län",
    ),
];

async fn wait_for<F: Fn(&Value) -> bool>(app: &TestApp, token: &str, path: &str, done: F) -> Value {
    for _ in 0..600 {
        let v = app.get(path, Some(token)).await.json();
        if done(&v) {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("{path} did not reach the state in 2 minutes");
}

async fn rendered_annual_report(app: &TestApp, kansli: &str) -> Value {
    let a = app
        .request(
            Method::POST,
            &format!("/api/v1/t/{SLUG}/documents"),
            Some(kansli),
            Some(json!({"kind": "arsredovisning", "year": 2024})),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.body);
    let id = a.json()["version_id"].as_i64().unwrap();
    let v = wait_for(
        app,
        kansli,
        &format!("/api/v1/t/{SLUG}/versions/{id}"),
        |v| v["status"] == "ready" || v["status"] == "failed",
    )
    .await;
    assert_eq!(v["status"], "ready", "{v}");
    v
}

fn signers_json() -> Value {
    Value::Array(
        SIGNERS
            .iter()
            .map(|(n, e, t, o)| json!({"name": n, "email": e, "title": t, "organisation": o}))
            .collect(),
    )
}

fn deadline() -> String {
    (Utc::now() + Duration::days(10)).date_naive().to_string()
}

async fn start_round(app: &TestApp, kansli: &str, version: i64) -> i64 {
    let a = app
        .request(
            Method::POST,
            &format!("/api/v1/t/{SLUG}/versions/{version}/signing-rounds"),
            Some(kansli),
            Some(json!({"signers": signers_json(), "deadline": deadline(), "message": "Hej!\nVänligen skriv under."})),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    a.json()["round_id"].as_i64().unwrap()
}

/// The token of the `nth` (1-based) invitation to `email`.
async fn link_token(app: &TestApp, email: &str, nth: usize) -> String {
    let mut found = None;
    for _ in 0..200 {
        let list: Vec<Mail> = app
            .outbox()
            .into_iter()
            .filter(|m| m.to == email && m.subject.starts_with("Underskrift begärs"))
            .collect();
        if list.len() >= nth {
            found = Some(list[nth - 1].clone());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let m = found.unwrap_or_else(|| panic!("invitation {nth} to {email} did not arrive"));
    assert!(!m.html.contains("<img"), "no tracking pixel");
    // The förbund's sender name and reply-to (set by the test that starts the round).
    assert_eq!(m.from_name, "Samordningsförbundet Höglandet, kansliet");
    assert_eq!(m.reply_to, "kansli@hoglandet.example");
    let link = m
        .link(&format!("{}/sign/", app.base))
        .expect("a signing link");
    let token = link.rsplit('/').next().unwrap().to_owned();
    assert!(token.len() >= 43, "at least 256 bits");
    assert!(m.html.contains(&token), "the HTML has the link too");
    token
}

/// Asks for a code and reads it from the outbox.
async fn code_for(app: &TestApp, token: &str, email: &str) -> String {
    let before = app
        .outbox()
        .iter()
        .filter(|m| m.to == email && m.subject.contains("Din kod"))
        .count();
    let a = app
        .request(
            Method::POST,
            &format!("/api/v1/sign/{token}/code"),
            None,
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    for _ in 0..200 {
        let codes: Vec<Mail> = app
            .outbox()
            .into_iter()
            .filter(|m| m.to == email && m.subject.contains("Din kod"))
            .collect();
        if codes.len() > before {
            let code = codes.last().unwrap().code().expect("a code line");
            assert_eq!(code.len(), 6);
            assert!(code.chars().all(|c| c.is_ascii_digit()));
            return code;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no code arrived for {email}");
}

async fn decide(app: &TestApp, token: &str, body: Value) -> finsam_testkit::Answer {
    app.request(
        Method::POST,
        &format!("/api/v1/sign/{token}"),
        None,
        Some(body),
    )
    .await
}

async fn verify(app: &TestApp, pdf: &[u8]) -> Value {
    let r = app
        .http
        .post(app.url("/api/v1/verify"))
        .header("content-type", "application/pdf")
        .body(pdf.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

#[tokio::test]
async fn a_round_is_declined_a_new_one_is_signed_sealed_verified_and_sent_to_the_members() {
    let app = spawn_app().await;
    app.import_fixture(SLUG, "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let version = rendered_annual_report(&app, &kansli).await;
    let vid = version["id"].as_i64().unwrap();
    // The förbund's e-mail goes out under its own name, with replies to the kansli.
    let a = app
        .request(
            Method::PUT,
            &format!("/api/v1/t/{SLUG}/profile"),
            Some(&kansli),
            Some(json!({
                "mail_from_name": "Samordningsförbundet Höglandet, kansliet",
                "mail_reply_to": "KANSLI@hoglandet.example",
            })),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);

    // Round 1: two sign, one declines.
    let first = start_round(&app, &kansli, vid).await;
    let round = app
        .get(
            &format!("/api/v1/t/{SLUG}/signing-rounds/{first}"),
            Some(&kansli),
        )
        .await
        .json();
    assert_eq!(round["status"], "pending");
    assert_eq!(round["signers"].as_array().unwrap().len(), 3);
    assert!(
        round["signers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "invited")
    );
    // A second round on the same version while one is pending is refused.
    let again = app
        .request(
            Method::POST,
            &format!("/api/v1/t/{SLUG}/versions/{vid}/signing-rounds"),
            Some(&kansli),
            Some(json!({"signers": signers_json(), "deadline": deadline()})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

    let tokens: Vec<String> = {
        let mut t = Vec::new();
        for (_, email, _, _) in SIGNERS {
            t.push(link_token(&app, email, 1).await);
        }
        t
    };
    // The signer's page shows the document and who signs.
    let page = app.get(&format!("/sign/{}", tokens[0]), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Bo Ledamot") && page.body.contains("Cecilia Vice"));
    assert!(page.body.contains(&format!("/sign/{}/pdf", tokens[0])));
    let shown = app.get(&format!("/sign/{}/pdf", tokens[0]), None).await;
    assert_eq!(shown.status, StatusCode::OK);

    // A wrong code is refused and counted; the right one signs.
    let code = code_for(&app, &tokens[0], SIGNERS[0].1).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let a = decide(&app, &tokens[0], json!({"code": wrong, "decision": "sign"})).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert_eq!(a.json()["error"]["fields"][0]["path"], "code");
    let a = decide(&app, &tokens[0], json!({"code": code, "decision": "sign"})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["signer_status"], "signed");
    // The link stops working for the signer who signed.
    let a = decide(&app, &tokens[0], json!({"code": code, "decision": "sign"})).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);

    let code = code_for(&app, &tokens[1], SIGNERS[1].1).await;
    let a = decide(&app, &tokens[1], json!({"code": code, "decision": "sign"})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);

    let code = code_for(&app, &tokens[2], SIGNERS[2].1).await;
    let a = decide(
        &app,
        &tokens[2],
        json!({"code": code, "decision": "decline"}),
    )
    .await;
    assert_eq!(
        a.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a decline needs a reason"
    );
    assert_eq!(a.json()["error"]["fields"][0]["path"], "reason");
    let a = decide(
        &app,
        &tokens[2],
        json!({"code": code, "decision": "decline", "reason": "Not 7 ska rättas först."}),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["status"], "declined");
    let round = app
        .get(
            &format!("/api/v1/t/{SLUG}/signing-rounds/{first}"),
            Some(&kansli),
        )
        .await
        .json();
    assert_eq!(round["status"], "declined");
    assert_eq!(
        round["signers"][2]["declined_reason"],
        "Not 7 ska rättas först."
    );
    assert!(
        round["signers"][0]["signed_at"]
            .as_str()
            .unwrap()
            .contains(" +0")
    );
    // The kansli is told.
    let notice = app
        .wait_for_mail_about("kansli@hoglandet.example", "avböjdes")
        .await;
    assert!(notice.text.contains("Not 7 ska rättas först."));
    // The round is over: nobody's link works.
    let closed = app.get(&format!("/sign/{}", tokens[1]), None).await;
    assert_eq!(closed.status, StatusCode::GONE);

    // Round 2: all sign.
    let second = start_round(&app, &kansli, vid).await;
    assert_ne!(second, first);
    for (_, email, _, _) in SIGNERS {
        let token = link_token(&app, email, 2).await;
        let code = code_for(&app, &token, email).await;
        let a = decide(&app, &token, json!({"code": code, "decision": "sign"})).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    }
    let round = wait_for(
        &app,
        &kansli,
        &format!("/api/v1/t/{SLUG}/signing-rounds/{second}"),
        |r| r["status"] == "sealed",
    )
    .await;
    let sealed_id = round["sealed_version_id"]
        .as_i64()
        .expect("a sealed version");
    let reference = round["reference"].as_str().unwrap().to_owned();
    let pdf = app
        .http
        .get(app.url(&format!("/api/v1/t/{SLUG}/versions/{sealed_id}/pdf")))
        .bearer_auth(&kansli)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    assert_eq!(
        hex::encode(Sha256::digest(&pdf)),
        round["sealed_sha256"].as_str().unwrap(),
        "the seal is the hash of the sealed file"
    );
    if let Ok(path) = std::env::var("FINSAM_KEEP_SEALED_PDF") {
        // For looking at the signature page (docs/testing.md).
        std::fs::write(path, &pdf).unwrap();
    }
    let text = pdftotext(&pdf);
    assert!(text.contains("UNDERSKRIFTSSIDA"), "{text}");
    assert!(text.contains("Detta dokument har undertecknats med elektroniska underskrifter"));
    for (name, email, _, _) in SIGNERS {
        assert!(text.contains(name), "{name} on the signature page");
        assert!(text.contains(email), "{email} as the identification");
    }
    assert!(text.contains("Accepterad av alla undertecknare"));
    assert!(text.contains(&reference));
    let compact: String = text.split_whitespace().collect();
    assert!(
        compact.contains(version["pdf_sha256"].as_str().unwrap()),
        "the signed version's hash"
    );
    // The document itself is inside, not stapled on: the signed version's pages come first.
    let signed_text = pdftotext(
        &app.http
            .get(app.url(&format!("/api/v1/t/{SLUG}/versions/{vid}/pdf")))
            .bearer_auth(&kansli)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    );
    assert!(
        text.contains("Förvaltningsberättelse") && signed_text.contains("Förvaltningsberättelse")
    );

    // Verification: valid for the file, not for one changed byte.
    let ok = verify(&app, &pdf).await;
    assert_eq!(ok["valid"], true, "{ok}");
    assert_eq!(ok["reference"], reference.as_str());
    assert_eq!(ok["signers"].as_array().unwrap().len(), 3);
    assert!(
        ok["signers"][0].get("email").is_none(),
        "verification discloses no addresses"
    );
    let mut changed = pdf.clone();
    let mid = changed.len() / 2;
    changed[mid] ^= 0x01;
    let bad = verify(&app, &changed).await;
    assert_eq!(bad["valid"], false);
    let by_ref = app
        .get(&format!("/api/v1/verify/{reference}"), None)
        .await
        .json();
    assert_eq!(by_ref["valid"], true);
    let page = app.get(&format!("/verify/{reference}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Dokumentet är äkta") && page.body.contains("Anna Ordförande"));

    // Distribution: every member's registrator gets the sealed PDF, once.
    let a = app
        .request(
            Method::POST,
            &format!("/api/v1/t/{SLUG}/versions/{sealed_id}/distribution"),
            Some(&kansli),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.body);
    assert_eq!(a.json().as_array().unwrap().len(), 9);
    let again = app
        .request(
            Method::POST,
            &format!("/api/v1/t/{SLUG}/versions/{sealed_id}/distribution"),
            Some(&kansli),
            None,
        )
        .await;
    assert_eq!(
        again.json().as_array().unwrap().len(),
        9,
        "asking twice sends nothing new"
    );
    for to in [
        "registrator@forsakringskassan.example",
        "registrator@arbetsformedlingen.example",
        "registrator@rjl.example",
        "registrator@aneby.example",
        "registrator@eksjo.example",
        "registrator@nassjo.example",
        "registrator@savsjo.example",
        "registrator@tranas.example",
        "registrator@vetlanda.example",
    ] {
        let m = app.wait_for_mail(to).await;
        assert_eq!(m.attachments.len(), 1, "{to}");
        assert_eq!(m.attachments[0].1, pdf, "{to} got the sealed file");
        assert!(m.attachments[0].0.ends_with(".pdf"));
        assert!(m.text.contains(&reference));
        let copies = app.outbox().iter().filter(|x| x.to == to).count();
        assert_eq!(copies, 1, "{to} got one copy");
    }
    let states = wait_for(
        &app,
        &kansli,
        &format!("/api/v1/t/{SLUG}/versions/{sealed_id}/distribution"),
        |d| d.as_array().unwrap().iter().all(|x| x["status"] == "sent"),
    )
    .await;
    assert!(
        states
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["delivery"] == "attachment")
    );

    // The audit trail has the whole story.
    let events = app
        .get(
            &format!("/api/v1/t/{SLUG}/signing-rounds/{second}/events"),
            Some(&kansli),
        )
        .await
        .json();
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for k in [
        "started",
        "invited",
        "mail_queued",
        "mail_sent",
        "code_sent",
        "signed",
        "sealed",
        "distributed",
    ] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    let first_events = app
        .get(
            &format!("/api/v1/t/{SLUG}/signing-rounds/{first}/events"),
            Some(&kansli),
        )
        .await
        .json();
    let first_kinds: Vec<&str> = first_events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for k in ["page_viewed", "code_refused", "declined"] {
        assert!(first_kinds.contains(&k), "{k} in {first_kinds:?}");
    }

    // The audit trail as a PDF for the records: the round, the signers' evidence, every event.
    let trail = |round: i64| {
        let app = &app;
        let kansli = &kansli;
        async move {
            let r = app
                .http
                .get(app.url(&format!(
                    "/api/v1/t/{SLUG}/signing-rounds/{round}/audit-trail"
                )))
                .bearer_auth(kansli)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            assert_eq!(r.headers()["content-type"], "application/pdf");
            assert!(
                r.headers()["content-disposition"]
                    .to_str()
                    .unwrap()
                    .contains("signeringslogg-")
            );
            let pdf = r.bytes().await.unwrap();
            if let Ok(path) = std::env::var("FINSAM_KEEP_SEALED_PDF") {
                // For looking at the audit trail too: `…-trail-{round}.pdf` beside the sealed PDF.
                std::fs::write(format!("{path}-trail-{round}.pdf"), &pdf).unwrap();
            }
            pdftotext(&pdf)
        }
    };
    let text = trail(first).await;
    for want in [
        "Signeringslogg",
        "Avböjde",
        "Not 7 ska rättas först.",
        "Fel kod",
        "Sidan öppnades",
    ] {
        assert!(
            text.contains(want),
            "{want} in the first round's trail:\n{text}"
        );
    }
    let text = trail(second).await;
    for want in [
        "Underskriven och förseglad",
        reference.as_str(),
        "Skrev under",
        "Förseglad",
        "Skickad till mottagare",
        "E-post skickad",
    ] {
        assert!(
            text.contains(want),
            "{want} in the sealed round's trail:\n{text}"
        );
    }
    for (name, email, _, _) in SIGNERS {
        assert!(
            text.contains(name) && text.contains(email),
            "{name} in the trail"
        );
    }

    // Another förbund's kansli sees none of it.
    let other = app.token("kansli@sodra-vatterbygden.example").await;
    let a = app
        .get(
            &format!("/api/v1/t/sodra-vatterbygden/signing-rounds/{second}"),
            Some(&other),
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let a = app
        .get(
            &format!("/api/v1/t/sodra-vatterbygden/signing-rounds/{second}/audit-trail"),
            Some(&other),
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let a = app
        .get(
            &format!("/api/v1/t/sodra-vatterbygden/versions/{sealed_id}/distribution"),
            Some(&other),
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_round_needs_a_final_ready_version_and_valid_signers() {
    let app = spawn_app().await;
    app.import_fixture(SLUG, "hoglandet-2024.json").await;
    let kansli = app.token("kansli@hoglandet.example").await;
    let version = rendered_annual_report(&app, &kansli).await;
    let vid = version["id"].as_i64().unwrap();
    let a = app
        .request(
            Method::POST,
            &format!("/api/v1/t/{SLUG}/versions/{vid}/signing-rounds"),
            Some(&kansli),
            Some(json!({"signers": [{"name": "", "email": "inte-en-adress"}], "deadline": "31/3"})),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    let paths: Vec<String> = a.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    for p in ["deadline", "signers[0].name", "signers[0].email"] {
        assert!(paths.contains(&p.to_owned()), "{p} in {paths:?}");
    }
    let past = (Utc::now() - Duration::days(2)).date_naive().to_string();
    let a = app
        .request(
            Method::POST,
            &format!("/api/v1/t/{SLUG}/versions/{vid}/signing-rounds"),
            Some(&kansli),
            Some(json!({"signers": signers_json(), "deadline": past})),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.json()["error"]["fields"][0]["path"], "deadline");
    // The defaults: Höglandet's board members have no e-mail addresses in the data, so the kansli is
    // told whose address is missing.
    let a = app
        .request(
            Method::POST,
            &format!("/api/v1/t/{SLUG}/versions/{vid}/signing-rounds"),
            Some(&kansli),
            Some(json!({"deadline": deadline()})),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(
        a.json()["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("saknar e-postadress")
    );
    // Nothing was queued by the refused requests.
    assert!(
        app.outbox()
            .iter()
            .all(|m| !m.subject.contains("Underskrift begärs"))
    );
    // A board member may not start a round; a link that does not exist is 404.
    let styrelse = app.token("styrelse@hoglandet.example").await;
    let a = app
        .request(
            Method::POST,
            &format!("/api/v1/t/{SLUG}/versions/{vid}/signing-rounds"),
            Some(&styrelse),
            Some(json!({"signers": signers_json(), "deadline": deadline()})),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = app
        .get("/sign/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", None)
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    // A version that is not sealed cannot be distributed.
    let a = app
        .request(
            Method::POST,
            &format!("/api/v1/t/{SLUG}/versions/{vid}/distribution"),
            Some(&kansli),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
}
