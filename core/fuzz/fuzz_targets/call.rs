//! `call()` on every operation: the first byte picks the operation (laureate_core::fuzzing), the
//! rest is the request. Any input must give one well-formed envelope, the same one twice.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (operation, request) = laureate_core::fuzzing::split_call_input(data);
    let answer = laureate_core::call(operation, request);
    if let Err(fault) = laureate_core::fuzzing::check_envelope(&answer) {
        panic!("{fault}: {}", String::from_utf8_lossy(&answer));
    }
    assert_eq!(answer, laureate_core::call(operation, request), "the same request answered twice differently");
});
