//! `cargo xtask fuzz <target|all> [--seconds N]`: runs cargo-fuzz targets (docs/fuzzing.md) on
//! nightly Rust, each for N seconds (default 600), on its committed corpus.

use std::process::Command;

use crate::build_wasm::build_wasm;
use crate::command::run;
use crate::Result;

/// (target, fuzz crate folder, extra `cargo fuzz run` options).
const TARGETS: [(&str, &str, &[&str]); 3] = [
    ("call", "core", &[]),
    ("format", "core", &[]),
    // Sanitizers off: wasmtime under AddressSanitizer is slow and the target compares answers.
    ("differential", "host", &["-s", "none"]),
];

pub fn run_targets(options: &[&str]) -> Result {
    let (which, rest) = options.split_first().ok_or("fuzz: name a target (call, format, differential) or `all`")?;
    let seconds = match rest {
        [] => 600,
        ["--seconds", n] => n.parse().map_err(|_| format!("fuzz: `{n}` is not a number of seconds"))?,
        _ => return Err(format!("fuzz: unexpected options `{}`", rest.join(" "))),
    };
    let chosen: Vec<_> = TARGETS.iter().filter(|(name, _, _)| *which == "all" || name == which).collect();
    if chosen.is_empty() {
        return Err(format!("fuzz: unknown target `{which}` (call, format, differential or all)"));
    }
    if chosen.iter().any(|(name, _, _)| *name == "differential") {
        build_wasm(false)?;
    }
    for (name, dir, extra) in chosen {
        run(Command::new("cargo")
            .current_dir(dir)
            .args(["+nightly", "fuzz", "run"])
            .args(*extra)
            .arg(name)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .args(["-timeout=30", "-rss_limit_mb=4096", "-print_final_stats=1"]))?;
    }
    Ok(())
}
