//! The core's integration tests: one binary (STYLE.md).
#![expect(
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a broken fixture or a failed property should fail the test loudly"
)]
#![allow(
    clippy::disallowed_methods,
    reason = "tests sort file lists and reference results with the standard library; core/clippy.toml is for the answers"
)]

mod compare;
mod conformance;
mod csv;
mod fuzz_replay;
mod limits;
mod locate;
mod order;
mod preview;
mod properties;
mod recertification;
mod rulebook_cache;
mod write;
