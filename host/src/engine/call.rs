//! One call through the raw ABI: a store and its instance, the buffers copied in and out, and
//! the classification of a failure into the crate's [`Error`].

use std::time::Duration;

use wasmtime::{Store, Trap};

use super::abi::Exports;
use super::memory_limiter::MemoryLimiter;
use super::resource_limits::ResourceLimits;
use crate::error::{Error, Result};

/// Measurements of one call.
#[derive(Debug, Clone, Copy)]
pub struct CallStats {
    /// Fuel the call consumed (deterministic for a given request and artifact).
    pub fuel_used: u64,
    /// Wall-clock time of the whole call, instantiation included.
    pub elapsed: Duration,
}

/// The data of a call's store.
pub(crate) struct CallState {
    pub(super) limiter: MemoryLimiter,
}

/// Why a call stopped, before it is classified into an [`Error`].
pub(crate) enum Failure {
    Wasm(wasmtime::Error),
    Host(Error),
}

/// A store and its instance, for one call ([`Engine::call`](crate::Engine::call)) or many
/// ([`crate::WarmInstance`]).
pub(crate) struct Call {
    pub(super) store: Store<CallState>,
    pub(super) exports: Exports,
    /// The limits in force (memory lowered to the pool's slot size).
    pub(super) limits: ResourceLimits,
}

impl Call {
    /// Copies the operation and the request in, calls `laureate_call`, copies the answer out
    /// and frees all three buffers in the instance.
    pub(crate) fn run(&mut self, operation: &[u8], request: &[u8]) -> Result<Vec<u8>, Failure> {
        let (op_ptr, op_len) = self.put(operation)?;
        let (req_ptr, req_len) = self.put(request)?;
        let packed =
            self.exports.call.call(&mut self.store, (op_ptr, op_len, req_ptr, req_len)).map_err(Failure::Wasm)?;
        let packed = packed as u64;
        let (answer_ptr, answer_len) = ((packed >> 32) as u32, packed as u32);
        let data = self.exports.memory.data(&self.store);
        let answer = (answer_ptr as usize)
            .checked_add(answer_len as usize)
            .and_then(|end| data.get(answer_ptr as usize..end))
            .ok_or_else(|| {
                Failure::Host(Error::BadAnswer {
                    detail: format!(
                        "answer at {answer_ptr} of {answer_len} bytes lies outside the {}-byte memory",
                        data.len()
                    ),
                })
            })?
            .to_vec();
        for (ptr, len) in [(op_ptr, op_len), (req_ptr, req_len), (answer_ptr as i32, answer_len as i32)] {
            if len > 0 {
                self.exports.free.call(&mut self.store, (ptr, len)).map_err(Failure::Wasm)?;
            }
        }
        if std::str::from_utf8(&answer).is_err() {
            return Err(Failure::Host(Error::BadAnswer { detail: "the answer is not UTF-8".to_owned() }));
        }
        Ok(answer)
    }

    /// Calls `laureate_abi_version`.
    pub(super) fn abi_version(&mut self) -> Result<i32, Failure> {
        self.exports.abi_version.call(&mut self.store, ()).map_err(Failure::Wasm)
    }

    /// Copies `bytes` into a buffer from `laureate_alloc`.
    fn put(&mut self, bytes: &[u8]) -> Result<(i32, i32), Failure> {
        if bytes.is_empty() {
            return Ok((0, 0));
        }
        let too_big = || Failure::Host(Error::MemoryLimit { limit_bytes: self.limits.memory_bytes });
        let len = i32::try_from(bytes.len()).map_err(|_| too_big())?;
        if bytes.len() > self.limits.memory_bytes {
            return Err(too_big());
        }
        let ptr = self.exports.alloc.call(&mut self.store, len).map_err(Failure::Wasm)?;
        if ptr == 0 {
            return Err(too_big());
        }
        self.exports.memory.write(&mut self.store, ptr as u32 as usize, bytes).map_err(|_| {
            Failure::Host(Error::BadAnswer {
                detail: format!("`laureate_alloc({len})` returned {ptr}, outside memory"),
            })
        })?;
        Ok((ptr, len))
    }

    /// Fuel this call has consumed so far, from the fuel its limits gave it.
    pub(crate) fn fuel_used(&self) -> u64 {
        self.limits.fuel.saturating_sub(self.store.get_fuel().unwrap_or(0))
    }

    /// Bytes of linear memory the instance has grown to.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.exports.memory.data_size(&self.store)
    }

    /// The crate's error for `failure`: a limit reached, a trap, or the host's own finding.
    pub(crate) fn classify(&self, failure: Failure) -> Error {
        let e = match failure {
            Failure::Host(e) => return e,
            Failure::Wasm(e) => e,
        };
        match e.downcast_ref::<Trap>() {
            Some(Trap::OutOfFuel) => return Error::FuelExhausted { fuel: self.limits.fuel },
            Some(Trap::Interrupt) => return Error::Timeout { timeout: self.limits.timeout },
            _ => {}
        }
        if self.store.data().limiter.denied {
            return Error::MemoryLimit { limit_bytes: self.limits.memory_bytes };
        }
        let message = match e.downcast_ref::<Trap>() {
            Some(trap) => trap.to_string(),
            None => format!("{e:#}"),
        };
        Error::Trap { message }
    }
}
