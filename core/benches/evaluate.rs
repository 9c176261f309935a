//! `cargo bench -p laureate-core --bench evaluate`: the native engine on generated organisations
//! (laureate-orggen, BENCHMARKS.md).
//!
//! - `preview`: the browser preview case. A 30-learner classroom event, its rulebook prepared
//!   once; each iteration changes one learner's attendance and evaluates the event again, from
//!   evidence JSON to answer JSON (`PreparedRulebook::evaluate_json`), and on typed evidence
//!   (`PreparedRulebook::evaluate`, what a Rust host would call), and as a `Preview` (the
//!   evidence read once, the changed learner's JSON replaced: `changed-learner`).
//! - `preview/compare-*`: `compare` (spec.md §14) on the same event, the evidence before and after
//!   the change of one learner's attendance: from request JSON to answer JSON
//!   (`PreparedRulebook::compare_json`, beside `json`), on typed evidence
//!   (`PreparedRulebook::compare`, beside `typed`), and as a `Preview` that has one changed
//!   learner (`Preview::compare_json`, beside `changed-learner`).
//! - `organisation`: the large organisation (200,000 learners) end to end, request text to
//!   answer text (`call("evaluate", ...)`), and its evaluation alone on the typed request;
//!   throughput is learner-achievement outcomes per second.
//! - `preview-stages` and `organisation/*/read|write`: the stages of those calls alone (the
//!   limits' text scan, reading the request, writing the answer), so BENCHMARKS.md can say where
//!   the time goes.
//!
//! `LAUREATE_BENCH_CONTACTS` changes the organisation's size (default 200000).
#![allow(clippy::panic, clippy::indexing_slicing, reason = "a benchmark stops at the first broken setup")]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use laureate_core::wire::read::read;
use laureate_core::wire::write_answer::evaluate_envelope;
use laureate_core::wire::{Attendance, EvaluateRequest, EvidenceRequest};
use laureate_core::{call, PreparedRulebook, Preview};
use laureate_orggen::organisation;
use serde_json::{json, Value};

/// The preview request split as the browser holds it: the rulebook, and two evidence texts that
/// differ in one learner's attendance.
fn preview_texts() -> (Vec<u8>, [Vec<u8>; 2]) {
    let org = organisation(30, 1);
    let rulebook = serde_json::to_vec(&org["rulebook"]).unwrap_or_default();
    let evidence = |status: &str| {
        let mut evidence = org["evidence"].clone();
        evidence["learners"][0]["attendance"]["s1"] = json!(status);
        serde_json::to_vec(&json!({"asOf": org["asOf"], "evidence": evidence})).unwrap_or_default()
    };
    (rulebook, [evidence("present"), evidence("absent")])
}

/// The preview's `compare` request without its rulebook: the evidence before and after one
/// learner's attendance changed.
fn preview_compare_text() -> Vec<u8> {
    let org = organisation(30, 1);
    let mut after = org["evidence"].clone();
    after["learners"][0]["attendance"]["s1"] = json!("absent");
    let mut before = org["evidence"].clone();
    before["learners"][0]["attendance"]["s1"] = json!("present");
    serde_json::to_vec(&json!({"asOf": org["asOf"], "before": before, "after": after})).unwrap_or_default()
}

/// The first learner of the preview organisation, present and absent at its first session.
fn preview_learner_texts() -> [Vec<u8>; 2] {
    let org = organisation(30, 1);
    let learner = |status: &str| {
        let mut learner = org["evidence"]["learners"][0].clone();
        learner["attendance"]["s1"] = json!(status);
        serde_json::to_vec(&learner).unwrap_or_default()
    };
    [learner("present"), learner("absent")]
}

fn outcome_count(answer: &[u8]) -> u64 {
    let answer: Value = serde_json::from_slice(answer).unwrap_or_default();
    answer["ok"]["outcomes"].as_array().map_or(0, |o| o.len() as u64)
}

fn preview(c: &mut Criterion) {
    let (rulebook, texts) = preview_texts();
    let Ok(book) = PreparedRulebook::from_json(&rulebook) else { panic!("the preview rulebook does not read") };
    assert_eq!(outcome_count(&book.evaluate_json(&texts[0])), 30);
    let mut group = c.benchmark_group("preview");
    let mut turn = 0;
    group.bench_function("json", |b| {
        b.iter(|| {
            turn ^= 1;
            black_box(book.evaluate_json(black_box(&texts[turn])))
        })
    });
    let Ok(request) = read::<EvidenceRequest>(&texts[0]) else { panic!("the preview evidence does not read") };
    let mut evidence = request.evidence;
    let mut present = true;
    group.bench_function("typed", |b| {
        b.iter(|| {
            present = !present;
            let status = if present { Attendance::Present } else { Attendance::Absent };
            if let Some(learner) = evidence.learners.first_mut() {
                learner.attendance.insert("s1".into(), Some(status));
            }
            // The answer borrows the evidence: it is dropped inside the iteration, as in a host.
            let answer = book.evaluate(request.as_of, &evidence, &request.options);
            black_box(&answer);
        })
    });
    // The preview as the browser runs it: the evidence read once (`Preview`), then one learner's
    // JSON replaced and the event evaluated again, answer JSON out.
    let Ok(mut session) = Preview::from_json(&texts[0]) else { panic!("the preview evidence does not read") };
    let learner_texts = preview_learner_texts();
    let mut turn = 0;
    group.bench_function("changed-learner", |b| {
        b.iter(|| {
            turn ^= 1;
            black_box(session.change_learner_json(&book, 0, black_box(&learner_texts[turn])))
        })
    });
    // `compare`: both evidences evaluated and their answers compared.
    let compare_text = preview_compare_text();
    let changes = |answer: &[u8]| {
        let answer: Value = serde_json::from_slice(answer).unwrap_or_default();
        answer["ok"]["changes"].as_array().map_or(0, Vec::len)
    };
    assert!(changes(&book.compare_json(&compare_text)) > 0, "the preview's change changes nothing");
    group.bench_function("compare-json", |b| b.iter(|| black_box(book.compare_json(black_box(&compare_text)))));
    let Ok(texts_read) = read::<EvidenceRequest>(&texts[0]) else { panic!("the preview evidence does not read") };
    let Ok(other) = read::<EvidenceRequest>(&texts[1]) else { panic!("the preview evidence does not read") };
    group.bench_function("compare-typed", |b| {
        b.iter(|| {
            let answer = book.compare(texts_read.as_of, (&texts_read.evidence, &other.evidence), &texts_read.options);
            black_box(&answer);
        })
    });
    let Ok(mut compared) = Preview::from_json(&texts[0]) else { panic!("the preview evidence does not read") };
    let _ = compared.change_learner_json(&book, 0, &learner_texts[1]);
    assert!(changes(&compared.compare_json(&book)) > 0, "the preview's change changes nothing");
    group.bench_function("compare-preview", |b| b.iter(|| black_box(compared.compare_json(&book))));
    group.finish();

    // Where `json`'s time goes: the same request's stages, each alone.
    let mut stages = c.benchmark_group("preview-stages");
    let limits = laureate_core::Limits::default();
    stages.bench_function("check-text", |b| b.iter(|| black_box(limits.check_text(black_box(&texts[0])))));
    stages.bench_function("read", |b| b.iter(|| black_box(read::<EvidenceRequest>(black_box(&texts[0])))));
    let Ok(request) = read::<EvidenceRequest>(&texts[0]) else { panic!("the preview evidence does not read") };
    let answer = book.evaluate(request.as_of, &request.evidence, &request.options);
    // The engine's writer of `evaluate` answers, then serde_json (the same bytes, through serde).
    stages.bench_function("write", |b| b.iter(|| black_box(evaluate_envelope(black_box(&answer), 32 * 1024))));
    stages.bench_function("write-with-serde-json", |b| b.iter(|| black_box(serde_json::to_vec(black_box(&answer)))));
    stages.finish();
}

fn large(c: &mut Criterion) {
    let contacts = std::env::var("LAUREATE_BENCH_CONTACTS").ok().and_then(|n| n.parse().ok()).unwrap_or(200_000);
    let text = serde_json::to_vec(&organisation(contacts, 1)).unwrap_or_default();
    let outcomes = outcome_count(&call("evaluate", &text));
    assert!(outcomes > 0, "the organisation has no outcomes");
    let mut group = c.benchmark_group("organisation");
    group.sample_size(10).measurement_time(Duration::from_secs(20)).throughput(Throughput::Elements(outcomes));
    group.bench_function(format!("{contacts}/call"), |b| b.iter(|| black_box(call("evaluate", black_box(&text)))));
    let Ok(request) = read::<EvaluateRequest>(&text) else { panic!("the organisation does not read") };
    let book = PreparedRulebook::new(request.rulebook.clone());
    group.bench_function(format!("{contacts}/evaluate"), |b| {
        b.iter(|| black_box(book.evaluate(request.as_of, &request.evidence, &request.options)))
    });
    // The other stages of `call`, each alone (the throughput is still outcomes).
    let limits = laureate_core::Limits::default();
    group.bench_function(format!("{contacts}/check-text"), |b| b.iter(|| black_box(limits.check_text(&text))));
    group.bench_function(format!("{contacts}/read"), |b| b.iter(|| black_box(read::<EvaluateRequest>(&text))));
    let answer = book.evaluate(request.as_of, &request.evidence, &request.options);
    group.bench_function(format!("{contacts}/write"), |b| b.iter(|| black_box(evaluate_envelope(&answer, 32 * 1024))));
    group.finish();
}

criterion_group!(benches, preview, large);
criterion_main!(benches);
