//! The evidence of spec.md §4, as read from a request.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::object::{string_enum, wire_struct};
#[cfg(feature = "ts")]
use crate::wire::object::ts_prelude::*;

use super::scalar::{null_as_default, Count, Percent, SequenceState};
use crate::calendar::Date;
use crate::error::{Error, ErrorCode};
use alloc::format;

wire_struct! {
    "an evidence object", [Clone, Debug, Default],
/// What learners did (spec.md §4).
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct Evidence {
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub learners: Vec<Learner>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub path_enrollments: Vec<PathEnrollment>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub training_records: Vec<TrainingRecord>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub certification_assignments: Vec<CertificationAssignment>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub course_results: Vec<CourseResult>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub issued: Vec<IssuedRecord>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub certified: Vec<CertifiedRecord>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub sequence_state: BTreeMap<String, SequenceState>,
    }
}

wire_struct! {
    "a learner object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct Learner {
    pub id: String,
    pub contact: String,
    pub account: Option<String>,
    pub event: String,
    pub invoice: Option<Invoice>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub attendance: BTreeMap<String, Option<Attendance>>,
    pub online: Option<Online>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub results: Vec<ManualResult>,
    }
}

string_enum! {
    "`present`, `absent` or `excused`",
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    #[cfg_attr(feature = "ts", ts(rename_all = "kebab-case"))]
    pub enum Attendance {
        Present,
        Absent,
        Excused,
    }
}

string_enum! {
    "`paid`, `unpaid` or `none`",
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    #[cfg_attr(feature = "ts", ts(rename_all = "kebab-case"))]
    pub enum InvoiceStatus {
        Paid,
        Unpaid,
        None,
    }
}

wire_struct! {
    "an invoice object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct Invoice {
    pub status: InvoiceStatus,
    pub paid_on: Option<Date>,
    }
}

impl Evidence {
    /// Rules that span several members, checked once the evidence is read (spec.md §12).
    pub fn check(&self, base: &str) -> Result<(), Error> {
        for (i, learner) in self.learners.iter().enumerate() {
            learner.check(|| format!("{base}/learners/{i}"))?;
        }
        Ok(())
    }
}

impl Learner {
    /// The rules of [`Evidence::check`] that concern one learner, whose path is `base()`.
    pub fn check(&self, base: impl Fn() -> String) -> Result<(), Error> {
        if let Some(invoice) = &self.invoice {
            if invoice.status == InvoiceStatus::Paid && invoice.paid_on.is_none() {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    "an invoice of status `paid` must have `paidOn`",
                    format!("{}/invoice/paidOn", base()),
                ));
            }
        }
        Ok(())
    }
}

wire_struct! {
    "an online progress object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct Online {
    pub progress: Option<Percent>,
    pub score: Option<Percent>,
    pub completed_on: Option<Date>,
    }
}

string_enum! {
    "`pass` or `fail`",
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    #[cfg_attr(feature = "ts", ts(rename_all = "kebab-case"))]
    pub enum ResultOutcome {
        Pass,
        Fail,
    }
}

wire_struct! {
    "a result object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct ManualResult {
    pub achievement: String,
    pub outcome: ResultOutcome,
    pub on: Date,
    pub by: Option<String>,
    pub reason: Option<String>,
    }
}

wire_struct! {
    "a path enrollment object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct PathEnrollment {
    pub id: String,
    pub contact: String,
    pub path: String,
    pub enrolled_on: Option<Date>,
    }
}

wire_struct! {
    "a training record object", [Clone, Debug, PartialEq, Eq],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct TrainingRecord {
    pub record_id: String,
    pub contact: String,
    pub record_type: Option<String>,
    pub object_id: Option<String>,
    pub title: Option<String>,
    pub provider: Option<String>,
    pub completion_date: Date,
    pub qualification_code: Option<String>,
    pub other_information: Option<String>,
    }
}

string_enum! {
    "`group` or `individual`",
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    #[cfg_attr(feature = "ts", ts(rename_all = "kebab-case"))]
    pub enum Via {
        Group,
        Individual,
    }
}

wire_struct! {
    "a certification assignment object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct CertificationAssignment {
    pub contact: String,
    pub certification: String,
    pub assigned_on: Date,
    pub via: Option<Via>,
    pub grace_period_days: Option<Count>,
    pub due_on: Option<Date>,
    }
}

wire_struct! {
    "a course result object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct CourseResult {
    pub contact: String,
    pub course: String,
    pub grade: Percent,
    pub completed_on: Date,
    }
}

wire_struct! {
    "an issued record object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct IssuedRecord {
    pub id: String,
    pub achievement: String,
    pub contact: String,
    pub learner: Option<String>,
    pub event: Option<String>,
    pub path: Option<String>,
    pub awarded_on: Date,
    pub valid_from: Date,
    pub expires_on: Option<Date>,
    pub identifier: Option<String>,
    pub revoked: Option<Revocation>,
    }
}

wire_struct! {
    "a certified record object", [Clone, Debug],
    /// A certification record the host holds: one completed cycle it persisted (spec.md §7,
    /// Recertification records).
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct CertifiedRecord {
    pub id: String,
    pub contact: String,
    pub certification: String,
    pub cycle: Count,
    pub completed_on: Date,
    pub valid_until: Option<Date>,
    pub revoked: Option<Revocation>,
    }
}

wire_struct! {
    "a revocation object", [Clone, Debug, PartialEq, Eq, serde::Serialize],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct Revocation {
    pub on: Date,
    pub by: Option<String>,
    pub reason: Option<String>,
    }
}
