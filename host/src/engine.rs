//! The wasmtime engine: load the artifact once, serve calls from many threads.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use wasmtime::{
    Config, InstanceAllocationStrategy, InstancePre, Linker, Memory, Module, PoolingAllocationConfig, ResourceLimiter,
    Store, StoreLimits, StoreLimitsBuilder, Trap, TypedFunc,
};

use crate::artifact::{self, Artifact};
use crate::cache::{self, ModuleCache};
use crate::error::{Error, Result};

/// The raw ABI version this host speaks (SPEC.md §11).
pub const ABI_VERSION: i32 = 1;

const WASM_PAGE: usize = 64 * 1024;

/// Bytes of linear memory (and of tables) a pooled slot keeps resident between calls.
const KEEP_RESIDENT: usize = 2 * 1024 * 1024;

/// Per-call resource limits. Every call runs under all three; the first one reached ends the call
/// with its typed [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Linear memory cap, in bytes (`memory-limit`). Also bounds the request size.
    pub memory_bytes: usize,
    /// Deterministic work bound: wasmtime fuel, about one unit per wasm instruction executed
    /// (`fuel-exhausted`). The same request stops at the same point on every machine.
    pub fuel: u64,
    /// Wall-clock backstop (`timeout`), checked by epoch interruption every
    /// [`EngineBuilder::epoch_tick`].
    pub timeout: Duration,
}

impl Limits {
    /// 512 MiB of linear memory.
    pub const DEFAULT_MEMORY_BYTES: usize = 512 * 1024 * 1024;
    /// Ten billion units of fuel: seconds of work, far beyond any request the core accepts.
    pub const DEFAULT_FUEL: u64 = 10_000_000_000;
    /// Thirty seconds.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
}

impl Default for Limits {
    fn default() -> Self {
        Limits { memory_bytes: Self::DEFAULT_MEMORY_BYTES, fuel: Self::DEFAULT_FUEL, timeout: Self::DEFAULT_TIMEOUT }
    }
}

/// Where the compiled module came from when the engine was loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleSource {
    /// Compiled now (and written to the cache when one is configured).
    Compiled,
    /// Deserialized from the cache.
    Cache,
}

/// What loading the engine did, for logs and benchmarks.
#[derive(Debug, Clone)]
pub struct LoadInfo {
    /// The artifact's path (`None` when loaded from bytes).
    pub path: Option<PathBuf>,
    /// The artifact's lowercase hex SHA-256.
    pub sha256: String,
    /// The artifact's size in bytes.
    pub size: usize,
    /// Compiled now or taken from the cache.
    pub source: ModuleSource,
    /// The cache file used or written (`None` without a cache).
    pub cache_path: Option<PathBuf>,
    /// Why the cache could not be written, if it could not (loading still succeeded).
    pub cache_error: Option<String>,
    /// Time to compile or deserialize the module.
    pub module_time: Duration,
    /// Total load time: read, hash, compile or deserialize, link, ABI check.
    pub load_time: Duration,
}

/// Measurements of one call.
#[derive(Debug, Clone, Copy)]
pub struct CallStats {
    /// Fuel the call consumed (deterministic for a given request and artifact).
    pub fuel_used: u64,
    /// Wall-clock time of the whole call, instantiation included.
    pub elapsed: Duration,
}

#[derive(Debug, Clone)]
enum CacheSetting {
    Default,
    Dir(PathBuf),
    Disabled,
}

/// Configures and loads an [`Engine`].
#[derive(Debug, Clone)]
pub struct EngineBuilder {
    limits: Limits,
    max_memory_bytes: Option<usize>,
    max_concurrency: Option<usize>,
    cache: CacheSetting,
    expected_sha256: Option<String>,
    epoch_tick: Duration,
}

impl Default for EngineBuilder {
    fn default() -> Self {
        EngineBuilder {
            limits: Limits::default(),
            max_memory_bytes: None,
            max_concurrency: None,
            cache: CacheSetting::Default,
            expected_sha256: None,
            epoch_tick: Duration::from_millis(10),
        }
    }
}

impl EngineBuilder {
    /// The default limits of every call (each call may lower them with [`Engine::call_with`]).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The default linear memory cap per call.
    pub fn memory_limit(mut self, bytes: usize) -> Self {
        self.limits.memory_bytes = bytes;
        self
    }

    /// The default fuel per call.
    pub fn fuel(mut self, fuel: u64) -> Self {
        self.limits.fuel = fuel;
        self
    }

    /// The default wall-clock limit per call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.limits.timeout = timeout;
        self
    }

    /// The largest memory cap any call may ask for (the size of a pooling-allocator slot).
    /// Defaults to the default limit's `memory_bytes`.
    pub fn max_memory_limit(mut self, bytes: usize) -> Self {
        self.max_memory_bytes = Some(bytes);
        self
    }

    /// How many calls may run at once; more wait for a free slot. Defaults to four per core
    /// (at least 16). Sizes the pooling allocator.
    pub fn max_concurrency(mut self, calls: usize) -> Self {
        self.max_concurrency = Some(calls.max(1));
        self
    }

    /// Keep compiled modules in `dir` instead of [`cache::default_dir`].
    pub fn cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache = CacheSetting::Dir(dir.into());
        self
    }

    /// Compile on every load, never read or write a cache.
    pub fn no_cache(mut self) -> Self {
        self.cache = CacheSetting::Disabled;
        self
    }

    /// Require the artifact's SHA-256 to be `hex` (in addition to its `.sha256` file, if any).
    pub fn expected_sha256(mut self, hex: impl Into<String>) -> Self {
        self.expected_sha256 = Some(hex.into());
        self
    }

    /// How often the ticker thread advances the epoch: the resolution of the timeout.
    pub fn epoch_tick(mut self, tick: Duration) -> Self {
        self.epoch_tick = tick.max(Duration::from_millis(1));
        self
    }

    /// Loads the artifact at `path` (checked against `path.sha256` when that file exists).
    pub fn load_path(self, path: impl AsRef<Path>) -> Result<Engine> {
        let started = Instant::now();
        let artifact = Artifact::read(path.as_ref())?;
        self.load_artifact(artifact, started)
    }

    /// Loads the artifact found by [`artifact::locate`] (`explicit`, `$LAUREATE_WASM`, then the
    /// workspace's `target/npm/laureate/laureate_bg.wasm`).
    pub fn locate(self, explicit: Option<&Path>) -> Result<Engine> {
        let path = artifact::locate(explicit)?;
        self.load_path(path)
    }

    /// Loads an artifact from bytes.
    pub fn load_bytes(self, bytes: impl Into<Vec<u8>>) -> Result<Engine> {
        let started = Instant::now();
        self.load_artifact(Artifact::from_bytes(bytes.into()), started)
    }

    fn load_artifact(self, artifact: Artifact, started: Instant) -> Result<Engine> {
        if let Some(expected) = &self.expected_sha256 {
            artifact.check_sha256(expected, None)?;
        }
        let max_memory = self.max_memory_bytes.unwrap_or(self.limits.memory_bytes).max(self.limits.memory_bytes);
        let max_memory = max_memory.div_ceil(WASM_PAGE).max(1) * WASM_PAGE;
        let concurrency = self.max_concurrency.unwrap_or_else(|| {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            (cores * 4).max(16)
        });
        let engine = wasm_engine(max_memory, concurrency)?;

        let module_started = Instant::now();
        let cache = match &self.cache {
            CacheSetting::Default => Some(ModuleCache::new(cache::default_dir())),
            CacheSetting::Dir(dir) => Some(ModuleCache::new(dir.clone())),
            CacheSetting::Disabled => None,
        };
        let cache_path = cache.as_ref().map(|c| c.path_for(&engine, &artifact.sha256));
        let mut cache_error = None;
        let (module, source) = match (&cache, &cache_path) {
            (Some(cache), Some(path)) => match cache.load(&engine, path) {
                Some(module) => (module, ModuleSource::Cache),
                None => {
                    let module = compile(&engine, &artifact.bytes)?;
                    let stored = module
                        .serialize()
                        .map_err(|e| e.to_string())
                        .and_then(|bytes| cache.store(path, &bytes).map_err(|e| e.to_string()));
                    cache_error = stored.err();
                    (module, ModuleSource::Compiled)
                }
            },
            _ => (compile(&engine, &artifact.bytes)?, ModuleSource::Compiled),
        };
        let module_time = module_started.elapsed();

        check_exports(&module)?;
        let mut linker: Linker<CallState> = Linker::new(&engine);
        linker.define_unknown_imports_as_traps(&module).map_err(|e| Error::Setup { message: format!("{e:#}") })?;
        let pre = linker.instantiate_pre(&module).map_err(|e| Error::Setup { message: format!("{e:#}") })?;

        let ticker = Ticker::start(engine.clone(), self.epoch_tick)
            .map_err(|e| Error::Setup { message: format!("cannot start the epoch ticker thread: {e}") })?;
        let inner = Inner {
            engine,
            pre,
            limits: self.limits,
            max_memory,
            epoch_tick: self.epoch_tick,
            slots: Slots::new(concurrency),
            info: LoadInfo {
                path: artifact.path.clone(),
                sha256: artifact.sha256.clone(),
                size: artifact.bytes.len(),
                source,
                cache_path,
                cache_error,
                module_time,
                load_time: Duration::ZERO,
            },
            _ticker: ticker,
        };
        let mut engine = Engine { inner: Arc::new(inner) };
        let version = engine.abi_version()?;
        if version != ABI_VERSION {
            return Err(Error::AbiMismatch {
                detail: format!("`laureate_abi_version` is {version}, this host speaks {ABI_VERSION}"),
            });
        }
        if let Some(inner) = Arc::get_mut(&mut engine.inner) {
            inner.info.load_time = started.elapsed();
        }
        Ok(engine)
    }
}

fn wasm_engine(max_memory: usize, concurrency: usize) -> Result<wasmtime::Engine> {
    let setup = |e: wasmtime::Error| Error::Setup { message: format!("{e:#}") };
    let n = u32::try_from(concurrency).unwrap_or(u32::MAX);
    let mut pool = PoolingAllocationConfig::default();
    pool.total_core_instances(n)
        // A memory slot per instance, and one more for a GC heap (wasm-bindgen's externref).
        .total_memories(n.saturating_mul(2))
        .total_gc_heaps(n)
        .max_memories_per_module(1)
        // wasm-bindgen's function table and its externref table.
        .total_tables(n.saturating_mul(4))
        .max_tables_per_module(4)
        .total_component_instances(0)
        .max_memory_size(max_memory)
        // Between calls, reset the first pages of a slot in place (only the dirty ones, found
        // with Linux's PAGEMAP_SCAN where the kernel has it) instead of unmapping them, so the
        // next call does not fault its heap in again page by page. Measured on the demo request:
        // a small call 28 µs → 15 µs, the demo evaluation 620 µs → 550 µs.
        .linear_memory_keep_resident(KEEP_RESIDENT)
        .table_keep_resident(KEEP_RESIDENT)
        .pagemap_scan(wasmtime::Enabled::Auto);
    let mut config = Config::new();
    // For profiling the module (BENCHMARKS.md): `perf` names the compiled wasm functions from
    // /tmp/perf-<pid>.map. Only code compiled in this process is named (`--no-cache`): a module
    // from the cache is mapped from a memory file, which perf does not look up in the map.
    if std::env::var_os("LAUREATE_PERFMAP").is_some() {
        config.profiler(wasmtime::ProfilingStrategy::PerfMap);
    }
    config.consume_fuel(true).epoch_interruption(true).allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    wasmtime::Engine::new(&config).map_err(setup)
}

fn compile(engine: &wasmtime::Engine, bytes: &[u8]) -> Result<Module> {
    Module::new(engine, bytes).map_err(|e| Error::Compile { message: format!("{e:#}") })
}

/// Checks the raw ABI's exports and their signatures without running anything.
fn check_exports(module: &Module) -> Result<()> {
    use wasmtime::{ExternType, ValType};
    let expect = |name: &str, params: &[ValType], results: &[ValType]| -> Result<()> {
        let missing = || Error::AbiMismatch { detail: format!("the module has no `{name}` function export") };
        let Some(ExternType::Func(ty)) = module.get_export(name) else { return Err(missing()) };
        let same = |a: &mut dyn ExactSizeIterator<Item = ValType>, b: &[ValType]| {
            a.len() == b.len() && a.zip(b).all(|(x, y)| ValType::eq(&x, y))
        };
        if same(&mut ty.params(), params) && same(&mut ty.results(), results) {
            Ok(())
        } else {
            Err(Error::AbiMismatch { detail: format!("`{name}` has the signature `{ty}`") })
        }
    };
    use ValType::{I32, I64};
    expect("laureate_abi_version", &[], &[I32])?;
    expect("laureate_alloc", &[I32], &[I32])?;
    expect("laureate_free", &[I32, I32], &[])?;
    expect("laureate_call", &[I32, I32, I32, I32], &[I64])?;
    match module.get_export("memory") {
        Some(wasmtime::ExternType::Memory(_)) => Ok(()),
        _ => Err(Error::AbiMismatch { detail: "the module has no `memory` export".to_owned() }),
    }
}

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
    limits: Limits,
    max_memory: usize,
    epoch_tick: Duration,
    pub(crate) slots: Slots,
    info: LoadInfo,
    _ticker: Ticker,
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
    pub fn limits(&self) -> Limits {
        self.inner.limits
    }

    /// Runs `operation` on the UTF-8 JSON `request` and returns the answer envelope's bytes,
    /// exactly as `laureate_core::call` would.
    pub fn call(&self, operation: &str, request: &[u8]) -> Result<Vec<u8>> {
        self.call_with(operation, request, self.inner.limits)
    }

    /// [`call`](Engine::call) with other limits. `memory_bytes` above the engine's
    /// [`max_memory_limit`](EngineBuilder::max_memory_limit) is lowered to it.
    pub fn call_with(&self, operation: &str, request: &[u8], limits: Limits) -> Result<Vec<u8>> {
        self.call_stats(operation, request, limits).map(|(answer, _)| answer)
    }

    /// [`call_with`](Engine::call_with), also returning the fuel used and the time taken.
    pub fn call_stats(&self, operation: &str, request: &[u8], limits: Limits) -> Result<(Vec<u8>, CallStats)> {
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
        let result = call.exports.abi_version.call(&mut call.store, ()).map_err(Failure::Wasm);
        result.map_err(|e| call.classify(e))
    }

    /// A fresh store and instance, under `limits`.
    pub(crate) fn instantiate(&self, limits: Limits) -> Result<Call> {
        let inner = &*self.inner;
        let mut store = Store::new(&inner.engine, CallState { limiter: Limiter::new(0) });
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
    fn set_limits(&self, store: &mut Store<CallState>, limits: Limits) -> wasmtime::Result<Limits> {
        let memory_limit = limits.memory_bytes.min(self.inner.max_memory);
        store.data_mut().limiter = Limiter::new(memory_limit);
        let ticks = limits.timeout.as_nanos().div_ceil(self.inner.epoch_tick.as_nanos().max(1));
        store.set_epoch_deadline(u64::try_from(ticks).unwrap_or(u64::MAX).saturating_add(1));
        store.set_fuel(limits.fuel)?;
        Ok(Limits { memory_bytes: memory_limit, ..limits })
    }

    /// Puts a kept instance under `limits` for its next call.
    pub(crate) fn renew(&self, call: &mut Call, limits: Limits) -> Result<()> {
        call.limits =
            self.set_limits(&mut call.store, limits).map_err(|e| Error::Instantiate { message: format!("{e:#}") })?;
        Ok(())
    }
}

pub(crate) struct CallState {
    limiter: Limiter,
}

/// [`StoreLimits`] that remembers whether it refused to grow a memory, so that the trap that
/// follows (Rust aborts when an allocation fails) is reported as `memory-limit`.
struct Limiter {
    limits: StoreLimits,
    denied: bool,
}

impl Limiter {
    /// Memory capped at `memory_limit` bytes, one instance.
    fn new(memory_limit: usize) -> Limiter {
        Limiter { limits: StoreLimitsBuilder::new().memory_size(memory_limit).instances(1).build(), denied: false }
    }
}

impl ResourceLimiter for Limiter {
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

struct Exports {
    memory: Memory,
    abi_version: TypedFunc<(), i32>,
    alloc: TypedFunc<i32, i32>,
    free: TypedFunc<(i32, i32), ()>,
    call: TypedFunc<(i32, i32, i32, i32), i64>,
}

impl Exports {
    fn get(store: &mut Store<CallState>, instance: &wasmtime::Instance) -> wasmtime::Result<Exports> {
        Ok(Exports {
            memory: instance
                .get_memory(&mut *store, "memory")
                .ok_or_else(|| wasmtime::Error::msg("the module has no `memory` export"))?,
            abi_version: instance.get_typed_func(&mut *store, "laureate_abi_version")?,
            alloc: instance.get_typed_func(&mut *store, "laureate_alloc")?,
            free: instance.get_typed_func(&mut *store, "laureate_free")?,
            call: instance.get_typed_func(&mut *store, "laureate_call")?,
        })
    }
}

/// Why a call stopped, before it is classified into an [`Error`].
pub(crate) enum Failure {
    Wasm(wasmtime::Error),
    Host(Error),
}

/// A store and its instance, for one call ([`Engine::call`]) or many ([`crate::WarmInstance`]).
pub(crate) struct Call {
    store: Store<CallState>,
    exports: Exports,
    limits: Limits,
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

/// A counting semaphore: at most `n` calls hold an instance at once, so the pooling allocator
/// never runs out of slots.
pub(crate) struct Slots {
    free: Mutex<usize>,
    available: Condvar,
}

impl Slots {
    fn new(n: usize) -> Slots {
        Slots { free: Mutex::new(n), available: Condvar::new() }
    }

    /// Waits for a free slot and takes it; [`Slots::give`] returns it.
    pub(crate) fn take(&self) {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.available.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
    }

    pub(crate) fn give(&self) {
        *self.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.available.notify_one();
    }

    fn acquire(&self) -> SlotGuard<'_> {
        self.take();
        SlotGuard(self)
    }
}

struct SlotGuard<'a>(&'a Slots);

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        self.0.give();
    }
}

/// Advances the engine's epoch every tick until dropped (the wall-clock backstop).
struct Ticker {
    stop: Arc<(Mutex<bool>, Condvar)>,
    handle: Option<JoinHandle<()>>,
}

impl Ticker {
    fn start(engine: wasmtime::Engine, tick: Duration) -> std::io::Result<Ticker> {
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let flag = Arc::clone(&stop);
        let handle = std::thread::Builder::new().name("laureate-epoch".to_owned()).spawn(move || {
            let (lock, cv) = &*flag;
            let mut stopped = lock.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                let (guard, _) = cv.wait_timeout(stopped, tick).unwrap_or_else(|e| e.into_inner());
                stopped = guard;
                if *stopped {
                    return;
                }
                engine.increment_epoch();
            }
        })?;
        Ok(Ticker { stop, handle: Some(handle) })
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        let (lock, cv) = &*self.stop;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cv.notify_all();
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}
