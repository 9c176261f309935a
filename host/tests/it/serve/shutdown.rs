//! Graceful shutdown (issue #20): on SIGTERM the server stops taking connections, lets the
//! requests in flight finish, and exits 0 with nothing half-written.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::Duration;

use super::concurrency::{acme_on, check_ledger, Decided, DECISIONS};
use super::{decision, Server};

/// A decision whose body is still arriving when SIGTERM comes is decided, answered and stored;
/// then the process exits 0.
#[tokio::test(flavor = "multi_thread")]
async fn sigterm_lets_a_decision_in_flight_finish() {
    let mut server = Server::start("sigterm-in-flight");
    let token = acme_on(&server).await;
    let body = decision(&["in-flight"]);
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);

    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
    let head = format!(
        "POST {DECISIONS} HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {token}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        server.addr,
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("write the head");
    stream.write_all(first).expect("write half the body");
    stream.flush().expect("flush");
    // The server is reading the body when the signal comes, and still reading after it.
    std::thread::sleep(Duration::from_millis(300));
    server.signal("TERM");
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(rest).expect("write the rest of the body");

    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("read the answer");
    let answer = String::from_utf8(answer).expect("utf-8");
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer:.400}");
    let (_, json) = answer.split_once("\r\n\r\n").expect("a head and a body");
    assert_eq!(Decided::read(json).records, ["R-1"]);

    assert_eq!(server.wait(), Some(0), "the server exits 0 once the decision is answered");
    let checked = check_ledger(&server.database).await;
    assert_eq!(checked.records, 1, "the decision in flight is stored, whole");
}
