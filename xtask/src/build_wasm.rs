//! `cargo xtask build-wasm`: the npm package in `target/npm/laureate/`, one `laureate_bg.wasm`
//! for every runtime (wasm-bindgen's three targets, then wasm-opt), with its SHA-256.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::command::{cargo, run};
use crate::files::{hex, read, remove_dir, write};
use crate::npm_package;
use crate::sizes::size_line;
use crate::tools::{wasm_bindgen, WASM_OPT, WASM_TARGET};
use crate::Result;

/// wasm-bindgen's three outputs; their `_bg.wasm` must be byte-identical.
const BINDGEN_TARGETS: [&str; 3] = ["web", "nodejs", "bundler"];
/// Where the npm package is built; the host loads `laureate_bg.wasm` and its `.sha256` from here.
pub const PACKAGE_DIR: &str = "target/npm/laureate";

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
/// Rust flags of the package's wasm build only: LLVM inlines less, so the module fits its gzip
/// budget (200 KB when this was measured) without `opt-level = "s"`. Measured 2026-11 (gzip -9 after wasm-opt -O3; fuel
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

/// Builds the package; `measure` also reports the size at each wasm-opt level.
pub fn build_wasm(measure: bool) -> Result {
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
    npm_package::write_glue(staging, package)?;

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
