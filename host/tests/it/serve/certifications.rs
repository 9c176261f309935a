//! Certification records (spec.md §7, Recertification records): a decision stores each
//! `certify` action once and reads the contact's records back as `evidence.certified`, a
//! revocation resets the certification, and the records are listed and read.

use laureate_host::serve::ledger::sha256_hex;
use reqwest::Method;
use serde_json::{json, Value};

use super::reads::{walk, Org};
use super::{error_of, json, ledger, Server, RULEBOOK};

const DECISIONS: &str = "/v1/orgs/acme/decisions";
const CERTIFICATIONS: &str = "/v1/orgs/acme/certifications";

/// [`RULEBOOK`] with a 12-monthly certification (renewed on the expiry basis, certificate
/// template `tpl-fire`) of one course.
pub fn certification_rulebook() -> Value {
    let mut rulebook: Value = serde_json::from_str(RULEBOOK).unwrap();
    rulebook["courses"] = json!([{"id": "fire-1", "title": "Fire safety", "gradedSteps": 3}]);
    rulebook["certifications"] = json!([{"id": "cert-fire", "name": "Fire safety", "effectiveFrom": "2024-01-01",
        "renewal": {"everyMonths": 12, "basis": "expiry"}, "courses": ["fire-1"], "minimumGrade": 80,
        "certificate": "tpl-fire"}]);
    rulebook
}

/// A decision body as of `as_of`: `contact` assigned to `cert-fire` on 2024-01-01, with a
/// passing `fire-1` result on each date of `results`.
pub fn certification_decision(as_of: &str, contact: &str, results: &[&str]) -> String {
    let results: Vec<Value> = results
        .iter()
        .map(|on| json!({"contact": contact, "course": "fire-1", "grade": 90, "completedOn": on}))
        .collect();
    json!({"asOf": as_of, "evidence": {
        "certificationAssignments": [{"contact": contact, "certification": "cert-fire", "assignedOn": "2024-01-01"}],
        "courseResults": results}})
    .to_string()
}

/// `acme` with [`certification_rulebook`], a token of every role and one of `globex`.
async fn certifying(name: &str) -> Org {
    let server = Server::start(name);
    let admin = server.token("acme", "admin");
    let put = json!({"rulebook": certification_rulebook()}).to_string();
    let (status, body) = server.send(Method::PUT, "/v1/orgs/acme/rulebook", Some(&admin), Some(&put), &[]).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let (read, decide, correct) =
        (server.token("acme", "read"), server.token("acme", "decide"), server.token("acme", "correct"));
    let other = server.token("globex", "admin");
    Org { server, read, decide, correct, other }
}

impl Org {
    /// A decision that must answer 200: its text.
    async fn decide_ok(&self, path: &str, body: &str) -> String {
        let (status, answer) = self.server.post(path, Some(&self.decide), body).await;
        assert_eq!(status, 200, "{body}: {}", String::from_utf8_lossy(&answer));
        String::from_utf8(answer).unwrap()
    }
}

/// The actions of `kind` in a decision's answer.
fn actions<'a>(answer: &'a Value, kind: &str) -> Vec<&'a Value> {
    let actions = answer["evaluation"]["ok"]["actions"].as_array().unwrap();
    actions.iter().filter(|action| action["action"] == kind).collect()
}

/// The `evaluation` of a decision's answer text, byte for byte.
fn evaluation(text: &str) -> &str {
    text.strip_prefix(r#"{"evaluation":"#).and_then(|rest| rest.rsplit_once(r#","records":"#)).unwrap().0
}

/// `laureate evaluate`'s answer on `body` with the certification rulebook, no records, the
/// certification records `certified` and no sequences: what the ledger's request is.
fn evaluate_with(body: &str, certified: Value) -> Vec<u8> {
    let mut request: Value = serde_json::from_str(body).unwrap();
    request["rulebook"] = certification_rulebook();
    request["evidence"]["issued"] = json!([]);
    request["evidence"]["certified"] = certified;
    request["evidence"]["sequenceState"] = json!({});
    laureate_core::call("evaluate", request.to_string().as_bytes())
}

/// The certification record without the members the engine does not read (`certificate`,
/// `decision`): its `evidence.certified` item.
fn as_certified(record: &Value) -> Value {
    let mut certified = record.clone();
    let members = certified.as_object_mut().unwrap();
    members.remove("certificate");
    members.remove("decision");
    certified
}

/// (action, record, decision, after) of an audit row.
type AuditRow = (String, Option<String>, Option<String>, Option<String>);

fn ids(records: &[Value]) -> Vec<&str> {
    records.iter().map(|record| record["id"].as_str().unwrap_or_default()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_completed_cycle_is_certified_once_and_read_back() {
    let org = certifying("certify-once").await;
    let first = certification_decision("2024-04-01", "C1", &["2024-03-15"]);
    let text = org.decide_ok(DECISIONS, &first).await;
    let answer = json(text.as_bytes());
    assert_eq!((&answer["records"], &answer["certified"]), (&json!([]), &json!(["CR-1"])));
    let certify = json!({"action": "certify", "contact": "C1", "certification": "cert-fire", "cycle": 1,
        "completedOn": "2024-03-15", "validUntil": "2025-03-15", "certificate": "tpl-fire"});
    assert_eq!(actions(&answer, "certify"), [&certify]);
    assert_eq!(evaluation(&text).as_bytes(), evaluate_with(&first, json!([])).as_slice(), "parity, no records yet");

    // The ledger's rows: the record, its audit row, the notification, the counter.
    let db = ledger(&org.server.database).await;
    let row: (String, i64, String, String, i64, String, Option<String>, Option<String>, String) = sqlx::query_as(
        "SELECT id, number, contact, certification, cycle, completed_on, valid_until, certificate, decision \
         FROM certification_records",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let expected = ("CR-1", 1, "C1", "cert-fire", 1, "2024-03-15", Some("2025-03-15"), Some("tpl-fire"), "D-1");
    assert_eq!(
        (row.0.as_str(), row.1, row.2.as_str(), row.3.as_str(), row.4, row.5.as_str(), row.6.as_deref()),
        (expected.0, expected.1, expected.2, expected.3, expected.4, expected.5, expected.6)
    );
    assert_eq!((row.7.as_deref(), row.8.as_str()), (expected.7, expected.8));
    let audit: Vec<AuditRow> = sqlx::query_as("SELECT action, record, decision, after FROM audit ORDER BY number")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 2, "put-rulebook, certify: {audit:?}");
    assert_eq!(
        (audit[1].0.as_str(), audit[1].1.as_deref(), audit[1].2.as_deref()),
        ("certify", Some("CR-1"), Some("D-1"))
    );
    let after: Value = serde_json::from_str(audit[1].3.as_deref().unwrap()).unwrap();
    let record = json!({"id": "CR-1", "contact": "C1", "certification": "cert-fire", "cycle": 1,
        "completedOn": "2024-03-15", "validUntil": "2025-03-15", "revoked": null});
    assert_eq!(after, record);
    let outbox: Vec<String> =
        sqlx::query_scalar("SELECT key FROM outbox ORDER BY number").fetch_all(&db).await.unwrap();
    assert_eq!(outbox, ["cert-fire/C1/1/certification-completed"]);
    let next: i64 =
        sqlx::query_scalar("SELECT next_certification FROM orgs WHERE id = 'acme'").fetch_one(&db).await.unwrap();
    assert_eq!(next, 2);

    // The record is read back: the same evidence proposes nothing again.
    let again = org.decide_ok(DECISIONS, &first).await;
    let again_answer = json(again.as_bytes());
    assert_eq!(again_answer["certified"], json!([]));
    assert!(actions(&again_answer, "certify").is_empty(), "{again}");
    assert!(actions(&again_answer, "notify").is_empty(), "{again}");
    let holdings = &again_answer["evaluation"]["ok"]["certificationHoldings"];
    assert_eq!(
        holdings,
        &json!([{"contact": "C1", "certification": "cert-fire", "status": "certified",
        "history": [record]}])
    );
    assert_eq!(evaluation(&again).as_bytes(), evaluate_with(&first, json!([record])).as_slice(), "parity");

    // Reminders read the stored cycle: 14 days before its validUntil, `certification-expiring`
    // (queued once), and still nothing to certify.
    let later = certification_decision("2025-03-01", "C1", &["2024-03-15"]);
    let text = org.decide_ok(DECISIONS, &later).await;
    let reminded = json(text.as_bytes());
    assert!(actions(&reminded, "certify").is_empty(), "{text}");
    let keys: Vec<&str> = actions(&reminded, "notify").iter().map(|a| a["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["cert-fire/C1/1/certification-expiring"]);
    assert_eq!(evaluation(&text).as_bytes(), evaluate_with(&later, json!([record])).as_slice(), "parity");

    // A dry run gives the ids a decision would store, and stores nothing.
    let other = certification_decision("2024-04-01", "C2", &["2024-03-20"]);
    let dry = org.decide_ok(&format!("{DECISIONS}?dryRun=true"), &other).await;
    assert_eq!(json(dry.as_bytes())["certified"], json!(["CR-2"]));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM certification_records").fetch_one(&db).await.unwrap();
    assert_eq!(count, 1);
    let stored = org.decide_ok(DECISIONS, &other).await;
    assert_eq!(json(stored.as_bytes())["certified"], json!(["CR-2"]));

    // Three decisions stored one record each time something completed; C2's decision read none
    // of C1's (the scope is the evidence's contacts).
    let answer = json(stored.as_bytes());
    let holders: Vec<&str> = answer["evaluation"]["ok"]["certificationHoldings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|holding| holding["contact"].as_str().unwrap())
        .collect();
    assert_eq!(holders, ["C2"]);
    assert_eq!(org.get_ok(&format!("{CERTIFICATIONS}/CR-1")).await["decision"], "D-1");
    assert_eq!(org.get_ok(&format!("{CERTIFICATIONS}/CR-2")).await["decision"], "D-4");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_decision_refuses_certified_evidence_and_stores_certify_with_issue() {
    let org = certifying("certify-with-issue").await;
    let body = r#"{"asOf": "2024-04-01", "evidence": {"certified": []}}"#;
    let (status, answer) = org.server.post(DECISIONS, Some(&org.decide), body).await;
    assert_eq!((status, error_of(&answer)), (400, ("ledger-owned".to_owned(), "/evidence/certified".to_owned())));

    // One decision that awards a record and certifies a cycle: both stored, the audit rows in
    // the order issue, certify, advance-sequence.
    let mut both: Value = serde_json::from_str(&certification_decision("2026-03-10", "C-1", &["2026-03-02"])).unwrap();
    both["evidence"]["learners"] = json!([{"id": "L-1", "contact": "C-1", "event": "ev-a",
        "online": {"progress": 100, "completedOn": "2026-03-01"}}]);
    let text = org.decide_ok(DECISIONS, &both.to_string()).await;
    let answer = json(text.as_bytes());
    assert_eq!((&answer["records"], &answer["certified"]), (&json!(["R-1"]), &json!(["CR-1"])));
    let db = ledger(&org.server.database).await;
    let audit: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT action, record FROM audit ORDER BY number").fetch_all(&db).await.unwrap();
    let audit: Vec<(&str, Option<&str>)> = audit.iter().map(|(a, r)| (a.as_str(), r.as_deref())).collect();
    assert_eq!(
        audit,
        [("put-rulebook", None), ("issue", Some("R-1")), ("certify", Some("CR-1")), ("advance-sequence", None)]
    );
    let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM outbox ORDER BY number").fetch_all(&db).await.unwrap();
    assert_eq!(keys, ["ev-a/L-1/cpr/award-achievement", "cert-fire/C-1/1/certification-completed"]);

    // Parity with the record and the certification record in the request.
    let again = org.decide_ok(DECISIONS, &both.to_string()).await;
    assert_eq!(json(again.as_bytes())["certified"], json!([]));
    let mut request = both.clone();
    request["rulebook"] = certification_rulebook();
    let record = org.get_ok("/v1/orgs/acme/records/R-1").await;
    let mut issued = record.clone();
    issued.as_object_mut().unwrap().remove("decision");
    request["evidence"]["issued"] = json!([issued]);
    let certification = org.get_ok(&format!("{CERTIFICATIONS}/CR-1")).await;
    request["evidence"]["certified"] = json!([as_certified(&certification)]);
    request["evidence"]["sequenceState"] = json!({"seq-1": 2});
    let expected = laureate_core::call("evaluate", request.to_string().as_bytes());
    assert_eq!(evaluation(&again).as_bytes(), expected.as_slice());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_certification_record_resets_the_certification() {
    let org = certifying("certify-revoke").await;
    org.decide_ok(DECISIONS, &certification_decision("2024-04-01", "C1", &["2024-03-15"])).await;
    let path = format!("{CERTIFICATIONS}/CR-1/revoke");
    let body = r#"{"reason": "exam irregularity", "on": "2024-06-01"}"#;
    let holdings = "/v1/orgs/acme/contacts/C1/holdings?asOf=2024-09-01";
    let held = org.get_ok(holdings).await;
    assert_eq!(held["holdings"], json!([]));
    assert_eq!(held["certificationHoldings"][0]["status"], "certified", "{held}");

    // No token, a weaker role, another organisation, an unknown record; bodies refused at
    // their member. Nothing is written.
    let (status, _) = org.server.send(Method::POST, &path, None, Some(body), &[]).await;
    assert_eq!(status, 401);
    for token in [&org.read, &org.decide] {
        let (status, answer) = org.server.send(Method::POST, &path, Some(token), Some(body), &[]).await;
        assert_eq!((status, error_of(&answer).0.as_str()), (403, "forbidden"));
    }
    let (status, _) = org.server.send(Method::POST, &path, Some(&org.other), Some(body), &[]).await;
    assert_eq!(status, 404);
    let unknown = format!("{CERTIFICATIONS}/CR-9/revoke");
    let (status, _) = org.server.send(Method::POST, &unknown, Some(&org.correct), Some(body), &[]).await;
    assert_eq!(status, 404);
    let (status, _) =
        org.server.send(Method::POST, "/v1/orgs/acme/records/CR-1/revoke", Some(&org.correct), Some(body), &[]).await;
    assert_eq!(status, 404, "a certification record is not a record");
    let cases = [
        (r#"{}"#, "reason-required", "/reason"),
        (r#"{"reason": " "}"#, "reason-required", "/reason"),
        (r#"{"reason": "x", "on": "2024-02-30"}"#, "invalid-input", "/on"),
        (r#"{"reason": "x", "cycle": 1}"#, "invalid-input", "/cycle"),
        (r#"{"reason": "#, "invalid-json", ""),
    ];
    for (bad, code, at) in cases {
        let (status, answer) = org.server.send(Method::POST, &path, Some(&org.correct), Some(bad), &[]).await;
        assert_eq!((status, error_of(&answer)), (400, (code.to_owned(), at.to_owned())), "{bad}");
    }
    let db = ledger(&org.server.database).await;
    let count = || {
        let db = db.clone();
        async move { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit").fetch_one(&db).await.unwrap() }
    };
    assert_eq!(count().await, 2, "nothing was written by a refused revocation");

    // Revoked by the token's id, with an audit row; then 409.
    let (status, answer) = org.server.send(Method::POST, &path, Some(&org.correct), Some(body), &[]).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    let revoked = json(&answer);
    let actor = format!("tok-{}", &sha256_hex(org.correct.as_bytes())[..16]);
    let revocation = json!({"on": "2024-06-01", "by": actor, "reason": "exam irregularity"});
    assert_eq!(revoked["revoked"], revocation);
    assert_eq!(
        (&revoked["id"], &revoked["decision"], &revoked["certificate"]),
        (&json!("CR-1"), &json!("D-1"), &json!("tpl-fire"))
    );
    assert_eq!(org.get_ok(&format!("{CERTIFICATIONS}/CR-1")).await, revoked);
    let (status, again) = org.server.send(Method::POST, &path, Some(&org.correct), Some(body), &[]).await;
    assert_eq!((status, error_of(&again).0.as_str()), (409, "already-revoked"));
    let rows = org.get_ok("/v1/orgs/acme/audit?record=CR-1").await;
    let rows = rows["audit"].as_array().unwrap();
    let logged: Vec<&str> = rows.iter().map(|row| row["action"].as_str().unwrap()).collect();
    assert_eq!(logged, ["certify", "revoke-certification"]);
    assert_eq!(
        (&rows[1]["actor"], &rows[1]["reason"], &rows[1]["decision"]),
        (&json!(actor), &json!("exam irregularity"), &Value::Null)
    );
    assert_eq!(rows[1]["before"]["revoked"], Value::Null);
    assert_eq!(rows[1]["after"], as_certified(&revoked));
    let held = org.get_ok(holdings).await;
    let expected = json!([{"contact": "C1", "certification": "cert-fire", "status": "revoked",
        "history": [as_certified(&revoked)]}]);
    assert_eq!(held["certificationHoldings"], expected);

    // The revocation resets the certification (as tests/conformance/certifications/
    // records-revoked-resets.json): the revoked cycle is not proposed again, and results before
    // the revocation do not count.
    let reset = certification_decision("2024-09-01", "C1", &["2024-03-15", "2024-05-01"]);
    let text = org.decide_ok(DECISIONS, &reset).await;
    let answer = json(text.as_bytes());
    assert!(actions(&answer, "certify").is_empty(), "{text}");
    let row = &answer["evaluation"]["ok"]["certifications"][0];
    assert_eq!(
        (&row["status"], &row["cycle"], &row["windowStart"]),
        (&json!("revoked"), &json!(2), &json!("2024-06-02"))
    );
    assert_eq!(answer["evaluation"]["ok"]["certificationHoldings"][0]["status"], "revoked");
    let certified = json!([as_certified(&revoked)]);
    assert_eq!(evaluation(&text).as_bytes(), evaluate_with(&reset, certified.clone()).as_slice(), "parity");

    // A result after the revocation completes cycle 2, judged as a first cycle: CR-2.
    let renewed = certification_decision("2024-09-01", "C1", &["2024-03-15", "2024-05-01", "2024-07-01"]);
    let text = org.decide_ok(DECISIONS, &renewed).await;
    let answer = json(text.as_bytes());
    assert_eq!(answer["certified"], json!(["CR-2"]));
    let certify = actions(&answer, "certify");
    assert_eq!(
        (&certify[0]["cycle"], &certify[0]["completedOn"], &certify[0]["validUntil"]),
        (&json!(2), &json!("2024-07-01"), &json!("2025-07-01"))
    );
    assert_eq!(evaluation(&text).as_bytes(), evaluate_with(&renewed, certified).as_slice(), "parity");
    let holding = &answer["evaluation"]["ok"]["certificationHoldings"][0];
    assert_eq!(
        (&holding["status"], ids(holding["history"].as_array().unwrap())),
        (&json!("certified"), vec!["CR-1", ""])
    );
    let held = org.get_ok(holdings).await;
    let history = held["certificationHoldings"][0]["history"].as_array().unwrap().clone();
    assert_eq!(
        (&held["certificationHoldings"][0]["status"], ids(&history)),
        (&json!("certified"), vec!["CR-1", "CR-2"])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn certification_records_are_filtered_and_paged_in_number_order() {
    let org = certifying("certify-list").await;
    // C1, C2, C3 complete cycle 1 (CR-1, CR-2, CR-3); C1 renews in 2025 (CR-4).
    let body = |as_of: &str, contact: &str, results: &[&str]| certification_decision(as_of, contact, results);
    org.decide_ok(DECISIONS, &body("2024-04-01", "C1", &["2024-03-15"])).await;
    org.decide_ok(DECISIONS, &body("2024-04-01", "C2", &["2024-03-16"])).await;
    org.decide_ok(DECISIONS, &body("2024-04-01", "C3", &["2024-03-18"])).await;
    let renewal = org.decide_ok(DECISIONS, &body("2025-04-01", "C1", &["2024-03-15", "2025-03-01"])).await;
    assert_eq!(json(renewal.as_bytes())["certified"], json!(["CR-4"]), "{renewal}");

    let all = org.get_ok(CERTIFICATIONS).await;
    assert_eq!(ids(all["certifications"].as_array().unwrap()), ["CR-1", "CR-2", "CR-3", "CR-4"]);
    assert!(all["next"].is_null());
    let first = &all["certifications"][0];
    let members: Vec<&str> = first.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected =
        ["id", "contact", "certification", "cycle", "completedOn", "validUntil", "revoked", "certificate", "decision"];
    expected.sort_unstable();
    assert_eq!(members, expected);
    for (limit, pages) in [(1, 4), (3, 2), (4, 1)] {
        let (records, walked) = walk(&org, CERTIFICATIONS, "certifications", limit).await;
        assert_eq!(ids(&records), ["CR-1", "CR-2", "CR-3", "CR-4"], "limit {limit}");
        assert_eq!(walked, pages, "limit {limit}");
    }
    // A contact's records.
    let (records, _) = walk(&org, &format!("{CERTIFICATIONS}?contact=C1"), "certifications", 1).await;
    assert_eq!(ids(&records), ["CR-1", "CR-4"]);
    let cycles: Vec<i64> = records.iter().map(|record| record["cycle"].as_i64().unwrap()).collect();
    assert_eq!(cycles, [1, 2]);
    let cases = [
        ("certification=cert-fire&completedFrom=2024-03-16&completedTo=2024-03-18", vec!["CR-2", "CR-3"]),
        ("completedFrom=2025-01-01", vec!["CR-4"]),
        ("completedTo=2024-03-15", vec!["CR-1"]),
        ("contact=C2&certification=cert-fire", vec!["CR-2"]),
        ("contact=C9", vec![]),
        ("certification=cert-other", vec![]),
    ];
    for (query, expected) in cases {
        let page = org.get_ok(&format!("{CERTIFICATIONS}?{query}")).await;
        assert_eq!(ids(page["certifications"].as_array().unwrap()), expected, "{query}");
    }

    // Refused queries, unknown ids, other organisations, no token.
    let bad = [
        ("?completedFrom=2024-02-30", "?completedFrom"),
        ("?completedTo=", "?completedTo"),
        ("?contact=", "?contact"),
        ("?contact=C1&contact=C2", "?contact"),
        ("?achievement=cpr", "?achievement"),
        ("?limit=0", "?limit"),
        ("?cursor=CR-1", "?cursor"),
    ];
    for (query, at) in bad {
        let (status, body) = org.get(&format!("{CERTIFICATIONS}{query}"), &org.read).await;
        assert_eq!((status, error_of(&body)), (400, ("invalid-query".to_owned(), at.to_owned())), "{query}");
    }
    let (status, body) = org.get(&format!("{CERTIFICATIONS}/CR-99"), &org.read).await;
    assert_eq!((status, error_of(&body).0.as_str()), (404, "not-found"));
    let (status, _) = org.get(&format!("{CERTIFICATIONS}/R-1"), &org.read).await;
    assert_eq!(status, 404);
    for path in [CERTIFICATIONS.to_owned(), format!("{CERTIFICATIONS}/CR-1")] {
        let (status, _) = org.get(&path, &org.other).await;
        assert_eq!(status, 404, "{path}");
        let (status, _) = org.server.send(Method::GET, &path, None, None, &[]).await;
        assert_eq!(status, 401, "{path}");
    }
    let (status, body) = org.get("/v1/orgs/globex/certifications", &org.other).await;
    assert_eq!((status, json(&body)), (200, json!({"certifications": [], "next": null})));
}

/// The migrations before certification records (0001–0003), as a ledger of an earlier release
/// applied them.
fn earlier_migrator() -> sqlx::migrate::Migrator {
    use sqlx::migrate::{Migration, MigrationType};
    let earlier = [
        (1, "ledger", include_str!("../../../migrations/0001_ledger.sql")),
        (2, "tokens outbox verify", include_str!("../../../migrations/0002_tokens_outbox_verify.sql")),
        (3, "records identifier", include_str!("../../../migrations/0003_records_identifier.sql")),
    ];
    let migrations = earlier
        .into_iter()
        .map(|(version, description, sql)| {
            let sql = sqlx::SqlStr::from_static(sql);
            Migration::new(version, description.into(), MigrationType::Simple, sql, false)
        })
        .collect();
    sqlx::migrate::Migrator::with_migrations(migrations)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ledger_of_an_earlier_release_keeps_its_audit_rows_and_certifies() {
    // A ledger migrated to 0003 with two audit rows, as an earlier release left it.
    let dir = crate::support::temp_dir("serve-migrate-0004");
    let database = super::new_database("migrate-0004", &dir);
    sqlx::any::install_default_drivers();
    let url = match database.strip_prefix("sqlite:") {
        Some(path) => format!("sqlite://{path}?mode=rwc"),
        None => database.clone(),
    };
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
    earlier_migrator().run(&pool).await.unwrap();
    let setup = [
        "INSERT INTO orgs (id, created_at, next_audit) VALUES ('acme', '2026-01-01T00:00:00.000Z', 3)",
        "INSERT INTO audit (org, number, at, actor, action, record, decision, before, after, reason) VALUES \
         ('acme', 1, '2026-01-01T00:00:00.000Z', 'tok-1', 'put-rulebook', NULL, NULL, NULL, '{\"version\":1}', NULL), \
         ('acme', 2, '2026-01-02T00:00:00.000Z', 'tok-1', 'revoke', 'R-1', NULL, '{}', '{}', 'issued in error')",
    ];
    for statement in setup {
        sqlx::query(statement).execute(&pool).await.unwrap();
    }
    pool.close().await;

    // The server applies 0004 at start: the rows are kept, the organisation's counter starts at
    // 1, and a decision certifies under the wider check.
    let server = Server::start_on("migrate-0004", &database, &[], dir);
    let admin = server.token("acme", "admin");
    let put = json!({"rulebook": certification_rulebook()}).to_string();
    let (status, _) = server.send(Method::PUT, "/v1/orgs/acme/rulebook", Some(&admin), Some(&put), &[]).await;
    assert_eq!(status, 200);
    let decide = server.token("acme", "decide");
    let body = certification_decision("2024-04-01", "C1", &["2024-03-15"]);
    let (status, answer) = server.post(DECISIONS, Some(&decide), &body).await;
    assert_eq!((status, &json(&answer)["certified"]), (200, &json!(["CR-1"])));
    let db = ledger(&server.database).await;
    let rows: Vec<(i64, String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT number, action, record, reason FROM audit WHERE org = 'acme' ORDER BY number")
            .fetch_all(&db)
            .await
            .unwrap();
    let rows: Vec<(i64, &str, Option<&str>, Option<&str>)> =
        rows.iter().map(|(n, a, r, why)| (*n, a.as_str(), r.as_deref(), why.as_deref())).collect();
    assert_eq!(
        rows,
        [
            (1, "put-rulebook", None, None),
            (2, "revoke", Some("R-1"), Some("issued in error")),
            (3, "put-rulebook", None, None),
            (4, "certify", Some("CR-1"), None)
        ]
    );
    let versions: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version").fetch_all(&db).await.unwrap();
    assert_eq!(versions, [1, 2, 3, 4]);
    // The rebuilt table keeps its constraints: an unknown action and a repeated number are
    // refused.
    let rw = super::ledger_rw(&server.database).await;
    let refused = [
        "INSERT INTO audit (org, number, at, actor, action) VALUES ('acme', 9, 'x', 'y', 'delete')",
        "INSERT INTO audit (org, number, at, actor, action) VALUES ('acme', 1, 'x', 'y', 'issue')",
    ];
    for statement in refused {
        assert!(sqlx::query(statement).execute(&rw).await.is_err(), "{statement}");
    }
}
