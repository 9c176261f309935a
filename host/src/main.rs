//! `laureate`: the engine on the command line (spec.md §12 "The command line").

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use laureate_host::backend::operation_from_kebab;
use laureate_host::{batch, json, report, Backend, Engine, ModuleSource, ResourceLimits};

const AFTER_HELP: &str = "\
Exit status: 0 when the answer is `ok`, 1 when it is an `error` answer (for `batch`: when any \
line's is), 2 for a usage error (bad arguments, an unreadable FILE, no usable wasm artifact).

The wasm artifact is `--wasm PATH`, else $LAUREATE_WASM, else target/npm/laureate/laureate_bg.wasm \
of the cargo workspace around the current directory or this executable (build it with \
`cargo xtask build`). Compiled modules are cached in $LAUREATE_CACHE_DIR, else the user's cache \
directory.";

#[derive(Parser)]
#[command(name = "laureate", version, about = "Laureate's rules engine for learning achievements, on the command line", after_help = AFTER_HELP)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Global {
    /// Run the wasm artifact in wasmtime (default) or the natively linked core
    #[arg(long, value_enum, default_value_t = EngineKind::Wasm, global = true)]
    engine: EngineKind,
    /// The wasm artifact to run
    #[arg(long, value_name = "PATH", global = true)]
    wasm: Option<PathBuf>,
    /// Require the artifact's SHA-256 to be this (hex)
    #[arg(long, value_name = "HEX", global = true)]
    sha256: Option<String>,
    /// Pretty-print JSON output (member order is kept)
    #[arg(long, global = true)]
    pretty: bool,
    /// Directory for compiled modules
    #[arg(long, value_name = "DIR", global = true)]
    cache_dir: Option<PathBuf>,
    /// Compile the artifact without reading or writing the module cache
    #[arg(long, global = true)]
    no_cache: bool,
    /// Fuel per call (deterministic work bound)
    #[arg(long, value_name = "UNITS", global = true, default_value_t = ResourceLimits::DEFAULT_FUEL)]
    fuel: u64,
    /// Linear memory cap per call, in MiB
    #[arg(long, value_name = "MIB", global = true, default_value_t = ResourceLimits::DEFAULT_MEMORY_BYTES / (1024 * 1024))]
    memory_limit: usize,
    /// Wall-clock limit per call, in seconds
    #[arg(long, value_name = "SECONDS", global = true, default_value_t = ResourceLimits::DEFAULT_TIMEOUT.as_secs_f64())]
    timeout: f64,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EngineKind {
    /// The shipped wasm artifact in wasmtime
    Wasm,
    /// laureate-core linked into this binary
    Native,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate a request: outcomes, paths, certifications, holdings, actions
    Evaluate {
        /// The request (`-` for standard input)
        file: PathBuf,
        /// Print the outcomes, then the accounts, as tables instead of JSON
        #[arg(long)]
        table: bool,
    },
    /// Validate a rulebook
    Validate {
        /// The request (`-` for standard input)
        file: PathBuf,
    },
    /// Format one identifier
    FormatIdentifier {
        /// The request (`-` for standard input)
        file: PathBuf,
    },
    /// Where each qualification code is used
    CodeUsage {
        /// The request (`-` for standard input)
        file: PathBuf,
    },
    /// Rename a qualification code
    RenameCode {
        /// The request (`-` for standard input)
        file: PathBuf,
    },
    /// Compare two evidences against one rulebook: what changing `before` into `after` would do
    /// (a `compare` request)
    Compare {
        /// The request (`-` for standard input)
        file: PathBuf,
    },
    /// Read a training-record CSV file: its records, deletions and bad rows (the
    /// `importTrainingRecords` envelope)
    ImportTrainingRecords {
        /// The CSV file, UTF-8 (`-` for standard input)
        file: PathBuf,
        /// The contacts by contact id, a JSON object (`{"C1": {"name": "Ada Lovelace"}}`): a Name
        /// cell is a contact's name or id
        #[arg(long, value_name = "FILE")]
        contacts: Option<PathBuf>,
    },
    /// Write training records as CSV: prints the CSV text of an `exportTrainingRecords` request
    /// (the error envelope when it is refused)
    ExportTrainingRecords {
        /// The request (`-` for standard input)
        file: PathBuf,
    },
    /// Answer NDJSON requests (`{"operation", "request"}` per line), in input order, on all cores
    Batch {
        /// NDJSON input (standard input when absent or `-`)
        file: Option<PathBuf>,
        /// Worker threads (default: one per core)
        #[arg(long, short = 'j', value_name = "N")]
        jobs: Option<usize>,
        /// Never show a progress bar (it is shown only when stderr is a terminal)
        #[arg(long)]
        no_progress: bool,
    },
    /// Evaluate the bundled example organisation and print a report
    Demo {
        /// Print the raw answer instead of the report
        #[arg(long)]
        json: bool,
    },
    /// Load the artifact and print what was loaded and how long it took
    Info,
    /// Run the HTTP service and its ledger (docs/server.md); stops on SIGTERM or ctrl-c
    #[cfg(feature = "serve")]
    Serve {
        /// The ledger's database: `sqlite:PATH` (created on first start)
        #[arg(long, value_name = "URL")]
        database: String,
        /// The address to listen on
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Engine workers, each with a warm instance (default: one per core)
        #[arg(long, value_name = "N")]
        workers: Option<usize>,
        /// Seconds a client has to send a request body before it is answered 408
        #[arg(long, value_name = "SECONDS", default_value_t = 30)]
        body_timeout: u64,
    },
    /// Manage the service's bearer tokens
    #[cfg(feature = "serve")]
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Measure loading and per-call times, wasm against native
    Bench {
        /// Calls per measurement
        #[arg(long, default_value_t = 200)]
        calls: usize,
    },
}

#[cfg(feature = "serve")]
#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token (and the organisation if it is new); prints only the token
    Create {
        /// The ledger's database: `sqlite:PATH`
        #[arg(long, value_name = "URL")]
        database: String,
        /// The organisation the token is for
        #[arg(long)]
        org: String,
        /// `read`, `decide`, `correct` or `admin` (each includes the ones before it)
        #[arg(long)]
        role: String,
        /// Refuse the token from this many days on (default: accepted until revoked)
        #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=36_500))]
        expires_in: Option<u32>,
    },
    /// Revoke a token: it is refused from now on; prints nothing
    Revoke {
        /// The ledger's database: `sqlite:PATH` or `postgres://…`
        #[arg(long, value_name = "URL")]
        database: String,
        /// The token's id (`tok-…`, as `laureate token list` shows it)
        #[arg(long)]
        id: String,
    },
    /// List an organisation's tokens, one line each: id, role, created, expires, revoked
    List {
        /// The ledger's database: `sqlite:PATH` or `postgres://…`
        #[arg(long, value_name = "URL")]
        database: String,
        /// The organisation whose tokens to list
        #[arg(long)]
        org: String,
    },
}

/// A failure before any answer: exit 2.
struct Usage(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(Usage(message)) => {
            eprintln!("laureate: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Usage> {
    let g = &cli.global;
    match &cli.command {
        Command::Evaluate { file, table } => {
            let request = read_request(file)?;
            let answer = backend(g)?.answer("evaluate", &request);
            if *table {
                let value: serde_json::Value = serde_json::from_slice(&answer).unwrap_or_default();
                if let Some(table) = report::outcomes_table(&value) {
                    print!("{table}");
                    return Ok(ExitCode::SUCCESS);
                }
            }
            print_answer(g, &answer)
        }
        Command::Validate { file }
        | Command::FormatIdentifier { file }
        | Command::CodeUsage { file }
        | Command::RenameCode { file }
        | Command::Compare { file } => {
            let operation =
                operation_from_kebab(command_name(&cli.command)).ok_or_else(|| Usage("unknown operation".into()))?;
            let request = read_request(file)?;
            print_answer(g, &backend(g)?.answer(operation, &request))
        }
        Command::ImportTrainingRecords { file, contacts } => {
            let request = import_request(file, contacts.as_deref())?;
            print_answer(g, &backend(g)?.answer("importTrainingRecords", &request))
        }
        Command::ExportTrainingRecords { file } => {
            let answer = backend(g)?.answer("exportTrainingRecords", &read_request(file)?);
            let exported = serde_json::from_slice::<serde_json::Value>(&answer)
                .ok()
                .and_then(|value| value.pointer("/ok/csv").and_then(|csv| csv.as_str().map(str::to_owned)));
            match exported {
                Some(csv) => {
                    let mut stdout = std::io::stdout().lock();
                    let _ = stdout.write_all(csv.as_bytes()).and_then(|()| stdout.flush());
                    Ok(ExitCode::SUCCESS)
                }
                None => print_answer(g, &answer),
            }
        }
        Command::Batch { file, jobs, no_progress } => run_batch(g, file.as_deref(), *jobs, *no_progress),
        Command::Demo { json } => {
            let backend = backend(g)?;
            let answer = backend.answer("evaluate", laureate_host::DEMO_REQUEST.as_bytes());
            if *json {
                return print_answer(g, &answer);
            }
            let request: serde_json::Value = serde_json::from_str(laureate_host::DEMO_REQUEST)
                .map_err(|e| Usage(format!("the bundled request: {e}")))?;
            let value: serde_json::Value = serde_json::from_slice(&answer).unwrap_or_default();
            print!("{}", report::demo_report(&request, &value, &describe(&backend)));
            Ok(exit_for(&answer))
        }
        Command::Bench { calls } => bench(g, *calls),
        #[cfg(feature = "serve")]
        Command::Serve { database, listen, workers, body_timeout } => {
            let workers = workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
            let backend = backend_with(g, Some(workers))?;
            laureate_host::serve::init_logging();
            let options = laureate_host::serve::ServeOptions {
                database: database.clone(),
                listen: *listen,
                workers,
                body_timeout: std::time::Duration::from_secs((*body_timeout).max(1)),
            };
            laureate_host::serve::serve(&options, backend).map_err(|e| Usage(e.to_string()))?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "serve")]
        Command::Token { command } => run_token(command),
        Command::Info => {
            let backend = backend(g)?;
            println!("{}", describe(&backend));
            if let Backend::Wasm(engine) = &backend {
                let info = engine.info();
                let limits = engine.limits();
                println!(
                    "artifact      {}",
                    info.path.as_deref().map_or("(bytes)".into(), |p| p.display().to_string())
                );
                println!("sha256        {}", info.sha256);
                println!("size          {} bytes", info.size);
                println!("module        {} in {:.2?}", source_name(info.source), info.module_time);
                println!("load          {:.2?} (read, hash, module, link, abi check)", info.load_time);
                println!(
                    "cache         {}",
                    info.cache_path.as_deref().map_or("disabled".into(), |p| p.display().to_string())
                );
                if let Some(e) = &info.cache_error {
                    println!("cache error   {e}");
                }
                println!(
                    "wasmtime      {} ({})",
                    laureate_host::cache::WASMTIME_VERSION,
                    laureate_host::cache::WASMTIME_FEATURES
                );
                println!(
                    "limits        {} MiB memory, {} fuel, {:?} per call",
                    limits.memory_bytes / (1024 * 1024),
                    limits.fuel,
                    limits.timeout
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `laureate token create | revoke | list`.
#[cfg(feature = "serve")]
fn run_token(command: &TokenCommand) -> Result<ExitCode, Usage> {
    use laureate_host::serve;
    let usage = |e: serve::ServeError| Usage(e.to_string());
    match command {
        TokenCommand::Create { database, org, role, expires_in } => {
            let role = serve::ledger::Role::parse(role)
                .ok_or_else(|| Usage(format!("unknown role `{role}` (read, decide, correct or admin)")))?;
            println!("{}", serve::create_token(database, org, role, *expires_in).map_err(usage)?);
        }
        TokenCommand::Revoke { database, id } => serve::revoke_token(database, id).map_err(usage)?,
        TokenCommand::List { database, org } => {
            let none = |at: &Option<String>| at.clone().unwrap_or_else(|| "-".into());
            let mut out = std::io::stdout().lock();
            for token in serve::list_tokens(database, org).map_err(usage)? {
                let line = [token.id, token.role, token.created_at, none(&token.expires_at), none(&token.revoked_at)];
                writeln!(out, "{}", line.join("\t")).map_err(|e| Usage(format!("cannot write: {e}")))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The demo's evidence compared with itself with its first learner absent from every session:
/// both evidences of `compare` evaluated, beside one `evaluate` of the demo.
fn demo_compare_request() -> Vec<u8> {
    let demo: serde_json::Value = serde_json::from_str(laureate_host::DEMO_REQUEST).unwrap_or_default();
    let mut after = demo["evidence"].clone();
    if let Some(attendance) = after["learners"][0]["attendance"].as_object_mut() {
        for status in attendance.values_mut() {
            *status = serde_json::json!("absent");
        }
    }
    let request = serde_json::json!({"asOf": demo["asOf"], "rulebook": demo["rulebook"], "before": demo["evidence"], "after": after});
    serde_json::to_vec(&request).unwrap_or_default()
}

fn bench(g: &Global, calls: usize) -> Result<ExitCode, Usage> {
    use std::time::Instant;
    let calls = calls.max(1);
    let path = laureate_host::artifact::locate(g.wasm.as_deref()).map_err(|e| Usage(format!("{e} [{}]", e.code())))?;
    let usage = |e: laureate_host::Error| Usage(format!("{e} [{}]", e.code()));
    let compiled = Engine::builder().no_cache().load_path(&path).map_err(usage)?;
    let cache_dir = std::env::temp_dir().join(format!("laureate-bench-{}", std::process::id()));
    Engine::builder().cache_dir(&cache_dir).load_path(&path).map_err(usage)?;
    let cached = Engine::builder().cache_dir(&cache_dir).load_path(&path).map_err(usage)?;
    let _ = std::fs::remove_dir_all(&cache_dir);
    println!("artifact      {} ({} bytes)", path.display(), compiled.info().size);
    println!(
        "compile       {:.1?} (module), {:.1?} (whole load)",
        compiled.info().module_time,
        compiled.info().load_time
    );
    println!("from cache    {:.2?} (module), {:.2?} (whole load)", cached.info().module_time, cached.info().load_time);

    let engine = cached;
    let small = br#"{"rulebook": {"achievements": [{"id": "bls", "name": "Basic Life Support"}]}}"#;
    let demo = laureate_host::DEMO_REQUEST.as_bytes();
    println!("\nper call, mean of {calls} (one thread)");
    let started = Instant::now();
    for _ in 0..calls {
        engine.abi_version().map_err(usage)?;
    }
    println!(
        "  {:<17} wasm {:>9.1?}  (a fresh instance and one trivial call)",
        "instantiate",
        started.elapsed() / calls as u32
    );
    let compare = demo_compare_request();
    for (label, operation, request) in [
        ("validate (small)", "validate", &small[..]),
        ("evaluate (demo)", "evaluate", demo),
        ("compare (demo)", "compare", &compare[..]),
    ] {
        let started = Instant::now();
        let mut fuel = 0;
        for _ in 0..calls {
            let (_, stats) = engine.call_stats(operation, request, engine.limits()).map_err(usage)?;
            fuel = stats.fuel_used;
        }
        let wasm = started.elapsed() / calls as u32;
        let started = Instant::now();
        for _ in 0..calls {
            std::hint::black_box(laureate_core::call(operation, request));
        }
        let native = started.elapsed() / calls as u32;
        println!(
            "  {label:<17} wasm {wasm:>9.1?}  native {native:>9.1?}  ({:.1}x, {fuel} fuel)",
            wasm.as_secs_f64() / native.as_secs_f64().max(1e-12)
        );
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..calls {
                    let _ = engine.call("evaluate", demo);
                }
            });
        }
    });
    let elapsed = started.elapsed();
    println!(
        "\nthroughput    {:.0} demo evaluations/s on {threads} threads (one shared engine)",
        (threads * calls) as f64 / elapsed.as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Evaluate { .. } => "evaluate",
        Command::Validate { .. } => "validate",
        Command::FormatIdentifier { .. } => "format-identifier",
        Command::CodeUsage { .. } => "code-usage",
        Command::RenameCode { .. } => "rename-code",
        Command::Compare { .. } => "compare",
        Command::ImportTrainingRecords { .. } => "import-training-records",
        Command::ExportTrainingRecords { .. } => "export-training-records",
        Command::Batch { .. } => "batch",
        Command::Demo { .. } => "demo",
        Command::Info => "info",
        Command::Bench { .. } => "bench",
        #[cfg(feature = "serve")]
        Command::Serve { .. } => "serve",
        #[cfg(feature = "serve")]
        Command::Token { .. } => "token",
    }
}

fn backend(g: &Global) -> Result<Backend, Usage> {
    backend_with(g, None)
}

/// [`backend`] with `concurrency` instance slots (the engine's default when `None`).
fn backend_with(g: &Global, concurrency: Option<usize>) -> Result<Backend, Usage> {
    if g.engine == EngineKind::Native {
        return Ok(Backend::Native);
    }
    if !(g.timeout.is_finite() && g.timeout > 0.0) {
        return Err(Usage("`--timeout` must be a positive number of seconds".into()));
    }
    let mut builder = Engine::builder()
        .fuel(g.fuel)
        .memory_limit(g.memory_limit.saturating_mul(1024 * 1024))
        .timeout(Duration::from_secs_f64(g.timeout));
    if let Some(hex) = &g.sha256 {
        builder = builder.expected_sha256(hex.clone());
    }
    if let Some(concurrency) = concurrency {
        builder = builder.max_concurrency(concurrency);
    }
    if g.no_cache {
        builder = builder.no_cache();
    } else if let Some(dir) = &g.cache_dir {
        builder = builder.cache_dir(dir.clone());
    }
    builder.locate(g.wasm.as_deref()).map(Backend::Wasm).map_err(|e| Usage(format!("{e} [{}]", e.code())))
}

fn describe(backend: &Backend) -> String {
    match backend {
        Backend::Native => "the native core".to_owned(),
        Backend::Wasm(engine) => {
            let info = engine.info();
            let name = info
                .path
                .as_deref()
                .and_then(Path::file_name)
                .map_or("wasm".into(), |n| n.to_string_lossy().into_owned());
            format!(
                "wasmtime: {name} (sha256 {}…), module {} in {:.1?}",
                &info.sha256[..12],
                source_name(info.source),
                info.module_time
            )
        }
    }
}

fn source_name(source: ModuleSource) -> &'static str {
    match source {
        ModuleSource::Compiled => "compiled",
        ModuleSource::Cache => "loaded from cache",
    }
}

fn read_request(file: &Path) -> Result<Vec<u8>, Usage> {
    if file == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map_err(|e| Usage(format!("cannot read standard input: {e}")))?;
        return Ok(bytes);
    }
    std::fs::read(file).map_err(|e| Usage(format!("cannot read `{}`: {e}", file.display())))
}

/// The `importTrainingRecords` request of a CSV file (which must be UTF-8) and, optionally, a
/// JSON file of contacts.
fn import_request(file: &Path, contacts: Option<&Path>) -> Result<Vec<u8>, Usage> {
    let csv = String::from_utf8(read_request(file)?).map_err(|e| {
        Usage(format!(
            "`{}` is not UTF-8 text (byte {}): save it as CSV in UTF-8",
            file.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    let mut request = serde_json::Map::new();
    request.insert("csv".into(), serde_json::Value::String(csv));
    if let Some(path) = contacts {
        let text = read_request(path)?;
        let contacts: serde_json::Value =
            serde_json::from_slice(&text).map_err(|e| Usage(format!("`{}` is not JSON: {e}", path.display())))?;
        request.insert("contacts".into(), contacts);
    }
    serde_json::to_vec(&request).map_err(|e| Usage(format!("the request: {e}")))
}

fn print_answer(g: &Global, answer: &[u8]) -> Result<ExitCode, Usage> {
    let mut stdout = std::io::stdout().lock();
    let mut text = if g.pretty {
        json::pretty(answer)
    } else {
        let mut text = Vec::with_capacity(answer.len() + 1);
        text.extend_from_slice(answer);
        text
    };
    // One write that ends in the newline: stdout's line buffering looks for the last newline
    // from the end, so it finds it at once (the answer written alone, it searched all of it).
    text.push(b'\n');
    // A closed pipe is not worth a panic; the exit code still tells the answer's kind.
    let _ = stdout.write_all(&text).and_then(|()| stdout.flush());
    Ok(exit_for(answer))
}

fn exit_for(answer: &[u8]) -> ExitCode {
    match json::answer_is_ok(answer) {
        Some(true) => ExitCode::SUCCESS,
        _ => ExitCode::from(1),
    }
}

fn run_batch(g: &Global, file: Option<&Path>, jobs: Option<usize>, no_progress: bool) -> Result<ExitCode, Usage> {
    let backend = backend(g)?;
    let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let (input, size): (Box<dyn std::io::BufRead + Send>, Option<u64>) = match file {
        None => (Box::new(std::io::BufReader::new(std::io::stdin())), None),
        Some(path) if path == Path::new("-") => (Box::new(std::io::BufReader::new(std::io::stdin())), None),
        Some(path) => {
            let f = std::fs::File::open(path).map_err(|e| Usage(format!("cannot read `{}`: {e}", path.display())))?;
            let size = f.metadata().ok().map(|m| m.len());
            (Box::new(std::io::BufReader::new(f)), size)
        }
    };
    let show = !no_progress && std::io::stderr().is_terminal();
    let bar = Bar::new(show, size);
    let stdout = std::io::stdout().lock();
    let output = std::io::BufWriter::new(stdout);
    let summary = batch::run(&backend, input, output, jobs, &bar).map_err(|e| Usage(format!("batch: {e}")))?;
    bar.finish(&summary);
    Ok(if summary.errors == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The progress bar of `batch`, drawn on stderr.
struct Bar {
    bar: Option<indicatif::ProgressBar>,
    by_bytes: bool,
    errors: std::sync::atomic::AtomicUsize,
}

impl Bar {
    fn new(show: bool, size: Option<u64>) -> Bar {
        use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
        if !show {
            return Bar { bar: None, by_bytes: false, errors: Default::default() };
        }
        let (bar, by_bytes) = match size {
            Some(size) => {
                let bar = ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr());
                let style = ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} ({eta}) {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
                (bar.with_style(style), true)
            }
            None => {
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                let style = ProgressStyle::with_template("{spinner} {pos} answered {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner());
                (bar.with_style(style), false)
            }
        };
        Bar { bar: Some(bar), by_bytes, errors: Default::default() }
    }

    fn finish(&self, summary: &batch::Summary) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
            eprintln!("laureate: {} answers, {} ok, {} errors", summary.answers, summary.ok, summary.errors);
        }
    }
}

impl batch::Progress for Bar {
    fn answered(&self, bytes: u64, ok: bool) {
        let Some(bar) = &self.bar else { return };
        bar.inc(if self.by_bytes { bytes } else { 1 });
        if !ok {
            let errors = self.errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            bar.set_message(format!("{errors} errors"));
        }
    }

    fn skipped(&self, bytes: u64) {
        if let (Some(bar), true) = (&self.bar, self.by_bytes) {
            bar.inc(bytes);
        }
    }
}
