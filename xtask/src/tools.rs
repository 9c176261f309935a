//! Where the tools `cargo xtask setup` installs are found, and the target they build for.

use std::path::PathBuf;

use crate::root;

/// The Rust target of the WebAssembly build.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Debian's Chromium, for the browser tests.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// binaryen's wasm-opt from the npm package (never Debian's: TOOLCHAIN.md).
pub const WASM_OPT: &str = "node_modules/binaryen/bin/wasm-opt";

/// The wasm-bindgen CLI installed in `.tools/`, at the version Cargo.lock pins.
pub fn wasm_bindgen() -> PathBuf {
    root().join(".tools/bin/wasm-bindgen")
}
