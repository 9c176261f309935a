//! The JSON of docs/spec.md: request and answer types with serde derives, the reader that turns
//! request bytes into them with JSON Pointer paths on every error, and the answer writers.

pub mod answer;
pub mod evidence;
pub(crate) mod object;
pub mod request;
pub mod rulebook;
pub mod scalar;

internal_modules! {
    /// The error locator: serde_json's line and column as a JSON Pointer.
    locate;
    /// The request reader.
    read;
    /// The answer writers' buffer, and serde_json for the small answers.
    write;
    /// The `evaluate` answer's direct writer and the answer declarations' macros.
    write_answer;
}

pub use crate::calendar::{Date, Duration, Unit};
pub use crate::diagnostics::{Code, Diagnostic, Severity};
pub use answer::*;
pub use evidence::*;
pub use request::*;
pub use rulebook::*;
