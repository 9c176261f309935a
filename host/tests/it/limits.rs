//! A trap, an exhausted fuel budget, an over-large memory request and a timeout each give their
//! typed error, and the same engine then serves the next call correctly.

use std::time::{Duration, Instant};

use laureate_host::{Engine, Error, ResourceLimits};

use crate::support::{engine, test_module};

fn test_engine() -> Engine {
    Engine::builder()
        .no_cache()
        .memory_limit(1024 * 1024)
        .fuel(10_000_000)
        .timeout(Duration::from_secs(5))
        .load_bytes(test_module(1))
        .expect("the test module loads")
}

/// The engine still answers correctly: the echo operation returns the request.
fn assert_serves(engine: &Engine) {
    let answer = engine.call("echo", br#"{"ok":{"still":"serving"}}"#).expect("the next call succeeds");
    assert_eq!(answer, br#"{"ok":{"still":"serving"}}"#);
}

#[test]
fn trap_is_typed_and_engine_keeps_serving() {
    let engine = test_engine();
    assert_serves(&engine);
    let err = engine.call("trap", b"{}").unwrap_err();
    assert!(matches!(err, Error::Trap { .. }), "{err:?}");
    assert_eq!(err.code(), "trap");
    assert!(err.to_string().contains("unreachable"), "{err}");
    assert_serves(&engine);
}

#[test]
fn stubbed_import_traps() {
    let engine = test_engine();
    let err = engine.call("import", b"{}").unwrap_err();
    assert_eq!(err.code(), "trap", "{err}");
    assert_serves(&engine);
}

#[test]
fn fuel_exhaustion_is_typed_and_engine_keeps_serving() {
    let engine = test_engine();
    let err = engine.call("loop", b"{}").unwrap_err();
    assert!(matches!(err, Error::FuelExhausted { fuel: 10_000_000 }), "{err:?}");
    assert_eq!(err.code(), "fuel-exhausted");
    assert!(err.is_limit());
    assert_serves(&engine);
}

#[test]
fn memory_limit_is_typed_and_engine_keeps_serving() {
    let engine = test_engine();
    let err = engine.call("grow", b"{}").unwrap_err();
    assert!(matches!(err, Error::MemoryLimit { limit_bytes: 1_048_576 }), "{err:?}");
    assert_eq!(err.code(), "memory-limit");
    // A request larger than the cap cannot even be copied in.
    let big = vec![b' '; 2 * 1024 * 1024];
    assert_eq!(engine.call("echo", &big).unwrap_err().code(), "memory-limit");
    // One that needs the module to grow past the cap: refused, then the module traps.
    let big = vec![b' '; 1_048_000];
    assert_eq!(engine.call("echo", &big).unwrap_err().code(), "memory-limit");
    assert_serves(&engine);
}

#[test]
fn timeout_is_typed_and_engine_keeps_serving() {
    let engine = Engine::builder()
        .no_cache()
        .fuel(u64::MAX / 2)
        .timeout(Duration::from_millis(100))
        .load_bytes(test_module(1))
        .expect("the test module loads");
    let started = Instant::now();
    let err = engine.call("loop", b"{}").unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(err.code(), "timeout");
    assert!(took < Duration::from_secs(3), "the backstop took {took:?}");
    assert_serves(&engine);
}

#[test]
fn answer_outside_memory_is_bad_answer() {
    let engine = test_engine();
    assert_eq!(engine.call("bad", b"{}").unwrap_err().code(), "bad-answer");
    assert_serves(&engine);
}

#[test]
fn failures_under_concurrency_stay_isolated() {
    let engine = test_engine();
    std::thread::scope(|scope| {
        for t in 0..4 {
            let engine = &engine;
            scope.spawn(move || {
                for i in 0..50 {
                    match (t + i) % 4 {
                        0 => assert_eq!(engine.call("trap", b"{}").unwrap_err().code(), "trap"),
                        1 => assert_eq!(engine.call("loop", b"{}").unwrap_err().code(), "fuel-exhausted"),
                        2 => assert_eq!(engine.call("grow", b"{}").unwrap_err().code(), "memory-limit"),
                        _ => {
                            let request = format!(r#"{{"ok":{{"thread":{t},"i":{i}}}}}"#);
                            assert_eq!(engine.call("echo", request.as_bytes()).unwrap(), request.as_bytes());
                        }
                    }
                }
            });
        }
    });
}

/// The same with the real artifact and tiny limits.
#[test]
fn real_artifact_limits_then_serves() {
    let engine = engine();
    let request = laureate_host::DEMO_REQUEST.as_bytes();
    let native = laureate_core::call("evaluate", request);

    let tiny_fuel = ResourceLimits { fuel: 10_000, ..engine.limits() };
    assert_eq!(engine.call_with("evaluate", request, tiny_fuel).unwrap_err().code(), "fuel-exhausted");
    assert_eq!(engine.call("evaluate", request).unwrap(), native);

    // Less memory than the module starts with: the instance cannot even be created.
    let no_memory = ResourceLimits { memory_bytes: 64 * 1024, ..engine.limits() };
    assert_eq!(engine.call_with("evaluate", request, no_memory).unwrap_err().code(), "memory-limit");
    assert_eq!(engine.call("evaluate", request).unwrap(), native);

    // A request the module cannot allocate room for within 4 MiB.
    let small_memory = ResourceLimits { memory_bytes: 4 * 1024 * 1024, ..engine.limits() };
    let huge = format!(r#"{{"rulebook":{{}},"padding":"{}"}}"#, "x".repeat(3 * 1024 * 1024));
    assert_eq!(engine.call_with("validate", huge.as_bytes(), small_memory).unwrap_err().code(), "memory-limit");
    assert_eq!(engine.call("evaluate", request).unwrap(), native);

    let (answer, stats) = engine.call_stats("evaluate", request, engine.limits()).unwrap();
    assert_eq!(answer, native);
    assert!(stats.fuel_used > 10_000, "{stats:?}");
    // Fuel is deterministic: the same request uses the same fuel.
    let (_, again) = engine.call_stats("evaluate", request, engine.limits()).unwrap();
    assert_eq!(stats.fuel_used, again.fuel_used);
    println!("demo evaluate: {} fuel, {:?}", stats.fuel_used, stats.elapsed);
}
