//! Diagnostics (spec.md §10): problems that concern one part of the request. They never stop the
//! evaluation of the unaffected parts.

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

#[cfg(feature = "ts")]
use crate::wire::object::ts_prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Severity {
    Error,
    Warning,
}

/// The fixed diagnostic codes of spec.md §10.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Code {
    DuplicateId,
    UnknownReference,
    FormatMissingSequenceNumber,
    FormatWhitespace,
    FormatUnknownField,
    FormatSyntax,
    FormatTrailingWhitespace,
    MergeValueMissing,
    MergeValueWhitespace,
    FormatMissing,
    SequenceExhausted,
    DateOutOfRange,
    EventNoRequiredSessions,
    CertificationNoGradedCourse,
    CertificationUnpublishedCourse,
    CertificationGroupNotOnAllCourses,
    CertificationUnpublished,
    QualificationCodeDuplicate,
    QualificationCodeUnknown,
    RenewalWindowTooLong,
    RenewalAnchorMissing,
    RenewalAnchorUnused,
    RenewalMinimumActiveTooLong,
    RenewalNeedsPeriod,
    DueDateOnRecurring,
    ApprovalOnManualOnly,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::DuplicateId => "duplicate-id",
            Code::UnknownReference => "unknown-reference",
            Code::FormatMissingSequenceNumber => "format-missing-sequence-number",
            Code::FormatWhitespace => "format-whitespace",
            Code::FormatUnknownField => "format-unknown-field",
            Code::FormatSyntax => "format-syntax",
            Code::FormatTrailingWhitespace => "format-trailing-whitespace",
            Code::MergeValueMissing => "merge-value-missing",
            Code::MergeValueWhitespace => "merge-value-whitespace",
            Code::FormatMissing => "format-missing",
            Code::SequenceExhausted => "sequence-exhausted",
            Code::DateOutOfRange => "date-out-of-range",
            Code::EventNoRequiredSessions => "event-no-required-sessions",
            Code::CertificationNoGradedCourse => "certification-no-graded-course",
            Code::CertificationUnpublishedCourse => "certification-unpublished-course",
            Code::CertificationGroupNotOnAllCourses => "certification-group-not-on-all-courses",
            Code::CertificationUnpublished => "certification-unpublished",
            Code::QualificationCodeDuplicate => "qualification-code-duplicate",
            Code::QualificationCodeUnknown => "qualification-code-unknown",
            Code::RenewalWindowTooLong => "renewal-window-too-long",
            Code::RenewalAnchorMissing => "renewal-anchor-missing",
            Code::RenewalAnchorUnused => "renewal-anchor-unused",
            Code::RenewalMinimumActiveTooLong => "renewal-minimum-active-too-long",
            Code::RenewalNeedsPeriod => "renewal-needs-period",
            Code::DueDateOnRecurring => "due-date-on-recurring",
            Code::ApprovalOnManualOnly => "approval-on-manual-only",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// A JSON Pointer into the request.
    pub path: String,
    pub message: String,
}

/// Collects diagnostics; [`Diagnostics::into_sorted`] gives them in the order of spec.md §9.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn error(&mut self, code: Code, path: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Error, code, path, message);
    }

    pub fn warning(&mut self, code: Code, path: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Warning, code, path, message);
    }

    fn push(&mut self, severity: Severity, code: Code, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(Diagnostic { severity, code, path: path.into(), message: message.into() });
    }

    pub fn extend(&mut self, others: &[Diagnostic]) {
        self.0.extend_from_slice(others);
    }

    /// Sorted by (path, code, message), byte-wise, identical ones once.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        crate::order::sort_by(&mut self.0, |a, b| {
            (a.path.as_bytes(), a.code.as_str().as_bytes(), a.message.as_bytes(), a.severity).cmp(&(
                b.path.as_bytes(),
                b.code.as_str().as_bytes(),
                b.message.as_bytes(),
                b.severity,
            ))
        });
        self.0.dedup();
        self.0
    }
}
