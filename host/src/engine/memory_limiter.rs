//! The store's memory limiter, which remembers whether it refused to grow a memory.

use wasmtime::{ResourceLimiter, StoreLimits, StoreLimitsBuilder};

/// [`StoreLimits`] that remembers whether it refused to grow a memory, so that the trap that
/// follows (Rust aborts when an allocation fails) is reported as `memory-limit`.
pub(super) struct MemoryLimiter {
    limits: StoreLimits,
    /// Whether a memory growth was refused (or failed) since the limiter was made.
    pub(super) denied: bool,
}

impl MemoryLimiter {
    /// Memory capped at `memory_limit` bytes, one instance.
    pub(super) fn new(memory_limit: usize) -> MemoryLimiter {
        MemoryLimiter {
            limits: StoreLimitsBuilder::new().memory_size(memory_limit).instances(1).build(),
            denied: false,
        }
    }
}

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(&mut self, current: usize, desired: usize, maximum: Option<usize>) -> wasmtime::Result<bool> {
        let allowed = self.limits.memory_growing(current, desired, maximum)?;
        self.denied |= !allowed;
        Ok(allowed)
    }

    fn memory_grow_failed(&mut self, error: wasmtime::Error) -> wasmtime::Result<()> {
        self.denied = true;
        self.limits.memory_grow_failed(error)
    }

    fn table_growing(&mut self, current: usize, desired: usize, maximum: Option<usize>) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }

    fn instances(&self) -> usize {
        self.limits.instances()
    }

    fn tables(&self) -> usize {
        self.limits.tables()
    }

    fn memories(&self) -> usize {
        self.limits.memories()
    }
}
