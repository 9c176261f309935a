//! A Rust server's side of Laureate: decide with the very WebAssembly bytes the browser preview
//! ran (the npm package's `laureate_bg.wasm`, in wasmtime through `laureate_host::Engine`), then
//! act on the answer's `actions`.
//!
//! ```text
//! cargo xtask build                                  # the artifact and the host
//! cargo run --release -p laureate-example-rust-server [-- REQUEST.json]
//! ```
//!
//! It evaluates `examples/org/request.json` (or the file given), prints a summary (outcomes per
//! status, the actions a server would carry out), checks that the answer is byte for byte the
//! natively linked core's (`laureate_core::call`), and serves the same request from several
//! threads on one shared `Engine`, as a web server's workers would (fresh instances and warm
//! ones). Exit status: 0 when all
//! agree, 1 on any difference, 2 when the artifact or the request cannot be loaded.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use laureate_host::{Engine, ModuleSource};
use serde_json::Value;

/// Threads × calls per thread of the concurrency check.
const THREADS: usize = 4;
const CALLS_PER_THREAD: usize = 5;

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("laureate-example-rust-server: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<bool, String> {
    let (path, shown) = match std::env::args_os().nth(1) {
        Some(arg) => (PathBuf::from(&arg), PathBuf::from(arg).display().to_string()),
        None => {
            let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../org/request.json");
            (path, "examples/org/request.json".to_owned())
        }
    };
    let request = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;

    // Load once at start-up: `--wasm`-style explicit path, else $LAUREATE_WASM, else the
    // workspace's target/npm/laureate/laureate_bg.wasm, checked against its .sha256 file.
    let engine = Engine::builder().locate(None).map_err(|e| e.to_string())?;
    let info = engine.info();
    println!("request   {shown}");
    let source = match info.source {
        ModuleSource::Compiled => "compiled",
        ModuleSource::Cache => "loaded from the module cache",
    };
    println!(
        "artifact  {} ({} bytes, sha256 {}…), {source} in {} ms",
        info.path.as_deref().map(|p| p.display().to_string()).unwrap_or_else(|| "(bytes)".into()),
        info.size,
        info.sha256.get(..12).unwrap_or(&info.sha256),
        info.load_time.as_millis()
    );

    // One request, through wasmtime.
    let started = Instant::now();
    let answer = engine.call("evaluate", &request).map_err(|e| format!("the wasm call failed: {e}"))?;
    let elapsed = started.elapsed();
    let value: Value = serde_json::from_slice(&answer).map_err(|e| format!("the answer is not JSON: {e}"))?;
    let mut agree = true;

    if let Some(error) = value.get("error") {
        println!("answer    error {} at {:?}: {}", text(error, "code"), text(error, "path"), text(error, "message"));
    } else {
        let ok = &value["ok"];
        println!(
            "answer    ok, engine {} {}, as of {}, {} bytes in {} µs",
            text(&ok["engine"], "name"),
            text(&ok["engine"], "version"),
            text(ok, "asOf"),
            answer.len(),
            elapsed.as_micros()
        );
        summarise(ok);
    }

    // The same request through the natively linked core: the same bytes, or the server and the
    // browser could disagree.
    let native = laureate_core::call("evaluate", &request);
    if native == answer {
        println!("native    the wasmtime answer equals laureate_core::call byte for byte ({} bytes)", answer.len());
    } else {
        agree = false;
        let at = native.iter().zip(&answer).position(|(a, b)| a != b).unwrap_or(native.len().min(answer.len()));
        println!(
            "native    DIFFERENT: laureate_core::call answered {} bytes, wasmtime {} bytes, first difference at byte {at}",
            native.len(),
            answer.len()
        );
    }

    // A server's workers share one Engine (cheap to clone). Even-numbered workers give each call a
    // fresh instance (`Engine::call`); odd-numbered ones keep one warm instance for all their
    // calls (`Engine::warm_instance`): no instantiation per call, the heap already faulted in.
    let started = Instant::now();
    let differing = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|worker| {
                let engine = engine.clone();
                let (request, answer) = (&request, &answer);
                scope.spawn(move || {
                    let mut warm = (worker % 2 == 1).then(|| engine.warm_instance());
                    (0..CALLS_PER_THREAD)
                        .filter(|_| {
                            let again = match warm.as_mut() {
                                Some(instance) => instance.call("evaluate", request),
                                None => engine.call("evaluate", request),
                            };
                            again.map_or(true, |again| again != *answer)
                        })
                        .count()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(CALLS_PER_THREAD)).sum::<usize>()
    });
    let calls = THREADS * CALLS_PER_THREAD;
    if differing == 0 {
        println!(
            "threads   {THREADS} threads × {CALLS_PER_THREAD} calls on one shared Engine (half in warm instances): all {calls} answers identical ({} ms)",
            started.elapsed().as_millis()
        );
    } else {
        agree = false;
        println!("threads   DIFFERENT: {differing} of {calls} concurrent answers differ from the first");
    }

    println!("{}", if agree { "result    agree" } else { "result    DISAGREE" });
    Ok(agree)
}

/// Counts per status and per action, then each action as the server would carry it out.
fn summarise(ok: &Value) {
    let outcomes = list(ok, "outcomes");
    let actions = list(ok, "actions");
    println!("outcomes  {} ({})", outcomes.len(), counts(outcomes, "status"));
    println!("actions   {} ({})", actions.len(), counts(actions, "action"));
    for action in actions {
        // Award actions name the learner (the participation); a certification's, its certification.
        let who = match action.get("learner").and_then(Value::as_str) {
            Some(learner) => format!("{} ({learner})", text(action, "contact")),
            None => format!("{} ({})", text(action, "contact"), text(action, "certification")),
        };
        let from = match action.get("event").and_then(Value::as_str) {
            Some(event) => format!("event {event}"),
            None => format!("path {}", text(action, "path")),
        };
        match action.get("action").and_then(Value::as_str) {
            Some("issue") => println!(
                "  issue          {:<17} {:<18} {who}, {from}, valid {} until {}",
                text(action, "identifier"),
                text(action, "achievement"),
                text(action, "validFrom"),
                text(action, "expiresOn")
            ),
            Some("certify") => println!(
                "  certify        cycle {:<11} {:<18} {who}, completed {} valid until {}",
                text(action, "cycle"),
                text(action, "certification"),
                text(action, "completedOn"),
                text(action, "validUntil")
            ),
            Some("notify") if action.get("certification").is_some() => println!(
                "  notify         {:<17} {:<18} {who}, cycle {} on {}{}",
                text(action, "trigger"),
                text(action, "certification"),
                text(action, "cycle"),
                text(action, "on"),
                if action.get("attachCertificate") == Some(&Value::Bool(true)) { ", certificate attached" } else { "" }
            ),
            Some("notify") => println!(
                "  notify         {:<17} {:<18} {who}{}",
                text(action, "trigger"),
                text(action, "achievement"),
                if action.get("attachCertificate") == Some(&Value::Bool(true)) { ", certificate attached" } else { "" }
            ),
            Some("review-revoke") => println!(
                "  review-revoke  {:<17} {:<18} {who}, {from}",
                text(action, "record"),
                text(action, "achievement")
            ),
            other => println!("  {}  {action}", other.unwrap_or("?")),
        }
    }
    if let Some(state) = ok.get("sequenceState").and_then(Value::as_object) {
        let next: Vec<String> = state.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("sequences next numbers: {}", next.join(", "));
    }
    let diagnostics = list(ok, "diagnostics");
    let errors = diagnostics.iter().filter(|d| d.get("severity").and_then(Value::as_str) == Some("error")).count();
    println!("diagnostics {} ({errors} errors)", diagnostics.len());
}

fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// "awarded 14, failed 4, pending 9": each value of `key`, sorted, with its count.
fn counts(items: &[Value], key: &str) -> String {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for item in items {
        *seen.entry(text(item, key)).or_default() += 1;
    }
    seen.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ")
}

/// A member as text: strings as they are, null or absent as `-`, anything else as JSON.
fn text(value: &Value, key: &str) -> String {
    match value.get(key) {
        None | Some(Value::Null) => "-".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}
