//! Hostile requests: malformed and oversized bodies, slow bodies, wrong content types, path
//! traversal and SQL metacharacters in ids, bad tokens. Each gets its exact status and error
//! code, and none of them writes anything to the ledger.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use reqwest::Method;

use super::{decision, error_of, json, ledger, Server, RULEBOOK};

/// Seconds a client has to send a body, for these servers.
const BODY_TIMEOUT: &str = "2";

/// How a case's body is sent.
#[derive(Clone)]
enum Body {
    /// No body, no `Content-Length`.
    None,
    /// These bytes, with their `Content-Length`.
    Bytes(Vec<u8>),
    /// A `Content-Length` of this many bytes, and none of them sent.
    Declared(usize),
    /// Chunked (no `Content-Length`), one MiB chunks until past the core's request size limit.
    ChunkedPastLimit,
    /// A `Content-Length` of 200 bytes, these sent, and then nothing.
    Stall(&'static [u8]),
}

pub(super) struct Case {
    name: &'static str,
    pub(super) method: &'static str,
    pub(super) path: String,
    headers: Vec<(&'static str, String)>,
    body: Body,
    pub(super) status: u16,
    /// The envelope's `error.code`; `None` for a 200, `Some("")` for a refusal of the HTTP
    /// layer that has no body.
    pub(super) code: Option<&'static str>,
}

fn case(
    name: &'static str,
    method: &'static str,
    path: impl Into<String>,
    headers: Vec<(&'static str, String)>,
    body: Body,
    status: u16,
    code: Option<&'static str>,
) -> Case {
    Case { name, method, path: path.into(), headers, body, status, code }
}

fn json_text(text: &str) -> Body {
    Body::Bytes(text.as_bytes().to_vec())
}

/// `Authorization: Bearer <token>` and `Content-Type: application/json`.
fn bearer_json(token: &str) -> Vec<(&'static str, String)> {
    vec![("authorization", format!("Bearer {token}")), ("content-type", "application/json".into())]
}

fn with_auth(value: String) -> Vec<(&'static str, String)> {
    vec![("authorization", value), ("content-type", "application/json".into())]
}

/// Sends `case` over a new connection, byte for byte as written (no client normalises its path
/// or adds headers): the answer's status and body.
fn exchange(addr: &str, case: &Case) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
    let mut head = format!("{} {} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n", case.method, case.path);
    for (name, value) in &case.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match &case.body {
        Body::None => {}
        Body::Bytes(bytes) => head.push_str(&format!("content-length: {}\r\n", bytes.len())),
        Body::Declared(length) => head.push_str(&format!("content-length: {length}\r\n")),
        Body::ChunkedPastLimit => head.push_str("transfer-encoding: chunked\r\n"),
        Body::Stall(_) => head.push_str("content-length: 200\r\n"),
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("write the head");
    let mut writer = stream.try_clone().expect("clone the stream");
    let body = case.body.clone();
    let sender = std::thread::spawn(move || send_body(&mut writer, body));
    let answer = read_answer(&mut stream);
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let _ = sender.join();
    answer
}

fn send_body(stream: &mut TcpStream, body: Body) {
    match body {
        Body::None | Body::Declared(_) => {}
        Body::Bytes(bytes) => {
            let _ = stream.write_all(&bytes);
        }
        Body::Stall(start) => {
            let _ = stream.write_all(start);
        }
        Body::ChunkedPastLimit => {
            let limit = laureate_core::Limits::default().max_request_bytes;
            let chunk = vec![b' '; 1 << 20];
            for _ in 0..=limit / chunk.len() {
                let sent = stream
                    .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                    .and_then(|()| stream.write_all(&chunk))
                    .and_then(|()| stream.write_all(b"\r\n"));
                if sent.is_err() {
                    return;
                }
            }
            let _ = stream.write_all(b"0\r\n\r\n");
        }
    }
}

/// Reads one answer framed by its `Content-Length` (the service's answers all have one).
fn read_answer(stream: &mut TcpStream) -> (u16, Vec<u8>) {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut buffer).expect("read the answer");
        assert!(n > 0, "the connection closed before the answer's head: {:?}", String::from_utf8_lossy(&received));
        received.extend_from_slice(&buffer[..n]);
    };
    let head = String::from_utf8_lossy(&received[..head_end]).to_ascii_lowercase();
    let status = head.get(9..12).and_then(|s| s.parse().ok()).expect("a status code");
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map_or(0, |value| value.trim().parse().expect("a content length"));
    while received.len() < head_end + length {
        let n = stream.read(&mut buffer).expect("read the answer's body");
        assert!(n > 0, "the connection closed inside the answer's body");
        received.extend_from_slice(&buffer[..n]);
    }
    (status, received[head_end..head_end + length].to_vec())
}

/// Every row of every table of the ledger, as text, and the schema: equal before and after
/// means nothing was written.
async fn snapshot(server: &Server) -> Vec<String> {
    let db = ledger(&server.database).await;
    let postgres = super::on_postgres();
    let schema = if postgres {
        "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' \
         || COALESCE(column_default, '') FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1"
    } else {
        "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master ORDER BY name"
    };
    let mut out: Vec<String> = sqlx::query_scalar(schema).fetch_all(&db).await.unwrap();
    for table in super::tables(&db).await {
        // The table names are the schema's; a row as text: PostgreSQL's row literal, SQLite's
        // quoted columns.
        let sql = if postgres {
            format!("SELECT '{table}|' || t::text FROM {table} t ORDER BY 1")
        } else {
            let columns: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_table_info($1)").bind(&table).fetch_all(&db).await.unwrap();
            let row = columns.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || '|' || ");
            format!("SELECT '{table}|' || {row} FROM {table} ORDER BY rowid")
        };
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(&db).await.unwrap();
        out.extend(rows);
    }
    db.close().await;
    out
}

const DECISIONS: &str = "/v1/orgs/acme/decisions";
const RULEBOOK_PATH: &str = "/v1/orgs/acme/rulebook";
const SQL: &str = "'; DROP TABLE records; --";

/// A decision whose learner, contact and event ids are SQL.
fn sql_decision(event: &str) -> String {
    let learner = serde_json::json!({
        "id": format!("L{SQL}"), "contact": format!("C'); DELETE FROM outbox; --"), "event": event,
        "online": {"progress": 100, "completedOn": "2026-03-01"}
    });
    serde_json::json!({"asOf": "2026-03-10", "evidence": {"learners": [learner]}}).to_string()
}

/// The cases, for a server where `acme` has a rulebook and these tokens.
pub(super) fn cases(admin: &str, decide: &str, read: &str, other: &str) -> Vec<Case> {
    let mut cases = malformed_cases(admin, decide);
    cases.extend(sizes_cases(admin, decide));
    cases.extend(paths_cases(admin, decide, read));
    cases.extend(sql_cases(decide, read));
    cases.extend(tokens_cases(admin, decide, read, other));
    cases.extend(verify_cases());
    cases.extend(notifications_cases(decide, read, other));
    cases.extend(certifications_cases(admin, decide, read, other));
    cases
}

/// Bodies that are not a decision, or not one the service can read.
#[rustfmt::skip]
fn malformed_cases(admin: &str, decide: &str) -> Vec<Case> {
    let d = || bearer_json(decide);
    vec![
        case("truncated json", "POST", DECISIONS, d(), json_text(r#"{"asOf": "2026-03-10", "evidence": {"#), 400, Some("invalid-json")),
        case("empty body", "POST", DECISIONS, d(), json_text(""), 400, Some("invalid-json")),
        case("json array", "POST", DECISIONS, d(), json_text("[1, 2]"), 400, Some("invalid-input")),
        case("json string", "POST", DECISIONS, d(), json_text(r#""a decision""#), 400, Some("invalid-input")),
        case("json null", "POST", DECISIONS, d(), json_text("null"), 400, Some("invalid-input")),
        case("invalid utf-8", "POST", DECISIONS, d(), Body::Bytes(b"{\"asOf\": \"\xff\", \"evidence\": {}}".to_vec()), 400, Some("invalid-json")),
        case("duplicate member", "POST", DECISIONS, d(), json_text(r#"{"asOf": "2026-03-10", "evidence": {}, "evidence": {}}"#), 400, Some("invalid-input")),
        case("evidence not an object", "POST", DECISIONS, d(), json_text(r#"{"asOf": "2026-03-10", "evidence": "x"}"#), 400, Some("invalid-input")),
        case("truncated rulebook", "PUT", RULEBOOK_PATH, bearer_json(admin), json_text(r#"{"rulebook": {"#), 400, Some("invalid-json")),
        case("rulebook body an array", "PUT", RULEBOOK_PATH, bearer_json(admin), json_text("[]"), 400, Some("invalid-input")),
        case("truncated evaluate", "POST", "/v1/evaluate", vec![("content-type", "application/json".into())], json_text(r#"{"asOf"#), 400, Some("invalid-json")),
    ]
}

/// Bodies too large, too slow, or of another type.
#[rustfmt::skip]
fn sizes_cases(admin: &str, decide: &str) -> Vec<Case> {
    let d = || bearer_json(decide);
    let limit = laureate_core::Limits::default().max_request_bytes;
    vec![
        case("over the limit, declared", "POST", DECISIONS, d(), Body::Declared(limit + 1), 413, Some("limit-exceeded")),
        case("over the limit, chunked", "POST", DECISIONS, d(), Body::ChunkedPastLimit, 413, Some("limit-exceeded")),
        case("rulebook over the limit", "PUT", RULEBOOK_PATH, bearer_json(admin), Body::Declared(usize::MAX / 2), 413, Some("limit-exceeded")),
        case("slow decision body", "POST", DECISIONS, d(), Body::Stall(br#"{"asOf": "2026-03-10", "#), 408, Some("request-timeout")),
        case("slow rulebook body", "PUT", RULEBOOK_PATH, bearer_json(admin), Body::Stall(b"{"), 408, Some("request-timeout")),
        case("text/plain", "POST", DECISIONS, with_ct(decide, "text/plain"), json_text(&decision(&["1"])), 415, Some("unsupported-media-type")),
        case("no content type", "POST", DECISIONS, vec![("authorization", format!("Bearer {decide}"))], json_text(&decision(&["1"])), 415, Some("unsupported-media-type")),
        case("form content type", "PUT", RULEBOOK_PATH, with_ct(admin, "application/x-www-form-urlencoded"), json_text("rulebook=x"), 415, Some("unsupported-media-type")),
        case("json-like content type", "POST", DECISIONS, with_ct(decide, "application/jsonp"), json_text(&decision(&["1"])), 415, Some("unsupported-media-type")),
    ]
}

/// Path traversal and odd organisation ids (the path is sent as written).
#[rustfmt::skip]
fn paths_cases(admin: &str, decide: &str, read: &str) -> Vec<Case> {
    let d = || bearer_json(decide);
    vec![
        case("dot-dot org", "GET", "/v1/orgs/../rulebook", bearer_json(read), Body::None, 404, Some("not-found")),
        case("dot-dot between orgs", "POST", "/v1/orgs/acme/../globex/decisions", d(), json_text(&decision(&["1"])), 404, Some("not-found")),
        case("encoded dot-dot", "GET", "/v1/orgs/%2e%2e/rulebook", bearer_json(read), Body::None, 404, Some("not-found")),
        case("encoded dot-dot slash", "PUT", "/v1/orgs/%2e%2e%2facme/rulebook", bearer_json(admin), json_text(&format!(r#"{{"rulebook": {RULEBOOK}}}"#)), 404, Some("not-found")),
        case("encoded traversal to a file", "GET", "/v1/orgs/%2e%2e%2f%2e%2e%2fetc%2fpasswd/rulebook", bearer_json(read), Body::None, 404, Some("not-found")),
        case("nul in org", "GET", "/v1/orgs/acme%00/rulebook", bearer_json(read), Body::None, 404, Some("not-found")),
        case("org not utf-8", "GET", "/v1/orgs/%ff%fe/records", bearer_json(read), Body::None, 404, Some("not-found")),
        case("record id not utf-8, no token", "GET", "/v1/orgs/acme/records/R-%c0%af", Vec::new(), Body::None, 401, Some("unauthorized")),
        case("4 KiB org", "POST", format!("/v1/orgs/{}/decisions", "a".repeat(4096)), d(), json_text(&decision(&["1"])), 404, Some("not-found")),
        case("100 KB uri", "GET", format!("/v1/orgs/{}/rulebook", "a".repeat(100_000)), bearer_json(read), Body::None, 414, Some("")),
    ]
}

/// SQL where ids go: in the path, the idempotency key, and the decision's strings.
#[rustfmt::skip]
fn sql_cases(decide: &str, read: &str) -> Vec<Case> {
    let d = || bearer_json(decide);
    vec![
        case("sql org", "GET", "/v1/orgs/acme%27%3B%20DROP%20TABLE%20records%3B%20--/rulebook", bearer_json(read), Body::None, 404, Some("not-found")),
        case("sql org, decision", "POST", "/v1/orgs/acme'%20OR%20'1'='1/decisions", d(), json_text(&decision(&["1"])), 404, Some("not-found")),
        case("sql idempotency key", "POST", DECISIONS, idempotent(decide, "k';DROP/**/TABLE/**/decisions;--"), json_text(r#"{"asOf": "2026-13-10", "evidence": {}}"#), 400, Some("invalid-input")),
        case("sql idempotency key with spaces", "POST", DECISIONS, idempotent(decide, SQL), json_text(&decision(&["1"])), 400, Some("invalid-idempotency-key")),
        case("sql learner and contact, dry run", "POST", format!("{DECISIONS}?dryRun=true"), d(), json_text(&sql_decision("ev-a")), 200, None),
        case("sql event, dry run", "POST", format!("{DECISIONS}?dryRun=true"), d(), json_text(&sql_decision(SQL)), 200, None),
        case("sql learner id, no contact", "POST", DECISIONS, d(), json_text(&format!(r#"{{"asOf": "2026-03-10", "evidence": {{"learners": [{{"id": "{SQL}"}}]}}}}"#)), 400, Some("invalid-input")),
        case("sql asOf", "POST", DECISIONS, d(), json_text(&format!(r#"{{"asOf": "2026-03-10{SQL}", "evidence": {{}}}}"#)), 400, Some("invalid-input")),
        case("sql option name", "POST", DECISIONS, d(), json_text(&format!(r#"{{"asOf": "2026-03-10", "evidence": {{}}, "options": {{"{SQL}": 1}}}}"#)), 400, Some("invalid-input")),
        case("sql member name", "POST", DECISIONS, d(), json_text(&format!(r#"{{"asOf": "2026-03-10", "evidence": {{}}, "{SQL}": 1}}"#)), 400, Some("invalid-input")),
        case("sql query", "POST", format!("{DECISIONS}?dryRun=true%27%3B--"), d(), json_text(&decision(&["1"])), 400, Some("invalid-query")),
    ]
}

/// Tokens, and methods no route has.
#[rustfmt::skip]
fn tokens_cases(admin: &str, decide: &str, read: &str, other: &str) -> Vec<Case> {
    let d = || bearer_json(decide);
    let unknown = format!("lrt_{}", "A".repeat(43));
    vec![
        case("no token", "POST", DECISIONS, vec![("content-type", "application/json".into())], json_text(&decision(&["1"])), 401, Some("unauthorized")),
        case("empty token", "POST", DECISIONS, with_auth("Bearer ".into()), json_text(&decision(&["1"])), 401, Some("unauthorized")),
        case("garbage token", "POST", DECISIONS, with_auth("Bearer garbage".into()), json_text(&decision(&["1"])), 401, Some("unauthorized")),
        case("unknown well-formed token", "POST", DECISIONS, bearer_json(&unknown), json_text(&decision(&["1"])), 401, Some("unauthorized")),
        case("sql token", "POST", DECISIONS, with_auth("Bearer ' OR '1'='1".into()), json_text(&decision(&["1"])), 401, Some("unauthorized")),
        case("10 KB token", "POST", DECISIONS, bearer_json(&"x".repeat(10_000)), json_text(&decision(&["1"])), 401, Some("unauthorized")),
        case("basic scheme", "POST", DECISIONS, with_auth(format!("Basic {decide}")), json_text(&decision(&["1"])), 401, Some("unauthorized")),
        case("no scheme", "POST", DECISIONS, with_auth(decide.to_owned()), json_text(&decision(&["1"])), 401, Some("unauthorized")),
        case("token of another org", "POST", DECISIONS, bearer_json(other), json_text(&decision(&["1"])), 404, Some("not-found")),
        case("token of another org, rulebook", "PUT", RULEBOOK_PATH, bearer_json(other), json_text(&format!(r#"{{"rulebook": {RULEBOOK}}}"#)), 404, Some("not-found")),
        case("read token deciding", "POST", DECISIONS, bearer_json(read), json_text(&decision(&["1"])), 403, Some("forbidden")),
        case("decide token storing a rulebook", "PUT", RULEBOOK_PATH, d(), json_text(&format!(r#"{{"rulebook": {RULEBOOK}}}"#)), 403, Some("forbidden")),
        case("lower-case scheme, dry run", "POST", format!("{DECISIONS}?dryRun=true"), with_auth(format!("bearer {decide}")), json_text(&decision(&["1"])), 200, None),
        case("delete a rulebook", "DELETE", RULEBOOK_PATH, bearer_json(admin), Body::None, 405, Some("method-not-allowed")),
        case("get decisions", "GET", DECISIONS, bearer_json(admin), Body::None, 405, Some("method-not-allowed")),
    ]
}

/// Path traversal, odd bytes and SQL in the identifier of the public verification.
#[rustfmt::skip]
fn verify_cases() -> Vec<Case> {
    let none = Vec::new;
    vec![
        case("verify, dot-dot", "GET", "/v1/verify/../orgs/acme/rulebook", none(), Body::None, 404, Some("not-found")),
        case("verify, encoded traversal", "GET", "/v1/verify/%2e%2e%2f%2e%2e%2fetc%2fpasswd", none(), Body::None, 404, Some("not-found")),
        case("verify, nul", "GET", "/v1/verify/CPR-1%00", none(), Body::None, 404, Some("not-found")),
        case("verify, not utf-8", "GET", "/v1/verify/%ff%fe", none(), Body::None, 404, Some("not-found")),
        case("verify, sql", "GET", "/v1/verify/CPR-1'%20OR%20'1'='1", none(), Body::None, 404, Some("not-found")),
        case("verify, sql union", "GET", "/v1/verify/x%27%20UNION%20SELECT%20hash%20FROM%20tokens--", none(), Body::None, 404, Some("not-found")),
        case("verify, sql wildcard", "GET", "/v1/verify/%25", none(), Body::None, 404, Some("not-found")),
        case("verify, 257 bytes", "GET", format!("/v1/verify/{}", "C".repeat(257)), none(), Body::None, 404, Some("not-found")),
        case("verify, sql in the query", "GET", "/v1/verify/CPR-1?x=%27%3B%20DROP%20TABLE%20records%3B--", none(), Body::None, 200, None),
    ]
}

/// Notification keys and queries that are SQL or paths, and the tokens that may not ack.
#[rustfmt::skip]
fn notifications_cases(decide: &str, read: &str, other: &str) -> Vec<Case> {
    const LIST: &str = "/v1/orgs/acme/notifications";
    const ACK: &str = "/v1/orgs/acme/notifications/ack";
    let d = || bearer_json(decide);
    let keys = serde_json::json!({"keys": [SQL, "../../etc/passwd", "%2e%2e%2f", "ev-a/L-0/cpr/award-achievement' OR '1'='1", "%", "\u{0}"]});
    let real = r#"{"keys": ["ev-a/L-0/cpr/award-achievement"]}"#;
    vec![
        case("ack sql and path keys", "POST", ACK, d(), json_text(&keys.to_string()), 200, None),
        case("ack by a read token", "POST", ACK, bearer_json(read), json_text(real), 403, Some("forbidden")),
        case("ack by another org", "POST", ACK, bearer_json(other), json_text(real), 404, Some("not-found")),
        case("ack, dot-dot org", "POST", "/v1/orgs/acme/../globex/notifications/ack", d(), json_text(real), 404, Some("not-found")),
        case("ack, encoded dot-dot org", "POST", "/v1/orgs/%2e%2e/notifications/ack", d(), json_text(real), 404, Some("not-found")),
        case("ack, truncated", "POST", ACK, d(), json_text(r#"{"keys": ["#), 400, Some("invalid-json")),
        case("ack, sql member", "POST", ACK, d(), json_text(&format!(r#"{{"keys": ["a"], "{SQL}": 1}}"#)), 400, Some("invalid-input")),
        case("ack, keys an object", "POST", ACK, d(), json_text(r#"{"keys": {"ev-a/L-0/cpr/award-achievement": true}}"#), 400, Some("invalid-input")),
        case("ack, text/plain", "POST", ACK, with_ct(decide, "text/plain"), json_text(real), 415, Some("unsupported-media-type")),
        case("list, sql cursor", "GET", format!("{LIST}?cursor=p1%27%3B%20DROP%20TABLE%20outbox%3B--"), bearer_json(read), Body::None, 400, Some("invalid-query")),
        case("list, sql limit", "GET", format!("{LIST}?limit=1%20OR%201=1"), bearer_json(read), Body::None, 400, Some("invalid-query")),
        case("list, sql pending", "GET", format!("{LIST}?pending=true'--"), bearer_json(read), Body::None, 400, Some("invalid-query")),
        case("list, sql parameter", "GET", format!("{LIST}?{}=1", "%27%3B--"), bearer_json(read), Body::None, 400, Some("invalid-query")),
        case("list, another org", "GET", LIST, bearer_json(other), Body::None, 404, Some("not-found")),
        case("list, sql org", "GET", "/v1/orgs/acme'%20OR%20'1'='1/notifications", bearer_json(read), Body::None, 404, Some("not-found")),
    ]
}

/// Certification records: ids and queries that are SQL or paths, tokens that may not revoke,
/// bodies that are not a revocation, and a decision that sends the ledger's `certified`.
#[rustfmt::skip]
fn certifications_cases(admin: &str, decide: &str, read: &str, other: &str) -> Vec<Case> {
    const LIST: &str = "/v1/orgs/acme/certifications";
    const REVOKE: &str = "/v1/orgs/acme/certifications/CR-1/revoke";
    let a = || bearer_json(admin);
    let reason = r#"{"reason": "hostile"}"#;
    vec![
        case("certified in a decision", "POST", DECISIONS, bearer_json(decide), json_text(r#"{"asOf": "2026-03-10", "evidence": {"certified": [{"id": "CR-1", "contact": "C-0", "certification": "x", "cycle": 1, "completedOn": "2026-03-01"}]}}"#), 400, Some("ledger-owned")),
        case("certification, sql id", "GET", format!("{LIST}/CR-1'%20OR%20'1'='1"), bearer_json(read), Body::None, 404, Some("not-found")),
        case("certification, encoded traversal", "GET", format!("{LIST}/%2e%2e%2f%2e%2e%2frecords%2fR-1"), bearer_json(read), Body::None, 404, Some("not-found")),
        case("certification, dot-dot", "GET", "/v1/orgs/acme/certifications/../records/R-1", bearer_json(read), Body::None, 404, Some("not-found")),
        case("certification, not utf-8", "GET", format!("{LIST}/CR-%c0%af"), bearer_json(read), Body::None, 404, Some("not-found")),
        case("certification, nul", "GET", format!("{LIST}/CR-1%00"), bearer_json(read), Body::None, 404, Some("not-found")),
        case("record, nul", "GET", "/v1/orgs/acme/records/R-1%00", bearer_json(read), Body::None, 404, Some("not-found")),
        case("holdings, nul contact", "GET", "/v1/orgs/acme/contacts/C-0%00/holdings", bearer_json(read), Body::None, 404, Some("not-found")),
        case("revoke certification, nul id", "POST", format!("{LIST}/CR-1%00/revoke"), a(), json_text(reason), 404, Some("not-found")),
        case("certification, another org", "GET", format!("{LIST}/CR-1"), bearer_json(other), Body::None, 404, Some("not-found")),
        case("certifications, sql contact", "GET", format!("{LIST}?contact=C-0'%20OR%20'1'='1"), bearer_json(read), Body::None, 200, None),
        case("certifications, sql certification", "GET", format!("{LIST}?certification=%27%3B%20DROP%20TABLE%20certification_records%3B--"), bearer_json(read), Body::None, 200, None),
        case("certifications, sql date", "GET", format!("{LIST}?completedFrom=2026-01-01%27%20OR%201=1--"), bearer_json(read), Body::None, 400, Some("invalid-query")),
        case("certifications, sql cursor", "GET", format!("{LIST}?cursor=p0%20OR%201=1"), bearer_json(read), Body::None, 400, Some("invalid-query")),
        case("certifications, no token", "GET", LIST, Vec::new(), Body::None, 401, Some("unauthorized")),
        case("certifications, sql org", "GET", "/v1/orgs/acme'%20OR%20'1'='1/certifications", bearer_json(read), Body::None, 404, Some("not-found")),
        case("revoke certification, read token", "POST", REVOKE, bearer_json(read), json_text(reason), 403, Some("forbidden")),
        case("revoke certification, decide token", "POST", REVOKE, bearer_json(decide), json_text(reason), 403, Some("forbidden")),
        case("revoke certification, another org", "POST", REVOKE, bearer_json(other), json_text(reason), 404, Some("not-found")),
        case("revoke certification, sql id", "POST", format!("{LIST}/CR-1'%3B%20DELETE%20FROM%20audit%3B--/revoke"), a(), json_text(reason), 404, Some("not-found")),
        case("revoke certification, a record's id", "POST", format!("{LIST}/R-1/revoke"), a(), json_text(reason), 404, Some("not-found")),
        case("revoke certification, no reason", "POST", REVOKE, a(), json_text(r#"{"reason": "   "}"#), 400, Some("reason-required")),
        case("revoke certification, sql member", "POST", REVOKE, a(), json_text(&format!(r#"{{"reason": "x", "{SQL}": 1}}"#)), 400, Some("invalid-input")),
        case("revoke certification, sql date", "POST", REVOKE, a(), json_text(&format!(r#"{{"reason": "x", "on": "2026-03-01{SQL}"}}"#)), 400, Some("invalid-input")),
        case("revoke certification, truncated", "POST", REVOKE, a(), json_text(r#"{"reason": "#), 400, Some("invalid-json")),
        case("revoke certification, text/plain", "POST", REVOKE, with_ct(admin, "text/plain"), json_text(reason), 415, Some("unsupported-media-type")),
        case("revoke certification, over the limit", "POST", REVOKE, a(), Body::Declared(laureate_core::Limits::default().max_request_bytes + 1), 413, Some("limit-exceeded")),
        case("revoke certification, slow body", "POST", REVOKE, a(), Body::Stall(br#"{"reason": "#), 408, Some("request-timeout")),
        case("delete a certification", "DELETE", format!("{LIST}/CR-1"), a(), Body::None, 405, Some("method-not-allowed")),
    ]
}

/// An expired and a revoked token, everywhere a token is needed.
#[rustfmt::skip]
fn lapsed_token_cases(expired: &str, revoked: &str) -> Vec<Case> {
    let real = r#"{"keys": ["ev-a/L-0/cpr/award-achievement"]}"#;
    vec![
        case("expired token deciding", "POST", DECISIONS, bearer_json(expired), json_text(&decision(&["1"])), 401, Some("unauthorized")),
        case("revoked token deciding", "POST", DECISIONS, bearer_json(revoked), json_text(&decision(&["1"])), 401, Some("unauthorized")),
        case("revoked token storing a rulebook", "PUT", RULEBOOK_PATH, bearer_json(revoked), json_text(&format!(r#"{{"rulebook": {RULEBOOK}}}"#)), 401, Some("unauthorized")),
        case("expired token acknowledging", "POST", "/v1/orgs/acme/notifications/ack", bearer_json(expired), json_text(real), 401, Some("unauthorized")),
        case("revoked token acknowledging", "POST", "/v1/orgs/acme/notifications/ack", bearer_json(revoked), json_text(real), 401, Some("unauthorized")),
        case("expired token reading", "GET", RULEBOOK_PATH, bearer_json(expired), Body::None, 401, Some("unauthorized")),
        case("revoked token listing", "GET", "/v1/orgs/acme/notifications", bearer_json(revoked), Body::None, 401, Some("unauthorized")),
        case("revoked token revoking a certification", "POST", "/v1/orgs/acme/certifications/CR-1/revoke", bearer_json(revoked), json_text(r#"{"reason": "x"}"#), 401, Some("unauthorized")),
        case("expired token listing certifications", "GET", "/v1/orgs/acme/certifications", bearer_json(expired), Body::None, 401, Some("unauthorized")),
    ]
}

fn with_ct(token: &str, content_type: &str) -> Vec<(&'static str, String)> {
    vec![("authorization", format!("Bearer {token}")), ("content-type", content_type.to_owned())]
}

fn idempotent(token: &str, key: &str) -> Vec<(&'static str, String)> {
    let mut headers = bearer_json(token);
    headers.push(("idempotency-key", key.to_owned()));
    headers
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_requests_get_their_status_and_write_nothing() {
    let server = Server::start_with("hostile", &["--body-timeout", BODY_TIMEOUT]);
    let admin = server.token("acme", "admin");
    let (decide, read, other) =
        (server.token("acme", "decide"), server.token("acme", "read"), server.token("globex", "admin"));
    // The rulebook of the tests, with a certification.
    let rulebook = serde_json::json!({"rulebook": super::certifications::certification_rulebook()}).to_string();
    let (status, _) = server.send(Method::PUT, RULEBOOK_PATH, Some(&admin), Some(&rulebook), &[]).await;
    assert_eq!(status, 200);
    // Two decisions, so that records, certification records (`CR-1`), sequences, the outbox and
    // the audit have rows to keep.
    let (status, _) = server.post(DECISIONS, Some(&decide), &decision(&["0"])).await;
    assert_eq!(status, 200);
    let certify = super::certifications::certification_decision("2024-04-01", "C-0", &["2024-03-15"]);
    let (status, body) = server.post(DECISIONS, Some(&decide), &certify).await;
    assert_eq!((status, &json(&body)["certified"]), (200, &serde_json::json!(["CR-1"])));
    // An admin token revoked and a decide token expired (`laureate token revoke`, and the
    // expiry moved to the past).
    let (expired, revoked) = (server.token("acme", "decide"), server.token("acme", "admin"));
    super::tokens::expire(&server.database, &expired).await;
    super::tokens::revoke(&server.database, &revoked);
    let before = snapshot(&server).await;

    let mut cases = cases(&admin, &decide, &read, &other);
    cases.extend(lapsed_token_cases(&expired, &revoked));
    assert!(cases.len() >= 30, "{} cases", cases.len());
    for case in cases {
        let addr = server.addr.clone();
        let (case, (status, body)) = tokio::task::spawn_blocking(move || {
            let answer = exchange(&addr, &case);
            (case, answer)
        })
        .await
        .unwrap();
        let text = String::from_utf8_lossy(&body);
        assert_eq!(status, case.status, "{}: {text}", case.name);
        match case.code {
            None => assert!(is_answer(&case.path, &json(&body)), "{}: {text}", case.name),
            Some("") => assert!(body.is_empty(), "{}: {text}", case.name),
            Some(code) => assert_eq!(error_of(&body).0, code, "{}: {text}", case.name),
        }
    }

    // The server answers on, and nothing was written.
    let (status, _) = server.send(Method::GET, "/healthz", None, None, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(snapshot(&server).await, before);
}

/// Whether `answer` is a 200's answer on `path`, and one that wrote nothing: a dry run's
/// evaluation, a verification, an acknowledgement that acknowledged nothing.
fn is_answer(path: &str, answer: &serde_json::Value) -> bool {
    if path.starts_with("/v1/verify/") {
        answer["matches"].is_array()
    } else if path.ends_with("/notifications/ack") {
        answer["acknowledged"] == serde_json::json!([]) && answer["unknown"].is_array()
    } else if path.starts_with("/v1/orgs/acme/certifications?") {
        answer == &serde_json::json!({"certifications": [], "next": null})
    } else {
        answer["evaluation"]["ok"].is_object()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stalled_body_holds_no_one_else_up() {
    let server = Server::start_with("stall", &["--body-timeout", BODY_TIMEOUT]);
    let decide = server.token("acme", "decide");
    let addr = server.addr.clone();
    let stalled = std::thread::spawn(move || {
        let case =
            case("stall", "POST", DECISIONS, bearer_json(&decide), Body::Stall(b"{"), 408, Some("request-timeout"));
        let started = std::time::Instant::now();
        let (status, body) = exchange(&addr, &case);
        (status, error_of(&body).0, started.elapsed())
    });
    // Answered while the stalled request waits for its body.
    for _ in 0..5 {
        let started = std::time::Instant::now();
        let (status, _) = server.send(Method::GET, "/healthz", None, None, &[]).await;
        assert_eq!(status, 200);
        assert!(started.elapsed() < Duration::from_secs(1));
    }
    let (status, code, elapsed) = tokio::task::spawn_blocking(move || stalled.join().unwrap()).await.unwrap();
    assert_eq!((status, code.as_str()), (408, "request-timeout"));
    assert!(elapsed >= Duration::from_secs(2) && elapsed < Duration::from_secs(10), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sql_metacharacters_in_every_id_are_stored_as_data() {
    let server = Server::start("sql-ids");
    let admin = server.token("acme", "admin");
    let decide = server.token("acme", "decide");
    let achievement = format!("cpr{SQL}");
    let sequence = "seq'); DELETE FROM audit; --";
    let template = r#"ct" OR 1=1 --"#;
    let event = "ev' OR '1'='1";
    let rulebook = serde_json::json!({
        "achievements": [{"id": achievement, "name": SQL, "sequence": sequence}],
        "sequences": [{"id": sequence, "name": SQL, "eventFormat": "{{course.code}}-{{sequence_number}}"}],
        "courseTemplates": [{"id": template, "code": "CPR", "title": SQL, "delivery": "self-paced",
            "achievements": [{"achievement": achievement}]}],
        "events": [{"id": event, "template": template, "start": "2026-02-01", "end": "2026-02-28"}],
    });
    let put = serde_json::json!({ "rulebook": rulebook }).to_string();
    let (status, body) = server.send(Method::PUT, RULEBOOK_PATH, Some(&admin), Some(&put), &[]).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));

    let key = [("idempotency-key", "k';DROP/**/TABLE/**/decisions;--")];
    let body = sql_decision(event);
    let (status, first) = server.send(Method::POST, DECISIONS, Some(&decide), Some(&body), &key).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&first));
    assert_eq!(json(&first)["records"], serde_json::json!(["R-1"]));
    let (status, retry) = server.send(Method::POST, DECISIONS, Some(&decide), Some(&body), &key).await;
    assert_eq!((status, &retry), (200, &first), "the key is found again, as data");

    let db = ledger(&server.database).await;
    let record: (String, String, String, String, Option<String>) =
        sqlx::query_as("SELECT achievement, contact, learner, event, identifier FROM records")
            .fetch_one(&db)
            .await
            .unwrap();
    let expected = (achievement.clone(), "C'); DELETE FROM outbox; --".to_owned(), format!("L{SQL}"), event.to_owned());
    assert_eq!((record.0, record.1, record.2, record.3), expected);
    assert_eq!(record.4.as_deref(), Some("CPR-1"));
    let stored_key: Option<String> =
        sqlx::query_scalar("SELECT idempotency_key FROM decisions").fetch_one(&db).await.unwrap();
    assert_eq!(stored_key.as_deref(), Some(key[0].1));
    let next: (String, i64) = sqlx::query_as("SELECT sequence, next FROM sequence_state").fetch_one(&db).await.unwrap();
    assert_eq!(next, (sequence.to_owned(), 2));
    let count = |sql: &'static str| {
        let db = db.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&db).await.unwrap() }
    };
    assert_eq!(count("SELECT COUNT(*) FROM outbox").await, 1);
    assert_eq!(count("SELECT COUNT(*) FROM audit").await, 3, "put-rulebook, issue, advance-sequence");
    let tables = super::tables(&db).await;
    let expected = [
        "_sqlx_migrations",
        "audit",
        "certification_records",
        "decisions",
        "orgs",
        "outbox",
        "records",
        "rulebooks",
        "sequence_state",
        "tokens",
    ];
    assert_eq!(tables, expected);
}
