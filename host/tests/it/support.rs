//! Shared helpers: the artifact and one shared engine, canonical JSON, temporary files, and a
//! tiny hand-written module that speaks the raw ABI.

use std::path::PathBuf;
use std::sync::OnceLock;

use laureate_host::Engine;
use serde_json::Value;

/// The artifact, found exactly as the CLI finds it; a missing one fails the test with the
/// instruction to build it.
pub fn artifact() -> PathBuf {
    laureate_host::artifact::locate(None).unwrap_or_else(|e| {
        panic!("{e}\n\nthe host's tests run the shipped artifact: build it with `cargo xtask build` (or set LAUREATE_WASM)")
    })
}

/// One engine over the artifact, shared by every test (as a server shares it between threads).
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let path = artifact();
        Engine::from_path(&path).unwrap_or_else(|e| panic!("cannot load `{}`: {e} [{}]", path.display(), e.code()))
    })
}

/// The workspace root (`host/..`).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Canonical JSON: members sorted, no whitespace, integral numbers as integers (so `80` and
/// `80.0` agree), other numbers as the shortest text of their double. The same form the
/// JavaScript runners compare (tests/node/support/corpus.js).
pub fn canonical(bytes: &[u8]) -> String {
    let value: Value = serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes[..bytes.len().min(300)])));
    let mut out = String::new();
    write_canonical(&value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            // serde_json's map (no `preserve_order`) is already sorted by key.
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            if f.fract() == 0.0 && f.abs() < 1e21 {
                out.push_str(&format!("{f:.0}"));
            } else {
                out.push_str(&f.to_string());
            }
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A fresh directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("laureate-host-it-{}", std::process::id())).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a temporary directory");
    dir
}

/// A tiny module implementing the raw ABI by hand, to provoke what the real artifact never does.
/// `laureate_call` looks at the operation's first byte:
/// `e` echoes the request as the answer, `t` traps, `l` loops forever, `g` grows memory until
/// refused (then traps, as Rust's allocator does), `b` answers outside memory, `i` calls an
/// import (stubbed as a trap by the host).
pub fn test_module(abi_version: i32) -> Vec<u8> {
    let text = format!(
        r#"(module
  (import "wbg" "__wbg_log" (func $log (param externref)))
  (memory (export "memory") 1)
  (table (export "__wbindgen_externrefs") 4 externref)
  (global $bump (mut i32) (i32.const 1024))
  (func (export "laureate_abi_version") (result i32) (i32.const {abi_version}))
  (func (export "laureate_alloc") (param $len i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $bump))
    (global.set $bump (i32.add (global.get $bump) (local.get $len)))
    (block $done
      (loop $grow
        (br_if $done (i32.le_u (global.get $bump) (i32.mul (memory.size) (i32.const 65536))))
        (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
        (br $grow)))
    (local.get $p))
  (func (export "laureate_free") (param i32 i32))
  (func (export "laureate_call") (param $op i32) (param $op_len i32) (param $req i32) (param $req_len i32) (result i64)
    (local $c i32)
    (local.set $c (i32.load8_u (local.get $op)))
    (if (i32.eq (local.get $c) (i32.const 116)) (then unreachable))
    (if (i32.eq (local.get $c) (i32.const 108)) (then (loop $forever (br $forever))))
    (if (i32.eq (local.get $c) (i32.const 103))
      (then (loop $more
        (if (i32.eq (memory.grow (i32.const 16)) (i32.const -1)) (then unreachable))
        (br $more))))
    (if (i32.eq (local.get $c) (i32.const 98))
      (then (return (i64.or (i64.shl (i64.const 0x7ff00000) (i64.const 32)) (i64.const 10)))))
    (if (i32.eq (local.get $c) (i32.const 105))
      (then (call $log (ref.null extern))))
    (i64.or
      (i64.shl (i64.extend_i32_u (local.get $req)) (i64.const 32))
      (i64.extend_i32_u (local.get $req_len))))
)"#
    );
    wat::parse_str(text).expect("the test module is valid wat")
}
