//! The natively linked core and the shipped wasm artifact in wasmtime must give byte-identical
//! answers to every request (input decoded as in the `call` target). Build the artifact first
//! (`cargo xtask build-wasm`); `LAUREATE_WASM` points elsewhere.
#![no_main]

use std::sync::OnceLock;

use laureate_host::Engine;
use libfuzzer_sys::fuzz_target;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| match Engine::builder().locate(None) {
        Ok(engine) => engine,
        Err(e) => panic!("cannot load the wasm artifact (run `cargo xtask build-wasm`): {e}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let (operation, request) = laureate_core::fuzzing::split_call_input(data);
    let native = laureate_core::call(operation, request);
    match engine().call(operation, request) {
        Ok(wasm) => assert!(
            wasm == native,
            "native and wasmtime disagree on {operation}:\nnative: {}\nwasm:   {}",
            String::from_utf8_lossy(&native),
            String::from_utf8_lossy(&wasm)
        ),
        Err(e) => panic!("wasmtime failed where native answered: {e}\nnative: {}", String::from_utf8_lossy(&native)),
    }
});
