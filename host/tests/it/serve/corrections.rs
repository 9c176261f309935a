//! Corrections: revoking a record, editing its expiry, reissuing it; each refusal, the audit
//! rows in the database, and the holdings that follow.

use laureate_host::serve::ledger::{sha256_hex, today};
use reqwest::Method;
use serde_json::{json, Value};

use super::reads::{learner_on, org, Org};
use super::{error_of, json, ledger};

/// The audit id of a token (`tok-` and the first 16 hex digits of its SHA-256).
fn token_id(token: &str) -> String {
    format!("tok-{}", &sha256_hex(token.as_bytes())[..16])
}

impl Org {
    async fn correct_with(&self, method: Method, path: &str, token: Option<&str>, body: &str) -> (u16, Vec<u8>) {
        self.server.send(method, path, token, Some(body), &[]).await
    }

    /// A correction with the `correct` token that must answer 200: its JSON.
    async fn correct_ok(&self, method: Method, path: &str, body: &str) -> Value {
        let (status, answer) = self.correct_with(method, path, Some(&self.correct), body).await;
        assert_eq!(status, 200, "{path} {body}: {}", String::from_utf8_lossy(&answer));
        json(&answer)
    }
}

/// (action, record, decision, reason) of every audit row, in number order; and that the rows
/// are numbered 1, 2, … with the organisation's counter just past the last.
async fn audit_rows(org: &Org) -> Vec<(String, Option<String>, Option<String>, Option<String>)> {
    let db = ledger(&org.server.database).await;
    let numbers: Vec<i64> =
        sqlx::query_scalar("SELECT number FROM audit WHERE org = 'acme' ORDER BY number").fetch_all(&db).await.unwrap();
    assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<_>>());
    let next: i64 = sqlx::query_scalar("SELECT next_audit FROM orgs WHERE id = 'acme'").fetch_one(&db).await.unwrap();
    assert_eq!(next, numbers.len() as i64 + 1);
    sqlx::query_as("SELECT action, record, decision, reason FROM audit WHERE org = 'acme' ORDER BY number")
        .fetch_all(&db)
        .await
        .unwrap()
}

/// The `before` and `after` of the audit row numbered `number`, as JSON.
async fn audit_change(org: &Org, number: i64) -> (String, Value, Value) {
    let db = ledger(&org.server.database).await;
    let (actor, before, after): (String, String, String) =
        sqlx::query_as("SELECT actor, before, after FROM audit WHERE org = 'acme' AND number = $1")
            .bind(number)
            .fetch_one(&db)
            .await
            .unwrap();
    (actor, serde_json::from_str(&before).unwrap(), serde_json::from_str(&after).unwrap())
}

fn row(
    action: &str,
    record: Option<&str>,
    decision: Option<&str>,
    reason: Option<&str>,
) -> (String, Option<String>, Option<String>, Option<String>) {
    (action.to_owned(), record.map(str::to_owned), decision.map(str::to_owned), reason.map(str::to_owned))
}

const FOUR: [(&str, &str); 4] = [("1", "2026-03-01"), ("2", "2026-03-01"), ("3", "2026-03-01"), ("4", "2026-03-01")];

#[tokio::test(flavor = "multi_thread")]
async fn a_revocation_needs_a_reason_and_the_correct_role() {
    let org = org("revoke", &FOUR).await;
    let path = "/v1/orgs/acme/records/R-1/revoke";
    let body = r#"{"reason": "issued in error", "on": "2026-03-05"}"#;

    // No token, a weaker role, another organisation, an unknown record.
    let (status, _) = org.correct_with(Method::POST, path, None, body).await;
    assert_eq!(status, 401);
    for token in [&org.read, &org.decide] {
        let (status, answer) = org.correct_with(Method::POST, path, Some(token), body).await;
        assert_eq!((status, error_of(&answer).0.as_str()), (403, "forbidden"));
    }
    let (status, _) = org.correct_with(Method::POST, path, Some(&org.other), body).await;
    assert_eq!(status, 404);
    let (status, _) =
        org.correct_with(Method::POST, "/v1/orgs/acme/records/R-99/revoke", Some(&org.correct), body).await;
    assert_eq!(status, 404);

    // Bodies refused at their member.
    let cases = [
        (r#"{}"#, "reason-required", "/reason"),
        (r#"{"reason": "  "}"#, "reason-required", "/reason"),
        (r#"{"reason": 7}"#, "reason-required", "/reason"),
        (r#"{"reason": null}"#, "reason-required", "/reason"),
        (r#"{"reason": "x", "on": "2026-02-30"}"#, "invalid-input", "/on"),
        (r#"{"reason": "x", "on": 20260301}"#, "invalid-input", "/on"),
        (r#"{"reason": "x", "by": "someone"}"#, "invalid-input", "/by"),
        (r#"{"reason": "x", "reason": "y"}"#, "invalid-input", "/reason"),
        (r#"["reason"]"#, "invalid-input", ""),
        (r#"{"reason": "#, "invalid-json", ""),
    ];
    for (bad, code, at) in cases {
        let (status, answer) = org.correct_with(Method::POST, path, Some(&org.correct), bad).await;
        assert_eq!((status, error_of(&answer)), (400, (code.to_owned(), at.to_owned())), "{bad}");
    }
    assert_eq!(audit_rows(&org).await.len(), 6, "nothing was written by a refused correction");

    // Revoked by the token's id, on the date given; then a 409.
    let revoked = org.correct_ok(Method::POST, path, body).await;
    let actor = token_id(&org.correct);
    assert_eq!(revoked["revoked"], json!({"on": "2026-03-05", "by": actor, "reason": "issued in error"}));
    assert_eq!(
        (&revoked["id"], &revoked["decision"], &revoked["identifier"]),
        (&json!("R-1"), &json!("D-1"), &json!("CPR-1"))
    );
    assert_eq!(org.get_ok("/v1/orgs/acme/records/R-1").await, revoked);
    let (status, answer) = org.correct_with(Method::POST, path, Some(&org.correct), body).await;
    assert_eq!((status, error_of(&answer).0.as_str()), (409, "already-revoked"));

    // `on` defaults to the current UTC date.
    let before = today();
    let other = org.correct_ok(Method::POST, "/v1/orgs/acme/records/R-2/revoke", r#"{"reason": "duplicate"}"#).await;
    let on = other["revoked"]["on"].as_str().unwrap();
    assert!(on == before || on == today(), "{other}");

    // One audit row each, with the record before and after and the reason.
    let rows = audit_rows(&org).await;
    assert_eq!(
        rows[6..],
        [
            row("revoke", Some("R-1"), None, Some("issued in error")),
            row("revoke", Some("R-2"), None, Some("duplicate"))
        ]
    );
    let (by, before, after) = audit_change(&org, 7).await;
    assert_eq!(by, actor);
    assert!(before["revoked"].is_null(), "{before}");
    let mut expected = revoked.clone();
    expected.as_object_mut().unwrap().remove("decision");
    assert_eq!(after, expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expiry_is_edited_with_a_reason() {
    let org = org("edit-expiry", &FOUR).await;
    let path = "/v1/orgs/acme/records/R-2";
    let body = r#"{"expiresOn": "2026-03-05", "reason": "the certificate lapsed early"}"#;

    let (status, _) = org.correct_with(Method::PATCH, path, None, body).await;
    assert_eq!(status, 401);
    let (status, _) = org.correct_with(Method::PATCH, path, Some(&org.decide), body).await;
    assert_eq!(status, 403);
    let (status, _) = org.correct_with(Method::PATCH, path, Some(&org.other), body).await;
    assert_eq!(status, 404);
    let (status, _) = org.correct_with(Method::PATCH, "/v1/orgs/acme/records/R-99", Some(&org.correct), body).await;
    assert_eq!(status, 404);
    let cases = [
        (r#"{"expiresOn": "2026-03-05"}"#, "reason-required", "/reason"),
        (r#"{"expiresOn": "2026-03-05", "reason": ""}"#, "reason-required", "/reason"),
        (r#"{"reason": "x"}"#, "invalid-input", "/expiresOn"),
        (r#"{"expiresOn": "tomorrow", "reason": "x"}"#, "invalid-input", "/expiresOn"),
        (r#"{"expiresOn": "2026-03-05", "reason": "x", "validFrom": "2026-01-01"}"#, "invalid-input", "/validFrom"),
        // Before the record's `validFrom` (2026-03-01).
        (r#"{"expiresOn": "2026-02-28", "reason": "x"}"#, "expires-before-valid-from", "/expiresOn"),
    ];
    for (bad, code, at) in cases {
        let (status, answer) = org.correct_with(Method::PATCH, path, Some(&org.correct), bad).await;
        assert_eq!((status, error_of(&answer)), (400, (code.to_owned(), at.to_owned())), "{bad}");
    }

    let edited = org.correct_ok(Method::PATCH, path, body).await;
    assert_eq!((&edited["expiresOn"], &edited["validFrom"]), (&json!("2026-03-05"), &json!("2026-03-01")));
    assert_eq!(org.get_ok(path).await, edited);
    // `null`: never expires; the day of `validFrom` itself is allowed.
    let never = org
        .correct_ok(Method::PATCH, "/v1/orgs/acme/records/R-3", r#"{"expiresOn": null, "reason": "lifetime"}"#)
        .await;
    assert!(never["expiresOn"].is_null());
    let same = org
        .correct_ok(Method::PATCH, "/v1/orgs/acme/records/R-3", r#"{"expiresOn": "2026-03-01", "reason": "void"}"#)
        .await;
    assert_eq!(same["expiresOn"], "2026-03-01");

    // A revoked record is not edited.
    org.correct_ok(Method::POST, "/v1/orgs/acme/records/R-4/revoke", r#"{"reason": "x"}"#).await;
    let (status, answer) = org.correct_with(Method::PATCH, "/v1/orgs/acme/records/R-4", Some(&org.correct), body).await;
    assert_eq!((status, error_of(&answer).0.as_str()), (409, "record-revoked"));

    let rows = audit_rows(&org).await;
    let expected = [
        row("edit-expiry", Some("R-2"), None, Some("the certificate lapsed early")),
        row("edit-expiry", Some("R-3"), None, Some("lifetime")),
        row("edit-expiry", Some("R-3"), None, Some("void")),
        row("revoke", Some("R-4"), None, Some("x")),
    ];
    assert_eq!(rows[6..], expected);
    let (_, before, after) = audit_change(&org, 7).await;
    assert_eq!((&before["expiresOn"], &after["expiresOn"]), (&Value::Null, &json!("2026-03-05")));
    assert_eq!(before["id"], "R-2");
}

#[tokio::test(flavor = "multi_thread")]
async fn holdings_follow_revocations_and_edited_expiries() {
    let org = org("corrected-holdings", &FOUR[..3]).await;
    let status = |holdings: &Value| holdings["holdings"][0]["status"].as_str().unwrap_or_default().to_owned();
    for contact in ["C-1", "C-2", "C-3"] {
        let holdings = org.get_ok(&format!("/v1/orgs/acme/contacts/{contact}/holdings?asOf=2026-03-10")).await;
        assert_eq!(status(&holdings), "valid", "{holdings}");
    }
    org.correct_ok(Method::POST, "/v1/orgs/acme/records/R-1/revoke", r#"{"reason": "x", "on": "2026-03-05"}"#).await;
    org.correct_ok(Method::PATCH, "/v1/orgs/acme/records/R-2", r#"{"expiresOn": "2026-03-08", "reason": "x"}"#).await;
    org.correct_ok(Method::PATCH, "/v1/orgs/acme/records/R-3", r#"{"expiresOn": "2026-03-20", "reason": "x"}"#).await;

    let revoked = org.get_ok("/v1/orgs/acme/contacts/C-1/holdings?asOf=2026-03-10").await;
    assert_eq!(status(&revoked), "revoked");
    assert_eq!(revoked["holdings"][0]["history"][0]["revoked"]["on"], "2026-03-05");
    let expired = org.get_ok("/v1/orgs/acme/contacts/C-2/holdings?asOf=2026-03-10").await;
    assert_eq!((status(&expired), &expired["holdings"][0]["validUntil"]), ("expired".to_owned(), &json!("2026-03-08")));
    let expiring = org.get_ok("/v1/orgs/acme/contacts/C-3/holdings?asOf=2026-03-10").await;
    assert_eq!(
        (status(&expiring), &expiring["holdings"][0]["validUntil"]),
        ("expiring".to_owned(), &json!("2026-03-20"))
    );
    // Two days before the edited expiry: held, and expiring.
    let earlier = org.get_ok("/v1/orgs/acme/contacts/C-2/holdings?asOf=2026-03-07").await;
    assert_eq!(status(&earlier), "expiring");
}

/// A reissue's body: the reason, and a decision on `learners` as of 2026-03-10.
fn reissue(reason: &str, learners: &[String]) -> String {
    format!(r#"{{"reason": "{reason}", "asOf": "2026-03-10", "evidence": {{"learners": [{}]}}}}"#, learners.join(","))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reissue_revokes_and_decides_in_one_transaction() {
    let org = org("reissue", &FOUR[..2]).await;
    let path = "/v1/orgs/acme/records/R-2/reissue";
    // The corrected participation: a new learner (enrolment) of contact C-2.
    let corrected = learner_on("2", "2026-03-02").replace("\"L-2\"", "\"L-2b\"");
    let body = reissue("wrong completion date", &[corrected]);

    let (status, _) = org.correct_with(Method::POST, path, None, &body).await;
    assert_eq!(status, 401);
    let (status, _) = org.correct_with(Method::POST, path, Some(&org.decide), &body).await;
    assert_eq!(status, 403);
    let (status, _) = org.correct_with(Method::POST, path, Some(&org.other), &body).await;
    assert_eq!(status, 404);
    let (status, _) =
        org.correct_with(Method::POST, "/v1/orgs/acme/records/R-9/reissue", Some(&org.correct), &body).await;
    assert_eq!(status, 404);
    let cases = [
        (r#"{"asOf": "2026-03-10", "evidence": {}}"#.to_owned(), "reason-required", "/reason"),
        (r#"{"reason": " ", "asOf": "2026-03-10", "evidence": {}}"#.to_owned(), "reason-required", "/reason"),
        (
            r#"{"reason": "x", "asOf": "2026-03-10", "evidence": {"issued": []}}"#.to_owned(),
            "ledger-owned",
            "/evidence/issued",
        ),
        (
            r#"{"reason": "x", "on": "2026-03-10", "asOf": "2026-03-10", "evidence": {}}"#.to_owned(),
            "invalid-input",
            "/on",
        ),
        // The engine's refusal: the revocation is rolled back with the decision.
        (body.replace("2026-03-10", "2026-13-10"), "invalid-input", "/asOf"),
    ];
    for (bad, code, at) in cases {
        let (status, answer) = org.correct_with(Method::POST, path, Some(&org.correct), &bad).await;
        assert_eq!((status, error_of(&answer)), (400, (code.to_owned(), at.to_owned())), "{bad}");
    }
    assert!(org.get_ok("/v1/orgs/acme/records/R-2").await["revoked"].is_null(), "nothing was written");
    assert_eq!(audit_rows(&org).await.len(), 4);

    // R-2 revoked; the engine, seeing it revoked, issues the corrected participation the next
    // certificate number. A retry with the same idempotency key gets the same answer.
    let key = [("idempotency-key", "reissue-R-2")];
    let (status, answer) = org.server.send(Method::POST, path, Some(&org.correct), Some(&body), &key).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    let decided = json(&answer);
    assert_eq!(decided["records"], json!(["R-3"]));
    let issue = &decided["evaluation"]["ok"]["actions"][0];
    assert_eq!(
        (&issue["action"], &issue["learner"], &issue["identifier"]),
        (&json!("issue"), &json!("L-2b"), &json!("CPR-3"))
    );
    let (status, retry) = org.server.send(Method::POST, path, Some(&org.correct), Some(&body), &key).await;
    assert_eq!((status, retry), (200, answer));
    let (status, again) = org.correct_with(Method::POST, path, Some(&org.correct), &body).await;
    assert_eq!((status, error_of(&again).0.as_str()), (409, "already-revoked"));

    let old = org.get_ok("/v1/orgs/acme/records/R-2").await;
    assert_eq!(old["revoked"]["reason"], "wrong completion date");
    assert_eq!(old["revoked"]["by"], token_id(&org.correct));
    let new = org.get_ok("/v1/orgs/acme/records/R-3").await;
    assert_eq!(
        (&new["contact"], &new["identifier"], &new["decision"]),
        (&json!("C-2"), &json!("CPR-3"), &json!("D-2"))
    );
    let rows = audit_rows(&org).await;
    let expected = [
        row("revoke", Some("R-2"), Some("D-2"), Some("wrong completion date")),
        row("issue", Some("R-3"), Some("D-2"), None),
        row("advance-sequence", None, Some("D-2"), None),
    ];
    assert_eq!(rows[4..], expected);
    let holdings = org.get_ok("/v1/orgs/acme/contacts/C-2/holdings?asOf=2026-03-10").await;
    let history: Vec<&str> =
        holdings["holdings"][0]["history"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!((holdings["holdings"][0]["status"].as_str(), history), (Some("valid"), vec!["R-2", "R-3"]));

    // The same learner again is not issued again (spec.md §12, Already issued): the outcome
    // points at the revoked record, and the reissue only revokes.
    let same = org
        .correct_ok(
            Method::POST,
            "/v1/orgs/acme/records/R-1/reissue",
            &reissue("void", &[learner_on("1", "2026-03-01")]),
        )
        .await;
    assert_eq!(same["records"], json!([]));
    assert_eq!(same["evaluation"]["ok"]["outcomes"][0]["record"], "R-1");
    assert!(org.get_ok("/v1/orgs/acme/records/R-1").await["revoked"].is_object());
}
