//! Runs every case of `tests/conformance/` through `laureate_core::call` and compares the answer
//! with `expected` after canonical JSON (sorted keys, no whitespace).
//!
//! A case is `{"description", "operation", "request" | "requestText", "expected"}`; the request
//! is sent as the exact text of the file (member order kept), `requestText` verbatim.
//!
//! `UPDATE_EXPECT=1 cargo test -p laureate-core` rewrites the `expected` of failing cases with
//! the engine's answer, for a deliberate change that a human then reviews in the diff.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct Case {
    description: String,
    pub(crate) operation: String,
    request: Option<Box<RawValue>>,
    request_text: Option<String>,
    expected: Value,
}

impl Case {
    pub(crate) fn request_bytes(&self) -> &[u8] {
        match (&self.request, &self.request_text) {
            (Some(raw), _) => raw.get().as_bytes(),
            (None, Some(text)) => text.as_bytes(),
            (None, None) => b"",
        }
    }
}

pub(crate) fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance")
}

pub(crate) fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> =
        fs::read_dir(dir).expect("read corpus dir").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            cases(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Canonical JSON: object keys sorted (serde_json's map is ordered), no whitespace.
fn canonical(value: &Value) -> String {
    serde_json::to_string(value).expect("serialize")
}

/// Runs one case; `Err` describes the difference.
fn check(path: &Path, update: bool) -> Result<(), String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case: Case = serde_json::from_str(&text).map_err(|e| format!("malformed case: {e}"))?;
    if case.request.is_some() == case.request_text.is_some() {
        return Err("a case has exactly one of `request` and `requestText`".into());
    }
    let answer = laureate_core::call(&case.operation, case.request_bytes());
    let answer: Value = serde_json::from_slice(&answer).map_err(|e| format!("answer is not JSON: {e}"))?;
    if let Some(dir) = std::env::var_os("CONFORMANCE_DUMP") {
        // For triage: the engine's answers, one file per case.
        let name = path.strip_prefix(corpus_dir()).unwrap_or(path).to_string_lossy().replace('/', "__");
        fs::write(Path::new(&dir).join(name), serde_json::to_vec_pretty(&answer).expect("serialize"))
            .map_err(|e| e.to_string())?;
    }
    let (got, want) = (canonical(&answer), canonical(&case.expected));
    if got == want {
        return Ok(());
    }
    if update {
        fs::write(path, rewritten(&case, &answer)).map_err(|e| e.to_string())?;
    }
    Err(format!(
        "\n  expected: {want}\n  got:      {got}\n  first difference at byte {}",
        first_difference(&got, &want)
    ))
}

/// The case with `expected` replaced, its request text kept as written.
fn rewritten(case: &Case, answer: &Value) -> String {
    let string = |s: &str| serde_json::to_string(s).expect("serialize");
    let request = match (&case.request, &case.request_text) {
        (Some(raw), _) => format!("\"request\": {}", raw.get()),
        (None, text) => format!("\"requestText\": {}", string(text.as_deref().unwrap_or(""))),
    };
    let expected = serde_json::to_string_pretty(answer).expect("serialize").replace('\n', "\n  ");
    format!(
        "{{\n  \"description\": {},\n  \"operation\": {},\n  {request},\n  \"expected\": {expected}\n}}\n",
        string(&case.description),
        string(&case.operation)
    )
}

fn first_difference(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()))
}

#[test]
fn conformance_corpus() {
    let mut paths = Vec::new();
    cases(&corpus_dir(), &mut paths);
    assert!(paths.len() >= 80, "the corpus must hold at least 80 cases, found {}", paths.len());
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1");
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|path| {
            let name = path.strip_prefix(corpus_dir()).unwrap_or(path).display().to_string();
            check(path, update).err().map(|e| format!("{name}: {e}"))
        })
        .collect();
    if update && !failures.is_empty() {
        eprintln!("UPDATE_EXPECT=1 rewrote {} case(s): review the diff", failures.len());
    }
    assert!(
        failures.is_empty(),
        "{} of {} conformance cases differ:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}
