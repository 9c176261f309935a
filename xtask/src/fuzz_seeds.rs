//! `cargo xtask fuzz-seeds`: the fuzzers' starting corpora, from the conformance and hostile
//! corpora (docs/fuzzing.md). The committed corpora under `core/fuzz/corpus/` and
//! `host/fuzz/corpus/` started from these and grew by fuzzing.

use std::fs;
use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::Result;

/// `laureate_core::OPERATIONS`, in its order (the fuzz target's first byte selects one).
const OPERATIONS: [&str; 8] = [
    "evaluate",
    "validate",
    "formatIdentifier",
    "codeUsage",
    "renameCode",
    "importTrainingRecords",
    "exportTrainingRecords",
    "compare",
];

pub fn run() -> Result {
    let mut calls = Vec::new();
    let mut formats = Vec::new();
    for dir in ["tests/conformance", "tests/hostile"] {
        for case in cases(Path::new(dir))? {
            let text = fs::read_to_string(&case).map_err(|e| format!("{}: {e}", case.display()))?;
            let case: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", case.display()))?;
            let operation = case["operation"].as_str().unwrap_or("evaluate");
            let request = match (&case["request"], case["requestText"].as_str()) {
                (_, Some(text)) if text.contains("@@repeat") => continue,
                (_, Some(text)) => text.as_bytes().to_vec(),
                (request, None) => serde_json::to_vec(request).map_err(|e| e.to_string())?,
            };
            let selector = OPERATIONS.iter().position(|o| *o == operation).unwrap_or(OPERATIONS.len());
            let mut input = vec![selector as u8];
            input.extend_from_slice(&request);
            calls.push(input);
            collect_formats(&case["request"], &mut formats);
        }
    }
    formats.sort();
    formats.dedup();
    let format_inputs: Vec<Vec<u8>> = formats
        .iter()
        .enumerate()
        .map(|(i, format)| {
            let mut input = vec![(i % 8) as u8];
            input.extend_from_slice(&(i as u64 * 7919 + 1).to_le_bytes());
            input.extend_from_slice(format.as_bytes());
            input
        })
        .collect();
    write("core/fuzz/corpus/call", &calls)?;
    write("host/fuzz/corpus/differential", &calls)?;
    write("core/fuzz/corpus/format", &format_inputs)?;
    println!("fuzz-seeds: {} call inputs, {} formats", calls.len(), format_inputs.len());
    Ok(())
}

fn cases(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            found.extend(cases(&path)?);
        } else if path.extension().is_some_and(|e| e == "json") {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// Every `eventFormat`, `pathFormat` and `format` string in a request.
fn collect_formats(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (name, value) in members {
                match (name.as_str(), value) {
                    ("eventFormat" | "pathFormat" | "format", Value::String(format)) => out.push(format.clone()),
                    _ => collect_formats(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_formats(item, out)),
        _ => {}
    }
}

fn write(dir: &str, inputs: &[Vec<u8>]) -> Result {
    fs::create_dir_all(dir).map_err(|e| format!("{dir}: {e}"))?;
    for input in inputs {
        let name = Sha256::digest(input).iter().take(20).fold(String::new(), |mut s, b| {
            s.push_str(&format!("{b:02x}"));
            s
        });
        fs::write(Path::new(dir).join(name), input).map_err(|e| format!("{dir}: {e}"))?;
    }
    Ok(())
}
