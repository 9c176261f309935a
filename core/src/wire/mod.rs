//! The JSON of SPEC.md: request and answer types with serde derives, and the reader that turns
//! request bytes into them with JSON Pointer paths on every error.

pub mod answer;
pub mod evidence;
pub mod locate;
pub mod object;
pub mod read;
pub mod request;
pub mod rulebook;
pub mod scalar;
pub mod write;
pub mod write_answer;

pub use answer::*;
pub use evidence::*;
pub use request::*;
pub use rulebook::*;
