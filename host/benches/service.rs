//! `cargo bench -p laureate-host --bench service`: `laureate serve` under load over loopback
//! (BENCHMARKS.md, "Service"). `cargo xtask bench service` runs it and prints the table.
//!
//! The server is the `laureate` binary cargo builds beside this bench (the release settings),
//! started as its own process on `127.0.0.1:0` over a fresh database; the load generator is
//! this process, a tokio runtime of `--generator-threads` threads (default 1) whose clients each
//! keep one HTTP/1.1 connection alive and send their next request when the answer is read
//! (closed loop). Two measurements:
//!
//! - `evaluate`: `POST /v1/evaluate` of the 30-learner preview request (laureate-orggen's
//!   organisation of 30 contacts, seed 1, learner 0's first session alternately `present` and
//!   `absent`, as `host/benches/wasmtime.rs` sends it), for `--seconds` after a warm-up, at each
//!   client count of `--evaluate-clients`; every answer's status and length are checked, the
//!   first one byte for byte against the natively linked core.
//! - `decisions`: `--clients` clients each making `--decisions` decisions, client `c` for the
//!   `c % --orgs`-th of `--orgs` new organisations (default 1), each with the rulebook of the
//!   service's tests (one self-paced course numbered from one sequence); each decision is one new
//!   learner who completed it, so each awards one record. Then each organisation's record and
//!   certificate numbers, in the answers and in the ledger, must be exactly 1..=N, each once,
//!   and its sequence's next number N + 1 (the bench fails otherwise).
//!
//! For each, requests per second, p50 and p99 latency, and the CPU time over the measured
//! window (`/proc/<pid>/stat`) of the server process, of PostgreSQL's processes and of this
//! process, against the wall time, with the rest of the machine's (`/proc/stat`). On SQLite,
//! before the decisions, the time of one small transaction in the database's directory with the
//! ledger's `synchronous=FULL` and with `NORMAL` (the floor of one decision's commit, and its
//! sync's share).
//!
//! Options: `--smoke` (a few seconds: 4 clients × 10 decisions, 1 s of evaluate; the other
//! options override it), `--database-url URL` (default: `sqlite:` a new file in a temporary
//! directory; a PostgreSQL URL runs the same decisions against it, in new organisations),
//! `--clients C`, `--decisions D`, `--orgs K`, `--seconds S`, `--evaluate-clients 1,16,64`,
//! `--no-evaluate`, `--workers N` (the server's; default its own, one per core),
//! `--generator-threads N`, `--json PATH` (the figures, for `cargo xtask bench service`).
#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a benchmark stops at the first broken setup or wrong answer"
)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The rulebook of the service's tests: one self-paced course whose achievement is numbered
/// from `seq-1` as `CPR-<n>`.
const RULEBOOK: &str = r#"{"achievements": [{"id": "cpr", "name": "CPR", "sequence": "seq-1"}],
 "sequences": [{"id": "seq-1", "name": "CPR numbers", "eventFormat": "{{course.code}}-{{sequence_number}}"}],
 "courseTemplates": [{"id": "ct-1", "code": "CPR", "title": "CPR", "delivery": "self-paced", "achievements": [{"achievement": "cpr"}]}],
 "events": [{"id": "ev-a", "template": "ct-1", "start": "2026-02-01", "end": "2026-02-28"}]}"#;

struct Options {
    smoke: bool,
    database_url: Option<String>,
    clients: usize,
    decisions: usize,
    orgs: usize,
    seconds: f64,
    evaluate_clients: Vec<usize>,
    workers: Option<usize>,
    generator_threads: usize,
    json: Option<PathBuf>,
}

impl Options {
    fn parse() -> Options {
        let mut options = Options {
            smoke: false,
            database_url: None,
            clients: 64,
            decisions: 1_000,
            orgs: 1,
            seconds: 10.0,
            evaluate_clients: vec![1, 16, 64],
            workers: None,
            generator_threads: 1,
            json: None,
        };
        if std::env::args().any(|arg| arg == "--smoke") {
            options.smoke = true;
            (options.clients, options.decisions, options.seconds) = (4, 10, 1.0);
            options.evaluate_clients = vec![4];
        }
        let mut args = std::env::args().skip(1);
        let value = |name: &str, args: &mut dyn Iterator<Item = String>| {
            args.next().unwrap_or_else(|| panic!("{name} needs a value"))
        };
        while let Some(arg) = args.next() {
            let number = |text: String| text.parse::<usize>().unwrap_or_else(|_| panic!("{arg}: not a number: {text}"));
            match arg.as_str() {
                // `cargo bench` passes `--bench` to every bench binary.
                "--bench" => {}
                // Applied first (below), so that the other options override it.
                "--smoke" => {}
                "--database-url" => options.database_url = Some(value(&arg, &mut args)),
                "--clients" => options.clients = number(value(&arg, &mut args)),
                "--decisions" => options.decisions = number(value(&arg, &mut args)),
                "--orgs" => options.orgs = number(value(&arg, &mut args)).max(1),
                "--seconds" => options.seconds = value(&arg, &mut args).parse().expect("--seconds: a number"),
                "--evaluate-clients" => {
                    options.evaluate_clients = value(&arg, &mut args).split(',').map(|n| number(n.into())).collect();
                }
                "--no-evaluate" => options.evaluate_clients.clear(),
                "--workers" => options.workers = Some(number(value(&arg, &mut args))),
                "--generator-threads" => options.generator_threads = number(value(&arg, &mut args)).max(1),
                "--json" => options.json = Some(PathBuf::from(value(&arg, &mut args))),
                other => {
                    panic!("unexpected argument `{other}` (see the comment at the top of host/benches/service.rs)")
                }
            }
        }
        options
    }
}

fn main() {
    let options = Options::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.generator_threads)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let figures = runtime.block_on(run(&options));
    println!("BENCH_JSON {figures}");
    if let Some(path) = &options.json {
        std::fs::write(path, format!("{figures:#}\n")).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

async fn run(options: &Options) -> Value {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let database = match &options.database_url {
        Some(url) => url.clone(),
        None => format!("sqlite:{}", dir.path().join("ledger.db").display()),
    };
    let server = Server::start(&database, options.workers);
    println!("service bench: server pid {} on {} over {}", server.pid, server.addr, driver(&database));
    let mut evaluate = Vec::new();
    for &clients in &options.evaluate_clients {
        evaluate.push(evaluate_phase(&server, clients, options).await);
    }
    let commit = match database.starts_with("sqlite:") {
        true => sqlite_commit_floor(dir.path(), if options.smoke { 20 } else { 500 }).await,
        false => Value::Null,
    };
    let decisions = decision_phase(&server, options).await;
    server.stop();
    json!({
        "smoke": options.smoke,
        "database": driver(&database),
        "workers": options.workers,
        "generatorThreads": options.generator_threads,
        "cores": std::thread::available_parallelism().map_or(0, usize::from),
        "evaluate": evaluate,
        "sqliteCommit": commit,
        "decisions": decisions,
    })
}

/// `sqlite`, `postgres`, … : the URL's scheme (never the URL, which may hold a password).
fn driver(url: &str) -> String {
    url.split(':').next().unwrap_or_default().to_owned()
}

/// The `laureate serve` process, killed when dropped.
struct Server {
    child: Child,
    pid: u32,
    addr: String,
    database: String,
}

/// `laureate` with the artifact this bench found, and only warnings logged (a line per request
/// at `info` would be measured too).
fn laureate() -> Command {
    let wasm = laureate_host::artifact::locate(None)
        .unwrap_or_else(|e| panic!("{e}: build the artifact first (`cargo xtask build-wasm`)"));
    let mut command = Command::new(env!("CARGO_BIN_EXE_laureate"));
    command.env("LAUREATE_WASM", wasm).env("LAUREATE_LOG", "warn");
    command
}

impl Server {
    fn start(database: &str, workers: Option<usize>) -> Server {
        let mut command = laureate();
        command.args(["serve", "--database", database, "--listen", "127.0.0.1:0"]);
        if let Some(workers) = workers {
            command.args(["--workers", &workers.to_string()]);
        }
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().expect("start laureate serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read the address");
        let addr =
            line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        Server { pid: child.id(), child, addr: addr.to_owned(), database: database.to_owned() }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A new token of `role` for `org` (`laureate token create`).
    fn token(&self, org: &str, role: &str) -> String {
        let output = laureate()
            .args(["token", "create", "--database", &self.database, "--org", org, "--role", role])
            .output()
            .expect("run laureate token create");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("utf-8").trim().to_owned()
    }

    /// SIGTERM, then waits for the exit.
    fn stop(mut self) {
        Command::new("kill").args(["-TERM", &self.pid.to_string()]).status().expect("run kill");
        let status = self.child.wait().expect("wait for the server");
        assert!(status.success(), "laureate serve exited with {status}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One client's connection: a client with a single kept-alive connection.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .pool_idle_timeout(None)
        .tcp_nodelay(true)
        .build()
        .expect("an HTTP client")
}

/// CPU time in clock ticks: the server's, this process's, PostgreSQL's (every process named
/// `postgres`; none on SQLite, which runs in the server), and the machine's busy and total.
#[derive(Clone, Copy)]
struct Cpu {
    at: Instant,
    server: u64,
    generator: u64,
    postgres: u64,
    busy: u64,
    total: u64,
}

/// A process's name and its user + system CPU time in clock ticks (`/proc/<pid>/stat`).
fn process_cpu(pid: &str) -> (String, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let (name, rest) = stat.rsplit_once(')').unwrap_or_default();
    let name = name.split_once('(').map_or("", |(_, name)| name);
    // After the name's closing parenthesis: fields 3 onwards; utime and stime are 14 and 15.
    let fields: Vec<u64> = rest.split_whitespace().map(|f| f.parse().unwrap_or(0)).collect();
    (name.to_owned(), fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0))
}

impl Cpu {
    fn sample(server: u32) -> Cpu {
        let postgres = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                entry.file_name().to_str().filter(|n| n.bytes().all(|b| b.is_ascii_digit())).map(process_cpu)
            })
            .filter(|(name, _)| name == "postgres")
            .map(|(_, ticks)| ticks)
            .sum();
        let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
        let cpu: Vec<u64> = stat
            .lines()
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .skip(1)
            .map(|f| f.parse().unwrap_or(0))
            .collect();
        let total: u64 = cpu.iter().take(8).sum();
        let idle = cpu.get(3).copied().unwrap_or(0) + cpu.get(4).copied().unwrap_or(0);
        Cpu {
            at: Instant::now(),
            server: process_cpu(&server.to_string()).1,
            generator: process_cpu("self").1,
            postgres,
            busy: total - idle,
            total,
        }
    }

    /// The cores each used from `self` to `later` (CPU seconds per wall second), the cores the
    /// machine's other processes used, and the machine's busy share.
    fn since(&self, later: &Cpu) -> Value {
        let ticks = clock_ticks();
        let wall = later.at.duration_since(self.at).as_secs_f64();
        let cores = |a: u64, b: u64| round((b.saturating_sub(a)) as f64 / ticks / wall, 2);
        let total = later.total.saturating_sub(self.total).max(1) as f64;
        let ours = |cpu: &Cpu| cpu.server + cpu.generator + cpu.postgres;
        json!({
            "serverCores": cores(self.server, later.server),
            "generatorCores": cores(self.generator, later.generator),
            "postgresCores": cores(self.postgres, later.postgres),
            "otherCores": cores(ours(later) - ours(self), later.busy - self.busy),
            "machineBusy": round(later.busy.saturating_sub(self.busy) as f64 / total, 2),
        })
    }
}

/// `getconf CLK_TCK` (the unit of `/proc/<pid>/stat`'s times).
fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8_lossy(&out.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

fn round(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (x * scale).round() / scale
}

/// p50 and p99 (nearest rank) of latencies in microseconds.
fn percentiles(mut latencies: Vec<u64>) -> Value {
    latencies.sort_unstable();
    let rank = |p: f64| {
        let index = ((p * latencies.len() as f64).ceil() as usize).saturating_sub(1);
        latencies.get(index).copied().unwrap_or(0)
    };
    json!({ "p50Us": rank(0.50), "p99Us": rank(0.99), "maxUs": latencies.last().copied().unwrap_or(0) })
}

/// The 30-learner preview request, with learner 0's first session `present` and `absent`.
fn preview_requests() -> [Vec<u8>; 2] {
    let org = laureate_orggen::organisation(30, 1);
    let request = |status: &str| {
        let mut request = org.clone();
        request["evidence"]["learners"][0]["attendance"]["s1"] = json!(status);
        serde_json::to_vec(&request).expect("JSON")
    };
    [request("present"), request("absent")]
}

/// `clients` clients sending the preview request for a warm-up, then for `options.seconds`.
async fn evaluate_phase(server: &Server, clients: usize, options: &Options) -> Value {
    let requests = Arc::new(preview_requests());
    let answers = requests.each_ref().map(|r| laureate_core::call("evaluate", r));
    let warm_up = Duration::from_secs_f64(if options.smoke { 0.5 } else { 2.0 });
    let measured = Duration::from_secs_f64(options.seconds);
    let from = Instant::now() + warm_up;
    let until = from + measured;
    let url = server.url("/v1/evaluate");

    // The first answer, byte for byte.
    let first = client().post(&url).header("content-type", "application/json").body(requests[0].clone());
    let first = first.send().await.expect("send").bytes().await.expect("read");
    assert_eq!(first.as_ref(), answers[0].as_slice(), "POST /v1/evaluate answers the core's bytes");

    let lengths = answers.each_ref().map(Vec::len);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (requests, url) = (Arc::clone(&requests), url.clone());
        tasks.push(tokio::spawn(async move {
            let client = client();
            let mut latencies = Vec::new();
            let mut turn = c % 2;
            loop {
                let started = Instant::now();
                if started >= until {
                    return latencies;
                }
                turn ^= 1;
                let request = client.post(&url).header("content-type", "application/json").body(requests[turn].clone());
                let response = request.send().await.expect("send the request");
                assert_eq!(response.status().as_u16(), 200);
                let body = response.bytes().await.expect("read the answer");
                assert_eq!(body.len(), lengths[turn], "an answer of the expected length");
                if started >= from {
                    latencies.push(started.elapsed().as_micros() as u64);
                }
            }
        }));
    }
    tokio::time::sleep_until(from.into()).await;
    let before = Cpu::sample(server.pid);
    tokio::time::sleep_until(until.into()).await;
    let after = Cpu::sample(server.pid);
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("a client"));
    }
    let count = latencies.len();
    let per_sec = count as f64 / measured.as_secs_f64();
    let mut figures = json!({
        "clients": clients,
        "seconds": options.seconds,
        "requests": count,
        "perSec": per_sec.round(),
        "requestBytes": requests[0].len(),
        "answerBytes": answers[0].len(),
    });
    merge(&mut figures, percentiles(latencies));
    merge(&mut figures, before.since(&after));
    println!("service bench: evaluate, {clients} clients: {figures}");
    figures
}

fn merge(into: &mut Value, from: Value) {
    if let (Value::Object(into), Value::Object(from)) = (into, from) {
        into.extend(from);
    }
}

/// The median time of one SQLite transaction inserting a 4 KiB row, in a new database in
/// `dir` in WAL mode as the ledger is, with `synchronous=FULL` (the ledger's: the WAL is
/// synced at each commit) and with `NORMAL` (synced only at checkpoints), in microseconds: the
/// floor of one decision's commit on that file system, and what the sync costs of it.
async fn sqlite_commit_floor(dir: &Path, rounds: usize) -> Value {
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
    let mut figures = json!({});
    for (name, synchronous) in [("fullUs", SqliteSynchronous::Full), ("normalUs", SqliteSynchronous::Normal)] {
        let path = dir.join(format!("commit-probe-{name}.db"));
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(synchronous);
        let db = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.expect("a probe database");
        sqlx::query("CREATE TABLE probe (n INTEGER, payload TEXT)").execute(&db).await.expect("create");
        let payload = "x".repeat(4096);
        let mut times = Vec::with_capacity(rounds);
        for n in 0..rounds {
            let started = Instant::now();
            let mut tx = db.begin_with("BEGIN IMMEDIATE").await.expect("begin");
            sqlx::query("INSERT INTO probe VALUES ($1, $2)")
                .bind(n as i64)
                .bind(&payload)
                .execute(&mut *tx)
                .await
                .expect("insert");
            tx.commit().await.expect("commit");
            times.push(started.elapsed().as_micros() as u64);
        }
        db.close().await;
        times.sort_unstable();
        figures[name] = json!(times[times.len() / 2]);
    }
    println!("service bench: one SQLite transaction inserting 4 KiB (WAL), median: {figures}");
    figures
}

/// A decision for one new learner who completed the course.
fn decision(learner: &str) -> String {
    format!(
        r#"{{"asOf": "2026-03-10", "evidence": {{"learners": [{{"id": "L-{learner}", "contact": "C-{learner}", "event": "ev-a", "online": {{"progress": 100, "completedOn": "2026-03-01"}}}}]}}}}"#
    )
}

/// An organisation of the run: its id, its decisions' URL and a `decide` token.
#[derive(Clone)]
struct Org {
    id: String,
    url: String,
    token: String,
}

/// A new organisation with the rulebook.
async fn new_org(server: &Server, id: String) -> Org {
    let admin = server.token(&id, "admin");
    let put = client()
        .put(server.url(&format!("/v1/orgs/{id}/rulebook")))
        .header("authorization", format!("Bearer {admin}"))
        .header("content-type", "application/json")
        .body(format!(r#"{{"rulebook": {RULEBOOK}}}"#))
        .send()
        .await
        .expect("PUT the rulebook");
    assert_eq!(put.status().as_u16(), 200, "PUT rulebook");
    let token = server.token(&id, "decide");
    Org { url: server.url(&format!("/v1/orgs/{id}/decisions")), id, token }
}

/// What one client saw: per decision its completion time (since the start) and latency, and
/// the record and certificate numbers it was answered.
#[derive(Default)]
struct Decided {
    done: Vec<(Duration, u64)>,
    records: Vec<u64>,
    identifiers: Vec<u64>,
    answer_bytes: usize,
}

/// The `n` of each `<prefix><n>` in `values`.
fn numbers<'a>(values: impl Iterator<Item = Option<&'a str>>, prefix: &str) -> Vec<u64> {
    values
        .map(|text| {
            let text = text.unwrap_or_else(|| panic!("no {prefix}<n>"));
            text.strip_prefix(prefix).and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("not {prefix}<n>: {text}"))
        })
        .collect()
}

/// What the bench reads of a decision's answer (the rest, the outcomes and holdings, is
/// skipped unread).
#[derive(serde::Deserialize)]
struct DecisionAnswer {
    evaluation: Evaluation,
    records: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Evaluation {
    ok: EvaluationOk,
}

#[derive(serde::Deserialize)]
struct EvaluationOk {
    actions: Vec<Action>,
}

#[derive(serde::Deserialize)]
struct Action {
    action: String,
    identifier: Option<String>,
}

/// One client: `decisions` decisions for `org`, one after the other on one connection.
async fn one_client(org: Org, client_index: usize, decisions: usize, start: Instant) -> Decided {
    let client = client();
    let mut decided = Decided::default();
    for i in 0..decisions {
        let started = Instant::now();
        let request = client
            .post(&org.url)
            .header("authorization", format!("Bearer {}", org.token))
            .header("content-type", "application/json")
            .body(decision(&format!("{client_index}-{i}")));
        let response = request.send().await.expect("send the decision");
        let status = response.status().as_u16();
        let body = response.bytes().await.expect("read the answer");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        decided.done.push((start.elapsed(), started.elapsed().as_micros() as u64));
        decided.answer_bytes = body.len();
        let answer: DecisionAnswer = serde_json::from_slice(&body).expect("a decision's answer");
        let actions = answer.evaluation.ok.actions.iter();
        let issued = actions.filter(|a| a.action == "issue").map(|a| a.identifier.as_deref());
        decided.identifiers.extend(numbers(issued, "CPR-"));
        decided.records.extend(numbers(answer.records.iter().map(|r| Some(r.as_str())), "R-"));
    }
    decided
}

/// `options.clients` clients × `options.decisions` decisions, client `c` deciding for the
/// `c % options.orgs`-th of `options.orgs` new organisations; then every number is checked.
async fn decision_phase(server: &Server, options: &Options) -> Value {
    let run =
        format!("bench-{}-{}", std::process::id(), std::time::UNIX_EPOCH.elapsed().unwrap_or_default().as_millis());
    let mut orgs = Vec::new();
    for k in 0..options.orgs {
        orgs.push(new_org(server, format!("{run}-{k}")).await);
    }
    let start = Instant::now();
    let before = Cpu::sample(server.pid);
    let tasks: Vec<_> = (0..options.clients)
        .map(|c| tokio::spawn(one_client(orgs[c % orgs.len()].clone(), c, options.decisions, start)))
        .collect();
    let mut per_org: Vec<Decided> = orgs.iter().map(|_| Decided::default()).collect();
    let mut done = Vec::new();
    for (c, task) in tasks.into_iter().enumerate() {
        let decided = task.await.expect("a client");
        let org = &mut per_org[c % orgs.len()];
        done.extend(decided.done);
        org.records.extend(decided.records);
        org.identifiers.extend(decided.identifiers);
        org.answer_bytes = org.answer_bytes.max(decided.answer_bytes);
    }
    let after = Cpu::sample(server.pid);
    let elapsed = start.elapsed().as_secs_f64();
    let ledger = Ledger::open(&server.database).await;
    for (org, decided) in orgs.iter().zip(&per_org) {
        let awards = decided.records.len();
        check_numbers("the answers' record numbers", &decided.records, awards);
        check_numbers("the answers' certificate numbers", &decided.identifiers, awards);
        ledger.verify(&org.id, awards).await;
    }
    let awards: usize = per_org.iter().map(|d| d.records.len()).sum();
    println!("service bench: each of the {} organisations' ledgers holds records and certificate numbers 1 to its N, each once", orgs.len());

    done.sort_unstable();
    let total = done.len();
    let mut figures = json!({
        "clients": options.clients,
        "decisionsEach": options.decisions,
        "orgs": options.orgs,
        "decisions": total,
        "awards": awards,
        "seconds": round(elapsed, 2),
        "decisionsPerSec": (total as f64 / elapsed).round(),
        "awardsPerSec": (awards as f64 / elapsed).round(),
        "lastAnswerBytes": per_org.iter().map(|d| d.answer_bytes).max(),
        "tenths": tenths(&done),
        "verified": true,
    });
    merge(&mut figures, percentiles(done.iter().map(|d| d.1).collect()));
    merge(&mut figures, before.since(&after));
    println!("service bench: decisions: {figures}");
    figures
}

/// The run cut into ten equal runs of decisions in the order they completed: each one's
/// decisions per second and median latency (the ledger grows by one record per award).
fn tenths(done: &[(Duration, u64)]) -> Vec<Value> {
    let size = done.len().div_ceil(10).max(1);
    let mut previous = Duration::ZERO;
    done.chunks(size)
        .map(|chunk| {
            let end = chunk.last().map_or(previous, |d| d.0);
            let seconds = end.saturating_sub(previous).as_secs_f64().max(1e-9);
            previous = end;
            let mut latencies: Vec<u64> = chunk.iter().map(|d| d.1).collect();
            latencies.sort_unstable();
            json!({
                "decisions": chunk.len(),
                "perSec": (chunk.len() as f64 / seconds).round(),
                "p50Us": latencies[latencies.len() / 2],
            })
        })
        .collect()
}

/// `numbers` is exactly 1..=`count`, each once.
fn check_numbers(what: &str, numbers: &[u64], count: usize) {
    let set: BTreeSet<u64> = numbers.iter().copied().collect();
    assert_eq!(set.len(), numbers.len(), "{what}: a number handed out twice");
    assert_eq!(set, (1..=count as u64).collect(), "{what}: not 1..={count}");
}

/// The server's database, opened beside it to check what it stored.
enum Ledger {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Ledger {
    async fn open(database: &str) -> Ledger {
        match database.strip_prefix("sqlite:") {
            Some(path) => {
                let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path).read_only(true);
                Ledger::Sqlite(sqlx::SqlitePool::connect_with(options).await.expect("open the ledger"))
            }
            None => Ledger::Postgres(sqlx::PgPool::connect(database).await.expect("connect to the ledger")),
        }
    }

    /// The ledger holds exactly `count` records for `org`, numbered 1..=count, with certificate
    /// numbers CPR-1..=CPR-count, and the sequence's next number is count + 1.
    async fn verify(&self, org: &str, count: usize) {
        const RECORDS: &str = "SELECT number, identifier FROM records WHERE org = $1";
        const NEXT: &str = "SELECT next FROM sequence_state WHERE org = $1 AND sequence = 'seq-1'";
        let (rows, next): (Vec<(i64, Option<String>)>, i64) = match self {
            Ledger::Sqlite(db) => (
                sqlx::query_as(RECORDS).bind(org).fetch_all(db).await.expect("read the records"),
                sqlx::query_scalar(NEXT).bind(org).fetch_one(db).await.expect("read the sequence"),
            ),
            Ledger::Postgres(db) => (
                sqlx::query_as(RECORDS).bind(org).fetch_all(db).await.expect("read the records"),
                sqlx::query_scalar(NEXT).bind(org).fetch_one(db).await.expect("read the sequence"),
            ),
        };
        let record_numbers: Vec<u64> = rows.iter().map(|(n, _)| *n as u64).collect();
        check_numbers("the ledger's record numbers", &record_numbers, count);
        let identifiers = numbers(rows.iter().map(|(_, id)| id.as_deref()), "CPR-");
        check_numbers("the ledger's certificate numbers", &identifiers, count);
        assert_eq!(next, count as i64 + 1, "the sequence's next number");
    }
}
