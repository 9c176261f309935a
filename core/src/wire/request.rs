//! The requests of spec.md §2, one per operation.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Deserialize;

use super::object::wire_struct;
#[cfg(feature = "ts")]
use crate::wire::object::ts_prelude::*;

use super::evidence::{Evidence, TrainingRecord};
use super::rulebook::Rulebook;
use super::scalar::{null_as_default, Count, Padding, SequenceNumber};
use crate::calendar::Date;

wire_struct! {
    "an options object", [Clone, Copy, Debug, Default],
/// `options` of an evaluate request.
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct Options {
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
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
/// An `evaluate` request (spec.md §2): a rulebook and evidence, decided as of a date.
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct EvaluateRequest {
    #[cfg_attr(feature = "ts", ts(type = "1 | null", optional))]
    pub version: Option<serde_json::Value>,
    pub as_of: Date,
    pub rulebook: Rulebook,
    pub evidence: Evidence,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub options: Options,
    }
}

wire_struct! {
    "an evaluate request object", [Clone, Debug],
/// An evaluate request without its rulebook, for a prepared rulebook.
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct EvidenceRequest {
    #[cfg_attr(feature = "ts", ts(type = "1 | null", optional))]
    pub version: Option<serde_json::Value>,
    pub as_of: Date,
    pub evidence: Evidence,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub options: Options,
    }
}

wire_struct! {
    "a compare request object", [Clone, Debug],
/// A `compare` request (spec.md §14): two evidences decided against one rulebook as of one
/// date, to list what differs between their answers.
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct CompareRequest {
    #[cfg_attr(feature = "ts", ts(type = "1 | null", optional))]
    pub version: Option<serde_json::Value>,
    pub as_of: Date,
    pub rulebook: Rulebook,
    pub before: Evidence,
    pub after: Evidence,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub options: Options,
    }
}

wire_struct! {
    "a compare request object", [Clone, Debug],
/// A compare request without its rulebook, for a prepared rulebook.
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct CompareEvidenceRequest {
    #[cfg_attr(feature = "ts", ts(type = "1 | null", optional))]
    pub version: Option<serde_json::Value>,
    pub as_of: Date,
    pub before: Evidence,
    pub after: Evidence,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub options: Options,
    }
}

wire_struct! {
    "a validate request object", [Clone, Debug],
/// A `validate` request: the rulebook to check.
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct ValidateRequest {
    #[cfg_attr(feature = "ts", ts(type = "1 | null", optional))]
    pub version: Option<serde_json::Value>,
    pub rulebook: Rulebook,
    }
}

wire_struct! {
    "a format identifier request object", [Clone, Debug],
/// A `formatIdentifier` request (spec.md §6): a format, its padding, a number and the merge values.
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct FormatIdentifierRequest {
    #[cfg_attr(feature = "ts", ts(type = "1 | null", optional))]
    pub version: Option<serde_json::Value>,
    pub format: String,
    pub padding: Option<Padding>,
    pub number: SequenceNumber,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub fields: BTreeMap<String, Option<String>>,
    }
}

wire_struct! {
    "a code usage request object", [Clone, Debug],
/// A `codeUsage` request: where each qualification code is used, and whether it can be deleted.
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct CodeUsageRequest {
    #[cfg_attr(feature = "ts", ts(type = "1 | null", optional))]
    pub version: Option<serde_json::Value>,
    pub rulebook: Rulebook,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub evidence: Evidence,
    }
}

wire_struct! {
    "a rename code request object", [Clone, Debug],
/// A `renameCode` request: the qualification code `from` renamed to `to` throughout the rulebook;
/// with `evidence`, the training records that carry `from` are listed for a hand edit.
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct RenameCodeRequest {
    #[cfg_attr(feature = "ts", ts(type = "1 | null", optional))]
    pub version: Option<serde_json::Value>,
    pub rulebook: Rulebook,
    pub from: String,
    pub to: String,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub evidence: Evidence,
    }
}

wire_struct! {
    "a contact object", [Clone, Debug, Default, PartialEq, Eq],
/// A contact of the training-record CSV (spec.md §12, "Training-record CSV"): the `Name` the
/// CSV shows for it, and the `email`, `firstname` and `lastname` columns of an export.
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    }
}

wire_struct! {
    "an import training records request object", [Clone, Debug],
/// An `importTrainingRecords` request: the CSV text, and the contacts its `Name` column names
/// (by contact id).
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct ImportTrainingRecordsRequest {
    #[cfg_attr(feature = "ts", ts(type = "1 | null", optional))]
    pub version: Option<serde_json::Value>,
    pub csv: String,
    pub contacts: Option<BTreeMap<String, Contact>>,
    }
}

wire_struct! {
    "an export training records request object", [Clone, Debug],
/// An `exportTrainingRecords` request: the records to write as CSV, and the contacts (by
/// contact id) that give each row's `Name`, `email`, `firstname` and `lastname`.
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct ExportTrainingRecordsRequest {
    #[cfg_attr(feature = "ts", ts(type = "1 | null", optional))]
    pub version: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub training_records: Vec<TrainingRecord>,
    pub contacts: Option<BTreeMap<String, Contact>>,
    }
}

/// Just the `version` member of any request, read before the rest (from an object only:
/// see [`super::read::read_version`]).
#[derive(Deserialize)]
pub(crate) struct VersionOnly {
    pub version: Option<serde_json::Value>,
}
