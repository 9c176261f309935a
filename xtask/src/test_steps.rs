//! `cargo xtask test` (and `ci`): every check, in order, stopping at the first failure.

use std::process::Command;
use std::time::Instant;

use crate::build_wasm::build_wasm;
use crate::command::{cargo, run};
use crate::setup::setup;
use crate::tools::WASM_TARGET;
use crate::{bench, postgres, tidy, Result};

type Step = (&'static str, fn() -> Result);

/// Every check, in the order a failure is cheapest to find.
const STEPS: &[Step] = &[
    ("setup", setup),
    ("cargo fmt --all --check", || run(Command::new(cargo()).args(["fmt", "--all", "--check"]))),
    ("cargo clippy --workspace --all-targets -- -D warnings", || {
        run(Command::new(cargo()).args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
    }),
    ("cargo clippy -p laureate-core --all-targets --features ts -- -D warnings", || {
        run(Command::new(cargo()).args([
            "clippy",
            "-p",
            "laureate-core",
            "--all-targets",
            "--features",
            "ts",
            "--",
            "-D",
            "warnings",
        ]))
    }),
    ("cargo clippy --target wasm32-unknown-unknown -p laureate-core -p laureate-wasm -- -D warnings", || {
        run(Command::new(cargo()).args([
            "clippy",
            "--target",
            WASM_TARGET,
            "-p",
            "laureate-core",
            "-p",
            "laureate-wasm",
            "--",
            "-D",
            "warnings",
        ]))
    }),
    ("cargo test -p laureate-core", || run(Command::new(cargo()).args(["test", "-p", "laureate-core"]))),
    ("cargo test -p laureate-wasm (the module's allocator)", || {
        run(Command::new(cargo()).args(["test", "-p", "laureate-wasm"]))
    }),
    ("cargo build -p laureate-core --target wasm32-unknown-unknown", || {
        run(Command::new(cargo()).args(["build", "-p", "laureate-core", "--target", WASM_TARGET]))
    }),
    ("cargo xtask build-wasm", || build_wasm(false)),
    ("cargo xtask tidy (the repository's own rules, the wasm's gzip budget)", tidy::run),
    ("cargo test -p xtask (each tidy rule fails on a planted violation)", || {
        run(Command::new(cargo()).args(["test", "-p", "xtask"]))
    }),
    ("cargo test -p laureate-core --features ts --test typescript (wasm/types/ matches the Rust types)", || {
        run(Command::new(cargo()).args(["test", "-p", "laureate-core", "--features", "ts", "--test", "typescript"]))
    }),
    ("tsc -p tests/typescript; node tests/typescript/corpus.mjs (the package's declarations, type-checked)", || {
        run(Command::new("node").args(["node_modules/typescript/bin/tsc", "-p", "tests/typescript"]))?;
        run(Command::new("node").arg("tests/typescript/corpus.mjs"))
    }),
    ("node --test tests/node/ (corpus through the JS API and the raw ABI)", || {
        run(Command::new("node").args(["--test", "tests/node/"]))
    }),
    ("node --test tests/browser/ (corpus in headless Chromium)", || {
        run(Command::new("node").args(["--test", "tests/browser/"]))
    }),
    ("cargo test --release -p laureate-host", || {
        run(Command::new(cargo()).args(["test", "--release", "-p", "laureate-host"]))
    }),
    ("cargo test --release -p laureate-host --test it serve:: against PostgreSQL (a throwaway cluster)", || {
        test_postgres("serve::")
    }),
    (
        "benchmarks once each, small (criterion test mode, profiling examples, Node --quick, peer agreement, service)",
        bench::smoke,
    ),
    ("node --test tests/examples/ (README snippets, browser preview, Node, Python plugin, Rust server, LMS integration)", || {
        run(Command::new(cargo()).args(["build", "--release", "-p", "laureate-host"]))?;
        run(Command::new("node").args(["--test", "tests/examples/"]))
    }),
];

/// Runs every step of [`STEPS`], reporting how many passed.
pub fn test() -> Result {
    let total = STEPS.len();
    let started = Instant::now();
    for (index, (name, step)) in STEPS.iter().enumerate() {
        let number = index + 1;
        println!("\n==> step {number}/{total}: {name}");
        let step_started = Instant::now();
        if let Err(error) = step() {
            eprintln!("\nFAILED at step {number}/{total}: {name}\n  {error}");
            let not_run = total - number;
            println!("{index} passed, 1 failed, {not_run} skipped");
            return Err(format!("step {number}/{total} failed: {name}"));
        }
        println!("==> ok: {name} ({:.1} s)", step_started.elapsed().as_secs_f64());
    }
    println!("\nall {total} steps passed in {:.0} s", started.elapsed().as_secs_f64());
    println!("{total} passed, 0 failed");
    Ok(())
}

/// The host's tests matching `filter` against a throwaway PostgreSQL cluster
/// (`LAUREATE_TEST_POSTGRES`), which is stopped afterwards whatever the result.
pub fn test_postgres(filter: &str) -> Result {
    let cluster = postgres::Cluster::start()?;
    let result = run(Command::new(cargo())
        .args(["test", "--release", "-p", "laureate-host", "--test", "it", filter])
        .env("LAUREATE_TEST_POSTGRES", &cluster.url));
    if result.is_err() {
        eprintln!("the cluster's log ({}):", cluster.log().display());
        eprintln!("{}", std::fs::read_to_string(cluster.log()).unwrap_or_default());
    }
    result
}
