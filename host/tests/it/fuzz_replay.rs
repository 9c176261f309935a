//! Replays the differential fuzz target's committed corpus (`host/fuzz/corpus/differential`):
//! every input answered byte for byte alike by the native core and the artifact in wasmtime, as
//! the fuzz target checks (docs/fuzzing.md).

use std::fs;

use crate::support::{engine, workspace};

#[test]
fn the_differential_corpus_answers_alike_natively_and_in_wasmtime() {
    let dir = workspace().join("host/fuzz/corpus/differential");
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 100, "the differential corpus has only {} inputs", paths.len());
    for path in paths {
        let input = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (operation, request) = laureate_core::fuzzing::split_call_input(&input);
        let native = laureate_core::call(operation, request);
        let wasm = engine()
            .call(operation, request)
            .unwrap_or_else(|e| panic!("{}: wasmtime failed where native answered: {e}", path.display()));
        assert!(
            wasm == native,
            "{}: native and wasmtime disagree on {operation}:\nnative: {}\nwasm:   {}",
            path.display(),
            String::from_utf8_lossy(&native),
            String::from_utf8_lossy(&wasm)
        );
    }
}
