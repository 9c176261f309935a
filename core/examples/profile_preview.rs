//! The preview case for profilers: `cargo run --release -p laureate-core --example
//! profile_preview -- <iterations>` prepares the 30-learner organisation's rulebook once and
//! evaluates its evidence JSON `iterations` times (`PreparedRulebook::evaluate_json`).
#![allow(clippy::panic, clippy::indexing_slicing)]

use laureate_core::PreparedRulebook;

fn main() {
    let iterations = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let org = laureate_orggen::organisation(30, 1);
    let rulebook = serde_json::to_vec(&org["rulebook"]).unwrap_or_default();
    let evidence =
        serde_json::to_vec(&serde_json::json!({"asOf": org["asOf"], "evidence": org["evidence"]})).unwrap_or_default();
    let Ok(book) = PreparedRulebook::from_json(&rulebook) else { panic!("the rulebook does not read") };
    let mut bytes = 0;
    for _ in 0..iterations {
        bytes = std::hint::black_box(book.evaluate_json(&evidence)).len();
    }
    println!("evidence {} bytes, answer {bytes} bytes", evidence.len());
}
