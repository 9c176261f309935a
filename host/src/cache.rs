//! The on-disk cache of compiled modules.
//!
//! Compiling the artifact takes about a tenth of a second in a release build (seconds in a debug
//! build); loading a serialized module takes under a millisecond. The cache file is named by the
//! artifact's SHA-256 and a fingerprint of everything that makes a serialized module loadable
//! only by the same wasmtime: its version, the cargo features this crate builds it with, and
//! wasmtime's own compatibility hash of the engine's target and settings. A file that fails to
//! load anyway is recompiled and replaced, so a stale or damaged cache only costs time.
//!
//! Files are written to a temporary name and renamed into place, so concurrent processes never
//! see half a file. Deserializing runs native code from the cache directory: it must be writable
//! only by the user running the host (the default, under the user's cache directory, is).

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The wasmtime version this crate is pinned to (`=48.0.8` in Cargo.toml).
pub const WASMTIME_VERSION: &str = "48.0.8";

/// The wasmtime cargo features this crate enables; a serialized module only loads in a wasmtime
/// built with the same ones (TOOLCHAIN.md).
pub const WASMTIME_FEATURES: &str = "cranelift,runtime,std,gc,gc-null,pooling-allocator";

/// The environment variable overriding the default cache directory.
pub const ENV_CACHE_DIR: &str = "LAUREATE_CACHE_DIR";

/// Where compiled modules are kept: `$LAUREATE_CACHE_DIR`, else `laureate/modules` in the user's
/// cache directory (`~/.cache` on Linux), else `laureate-cache` in the workspace's `target/`,
/// else in the system's temporary directory.
pub fn default_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(ENV_CACHE_DIR).filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(dir) = dirs::cache_dir() {
        return dir.join("laureate").join("modules");
    }
    if let Some(root) = std::env::current_dir().ok().and_then(|d| crate::artifact::workspace_root(&d)) {
        return root.join("target").join("laureate-cache");
    }
    std::env::temp_dir().join("laureate-cache")
}

/// The cache file name for `artifact_sha256` compiled by `engine`.
pub fn file_name(engine: &wasmtime::Engine, artifact_sha256: &str) -> String {
    let mut hasher = ShaHasher(Sha256::new());
    WASMTIME_VERSION.hash(&mut hasher);
    WASMTIME_FEATURES.hash(&mut hasher);
    std::env::consts::ARCH.hash(&mut hasher);
    engine.precompile_compatibility_hash().hash(&mut hasher);
    let fingerprint = crate::artifact::hex(&hasher.0.finalize());
    format!("laureate-{artifact_sha256}-wasmtime{WASMTIME_VERSION}-{}.cwasm", &fingerprint[..16])
}

/// A cache directory.
#[derive(Debug, Clone)]
pub struct ModuleCache {
    dir: PathBuf,
}

impl ModuleCache {
    /// A cache in `dir` (created on first store).
    pub fn new(dir: impl Into<PathBuf>) -> ModuleCache {
        ModuleCache { dir: dir.into() }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of the cache file for `artifact_sha256` compiled by `engine`.
    pub fn path_for(&self, engine: &wasmtime::Engine, artifact_sha256: &str) -> PathBuf {
        self.dir.join(file_name(engine, artifact_sha256))
    }

    /// The cached module at `path`, or `None` when it is absent or does not load.
    ///
    /// The module is never mapped from the cache file itself: a mapped file that someone
    /// truncates or rewrites in place would crash the process (SIGBUS) at its next page fault
    /// (`Module::deserialize_file` maps it; the loading test that damages a cache file which
    /// live engines had loaded died of SIGBUS with it). On Linux the file is copied, in the
    /// kernel, into an anonymous memory file that nobody else can reach, and that copy is
    /// mapped (about 1.5 ms); elsewhere, or if that fails, the file is read into memory and
    /// deserialized from there (about 5 ms).
    pub fn load(&self, engine: &wasmtime::Engine, path: &Path) -> Option<wasmtime::Module> {
        // SAFETY (both calls): the file was written by `store` below from `Module::serialize`
        // of this artifact, and is named by the artifact hash and the engine fingerprint;
        // wasmtime still checks its header (version, features, settings) and rejects
        // mismatches. The cache directory is trusted like the executable itself (see the
        // module docs), and the private copy is never modified once it is handed over.
        if let Some(copy) = private_copy(path) {
            if let Ok(module) = unsafe { wasmtime::Module::deserialize_open_file(engine, copy) } {
                return Some(module);
            }
        }
        let bytes = std::fs::read(path).ok()?;
        unsafe { wasmtime::Module::deserialize(engine, &bytes) }.ok()
    }

    /// Writes `serialized` to `path` atomically (temporary file, then rename).
    pub fn store(&self, path: &Path, serialized: &[u8]) -> Result<()> {
        let io = |source| Error::Cache { path: path.to_path_buf(), source };
        std::fs::create_dir_all(&self.dir).map_err(io)?;
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = path.with_extension(format!("tmp-{}-{n}", std::process::id()));
        std::fs::write(&tmp, serialized).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io(e)
        })
    }
}

/// A copy of the file at `path` in an anonymous memory file (`memfd_create`), which only this
/// process can reach.
#[cfg(target_os = "linux")]
fn private_copy(path: &Path) -> Option<std::fs::File> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut copy = memfd::MemfdOptions::new().close_on_exec(true).create("laureate-module").ok()?.into_file();
    std::io::copy(&mut file, &mut copy).ok()?;
    Some(copy)
}

#[cfg(not(target_os = "linux"))]
fn private_copy(_: &Path) -> Option<std::fs::File> {
    None
}

/// Feeds `Hash` impls into SHA-256 (stable, unlike `DefaultHasher`'s unspecified algorithm).
struct ShaHasher(Sha256);

impl Hasher for ShaHasher {
    fn finish(&self) -> u64 {
        0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}
