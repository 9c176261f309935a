//! The identifier formatter: an arbitrary format, padding, number and merge values through
//! `formatIdentifier`, typed and as JSON text, which must agree.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(fault) = laureate_core::fuzzing::check_format_input(data) {
        panic!("{fault}");
    }
});
