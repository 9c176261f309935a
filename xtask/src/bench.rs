//! `cargo xtask bench [--quick]`: every benchmark of BENCHMARKS.md, then one summary table;
//! `cargo xtask bench service [--smoke]`: the service under load (`service`).
//!
//! Generates the organisations (laureate-orggen, seed 1) into `target/orgs/`, runs the core's
//! criterion bench (native), the host's (wasmtime, cold start), the Node scripts (JS API and the
//! peer engines), measures peak memory with `/usr/bin/time` and the artifact's size, and prints a
//! Markdown summary (also written to `target/bench/summary.md`). `--quick` uses the medium
//! organisation for the large case and short measurement times: a smoke run, not figures.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::build_wasm::{build_wasm, PACKAGE_DIR};
use crate::command::{cargo, run};
use crate::sizes::{gzip_size, thousands};
use crate::Result;

mod service;

const ORGS: &str = "target/orgs";

pub fn run_all(options: &[&str]) -> Result {
    let quick = match options {
        [] => false,
        ["--quick"] => true,
        ["--smoke"] => return smoke(),
        ["service", rest @ ..] => return service::run_service(rest),
        _ => {
            let options = options.join(" ");
            return Err(format!("bench: unexpected options `{options}` (--quick, --smoke or service [--smoke])"));
        }
    };
    let large = if quick { 10_000 } else { 200_000 };
    build_wasm(false)?;
    run(Command::new(cargo()).args(["build", "--release", "-p", "laureate-host"]))?;
    write_orgs(&laureate_orggen::SIZES)?;

    let criterion_times: &[&str] =
        if quick { &["--warm-up-time", "1", "--measurement-time", "2"] } else { &["--warm-up-time", "3"] };
    let contacts = large.to_string();
    for (package, bench) in [("laureate-core", "evaluate"), ("laureate-host", "wasmtime")] {
        run(Command::new(cargo())
            .args(["bench", "-p", package, "--bench", bench, "--"])
            .args(criterion_times)
            .env("LAUREATE_BENCH_CONTACTS", &contacts))?;
    }
    let node_args: &[&str] = if quick { &["wasm/bench/node.mjs", "--quick"] } else { &["wasm/bench/node.mjs"] };
    let node = node_figures(node_args)?;
    let peer = node_figures(&["wasm/bench/peer.mjs"])?;
    // The JS API's crossing, stage by stage (BENCHMARKS.md): printed, not summarised.
    let crossing_args: &[&str] =
        if quick { &["wasm/bench/crossing.mjs", "--quick"] } else { &["wasm/bench/crossing.mjs"] };
    node_figures(crossing_args)?;

    let large_org = if quick { "medium" } else { "large" };
    let memory = [
        ("native", peak_rss_kb(&["--engine", "native", "evaluate", &format!("{ORGS}/{large_org}.json")])?),
        (
            "wasmtime",
            peak_rss_kb(&[
                "--memory-limit",
                "3072",
                "--fuel",
                "1000000000000",
                "--timeout",
                "600",
                "evaluate",
                &format!("{ORGS}/{large_org}.json"),
            ])?,
        ),
    ];
    let small = format!("{ORGS}/small.json");
    let process = [
        ("wasm", process_ms(&["evaluate", &small], 50)?),
        ("native", process_ms(&["--engine", "native", "evaluate", &small], 50)?),
    ];
    let wasm = PathBuf::from(PACKAGE_DIR).join("laureate_bg.wasm");
    let bytes = fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let summary = summary(&contacts, &node, &peer, &memory, &process, (bytes.len(), gzip_size(&bytes)), quick);
    println!("\n{summary}");
    fs::create_dir_all("target/bench").map_err(|e| e.to_string())?;
    fs::write("target/bench/summary.md", &summary).map_err(|e| format!("target/bench/summary.md: {e}"))?;
    println!("bench: written to target/bench/summary.md");
    Ok(())
}

/// `cargo xtask test`'s check that every benchmark still runs (once each, on small
/// organisations; no figures): criterion in test mode, the profiling examples, the Node scripts
/// in `--quick` mode, the peer script, whose agreement check compares every peer decision
/// with Laureate's outcome, and the service bench for a few seconds.
pub fn smoke() -> Result {
    write_orgs(&[("small", 30), ("medium", 10_000)])?;
    for (package, bench) in [("laureate-core", "evaluate"), ("laureate-host", "wasmtime")] {
        run(Command::new(cargo())
            .args(["test", "--release", "-p", package, "--bench", bench])
            .env("LAUREATE_BENCH_CONTACTS", "300"))?;
    }
    let examples: [(&str, &[&str]); 2] = [("profile_evaluate", &["300", "1"]), ("profile_preview", &["10"])];
    for (example, args) in examples {
        run(Command::new(cargo())
            .args(["run", "--release", "-p", "laureate-core", "--example", example, "--"])
            .args(args))?;
    }
    node_figures(&["wasm/bench/node.mjs", "--quick"])?;
    node_figures(&["wasm/bench/peer.mjs"])?;
    node_figures(&["wasm/bench/crossing.mjs", "--quick"])?;
    service::run_service(&["--smoke"])
}

/// Writes generated organisations (seed 1) as `target/orgs/<name>.json`.
fn write_orgs(sizes: &[(&str, usize)]) -> Result {
    fs::create_dir_all(ORGS).map_err(|e| format!("{ORGS}: {e}"))?;
    for (name, contacts) in sizes {
        let text = serde_json::to_string(&laureate_orggen::organisation(*contacts, 1)).map_err(|e| e.to_string())?;
        let path = format!("{ORGS}/{name}.json");
        fs::write(&path, &text).map_err(|e| format!("{path}: {e}"))?;
        println!("bench: {path}: {contacts} contacts, {} bytes", text.len());
    }
    Ok(())
}

/// Runs a Node script, echoing its output, and returns its `BENCH_JSON` figures.
fn node_figures(args: &[&str]) -> Result<Value> {
    println!("$ node {}", args.join(" "));
    let out = Command::new("node").args(args).output().map_err(|e| format!("cannot run node: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    print!("{text}");
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    if !out.status.success() {
        return Err(format!("`node {}` failed ({})", args.join(" "), out.status));
    }
    let line = text.lines().rev().find_map(|l| l.strip_prefix("BENCH_JSON ")).ok_or("no BENCH_JSON line")?;
    serde_json::from_str(line).map_err(|e| format!("BENCH_JSON: {e}"))
}

/// The median wall time, in milliseconds, of `runs` runs of `laureate <args>` as a new process
/// (after one untimed run, which fills the compiled-module cache): a host's real cold start.
fn process_ms(args: &[&str], runs: usize) -> Result<f64> {
    println!("$ target/release/laureate {} > /dev/null   ({runs} runs, median wall time)", args.join(" "));
    let once = || -> Result<f64> {
        let started = std::time::Instant::now();
        let status = Command::new("target/release/laureate")
            .args(args)
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("cannot run target/release/laureate: {e}"))?;
        let ms = started.elapsed().as_secs_f64() * 1e3;
        match status.success() {
            true => Ok(ms),
            false => Err(format!("laureate {} failed ({status})", args.join(" "))),
        }
    };
    once()?;
    let mut times = (0..runs).map(|_| once()).collect::<Result<Vec<f64>>>()?;
    times.sort_by(f64::total_cmp);
    Ok(times.get(runs / 2).copied().unwrap_or(f64::NAN))
}

/// The peak resident set of `laureate <args>`, in KiB (`/usr/bin/time -f %M`).
fn peak_rss_kb(args: &[&str]) -> Result<u64> {
    println!("$ /usr/bin/time -f %M target/release/laureate {} > /dev/null", args.join(" "));
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M", "target/release/laureate"])
        .args(args)
        .stdout(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run /usr/bin/time: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("laureate {} failed: {stderr}", args.join(" ")));
    }
    stderr.lines().last().and_then(|l| l.trim().parse().ok()).ok_or_else(|| format!("no peak RSS in `{stderr}`"))
}

/// The median of a criterion benchmark, in nanoseconds, and its throughput elements (if any).
fn criterion(group: &str, id: &str) -> Option<(f64, Option<f64>)> {
    let dir = Path::new("target/criterion").join(group).join(id.replace('/', "_")).join("new");
    let estimates: Value = serde_json::from_str(&fs::read_to_string(dir.join("estimates.json")).ok()?).ok()?;
    let median = estimates["median"]["point_estimate"].as_f64()?;
    let benchmark: Option<Value> =
        fs::read_to_string(dir.join("benchmark.json")).ok().and_then(|t| serde_json::from_str(&t).ok());
    let elements = benchmark.and_then(|b| b["throughput"]["Elements"].as_f64());
    Some((median, elements))
}

fn micros(ns: Option<f64>) -> String {
    ns.map_or("n/a".into(), |ns| format!("{:.1} µs", ns / 1e3))
}

fn per_second(figure: Option<(f64, Option<f64>)>) -> Option<f64> {
    figure.and_then(|(ns, elements)| elements.map(|e| e / (ns / 1e9)))
}

fn count(n: Option<f64>) -> String {
    n.map_or("n/a".into(), |n| thousands(n.round() as usize))
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.1}×", a / b),
        _ => "n/a".into(),
    }
}

fn summary(
    contacts: &str,
    node: &Value,
    peer: &Value,
    memory: &[(&str, u64)],
    process: &[(&str, f64)],
    (raw, gzip): (usize, usize),
    quick: bool,
) -> String {
    let native_json = criterion("preview", "json").map(|f| f.0);
    let native_typed = criterion("preview", "typed").map(|f| f.0);
    let native_full = criterion("preview", "native").map(|f| f.0);
    let wasm_full = criterion("preview", "wasmtime").map(|f| f.0);
    let wasm_warm = criterion("preview", "wasmtime-warm").map(|f| f.0);
    let instantiate = criterion("preview", "instantiate").map(|f| f.0);
    let node_json = node["preview"]["rulebookJson"]["medianUs"].as_f64().map(|us| us * 1e3);
    let node_object = node["preview"]["rulebookObject"]["medianUs"].as_f64().map(|us| us * 1e3);
    let node_full = node["preview"]["callJsonFull"]["medianUs"].as_f64().map(|us| us * 1e3);
    let native_changed = criterion("preview", "changed-learner").map(|f| f.0);
    let node_changed = node["preview"]["previewJson"]["medianUs"].as_f64().map(|us| us * 1e3);
    let node_changed_object = node["preview"]["previewObject"]["medianUs"].as_f64().map(|us| us * 1e3);

    let native_call = per_second(criterion("organisation", &format!("{contacts}/call")));
    let native_eval = per_second(criterion("organisation", &format!("{contacts}/evaluate")));
    let host_native = per_second(criterion("organisation", &format!("{contacts}/native")));
    let host_wasm = per_second(criterion("organisation", &format!("{contacts}/wasmtime")));
    let host_warm = per_second(criterion("organisation", &format!("{contacts}/wasmtime-warm")));
    let node_text = node["large"]["rulebookJson"]["outcomesPerSec"].as_f64();
    let node_object_rate = node["large"]["rulebookObject"]["outcomesPerSec"].as_f64();

    let compile = criterion("cold", "compile").map(|f| f.0);
    let from_cache = criterion("cold", "load-from-cache").map(|f| f.0);
    let first_answer = criterion("cold", "load-from-cache+first-answer").map(|f| f.0);

    let mut s = String::new();
    let mut line = |text: String| {
        s.push_str(&text);
        s.push('\n');
    };
    line(format!("## Summary (`cargo xtask bench{}`)\n", if quick { " --quick" } else { "" }));
    line("### Preview: one 30-learner event re-evaluated after one change\n".into());
    line("| path | native | wasmtime | Node | wasmtime/native | Node/native |".into());
    line("| --- | --- | --- | --- | --- | --- |".into());
    line(format!(
        "| `Preview`: evidence read once, the changed learner's JSON in, answer JSON out | {} | (no preview in the raw ABI) | {} | | {} |",
        micros(native_changed),
        micros(node_changed),
        ratio(node_changed, native_changed)
    ));
    line(format!(
        "| `Preview`: the changed learner as a JS object in, answer object out | | | {} | | {} |",
        micros(node_changed_object),
        ratio(node_changed_object, native_changed)
    ));
    line(format!(
        "| prepared rulebook, evidence JSON in, answer JSON out | {} | (no prepared rulebook in the raw ABI) | {} | | {} |",
        micros(native_json),
        micros(node_json),
        ratio(node_json, native_json)
    ));
    line(format!("| prepared rulebook, typed evidence (Rust API) | {} | | | | |", micros(native_typed)));
    line(format!(
        "| prepared rulebook, JS objects in and out | | | {} | | {} |",
        micros(node_object),
        ratio(node_object, native_json)
    ));
    line(format!(
        "| whole request (rulebook read on every call), wasmtime in a warm instance | {} | {} | {} | {} | {} |",
        micros(native_full),
        micros(wasm_warm),
        micros(node_full),
        ratio(wasm_warm, native_full),
        ratio(node_full, native_full)
    ));
    line(format!(
        "| the same, wasmtime in a fresh instance per call | | {} | | {} | |",
        micros(wasm_full),
        ratio(wasm_full, native_full)
    ));
    line(format!("\nwasmtime instance from the pool plus a trivial call: {}.\n", micros(instantiate)));
    line("Where the native JSON path's time goes (each stage alone, criterion):\n".into());
    line("| stage | preview (30 learners) | organisation |".into());
    line("| --- | --- | --- |".into());
    let stage = |id: &str| criterion("organisation", &format!("{contacts}/{id}")).map(|f| f.0);
    let millis = |ns: Option<f64>| ns.map_or("n/a".into(), |ns| format!("{:.0} ms", ns / 1e6));
    for (label, preview, organisation) in [
        ("limits' text scan", criterion("preview-stages", "check-text").map(|f| f.0), stage("check-text")),
        ("read the request (serde)", criterion("preview-stages", "read").map(|f| f.0), stage("read")),
        ("evaluate (typed)", native_typed, stage("evaluate")),
        ("write the answer (`wire::write_answer`)", criterion("preview-stages", "write").map(|f| f.0), stage("write")),
        ("all of it (`evaluate_json` / `call`)", native_json, stage("call")),
    ] {
        line(format!("| {label} | {} | {} |", micros(preview), millis(organisation)));
    }
    line(String::new());
    line(format!("### Organisation of {contacts} learners: learner-achievement outcomes per second\n"));
    line("| path | outcomes/s | ratio to native |".into());
    line("| --- | --- | --- |".into());
    line(format!("| native, prepared rulebook, typed evidence (evaluation only) | {} | |", count(native_eval)));
    line(format!("| native, request text to answer text (`call`) | {} | 1.0× |", count(native_call.or(host_native))));
    line(format!(
        "| wasmtime, request text to answer text, warm instance (`Engine::warm_instance`) | {} | {} slower |",
        count(host_warm),
        ratio(host_native.or(native_call), host_warm)
    ));
    line(format!(
        "| wasmtime, request text to answer text, fresh instance per call (`Engine::call`) | {} | {} slower |",
        count(host_wasm),
        ratio(host_native.or(native_call), host_wasm)
    ));
    line(format!(
        "| Node, prepared `Rulebook.evaluateJson`, text in and out ({}) | {} | {} slower |",
        node["large"]["org"].as_str().unwrap_or("?"),
        count(node_text),
        ratio(native_call, node_text)
    ));
    line(format!(
        "| Node, prepared `Rulebook.evaluate`, objects in and out | {} | {} slower |",
        count(node_object_rate),
        ratio(native_call, node_object_rate)
    ));
    line("\n### Cold start in the host\n".into());
    line("| step | time |".into());
    line("| --- | --- |".into());
    line(format!("| compile the artifact (no cache) | {:.0} ms |", compile.unwrap_or(f64::NAN) / 1e6));
    line(format!("| load from the compiled-module cache | {:.2} ms |", from_cache.unwrap_or(f64::NAN) / 1e6));
    line(format!("| load from the cache and answer the preview | {:.2} ms |", first_answer.unwrap_or(f64::NAN) / 1e6));
    for (engine, ms) in process {
        let what = match *engine {
            "wasm" => "a new `laureate evaluate` process, wasmtime from the cache, small organisation (start to exit)",
            _ => "the same with `--engine native` (the process's own cost, no wasm)",
        };
        line(format!("| {what} | {ms:.2} ms |"));
    }
    line(format!(
        "| Node: import the package / first `evaluate` | {:.1} ms / {:.1} ms |",
        node["firstCall"]["importMs"].as_f64().unwrap_or(f64::NAN),
        node["firstCall"]["firstCallUs"].as_f64().unwrap_or(f64::NAN) / 1e3
    ));
    line("\n### Peer engines (medium organisation, same Node process)\n".into());
    line("| engine | decisions/s |".into());
    line("| --- | --- |".into());
    let peers = &peer["peers"];
    let ratios = &peer["ratios"];
    line(format!(
        "| json-rules-engine {} | {} |",
        peers["jsonRulesEngine"]["version"].as_str().unwrap_or(""),
        count(peers["jsonRulesEngine"]["decisionsPerSec"].as_f64())
    ));
    let zen_version = peers["zenEngine"]["version"].as_str().unwrap_or("");
    let mut peer_columns = vec![("json-rules-engine", "jsonRulesEngine")];
    for (label, key, ratio_key) in
        [("one at a time", "sequential", "zenEngineSequential"), ("all at once", "concurrent", "zenEngineConcurrent")]
    {
        if let Some(rate) = peers["zenEngine"][key]["decisionsPerSec"].as_f64() {
            line(format!("| @gorules/zen-engine {zen_version} ({label}) | {} |", count(Some(rate))));
            peer_columns.push((
                if key == "sequential" { "zen-engine one at a time" } else { "zen-engine all at once" },
                ratio_key,
            ));
        }
    }
    line(String::new());
    let header: String = peer_columns.iter().map(|(name, _)| format!(" ÷ {name} |")).collect();
    line(format!("| Laureate (prepared `Rulebook`) | outcomes/s |{header}"));
    line(format!("| --- | --- |{}", " --- |".repeat(peer_columns.len())));
    let threads = peer["laureate"]["classroomThreads"]["threads"].as_u64().unwrap_or(0);
    let rows = [
        ("whole evidence, `evaluate` (JS objects), one thread".to_string(), "full"),
        ("classroom learners, `evaluate` (JS objects), one thread".to_string(), "classroomOnly"),
        ("classroom learners, `evaluateJson` (text), one thread".to_string(), "classroomText"),
        (
            format!("classroom learners, `evaluateJson` (text) on {threads} worker threads, all at once"),
            "classroomThreads",
        ),
    ];
    for (label, key) in rows {
        let cells: String = peer_columns
            .iter()
            .map(|(_, ratio_key)| format!(" {:.1}× |", ratios[*ratio_key][key].as_f64().unwrap_or(f64::NAN)))
            .collect();
        line(format!("| {label} | {} |{cells}", count(peer["laureate"][key]["outcomesPerSec"].as_f64())));
    }
    line("\n### Memory and size\n".into());
    for (engine, kb) in memory {
        line(format!("- peak RSS, `laureate --engine {engine} evaluate` on the large organisation: {} MiB", kb / 1024));
    }
    if let Some(kb) = node["large"]["maxRssKb"].as_f64() {
        line(format!("- peak RSS, Node benchmark process: {:.0} MiB", kb / 1024.0));
    }
    line(format!(
        "- `laureate_bg.wasm`: {} bytes raw, {} bytes gzip -9",
        count(Some(raw as f64)),
        count(Some(gzip as f64))
    ));
    s
}
