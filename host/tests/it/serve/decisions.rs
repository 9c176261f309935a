//! Decisions: what they store, idempotence, dry runs, parity with `evaluate`. Numbering under
//! load is `concurrency.rs`'s, and after a crash `crash.rs`'s.

use reqwest::Method;
use serde_json::Value;

use super::concurrency::acme_on;
use super::{decision, error_of, json, ledger, Server, RULEBOOK};

const DECISIONS: &str = "/v1/orgs/acme/decisions";

/// A server with a rulebook for `acme` and a `decide` token.
async fn acme(name: &str) -> (Server, String) {
    let server = Server::start(name);
    let decide = acme_on(&server).await;
    (server, decide)
}

fn identifiers(answer: &Value) -> Vec<String> {
    let actions = answer["evaluation"]["ok"]["actions"].as_array().cloned().unwrap_or_default();
    actions
        .iter()
        .filter(|a| a["action"] == "issue")
        .map(|a| a["identifier"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_decision_stores_records_sequences_outbox_and_audit() {
    let (server, decide) = acme("decision").await;
    let (status, body) = server.post(DECISIONS, Some(&decide), &decision(&["1", "2"])).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let answer = json(&body);
    assert_eq!(answer["records"], serde_json::json!(["R-1", "R-2"]));
    assert_eq!(identifiers(&answer), ["CPR-1", "CPR-2"]);
    assert_eq!(answer["evaluation"]["ok"]["sequenceState"], serde_json::json!({"seq-1": 3}));

    let db = ledger(&server.database).await;
    let records: Vec<(String, String, Option<String>, String)> =
        sqlx::query_as("SELECT id, contact, identifier, decision FROM records ORDER BY number")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(
        records,
        [
            ("R-1".into(), "C-1".into(), Some("CPR-1".into()), "D-1".into()),
            ("R-2".into(), "C-2".into(), Some("CPR-2".into()), "D-1".into())
        ]
    );
    let next: i64 = sqlx::query_scalar("SELECT next FROM sequence_state WHERE org = 'acme' AND sequence = 'seq-1'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(next, 3);
    let outbox: Vec<String> = sqlx::query_scalar("SELECT key FROM outbox ORDER BY key").fetch_all(&db).await.unwrap();
    assert_eq!(outbox, ["ev-a/L-1/cpr/award-achievement", "ev-a/L-2/cpr/award-achievement"]);
    let audit: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT action, record FROM audit ORDER BY number").fetch_all(&db).await.unwrap();
    let expected = [("put-rulebook", None), ("issue", Some("R-1")), ("issue", Some("R-2")), ("advance-sequence", None)];
    let expected: Vec<(String, Option<String>)> =
        expected.iter().map(|(a, r)| ((*a).to_owned(), r.map(str::to_owned))).collect();
    assert_eq!(audit, expected);

    // The same evidence again: the ledger's records are fed back, nothing is issued twice.
    let (status, body) = server.post(DECISIONS, Some(&decide), &decision(&["1", "2"])).await;
    assert_eq!(status, 200);
    let again = json(&body);
    assert_eq!(again["records"], serde_json::json!([]));
    assert_eq!(again["evaluation"]["ok"]["outcomes"][0]["record"], "R-1");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records").fetch_one(&db).await.unwrap();
    assert_eq!(count, 2);

    // A dry run answers what a decision would do, and writes nothing.
    let (status, body) = server.post(&format!("{DECISIONS}?dryRun=true"), Some(&decide), &decision(&["1", "3"])).await;
    assert_eq!(status, 200);
    assert_eq!(json(&body)["records"], serde_json::json!(["R-3"]));
    assert_eq!(identifiers(&json(&body)), ["CPR-3"]);
    let (status, body) = server.post(DECISIONS, Some(&decide), &decision(&["4"])).await;
    assert_eq!(status, 200);
    assert_eq!(json(&body)["records"], serde_json::json!(["R-3"]), "the dry run wrote nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_decisions_evaluation_is_evaluate_on_the_ledgers_request() {
    let (server, decide) = acme("parity").await;
    let (status, first) = server.post(DECISIONS, Some(&decide), &decision(&["1", "2"])).await;
    assert_eq!(status, 200);
    let first = json(&first);
    let (status, body) = server.post(DECISIONS, Some(&decide), &decision(&["1", "2", "3"])).await;
    assert_eq!(status, 200);

    // The request the ledger evaluated: the body, its rulebook, its records and sequences.
    let actions = first["evaluation"]["ok"]["actions"].as_array().unwrap();
    let issued: Vec<Value> = actions
        .iter()
        .filter(|a| a["action"] == "issue")
        .zip(first["records"].as_array().unwrap())
        .map(|(a, id)| {
            serde_json::json!({"id": id, "achievement": a["achievement"], "contact": a["contact"], "learner": a["learner"],
                "event": a["event"], "path": null, "awardedOn": a["awardedOn"], "validFrom": a["validFrom"],
                "expiresOn": a["expiresOn"], "identifier": a["identifier"], "revoked": null})
        })
        .collect();
    let mut request: Value = serde_json::from_str(&decision(&["1", "2", "3"])).unwrap();
    request["rulebook"] = serde_json::from_str(RULEBOOK).unwrap();
    request["evidence"]["issued"] = Value::Array(issued);
    request["evidence"]["sequenceState"] = first["evaluation"]["ok"]["sequenceState"].clone();
    let expected = laureate_core::call("evaluate", request.to_string().as_bytes());

    let text = String::from_utf8(body).unwrap();
    let evaluation =
        text.strip_prefix(r#"{"evaluation":"#).and_then(|rest| rest.rsplit_once(r#","records":"#)).unwrap().0;
    assert_eq!(evaluation.as_bytes(), expected.as_slice());
    assert_eq!(identifiers(&json(text.as_bytes())), ["CPR-3"]);

    // A decision reads only the records of the contacts and learners its evidence names: for
    // learner 4 alone, none of the three stored ones (so its holdings are C-4's only).
    let (status, body) = server.post(DECISIONS, Some(&decide), &decision(&["4"])).await;
    assert_eq!(status, 200);
    let mut request: Value = serde_json::from_str(&decision(&["4"])).unwrap();
    request["rulebook"] = serde_json::from_str(RULEBOOK).unwrap();
    request["evidence"]["issued"] = Value::Array(Vec::new());
    request["evidence"]["sequenceState"] = serde_json::json!({"seq-1": 4});
    let expected = laureate_core::call("evaluate", request.to_string().as_bytes());
    let text = String::from_utf8(body).unwrap();
    let evaluation =
        text.strip_prefix(r#"{"evaluation":"#).and_then(|rest| rest.rsplit_once(r#","records":"#)).unwrap().0;
    assert_eq!(evaluation.as_bytes(), expected.as_slice());
    let answer = json(text.as_bytes());
    let holders: Vec<&str> = answer["evaluation"]["ok"]["holdings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|holding| holding["contact"].as_str().unwrap())
        .collect();
    assert_eq!(holders, ["C-4"]);
    assert_eq!(identifiers(&answer), ["CPR-4"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn decisions_refuse_what_the_ledger_owns_and_replay_idempotent_retries() {
    let server = Server::start("refused");
    let decide = server.token("acme", "decide");
    // No rulebook yet: 409.
    let (status, body) = server.post(DECISIONS, Some(&decide), &decision(&["1"])).await;
    assert_eq!((status, error_of(&body).0.as_str()), (409, "no-rulebook"));
    drop(server);

    let (server, decide) = acme("idempotent").await;
    let cases = [
        (r#"{"asOf": "2026-03-10", "evidence": {"issued": []}}"#, "ledger-owned", "/evidence/issued"),
        (r#"{"asOf": "2026-03-10", "evidence": {"sequenceState": {}}}"#, "ledger-owned", "/evidence/sequenceState"),
        (r#"{"asOf": "2026-03-10", "rulebook": {}, "evidence": {}}"#, "ledger-owned", "/rulebook"),
        (r#"{"asOf": "2026-03-10", "evidence": {}, "x/y": 1}"#, "invalid-input", "/x~1y"),
        (r#"{"asOf": "2026-03-10"}"#, "invalid-input", ""),
        (r#"{"asOf": "2026-03-10", "evidence": []}"#, "invalid-input", "/evidence"),
        (r#"{"asOf": "#, "invalid-json", ""),
        (r#"{"asOf": "2026-13-10", "evidence": {}}"#, "invalid-input", "/asOf"),
    ];
    for (body, code, path) in cases {
        let (status, answer) = server.post(DECISIONS, Some(&decide), body).await;
        assert_eq!((status, error_of(&answer)), (400, (code.to_owned(), path.to_owned())), "{body}");
    }
    let (status, _) = server.post(&format!("{DECISIONS}?dryRun=maybe"), Some(&decide), &decision(&["1"])).await;
    assert_eq!(status, 400);

    // A retry with the same key and body gets the stored answer; another body is a 409.
    let key = [("idempotency-key", "order-77")];
    let (one, two) = (decision(&["1"]), decision(&["2"]));
    let (status, first) = server.send(Method::POST, DECISIONS, Some(&decide), Some(&one), &key).await;
    assert_eq!(status, 200);
    let (status, retry) = server.send(Method::POST, DECISIONS, Some(&decide), Some(&one), &key).await;
    assert_eq!((status, &retry), (200, &first));
    let (status, body) = server.send(Method::POST, DECISIONS, Some(&decide), Some(&two), &key).await;
    assert_eq!((status, error_of(&body).0.as_str()), (409, "idempotency-key-reused"));
    let db = ledger(&server.database).await;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records").fetch_one(&db).await.unwrap();
    assert_eq!(count, 1, "nothing was written by a refused request");
}
