//! A crash (issue #20): `kill -9` of the server while 16 clients make decisions, each with an
//! `Idempotency-Key` of its own. After a restart on the same database, every acknowledged
//! decision is stored with its answer, no decision is half there, the numbering has no gap, and
//! a retry of each unacknowledged decision with its key either replays the stored answer (it had
//! committed) or is decided afresh, the numbering continuing without a gap or a repeat (also
//! when the retry is sent twice at once, to two processes sharing the database).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use laureate_host::artifact::sha256_hex;
use tokio::io::AsyncWriteExt as _;
use tokio::sync::watch;

use super::concurrency::{acme_on, check_ledger, post_decision, DECISIONS};
use super::{decision, ledger, Server};
use crate::support::temp_dir;

const CLIENTS: usize = 16;
/// Decisions acknowledged before the kill.
const BEFORE_KILL: usize = 150;
/// How long the test waits for the load to get there, or for a decision to commit.
const PATIENCE: Duration = Duration::from_secs(120);

/// What one client saw: its acknowledged decisions (key → answer), and the one whose answer
/// never came (key, body), sent when the server was killed or after.
type Seen = (BTreeMap<String, String>, (String, String));

/// A client deciding through `url` until the server is gone, counting its acknowledged
/// decisions in `acknowledged`.
async fn client(client: usize, url: String, token: String, acknowledged: Arc<watch::Sender<usize>>) -> Seen {
    let http = reqwest::Client::new();
    let mut seen = BTreeMap::new();
    let mut i = 0;
    loop {
        let (key, body) = (format!("crash-{client}-{i}"), decision(&[&format!("{client}-{i}")]));
        match post_decision(&http, &url, &token, &body, Some(&key)).await {
            Ok((status, answer)) => {
                assert_eq!(status, 200, "{answer:.300}");
                seen.insert(key, answer);
                acknowledged.send_modify(|n| *n += 1);
            }
            Err(_) => return (seen, (key, body)),
        }
        i += 1;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_killed_under_load_keeps_every_acknowledged_decision_and_no_half_one() {
    let server = Server::start("crash");
    let decide = acme_on(&server).await;
    let (acknowledged, mut count) = watch::channel(0usize);
    let acknowledged = Arc::new(acknowledged);
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|n| tokio::spawn(client(n, server.url(DECISIONS), decide.clone(), Arc::clone(&acknowledged))))
        .collect();
    // Only the clients hold the sender: should they all fail, the wait ends.
    drop(acknowledged);
    let load = tokio::time::timeout(PATIENCE, count.wait_for(|n| *n >= BEFORE_KILL));
    load.await.expect("the clients decide").expect("the clients are running");

    // One more decision whose answer is never read: its answer is lost, however the race
    // between the kill and the other clients' answers goes. The kill comes once it committed.
    let lost = ("crash-lost".to_owned(), decision(&["lost"]));
    let mut connection = tokio::net::TcpStream::connect(&server.addr).await.expect("connect");
    let head = format!(
        "POST {DECISIONS} HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {decide}\r\n\
         content-type: application/json\r\nidempotency-key: {}\r\ncontent-length: {}\r\n\r\n",
        server.addr,
        lost.0,
        lost.1.len()
    );
    connection.write_all(format!("{head}{}", lost.1).as_bytes()).await.expect("send the decision");
    let db = ledger(&server.database).await;
    let stored = async {
        while !committed(&db, &lost.0).await {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(PATIENCE, stored).await.expect("the decision whose answer is lost commits");
    let database = server.database.clone();
    server.kill();
    drop(connection);
    db.close().await;

    let mut acked = BTreeMap::new();
    let mut in_doubt = vec![lost];
    for task in tasks {
        let (seen, unanswered): Seen = task.await.expect("a client");
        acked.extend(seen);
        in_doubt.push(unanswered);
    }
    assert!(acked.len() >= BEFORE_KILL);

    let server = Server::start_on("crash-restarted", &database, &[], temp_dir("serve-crash-restarted"));
    let checked = check_ledger(&database).await;
    for (key, answer) in &acked {
        let id = checked.keys.get(key).unwrap_or_else(|| panic!("the acknowledged decision {key} is lost"));
        assert_eq!(checked.answers[id], sha256_hex(answer.as_bytes()), "{key} is stored with the answer it got");
    }
    let committed: Vec<&String> =
        in_doubt.iter().map(|(key, _)| key).filter(|k| checked.keys.contains_key(*k)).collect();
    assert!(committed.contains(&&"crash-lost".to_owned()), "the decision whose answer was lost had committed");
    assert_eq!(checked.keys.len(), acked.len() + committed.len(), "only the decisions sent are stored");
    assert_eq!(checked.records, checked.keys.len(), "each stored decision awarded one record");
    eprintln!(
        "killed after {} acknowledged decisions; {} unacknowledged, {} of which had committed",
        acked.len(),
        in_doubt.len(),
        committed.len()
    );

    // Retried with the same key, twice at once through two processes: one decision, one
    // answer. A committed decision answers its stored bytes; the others are decided now.
    let second = Server::start_on("crash-second", &database, &[], temp_dir("serve-crash-second"));
    let (http, urls) = (reqwest::Client::new(), [server.url(DECISIONS), second.url(DECISIONS)]);
    let mut retried = BTreeMap::new();
    for (key, body) in &in_doubt {
        let (one, two) = tokio::join!(
            post_decision(&http, &urls[0], &decide, body, Some(key)),
            post_decision(&http, &urls[1], &decide, body, Some(key))
        );
        let ((status, answer), two) = (one.expect("an answer"), two.expect("an answer"));
        assert_eq!(status, 200, "{answer:.300}");
        assert!(two == (200, answer.clone()), "{key}: both retries get the one decision's answer");
        if let Some(id) = checked.keys.get(key) {
            let replayed = sha256_hex(answer.as_bytes());
            assert_eq!(replayed, checked.answers[id], "{key} committed before the kill: its answer is replayed");
        }
        retried.insert(key.clone(), answer);
    }
    let after = check_ledger(&database).await;
    assert_eq!(after.keys.len(), acked.len() + in_doubt.len(), "every decision sent is stored once");
    for (key, answer) in acked.iter().chain(&retried) {
        assert_eq!(after.answers[&after.keys[key]], sha256_hex(answer.as_bytes()), "{key}");
    }
    assert_eq!(after.records, after.keys.len());
}

/// Whether a decision with idempotency key `key` is stored.
async fn committed(db: &sqlx::AnyPool, key: &str) -> bool {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM decisions WHERE idempotency_key = $1")
        .bind(key)
        .fetch_one(db)
        .await
        .expect("read the decisions");
    count == 1
}
