//! `cargo xtask build` (the npm package, then the host) and `cargo xtask demo` (setup, build, then
//! the demo report).

use std::process::Command;

use crate::build_wasm::build_wasm;
use crate::command::{cargo, run};
use crate::setup::setup;
use crate::Result;

/// The npm package, then `target/release/laureate`.
pub fn build() -> Result {
    build_wasm(false)?;
    run(Command::new(cargo()).args(["build", "--release", "-p", "laureate-host"]))
}

/// Installs, builds, then runs `target/release/laureate demo`.
pub fn demo() -> Result {
    setup()?;
    build()?;
    run(Command::new("target/release/laureate").arg("demo"))
}
