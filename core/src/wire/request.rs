//! The requests of spec.md §2, one per operation.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Deserialize;

use super::object::wire_struct;
#[cfg(feature = "ts")]
use crate::wire::object::ts_prelude::*;

use super::evidence::{Evidence, TrainingRecord};
use super::rulebook::Rulebook;
use super::scalar::Shown;
use super::scalar::{null_as_default, Count, Padding, SequenceNumber};
use crate::calendar::Date;
use crate::error::{Error, ErrorCode};
use crate::pointer;

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
/// An `importTrainingRecords` request: the CSV text, and the contacts its `Name` column names:
/// a name → contact id map, or the contacts by contact id as an export takes them.
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct ImportTrainingRecordsRequest {
    #[cfg_attr(feature = "ts", ts(type = "1 | null", optional))]
    pub version: Option<serde_json::Value>,
    pub csv: String,
    #[cfg_attr(feature = "ts", ts(type = "{ [key in string]: string | Contact } | null", optional))]
    pub contacts: Option<serde_json::Value>,
    }
}

/// A member of an import's `contacts` (spec.md §12, "Training-record CSV"): `"Ada Lovelace":
/// "C1"`, the name a `Name` cell shows → its contact id; or `"C1": {"name": "Ada Lovelace", …}`,
/// a contact id → the contact, as `exportTrainingRecords` takes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportContact<'a> {
    /// The member's value is the contact id; its name is the member's name.
    Id(&'a str),
    /// The member's name is the contact id; the contact's `name`, if it has one.
    Contact { name: Option<&'a str> },
}

/// The contact object's members, each a string or `null`.
const CONTACT_MEMBERS: [&str; 4] = ["name", "email", "firstName", "lastName"];

/// The members of an import's `contacts` (`value`, the request's member), each checked with
/// [`import_contact`]; `null` has none. (`contacts` is read as JSON and checked here, once the
/// request is read: a serde reader of its two member forms adds about 3 KB gzipped to the
/// shipped module, this about 1.2 KB.)
pub fn import_contacts(
    value: &serde_json::Value,
) -> Result<Option<&serde_json::Map<String, serde_json::Value>>, Error> {
    match value {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Object(members) => {
            for (member, value) in members {
                import_contact(value, &pointer::join("/contacts", member))?;
            }
            Ok(Some(members))
        }
        _ => {
            let message = "`contacts` is an object: names to contact ids, or contacts by contact id";
            Err(Error::new(ErrorCode::InvalidInput, message, "/contacts"))
        }
    }
}

/// Reads the member `value` of an import's `contacts`; an error's path is `path` (the member's)
/// or one of its members'.
pub fn import_contact<'a>(value: &'a serde_json::Value, path: &str) -> Result<ImportContact<'a>, Error> {
    use serde_json::Value;
    match value {
        Value::String(id) => Ok(ImportContact::Id(id)),
        Value::Object(contact) => {
            for (member, value) in contact {
                if !CONTACT_MEMBERS.contains(&member.as_str()) {
                    let message = format!("a contact object has no member `{}`", Shown(member));
                    return Err(Error::new(ErrorCode::InvalidInput, message, pointer::join(path, member)));
                }
                if !matches!(value, Value::String(_) | Value::Null) {
                    let message = format!("a contact's `{member}` is a string or null");
                    return Err(Error::new(ErrorCode::InvalidInput, message, pointer::join(path, member)));
                }
            }
            Ok(ImportContact::Contact { name: contact.get("name").and_then(Value::as_str) })
        }
        _ => {
            Err(Error::new(ErrorCode::InvalidInput, "a member of `contacts` is a contact id or a contact object", path))
        }
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
