//! Loading: SHA-256 checks, ABI checks, the compiled-module cache, missing artifacts.

use laureate_host::artifact::{sha256_hex, sidecar_path};
use laureate_host::{Engine, Error, ModuleSource};

use crate::support::{artifact, engine, temp_dir, test_module};

#[test]
fn loads_the_shipped_artifact() {
    let engine = engine();
    assert_eq!(engine.abi_version().unwrap(), 1);
    let info = engine.info();
    let path = artifact();
    assert_eq!(info.sha256, sha256_hex(&std::fs::read(&path).unwrap()));
    let sidecar = sidecar_path(&path);
    if let Ok(expected) = std::fs::read_to_string(&sidecar) {
        assert_eq!(expected.split_whitespace().next(), Some(info.sha256.as_str()));
    }
}

#[test]
fn sidecar_hash_is_checked() {
    let dir = temp_dir("sidecar");
    let wasm = dir.join("laureate_bg.wasm");
    let bytes = test_module(1);
    std::fs::write(&wasm, &bytes).unwrap();
    std::fs::write(sidecar_path(&wasm), "0".repeat(64)).unwrap();
    let err = Engine::builder().no_cache().load_path(&wasm).unwrap_err();
    assert!(matches!(err, Error::ArtifactHashMismatch { from: Some(_), .. }), "{err:?}");
    assert_eq!(err.code(), "artifact-hash-mismatch");

    // `sha256sum` format: the digest, two spaces, the name.
    std::fs::write(sidecar_path(&wasm), format!("{}  laureate_bg.wasm\n", sha256_hex(&bytes))).unwrap();
    let engine = Engine::builder().no_cache().load_path(&wasm).unwrap();
    assert_eq!(engine.call("echo", b"{\"ok\":1}").unwrap(), b"{\"ok\":1}");
}

#[test]
fn expected_hash_is_checked() {
    let bytes = test_module(1);
    let err = Engine::builder().no_cache().expected_sha256("ab".repeat(32)).load_bytes(bytes.clone()).unwrap_err();
    assert_eq!(err.code(), "artifact-hash-mismatch");
    let upper = sha256_hex(&bytes).to_uppercase();
    assert!(Engine::builder().no_cache().expected_sha256(upper).load_bytes(bytes).is_ok());
}

#[test]
fn abi_version_is_checked() {
    let err = Engine::builder().no_cache().load_bytes(test_module(2)).unwrap_err();
    assert!(matches!(err, Error::AbiMismatch { .. }), "{err:?}");
    assert_eq!(err.code(), "abi-mismatch");
    assert!(err.to_string().contains("is 2"), "{err}");
}

#[test]
fn missing_exports_are_abi_mismatch() {
    let bytes = wat::parse_str(
        r#"(module (memory (export "memory") 1) (func (export "laureate_abi_version") (result i32) i32.const 1))"#,
    )
    .unwrap();
    let err = Engine::builder().no_cache().load_bytes(bytes).unwrap_err();
    assert_eq!(err.code(), "abi-mismatch");
    assert!(err.to_string().contains("laureate_alloc"), "{err}");
}

#[test]
fn invalid_wasm_is_compile_failed() {
    let err = Engine::builder().no_cache().load_bytes(b"\0asm not really".to_vec()).unwrap_err();
    assert_eq!(err.code(), "compile-failed");
}

#[test]
fn missing_artifact_is_not_found() {
    let err = Engine::from_path("/nonexistent/laureate_bg.wasm").unwrap_err();
    assert_eq!(err.code(), "artifact-not-found");
    assert!(err.to_string().contains("cargo xtask build"), "{err}");
    let err = laureate_host::artifact::locate(Some("/nonexistent/x.wasm".as_ref())).unwrap_err();
    assert_eq!(err.code(), "artifact-not-found");
}

#[test]
fn compiled_module_is_cached_and_recovers_from_damage() {
    let dir = temp_dir("cache");
    let bytes = test_module(1);
    let first = Engine::builder().cache_dir(&dir).load_bytes(bytes.clone()).unwrap();
    assert_eq!(first.info().source, ModuleSource::Compiled);
    let cached = first.info().cache_path.clone().unwrap();
    assert!(cached.is_file(), "{}", cached.display());
    assert!(cached.file_name().unwrap().to_string_lossy().contains(&sha256_hex(&bytes)));

    let second = Engine::builder().cache_dir(&dir).load_bytes(bytes.clone()).unwrap();
    assert_eq!(second.info().source, ModuleSource::Cache);
    assert_eq!(second.call("echo", b"{\"ok\":2}").unwrap(), b"{\"ok\":2}");

    // A damaged cache file is recompiled and replaced.
    std::fs::write(&cached, b"garbage").unwrap();
    let third = Engine::builder().cache_dir(&dir).load_bytes(bytes.clone()).unwrap();
    assert_eq!(third.info().source, ModuleSource::Compiled);
    assert_eq!(third.call("echo", b"{\"ok\":3}").unwrap(), b"{\"ok\":3}");
    let fourth = Engine::builder().cache_dir(&dir).load_bytes(bytes).unwrap();
    assert_eq!(fourth.info().source, ModuleSource::Cache);
}

#[test]
fn error_codes_are_stable() {
    use std::time::Duration;
    let codes = [
        (Error::FuelExhausted { fuel: 1 }, "fuel-exhausted"),
        (Error::MemoryLimit { limit_bytes: 1 }, "memory-limit"),
        (Error::Timeout { timeout: Duration::from_secs(1) }, "timeout"),
        (Error::Trap { message: String::new() }, "trap"),
        (Error::AbiMismatch { detail: String::new() }, "abi-mismatch"),
        (
            Error::ArtifactHashMismatch { expected: String::new(), actual: String::new(), from: None },
            "artifact-hash-mismatch",
        ),
        (Error::ArtifactNotFound { searched: Vec::new() }, "artifact-not-found"),
    ];
    for (error, code) in codes {
        assert_eq!(error.code(), code);
    }
    // As an answer envelope: limits are `limit-exceeded`, the rest `internal`.
    let envelope = String::from_utf8(Error::FuelExhausted { fuel: 5 }.to_envelope()).unwrap();
    assert!(envelope.starts_with(r#"{"error":{"code":"limit-exceeded","message":"fuel-exhausted: "#), "{envelope}");
    let envelope = String::from_utf8(Error::Trap { message: "x".into() }.to_envelope()).unwrap();
    assert!(envelope.starts_with(r#"{"error":{"code":"internal","message":"trap: "#), "{envelope}");
}
