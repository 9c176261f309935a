//! Finding, reading and checking the shipped WebAssembly artifact.
//!
//! The host runs exactly the bytes the npm package ships: `target/npm/laureate/laureate_bg.wasm`,
//! written by `cargo xtask build` together with `laureate_bg.wasm.sha256`.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The environment variable naming the artifact (after `--wasm`, before the workspace default).
pub const ENV_WASM: &str = "LAUREATE_WASM";

/// Where `cargo xtask build` writes the artifact, relative to the workspace's target directory.
pub const TARGET_RELATIVE: &str = "npm/laureate/laureate_bg.wasm";

/// Finds the artifact: `explicit` (the CLI's `--wasm`), else `$LAUREATE_WASM`, else
/// `target/npm/laureate/laureate_bg.wasm` of the cargo workspace that contains the current
/// directory, else that of the workspace that contains the running executable.
///
/// The first source that is given decides: an explicit path or `$LAUREATE_WASM` that does not
/// exist is an error, not a reason to look further. The error says to run `cargo xtask build`.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = explicit {
        return existing(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os(ENV_WASM).filter(|v| !v.is_empty()) {
        return existing(PathBuf::from(path));
    }
    let candidates = workspace_candidates();
    for candidate in &candidates {
        if candidate.is_file() {
            return Ok(candidate.clone());
        }
    }
    Err(Error::ArtifactNotFound { searched: candidates })
}

fn existing(path: PathBuf) -> Result<PathBuf> {
    if path.is_file() {
        Ok(path)
    } else {
        Err(Error::ArtifactNotFound { searched: vec![path] })
    }
}

/// The default artifact paths, in the order [`locate`] tries them (deduplicated).
pub fn workspace_candidates() -> Vec<PathBuf> {
    let mut roots = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        roots.extend(workspace_root(&cwd));
    }
    if let Some(dir) = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf)) {
        roots.extend(workspace_root(&dir));
    }
    let mut out: Vec<PathBuf> = Vec::new();
    for root in roots {
        let mut targets = Vec::new();
        if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|v| !v.is_empty()) {
            targets.push(root.join(dir));
        }
        targets.push(root.join("target"));
        for target in targets {
            let candidate = target.join(TARGET_RELATIVE);
            if !out.contains(&candidate) {
                out.push(candidate);
            }
        }
    }
    out
}

/// The nearest ancestor of `start` (itself included) holding a `Cargo.toml` with a
/// `[workspace]` table.
pub fn workspace_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        manifest.lines().any(|line| line.trim() == "[workspace]").then(|| dir.to_path_buf())
    })
}

/// An artifact's bytes and identity.
#[derive(Debug, Clone)]
pub struct Artifact {
    /// Where it was read from (`None` for bytes given directly).
    pub path: Option<PathBuf>,
    /// The module bytes.
    pub bytes: Vec<u8>,
    /// Lowercase hex SHA-256 of `bytes`.
    pub sha256: String,
}

impl Artifact {
    /// Reads the artifact at `path`. When `path.sha256` exists (as `cargo xtask build` writes it),
    /// the bytes must match it.
    pub fn read(path: &Path) -> Result<Artifact> {
        let bytes = std::fs::read(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::ArtifactNotFound { searched: vec![path.to_path_buf()] },
            _ => Error::ArtifactUnreadable { path: path.to_path_buf(), source },
        })?;
        let artifact = Artifact { path: Some(path.to_path_buf()), sha256: sha256_hex(&bytes), bytes };
        let sidecar = sidecar_path(path);
        match std::fs::read_to_string(&sidecar) {
            Ok(text) => artifact.check_sha256(&parse_sha256_file(&text), Some(sidecar))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(Error::ArtifactUnreadable { path: sidecar, source }),
        }
        Ok(artifact)
    }

    /// An artifact from bytes in memory.
    pub fn from_bytes(bytes: Vec<u8>) -> Artifact {
        Artifact { path: None, sha256: sha256_hex(&bytes), bytes }
    }

    /// Fails with `artifact-hash-mismatch` unless the SHA-256 is `expected` (hex, any case).
    pub fn check_sha256(&self, expected: &str, from: Option<PathBuf>) -> Result<()> {
        if expected.eq_ignore_ascii_case(&self.sha256) {
            Ok(())
        } else {
            Err(Error::ArtifactHashMismatch { expected: expected.to_owned(), actual: self.sha256.clone(), from })
        }
    }
}

/// `laureate_bg.wasm` → `laureate_bg.wasm.sha256`.
pub fn sidecar_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".sha256");
    PathBuf::from(name)
}

/// The digest in a `.sha256` file: its first word (`sha256sum` writes `HEX  NAME`).
fn parse_sha256_file(text: &str) -> String {
    text.split_whitespace().next().unwrap_or("").to_owned()
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
