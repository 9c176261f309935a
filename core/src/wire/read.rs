//! Reads request bytes into typed requests. Every failure is an [`Error`] whose `path` is a
//! JSON Pointer to the member at fault (SPEC §2, §12).

use alloc::format;
use alloc::string::{String, ToString};
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use serde_path_to_error::Segment;

use super::request::VersionOnly;
use crate::error::{Error, ErrorCode};
use crate::pointer;

/// The deepest nesting of arrays and objects a request may have (serde_json refuses the next
/// level), counted the same on every platform.
pub const MAX_NESTING: usize = 127;

/// The contract version this engine answers.
pub const CONTRACT_VERSION: u64 = 1;

/// A request type that carries the optional `version` member.
pub trait Versioned {
    fn version(&self) -> Option<&serde_json::Value>;
}

macro_rules! versioned {
    ($($t:ty),*) => {$(
        impl Versioned for $t {
            fn version(&self) -> Option<&serde_json::Value> { self.version.as_ref() }
        }
    )*};
}
versioned!(
    super::EvaluateRequest,
    super::EvidenceRequest,
    super::ValidateRequest,
    super::FormatIdentifierRequest,
    super::CodeUsageRequest,
    super::RenameCodeRequest
);

/// Reads a request: its `version` first, then the whole typed request.
pub fn read_request<T: DeserializeOwned + Versioned>(bytes: &[u8]) -> Result<T, Error> {
    match read::<T>(bytes) {
        Ok(request) => {
            check_version(request.version())?;
            Ok(request)
        }
        Err(err) => {
            // `{"version": 2, ...}` is unsupported whatever the rest holds.
            if let Ok(VersionOnly { version: Some(version) }) = serde_json::from_slice::<VersionOnly>(bytes) {
                check_version(Some(&version))?;
            }
            Err(err)
        }
    }
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
pub fn read<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|err| {
        let mut path = String::new();
        for segment in err.path().iter() {
            match segment {
                Segment::Seq { index } => {
                    path.push('/');
                    path.push_str(&index.to_string());
                }
                Segment::Map { key } | Segment::Enum { variant: key } => pointer::push(&mut path, key),
                Segment::Unknown => {}
            }
        }
        from_json_error(err.inner(), path)
    })?;
    de.end().map_err(|err| from_json_error(&err, String::new()))?;
    Ok(value)
}

fn from_json_error(err: &serde_json::Error, mut path: String) -> Error {
    let full = err.to_string();
    match err.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            if full.starts_with("recursion limit exceeded") {
                let message = format!("the request nests deeper than {MAX_NESTING} levels of arrays and objects");
                return Error::new(ErrorCode::LimitExceeded, message, path);
            }
            Error::new(ErrorCode::InvalidJson, full, "")
        }
        Category::Data => {
            let mut message = match full.rfind(" at line ") {
                Some(at) => full.get(..at).unwrap_or(&full).to_string(),
                None => full,
            };
            // Errors about one member of an object name that member in the path.
            if let Some(rest) = message.strip_prefix('@') {
                if let Some((member, text)) = rest.split_once('@') {
                    pointer::push(&mut path, member);
                    message = text.to_string();
                }
            } else if let Some(member) = member_named(&message) {
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
