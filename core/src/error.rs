//! The fatal errors of spec.md §2: input that cannot be read as the request types.

use alloc::string::String;
use serde::Serialize;

#[cfg(feature = "ts")]
use crate::wire::object::ts_prelude::*;

/// The stable error codes of spec.md §2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ErrorCode {
    InvalidJson,
    InvalidInput,
    UnsupportedVersion,
    LimitExceeded,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid-json",
            ErrorCode::InvalidInput => "invalid-input",
            ErrorCode::UnsupportedVersion => "unsupported-version",
            ErrorCode::LimitExceeded => "limit-exceeded",
            ErrorCode::Internal => "internal",
        }
    }
}

/// A request the engine cannot read: `{"error": {"code", "message", "path"}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "AnswerError"))]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    /// A JSON Pointer into the request (`""` is the whole request).
    pub path: String,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>, path: impl Into<String>) -> Error {
        Error { code, message: message.into(), path: path.into() }
    }
}

impl Error {
    /// The error of a part of a request read on its own (a rulebook, a learner), as an error of
    /// the whole request: its path under `base`. Text that is not JSON (`invalid-json`) and text
    /// over the size limit concern the text given, so their path stays `""`.
    pub fn under(mut self, base: &str) -> Error {
        if self.code != ErrorCode::InvalidJson && !(self.code == ErrorCode::LimitExceeded && self.path.is_empty()) {
            self.path = alloc::format!("{base}{}", self.path);
        }
        self
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        write!(f, "{} at `{}`: {}", self.code.as_str(), self.path, self.message)
    }
}
