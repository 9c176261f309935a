//! Laureate's server host: runs the shipped WebAssembly artifact (the very bytes the npm package
//! ships) in wasmtime, behind the same API as the natively linked core.
//!
//! ```no_run
//! use laureate_host::Engine;
//!
//! // `--wasm`, `$LAUREATE_WASM`, or the workspace's target/npm/laureate/laureate_bg.wasm.
//! let engine = Engine::builder().fuel(5_000_000_000).locate(None)?;
//! let answer = engine.call("validate", br#"{"rulebook": {"achievements": []}}"#)?;
//! assert_eq!(answer, laureate_core::call("validate", br#"{"rulebook": {"achievements": []}}"#));
//! # Ok::<(), laureate_host::Error>(())
//! ```
//!
//! - [`Engine`] loads the artifact, checks its SHA-256 (`.sha256` file or
//!   [`EngineBuilder::expected_sha256`]) and ABI version, compiles it once (or loads it from the
//!   [`cache`]), then serves calls from any number of threads, each in a fresh instance from a
//!   pooling allocator, under [`ResourceLimits`]: memory, fuel and a wall-clock backstop.
//!   [`Engine::warm_instance`] keeps one instance for a thread's many calls ([`WarmInstance`]):
//!   no instantiation per call, and a heap that is already faulted in.
//! - [`Error`] is the crate's one error type, with stable kebab-case codes.
//! - [`Backend`] runs either the artifact or the native core; [`batch`] answers NDJSON with a
//!   worker pool; [`report`] renders evaluate answers for people.
//! - [`serve`] (feature `serve`, on by default): `laureate serve`, the HTTP service and its
//!   ledger (docs/server.md).

pub mod artifact;
pub mod backend;
pub mod batch;
pub mod cache;
mod engine;
mod error;
pub mod json;
pub mod report;
#[cfg(feature = "serve")]
pub mod serve;
mod warm;

pub use backend::{Backend, Session};
pub use engine::{CallStats, Engine, EngineBuilder, LoadInfo, ModuleSource, ResourceLimits, ABI_VERSION};
pub use error::{Error, Result};
pub use warm::WarmInstance;

/// The bundled example organisation's `evaluate` request (`examples/org/request.json`).
pub const DEMO_REQUEST: &str = include_str!("../../examples/org/request.json");

/// The README's Rust snippet, compiled and run as a doctest so the README stays true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
