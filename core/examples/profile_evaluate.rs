//! A fixed amount of evaluation work for profilers (`valgrind --tool=callgrind`, `perf`):
//! `cargo run --release -p laureate-core --example profile_evaluate -- <contacts> <iterations>`
//! evaluates a generated organisation (laureate-orggen, seed 1) `iterations` times on typed
//! evidence with a prepared rulebook, then once end to end through `call`, and prints the
//! outcome count. BENCHMARKS.md cites the instruction counts it gives under callgrind.
#![allow(clippy::panic, clippy::indexing_slicing, reason = "a profiling driver stops at the first broken setup")]

use laureate_core::wire::read::read;
use laureate_core::wire::EvaluateRequest;
use laureate_core::{call, PreparedRulebook};

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().ok());
    let contacts = args.next().flatten().unwrap_or(10_000);
    let iterations = args.next().flatten().unwrap_or(1);
    let text = serde_json::to_vec(&laureate_orggen::organisation(contacts, 1)).unwrap_or_default();
    let Ok(request) = read::<EvaluateRequest>(&text) else { panic!("the organisation does not read") };
    let book = PreparedRulebook::new(request.rulebook.clone());
    let mut outcomes = 0;
    for _ in 0..iterations {
        let answer = book.evaluate(request.as_of, &request.evidence, &request.options);
        outcomes = std::hint::black_box(&answer).outcomes.len();
    }
    let answer = call("evaluate", &text);
    println!("{contacts} contacts: {outcomes} outcomes; end to end {} answer bytes", answer.len());
}
