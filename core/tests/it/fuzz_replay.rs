//! Replays the committed fuzz corpora (`core/fuzz/corpus/{call,format}`) through exactly the
//! checks the fuzz targets make (`laureate_core::fuzzing`), on stable Rust: the fuzzers run by
//! hand (docs/fuzzing.md), what they found runs on every `.ci/run`.

use std::fs;
use std::path::PathBuf;

use laureate_core::{call, fuzzing};

/// Every input of one corpus, by file name; a corpus must not be empty.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut inputs: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a corpus entry").path();
            let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), bytes)
        })
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 100, "the {target} corpus has only {} inputs", inputs.len());
    inputs
}

#[test]
fn the_call_corpus_gives_one_well_formed_envelope_per_input() {
    for (name, input) in corpus("call") {
        let (operation, request) = fuzzing::split_call_input(&input);
        let answer = call(operation, request);
        if let Err(fault) = fuzzing::check_envelope(&answer) {
            panic!("core/fuzz/corpus/call/{name} ({operation}): {fault}: {}", String::from_utf8_lossy(&answer));
        }
        assert_eq!(answer, call(operation, request), "core/fuzz/corpus/call/{name}: two answers differ");
    }
}

#[test]
fn the_format_corpus_passes_the_formatter_checks() {
    for (name, input) in corpus("format") {
        if let Err(fault) = fuzzing::check_format_input(&input) {
            panic!("core/fuzz/corpus/format/{name}: {fault}");
        }
    }
}

#[test]
fn call_inputs_round_trip() {
    for operation in laureate_core::OPERATIONS.iter().copied().chain(["noSuchOperation"]) {
        let input = fuzzing::call_input(operation, b"{}");
        assert_eq!(fuzzing::split_call_input(&input), (operation, &b"{}"[..]));
    }
}
