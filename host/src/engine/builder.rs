//! [`EngineBuilder`]: the engine's settings, and loading the artifact under them (hash check,
//! compiled-module cache, link, ABI check).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use wasmtime::{Linker, Module};

use super::abi::{self, ABI_VERSION};
use super::call::CallState;
use super::epoch_ticker::EpochTicker;
use super::load_info::{LoadInfo, ModuleSource};
use super::pool_slots::Slots;
use super::pooling::wasm_engine;
use super::resource_limits::ResourceLimits;
use super::{Engine, Inner};
use crate::artifact::{self, Artifact};
use crate::cache::{self, ModuleCache};
use crate::error::{Error, Result};

const WASM_PAGE: usize = 64 * 1024;

#[derive(Debug, Clone)]
enum CacheSetting {
    Default,
    Dir(PathBuf),
    Disabled,
}

/// Configures and loads an [`Engine`].
#[derive(Debug, Clone)]
pub struct EngineBuilder {
    limits: ResourceLimits,
    max_memory_bytes: Option<usize>,
    max_concurrency: Option<usize>,
    cache: CacheSetting,
    expected_sha256: Option<String>,
    epoch_tick: Duration,
}

impl Default for EngineBuilder {
    fn default() -> Self {
        EngineBuilder {
            limits: ResourceLimits::default(),
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
    pub fn limits(mut self, limits: ResourceLimits) -> Self {
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
        let loaded = self.compile_or_load(&engine, &artifact)?;
        let module_time = module_started.elapsed();

        abi::check_exports(&loaded.module)?;
        let mut linker: Linker<CallState> = Linker::new(&engine);
        linker
            .define_unknown_imports_as_traps(&loaded.module)
            .map_err(|e| Error::Setup { message: format!("{e:#}") })?;
        let pre = linker.instantiate_pre(&loaded.module).map_err(|e| Error::Setup { message: format!("{e:#}") })?;

        let ticker = EpochTicker::start(engine.clone(), self.epoch_tick)
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
                source: loaded.source,
                cache_path: loaded.cache_path,
                cache_error: loaded.cache_error,
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

    /// The compiled module: from the cache when it has this artifact, else compiled now (and
    /// written to the cache, when there is one).
    fn compile_or_load(&self, engine: &wasmtime::Engine, artifact: &Artifact) -> Result<LoadedModule> {
        let cache = match &self.cache {
            CacheSetting::Default => Some(ModuleCache::new(cache::default_dir())),
            CacheSetting::Dir(dir) => Some(ModuleCache::new(dir.clone())),
            CacheSetting::Disabled => None,
        };
        let cache_path = cache.as_ref().map(|c| c.path_for(engine, &artifact.sha256));
        let mut cache_error = None;
        let (module, source) = match (&cache, &cache_path) {
            (Some(cache), Some(path)) => match cache.load(engine, path) {
                Some(module) => (module, ModuleSource::Cache),
                None => {
                    let module = compile(engine, &artifact.bytes)?;
                    let stored = module
                        .serialize()
                        .map_err(|e| e.to_string())
                        .and_then(|bytes| cache.store(path, &bytes).map_err(|e| e.to_string()));
                    cache_error = stored.err();
                    (module, ModuleSource::Compiled)
                }
            },
            _ => (compile(engine, &artifact.bytes)?, ModuleSource::Compiled),
        };
        Ok(LoadedModule { module, source, cache_path, cache_error })
    }
}

/// A compiled module and what the cache did for it.
struct LoadedModule {
    module: Module,
    source: ModuleSource,
    cache_path: Option<PathBuf>,
    cache_error: Option<String>,
}

fn compile(engine: &wasmtime::Engine, bytes: &[u8]) -> Result<Module> {
    Module::new(engine, bytes).map_err(|e| Error::Compile { message: format!("{e:#}") })
}
