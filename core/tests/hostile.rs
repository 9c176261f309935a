//! Runs every case of `tests/hostile/` (requests an attacker, a broken client or a careless
//! export would send) through `laureate_core::call` and checks the answer.
//!
//! A case is `{"description", "operation", "request" | "requestText", "expect"}` with `expect`
//! one of:
//! - `{"error": {"code", "path"}}`: an error envelope with exactly that code and path (the
//!   message is not compared);
//! - `{"ok": result}`: the whole answer, compared as canonical JSON (sorted keys);
//! - `{"okWith": {"diagnostics": [{"severity", "code", "path"}, ...]}}`: an `ok` answer whose
//!   diagnostics, in the answer's order, have exactly these severities, codes and paths.
//!
//! `request` is sent as the exact text of the file (member order and duplicate members kept);
//! `requestText` verbatim, after replacing each `@@repeat:N:TEXT@@` (TEXT without `@` or `:`)
//! by TEXT repeated N times, so megabyte strings and deep nesting fit in small files, and then
//! each `@@byte:HH@@` (two hex digits) by that one byte, so text that is not UTF-8 fits too.
//!
//! `UPDATE_EXPECT=1 cargo test -p laureate-core --test hostile` prints, for each failing case,
//! what the engine answered (code and path, or the diagnostics) for a human to review. It never
//! writes a case: an expectation comes from the docs, not from the engine.
#![expect(clippy::expect_used, clippy::indexing_slicing, reason = "a broken fixture should fail the test loudly")]

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

/// The corpus must not shrink below this many cases.
const MIN_CASES: usize = 110;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Case {
    #[expect(dead_code, reason = "documentation for humans; required so every case has one")]
    description: String,
    operation: String,
    request: Option<Box<RawValue>>,
    request_text: Option<String>,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
enum Expect {
    Error(ExpectedError),
    Ok(Value),
    OkWith(ExpectedDiagnostics),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedError {
    code: String,
    path: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedDiagnostics {
    diagnostics: Vec<Triple>,
}

#[derive(Deserialize, PartialEq, Debug)]
#[serde(deny_unknown_fields)]
struct Triple {
    severity: String,
    code: String,
    path: String,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/hostile")
}

/// Replaces every `@@repeat:N:TEXT@@` by TEXT repeated N times.
fn expand(text: &str) -> Result<String, String> {
    const OPEN: &str = "@@repeat:";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let (count, after) = after.split_once(':').ok_or("a placeholder without `:TEXT@@`")?;
        let count: usize = count.parse().map_err(|_| format!("a placeholder count `{count}` is not a number"))?;
        let end = after.find("@@").ok_or("a placeholder without its closing `@@`")?;
        let repeated = &after[..end];
        if repeated.contains(['@', ':']) {
            return Err(format!("a placeholder TEXT `{repeated}` contains `@` or `:`"));
        }
        out.push_str(&repeated.repeat(count));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Replaces every `@@byte:HH@@` by the byte HH (two hex digits).
fn raw_bytes(text: &str) -> Result<Vec<u8>, String> {
    const OPEN: &str = "@@byte:";
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        out.extend_from_slice(&rest.as_bytes()[..at]);
        let after = &rest[at + OPEN.len()..];
        let hex = after
            .get(..2)
            .filter(|_| after.get(2..4) == Some("@@"))
            .ok_or("a byte placeholder is not `@@byte:HH@@`")?;
        out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("`{hex}` is not two hex digits"))?);
        rest = &after[4..];
    }
    out.extend_from_slice(rest.as_bytes());
    Ok(out)
}

/// Canonical JSON: object keys sorted (serde_json's map is ordered), no whitespace.
fn canonical(value: &Value) -> String {
    serde_json::to_string(value).expect("serialize")
}

/// The (severity, code, path) of each diagnostic of an `ok` answer.
fn triples(answer: &Value) -> Vec<Value> {
    answer["ok"]["diagnostics"]
        .as_array()
        .map(|list| {
            list.iter().map(|d| json!({"severity": d["severity"], "code": d["code"], "path": d["path"]})).collect()
        })
        .unwrap_or_default()
}

/// What the engine answered, briefly, for `UPDATE_EXPECT=1`.
fn actual(answer: &Value) -> String {
    if let Some(error) = answer.get("error") {
        let short = json!({"error": {"code": error["code"], "path": error["path"]}});
        return format!("{short}  (message: {})", error["message"]);
    }
    let diagnostics = json!({"okWith": {"diagnostics": triples(answer)}});
    let mut ok = canonical(answer);
    if ok.len() > 4000 {
        ok.truncate(4000);
        ok.push('…');
    }
    format!("{diagnostics}\n    whole answer: {ok}")
}

/// Runs one case; `Err` describes the difference.
fn check(path: &Path, update: bool) -> Result<(), String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case: Case = serde_json::from_str(&text).map_err(|e| format!("malformed case: {e}"))?;
    let request = match (&case.request, &case.request_text) {
        (Some(raw), None) => raw.get().as_bytes().to_vec(),
        (None, Some(text)) => raw_bytes(&expand(text)?)?,
        _ => return Err("a case has exactly one of `request` and `requestText`".into()),
    };
    let answer = laureate_core::call(&case.operation, &request);
    let answer: Value = serde_json::from_slice(&answer).map_err(|e| format!("answer is not JSON: {e}"))?;
    let difference = match &case.expect {
        Expect::Error(want) => {
            let got = (answer["error"]["code"].as_str(), answer["error"]["path"].as_str());
            (got != (Some(want.code.as_str()), Some(want.path.as_str())))
                .then(|| format!("expected error {:?} at {:?}", want.code, want.path))
        }
        Expect::Ok(want) => {
            let want = canonical(&json!({ "ok": want }));
            (canonical(&answer) != want).then(|| format!("expected the whole answer {want}"))
        }
        Expect::OkWith(want) => {
            let want: Vec<Value> = want
                .diagnostics
                .iter()
                .map(|t| json!({"severity": t.severity, "code": t.code, "path": t.path}))
                .collect();
            (answer.get("ok").is_none() || triples(&answer) != want)
                .then(|| format!("expected ok with diagnostics {}", Value::Array(want)))
        }
    };
    match difference {
        None => Ok(()),
        Some(want) if update => Err(format!("{want}\n    engine: {}", actual(&answer))),
        Some(want) => {
            let mut got = canonical(&answer);
            if got.len() > 2000 {
                got.truncate(2000);
                got.push('…');
            }
            Err(format!("{want}\n    got: {got}"))
        }
    }
}

fn is_kebab(name: &str) -> bool {
    !name.is_empty()
        && name
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

#[test]
fn placeholders_expand() {
    assert_eq!(expand("a@@repeat:3:[\"x\",@@b").as_deref(), Ok("a[\"x\",[\"x\",[\"x\",b"));
    assert_eq!(expand("@@repeat:0:x@@@@repeat:2:]@@").as_deref(), Ok("]]"));
    assert!(expand("@@repeat:2:a@@@").is_ok(), "a stray `@` after a placeholder is literal text");
    assert!(expand("@@repeat:x:a@@").is_err());
    assert!(expand("@@repeat:2:a").is_err());
    assert_eq!(raw_bytes("a@@byte:ff@@b@@byte:C3@@").as_deref(), Ok(&b"a\xffb\xc3"[..]));
    assert!(raw_bytes("@@byte:f@@").is_err());
    assert!(raw_bytes("@@byte:zz@@").is_err());
}

#[test]
fn hostile_corpus() {
    let mut paths: Vec<PathBuf> = fs::read_dir(corpus_dir())
        .expect("read tests/hostile")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    #[allow(clippy::disallowed_methods, reason = "file names, not an answer: no need for crate::order")]
    paths.sort();
    assert!(paths.len() >= MIN_CASES, "the hostile corpus must hold at least {MIN_CASES} cases, found {}", paths.len());
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1");
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|path| {
            let name = path.file_stem().unwrap_or_default().to_string_lossy().to_string();
            let result =
                if is_kebab(&name) { check(path, update) } else { Err("the file name is not kebab-case".into()) };
            result.err().map(|e| format!("{name}: {e}"))
        })
        .collect();
    if update && !failures.is_empty() {
        eprintln!("UPDATE_EXPECT=1: {} case(s) differ; nothing was written, review each:\n", failures.len());
        for failure in &failures {
            eprintln!("{failure}\n");
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} hostile cases differ:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}
