//! `GET /v1/verify/{identifier}`: public verification of a certificate number in every
//! organisation, with nothing personal in the answer.

use reqwest::Method;
use serde_json::{json, Value};

use super::{decision, error_of, ledger_rw, Server, RULEBOOK};

/// Stores `rulebook` for `org` and decides for `learners`: the records' identifiers.
async fn award(server: &Server, org: &str, rulebook: &str, learners: &[&str]) -> Vec<String> {
    let admin = server.token(org, "admin");
    let put = format!(r#"{{"rulebook": {rulebook}}}"#);
    let path = format!("/v1/orgs/{org}/rulebook");
    let (status, body) = server.send(Method::PUT, &path, Some(&admin), Some(&put), &[]).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    if learners.is_empty() {
        return Vec::new();
    }
    let decide = server.token(org, "decide");
    let (status, body) = server.post(&format!("/v1/orgs/{org}/decisions"), Some(&decide), &decision(learners)).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let actions = super::json(&body)["evaluation"]["ok"]["actions"].as_array().cloned().unwrap_or_default();
    actions.iter().filter_map(|a| a["identifier"].as_str().map(str::to_owned)).collect()
}

async fn verify(server: &Server, identifier: &str) -> (u16, Vec<u8>) {
    server.send(Method::GET, &format!("/v1/verify/{identifier}"), None, None, &[]).await
}

fn cpr(organisation: &str, name: Value, status: &str, expires_on: Value, revoked_on: Value) -> Value {
    json!({
        "organisation": organisation, "achievement": {"id": "cpr", "name": name}, "status": status,
        "awardedOn": "2026-03-01", "validFrom": "2026-03-01", "expiresOn": expires_on, "revokedOn": revoked_on,
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_certificate_number_is_verified_in_every_organisation() {
    let server = Server::start("verify");
    assert_eq!(award(&server, "acme", RULEBOOK, &["1", "2"]).await, ["CPR-1", "CPR-2"]);
    // globex numbers its own CPR-1, valid for one month.
    let monthly = RULEBOOK
        .replace(r#""sequence": "seq-1"}"#, r#""sequence": "seq-1", "validity": {"amount": 1, "unit": "months"}}"#);
    assert_eq!(award(&server, "globex", &monthly, &["9"]).await, ["CPR-1"]);

    let (status, body) = verify(&server, "CPR-1").await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let expected = json!({"identifier": "CPR-1", "matches": [
        cpr("acme", json!("CPR"), "valid", Value::Null, Value::Null),
        cpr("globex", json!("CPR"), "expired", json!("2026-04-01"), Value::Null),
    ]});
    assert_eq!(super::json(&body), expected);
    let text = String::from_utf8_lossy(&body);
    for personal in ["C-1", "L-1", "C-9", "L-9", "ev-a", "R-1", "D-1"] {
        assert!(!text.contains(&format!("\"{personal}\"")), "{personal} in {text}");
    }
    assert!(!text.contains("tok-"), "{text}");

    // Revoked (the reason stays private); a token is neither needed nor looked at.
    let db = ledger_rw(&server.database).await;
    sqlx::query(
        "UPDATE records SET revoked_on = $1, revoked_by = $2, revoked_reason = $3 WHERE org = $4 AND identifier = $5",
    )
    .bind("2026-03-05")
    .bind("tok-secret")
    .bind("a private reason")
    .bind("acme")
    .bind("CPR-2")
    .execute(&db)
    .await
    .unwrap();
    db.close().await;
    let (status, body) = server.send(Method::GET, "/v1/verify/CPR-2", Some("garbage"), None, &[]).await;
    assert_eq!(status, 200);
    let expected = cpr("acme", json!("CPR"), "revoked", Value::Null, json!("2026-03-05"));
    assert_eq!(super::json(&body), json!({"identifier": "CPR-2", "matches": [expected]}));
    assert!(!String::from_utf8_lossy(&body).contains("private"));

    // The name is the current rulebook's: renamed, then gone.
    award(
        &server,
        "acme",
        &RULEBOOK.replace(r#""name": "CPR", "sequence""#, r#""name": "CPR (2026)", "sequence""#),
        &[],
    )
    .await;
    let (_, body) = verify(&server, "CPR-1").await;
    assert_eq!(super::json(&body)["matches"][0]["achievement"], json!({"id": "cpr", "name": "CPR (2026)"}));
    award(&server, "acme", &RULEBOOK.replace(r#""cpr""#, r#""bls""#), &[]).await;
    let (_, body) = verify(&server, "CPR-1").await;
    assert_eq!(super::json(&body)["matches"][0]["achievement"], json!({"id": "cpr", "name": null}));
    assert_eq!(super::json(&body)["matches"][1]["achievement"], json!({"id": "cpr", "name": "CPR"}));
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_and_odd_identifiers_are_not_found() {
    let server = Server::start("verify-404");
    award(&server, "acme", RULEBOOK, &["1"]).await;
    let long = "C".repeat(257);
    let exact = "C".repeat(256);
    for identifier in ["CPR-2", "cpr-1", "CPR-1%20", "CPR%2F1", "%FF%FE", "%00", "CPR-1'%20OR%20'1'='1", &long, &exact]
    {
        let (status, body) = verify(&server, identifier).await;
        assert_eq!((status, error_of(&body)), (404, ("not-found".into(), String::new())), "{identifier}");
    }
    // The route needs an identifier, and only GET.
    let (status, body) = server.send(Method::GET, "/v1/verify/", None, None, &[]).await;
    assert_eq!((status, error_of(&body).0.as_str()), (404, "not-found"));
    let (status, body) = server.send(Method::POST, "/v1/verify/CPR-1", None, Some("{}"), &[]).await;
    assert_eq!((status, error_of(&body).0.as_str()), (405, "method-not-allowed"));
    let (status, _) = verify(&server, "CPR-1").await;
    assert_eq!(status, 200);
}
