//! `/v1/orgs/{org}/notifications`: the outbox in queue order, pages, and acknowledgements.

use reqwest::Method;
use serde_json::{json, Value};

use super::concurrency::acme_on;
use super::tokens::token_id;
use super::{decision, error_of, json, ledger, Server};

const LIST: &str = "/v1/orgs/acme/notifications";
const ACK: &str = "/v1/orgs/acme/notifications/ack";

fn key(learner: &str) -> String {
    format!("ev-a/L-{learner}/cpr/award-achievement")
}

/// A server where `acme` decided twice (learners 1 and 2, then 3 and 1 again), and the `decide`
/// token that did.
async fn acme(name: &str) -> (Server, String) {
    let server = Server::start(name);
    let decide = acme_on(&server).await;
    for learners in [&["1", "2"][..], &["3", "1"]] {
        let (status, body) = server.post("/v1/orgs/acme/decisions", Some(&decide), &decision(learners)).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    }
    (server, decide)
}

async fn get(server: &Server, token: &str, query: &str) -> Value {
    let (status, body) = server.send(Method::GET, &format!("{LIST}{query}"), Some(token), None, &[]).await;
    assert_eq!(status, 200, "{query}: {}", String::from_utf8_lossy(&body));
    json(&body)
}

fn keys_of(page: &Value) -> Vec<String> {
    let items = page["notifications"].as_array().cloned().unwrap_or_default();
    items.iter().map(|item| item["key"].as_str().unwrap_or_default().to_owned()).collect()
}

async fn ack(server: &Server, token: &str, keys: &[&str]) -> Value {
    let body = json!({ "keys": keys }).to_string();
    let (status, answer) = server.post(ACK, Some(token), &body).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    json(&answer)
}

#[tokio::test(flavor = "multi_thread")]
async fn notifications_are_listed_in_queue_order_and_acknowledged_once() {
    let (server, decide) = acme("notifications").await;
    let read = server.token("acme", "read");

    // Queue order across decisions; a key queued already is not queued again.
    let all = get(&server, &read, "").await;
    assert_eq!(keys_of(&all), [key("1"), key("2"), key("3")]);
    assert_eq!(all["next"], Value::Null);
    let (_, raw) = server.send(Method::GET, LIST, Some(&read), None, &[]).await;
    let raw = String::from_utf8(raw).unwrap();
    let start = format!(r#"{{"notifications":[{{"key":"{}","action":{{"#, key("1"));
    assert!(raw.starts_with(&start) && raw.contains(r#"},"decision":"D-1","createdAt":""#), "{raw}");
    assert!(raw.contains(r#"Z","acknowledgedAt":null},{"key":"#) && raw.ends_with(r#"],"next":null}"#), "{raw}");
    let first = &all["notifications"][0];
    assert_eq!((&first["decision"], &first["acknowledgedAt"]), (&json!("D-1"), &Value::Null));
    assert_eq!((&first["action"]["action"], &first["action"]["learner"]), (&json!("notify"), &json!("L-1")));
    assert_eq!(all["notifications"][2]["decision"], "D-2");

    // Pages.
    let page = get(&server, &read, "?limit=2").await;
    assert_eq!((keys_of(&page), &page["next"]), (vec![key("1"), key("2")], &json!("p2")));
    let page = get(&server, &read, "?limit=2&cursor=p2").await;
    assert_eq!((keys_of(&page), &page["next"]), (vec![key("3")], &Value::Null));

    // Acknowledged once: again, it is in neither list.
    let unknown = "ev-a/L-9/cpr/award-achievement";
    let answer = ack(&server, &decide, &[&key("2"), unknown, &key("2")]).await;
    assert_eq!(answer, json!({"acknowledged": [key("2")], "unknown": [unknown]}));
    let answer = ack(&server, &decide, &[&key("2")]).await;
    assert_eq!(answer, json!({"acknowledged": [], "unknown": []}));

    let pending = get(&server, &read, "?pending=true").await;
    assert_eq!(keys_of(&pending), [key("1"), key("3")]);
    let page = get(&server, &read, "?pending=true&limit=1").await;
    assert_eq!((keys_of(&page), &page["next"]), (vec![key("1")], &json!("p1")));
    let page = get(&server, &read, "?pending=true&limit=1&cursor=p1").await;
    assert_eq!((keys_of(&page), &page["next"]), (vec![key("3")], &Value::Null));
    let done = get(&server, &read, "?pending=false").await;
    assert_eq!(keys_of(&done), [key("2")]);
    let at = done["notifications"][0]["acknowledgedAt"].as_str().unwrap().to_owned();
    assert!(at.len() == 24 && at.ends_with('Z'), "{at}");
    assert_eq!(keys_of(&get(&server, &read, "?pending=false&cursor=p2").await), Vec::<String>::new());

    // The ledger keeps the queue numbers, who acknowledged and when.
    let db = ledger(&server.database).await;
    let rows: Vec<(i64, String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT number, key, acknowledged_at, acknowledged_by FROM outbox ORDER BY number")
            .fetch_all(&db)
            .await
            .unwrap();
    let expected =
        vec![(1, key("1"), None, None), (2, key("2"), Some(at), Some(token_id(&decide))), (3, key("3"), None, None)];
    assert_eq!(rows, expected);
    db.close().await;

    // Another organisation's outbox is its own.
    let globex = server.token("globex", "read");
    let empty = server.send(Method::GET, "/v1/orgs/globex/notifications", Some(&globex), None, &[]).await;
    assert_eq!((empty.0, json(&empty.1)), (200, json!({"notifications": [], "next": null})));
}

#[tokio::test(flavor = "multi_thread")]
async fn notification_requests_are_refused_with_their_status() {
    let (server, decide) = acme("notifications-refused").await;
    let read = server.token("acme", "read");
    let other = server.token("globex", "admin");

    for (query, path) in [
        ("?limit=0", "?limit"),
        ("?limit=1001", "?limit"),
        ("?cursor=2", "?cursor"),
        ("?pending=maybe", "?pending"),
        ("?pending=true&pending=false", "?pending"),
        ("?dryRun=true", "?dryRun"),
    ] {
        let (status, body) = server.send(Method::GET, &format!("{LIST}{query}"), Some(&read), None, &[]).await;
        assert_eq!((status, error_of(&body)), (400, ("invalid-query".into(), path.into())), "{query}");
    }
    let many: Vec<String> = (0..1001).map(|n| format!("k{n}")).collect();
    let many = json!({ "keys": many }).to_string();
    for (body, code, path) in [
        (r#"{"keys": ["#, "invalid-json", ""),
        ("[]", "invalid-input", ""),
        ("{}", "invalid-input", "/keys"),
        (r#"{"keys": []}"#, "invalid-input", "/keys"),
        (many.as_str(), "invalid-input", "/keys"),
        (r#"{"keys": ["a", null]}"#, "invalid-input", "/keys/1"),
        (r#"{"keys": ["a"], "reason": "x"}"#, "invalid-input", "/reason"),
    ] {
        let (status, answer) = server.post(ACK, Some(&decide), body).await;
        assert_eq!((status, error_of(&answer)), (400, (code.into(), path.into())), "{body}");
    }

    let one = json!({ "keys": [key("1")] }).to_string();
    for (method, path, token, body, status, code) in [
        (Method::GET, LIST, None, None, 401, "unauthorized"),
        (Method::POST, ACK, None, Some(one.as_str()), 401, "unauthorized"),
        (Method::POST, ACK, Some(read.as_str()), Some(one.as_str()), 403, "forbidden"),
        (Method::GET, LIST, Some(other.as_str()), None, 404, "not-found"),
        (Method::POST, ACK, Some(other.as_str()), Some(one.as_str()), 404, "not-found"),
        (Method::GET, "/v1/orgs/globex/notifications", Some(read.as_str()), None, 404, "not-found"),
        (Method::GET, ACK, Some(read.as_str()), None, 405, "method-not-allowed"),
        (Method::DELETE, LIST, Some(read.as_str()), None, 405, "method-not-allowed"),
    ] {
        let (got, answer) = server.send(method.clone(), path, token, body, &[]).await;
        assert_eq!((got, error_of(&answer).0.as_str()), (status, code), "{method} {path}");
    }
    let response = server.client.post(server.url(ACK)).bearer_auth(&decide).body(one).send().await.unwrap();
    assert_eq!(response.status(), 415);
    assert_eq!(error_of(&response.bytes().await.unwrap()).0, "unsupported-media-type");

    // Nothing of it acknowledged anything.
    let pending = get(&server, &read, "?pending=true").await;
    assert_eq!(keys_of(&pending), [key("1"), key("2"), key("3")]);
}
