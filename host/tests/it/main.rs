//! The host's integration tests (one test binary): the conformance corpus and generated
//! requests through wasmtime, byte-identical to the native core; limits and traps; warm
//! instances; the CLI; `laureate serve`.
//!
//! The wasm artifact is found the way the CLI finds it (`$LAUREATE_WASM`, else the workspace's
//! `target/npm/laureate/laureate_bg.wasm`); when it is missing the tests fail and say to run
//! `cargo xtask build`. Run them in release: `cargo test --release -p laureate-host`.

mod cli;
mod conformance;
mod differential;
mod fuzz_replay;
mod hostile;
mod limits;
mod loading;
#[cfg(feature = "serve")]
mod serve;
mod support;
mod warm;
