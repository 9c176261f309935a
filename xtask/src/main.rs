//! Laureate's build automation, in the cargo-xtask convention: `cargo xtask <task>`.
//!
//! Every task runs from the repository root and prints each command before running it. Tools
//! the project needs are installed by `setup` into folders the project controls (`.tools/`,
//! `node_modules/`) or from Debian's packages; nothing else is downloaded.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use sha2::{Digest, Sha256};

mod bench;
mod fuzz;
mod fuzz_seeds;
mod gen_org;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  setup                    install the tools (idempotent): the wasm32 target, wasm-bindgen-cli
                           into .tools/, npm dev dependencies (npm ci), Debian's chromium
  build-wasm [--measure]   build the npm package target/npm/laureate/ (one laureate_bg.wasm for
                           every runtime); --measure compares wasm-opt levels
  build                    build-wasm, then the host (target/release/laureate)
  demo                     setup, build, then `target/release/laureate demo`
  gen-org [--contacts N | --size small|medium|large] [--seed S] [--out FILE]
                           write a generated organisation's evaluate request (default: small,
                           seed 1, standard output); the same arguments give the same bytes
  bench [--quick|--smoke]  every benchmark (criterion native + wasmtime, Node, peer engines,
                           memory, size) and a summary table (BENCHMARKS.md); --smoke runs each
                           once on small organisations (part of `test`)
  fuzz <target|all> [--seconds N]
                           run cargo-fuzz targets (call, format, differential) on nightly, N
                           seconds each (default 600); docs/fuzzing.md
  fuzz-seeds               write the fuzzers' seed corpora from tests/conformance and tests/hostile
  test                     every check, in order, stopping at the first failure
  ci                       exactly what .ci/run runs (= test)";

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// wasm-bindgen's three outputs; their `_bg.wasm` must be byte-identical.
const BINDGEN_TARGETS: [&str; 3] = ["web", "nodejs", "bundler"];
/// Where the npm package is built; the host loads `laureate_bg.wasm` and its `.sha256` from here.
const PACKAGE_DIR: &str = "target/npm/laureate";

/// The wasm-opt level the package ships, chosen with `cargo xtask build-wasm --measure`
/// (wasm-opt 132 from npm, after wasm-bindgen 0.2.130; Rust 1.95 with `opt-level = 3`, LTO,
/// one codegen unit; names and producers stripped). Measured 2026-11-23 on the core as it stood
/// then; speed is the raw ABI in Node 20 over the whole conformance corpus (153 cases), best of
/// 5 runs of 20 passes, in two sessions on a busy 2-core machine (so about ±15 %):
///
/// | wasm-opt | raw bytes | gzip -9 bytes | µs per case |
/// | --- | --- | --- | --- |
/// | none (wasm-bindgen's output, names kept) | 698,165 | 242,193 | 18–22 |
/// | -O2 | 612,131 | 225,310 | 17–20 |
/// | -O3 | 606,535 | 227,351 | 17–25 |
/// | -Oz | 601,009 | 226,963 | 20–26 |
///
/// The three levels are within 2 % of each other in size, raw and gzipped, and -Oz is the
/// slowest; -O2 and -O3 tie within the noise. The package uses `-O3`: speed is what pays for the
/// host, which runs this file in wasmtime on every call, and -O3 is the level that aims at it.
/// Measure again (`--measure`) when the core has grown.
const WASM_OPT_LEVEL: &str = "-O3";
/// Rust flags of the package's wasm build only: LLVM inlines less, so the module fits the 200 KB
/// (gzip) budget without `opt-level = "s"`. Measured 2026-11 (gzip -9 after wasm-opt -O3; fuel
/// of the demo `evaluate` in wasmtime, a deterministic instruction count):
///
/// | build | gzip | demo fuel |
/// | --- | --- | --- |
/// | opt-level 3, default inlining | 214,646 | 3,772,792 |
/// | opt-level 3, inline threshold 80 | 199,949 | 3,839,476 (+2 %) |
/// | **opt-level 3, inline threshold 50** | **197,513** | **4,079,480 (+8 %)** |
/// | opt-level "s" | 205,987 | 4,565,960 (+21 %) |
/// | opt-level "z" | 192,591 | 5,614,245 (+49 %) |
const WASM_RUSTFLAGS: &str = "-C llvm-args=--inline-threshold=50";
/// The features rustc enables by default for wasm32-unknown-unknown; wasm-opt must accept
/// them and introduce no others.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if let Err(error) = env::set_current_dir(root()) {
        eprintln!("xtask: cannot enter the repository root: {error}");
        return ExitCode::FAILURE;
    }
    let result = match args.as_slice() {
        ["setup"] => setup(),
        ["build-wasm"] => build_wasm(false),
        ["build-wasm", "--measure"] => build_wasm(true),
        ["build"] => build(),
        ["demo"] => demo(),
        ["gen-org", options @ ..] => gen_org::run(options),
        ["fuzz-seeds"] => fuzz_seeds::run(),
        ["fuzz", options @ ..] => fuzz::run_targets(options),
        ["bench", options @ ..] => bench::run_all(options),
        ["test"] | ["ci"] => test(),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown task `{}`\n\n{USAGE}", args.join(" "))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root: the parent of this crate's folder.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

// ---------------------------------------------------------------------------------------------
// setup

fn setup() -> Result {
    println!("setup: the {WASM_TARGET} target");
    let targets = stdout(Command::new("rustup").args(["target", "list", "--installed"]))?;
    if targets.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("  already installed");
    } else {
        run(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
    }

    let version = locked_version("wasm-bindgen")?;
    println!("setup: wasm-bindgen-cli {version} (the wasm-bindgen version in Cargo.lock) in .tools/");
    let wanted = format!("wasm-bindgen {version}");
    match Command::new(wasm_bindgen()).arg("--version").output() {
        Ok(out) if out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == wanted => {
            println!("  already installed");
        }
        _ => {
            // No `--locked`: the registry mirror lacks a crate version the CLI's lockfile pins.
            run(Command::new(cargo()).args([
                "install",
                "wasm-bindgen-cli",
                "--version",
                &version,
                "--root",
                ".tools",
            ]))?;
        }
    }

    println!("setup: npm dev dependencies (npm ci, from package-lock.json)");
    let lock = fs::read("package-lock.json").map_err(|e| format!("cannot read package-lock.json: {e}"))?;
    let stamp_path = Path::new("node_modules/.laureate-lock.sha256");
    let stamp = hex(&Sha256::digest(&lock));
    if fs::read_to_string(stamp_path).is_ok_and(|old| old == stamp) && Path::new(WASM_OPT).exists() {
        println!("  node_modules matches package-lock.json");
    } else {
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]))?;
        fs::write(stamp_path, stamp).map_err(|e| format!("cannot write {}: {e}", stamp_path.display()))?;
    }

    println!("setup: Debian's chromium and chromium-driver (browser tests)");
    if Path::new(CHROMIUM).exists() && Path::new("/usr/bin/chromedriver").exists() {
        println!("  already installed");
    } else {
        let sudo = !stdout(Command::new("id").arg("-u")).is_ok_and(|uid| uid.trim() == "0");
        let apt = |args: &[&str]| {
            let mut command = if sudo { Command::new("sudo") } else { Command::new("apt-get") };
            if sudo {
                command.arg("apt-get");
            }
            command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            run(&mut command)
        };
        apt(&["update"])?;
        apt(&["install", "-y", "--no-install-recommends", "chromium", "chromium-driver"])?;
    }
    Ok(())
}

/// The version Cargo.lock pins for the package `name` (the only one of that name).
fn locked_version(name: &str) -> Result<String> {
    let lock = fs::read_to_string("Cargo.lock").map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut versions = lock.split("[[package]]").filter_map(|block| {
        let mut lines = block.lines().map(str::trim);
        let first = lines.find(|line| !line.is_empty())?;
        (first == format!("name = \"{name}\"")).then_some(())?;
        let version = lines.find_map(|line| line.strip_prefix("version = \""))?;
        Some(version.trim_end_matches('"').to_string())
    });
    match (versions.next(), versions.next()) {
        (Some(version), None) => Ok(version),
        (None, _) => Err(format!("Cargo.lock has no `{name}`: run `cargo metadata` or a build first")),
        (Some(_), Some(_)) => Err(format!("Cargo.lock has more than one version of `{name}`")),
    }
}

// ---------------------------------------------------------------------------------------------
// build-wasm

const CHROMIUM: &str = "/usr/bin/chromium";
const WASM_OPT: &str = "node_modules/binaryen/bin/wasm-opt";

fn wasm_bindgen() -> PathBuf {
    root().join(".tools/bin/wasm-bindgen")
}

fn build_wasm(measure: bool) -> Result {
    for (tool, path) in [("wasm-bindgen", wasm_bindgen()), ("wasm-opt", PathBuf::from(WASM_OPT))] {
        if !path.exists() {
            return Err(format!("{tool} is missing ({}): run `cargo xtask setup`", path.display()));
        }
    }
    // Two builds at once (two engineers, or a test beside a build) would write the same folders:
    // the second waits for the first.
    fs::create_dir_all("target/npm").map_err(|e| format!("cannot create target/npm: {e}"))?;
    let lock = fs::File::create("target/npm/.build.lock").map_err(|e| format!("cannot create the build lock: {e}"))?;
    lock.lock().map_err(|e| format!("cannot lock target/npm/.build.lock: {e}"))?;
    run(Command::new(cargo())
        .args(["build", "-p", "laureate-wasm", "--release", "--target", WASM_TARGET])
        .env("RUSTFLAGS", WASM_RUSTFLAGS))?;
    let cargo_wasm = PathBuf::from(format!("target/{WASM_TARGET}/release/laureate_wasm.wasm"));

    // wasm-bindgen once per target, each into its own folder.
    let staging = Path::new("target/npm/staging");
    remove_dir(staging)?;
    for target in BINDGEN_TARGETS {
        let out = staging.join(target);
        run(Command::new(wasm_bindgen())
            .args(["--target", target, "--out-name", "laureate", "--out-dir"])
            .arg(&out)
            .arg(&cargo_wasm))?;
    }
    let bound = read(&staging.join("web/laureate_bg.wasm"))?;
    for target in BINDGEN_TARGETS {
        if read(&staging.join(target).join("laureate_bg.wasm"))? != bound {
            return Err(format!("wasm-bindgen's `--target {target}` wrote a different laureate_bg.wasm than `--target web`: the package needs one artifact for every runtime"));
        }
    }
    println!("  the three laureate_bg.wasm are byte-identical");

    // The package: one laureate_bg.wasm beside each target's glue, renamed so they coexist.
    // It is assembled beside the old one and swapped in at the end, so that a reader (the
    // host's tests) never sees half a package.
    let package = Path::new("target/npm/laureate.partial");
    remove_dir(package)?;
    fs::create_dir_all(package).map_err(|e| format!("cannot create {}: {e}", package.display()))?;
    let glue = |target: &str, file: &str| read_text(&staging.join(target).join(file));
    let self_types = "/* @ts-self-types=\"./laureate.d.ts\" */";
    let retype = |text: String, to: &str| -> Result<String> {
        match text.matches(self_types).count() {
            1 => Ok(text.replace(self_types, to)),
            n => Err(format!("expected one `{self_types}` in wasm-bindgen's glue, found {n}")),
        }
    };
    // Every declaration file imports and re-exports the request and answer types generated from
    // the core (`cargo test -p laureate-core --features ts --test typescript` keeps that file
    // current); wasm-bindgen's own raw-export types get `unknown` for its `any`.
    let types = glue("web", "laureate.d.ts")?;
    if !types.contains(TYPES_IMPORT) {
        return Err(format!("wasm-bindgen's laureate.d.ts does not import `{TYPES_IMPORT}` (wasm/src/js.rs)"));
    }
    write(&package.join(TYPES_FILE), read_text(&Path::new("wasm/types").join(TYPES_FILE))?)?;
    let glue_types = |target: &str, file: &str| glue(target, file).map(|text| no_any(&text));
    write(&package.join("web.js"), retype(glue("web", "laureate.js")?, "/* @ts-self-types=\"./web.d.ts\" */")?)?;
    write(&package.join("web.d.ts"), glue_types("web", "laureate.d.ts")?)?;
    write(
        &package.join("bundler.js"),
        retype(glue("bundler", "laureate.js")?, "/* @ts-self-types=\"./bundler.d.ts\" */")?,
    )?;
    write(&package.join("laureate_bg.js"), glue("bundler", "laureate_bg.js")?)?;
    write(&package.join("bundler.d.ts"), glue_types("bundler", "laureate.d.ts")?)?;
    let node_cjs = retype(glue("nodejs", "laureate.js")?, "// wasm-bindgen's Node.js build; import `./node.js`")?;
    write(&package.join("node.js"), node_entry(&node_cjs)?)?;
    write(&package.join("node.cjs"), node_cjs)?;
    write(&package.join("node.d.ts"), format!("{}{NODE_INIT_TYPES}", glue_types("nodejs", "laureate.d.ts")?))?;
    write(&package.join("laureate_bg.wasm.d.ts"), glue_types("web", "laureate_bg.wasm.d.ts")?)?;
    for file in [TYPES_FILE, "web.d.ts", "bundler.d.ts", "node.d.ts", "laureate_bg.wasm.d.ts"] {
        if let Some(line) = any_line(&read_text(&package.join(file))?) {
            return Err(format!("{file} uses `any`, which the package's types never do: `{}`", line.trim()));
        }
    }
    write(&package.join("package.json"), package_json())?;
    write(&package.join("README.md"), read_text(Path::new("wasm/README.md"))?)?;

    let shipped = package.join("laureate_bg.wasm");
    wasm_opt(WASM_OPT_LEVEL, &staging.join("web/laureate_bg.wasm"), &shipped)?;
    let wasm = read(&shipped)?;
    let digest = hex(&Sha256::digest(&wasm));
    // 64 lowercase hex digits, no newline.
    write(&package.join("laureate_bg.wasm.sha256"), digest.clone())?;
    remove_dir(Path::new(PACKAGE_DIR))?;
    fs::rename(package, PACKAGE_DIR).map_err(|e| format!("cannot move the package to {PACKAGE_DIR}: {e}"))?;

    println!("\nwasm sizes, bytes (raw / gzip -9):");
    size_line("cargo build (release)", &read(&cargo_wasm)?);
    size_line("wasm-bindgen", &bound);
    size_line(&format!("wasm-opt {WASM_OPT_LEVEL} (shipped)"), &wasm);
    if measure {
        for level in ["-O2", "-O3", "-Oz"] {
            let out = staging.join(format!("measure{level}.wasm"));
            wasm_opt(level, &staging.join("web/laureate_bg.wasm"), &out)?;
            size_line(&format!("wasm-opt {level}"), &read(&out)?);
        }
    }
    println!("\n{PACKAGE_DIR}/laureate_bg.wasm sha256 {digest}");
    Ok(())
}

/// Runs binaryen's wasm-opt (the npm package's, never Debian's) at `level`.
fn wasm_opt(level: &str, input: &Path, output: &Path) -> Result {
    run(Command::new("node")
        .arg(WASM_OPT)
        .arg(level)
        .args(WASM_FEATURES)
        .args(["--strip-debug", "--strip-producers"])
        .arg(input)
        .arg("-o")
        .arg(output))
}

/// The request and answer types generated from the core, shipped beside the declarations.
const TYPES_FILE: &str = "laureate-types.d.ts";
/// How wasm/src/js.rs's declarations import them.
const TYPES_IMPORT: &str = "from \"./laureate-types.js\"";

/// wasm-bindgen's declarations with `unknown` for its `any` (the raw exports' `externref`
/// parameters, `(a: any) => …`): the same for a caller, and nothing in the package is `any`.
fn no_any(declarations: &str) -> String {
    declarations.replace(": any", ": unknown")
}

/// The first line of TypeScript `declarations` that names the type `any` (comments aside).
fn any_line(declarations: &str) -> Option<&str> {
    declarations.lines().find(|line| {
        let code = line.trim_start();
        !code.starts_with("//")
            && !code.starts_with('*')
            && !code.starts_with("/*")
            && code.split(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '$').any(|word| word == "any")
    })
}

fn size_line(label: &str, bytes: &[u8]) {
    println!("  {label:<30} {:>11} / {:>9}", thousands(bytes.len()), thousands(gzip_size(bytes)));
}

/// The size of `bytes` after gzip -9 (0 if compression fails).
fn gzip_size(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).and_then(|()| encoder.finish()).map(|gz| gz.len()).unwrap_or(0)
}

/// `1234567` as `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The Node.js entry point: an ES module over wasm-bindgen's CommonJS build, re-exporting every
/// name that build exports, plus a no-op `init` so code written for the web build runs as is.
fn node_entry(node_cjs: &str) -> Result<String> {
    let names: Vec<&str> = node_cjs
        .lines()
        .filter_map(|line| line.strip_prefix("exports.")?.split_once(" = ").map(|(name, _)| name))
        .collect();
    if names.is_empty() {
        return Err("found no `exports.NAME = ` line in wasm-bindgen's Node.js glue".into());
    }
    Ok(format!(
        "// The Node.js entry point of `laureate`: an ES module over wasm-bindgen's CommonJS build,\n\
         // which loads laureate_bg.wasm synchronously when imported.\n\
         import laureate from \"./node.cjs\";\n\n\
         export const {{ {} }} = laureate;\n\n\
         /** Nothing to do in Node.js (the module is ready when imported); kept so that code written\n * \
         for the web build (`await init()`) runs unchanged. */\n\
         export default async function init() {{}}\n\n\
         /** See `init`. */\n\
         export function initSync() {{}}\n",
        names.join(", ")
    ))
}

const NODE_INIT_TYPES: &str = "
/** Nothing to do in Node.js (the module is ready when imported); kept so that code written for the web build runs unchanged. */
export default function init(): Promise<void>;
/** See `init`. */
export function initSync(): void;
";

fn package_json() -> String {
    let version = env!("CARGO_PKG_VERSION");
    format!(
        r#"{{
  "name": "laureate",
  "version": "{version}",
  "description": "Laureate's rules engine for learning achievements and certifications, as one WebAssembly module for browsers, bundlers and Node.js",
  "license": "Apache-2.0",
  "type": "module",
  "exports": {{
    ".": {{
      "node": {{ "types": "./node.d.ts", "default": "./node.js" }},
      "browser": {{ "types": "./web.d.ts", "default": "./web.js" }},
      "default": {{ "types": "./web.d.ts", "default": "./web.js" }}
    }},
    "./web": {{ "types": "./web.d.ts", "default": "./web.js" }},
    "./node": {{ "types": "./node.d.ts", "default": "./node.js" }},
    "./bundler": {{ "types": "./bundler.d.ts", "default": "./bundler.js" }},
    "./laureate_bg.wasm": "./laureate_bg.wasm",
    "./laureate_bg.wasm.sha256": "./laureate_bg.wasm.sha256",
    "./package.json": "./package.json"
  }},
  "types": "./web.d.ts",
  "files": [
    "laureate_bg.wasm",
    "laureate_bg.wasm.sha256",
    "laureate_bg.wasm.d.ts",
    "laureate_bg.js",
    "laureate-types.d.ts",
    "web.js",
    "web.d.ts",
    "node.js",
    "node.cjs",
    "node.d.ts",
    "bundler.js",
    "bundler.d.ts",
    "README.md"
  ],
  "sideEffects": ["./node.js", "./node.cjs", "./bundler.js"],
  "engines": {{ "node": ">=20" }}
}}
"#
    )
}

// ---------------------------------------------------------------------------------------------
// build, demo

fn build() -> Result {
    build_wasm(false)?;
    run(Command::new(cargo()).args(["build", "--release", "-p", "laureate-host"]))
}

fn demo() -> Result {
    setup()?;
    build()?;
    run(Command::new("target/release/laureate").arg("demo"))
}

// ---------------------------------------------------------------------------------------------
// test

type Step = (&'static str, fn() -> Result);

/// Every check, in the order a failure is cheapest to find.
const STEPS: &[Step] = &[
    ("setup", setup),
    ("cargo fmt --all --check", || run(Command::new(cargo()).args(["fmt", "--all", "--check"]))),
    ("cargo clippy --workspace --all-targets -- -D warnings", || {
        run(Command::new(cargo()).args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
    }),
    ("cargo clippy -p laureate-core --all-targets --features ts -- -D warnings", || {
        run(Command::new(cargo()).args([
            "clippy",
            "-p",
            "laureate-core",
            "--all-targets",
            "--features",
            "ts",
            "--",
            "-D",
            "warnings",
        ]))
    }),
    ("cargo clippy --target wasm32-unknown-unknown -p laureate-core -p laureate-wasm -- -D warnings", || {
        run(Command::new(cargo()).args([
            "clippy",
            "--target",
            WASM_TARGET,
            "-p",
            "laureate-core",
            "-p",
            "laureate-wasm",
            "--",
            "-D",
            "warnings",
        ]))
    }),
    ("cargo test -p laureate-core", || run(Command::new(cargo()).args(["test", "-p", "laureate-core"]))),
    ("cargo build -p laureate-core --target wasm32-unknown-unknown", || {
        run(Command::new(cargo()).args(["build", "-p", "laureate-core", "--target", WASM_TARGET]))
    }),
    ("cargo xtask build-wasm", || build_wasm(false)),
    ("cargo test -p laureate-core --features ts --test typescript (wasm/types/ matches the Rust types)", || {
        run(Command::new(cargo()).args(["test", "-p", "laureate-core", "--features", "ts", "--test", "typescript"]))
    }),
    ("tsc -p tests/typescript; node tests/typescript/corpus.mjs (the package's declarations, type-checked)", || {
        run(Command::new("node").args(["node_modules/typescript/bin/tsc", "-p", "tests/typescript"]))?;
        run(Command::new("node").arg("tests/typescript/corpus.mjs"))
    }),
    ("node --test tests/node/ (corpus through the JS API and the raw ABI)", || {
        run(Command::new("node").args(["--test", "tests/node/"]))
    }),
    ("node --test tests/browser/ (corpus in headless Chromium)", || {
        run(Command::new("node").args(["--test", "tests/browser/"]))
    }),
    ("cargo test --release -p laureate-host", || {
        run(Command::new(cargo()).args(["test", "--release", "-p", "laureate-host"]))
    }),
    (
        "benchmarks once each, small (criterion test mode, profiling examples, Node --quick, peer agreement)",
        bench::smoke,
    ),
    ("node --test tests/examples/ (README snippets, browser preview, Node, Python plugin, Rust server)", || {
        run(Command::new(cargo()).args(["build", "--release", "-p", "laureate-host"]))?;
        run(Command::new("node").args(["--test", "tests/examples/"]))
    }),
];

fn test() -> Result {
    let total = STEPS.len();
    let started = Instant::now();
    for (index, (name, step)) in STEPS.iter().enumerate() {
        let number = index + 1;
        println!("\n==> step {number}/{total}: {name}");
        let step_started = Instant::now();
        if let Err(error) = step() {
            eprintln!("\nFAILED at step {number}/{total}: {name}\n  {error}");
            let not_run = total - number;
            println!("{index} passed, 1 failed, {not_run} skipped");
            return Err(format!("step {number}/{total} failed: {name}"));
        }
        println!("==> ok: {name} ({:.1} s)", step_started.elapsed().as_secs_f64());
    }
    println!("\nall {total} steps passed in {:.0} s", started.elapsed().as_secs_f64());
    println!("{total} passed, 0 failed");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// helpers

/// The cargo that runs this task (so nested builds use the same toolchain).
fn cargo() -> String {
    env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Prints and runs `command`, failing when it cannot start or exits unsuccessfully.
fn run(command: &mut Command) -> Result {
    let shown = show(command);
    println!("$ {shown}");
    let status = command.status().map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    match status.success() {
        true => Ok(()),
        false => Err(format!("`{shown}` failed ({status})")),
    }
}

/// Runs `command` quietly and returns its standard output.
fn stdout(command: &mut Command) -> Result<String> {
    let shown = show(command);
    let out = command.output().map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    match out.status.success() {
        true => Ok(String::from_utf8_lossy(&out.stdout).into_owned()),
        false => Err(format!("`{shown}` failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim())),
    }
}

fn show(command: &Command) -> String {
    let mut shown = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    shown
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn read_text(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result {
    fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn remove_dir(path: &Path) -> Result {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", path.display())),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}
