//! The wasmtime engine: load the artifact once, serve calls from many threads.
//!
//! - [`EngineBuilder`] (`builder`) loads the artifact under the settings, with the wasmtime
//!   configuration of `pooling` and the [`ABI_VERSION`] checks of `abi`;
//! - [`ResourceLimits`] (`resource_limits`) are what every call runs under: memory (the
//!   `memory_limiter` of each store), fuel, and the timeout the `epoch_ticker` thread enforces;
//! - a call ([`call`](Engine::call)) takes one of the `pool_slots`, a fresh instance, and runs
//!   one raw-ABI `call` in it.

mod abi;
mod builder;
mod call;
mod epoch_ticker;
mod load_info;
mod memory_limiter;
mod pool_slots;
mod pooling;
mod resource_limits;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use wasmtime::{InstancePre, Store};

pub use abi::ABI_VERSION;
pub use builder::EngineBuilder;
pub(crate) use call::Call;
pub use call::CallStats;
pub use load_info::{LoadInfo, ModuleSource};
pub use resource_limits::ResourceLimits;

use abi::Exports;
use call::CallState;
use epoch_ticker::EpochTicker;
use memory_limiter::MemoryLimiter;
use pool_slots::Slots;

use crate::error::{Error, Result};

/// Laureate's WebAssembly artifact, compiled once, serving calls from any number of threads.
///
/// Cloning is cheap (the clones share one compiled module). Each call gets a fresh instance from
/// the pooling allocator, so no state survives from one call to the next; a call that traps or
/// hits a limit fails alone and the engine keeps serving.
///
/// ```no_run
/// let engine = laureate_host::Engine::builder().locate(None)?;
/// let answer = engine.call("validate", br#"{"rulebook": {}}"#)?;
/// println!("{}", String::from_utf8_lossy(&answer));
/// # Ok::<(), laureate_host::Error>(())
/// ```
#[derive(Clone)]
pub struct Engine {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    engine: wasmtime::Engine,
    pre: InstancePre<CallState>,
    limits: ResourceLimits,
    max_memory: usize,
    epoch_tick: Duration,
    pub(crate) slots: Slots,
    info: LoadInfo,
    _ticker: EpochTicker,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("info", &self.inner.info).field("limits", &self.inner.limits).finish()
    }
}

impl Engine {
    /// A builder with the default limits and cache.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// Loads the artifact at `path` with the defaults.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Engine> {
        EngineBuilder::default().load_path(path)
    }

    /// Loads an artifact from bytes with the defaults.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Result<Engine> {
        EngineBuilder::default().load_bytes(bytes)
    }

    /// What loading did.
    pub fn info(&self) -> &LoadInfo {
        &self.inner.info
    }

    /// The default per-call limits.
    pub fn limits(&self) -> ResourceLimits {
        self.inner.limits
    }

    /// Runs `operation` on the UTF-8 JSON `request` and returns the answer envelope's bytes,
    /// exactly as `laureate_core::call` would.
    pub fn call(&self, operation: &str, request: &[u8]) -> Result<Vec<u8>> {
        self.call_with(operation, request, self.inner.limits)
    }

    /// [`call`](Engine::call) with other limits. `memory_bytes` above the engine's
    /// [`max_memory_limit`](EngineBuilder::max_memory_limit) is lowered to it.
    pub fn call_with(&self, operation: &str, request: &[u8], limits: ResourceLimits) -> Result<Vec<u8>> {
        self.call_stats(operation, request, limits).map(|(answer, _)| answer)
    }

    /// [`call_with`](Engine::call_with), also returning the fuel used and the time taken.
    pub fn call_stats(&self, operation: &str, request: &[u8], limits: ResourceLimits) -> Result<(Vec<u8>, CallStats)> {
        let started = Instant::now();
        let _slot = self.inner.slots.acquire();
        let mut call = self.instantiate(limits)?;
        let result = call.run(operation.as_bytes(), request);
        let fuel_used = call.fuel_used();
        let answer = result.map_err(|e| call.classify(e))?;
        Ok((answer, CallStats { fuel_used, elapsed: started.elapsed() }))
    }

    /// Calls `laureate_abi_version` in a fresh instance.
    pub fn abi_version(&self) -> Result<i32> {
        let _slot = self.inner.slots.acquire();
        let mut call = self.instantiate(self.inner.limits)?;
        let result = call.abi_version();
        result.map_err(|e| call.classify(e))
    }

    /// A fresh store and instance, under `limits`.
    pub(crate) fn instantiate(&self, limits: ResourceLimits) -> Result<Call> {
        let inner = &*self.inner;
        let mut store = Store::new(&inner.engine, CallState { limiter: MemoryLimiter::new(0) });
        store.limiter(|state| &mut state.limiter);
        let limits = match self.set_limits(&mut store, limits) {
            Ok(limits) => limits,
            Err(e) => return Err(Error::Instantiate { message: format!("{e:#}") }),
        };
        let instance = match inner.pre.instantiate(&mut store) {
            Ok(instance) => instance,
            Err(_) if store.data().limiter.denied => {
                return Err(Error::MemoryLimit { limit_bytes: limits.memory_bytes })
            }
            Err(e) => return Err(Error::Instantiate { message: format!("{e:#}") }),
        };
        let exports = match Exports::get(&mut store, &instance) {
            Ok(exports) => exports,
            Err(e) => return Err(Error::AbiMismatch { detail: format!("{e:#}") }),
        };
        Ok(Call { store, exports, limits })
    }

    /// Puts `store` under `limits` for its next call (memory lowered to the pool's slot size):
    /// a fresh limiter, the fuel and the epoch deadline. Returns the limits in force.
    fn set_limits(&self, store: &mut Store<CallState>, limits: ResourceLimits) -> wasmtime::Result<ResourceLimits> {
        let memory_limit = limits.memory_bytes.min(self.inner.max_memory);
        store.data_mut().limiter = MemoryLimiter::new(memory_limit);
        let ticks = limits.timeout.as_nanos().div_ceil(self.inner.epoch_tick.as_nanos().max(1));
        store.set_epoch_deadline(u64::try_from(ticks).unwrap_or(u64::MAX).saturating_add(1));
        store.set_fuel(limits.fuel)?;
        Ok(ResourceLimits { memory_bytes: memory_limit, ..limits })
    }

    /// Puts a kept instance under `limits` for its next call.
    pub(crate) fn renew(&self, call: &mut Call, limits: ResourceLimits) -> Result<()> {
        call.limits =
            self.set_limits(&mut call.store, limits).map_err(|e| Error::Instantiate { message: format!("{e:#}") })?;
        Ok(())
    }
}
