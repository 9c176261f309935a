//! `cargo bench -p laureate-host --bench wasmtime`: the shipped artifact in wasmtime against the
//! natively linked core, on generated organisations (laureate-orggen; BENCHMARKS.md). Build the
//! artifact first (`cargo xtask build-wasm`).
//!
//! - `preview`: the 30-learner classroom event, one learner's attendance changed per call, as a
//!   whole `evaluate` request (the raw ABI reads the rulebook on every call), wasm and native.
//! - `organisation`: an organisation end to end (`LAUREATE_BENCH_CONTACTS`, default 200000),
//!   request text to answer text; throughput in learner-achievement outcomes.
//! - `cold`: compile the artifact (no cache), load it from the compiled-module cache, and load
//!   from the cache plus the first preview answer (the host's cold start).
//!
//! `wasmtime` runs each call in a fresh instance from the engine's pool (`Engine::call`), and
//! `instantiate` is the cost of that instance with a trivial call; `wasmtime-warm` keeps one
//! instance for every call (`Engine::warm_instance`), as a server thread or a batch worker does,
//! and so the prepared rulebook of the request before (docs/abi.md, "The kept rulebook");
//! `wasmtime-warm-new-rulebook` sends it a rulebook other than the one before on every call.
#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    clippy::expect_used,
    reason = "a benchmark stops at the first broken setup, and its tables are fixed"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use laureate_host::{Engine, ResourceLimits};
use laureate_orggen::organisation;
use serde_json::{json, Value};

fn artifact() -> std::path::PathBuf {
    laureate_host::artifact::locate(None).unwrap_or_else(|e| panic!("{e}: run `cargo xtask build-wasm` first"))
}

/// The preview request with learner 0's first session `present` and `absent`.
fn preview_requests() -> [Vec<u8>; 2] {
    let org = organisation(30, 1);
    let request = |status: &str| {
        let mut request = org.clone();
        request["evidence"]["learners"][0]["attendance"]["s1"] = json!(status);
        serde_json::to_vec(&request).expect("JSON")
    };
    [request("present"), request("absent")]
}

fn outcome_count(answer: &[u8]) -> u64 {
    let answer: Value = serde_json::from_slice(answer).expect("an answer");
    assert!(answer.get("ok").is_some(), "an error answer: {answer}");
    answer["ok"]["outcomes"].as_array().map_or(0, |o| o.len() as u64)
}

fn preview(c: &mut Criterion) {
    let engine = Engine::from_path(artifact()).expect("the artifact loads");
    let requests = preview_requests();
    assert_eq!(engine.call("evaluate", &requests[0]).expect("a call"), laureate_core::call("evaluate", &requests[0]));
    let mut group = c.benchmark_group("preview");
    let mut turn = 0;
    group.bench_function("wasmtime", |b| {
        b.iter(|| {
            turn ^= 1;
            black_box(engine.call("evaluate", black_box(&requests[turn])).expect("a call"))
        })
    });
    let mut warm = engine.warm_instance();
    group.bench_function("wasmtime-warm", |b| {
        b.iter(|| {
            turn ^= 1;
            black_box(warm.call("evaluate", black_box(&requests[turn])).expect("a call"))
        })
    });
    // Each call's rulebook other than the one before it (an achievement renamed): what a warm
    // instance pays when it keeps a rulebook that the next request does not share.
    let renamed = {
        let mut request: Value = serde_json::from_slice(&requests[1]).expect("JSON");
        request["rulebook"]["achievements"][0]["name"] = json!("Renamed");
        serde_json::to_vec(&request).expect("JSON")
    };
    let alternating = [requests[0].clone(), renamed];
    group.bench_function("wasmtime-warm-new-rulebook", |b| {
        b.iter(|| {
            turn ^= 1;
            black_box(warm.call("evaluate", black_box(&alternating[turn])).expect("a call"))
        })
    });
    drop(warm);
    group.bench_function("native", |b| {
        b.iter(|| {
            turn ^= 1;
            black_box(laureate_core::call("evaluate", black_box(&requests[turn])))
        })
    });
    group.bench_function("instantiate", |b| b.iter(|| black_box(engine.abi_version().expect("a call"))));
    group.finish();
}

fn large(c: &mut Criterion) {
    let contacts = std::env::var("LAUREATE_BENCH_CONTACTS").ok().and_then(|n| n.parse().ok()).unwrap_or(200_000);
    let text = serde_json::to_vec(&organisation(contacts, 1)).expect("JSON");
    // A whole organisation in one call needs more than the per-request defaults.
    let limits = ResourceLimits { memory_bytes: 3 << 30, fuel: u64::MAX / 2, timeout: Duration::from_secs(600) };
    let engine = Engine::builder().limits(limits).max_concurrency(1).load_path(artifact()).expect("the artifact loads");
    let wasm = engine.call("evaluate", &text).expect("a call");
    assert!(wasm == laureate_core::call("evaluate", &text), "native and wasmtime disagree");
    let mut group = c.benchmark_group("organisation");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30))
        .throughput(Throughput::Elements(outcome_count(&wasm)));
    group.bench_function(format!("{contacts}/wasmtime"), |b| b.iter(|| black_box(engine.call("evaluate", &text))));
    let mut warm = engine.warm_instance();
    assert!(warm.call("evaluate", &text).expect("a call") == wasm, "a warm instance answers differently");
    group.bench_function(format!("{contacts}/wasmtime-warm"), |b| b.iter(|| black_box(warm.call("evaluate", &text))));
    drop(warm);
    group
        .bench_function(format!("{contacts}/native"), |b| b.iter(|| black_box(laureate_core::call("evaluate", &text))));
    group.finish();
}

fn cold(c: &mut Criterion) {
    let path = artifact();
    let cache = std::env::temp_dir().join(format!("laureate-bench-cache-{}", std::process::id()));
    Engine::builder().cache_dir(&cache).load_path(&path).expect("the artifact compiles into the cache");
    let request = &preview_requests()[0];
    let mut group = c.benchmark_group("cold");
    group.sample_size(10);
    group.bench_function("compile", |b| b.iter(|| black_box(Engine::builder().no_cache().load_path(&path))));
    group.sample_size(50);
    // A process starting cold has no earlier engine to tear down: each engine is dropped
    // outside the timed span (its pool's unmapping is not part of anybody's first answer).
    group.bench_function("load-from-cache", |b| {
        b.iter_custom(|iterations| timed_loads(iterations, || Engine::builder().cache_dir(&cache).load_path(&path)))
    });
    group.bench_function("load-from-cache+first-answer", |b| {
        b.iter_custom(|iterations| {
            timed_loads(iterations, || {
                let engine = Engine::builder().cache_dir(&cache).load_path(&path)?;
                let answer = engine.call("evaluate", request)?;
                Ok((engine, answer))
            })
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&cache);
}

/// The time `iterations` calls of `load` take, each result dropped after its clock stopped.
fn timed_loads<T>(iterations: u64, load: impl Fn() -> laureate_host::Result<T>) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iterations {
        let started = std::time::Instant::now();
        let loaded = black_box(load().expect("a load"));
        total += started.elapsed();
        drop(loaded);
    }
    total
}

criterion_group!(benches, preview, cold, large);
criterion_main!(benches);
