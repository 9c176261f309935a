//! Reads request bytes into typed requests. Every failure is an [`Error`] whose `path` is a
//! JSON Pointer to the member at fault (spec.md §2, §12).

use alloc::format;
use alloc::string::ToString;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use super::locate;
use super::request::VersionOnly;
use crate::error::{Error, ErrorCode};
use crate::limits::Limits;
use crate::pointer;

/// The deepest nesting of arrays and objects a request may have (serde_json refuses the next
/// level), counted the same on every platform.
pub const MAX_NESTING: usize = 127;

/// The contract version this engine answers.
pub const CONTRACT_VERSION: u64 = 1;

/// A request type: it carries the optional `version` member, and may have rules that span
/// several members, checked once it is read.
pub trait Versioned {
    /// The JSON Pointer of the one string member held to the request size rather than the
    /// string limit (docs/limits.md), if the request has one.
    const LONG_MEMBER: Option<&'static str> = None;
    fn version(&self) -> Option<&serde_json::Value>;
    fn check(&self, limits: &Limits) -> Result<(), Error>;
}

macro_rules! rulebook_and_evidence {
    ($($t:ty),*) => {$(
        impl Versioned for $t {
            fn version(&self) -> Option<&serde_json::Value> { self.version.as_ref() }
            fn check(&self, limits: &Limits) -> Result<(), Error> {
                limits.check_rulebook(&self.rulebook, "/rulebook")?;
                self.evidence.check("/evidence")
            }
        }
    )*};
}
rulebook_and_evidence!(super::EvaluateRequest, super::CodeUsageRequest, super::RenameCodeRequest);

impl Versioned for super::EvidenceRequest {
    fn version(&self) -> Option<&serde_json::Value> {
        self.version.as_ref()
    }
    fn check(&self, _: &Limits) -> Result<(), Error> {
        self.evidence.check("/evidence")
    }
}

impl Versioned for super::CompareRequest {
    fn version(&self) -> Option<&serde_json::Value> {
        self.version.as_ref()
    }
    fn check(&self, limits: &Limits) -> Result<(), Error> {
        limits.check_rulebook(&self.rulebook, "/rulebook")?;
        self.before.check("/before")?;
        self.after.check("/after")
    }
}

impl Versioned for super::CompareEvidenceRequest {
    fn version(&self) -> Option<&serde_json::Value> {
        self.version.as_ref()
    }
    fn check(&self, _: &Limits) -> Result<(), Error> {
        self.before.check("/before")?;
        self.after.check("/after")
    }
}

macro_rules! rulebook_only {
    ($($t:ty),*) => {$(
        impl Versioned for $t {
            fn version(&self) -> Option<&serde_json::Value> { self.version.as_ref() }
            fn check(&self, limits: &Limits) -> Result<(), Error> { limits.check_rulebook(&self.rulebook, "/rulebook") }
        }
    )*};
}
rulebook_only!(super::ValidateRequest);

impl Versioned for super::FormatIdentifierRequest {
    fn version(&self) -> Option<&serde_json::Value> {
        self.version.as_ref()
    }
    fn check(&self, limits: &Limits) -> Result<(), Error> {
        limits.check_format(&self.format, "/format")
    }
}

impl Versioned for super::ImportTrainingRecordsRequest {
    const LONG_MEMBER: Option<&'static str> = Some("/csv");
    fn version(&self) -> Option<&serde_json::Value> {
        self.version.as_ref()
    }
    fn check(&self, _: &Limits) -> Result<(), Error> {
        self.contacts.as_ref().map_or(Ok(()), |contacts| super::request::import_contacts(contacts).map(drop))
    }
}

impl Versioned for super::ExportTrainingRecordsRequest {
    fn version(&self) -> Option<&serde_json::Value> {
        self.version.as_ref()
    }
    fn check(&self, _: &Limits) -> Result<(), Error> {
        Ok(())
    }
}

/// Reads a request: the limits on its text, its `version`, then the whole typed request and
/// the rules that span several members.
pub fn read_request<T: DeserializeOwned + Versioned>(bytes: &[u8], limits: &Limits) -> Result<T, Error> {
    limits.check_text_except(bytes, T::LONG_MEMBER)?;
    match read::<T>(bytes) {
        Ok(request) => {
            check_version(request.version())?;
            request.check(limits)?;
            Ok(request)
        }
        Err(err) => {
            // `{"version": 2, ...}` is unsupported whatever the rest holds.
            if let Some(version) = read_version(bytes) {
                check_version(Some(&version))?;
            }
            Err(err)
        }
    }
}

/// The request's `version` member, when the request is an object that has one.
pub(crate) fn read_version(bytes: &[u8]) -> Option<serde_json::Value> {
    // Read as text, as `read` does (the module holds one reader): text that is not UTF-8 is
    // not JSON, whatever its `version`.
    let mut de = serde_json::Deserializer::from_str(core::str::from_utf8(bytes).ok()?);
    let only: VersionOnly = super::object::from_object(&mut de, "a request object").ok()?;
    only.version
}

/// Fails unless `version` is absent or 1.
pub fn check_version(version: Option<&serde_json::Value>) -> Result<(), Error> {
    match version {
        None => Ok(()),
        Some(v) if v.as_u64() == Some(CONTRACT_VERSION) => Ok(()),
        Some(v) => Err(Error::new(
            ErrorCode::UnsupportedVersion,
            format!("version `{v}` is not supported: this engine answers version {CONTRACT_VERSION}"),
            "/version",
        )),
    }
}

/// Reads any JSON document into `T`, mapping serde's errors onto request errors.
///
/// The text is checked to be UTF-8 once, as a whole (a word at a time), and then read as a
/// `str`, so that serde_json does not validate each string again. Text that is not UTF-8 is not
/// JSON (RFC 8259 §8.1): `invalid-json`, whatever else it holds (docs/abi.md).
pub fn read<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let text = core::str::from_utf8(bytes).map_err(|err| not_utf8(bytes, err.valid_up_to()))?;
    let mut de = serde_json::Deserializer::from_str(text);
    T::deserialize(&mut de).and_then(|value| de.end().map(|()| value)).map_err(|err| from_json_error(&err, bytes))
}

/// The `invalid-json` error of text whose first byte that is not UTF-8 is at `offset`, placed
/// by line and column (counted in bytes, from 1) as serde_json places its syntax errors.
fn not_utf8(bytes: &[u8], offset: usize) -> Error {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = offset - before.iter().rposition(|&b| b == b'\n').map_or(0, |newline| newline + 1) + 1;
    Error::new(ErrorCode::InvalidJson, format!("the request is not UTF-8 text at line {line} column {column}"), "")
}

fn from_json_error(err: &serde_json::Error, bytes: &[u8]) -> Error {
    let full = err.to_string();
    let message = match full.rfind(" at line ") {
        Some(at) => full.get(..at).unwrap_or(&full).to_string(),
        None => full.clone(),
    };
    let offset = locate::offset_of(bytes, err.line(), err.column());
    match err.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            if message == "recursion limit exceeded" {
                // serde_json points just past the bracket that goes too deep: name that bracket.
                let path = locate::pointer_at(bytes, offset.saturating_sub(1));
                let message = format!("the request nests deeper than {MAX_NESTING} levels of arrays and objects");
                return Error::new(ErrorCode::LimitExceeded, message, path);
            }
            // serde_json also calls a wrong-shaped enum value a syntax error: the text decides.
            if core::str::from_utf8(bytes)
                .map_or(true, |text| serde_json::from_str::<serde::de::IgnoredAny>(text).is_err())
            {
                return Error::new(ErrorCode::InvalidJson, full, "");
            }
            // Such errors point just past the byte serde_json peeked at: name that value.
            Error::new(ErrorCode::InvalidInput, message, locate::pointer_at(bytes, offset.saturating_sub(1)))
        }
        Category::Data => {
            let mut path = if message.starts_with("unknown variant") {
                locate::pointer_at_value(bytes, offset)
            } else {
                locate::pointer_at(bytes, offset)
            };
            // A missing member is named in the path.
            if let Some(member) = member_named(&message) {
                pointer::push(&mut path, member);
            }
            Error::new(ErrorCode::InvalidInput, message, path)
        }
    }
}

/// The member named by serde's `missing field` error (the tracked path already names unknown
/// and duplicated members).
fn member_named(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `").and_then(|rest| rest.split_once('`')).map(|(member, _)| member)
}
