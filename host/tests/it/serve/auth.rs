//! Tokens, roles and the rulebook endpoints.

use reqwest::Method;

use super::{error_of, json, Server, RULEBOOK};

#[tokio::test(flavor = "multi_thread")]
async fn tokens_scope_every_request_to_an_organisation_and_a_role() {
    let server = Server::start("auth");
    let admin = server.token("acme", "admin");
    let read = server.token("acme", "read");
    let other = server.token("globex", "admin");
    assert!(admin.len() >= 43 && admin.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_ne!(admin, read);
    let put = format!(r#"{{"rulebook": {RULEBOOK}}}"#);
    let path = "/v1/orgs/acme/rulebook";

    // No token, a garbage token, a malformed header: 401.
    for token in [None, Some("garbage"), Some("")] {
        let (status, body) = server.send(Method::GET, path, token, None, &[]).await;
        assert_eq!((status, error_of(&body).0.as_str()), (401, "unauthorized"), "{token:?}");
    }
    let (status, _) = server.send(Method::GET, path, None, None, &[("authorization", &format!("Basic {admin}"))]).await;
    assert_eq!(status, 401);

    // Another organisation's data, whether it exists or not: 404.
    for path in ["/v1/orgs/acme/rulebook", "/v1/orgs/nobody/rulebook"] {
        let (status, body) = server.send(Method::GET, path, Some(&other), None, &[]).await;
        assert_eq!((status, error_of(&body).0.as_str()), (404, "not-found"), "{path}");
    }
    let (status, _) = server.send(Method::PUT, path, Some(&other), Some(&put), &[]).await;
    assert_eq!(status, 404);

    // A role too weak: 403.
    let (status, body) = server.send(Method::PUT, path, Some(&read), Some(&put), &[]).await;
    assert_eq!((status, error_of(&body).0.as_str()), (403, "forbidden"));
    let (status, _) = server.post("/v1/orgs/acme/decisions", Some(&read), &super::decision(&["1"])).await;
    assert_eq!(status, 403);

    // The token command refuses an unknown role or organisation id (usage: exit 2).
    for args in [["--org", "acme", "--role", "owner"], ["--org", "../x", "--role", "read"]] {
        let output =
            super::laureate().args(["token", "create", "--database", &server.database]).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn rulebooks_are_versioned_and_refused_with_their_diagnostics() {
    let server = Server::start("rulebook");
    let admin = server.token("acme", "admin");
    let read = server.token("acme", "read");
    let path = "/v1/orgs/acme/rulebook";

    // Nothing stored yet: 404.
    let (status, _) = server.send(Method::GET, path, Some(&read), None, &[]).await;
    assert_eq!(status, 404);

    // A rulebook with an error diagnostic: 422 with the diagnostics, nothing stored.
    let broken = RULEBOOK.replace("{{course.code}}-{{sequence_number}}", "{{course.code}}");
    let (status, body) =
        server.send(Method::PUT, path, Some(&admin), Some(&format!(r#"{{"rulebook": {broken}}}"#)), &[]).await;
    assert_eq!((status, error_of(&body)), (422, ("invalid-rulebook".into(), "/rulebook".into())));
    let diagnostics = json(&body)["diagnostics"].clone();
    assert!(diagnostics.as_array().is_some_and(|d| d.iter().any(|d| d["severity"] == "error")), "{diagnostics}");
    let (status, _) = server.send(Method::GET, path, Some(&read), None, &[]).await;
    assert_eq!(status, 404);

    // A body the engine cannot read: 400 with its envelope.
    let (status, body) = server.send(Method::PUT, path, Some(&admin), Some(r#"{"rulebook": 7}"#), &[]).await;
    assert_eq!(status, 400);
    assert_eq!(body, laureate_core::call("validate", br#"{"rulebook": 7}"#));

    // Stored as versions 1 and 2; GET answers the current one.
    for version in [1, 2] {
        let (status, body) =
            server.send(Method::PUT, path, Some(&admin), Some(&format!(r#"{{"rulebook": {RULEBOOK}}}"#)), &[]).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        assert_eq!(json(&body)["version"], version);
    }
    let (status, body) = server.send(Method::GET, path, Some(&read), None, &[]).await;
    assert_eq!(status, 200);
    let answer = json(&body);
    assert_eq!(answer["version"], 2);
    assert_eq!(answer["rulebook"], serde_json::from_str::<serde_json::Value>(RULEBOOK).unwrap());
}
