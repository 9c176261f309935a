//! `cargo xtask bench service [--smoke]`: `laureate serve` under load over loopback
//! (`host/benches/service.rs`), then one Markdown table, also written to
//! `target/bench/service.md`.
//!
//! The full run builds the artifact, then runs the bench: stateless `POST /v1/evaluate` of the
//! 30-learner preview request at 1, 16 and 64 clients, then the decision runs of
//! [`DECISION_RUNS`], each in a new server process, on a new SQLite ledger and on a throwaway
//! PostgreSQL cluster (`postgres::Cluster`; skipped, and said so, when PostgreSQL is not
//! installed). `--smoke` runs each for a few seconds (4 clients × 10 decisions), as
//! `cargo xtask test` does, so the bench and its checks cannot rot.

use std::fs;
use std::process::Command;

use serde_json::Value;

use crate::build_wasm::build_wasm;
use crate::command::{cargo, run};
use crate::postgres;
use crate::sizes::thousands;
use crate::Result;

const OUT: &str = "target/bench";

/// The decision runs of the full benchmark: 64 clients × 1,000 decisions in one organisation
/// (one sequence, one lock), then as many with each client in its own organisation (SQLite
/// still has one write lock for all; PostgreSQL locks an organisation's row).
const DECISION_RUNS: [(&str, [&str; 6]); 2] = [
    ("one", ["--clients", "64", "--decisions", "1000", "--orgs", "1"]),
    ("each", ["--clients", "64", "--decisions", "1000", "--orgs", "64"]),
];

pub fn run_service(options: &[&str]) -> Result {
    let smoke = match options {
        [] => false,
        ["--smoke"] => true,
        _ => return Err(format!("bench service: unexpected options `{}` (--smoke)", options.join(" "))),
    };
    if !smoke {
        build_wasm(false)?;
    }
    fs::create_dir_all(OUT).map_err(|e| format!("{OUT}: {e}"))?;
    let mut decisions = Vec::new();
    let evaluate = if smoke {
        let sqlite = bench("sqlite", &["--smoke"])?;
        decisions.push(sqlite.clone());
        sqlite
    } else {
        let mut first = None;
        for (name, args) in DECISION_RUNS {
            let extra: &[&str] = if first.is_none() { &[] } else { &["--no-evaluate"] };
            let figures = bench(&format!("sqlite-{name}"), &[&args[..], extra].concat())?;
            first.get_or_insert_with(|| figures.clone());
            decisions.push(figures);
        }
        first.unwrap_or_default()
    };
    match postgres::installed() {
        Some(_) => {
            let cluster = postgres::Cluster::start()?;
            let url = ["--database-url", cluster.url.as_str(), "--no-evaluate"];
            if smoke {
                decisions.push(bench("postgres", &[&url[..], &["--smoke"]].concat())?);
            } else {
                for (name, args) in DECISION_RUNS {
                    decisions.push(bench(&format!("postgres-{name}"), &[&args[..], &url[..]].concat())?);
                }
            }
        }
        None => println!("bench service: no PostgreSQL installed (`cargo xtask setup` installs it): SQLite only"),
    }
    let decisions: Vec<&Value> = decisions.iter().collect();
    let table = table(&evaluate, &decisions);
    println!("\n{table}");
    let path = format!("{OUT}/service.md");
    fs::write(&path, &table).map_err(|e| format!("{path}: {e}"))?;
    println!("bench service: written to {path}");
    Ok(())
}

/// Runs `host/benches/service.rs` with `args` and returns its figures (also kept in
/// `target/bench/service-<name>.json`).
fn bench(name: &str, args: &[&str]) -> Result<Value> {
    let json = format!("{OUT}/service-{name}.json");
    let _ = fs::remove_file(&json);
    // The bench runs in `host/`: it is given an absolute path.
    let absolute = std::env::current_dir().map_err(|e| e.to_string())?.join(&json);
    run(Command::new(cargo())
        .args(["bench", "-p", "laureate-host", "--bench", "service", "--", "--json"])
        .arg(&absolute)
        .args(args))?;
    let text = fs::read_to_string(&json).map_err(|e| format!("{json}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{json}: {e}"))
}

fn number(value: &Value) -> String {
    value.as_f64().map_or("n/a".into(), |n| thousands(n.round() as usize))
}

fn millis(value: &Value) -> String {
    value.as_f64().map_or("n/a".into(), |us| format!("{:.2} ms", us / 1e3))
}

fn cores(value: &Value) -> String {
    value.as_f64().map_or("n/a".into(), |c| format!("{c:.2}"))
}

/// The Markdown table of the stateless run (`evaluate`) and of each decision run.
fn table(evaluate: &Value, decisions: &[&Value]) -> String {
    let mut s = String::new();
    let mut line = |text: String| {
        s.push_str(&text);
        s.push('\n');
    };
    let smoke = if evaluate["smoke"].as_bool() == Some(true) { " --smoke" } else { "" };
    line(format!("## Service (`cargo xtask bench service{smoke}`)\n"));
    let workers = evaluate["workers"].as_u64().map_or("one per core".into(), |w| w.to_string());
    line(format!(
        "`laureate serve` on 127.0.0.1 ({} cores, `--workers` {workers}); the load generator in another process, {} tokio thread(s), each client one kept-alive connection, closed loop. CPU: cores used over the measured time (CPU seconds per second, from `/proc`); other processes' CPU is the machine's busy time less the server's, PostgreSQL's (its processes) and the load generator's.\n",
        evaluate["cores"], evaluate["generatorThreads"]
    ));
    if let Some(first) = evaluate["evaluate"].as_array().and_then(|runs| runs.first()) {
        line(format!(
            "### Stateless `POST /v1/evaluate`: the 30-learner preview request ({} bytes in, {} out)\n",
            number(&first["requestBytes"]),
            number(&first["answerBytes"])
        ));
        line(
            "| clients | seconds | requests/s | p50 | p99 | server CPU | load generator CPU | other processes' CPU |"
                .into(),
        );
        line("| --- | --- | --- | --- | --- | --- | --- | --- |".into());
        for run in evaluate["evaluate"].as_array().into_iter().flatten() {
            line(format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                run["clients"],
                run["seconds"],
                number(&run["perSec"]),
                millis(&run["p50Us"]),
                millis(&run["p99Us"]),
                cores(&run["serverCores"]),
                cores(&run["generatorCores"]),
                cores(&run["otherCores"])
            ));
        }
        line(String::new());
    }
    line("### Decisions: one new learner each, one award each, numbered from the organisation's sequence\n".into());
    line("| database | organisations | clients × decisions | seconds | awards/s | decisions/s | p50 | p99 | first tenth /s | last tenth /s | last answer | server CPU | PostgreSQL CPU | load generator CPU | other processes' CPU |".into());
    line("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |".into());
    for run in decisions {
        let d = &run["decisions"];
        let tenths = d["tenths"].as_array().cloned().unwrap_or_default();
        let tenth = |t: Option<&Value>| t.map_or("n/a".into(), |t| number(&t["perSec"]));
        line(format!(
            "| {} | {} | {} × {} | {} | {} | {} | {} | {} | {} | {} | {} bytes | {} | {} | {} | {} |",
            run["database"].as_str().unwrap_or("?"),
            d["orgs"],
            d["clients"],
            number(&d["decisionsEach"]),
            d["seconds"],
            number(&d["awardsPerSec"]),
            number(&d["decisionsPerSec"]),
            millis(&d["p50Us"]),
            millis(&d["p99Us"]),
            tenth(tenths.first()),
            tenth(tenths.last()),
            number(&d["lastAnswerBytes"]),
            cores(&d["serverCores"]),
            cores(&d["postgresCores"]),
            cores(&d["generatorCores"]),
            cores(&d["otherCores"])
        ));
    }
    line(String::new());
    let commit = &evaluate["sqliteCommit"];
    if let (Some(full), Some(normal)) = (commit["fullUs"].as_f64(), commit["normalUs"].as_f64()) {
        line(format!(
            "One SQLite transaction inserting a 4 KiB row beside the ledger (WAL), median: {:.2} ms with `synchronous=FULL` (the ledger's), {:.2} ms with `NORMAL`.\n",
            full / 1e3,
            normal / 1e3
        ));
    }
    line("A tenth: the tenth of the decisions that completed first or last, per second. Every run checked each organisation's record and certificate numbers in the answers and in the ledger: exactly 1 to its number of awards, each once.".into());
    s
}
