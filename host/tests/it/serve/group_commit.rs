//! Group commit: decisions that wait while the organisation is locked are made one after
//! another in one transaction and committed together, each exactly as it would be alone; a
//! decision refused among them (a bad body, a reused idempotency key) spoils none of the
//! others.

use std::collections::BTreeMap;
use std::time::Duration;

use sqlx::Executor as _;

use super::concurrency::{acme_on, check_ledger, post_decision, Decided, DECISIONS};
use super::metrics::scrape;
use super::{decision, ledger_rw, on_postgres, Server};

/// Decisions sent while the lock is held: each a new learner who completed the course.
const WAITING: usize = 24;

/// What each request is, and what it must be answered.
#[derive(Clone, Debug)]
enum Sent {
    /// A decision of its own: 200.
    Alone,
    /// An `asOf` the engine refuses: 400.
    Refused,
    /// One of two bodies under one idempotency key: one is stored (200), the other is 409.
    KeyOf(&'static str),
    /// The same body twice under one key: both 200 with one stored answer.
    Retry,
    /// The same learner in two decisions: both stored, the second finding the first's record
    /// (it awards nothing again).
    Twice,
}

#[tokio::test(flavor = "multi_thread")]
async fn decisions_that_wait_together_are_committed_together_and_each_is_its_own() {
    let server = Server::start("group-commit");
    let decide = acme_on(&server).await;
    let url = server.url(DECISIONS);
    let mut requests: Vec<(Sent, String, Option<String>)> = Vec::new();
    for n in 0..WAITING {
        requests.push((Sent::Alone, decision(&[&format!("g-{n}")]), None));
    }
    for n in 0..4 {
        let body = decision(&[&format!("bad-{n}")]).replace("2026-03-10", "2026-13-45");
        requests.push((Sent::Refused, body, None));
    }
    for (n, key) in ["pair-a", "pair-a", "pair-b", "pair-b"].into_iter().enumerate() {
        requests.push((Sent::KeyOf(key), decision(&[&format!("pair-{n}")]), Some(key.to_owned())));
    }
    for _ in 0..2 {
        requests.push((Sent::Retry, decision(&["retry"]), Some("retry".to_owned())));
        requests.push((Sent::Twice, decision(&["twice"]), None));
    }

    // Hold the organisation's lock from outside (SQLite: the database's write lock;
    // PostgreSQL: the organisation's row), so that every decision sent meanwhile waits.
    let db = ledger_rw(&server.database).await;
    let mut holder = db.acquire().await.expect("a connection");
    if on_postgres() {
        holder.execute("BEGIN").await.expect("begin");
        holder.execute("SELECT id FROM orgs WHERE id = 'acme' FOR UPDATE").await.expect("lock acme");
    } else {
        holder.execute("BEGIN IMMEDIATE").await.expect("take the write lock");
    }
    let tasks: Vec<_> = requests
        .iter()
        .cloned()
        .map(|(sent, body, key)| {
            let (url, token) = (url.clone(), decide.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let answer = post_decision(&client, &url, &token, &body, key.as_deref()).await.expect("answered");
                (sent, answer)
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(2)).await;
    holder.execute("ROLLBACK").await.expect("let go of the lock");
    drop(holder);
    db.close().await;

    let mut keyed: BTreeMap<&str, Vec<u16>> = BTreeMap::new();
    let mut retries = Vec::new();
    let mut identifiers = Vec::new();
    let mut twice = Vec::new();
    for task in tasks {
        let (sent, (status, answer)) = task.await.expect("a request task");
        match sent {
            Sent::Alone => {
                assert_eq!(status, 200, "{answer:.300}");
                identifiers.extend(Decided::read(&answer).identifiers().iter().map(|id| (*id).to_owned()));
            }
            Sent::Refused => assert_eq!(status, 400, "{answer:.300}"),
            Sent::KeyOf(key) => {
                if status == 409 {
                    assert!(answer.contains("idempotency-key-reused"), "{answer:.300}");
                }
                keyed.entry(key).or_default().push(status);
            }
            Sent::Retry => {
                assert_eq!(status, 200, "{answer:.300}");
                retries.push(answer);
            }
            Sent::Twice => {
                assert_eq!(status, 200, "{answer:.300}");
                twice.push(Decided::read(&answer).identifiers().len());
            }
        }
    }
    for (key, mut statuses) in keyed {
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "one of the two bodies under {key} is stored");
    }
    assert_eq!(retries.len(), 2);
    assert_eq!(retries[0], retries[1], "a retry replays the stored answer");
    assert_eq!(identifiers.len(), WAITING, "one award each");
    twice.sort_unstable();
    assert_eq!(twice, [0, 1], "the learner of two decisions is awarded once");

    // The ledger is whole and numbered without a gap: the waiting decisions, one of each key
    // pair, the retried one and both of the learner's, who has one record.
    let checked = check_ledger(&server.database).await;
    let stored = WAITING + 2 + 1 + 2;
    assert_eq!(checked.answers.len(), stored);
    assert_eq!(checked.records, stored - 1);

    let metrics = scrape(&server).await;
    assert_eq!(metrics["laureate_decisions_total"], stored as f64);
    let commits = metrics["laureate_decision_commits_total"];
    assert!(
        commits >= 1.0 && commits <= (stored / 4) as f64,
        "{stored} decisions that waited together are a few commits, not {commits}"
    );
}
