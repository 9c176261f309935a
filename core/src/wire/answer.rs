//! The answers of SPEC.md §8 and the other operations' results.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use super::evidence::Revocation;
use super::scalar::Percent;
use crate::calendar::Date;
use crate::diagnostics::Diagnostic;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EngineInfo {
    pub name: &'static str,
    pub version: &'static str,
}

/// Where an award comes from: an event or a learning path (exactly one, SPEC §12).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Origin {
    Event(String),
    Path(String),
}

impl Origin {
    pub fn id(&self) -> &str {
        match self {
            Origin::Event(id) | Origin::Path(id) => id,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Awarded,
    Failed,
    Pending,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    Automatic,
    Manual,
}

/// An unmet condition; the declaration order is the order of SPEC §5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WaitingOn {
    ManualResult,
    Attendance,
    OnlineCompletion,
    Score,
    Invoice,
}

/// One check made while deciding an outcome (`options.trace`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TraceEntry {
    pub check: &'static str,
    pub required: String,
    pub observed: String,
    pub ok: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    pub learner: String,
    pub contact: String,
    #[serde(flatten)]
    pub origin: Origin,
    pub achievement: String,
    pub status: Status,
    pub source: Source,
    pub met_on: Option<Date>,
    pub awarded_on: Option<Date>,
    pub valid_from: Option<Date>,
    pub expires_on: Option<Date>,
    pub identifier: Option<String>,
    pub record: Option<String>,
    pub waiting_on: Vec<WaitingOn>,
    pub trace: Vec<TraceEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathProgress {
    pub enrollment: String,
    pub contact: String,
    pub path: String,
    pub done: u32,
    pub total: u32,
    pub percent: u32,
    pub complete: bool,
    pub completed_on: Option<Date>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertificationStatus {
    Completed,
    Expired,
    Overdue,
    InProgress,
    NotStarted,
    Unpublished,
    Retired,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificationProgress {
    pub contact: String,
    pub certification: String,
    pub visible: bool,
    pub status: CertificationStatus,
    pub cycle: u32,
    pub window_start: Option<Date>,
    pub completed_on: Option<Date>,
    pub valid_until: Option<Date>,
    pub due_date: Option<Date>,
    pub requirements: Vec<Requirement>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Requirement {
    pub course: String,
    pub met: bool,
    pub best_grade: Option<Percent>,
    pub met_on: Option<Date>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HoldingStatus {
    Valid,
    Expiring,
    Expired,
    Revoked,
    NotYetValid,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Holding {
    pub contact: String,
    pub achievement: String,
    pub status: HoldingStatus,
    pub valid_until: Option<Date>,
    pub history: Vec<HistoryEntry>,
}

/// An achievement record in the issued-record shape, absent members as `null`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub id: Option<String>,
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

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Action {
    Issue(IssueAction),
    Notify(NotifyAction),
    ReviewRevoke(ReviewRevokeAction),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssueAction {
    pub learner: String,
    pub contact: String,
    pub achievement: String,
    #[serde(flatten)]
    pub origin: Origin,
    pub awarded_on: Date,
    pub valid_from: Date,
    pub expires_on: Option<Date>,
    pub identifier: Option<String>,
    pub certificate: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotifyAction {
    pub trigger: &'static str,
    pub learner: String,
    pub contact: String,
    pub achievement: String,
    #[serde(flatten)]
    pub origin: Origin,
    pub attach_certificate: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewRevokeAction {
    pub record: String,
    pub learner: String,
    pub contact: String,
    pub achievement: String,
    #[serde(flatten)]
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluateAnswer {
    pub engine: EngineInfo,
    pub as_of: Date,
    pub outcomes: Vec<Outcome>,
    pub paths: Vec<PathProgress>,
    pub certifications: Vec<CertificationProgress>,
    pub holdings: Vec<Holding>,
    pub actions: Vec<Action>,
    pub sequence_state: BTreeMap<String, u64>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValidateAnswer {
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FormatIdentifierAnswer {
    pub identifier: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodeUsageAnswer {
    pub codes: Vec<CodeUsage>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeUsage {
    pub code: String,
    pub used_in: Vec<CodeUse>,
    pub training_records: u32,
    pub deletable: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeUseKind {
    CourseTemplate,
    Event,
    Course,
    LearningPath,
    PathStep,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CodeUse {
    pub kind: CodeUseKind,
    pub id: String,
    pub path: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RenameCodeAnswer {
    pub rulebook: serde_json::Value,
    pub updated: Vec<String>,
    pub manual: Vec<CodeUse>,
    pub diagnostics: Vec<Diagnostic>,
}
