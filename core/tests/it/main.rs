//! The core's integration tests: one binary (STYLE.md).
#![expect(clippy::expect_used, reason = "a broken fixture should fail the test loudly")]

mod conformance;
