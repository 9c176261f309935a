//! `cargo xtask setup`: installs the tools the other tasks need, each only when it is missing.

use std::fs;
use std::path::Path;
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::command::{cargo, run, stdout};
use crate::files::hex;
use crate::postgres;
use crate::tools::{wasm_bindgen, CHROMIUM, WASM_OPT, WASM_TARGET};
use crate::Result;

/// Installs the wasm32 target, wasm-bindgen-cli, the npm dev dependencies, Chromium and
/// PostgreSQL.
pub fn setup() -> Result {
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
        apt_install(&["chromium", "chromium-driver"])?;
    }

    println!("setup: Debian's postgresql (the service's tests against PostgreSQL)");
    match postgres::installed() {
        Some(bin) => println!("  already installed ({})", bin.display()),
        None => apt_install(&["postgresql"])?,
    }
    Ok(())
}

/// `apt-get update`, then `apt-get install` of `packages` (through sudo unless this is root).
fn apt_install(packages: &[&str]) -> Result {
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
    apt(&[&["install", "-y", "--no-install-recommends"], packages].concat())
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
