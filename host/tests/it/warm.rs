//! A warm instance (`Engine::warm_instance`) answers as fresh instances do, call after call; a
//! failure discards its instance; a limit reached in a reused instance is retried in a fresh one;
//! its pool slot comes back when it is dropped.

use std::time::Duration;

use laureate_host::{Engine, Error, ResourceLimits};

use crate::support::{engine, test_module};

fn result_of(result: laureate_host::Result<Vec<u8>>) -> Result<Vec<u8>, String> {
    result.map_err(|e| e.code().to_owned())
}

#[test]
fn one_warm_instance_answers_both_corpora_as_fresh_instances_do() {
    let engine = engine();
    let mut warm = engine.warm_instance();
    let mut requests: Vec<(String, String, Vec<u8>)> = crate::conformance::files()
        .iter()
        .map(|path| {
            let (operation, request) = crate::conformance::request(path);
            (path.display().to_string(), operation, request)
        })
        .collect();
    requests
        .extend(crate::hostile::cases().into_iter().map(|(name, operation, request, _)| (name, operation, request)));
    // Twice over, so that every request also meets a heap that all the others have used.
    let mut answered = 0;
    for (name, operation, request) in requests.iter().chain(&requests) {
        let fresh = result_of(engine.call(operation, request));
        let kept = result_of(warm.call(operation, request));
        assert!(kept == fresh, "{name}: the warm instance answered differently from a fresh one");
        // Once more at once: an `evaluate` answered `ok` is answered with its kept rulebook.
        let again = result_of(warm.call(operation, request));
        assert!(again == fresh, "{name}: the warm instance answered differently with the rulebook kept");
        if kept.is_ok() {
            assert!(warm.is_warm(), "{name}: a successful call keeps its instance");
            answered += 1;
        }
    }
    assert!(answered > requests.len(), "most requests are answered ({answered} of {})", 2 * requests.len());
    assert!(warm.memory_bytes() > 0);
}

#[test]
fn a_warm_instance_keeps_the_last_rulebook_for_the_next_request_with_the_same_one() {
    let engine = engine();
    let mut warm = engine.warm_instance();
    let demo = laureate_host::DEMO_REQUEST.as_bytes();
    let other = br#"{"asOf": "2026-03-10", "rulebook": {"achievements": [{"id": "a", "name": "A"}]}, "evidence": {}}"#;
    let mut fuel = |request: &[u8]| {
        let (answer, stats) = warm.call_measured("evaluate", request).expect("answered");
        assert_eq!(answer, engine.call("evaluate", request).expect("answered fresh"));
        stats.fuel_used
    };
    // The instance's first `evaluate` keeps nothing (an instance made for one call never pays
    // for keeping); its second keeps the rulebook for the third.
    let (first, kept, hit) = (fuel(demo), fuel(demo), fuel(demo));
    let (_, after_other, again) = (fuel(other), fuel(demo), fuel(demo));
    // Fuel is counted, not timed: the same on every run. Reading and preparing the demo's
    // rulebook is about a tenth of its evaluation's fuel (more of its time).
    assert!(kept >= first, "nothing kept yet: {kept} fuel against {first}");
    assert!(hit * 20 < first * 19, "the rulebook kept: {hit} against {first}");
    assert!(after_other >= first, "another rulebook in between: {after_other} against {first}");
    assert!(again * 20 < first * 19, "kept again: {again} against {first}");
}

fn test_engine(concurrency: usize) -> Engine {
    Engine::builder()
        .no_cache()
        .memory_limit(1024 * 1024)
        .fuel(10_000_000)
        .timeout(Duration::from_secs(5))
        .max_concurrency(concurrency)
        .load_bytes(test_module(1))
        .expect("the test module loads")
}

#[test]
fn a_failure_discards_the_instance_and_the_next_call_starts_fresh() {
    let engine = test_engine(2);
    let mut warm = engine.warm_instance();
    assert!(!warm.is_warm(), "no instance before the first call");
    let echo = br#"{"ok":{"n":1}}"#;
    assert_eq!(warm.call("echo", echo).expect("echo"), echo);
    assert!(warm.is_warm());
    for (operation, code) in
        [("trap", "trap"), ("loop", "fuel-exhausted"), ("grow", "memory-limit"), ("bad", "bad-answer")]
    {
        let err = warm.call(operation, b"{}").expect_err(operation);
        assert_eq!(err.code(), code, "{err}");
        assert!(!warm.is_warm(), "`{operation}` discards the instance");
        assert_eq!(warm.call("echo", echo).expect("the next call succeeds"), echo);
        assert!(warm.is_warm());
    }
    // Each call's own limits: tiny fuel fails this call only.
    let tiny = ResourceLimits { fuel: 1, ..engine.limits() };
    assert!(matches!(warm.call_with("echo", echo, tiny), Err(Error::FuelExhausted { fuel: 1 })));
    assert_eq!(warm.call("echo", echo).expect("the default fuel again"), echo);
}

/// The test module's allocator never frees: two 600 KB requests do not fit one 1 MiB instance,
/// but each fits a fresh one, so the second call is retried and answered.
#[test]
fn a_memory_limit_in_a_reused_instance_is_retried_in_a_fresh_one() {
    let engine = test_engine(1);
    let mut warm = engine.warm_instance();
    let request = [b' '; 600 * 1024];
    assert_eq!(warm.call("echo", &request).expect("the first fits"), request);
    let grown = warm.memory_bytes();
    assert!(grown > 600 * 1024, "{grown}");
    assert_eq!(warm.call("echo", &request).expect("the second is retried fresh"), request);
    assert!(warm.is_warm());
    assert!(warm.memory_bytes() <= grown, "the retry ran in a fresh instance");
    // What no instance can hold is still refused.
    let too_big = [b' '; 1100 * 1024];
    assert_eq!(warm.call("echo", &too_big).expect_err("too big").code(), "memory-limit");
}

#[test]
fn a_dropped_warm_instance_gives_its_pool_slot_back() {
    let engine = test_engine(1);
    let echo = br#"{"ok":{}}"#;
    for _ in 0..3 {
        let mut warm = engine.warm_instance();
        assert_eq!(warm.call("echo", echo).expect("echo"), echo);
    }
    // With the only slot free again, a one-off call and a thread's warm instance both get it.
    assert_eq!(engine.call("echo", echo).expect("a fresh call"), echo);
    std::thread::scope(|scope| {
        scope.spawn(|| assert_eq!(engine.warm_instance().call("echo", echo).expect("echo"), echo));
    });
    assert_eq!(engine.call("echo", echo).expect("a fresh call"), echo);
}
