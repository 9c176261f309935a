//! The stateless endpoints: the core's answers byte for byte, and every refusal's status.

use std::io::Write;

use super::{error_of, raw_status, Server, RULEBOOK};

#[tokio::test(flavor = "multi_thread")]
async fn operations_answer_the_cores_bytes() {
    let server = Server::start("operations");
    let (status, body) = server.send(reqwest::Method::GET, "/healthz", None, None, &[]).await;
    assert_eq!((status, body.as_slice()), (200, &br#"{"status":"ok"}"#[..]));

    let evaluate = format!(
        r#"{{"asOf": "2026-03-10", "rulebook": {RULEBOOK}, "evidence": {{"learners": [{}]}}}}"#,
        super::learner("1")
    );
    let cases = [
        ("/v1/evaluate", "evaluate", evaluate),
        ("/v1/validate", "validate", format!(r#"{{"rulebook": {RULEBOOK}}}"#)),
        (
            "/v1/format-identifier",
            "formatIdentifier",
            r#"{"format": "CPR-{{sequence_number}}", "padding": 4, "number": 7, "fields": {}}"#.into(),
        ),
        ("/v1/code-usage", "codeUsage", format!(r#"{{"rulebook": {RULEBOOK}}}"#)),
        ("/v1/rename-code", "renameCode", format!(r#"{{"rulebook": {RULEBOOK}, "from": "A", "to": "B"}}"#)),
        (
            "/v1/import-training-records",
            "importTrainingRecords",
            format!(r#"{{"csv": "{TRAINING_CSV}", "contacts": {{"C1": {{"name": "Ada Lovelace"}}}}}}"#),
        ),
        (
            "/v1/export-training-records",
            "exportTrainingRecords",
            r#"{"trainingRecords": [{"recordId": "TR-1", "contact": "C1", "completionDate": "2026-01-20"}],
                "contacts": {"C1": {"name": "Ada Lovelace", "email": "ada@example.org"}}}"#
                .into(),
        ),
        (
            "/v1/compare",
            "compare",
            format!(r#"{{"asOf": "2026-03-10", "rulebook": {RULEBOOK}, "before": {{}}, "after": {{}}}}"#),
        ),
    ];
    for (path, operation, request) in cases {
        let (status, body) = server.post(path, None, &request).await;
        let expected = laureate_core::call(operation, request.as_bytes());
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
        assert_eq!(body, expected, "{path}");
    }

    // An error envelope is a 400 with the core's very bytes.
    for request in ["{", r#"{"asOf": "2026-02-30", "rulebook": {}, "evidence": {}}"#, "[]"] {
        let (status, body) = server.post("/v1/evaluate", None, request).await;
        assert_eq!(status, 400, "{request}");
        assert_eq!(body, laureate_core::call("evaluate", request.as_bytes()), "{request}");
    }
    for (path, operation, request) in [
        ("/v1/import-training-records", "importTrainingRecords", r#"{"csv": 5}"#),
        ("/v1/export-training-records", "exportTrainingRecords", r#"{"trainingRecords": [{"recordId": "TR-1"}]}"#),
    ] {
        let (status, body) = server.post(path, None, request).await;
        assert_eq!(status, 400, "{path}");
        assert_eq!(body, laureate_core::call(operation, request.as_bytes()), "{path}");
    }
}

/// A training-record CSV (JSON-escaped): a quoted title with a comma, a contact by name, a
/// deletion and a bad date, so the answer has records, deletions and rows.
const TRAINING_CSV: &str = concat!(
    r"Record Id,Name,Record Type,Object Id,Title,Training Provider,Completion Date,",
    r#"Other Information,Qualification Code,Delete?\r\nTR-1,Ada Lovelace,course,,\"CPR, adult\",,2026-01-20,,CPR,0\r\n"#,
    r"TR-2,C2,,,,,,,,1\r\nTR-3,C3,,,,,20/01/2026,,,0\r\n",
);

#[tokio::test(flavor = "multi_thread")]
async fn training_records_answer_records_deletions_and_rows() {
    let server = Server::start("training-records");
    let request = format!(r#"{{"csv": "{TRAINING_CSV}", "contacts": {{"C1": {{"name": "Ada Lovelace"}}}}}}"#);
    let (status, body) = server.post("/v1/import-training-records", None, &request).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer["ok"]["records"][0]["contact"], "C1");
    assert_eq!(answer["ok"]["records"][0]["title"], "CPR, adult");
    assert_eq!(answer["ok"]["deletions"], serde_json::json!(["TR-2"]));
    // Row 4 names a contact the map does not have, and a day-first date.
    let rows: Vec<(&serde_json::Value, &serde_json::Value)> =
        answer["ok"]["rows"].as_array().unwrap().iter().map(|row| (&row["row"], &row["code"])).collect();
    assert_eq!(
        rows,
        [
            (&serde_json::json!(4), &serde_json::json!("csv-unknown-contact")),
            (&serde_json::json!(4), &serde_json::json!("csv-bad-date"))
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_have_their_status_and_the_envelope() {
    let server = Server::start("refusals");
    // Wrong or missing content type: 415.
    let response = server
        .client
        .post(server.url("/v1/validate"))
        .header("content-type", "text/plain")
        .body(r#"{"rulebook": {}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
    assert_eq!(error_of(&response.bytes().await.unwrap()).0, "unsupported-media-type");
    let response = server.client.post(server.url("/v1/validate")).body("{}").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 415);

    // No such route: 404 with the envelope.
    let (status, body) = server.post("/v1/nothing", None, "{}").await;
    assert_eq!((status, error_of(&body).0.as_str()), (404, "not-found"));

    let (status, body) = server.send(reqwest::Method::GET, "/v1/evaluate", None, None, &[]).await;
    assert_eq!((status, error_of(&body).0.as_str()), (405, "method-not-allowed"));

    // Over the core's limit by Content-Length: refused before a byte of the body is sent.
    let limit = laureate_core::Limits::default().max_request_bytes;
    let head = format!(
        "POST /v1/evaluate HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        server.addr,
        limit + 1
    );
    assert_eq!(raw_status(&server.addr, head, |_| {}), 413);

    // Over the limit without a Content-Length: counted while streaming.
    let head = format!(
        "POST /v1/validate HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        server.addr
    );
    let status = raw_status(&server.addr, head, move |stream| {
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
    });
    assert_eq!(status, 413);

    // The server still answers.
    let (status, _) = server.send(reqwest::Method::GET, "/healthz", None, None, &[]).await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_stops_the_server_cleanly() {
    let server = Server::start("sigterm");
    let (status, _) = server.send(reqwest::Method::GET, "/healthz", None, None, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(server.terminate(), Some(0));
}
