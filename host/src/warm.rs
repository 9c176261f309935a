//! A warm instance: one wasm instance kept from call to call by one thread.
//!
//! [`Engine::call`] gives every call a fresh instance from the pool: nothing survives a call, and
//! each call pays for its instance (7–14 µs here with a trivial call) and faults its heap's pages in again (on a large
//! organisation, hundreds of megabytes). A [`WarmInstance`] keeps its instance, so later calls
//! reuse the heap that earlier calls grew and freed, and the module keeps the last `evaluate`
//! request's prepared rulebook for the next request with the same one (docs/abi.md, "The kept
//! rulebook"). Neither changes an answer's bytes; what differs is covered by the rules on
//! [`WarmInstance`].

use std::time::Instant;

use crate::engine::{Call, CallStats, Engine, ResourceLimits};
use crate::error::{Error, Result};

/// One instance of the artifact, kept between calls: for a thread that answers many requests
/// (a server worker, [`crate::batch`]).
///
/// - It holds one of the engine's pool slots from [`Engine::warm_instance`] until it is dropped,
///   so an engine with `max_concurrency` slots serves at most that many warm instances and
///   [`Engine::call`]s at once (further ones wait for a slot).
/// - Every call runs under its own [`ResourceLimits`]: fuel and the timeout are set afresh, and memory
///   caps the instance's linear memory, which earlier calls may have grown (a call can reuse
///   what they freed).
/// - A call that fails (a trap, a limit, a malformed answer) discards the instance: the next
///   call starts in a fresh one. When a reused instance hits the memory or fuel limit, the call
///   is run once more in a fresh instance, so a warm instance fails a request only where
///   [`Engine::call`] fails it too. `fuel_used` depends on what the instance did before: the
///   allocator's work on what its heap holds, and an `evaluate` whose rulebook is the one the
///   instance kept skips reading and preparing it (on the demo request 2,183,216 fuel against
///   2,406,935 in a fresh instance). So a request can also pass a fuel limit in a warm instance
///   that a fresh one would refuse.
/// - Freed memory is not cleared between calls, and the kept rulebook stays until another
///   replaces it. The core reads only memory it wrote, and uses a kept rulebook only for a request
///   that carries the same rulebook text, so no request sees another's data in its answer; a
///   host that must keep tenants' data apart in memory too gives each tenant its own warm
///   instance, or uses [`Engine::call`].
pub struct WarmInstance {
    engine: Engine,
    call: Option<Call>,
}

impl Engine {
    /// A warm instance for one thread's calls, holding one pool slot (waiting for one when all
    /// are taken). The instance itself is made by its first call.
    pub fn warm_instance(&self) -> WarmInstance {
        self.inner.slots.take();
        WarmInstance { engine: self.clone(), call: None }
    }
}

impl WarmInstance {
    /// Runs `operation` on `request` under the engine's default limits, in the kept instance.
    pub fn call(&mut self, operation: &str, request: &[u8]) -> Result<Vec<u8>> {
        let limits = self.engine.limits();
        self.call_with(operation, request, limits)
    }

    /// [`call`](WarmInstance::call), also returning the fuel used and the time taken.
    pub fn call_measured(&mut self, operation: &str, request: &[u8]) -> Result<(Vec<u8>, CallStats)> {
        let limits = self.engine.limits();
        self.call_stats(operation, request, limits)
    }

    /// [`call`](WarmInstance::call) with other limits.
    pub fn call_with(&mut self, operation: &str, request: &[u8], limits: ResourceLimits) -> Result<Vec<u8>> {
        self.call_stats(operation, request, limits).map(|(answer, _)| answer)
    }

    /// [`call_with`](WarmInstance::call_with), also returning the fuel used and the time taken
    /// (a retry in a fresh instance included).
    pub fn call_stats(
        &mut self,
        operation: &str,
        request: &[u8],
        limits: ResourceLimits,
    ) -> Result<(Vec<u8>, CallStats)> {
        let started = Instant::now();
        match self.attempt(operation, request, limits) {
            Err((Error::MemoryLimit { .. } | Error::FuelExhausted { .. }, true)) => {
                self.attempt(operation, request, limits).map_err(|(error, _)| error)
            }
            result => result.map_err(|(error, _)| error),
        }
        .map(|(answer, fuel_used)| (answer, CallStats { fuel_used, elapsed: started.elapsed() }))
    }

    /// Whether the instance is kept from an earlier call (`false` before the first call and
    /// after a failed one).
    pub fn is_warm(&self) -> bool {
        self.call.is_some()
    }

    /// Bytes of linear memory the kept instance has grown to (0 when none is kept).
    pub fn memory_bytes(&self) -> usize {
        self.call.as_ref().map_or(0, Call::memory_bytes)
    }

    /// One call: the answer and the fuel used, or the error and whether the instance was reused.
    fn attempt(
        &mut self,
        operation: &str,
        request: &[u8],
        limits: ResourceLimits,
    ) -> Result<(Vec<u8>, u64), (Error, bool)> {
        let reused = self.call.is_some();
        let mut call = match self.call.take() {
            Some(mut call) => {
                self.engine.renew(&mut call, limits).map_err(|e| (e, reused))?;
                call
            }
            None => self.engine.instantiate(limits).map_err(|e| (e, reused))?,
        };
        let result = call.run(operation.as_bytes(), request);
        let fuel_used = call.fuel_used();
        match result {
            Ok(answer) => {
                self.call = Some(call);
                Ok((answer, fuel_used))
            }
            Err(failure) => Err((call.classify(failure), reused)),
        }
    }
}

impl Drop for WarmInstance {
    fn drop(&mut self) {
        // The instance goes back to the pool before its slot is given back.
        self.call = None;
        self.engine.inner.slots.give();
    }
}

impl std::fmt::Debug for WarmInstance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WarmInstance")
            .field("warm", &self.is_warm())
            .field("memory_bytes", &self.memory_bytes())
            .finish()
    }
}
