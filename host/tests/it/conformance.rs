//! The conformance corpus (`tests/conformance/**/*.json`) through wasmtime: every answer
//! byte-identical to the native core's, and equal to the case's `expected` once canonicalised.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::support::{canonical, engine, workspace};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    #[serde(default)]
    description: String,
    operation: String,
    /// The request as written in the file (its exact text is what is sent).
    request: Option<Box<RawValue>>,
    /// Raw request text, sent verbatim.
    #[serde(rename = "requestText")]
    request_text: Option<String>,
    expected: Box<RawValue>,
}

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read `{}`: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            case_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Every case file of the corpus, sorted.
pub fn files() -> Vec<PathBuf> {
    let root = workspace().join("tests").join("conformance");
    let mut files = Vec::new();
    case_files(&root, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no conformance case under `{}`", root.display());
    files
}

/// A case file and the request bytes it sends.
fn read(path: &Path) -> Result<(Case, Vec<u8>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let case: Case = serde_json::from_str(&text).map_err(|e| format!("not a case file: {e}"))?;
    let request = match (&case.request, &case.request_text) {
        (Some(raw), None) => raw.get().as_bytes().to_vec(),
        (None, Some(text)) => text.as_bytes().to_vec(),
        _ => return Err("a case has exactly one of `request` and `requestText`".to_owned()),
    };
    Ok((case, request))
}

/// A case's operation and request.
pub fn request(path: &Path) -> (String, Vec<u8>) {
    let (case, request) = read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (case.operation, request)
}

/// The one check of a case: wasm == native byte for byte, and canonical(answer) == expected.
fn check(path: &Path) -> Result<(), String> {
    let (case, request) = read(path)?;
    let native = laureate_core::call(&case.operation, &request);
    let wasm = engine().call(&case.operation, &request).map_err(|e| format!("host error [{}]: {e}", e.code()))?;
    if wasm != native {
        return Err(format!(
            "wasm and native answers differ\n  native: {}\n  wasm:   {}",
            String::from_utf8_lossy(&native),
            String::from_utf8_lossy(&wasm)
        ));
    }
    let expected = canonical(case.expected.get().as_bytes());
    let actual = canonical(&wasm);
    if actual != expected {
        return Err(format!("{}\n  expected: {expected}\n  actual:   {actual}", case.description));
    }
    Ok(())
}

#[test]
fn corpus_through_wasmtime_matches_native_and_expected() {
    let root = workspace().join("tests").join("conformance");
    let files = files();
    let failures: Vec<String> = files
        .iter()
        .filter_map(|path| {
            check(path).err().map(|e| format!("{}: {e}", path.strip_prefix(&root).unwrap_or(path).display()))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), files.len(), failures.join("\n\n"));
    println!("{} conformance cases: wasmtime == native == expected", files.len());
}
