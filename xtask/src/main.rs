//! Laureate's build automation, in the cargo-xtask convention: `cargo xtask <task>`.
//!
//! Every task runs from the repository root and prints each command before running it. Tools
//! the project needs are installed by `setup` into folders the project controls (`.tools/`,
//! `node_modules/`) or from Debian's packages; nothing else is downloaded.
//!
//! This file only dispatches: each task lives in its own module (`setup`, `build_wasm` with
//! `npm_package`, `demo` for `build` and `demo`, `test_steps`, `tidy`, `gen_org`, `bench`,
//! `fuzz`, `fuzz_seeds`), beside the helpers they share (`command`, `files`, `sizes`, `tools`).

use std::env;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;
mod build_wasm;
mod command;
mod demo;
mod files;
mod fuzz;
mod fuzz_seeds;
mod gen_org;
mod npm_package;
mod postgres;
mod setup;
mod sizes;
mod test_steps;
mod tidy;
mod tools;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  setup                    install the tools (idempotent): the wasm32 target, wasm-bindgen-cli
                           into .tools/, npm dev dependencies (npm ci), Debian's chromium and
                           postgresql
  build-wasm [--measure]   build the npm package target/npm/laureate/ (one laureate_bg.wasm for
                           every runtime); --measure compares wasm-opt levels
  build                    build-wasm, then the host (target/release/laureate)
  demo                     setup, build, then `target/release/laureate demo`
  gen-org [--contacts N | --size small|medium|large] [--seed S] [--out FILE]
                           write a generated organisation's evaluate request (default: small,
                           seed 1, standard output); the same arguments give the same bytes
  bench [--quick|--smoke]  every benchmark (criterion native + wasmtime, Node, peer engines,
                           memory, size) and a summary table (BENCHMARKS.md); --smoke runs each
                           once on small organisations (part of `test`)
  bench service [--smoke]  `laureate serve` under load over loopback: stateless evaluate and
                           64 clients x 1,000 decisions, a table in target/bench/service.md
  fuzz <target|all> [--seconds N]
                           run cargo-fuzz targets (call, format, differential) on nightly, N
                           seconds each (default 600); docs/fuzzing.md
  fuzz-seeds               write the fuzzers' seed corpora from tests/conformance and tests/hostile
  tidy                     the repository's own rules: no references outside the repository, no function
                           over 120 lines, no `allow` without a reason, the wasm's gzip budget,
                           no diary words in the docs
  test                     every check, in order, stopping at the first failure
  test-postgres [FILTER]   the host's `serve::` tests (or FILTER) against a throwaway PostgreSQL
                           cluster (a step of `test`)
  ci                       exactly what .ci/run runs (= test)";

/// A task's outcome: the error is the message printed after `xtask: error:`.
type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if let Err(error) = env::set_current_dir(root()) {
        eprintln!("xtask: cannot enter the repository root: {error}");
        return ExitCode::FAILURE;
    }
    let result = match args.as_slice() {
        ["setup"] => setup::setup(),
        ["build-wasm"] => build_wasm::build_wasm(false),
        ["build-wasm", "--measure"] => build_wasm::build_wasm(true),
        ["build"] => demo::build(),
        ["demo"] => demo::demo(),
        ["gen-org", options @ ..] => gen_org::run(options),
        ["fuzz-seeds"] => fuzz_seeds::run(),
        ["fuzz", options @ ..] => fuzz::run_targets(options),
        ["bench", options @ ..] => bench::run_all(options),
        ["tidy"] => tidy::run(),
        ["test"] | ["ci"] => test_steps::test(),
        ["test-postgres"] => test_steps::test_postgres("serve::"),
        ["test-postgres", filter] => test_steps::test_postgres(filter),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown task `{}`\n\n{USAGE}", args.join(" "))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root: the parent of this crate's folder.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}
