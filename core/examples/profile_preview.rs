//! The preview case for profilers: `cargo run --release -p laureate-core --example
//! profile_preview -- <iterations> [json|changed-learner|call]` prepares the 30-learner
//! organisation's rulebook once and, `iterations` times, evaluates its evidence JSON
//! (`PreparedRulebook::evaluate_json`, the default) or replaces one learner of a `Preview` and
//! evaluates again (`changed-learner`); `call` answers the whole `evaluate` request instead
//! (`laureate_core::call`: the rulebook read and prepared on every call), as the raw ABI and
//! `POST /v1/evaluate` do (host/benches/service.rs sends this request).
#![allow(clippy::panic, clippy::indexing_slicing, reason = "a profiling driver stops at the first broken setup")]

use laureate_core::{PreparedRulebook, Preview};

fn main() {
    let iterations = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let mode = std::env::args().nth(2).unwrap_or_default();
    let org = laureate_orggen::organisation(30, 1);
    let rulebook = serde_json::to_vec(&org["rulebook"]).unwrap_or_default();
    let evidence =
        serde_json::to_vec(&serde_json::json!({"asOf": org["asOf"], "evidence": org["evidence"]})).unwrap_or_default();
    let request = serde_json::to_vec(&org).unwrap_or_default();
    let Ok(book) = PreparedRulebook::from_json(&rulebook) else { panic!("the rulebook does not read") };
    let Ok(mut preview) = Preview::from_json(&evidence) else { panic!("the evidence does not read") };
    let learner = serde_json::to_vec(&org["evidence"]["learners"][0]).unwrap_or_default();
    let mut bytes = 0;
    for _ in 0..iterations {
        let answer = match mode.as_str() {
            "changed-learner" => preview.change_learner_json(&book, 0, &learner),
            "call" => laureate_core::call("evaluate", &request),
            _ => book.evaluate_json(&evidence),
        };
        bytes = std::hint::black_box(answer).len();
    }
    let sent = if mode == "call" { request.len() } else { evidence.len() };
    println!("request {sent} bytes, answer {bytes} bytes");
}
