//! Native == wasmtime, byte for byte, over 10,000 generated requests (laureate-orggen's
//! `mixed_request`: every operation, clean, noisy and unreadable), computed on every core
//! through one shared engine. `LAUREATE_DIFF_CASES` and `LAUREATE_DIFF_SEED` change the count and
//! the first seed (a failure prints the seed that reproduces it); `LAUREATE_DIFF_DUMP=FILE` also
//! writes the requests as NDJSON for `laureate batch`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use laureate_orggen::mixed_request;

use crate::support::engine;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Features of the answers, counted to show the generated requests reach every part of the engine.
const FEATURES: [(&str, &str); 12] = [
    ("awarded outcomes", r#""status":"awarded""#),
    ("failed outcomes", r#""status":"failed""#),
    ("pending outcomes", r#""status":"pending""#),
    ("waiting on invoice", r#""invoice""#),
    ("path outcomes", r#""learner":"pe"#),
    ("issue actions", r#""action":"issue""#),
    ("review-revoke actions", r#""action":"review-revoke""#),
    ("complete paths", r#""complete":true"#),
    ("completed certifications", r#""status":"completed""#),
    ("expiring holdings", r#""status":"expiring""#),
    ("diagnostics", r#""severity":"#),
    ("numbered identifiers", r#""sequenceState":{"seq-"#),
];

#[test]
fn generated_requests_native_equals_wasmtime() {
    let cases = env_u64("LAUREATE_DIFF_CASES", 10_000);
    let first_seed = env_u64("LAUREATE_DIFF_SEED", 0x1A0_2EA7E);
    let engine = engine();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).max(2);
    let next = AtomicUsize::new(0);
    let mismatches = Mutex::new(Vec::new());
    let invalid = Mutex::new(Vec::new());
    let ok_answers = AtomicUsize::new(0);
    let counts: Vec<AtomicUsize> = FEATURES.iter().map(|_| AtomicUsize::new(0)).collect();
    if let Ok(dump) = std::env::var("LAUREATE_DIFF_DUMP") {
        let lines: String = (0..cases)
            .map(|i| {
                let g = mixed_request(first_seed.wrapping_add(i));
                format!("{{\"operation\":\"{}\",\"request\":{}}}\n", g.operation, g.text)
            })
            .collect();
        std::fs::write(&dump, lines).expect("write LAUREATE_DIFF_DUMP");
    }

    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed) as u64;
                if i >= cases {
                    return;
                }
                let seed = first_seed.wrapping_add(i);
                let generated = mixed_request(seed);
                let request = generated.text.as_bytes();
                let native = laureate_core::call(generated.operation, request);
                let wasm = match engine.call(generated.operation, request) {
                    Ok(answer) => answer,
                    Err(e) => {
                        mismatches.lock().unwrap().push(format!("seed {seed}: host error [{}]: {e}", e.code()));
                        continue;
                    }
                };
                if wasm != native {
                    mismatches.lock().unwrap().push(format!(
                        "seed {seed} ({}): answers differ\n  request: {}\n  native:  {}\n  wasm:    {}",
                        generated.operation,
                        generated.text,
                        String::from_utf8_lossy(&native),
                        String::from_utf8_lossy(&wasm)
                    ));
                    continue;
                }
                let is_ok = wasm.starts_with(b"{\"ok\"");
                if is_ok {
                    ok_answers.fetch_add(1, Ordering::Relaxed);
                }
                if generated.readable != is_ok {
                    let head = String::from_utf8_lossy(&wasm[..wasm.len().min(400)]).into_owned();
                    invalid.lock().unwrap().push(format!(
                        "seed {seed} ({}, generated as {}): {head}\n  request: {}",
                        generated.operation,
                        if generated.readable { "readable" } else { "unreadable" },
                        generated.text
                    ));
                }
                let text = String::from_utf8_lossy(&wasm);
                for ((_, needle), count) in FEATURES.iter().zip(&counts) {
                    if text.contains(needle) {
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });

    let mismatches = mismatches.into_inner().unwrap();
    assert!(
        mismatches.is_empty(),
        "{} of {cases} generated requests differ:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(3)].join("\n\n")
    );
    let invalid = invalid.into_inner().unwrap();
    assert!(
        invalid.is_empty(),
        "{} of {cases} generated requests were answered against their kind (the generator or the core is wrong):\n{}",
        invalid.len(),
        invalid[..invalid.len().min(3)].join("\n\n")
    );
    println!("{cases} generated requests: native == wasmtime; {} ok answers", ok_answers.load(Ordering::Relaxed));
    let mut missing = Vec::new();
    for ((name, _), count) in FEATURES.iter().zip(&counts) {
        let n = count.load(Ordering::Relaxed);
        println!("  answers with {name}: {n}");
        if n == 0 {
            missing.push(*name);
        }
    }
    if cases >= 1000 {
        assert!(missing.is_empty(), "the generated requests never produced: {}", missing.join(", "));
    }
}
