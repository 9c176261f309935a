//! The crate's one error type.

use std::path::PathBuf;
use std::time::Duration;

/// Everything that can go wrong in the host: loading the artifact, or running one call.
///
/// These are failures of the *host*, never answers of the engine: a bad request comes back from
/// [`Engine::call`](crate::Engine::call) as an `{"error": ...}` envelope in `Ok`. Each variant has
/// a stable kebab-case [`code`](Error::code). After a call fails with any of them the
/// [`Engine`](crate::Engine) keeps serving: every call runs in a fresh instance.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No artifact at the given path, or none found by [`crate::artifact::locate`].
    #[error("no laureate wasm artifact found (looked at {}); run `cargo xtask build` to build `target/npm/laureate/laureate_bg.wasm`, or pass `--wasm PATH` / set `LAUREATE_WASM`", display_paths(searched))]
    ArtifactNotFound {
        /// Every place that was looked at, in order.
        searched: Vec<PathBuf>,
    },

    /// The artifact (or its `.sha256` file) exists but could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    ArtifactUnreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },

    /// The artifact's SHA-256 is not the expected one (from its `.sha256` file or the caller).
    #[error("artifact SHA-256 is `{actual}` but `{expected}` was expected{}", from.as_ref().map(|p| format!(" (from `{}`)", p.display())).unwrap_or_default())]
    ArtifactHashMismatch {
        /// The expected hex digest.
        expected: String,
        /// The artifact's hex digest.
        actual: String,
        /// The `.sha256` file the expectation came from, if any.
        from: Option<PathBuf>,
    },

    /// The module does not implement the raw ABI this host speaks (spec.md §11).
    #[error("abi mismatch: {detail}")]
    AbiMismatch {
        /// What is wrong (a missing export, a wrong signature, another `laureate_abi_version`).
        detail: String,
    },

    /// wasmtime could not compile (or validate) the module.
    #[error("cannot compile the artifact: {message}")]
    Compile {
        /// wasmtime's message.
        message: String,
    },

    /// The compiled-module cache could not be used. Never returned by [`Engine`](crate::Engine)
    /// loading (a broken cache only costs a recompilation); returned by cache maintenance.
    #[error("module cache `{}`: {source}", path.display())]
    Cache {
        /// The cache file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },

    /// The wasmtime engine could not be configured (e.g. the pooling allocator could not reserve
    /// its address space).
    #[error("cannot set up wasmtime: {message}")]
    Setup {
        /// wasmtime's message.
        message: String,
    },

    /// A fresh instance could not be created for a call.
    #[error("cannot instantiate the module: {message}")]
    Instantiate {
        /// wasmtime's message.
        message: String,
    },

    /// The call used up its fuel (the deterministic work bound).
    #[error("the call ran out of fuel (budget {fuel})")]
    FuelExhausted {
        /// The budget the call had.
        fuel: u64,
    },

    /// The call tried to grow linear memory beyond its cap (or the request does not fit).
    #[error("the call needed more than its {limit_bytes}-byte memory limit")]
    MemoryLimit {
        /// The cap in bytes.
        limit_bytes: usize,
    },

    /// The call ran past its wall-clock backstop.
    #[error("the call ran past its {timeout:?} time limit")]
    Timeout {
        /// The limit the call had.
        timeout: Duration,
    },

    /// The module trapped (a bug in the module, never expected for any input).
    #[error("the module trapped: {message}")]
    Trap {
        /// wasmtime's description of the trap.
        message: String,
    },

    /// The module broke the raw ABI during a call (an answer outside its memory, not UTF-8, ...).
    #[error("the module broke the raw abi: {detail}")]
    BadAnswer {
        /// What was wrong.
        detail: String,
    },
}

impl Error {
    /// The stable kebab-case code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::ArtifactNotFound { .. } => "artifact-not-found",
            Error::ArtifactUnreadable { .. } => "artifact-unreadable",
            Error::ArtifactHashMismatch { .. } => "artifact-hash-mismatch",
            Error::AbiMismatch { .. } => "abi-mismatch",
            Error::Compile { .. } => "compile-failed",
            Error::Cache { .. } => "cache",
            Error::Setup { .. } => "setup-failed",
            Error::Instantiate { .. } => "instantiate-failed",
            Error::FuelExhausted { .. } => "fuel-exhausted",
            Error::MemoryLimit { .. } => "memory-limit",
            Error::Timeout { .. } => "timeout",
            Error::Trap { .. } => "trap",
            Error::BadAnswer { .. } => "bad-answer",
        }
    }

    /// Whether this is a per-call resource limit (`fuel-exhausted`, `memory-limit`, `timeout`).
    pub fn is_limit(&self) -> bool {
        matches!(self, Error::FuelExhausted { .. } | Error::MemoryLimit { .. } | Error::Timeout { .. })
    }

    /// This error as an answer envelope of spec.md §2, for surfaces that must answer with one
    /// (the CLI, batch lines): limits become `limit-exceeded`, anything else `internal`. The
    /// message starts with this error's [`code`](Error::code).
    pub fn to_envelope(&self) -> Vec<u8> {
        let code = if self.is_limit() { "limit-exceeded" } else { "internal" };
        crate::json::error_envelope(code, &format!("{}: {}", self.code(), self), "")
    }
}

fn display_paths(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return "nowhere: no cargo workspace contains the current directory or this executable".to_owned();
    }
    paths.iter().map(|p| format!("`{}`", p.display())).collect::<Vec<_>>().join(", ")
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
