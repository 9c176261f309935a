//! The preview case for profilers: `cargo run --release -p laureate-core --example
//! profile_preview -- <iterations> [json|changed-learner]` prepares the 30-learner organisation's
//! rulebook once and, `iterations` times, evaluates its evidence JSON
//! (`PreparedRulebook::evaluate_json`, the default) or replaces one learner of a `Preview` and
//! evaluates again (`changed-learner`).
#![allow(clippy::panic, clippy::indexing_slicing, reason = "a profiling driver stops at the first broken setup")]

use laureate_core::{PreparedRulebook, Preview};

fn main() {
    let iterations = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let changed_learner = std::env::args().nth(2).is_some_and(|mode| mode == "changed-learner");
    let org = laureate_orggen::organisation(30, 1);
    let rulebook = serde_json::to_vec(&org["rulebook"]).unwrap_or_default();
    let evidence =
        serde_json::to_vec(&serde_json::json!({"asOf": org["asOf"], "evidence": org["evidence"]})).unwrap_or_default();
    let Ok(book) = PreparedRulebook::from_json(&rulebook) else { panic!("the rulebook does not read") };
    let Ok(mut preview) = Preview::from_json(&evidence) else { panic!("the evidence does not read") };
    let learner = serde_json::to_vec(&org["evidence"]["learners"][0]).unwrap_or_default();
    let mut bytes = 0;
    for _ in 0..iterations {
        let answer = match changed_learner {
            true => preview.change_learner_json(&book, 0, &learner),
            false => book.evaluate_json(&evidence),
        };
        bytes = std::hint::black_box(answer).len();
    }
    println!("evidence {} bytes, answer {bytes} bytes", evidence.len());
}
