//! The runtime limits every call runs under: linear memory, fuel and a wall-clock backstop.
//!
//! These are the host's limits on running the module. The core has its own
//! `laureate_core::Limits`, on the size and shape of the request text, which the module checks
//! inside the call.

use std::time::Duration;

/// Per-call resource limits. Every call runs under all three; the first one reached ends the call
/// with its typed [`Error`](crate::Error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceLimits {
    /// Linear memory cap, in bytes (`memory-limit`). Also bounds the request size.
    pub memory_bytes: usize,
    /// Deterministic work bound: wasmtime fuel, about one unit per wasm instruction executed
    /// (`fuel-exhausted`). The same request stops at the same point on every machine.
    pub fuel: u64,
    /// Wall-clock backstop (`timeout`), checked by epoch interruption every
    /// [`EngineBuilder::epoch_tick`](crate::EngineBuilder::epoch_tick).
    pub timeout: Duration,
}

impl ResourceLimits {
    /// 512 MiB of linear memory.
    pub const DEFAULT_MEMORY_BYTES: usize = 512 * 1024 * 1024;
    /// Ten billion units of fuel: seconds of work, far beyond any request the core accepts.
    pub const DEFAULT_FUEL: u64 = 10_000_000_000;
    /// Thirty seconds.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
}

impl Default for ResourceLimits {
    fn default() -> Self {
        ResourceLimits {
            memory_bytes: Self::DEFAULT_MEMORY_BYTES,
            fuel: Self::DEFAULT_FUEL,
            timeout: Self::DEFAULT_TIMEOUT,
        }
    }
}
