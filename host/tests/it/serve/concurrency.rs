//! Decisions under load (issue #20): 32 clients × 100 decisions, each awarding one record from
//! one sequence, through two server processes sharing one database (one SQLite file, or one
//! PostgreSQL database). Every decision must be answered 200, and the ledger must then hold
//! exactly the answered decisions, numbered without a gap or a repeat, with one audit row per
//! change. `check_ledger` is that check of the whole ledger; the crash test (`crash.rs`) runs it
//! too.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use laureate_host::artifact::sha256_hex;
use reqwest::Method;
use serde::Deserialize;

use super::{decision, json, ledger, Server, RULEBOOK};
use crate::support::temp_dir;

pub const DECISIONS: &str = "/v1/orgs/acme/decisions";

/// Stores [`RULEBOOK`] as `acme`'s rulebook: a `decide` token of `acme`.
pub async fn acme_on(server: &Server) -> String {
    let admin = server.token("acme", "admin");
    let put = format!(r#"{{"rulebook": {RULEBOOK}}}"#);
    let (status, body) = server.send(Method::PUT, "/v1/orgs/acme/rulebook", Some(&admin), Some(&put), &[]).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    server.token("acme", "decide")
}

/// POSTs a decision to `url` (a server's [`DECISIONS`]) through `client` (a client of its own:
/// one keep-alive connection), with `Idempotency-Key: key` when given: (status, body), or the
/// transport's error (the server was killed before it answered).
pub async fn post_decision(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    body: &str,
    key: Option<&str>,
) -> Result<(u16, String), reqwest::Error> {
    let mut request = client
        .post(url)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    Ok((status, response.text().await?))
}

/// What the tests read of a decision's answer (only these members are read, not a whole `Value`
/// per answer).
#[derive(Deserialize)]
pub struct Decided {
    evaluation: DecidedEvaluation,
    /// The ids of the records stored.
    pub records: Vec<String>,
}

#[derive(Deserialize)]
struct DecidedEvaluation {
    ok: DecidedOk,
}

#[derive(Deserialize)]
struct DecidedOk {
    actions: Vec<DecidedAction>,
}

#[derive(Deserialize)]
struct DecidedAction {
    action: String,
    identifier: Option<String>,
}

impl Decided {
    pub fn read(answer: &str) -> Decided {
        serde_json::from_str(answer).unwrap_or_else(|e| panic!("not a decision's answer ({e}): {answer:.300}"))
    }

    /// The identifiers of the `issue` actions, in order.
    pub fn identifiers(&self) -> Vec<&str> {
        let issued = self.evaluation.ok.actions.iter().filter(|a| a.action == "issue");
        issued.map(|a| a.identifier.as_deref().unwrap_or_default()).collect()
    }
}

/// The decisions a ledger holds, once [`check_ledger`] found it whole.
#[derive(Debug)]
pub struct Checked {
    /// The SHA-256 of each decision's stored answer, by decision id.
    pub answers: BTreeMap<String, String>,
    /// The decision id stored under each idempotency key.
    pub keys: BTreeMap<String, String>,
    /// How many records the ledger holds.
    pub records: usize,
}

/// The numbers at the end of ids such as `R-12`, `D-3` and `CPR-7`.
fn number(id: &str, prefix: &str) -> i64 {
    id.strip_prefix(prefix).and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{id:?} is not {prefix}<n>"))
}

type AuditRow = (i64, String, Option<String>, Option<String>, Option<String>, Option<String>);

/// Checks the whole ledger of `acme` in `database`, whose every record comes from a decision
/// on [`RULEBOOK`] (one sequence, `seq-1`):
/// - records are `R-1`…`R-n` with numbers 1…n and certificate identifiers `CPR-1`…`CPR-n` (the
///   record numbers and the sequence's numbers are handed out in the same order), and the
///   sequence's `next` is n + 1;
/// - decisions are `D-1`…`D-m`, and each one's records are exactly the `records` of its stored
///   answer, with that answer's identifiers (no decision is half there);
/// - audit rows are numbered 1…a: one `put-rulebook`, one `issue` per record naming the record's
///   decision, one `advance-sequence` per decision that moved the sequence, from where the
///   previous one left it to where its records took it; every queued notification is a stored
///   decision's.
pub async fn check_ledger(database: &str) -> Checked {
    let db = ledger(database).await;
    let records: Vec<(String, i64, Option<String>, String)> =
        sqlx::query_as("SELECT id, number, identifier, decision FROM records WHERE org = 'acme' ORDER BY number")
            .fetch_all(&db)
            .await
            .expect("read the records");
    let mut by_decision: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (n, (id, number, identifier, decision)) in (1..).zip(&records) {
        let identifier = identifier.as_deref().unwrap_or_default();
        assert_eq!((id.clone(), *number, identifier), (format!("R-{n}"), n, format!("CPR-{n}").as_str()));
        by_decision.entry(decision.as_str()).or_default().push((id.as_str(), identifier));
    }
    let next: Vec<(String, i64)> = sqlx::query_as("SELECT sequence, next FROM sequence_state WHERE org = 'acme'")
        .fetch_all(&db)
        .await
        .expect("read the sequence state");
    let expected_next: Vec<(String, i64)> =
        if records.is_empty() { vec![] } else { vec![("seq-1".into(), records.len() as i64 + 1)] };
    assert_eq!(next, expected_next, "the sequence continues after the last record");

    let decisions: Vec<(String, Option<String>, String)> =
        sqlx::query_as("SELECT id, idempotency_key, answer FROM decisions WHERE org = 'acme'")
            .fetch_all(&db)
            .await
            .expect("read the decisions");
    let mut checked = Checked { answers: BTreeMap::new(), keys: BTreeMap::new(), records: records.len() };
    for (id, key, answer) in decisions {
        let decided = Decided::read(&answer);
        let stored = by_decision.remove(id.as_str()).unwrap_or_default();
        let stored_ids: Vec<&str> = stored.iter().map(|(id, _)| *id).collect();
        let stored_identifiers: Vec<&str> = stored.iter().map(|(_, identifier)| *identifier).collect();
        assert_eq!(stored_ids, decided.records, "the records of {id} are its answer's");
        assert_eq!(stored_identifiers, decided.identifiers(), "the identifiers of {id} are its answer's");
        if let Some(key) = key {
            checked.keys.insert(key, id.clone());
        }
        checked.answers.insert(id, sha256_hex(answer.as_bytes()));
    }
    assert_eq!(by_decision, BTreeMap::new(), "records of no stored decision");
    let ids: Vec<i64> =
        checked.answers.keys().map(|id| number(id, "D-")).collect::<BTreeSet<_>>().into_iter().collect();
    assert_eq!(ids, (1..=ids.len() as i64).collect::<Vec<_>>(), "decision ids without a gap");

    check_audit(&db, &checked, &records).await;
    let outbox: Vec<String> = sqlx::query_scalar("SELECT decision FROM outbox WHERE org = 'acme'")
        .fetch_all(&db)
        .await
        .expect("read the outbox");
    assert_eq!(outbox.len(), records.len(), "one notification per award");
    assert!(outbox.iter().all(|d| checked.answers.contains_key(d)), "notifications of no stored decision");
    db.close().await;
    checked
}

async fn check_audit(db: &sqlx::AnyPool, checked: &Checked, records: &[(String, i64, Option<String>, String)]) {
    let audit: Vec<AuditRow> = sqlx::query_as(
        "SELECT number, action, record, decision, before, after FROM audit WHERE org = 'acme' ORDER BY number",
    )
    .fetch_all(db)
    .await
    .expect("read the audit log");
    let numbers: Vec<i64> = audit.iter().map(|row| row.0).collect();
    assert_eq!(numbers, (1..=audit.len() as i64).collect::<Vec<_>>(), "audit rows numbered without a gap");
    let puts = audit.iter().filter(|row| row.1 == "put-rulebook").count();
    assert_eq!(puts, 1, "one rulebook stored");

    let mut issued: BTreeMap<&str, &str> = BTreeMap::new();
    let mut advanced: BTreeMap<&str, i64> = BTreeMap::new();
    let mut next = 1;
    for (number, action, record, decision, before, after) in &audit {
        let decision = decision.as_deref().unwrap_or_default();
        match action.as_str() {
            "put-rulebook" => {}
            "issue" => {
                let record = record.as_deref().unwrap_or_else(|| panic!("audit row {number}: an issue of no record"));
                assert!(issued.insert(record, decision).is_none(), "audit row {number}: {record} issued twice");
            }
            "advance-sequence" => {
                let before = before.as_deref().map_or(1, |b| json(b.as_bytes())["next"].as_i64().unwrap_or(0));
                let after = json(after.as_deref().unwrap_or_default().as_bytes())["next"].as_i64().unwrap_or(0);
                assert_eq!(before, next, "audit row {number}: the sequence moves on from where it was");
                assert!(advanced.insert(decision, after - before).is_none(), "audit row {number}: {decision} twice");
                next = after;
            }
            other => panic!("audit row {number}: unexpected action {other:?}"),
        }
    }
    let expected: BTreeMap<&str, &str> = records.iter().map(|(id, _, _, d)| (id.as_str(), d.as_str())).collect();
    assert_eq!(issued, expected, "one issue row per record, naming its decision");
    let mut moved: BTreeMap<&str, i64> = BTreeMap::new();
    for (_, _, _, decision) in records {
        *moved.entry(decision.as_str()).or_default() += 1;
    }
    assert_eq!(advanced, moved, "one advance-sequence row per decision that moved the sequence, by its records");
    assert!(issued.values().chain(advanced.keys()).all(|d| checked.answers.contains_key(*d)));
}

#[tokio::test(flavor = "multi_thread")]
async fn thirty_two_clients_through_two_processes_share_one_gap_free_sequence() {
    const CLIENTS: usize = 32;
    const DECISIONS_EACH: usize = 100;
    let first = Server::start("concurrency");
    let decide = acme_on(&first).await;
    let second = Server::start_on("concurrency-2", &first.database, &[], temp_dir("serve-concurrency-2"));
    let urls = [first.url(DECISIONS), second.url(DECISIONS)];

    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let (url, decide) = (urls[client % 2].clone(), decide.clone());
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut answers = Vec::new();
            for i in 0..DECISIONS_EACH {
                let body = decision(&[&format!("{client}-{i}")]);
                let (status, answer) = post_decision(&http, &url, &decide, &body, None).await.expect("an answer");
                assert_eq!(status, 200, "{answer:.300}");
                let issued = Decided::read(&answer).identifiers().concat();
                assert!(!issued.is_empty(), "each decision awards its learner: {answer:.300}");
                answers.push((sha256_hex(answer.as_bytes()), issued));
            }
            answers
        }));
    }
    let mut answers = BTreeSet::new();
    let mut identifiers = BTreeSet::new();
    for task in tasks {
        for (hash, identifier) in task.await.expect("a client") {
            assert!(identifiers.insert(identifier.clone()), "{identifier} handed out twice");
            assert!(answers.insert(hash), "two identical answers");
        }
    }
    let total = CLIENTS * DECISIONS_EACH;
    eprintln!("{total} decisions through two processes in {:.1?}", started.elapsed());

    let checked = check_ledger(&first.database).await;
    assert_eq!(checked.records, total);
    let stored: BTreeSet<String> = checked.answers.into_values().collect();
    assert_eq!(stored.len(), total);
    assert_eq!(stored, answers, "the ledger holds exactly the decisions answered 200, with their answers");
}
