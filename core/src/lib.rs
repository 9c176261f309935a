//! # laureate-core
//!
//! The pure engine of Laureate: given a rulebook, evidence and an `asOf` date it decides who has
//! earned which achievement, when, until when, with which identifier, and what the host must do.
//! It implements docs/spec.md, the contract. It is `#![no_std]`: there is no clock, file,
//! environment or thread to reach.
//!
//! ```
//! let request = br#"{
//!   "asOf": "2026-03-10",
//!   "rulebook": {
//!     "achievements": [{"id": "bls", "name": "Basic Life Support", "validity": {"amount": 5, "unit": "years"}}],
//!     "courseTemplates": [{"id": "ct-cpr", "code": "CPR", "title": "CPR & BLS", "delivery": "classroom",
//!                          "achievements": [{"achievement": "bls"}]}],
//!     "events": [{"id": "ev-1", "template": "ct-cpr", "start": "2026-03-01", "end": "2026-03-01",
//!                 "sessions": [{"id": "s1", "date": "2026-03-01"}]}]
//!   },
//!   "evidence": {"learners": [{"id": "L1", "contact": "C1", "event": "ev-1", "attendance": {"s1": "present"}}]}
//! }"#;
//! let answer = laureate_core::call("evaluate", request);
//! let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
//! assert_eq!(answer["ok"]["outcomes"][0]["status"], "awarded");
//! assert_eq!(answer["ok"]["outcomes"][0]["expiresOn"], "2031-03-01");
//! ```
#![no_std]
extern crate alloc;

// The public API: the operations, the prepared forms, and the request and answer types.
pub use calendar::Date;
pub use diagnostics::{Code as DiagnosticCode, Diagnostic, Severity};
pub use error::{Error, ErrorCode};
pub use limits::Limits;
pub use preview::Preview;
pub use rulebook::PreparedRulebook;
pub use rulebook_cache::RulebookCache;

/// Declares modules that are private to the crate unless the `internals` feature makes them
/// public, for the core's own tests, benchmarks and fuzz targets (no stability promise).
macro_rules! internal_modules {
    ($($(#[$attr:meta])* $name:ident;)*) => {$(
        $(#[$attr])*
        #[cfg(feature = "internals")]
        pub mod $name;
        $(#[$attr])*
        #[cfg(not(feature = "internals"))]
        pub(crate) mod $name;
    )*};
}

/// The request and answer types of spec.md (serde and, with `ts`, TypeScript).
pub mod wire;

mod accounts;
mod actions;
mod calendar;
mod certification;
mod codes;
mod compare;
mod csv;
mod diagnostics;
mod error;
mod evaluate;
mod holdings;
mod limits;
mod passing;
mod path;
mod pointer;
mod preview;
mod ranks;
mod rulebook;
mod rulebook_cache;
mod sequence;
mod validity;

internal_modules! {
    /// The one sort routine of the answers.
    order;
}

/// The checks the fuzz targets run (docs/fuzzing.md).
#[cfg(feature = "internals")]
pub mod fuzzing;

use alloc::format;
use alloc::vec::Vec;
use serde::Serialize;

use wire::read::{read, read_request};
use wire::*;

/// The engine's version, as reported in every `evaluate` answer.
pub const ENGINE_VERSION: &str = "0.1.0";

/// The operations of spec.md §2, by their wire names.
pub const OPERATIONS: [&str; 8] = [
    "evaluate",
    "validate",
    "formatIdentifier",
    "codeUsage",
    "renameCode",
    "importTrainingRecords",
    "exportTrainingRecords",
    "compare",
];

/// Runs `operation` on the UTF-8 JSON `request` and returns the UTF-8 JSON answer envelope
/// (`{"ok": ...}` or `{"error": ...}`), within the default [`Limits`]. Every surface (JS, raw
/// ABI, CLI) goes through here.
pub fn call(operation: &str, request: &[u8]) -> Vec<u8> {
    call_with_limits(operation, request, &Limits::default())
}

/// [`call`] within other limits (docs/limits.md).
pub fn call_with_limits(operation: &str, request: &[u8], limits: &Limits) -> Vec<u8> {
    match operation {
        "evaluate" => rulebook_cache::read_and_evaluate(request, limits).0,
        "validate" => envelope(
            read_request::<ValidateRequest>(request, limits)
                .map(|r| ValidateAnswer { diagnostics: PreparedRulebook::new(r.rulebook).diagnostics }),
        ),
        "formatIdentifier" => {
            envelope(read_request::<FormatIdentifierRequest>(request, limits).map(|r| sequence::format_identifier(&r)))
        }
        "codeUsage" => envelope(
            read_request::<CodeUsageRequest>(request, limits)
                .map(|r| codes::code_usage(&PreparedRulebook::new(r.rulebook), &r.evidence)),
        ),
        "renameCode" => envelope(read_request::<RenameCodeRequest>(request, limits).and_then(|r| {
            // The renamed rulebook is the request's own JSON with only the codes changed.
            let raw: RawRulebook = read(request)?;
            Ok(codes::rename_code(&r.rulebook, raw.rulebook, (&r.from, &r.to), &r.evidence))
        })),
        "importTrainingRecords" => envelope(
            read_request::<ImportTrainingRecordsRequest>(request, limits).and_then(|r| csv::import(&r, limits)),
        ),
        "exportTrainingRecords" => {
            envelope(read_request::<ExportTrainingRecordsRequest>(request, limits).and_then(|r| csv::export(&r)))
        }
        "compare" => match read_request::<CompareRequest>(request, limits) {
            Ok(r) => {
                let book = PreparedRulebook::new(r.rulebook);
                compare_envelope(&book.compare(r.as_of, (&r.before, &r.after), &r.options))
            }
            Err(err) => envelope::<()>(Err(err)),
        },
        _ => envelope::<()>(Err(Error::new(
            ErrorCode::InvalidInput,
            format!(
                "unknown operation `{}`: expected one of {}",
                wire::scalar::Shown(operation),
                OPERATIONS.join(", ")
            ),
            "",
        ))),
    }
}

#[derive(serde::Deserialize)]
struct RawRulebook {
    rulebook: serde_json::Value,
}

/// `validate` on a typed request.
pub fn validate(request: &ValidateRequest) -> Result<ValidateAnswer, Error> {
    wire::read::check_version(request.version.as_ref())?;
    Ok(ValidateAnswer { diagnostics: PreparedRulebook::new(request.rulebook.clone()).diagnostics })
}

/// `formatIdentifier` on a typed request.
pub fn format_identifier(request: &FormatIdentifierRequest) -> Result<FormatIdentifierAnswer, Error> {
    wire::read::check_version(request.version.as_ref())?;
    Ok(sequence::format_identifier(request))
}

/// `codeUsage` on a typed request.
pub fn code_usage(request: &CodeUsageRequest) -> Result<CodeUsageAnswer, Error> {
    wire::read::check_version(request.version.as_ref())?;
    Ok(codes::code_usage(&PreparedRulebook::new(request.rulebook.clone()), &request.evidence))
}

/// `importTrainingRecords` on a typed request, within the default [`Limits`].
pub fn import_training_records(request: &ImportTrainingRecordsRequest) -> Result<ImportTrainingRecordsAnswer, Error> {
    wire::read::check_version(request.version.as_ref())?;
    csv::import(request, &Limits::default())
}

/// `exportTrainingRecords` on a typed request.
pub fn export_training_records(request: &ExportTrainingRecordsRequest) -> Result<ExportTrainingRecordsAnswer, Error> {
    wire::read::check_version(request.version.as_ref())?;
    csv::export(request)
}

impl PreparedRulebook {
    /// Reads a rulebook from JSON; a failure is the error envelope, with paths under `/rulebook`.
    pub fn from_json(rulebook: &[u8]) -> Result<PreparedRulebook, Vec<u8>> {
        let limits = Limits::default();
        let read = limits.check_text(rulebook).and_then(|()| read::<Rulebook>(rulebook)).and_then(|rulebook| {
            limits.check_rulebook(&rulebook, "")?;
            Ok(rulebook)
        });
        match read {
            Ok(rulebook) => Ok(PreparedRulebook::new(rulebook)),
            Err(err) => Err(envelope::<()>(Err(err.under("/rulebook")))),
        }
    }

    /// Evaluates `{"asOf", "evidence", "options"?}` against this rulebook: the answer envelope.
    pub fn evaluate_json(&self, request: &[u8]) -> Vec<u8> {
        match read_request::<EvidenceRequest>(request, &Limits::default()) {
            Ok(r) => evaluate_envelope(&self.evaluate(r.as_of, &r.evidence, &r.options)),
            Err(err) => envelope::<()>(Err(err)),
        }
    }

    /// Compares `{"asOf", "before", "after", "options"?}` against this rulebook: the answer
    /// envelope of `compare` (spec.md §14).
    pub fn compare_json(&self, request: &[u8]) -> Vec<u8> {
        match read_request::<CompareEvidenceRequest>(request, &Limits::default()) {
            Ok(r) => compare_envelope(&self.compare(r.as_of, (&r.before, &r.after), &r.options)),
            Err(err) => envelope::<()>(Err(err)),
        }
    }

    /// Compares the answers of two typed evidences against this rulebook (the typed form of
    /// `compare`, spec.md §14): what differs, keyed, in the order of §14.
    pub fn compare<'a>(
        &'a self,
        as_of: calendar::Date,
        (before, after): (&'a Evidence, &'a Evidence),
        options: &Options,
    ) -> CompareAnswer<'a> {
        compare::compare(self, as_of, before, after, options)
    }

    /// Evaluates typed evidence against this rulebook (the typed form of `evaluate`: a typed
    /// request's `version` is checked by [`wire::read::check_version`]). The answer borrows its
    /// ids from the rulebook and the evidence instead of copying them.
    pub fn evaluate<'a>(
        &'a self,
        as_of: calendar::Date,
        evidence: &'a Evidence,
        options: &Options,
    ) -> EvaluateAnswer<'a> {
        evaluate::evaluate(self, as_of, evidence, options)
    }
}

#[derive(Serialize)]
enum Envelope<T> {
    #[serde(rename = "ok")]
    Ok(T),
    #[serde(rename = "error")]
    Error(Error),
}

/// The answer buffer's first size: a preview answer fits without growing.
const ANSWER_CAPACITY: usize = 32 * 1024;

/// The envelope of an `evaluate` answer, written by the direct writer (`wire::write_answer`).
fn evaluate_envelope(answer: &EvaluateAnswer) -> Vec<u8> {
    wire::write_answer::evaluate_envelope(answer, evaluate_capacity(answer)).unwrap_or_else(unwritable)
}

/// A buffer size an `evaluate` answer with short ids seldom outgrows, so that a large answer is
/// written without regrowing (each regrowth copies the whole answer; in WebAssembly, where
/// `realloc` cannot remap pages, that copy is real). From the generated organisations' answers
/// (trace off): an outcome takes 239–303 bytes, a holding about 104 and 227 per history entry,
/// an action 199, a certification 295, a path 137. Longer ids cost one regrowth, as before.
fn evaluate_capacity(answer: &EvaluateAnswer) -> usize {
    let entries: usize = answer.holdings.iter().map(|h| h.history.len()).sum();
    [
        (answer.outcomes.len(), 304),
        (answer.holdings.len(), 112),
        (entries, 240),
        (answer.actions.len(), 208),
        (answer.certifications.len(), 304),
        (answer.paths.len(), 144),
    ]
    .iter()
    .fold(ANSWER_CAPACITY, |total, &(items, bytes)| total.saturating_add(items.saturating_mul(bytes)))
}

/// The envelope of a `compare` answer, written by the direct writer.
fn compare_envelope(answer: &CompareAnswer) -> Vec<u8> {
    wire::write_answer::compare_envelope(answer).unwrap_or_else(unwritable)
}

fn envelope<T: Serialize>(result: Result<T, Error>) -> Vec<u8> {
    let envelope = match result {
        Ok(answer) => Envelope::Ok(answer),
        Err(err) => Envelope::Error(err),
    };
    wire::write::to_vec(&envelope).unwrap_or_else(unwritable)
}

/// The `internal` error envelope of an answer that could not be written (a bug).
fn unwritable(err: wire::write::WriteError) -> Vec<u8> {
    let internal = Error::new(ErrorCode::Internal, format!("the answer could not be written: {err}"), "");
    wire::write::to_vec(&Envelope::<()>::Error(internal)).unwrap_or_default()
}
