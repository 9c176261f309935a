//! What loading an engine did: where the compiled module came from and how long it took.

use std::path::PathBuf;
use std::time::Duration;

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
