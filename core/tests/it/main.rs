//! The core's integration tests: one binary (STYLE.md).
#![expect(
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a broken fixture or a failed property should fail the test loudly"
)]

mod conformance;
mod fuzz_replay;
mod generate;
mod limits;
mod locate;
mod order;
mod preview;
mod properties;
mod write;
