//! The hostile corpus (`tests/hostile/`, see its README) through wasmtime and the CLI: every
//! answer is byte-identical to the native core's and has the expected error code and path; the
//! CLI always prints an envelope and exits 0 or 1. (The expected ok answers are compared in full
//! natively, by core/tests/hostile.rs, and in Node.)

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::support::{artifact, engine, workspace};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    operation: String,
    request: Option<Box<RawValue>>,
    request_text: Option<String>,
    expect: Value,
}

/// Replaces each `@@repeat:N:TEXT@@` by TEXT repeated N times.
fn expand(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("@@repeat:") {
        out.push_str(&rest[..at]);
        let spec = &rest[at + 9..];
        let end = spec.find("@@").expect("closed placeholder");
        let (count, unit) = spec[..end].split_once(':').expect("N:TEXT");
        out.push_str(&unit.repeat(count.parse().expect("a count")));
        rest = &spec[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Replaces each `@@byte:HH@@` by the byte HH.
fn raw_bytes(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("@@byte:") {
        out.extend_from_slice(&rest.as_bytes()[..at]);
        out.push(u8::from_str_radix(&rest[at + 7..at + 9], 16).expect("two hex digits"));
        assert_eq!(&rest[at + 9..at + 11], "@@", "a closed byte placeholder");
        rest = &rest[at + 11..];
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

pub fn cases() -> Vec<(String, String, Vec<u8>, Value)> {
    let dir = workspace().join("tests/hostile");
    let mut names: Vec<_> = fs::read_dir(&dir)
        .expect("tests/hostile")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let case: Case = serde_json::from_str(&fs::read_to_string(dir.join(&name)).expect("read")).expect("a case");
            let request = match (&case.request, &case.request_text) {
                (Some(raw), _) => raw.get().as_bytes().to_vec(),
                (None, Some(text)) => raw_bytes(&expand(text)),
                (None, None) => panic!("{name}: no request"),
            };
            (name, case.operation, request, case.expect)
        })
        .collect()
}

/// The expected error `code at path`, or `ok`.
fn expected(expect: &Value) -> String {
    match expect.get("error") {
        Some(error) => format!("{} at {}", error["code"].as_str().unwrap_or("?"), error["path"]),
        None => "ok".into(),
    }
}

fn outcome(answer: &[u8]) -> String {
    let answer: Value = serde_json::from_slice(answer).expect("an answer envelope is JSON");
    match answer.get("error") {
        Some(error) => format!("{} at {}", error["code"].as_str().unwrap_or("?"), error["path"]),
        None => "ok".into(),
    }
}

#[test]
fn hostile_corpus_through_wasmtime_matches_native() {
    let cases = cases();
    assert!(cases.len() >= 100, "{} hostile cases", cases.len());
    let mut failures = Vec::new();
    for (name, operation, request, expect) in &cases {
        let native = laureate_core::call(operation, request);
        let wasm = engine().call(operation, request).unwrap_or_else(|e| panic!("{name}: {e}"));
        if wasm != native {
            failures.push(format!("{name}: wasmtime and native differ"));
        }
        let (want, got) = (expected(expect), outcome(&wasm));
        if want != got {
            failures.push(format!("{name}: expected {want}, got {got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} hostile cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn hostile_corpus_through_the_cli_prints_an_envelope_and_exits_0_or_1() {
    artifact();
    let cases = cases();
    let mut failures = Vec::new();
    for (name, operation, request, _) in &cases {
        let Some(command) = cli_command(operation) else {
            continue; // an unknown operation is a usage error of the CLI (exit 2), not a request
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_laureate"))
            .current_dir(workspace())
            .args([command, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start laureate");
        child.stdin.take().expect("stdin").write_all(request).expect("write the request");
        let output = child.wait_with_output().expect("laureate ran");
        let native = laureate_core::call(operation, request);
        let code = output.status.code();
        let printed = output.stdout.strip_suffix(b"\n").unwrap_or(&output.stdout);
        if printed != native.as_slice() {
            failures.push(format!("{name}: the CLI printed something else than the native answer"));
        }
        let want = if outcome(&native) == "ok" { Some(0) } else { Some(1) };
        if code != want {
            failures.push(format!("{name}: exit {code:?}, expected {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{} hostile cases failed through the CLI:\n{}", failures.len(), failures.join("\n"));
}

fn cli_command(operation: &str) -> Option<&'static str> {
    Some(match operation {
        "evaluate" => "evaluate",
        "validate" => "validate",
        "formatIdentifier" => "format-identifier",
        "codeUsage" => "code-usage",
        "renameCode" => "rename-code",
        _ => return None,
    })
}

/// A batch of 10,000 requests, one line in ten hostile (a hostile request as the line itself, so
/// many lines are not even JSON): every good line is answered exactly as the native core answers
/// it, every hostile line gets an envelope, in input order, and the batch exits 1.
#[test]
fn batch_of_10000_with_10_percent_hostile_lines() {
    artifact();
    let hostile = cases();
    let mut input = String::new();
    let mut expected: Vec<Option<Vec<u8>>> = Vec::new();
    for i in 0..10_000u64 {
        if i % 10 == 0 {
            let (_, _, request, _) = &hostile[(i / 10) as usize % hostile.len()];
            // Bounded lines: the megabyte cases are exercised by the other tests.
            let line: String =
                String::from_utf8_lossy(request).replace(['\n', '\r'], " ").chars().take(20_000).collect();
            input.push_str(&line);
            // `batch` skips blank lines (an empty or all-blank hostile request): no answer.
            if !line.trim().is_empty() {
                expected.push(None);
            }
        } else {
            let generated = laureate_orggen::mixed_request(0xBA7C4 + i);
            let native = laureate_core::call(generated.operation, generated.text.as_bytes());
            input.push_str(&format!(r#"{{"operation": "{}", "request": {}}}"#, generated.operation, generated.text));
            // The generator's deliberately unreadable requests may break the line itself.
            expected.push(generated.readable.then_some(native));
        }
        input.push('\n');
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_laureate"))
        .current_dir(workspace())
        .args(["batch", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start laureate batch");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).expect("write the batch"));
    let output = child.wait_with_output().expect("laureate batch ran");
    writer.join().expect("writer");
    assert_eq!(output.status.code(), Some(1), "hostile lines make the batch exit 1");
    let lines: Vec<&[u8]> = output.stdout.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), expected.len(), "one answer per non-blank input line, in order");
    for (n, (line, want)) in lines.iter().zip(&expected).enumerate() {
        let envelope: Value = serde_json::from_slice(line).unwrap_or_else(|e| panic!("line {}: not JSON ({e})", n + 1));
        assert!(envelope.get("ok").is_some() || envelope.get("error").is_some(), "line {}: not an envelope", n + 1);
        if let Some(want) = want {
            assert_eq!(*line, want.as_slice(), "line {}: the batch answered differently from the native core", n + 1);
        }
    }
}
