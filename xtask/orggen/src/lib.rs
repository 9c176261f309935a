//! # laureate-orggen
//!
//! Laureate's deterministic generators of requests, every one driven by the one random source
//! [`Rng`] (SplitMix64), so a seed names the same request on every machine, forever. Every test
//! and benchmark that needs generated requests takes them from here:
//!
//! - [`organisation`]: a realistic training organisation of `contacts` contacts as an `evaluate`
//!   request, for the benchmarks (`cargo xtask gen-org --size small|medium|large`), the preview
//!   tests and the answer writer's tests. Sizes (BENCHMARKS.md): small, 30 contacts (one
//!   classroom event of 30 learners: the preview case); medium, 10,000; large, 200,000.
//! - [`evaluate_request`]: a small, varied `evaluate` request that is always read and answered,
//!   for the core's property tests.
//! - [`mixed_request`]: a request for any of the five operations — clean, noisy (dangling
//!   references, broken formats: diagnostics) or unreadable (an error envelope) — for the
//!   differential test of the native core against wasmtime and the CLI's batch test.
//! - [`corrupt`]: one random corruption of a request (a wrong type, an impossible date, an
//!   unknown or a missing member), for the error locator's test.
//!
//! ```
//! let small = laureate_orggen::organisation(30, 1);
//! assert_eq!(small["evidence"]["learners"].as_array().map(Vec::len), Some(30));
//! assert_eq!(laureate_orggen::evaluate_request(7), laureate_orggen::evaluate_request(7));
//! ```

mod corruption;
mod evaluate_request;
mod mixed_request;
mod organisation;
mod rng;

pub use corruption::corrupt;
pub use evaluate_request::evaluate_request;
pub use mixed_request::{mixed_request, GeneratedRequest};
pub use organisation::{organisation, AS_OF_DAY, EVENT_SIZE, SIZES};
pub use rng::{date, Rng};
