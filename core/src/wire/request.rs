//! The requests of SPEC.md §2, one per operation.

use alloc::collections::BTreeMap;
use alloc::string::String;
use serde::Deserialize;

use super::object::wire_struct;

use super::evidence::Evidence;
use super::rulebook::Rulebook;
use super::scalar::{null_as_default, Count, Padding, SequenceNumber};
use crate::calendar::Date;

wire_struct! {
    "an options object", [Clone, Copy, Debug, Default],
/// `options` of an evaluate request.
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    pub struct Options {
    #[serde(default, deserialize_with = "null_as_default")]
    pub trace: bool,
    pub expiring_within_days: Option<Count>,
    }
}

impl Options {
    /// The holdings' `expiring` horizon, 30 days unless set.
    pub fn expiring_within_days(&self) -> u32 {
        self.expiring_within_days.map_or(30, |c| c.0)
    }
}

wire_struct! {
    "an evaluate request object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    pub struct EvaluateRequest {
    pub version: Option<serde_json::Value>,
    pub as_of: Date,
    pub rulebook: Rulebook,
    pub evidence: Evidence,
    #[serde(default, deserialize_with = "null_as_default")]
    pub options: Options,
    }
}

wire_struct! {
    "an evaluate request object", [Clone, Debug],
/// An evaluate request without its rulebook, for a prepared rulebook.
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    pub struct EvidenceRequest {
    pub version: Option<serde_json::Value>,
    pub as_of: Date,
    pub evidence: Evidence,
    #[serde(default, deserialize_with = "null_as_default")]
    pub options: Options,
    }
}

wire_struct! {
    "a validate request object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    pub struct ValidateRequest {
    pub version: Option<serde_json::Value>,
    pub rulebook: Rulebook,
    }
}

wire_struct! {
    "a format identifier request object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    pub struct FormatIdentifierRequest {
    pub version: Option<serde_json::Value>,
    pub format: String,
    pub padding: Option<Padding>,
    pub number: SequenceNumber,
    #[serde(default, deserialize_with = "null_as_default")]
    pub fields: BTreeMap<String, Option<String>>,
    }
}

wire_struct! {
    "a code usage request object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    pub struct CodeUsageRequest {
    pub version: Option<serde_json::Value>,
    pub rulebook: Rulebook,
    #[serde(default, deserialize_with = "null_as_default")]
    pub evidence: Evidence,
    }
}

wire_struct! {
    "a rename code request object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    pub struct RenameCodeRequest {
    pub version: Option<serde_json::Value>,
    pub rulebook: Rulebook,
    pub from: String,
    pub to: String,
    }
}

/// Just the `version` member of any request, read before the rest.
#[derive(Deserialize)]
pub(crate) struct VersionOnly {
    pub version: Option<serde_json::Value>,
}
