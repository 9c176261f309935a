//! One interface over the two ways to run the engine: the wasm artifact in wasmtime, or the
//! core linked natively. Both give the same bytes for the same request.

use crate::engine::Engine;
use crate::error::Result;
use crate::warm::WarmInstance;

/// The operations of spec.md §2: (CLI kebab-case name, core operation name).
pub const OPERATIONS: [(&str, &str); 8] = [
    ("evaluate", "evaluate"),
    ("validate", "validate"),
    ("format-identifier", "formatIdentifier"),
    ("code-usage", "codeUsage"),
    ("rename-code", "renameCode"),
    ("import-training-records", "importTrainingRecords"),
    ("export-training-records", "exportTrainingRecords"),
    ("compare", "compare"),
];

/// The core's operation name for a kebab-case one (`code-usage` → `codeUsage`); `None` when it is
/// not one of [`OPERATIONS`].
pub fn operation_from_kebab(name: &str) -> Option<&'static str> {
    OPERATIONS.iter().find(|(kebab, _)| *kebab == name).map(|(_, core)| *core)
}

/// Runs the engine either in wasmtime or natively.
#[derive(Debug, Clone)]
pub enum Backend {
    /// The shipped artifact in wasmtime.
    Wasm(Engine),
    /// `laureate_core::call`, linked into this binary.
    Native,
}

impl Backend {
    /// Runs `operation` (the core's name) on `request` and returns the answer envelope.
    pub fn call(&self, operation: &str, request: &[u8]) -> Result<Vec<u8>> {
        match self {
            Backend::Wasm(engine) => engine.call(operation, request),
            Backend::Native => Ok(laureate_core::call(operation, request)),
        }
    }

    /// [`call`](Backend::call), turning a host error into an answer envelope
    /// ([`Error::to_envelope`](crate::Error::to_envelope)).
    pub fn answer(&self, operation: &str, request: &[u8]) -> Vec<u8> {
        self.call(operation, request).unwrap_or_else(|e| e.to_envelope())
    }

    /// `wasm` or `native`.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Wasm(_) => "wasm",
            Backend::Native => "native",
        }
    }

    /// The backend for one thread's many calls: in wasmtime, a [`WarmInstance`] (holding one of
    /// the engine's pool slots until the session is dropped).
    pub fn session(&self) -> Session {
        match self {
            Backend::Wasm(engine) => Session::Wasm(Box::new(engine.warm_instance())),
            Backend::Native => Session::Native,
        }
    }
}

/// A [`Backend`] held by one thread ([`Backend::session`]): the same answers, with the wasm
/// instance kept from call to call.
#[derive(Debug)]
pub enum Session {
    /// A warm instance of the shipped artifact.
    Wasm(Box<WarmInstance>),
    /// `laureate_core::call`, linked into this binary.
    Native,
}

impl Session {
    /// Runs `operation` (the core's name) on `request` and returns the answer envelope.
    pub fn call(&mut self, operation: &str, request: &[u8]) -> Result<Vec<u8>> {
        match self {
            Session::Wasm(instance) => instance.call(operation, request),
            Session::Native => Ok(laureate_core::call(operation, request)),
        }
    }

    /// [`call`](Session::call), also returning the wasm fuel the call used (`None` natively,
    /// where there is no fuel).
    pub fn call_measured(&mut self, operation: &str, request: &[u8]) -> Result<(Vec<u8>, Option<u64>)> {
        match self {
            Session::Wasm(instance) => {
                instance.call_measured(operation, request).map(|(answer, stats)| (answer, Some(stats.fuel_used)))
            }
            Session::Native => Ok((laureate_core::call(operation, request), None)),
        }
    }

    /// [`call`](Session::call), turning a host error into an answer envelope.
    pub fn answer(&mut self, operation: &str, request: &[u8]) -> Vec<u8> {
        self.call(operation, request).unwrap_or_else(|e| e.to_envelope())
    }
}
