//! The answers of spec.md §8 and the other operations' results.
//!
//! The types of the `evaluate` answer are declared with `answer_struct!` and `answer_enum!`
//! (`wire::write_answer`): a field's (or variant's) JSON name is its Rust name in camelCase
//! (kebab-case), and its serde form, its direct writer and its TypeScript type all come from
//! the one declaration here, so a new member of an answer is one new field of its struct.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use serde::Serialize;

use super::evidence::Revocation;
use super::scalar::Percent;
use crate::calendar::Date;
use crate::diagnostics::Diagnostic;
#[cfg(feature = "ts")]
use crate::wire::object::ts_prelude::*;
use crate::wire::write_answer::{answer_enum, answer_struct};

/// Text of an answer: borrowed from the request, or made by the evaluation (an identifier) and
/// then shared by every member that repeats it (the outcome, its issue action and its holding's
/// history) instead of copied into each.
/// (In TypeScript a `string`: members of this type say so.)
#[derive(Clone, Debug)]
pub enum Text<'a> {
    Borrowed(&'a str),
    Shared(Arc<str>),
}

impl core::ops::Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::Borrowed(text) => text,
            Text::Shared(text) => text,
        }
    }
}

/// Two texts are equal when their characters are, however each is held.
impl PartialEq for Text<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Text<'_> {}

impl Serialize for Text<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

answer_struct! { rare
    #[derive(Clone, Debug, PartialEq)]
    pub struct EngineInfo {
        #[cfg_attr(feature = "ts", ts(type = "\"laureate\""))]
        pub name: &'static str,
        pub version: &'static str,
    }
}

// A field of this type is written in its place among the award's members, as `"event": id` or
// `"path": id` (its `Json::member` in `wire::write_answer`).
/// Where an award comes from: an event or a learning path (exactly one, spec.md §12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Origin<'a> {
    Event(&'a str),
    Path(&'a str),
}

impl<'a> Origin<'a> {
    pub fn id(&self) -> &'a str {
        match self {
            Origin::Event(id) | Origin::Path(id) => id,
        }
    }
}

answer_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Status {
        Awarded,
        Failed,
        Pending,
        /// Awarded by the evidence, but every record of the learner and achievement is revoked.
        Revoked,
    }
}

answer_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Source {
        Automatic,
        Manual,
    }
}

answer_enum! {
    /// An unmet condition; the declaration order is the order of spec.md §5.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub enum WaitingOn {
        ManualResult,
        Attendance,
        OnlineCompletion,
        Score,
        Invoice,
        Approval,
    }
}

impl WaitingOn {
    /// In spec.md §5 order.
    pub const ALL: [WaitingOn; 6] = [
        WaitingOn::ManualResult,
        WaitingOn::Attendance,
        WaitingOn::OnlineCompletion,
        WaitingOn::Score,
        WaitingOn::Invoice,
        WaitingOn::Approval,
    ];

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The unmet conditions of an outcome: a set, written as a list in the order of spec.md §5 (each
/// condition once). One byte, so a pending outcome allocates nothing for it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WaitingOnSet(u8);

impl WaitingOnSet {
    pub const EMPTY: WaitingOnSet = WaitingOnSet(0);

    pub fn of(condition: WaitingOn) -> WaitingOnSet {
        WaitingOnSet(condition.bit())
    }

    pub fn insert(&mut self, condition: WaitingOn) {
        self.0 |= condition.bit();
    }

    pub fn union(self, other: WaitingOnSet) -> WaitingOnSet {
        WaitingOnSet(self.0 | other.0)
    }

    pub fn contains(self, condition: WaitingOn) -> bool {
        self.0 & condition.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The conditions in spec.md §5 order.
    pub fn iter(self) -> impl Iterator<Item = WaitingOn> {
        WaitingOn::ALL.into_iter().filter(move |c| self.contains(*c))
    }
}

impl FromIterator<WaitingOn> for WaitingOnSet {
    fn from_iter<I: IntoIterator<Item = WaitingOn>>(conditions: I) -> WaitingOnSet {
        let mut set = WaitingOnSet::EMPTY;
        for condition in conditions {
            set.insert(condition);
        }
        set
    }
}

impl Serialize for WaitingOnSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

answer_struct! { rare
    /// One check made while deciding an outcome (`options.trace`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct TraceEntry {
        pub check: &'static str,
        pub required: String,
        pub observed: String,
        pub ok: bool,
    }
}

answer_struct! {
    /// The decision on one achievement for one learner of an event, or one path enrolment (spec.md §5).
    #[derive(Clone, Debug, PartialEq)]
    pub struct Outcome<'a> {
        pub learner: &'a str,
        pub contact: &'a str,
        #[cfg_attr(feature = "ts", ts(flatten))]
        pub origin: Origin<'a>,
        pub achievement: &'a str,
        pub status: Status,
        pub source: Source,
        pub met_on: Option<Date>,
        pub awarded_on: Option<Date>,
        pub valid_from: Option<Date>,
        pub expires_on: Option<Date>,
        #[cfg_attr(feature = "ts", ts(type = "string | null"))]
        pub identifier: Option<Text<'a>>,
        pub record: Option<&'a str>,
        // Boxed: few outcomes have one, and outcomes are moved while they are ordered.
        pub decided_by: Option<Box<DecidedBy<'a>>>,
        #[cfg_attr(feature = "ts", ts(as = "Vec<WaitingOn>"))]
        pub waiting_on: WaitingOnSet,
        pub trace: Vec<TraceEntry>,
    }
}

answer_struct! { rare
    /// The manual result that decided an outcome: who, on which date and why.
    #[derive(Clone, Debug, PartialEq)]
    pub struct DecidedBy<'a> {
        pub by: Option<&'a str>,
        pub on: Date,
        pub reason: Option<&'a str>,
    }
}

answer_struct! { rare
    #[derive(Clone, Debug, PartialEq)]
    pub struct PathProgress<'a> {
        pub enrollment: &'a str,
        pub contact: &'a str,
        pub path: &'a str,
        pub done: u32,
        pub total: u32,
        pub percent: u32,
        pub complete: bool,
        pub completed_on: Option<Date>,
        pub steps: Vec<StepProgress<'a>>,
    }
}

answer_struct! { rare
    /// One step of a path enrolment, in the path's step order: completed on the earliest date
    /// of its code, by the evidence that completed it (spec.md §12, Paths).
    #[derive(Clone, Debug, PartialEq)]
    pub struct StepProgress<'a> {
        pub code: &'a str,
        pub required: bool,
        pub completed_on: Option<Date>,
        pub by: Option<StepEvidence<'a>>,
    }
}

answer_enum! {
    /// The kind of evidence that completes a step; the declaration order is the order in which
    /// evidence of one date wins.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub enum StepEvidenceKind {
        TrainingRecord,
        EventAward,
        CourseResult,
    }
}

answer_struct! { rare
    /// The evidence that completed a step: a training record (its `recordId`), an event award
    /// (the awarding learner's id) or a course result (the course's id).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct StepEvidence<'a> {
        pub kind: StepEvidenceKind,
        pub id: &'a str,
    }
}

answer_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum CertificationStatus {
        Completed,
        RenewalDue,
        Revoked,
        Grace,
        Expired,
        Overdue,
        InProgress,
        NotStarted,
        Unpublished,
        Retired,
    }
}

answer_struct! { rare
    #[derive(Clone, Debug, PartialEq)]
    pub struct CertificationProgress<'a> {
        pub contact: &'a str,
        pub certification: &'a str,
        pub visible: bool,
        pub status: CertificationStatus,
        pub cycle: u32,
        pub window_start: Option<Date>,
        pub completed_on: Option<Date>,
        pub valid_until: Option<Date>,
        pub window_opens: Option<Date>,
        pub grace_until: Option<Date>,
        pub due_date: Option<Date>,
        pub requirements: Vec<Requirement<'a>>,
    }
}

answer_struct! { rare
    #[derive(Clone, Debug, PartialEq)]
    pub struct Requirement<'a> {
        pub course: &'a str,
        pub met: bool,
        pub best_grade: Option<Percent>,
        pub met_on: Option<Date>,
    }
}

answer_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum HoldingStatus {
        Valid,
        Expiring,
        Expired,
        Revoked,
        NotYetValid,
    }
}

answer_struct! {
    #[derive(Clone, Debug, PartialEq)]
    pub struct Holding<'a> {
        pub contact: &'a str,
        pub achievement: &'a str,
        pub status: HoldingStatus,
        pub valid_until: Option<Date>,
        pub history: Vec<HistoryEntry<'a>>,
    }
}

answer_struct! { rare
    /// The holdings of one account's contacts for one achievement: contacts counted by holding
    /// status, and the expiring and expired ones named (spec.md §7, Accounts).
    #[derive(Clone, Debug, PartialEq)]
    pub struct AccountHoldings<'a> {
        pub account: &'a str,
        pub achievement: &'a str,
        pub valid: u32,
        pub expiring: u32,
        pub expired: u32,
        pub revoked: u32,
        pub not_yet_valid: u32,
        pub expiring_contacts: Vec<&'a str>,
        pub expired_contacts: Vec<&'a str>,
    }
}

answer_struct! {
    /// An achievement record in the issued-record shape, absent members as `null`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct HistoryEntry<'a> {
        pub id: Option<&'a str>,
        pub achievement: &'a str,
        pub contact: &'a str,
        pub learner: Option<&'a str>,
        pub event: Option<&'a str>,
        pub path: Option<&'a str>,
        pub awarded_on: Date,
        pub valid_from: Date,
        pub expires_on: Option<Date>,
        #[cfg_attr(feature = "ts", ts(type = "string | null"))]
        pub identifier: Option<Text<'a>>,
        pub revoked: Option<&'a Revocation>,
    }
}

answer_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum CertificationHoldingStatus {
        Certified,
        Grace,
        Expired,
        Revoked,
    }
}

answer_struct! {
    /// The certification counterpart of a holding: per contact and certification, the
    /// certified records and this answer's `certify` actions (spec.md §7, Recertification records).
    #[derive(Clone, Debug, PartialEq)]
    pub struct CertificationHolding<'a> {
        pub contact: &'a str,
        pub certification: &'a str,
        pub status: CertificationHoldingStatus,
        pub history: Vec<CertifiedEntry<'a>>,
    }
}

answer_struct! {
    /// A certification record in the certified-record shape, absent members as `null`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct CertifiedEntry<'a> {
        pub id: Option<&'a str>,
        pub contact: &'a str,
        pub certification: &'a str,
        pub cycle: u32,
        pub completed_on: Date,
        pub valid_until: Option<Date>,
        pub revoked: Option<&'a Revocation>,
    }
}

/// What the host must do: persist an award or a certification, send a notification, or review a
/// record (spec.md §8).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Action<'a> {
    Issue(IssueAction<'a>),
    Certify(CertifyAction<'a>),
    Notify(NotifyAction<'a>),
    #[serde(rename = "notify")]
    #[cfg_attr(feature = "ts", ts(rename = "notify"))]
    CertificationNotify(CertificationNotifyAction<'a>),
    #[serde(rename = "notify")]
    #[cfg_attr(feature = "ts", ts(rename = "notify"))]
    Reminder(ReminderAction<'a>),
    ReviewRevoke(ReviewRevokeAction<'a>),
}

answer_enum! {
    /// A certification reminder's condition (spec.md §7, Recertification reminders).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum ReminderTrigger {
        CertificationWindowOpen,
        CertificationExpiring,
        CertificationGrace,
        CertificationExpired,
        CertificationOverdue,
    }
}

answer_struct! {
    /// A reminder: one per condition true on `asOf`, about the cycle `cycle`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct ReminderAction<'a> {
        pub trigger: ReminderTrigger,
        pub contact: &'a str,
        pub certification: &'a str,
        pub cycle: u32,
        pub on: Date,
        /// `<certification>/<contact>/<cycle>/<trigger>`: the same on every evaluation.
        pub key: String,
    }
}

answer_struct! {
    /// A completed certification cycle for the host to record.
    #[derive(Clone, Debug, PartialEq)]
    pub struct CertifyAction<'a> {
        pub contact: &'a str,
        pub certification: &'a str,
        pub cycle: u32,
        pub completed_on: Date,
        pub valid_until: Option<Date>,
        pub certificate: Option<&'a str>,
    }
}

answer_struct! {
    /// A certification's notification: `certification-completed` for a `certify` action.
    #[derive(Clone, Debug, PartialEq)]
    pub struct CertificationNotifyAction<'a> {
        #[cfg_attr(feature = "ts", ts(type = "\"certification-completed\""))]
        pub trigger: &'static str,
        pub contact: &'a str,
        pub certification: &'a str,
        pub cycle: u32,
        pub on: Date,
        /// `<certification>/<contact>/<cycle>/<trigger>`: the same on every evaluation.
        pub key: String,
        pub attach_certificate: bool,
    }
}

answer_struct! {
    #[derive(Clone, Debug, PartialEq)]
    pub struct IssueAction<'a> {
        pub learner: &'a str,
        pub contact: &'a str,
        pub achievement: &'a str,
        #[cfg_attr(feature = "ts", ts(flatten))]
        pub origin: Origin<'a>,
        pub awarded_on: Date,
        pub valid_from: Date,
        pub expires_on: Option<Date>,
        #[cfg_attr(feature = "ts", ts(type = "string | null"))]
        pub identifier: Option<Text<'a>>,
        pub certificate: Option<&'a str>,
    }
}

answer_struct! {
    #[derive(Clone, Debug, PartialEq)]
    pub struct NotifyAction<'a> {
        #[cfg_attr(feature = "ts", ts(type = "\"award-achievement\""))]
        pub trigger: &'static str,
        pub learner: &'a str,
        pub contact: &'a str,
        pub achievement: &'a str,
        #[cfg_attr(feature = "ts", ts(flatten))]
        pub origin: Origin<'a>,
        pub attach_certificate: bool,
        /// `<event or path>/<learner>/<achievement>`: the same on every evaluation.
        #[cfg_attr(feature = "ts", ts(type = "string"))]
        pub key: AwardKey<'a>,
    }
}

/// An award notification's `key`, `<event or path>/<learner>/<achievement>`, written from its
/// parts without being built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AwardKey<'a> {
    pub origin: &'a str,
    pub learner: &'a str,
    pub achievement: &'a str,
}

impl Serialize for AwardKey<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("{}/{}/{}", self.origin, self.learner, self.achievement))
    }
}

answer_struct! {
    #[derive(Clone, Debug, PartialEq)]
    pub struct ReviewRevokeAction<'a> {
        pub record: &'a str,
        pub learner: &'a str,
        pub contact: &'a str,
        pub achievement: &'a str,
        #[cfg_attr(feature = "ts", ts(flatten))]
        pub origin: Origin<'a>,
    }
}

answer_struct! {
    /// The result of `evaluate` (spec.md §8).
    #[derive(Clone, Debug, PartialEq)]
    pub struct EvaluateAnswer<'a> {
        pub engine: EngineInfo,
        pub as_of: Date,
        pub outcomes: Vec<Outcome<'a>>,
        pub paths: Vec<PathProgress<'a>>,
        pub certifications: Vec<CertificationProgress<'a>>,
        pub holdings: Vec<Holding<'a>>,
        pub accounts: Vec<AccountHoldings<'a>>,
        pub certification_holdings: Vec<CertificationHolding<'a>>,
        pub actions: Vec<Action<'a>>,
        #[cfg_attr(feature = "ts", ts(as = "BTreeMap<String, super::scalar::SequenceState>"))]
        pub sequence_state: BTreeMap<String, u64>,
        pub diagnostics: Vec<Diagnostic>,
    }
}

answer_struct! { rare
    /// What `compare` compares of an outcome (spec.md §14).
    #[derive(Clone, Debug, PartialEq)]
    pub struct OutcomeState<'a> {
        pub status: Status,
        pub awarded_on: Option<Date>,
        pub valid_from: Option<Date>,
        pub expires_on: Option<Date>,
        #[cfg_attr(feature = "ts", ts(type = "string | null"))]
        pub identifier: Option<Text<'a>>,
        #[cfg_attr(feature = "ts", ts(as = "Vec<WaitingOn>"))]
        pub waiting_on: WaitingOnSet,
    }
}

answer_struct! { rare
    /// What `compare` compares of a path enrolment's progress.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct PathState {
        pub done: u32,
        pub total: u32,
        pub percent: u32,
        pub complete: bool,
        pub completed_on: Option<Date>,
    }
}

answer_struct! { rare
    /// What `compare` compares of a holding.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct HoldingState {
        pub status: HoldingStatus,
        pub valid_until: Option<Date>,
    }
}

answer_struct! { rare
    /// What `compare` compares of a certification row.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct CertificationState {
        pub status: CertificationStatus,
        pub valid_until: Option<Date>,
    }
}

answer_struct! { rare
    /// The numbers one evaluation hands out from a sequence: `first` up to `next - 1` (none when
    /// they are equal). `first` is the evidence's `sequenceState`, or the sequence's `start`;
    /// `next` is the answer's `sequenceState`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct SequenceUse {
        #[cfg_attr(feature = "ts", ts(as = "super::scalar::SequenceState"))]
        pub first: u64,
        #[cfg_attr(feature = "ts", ts(as = "super::scalar::SequenceState"))]
        pub next: u64,
    }
}

answer_struct! { rare
    /// An outcome that differs: the outcome of `learner` for `achievement` at its event or path.
    #[derive(Clone, Debug, PartialEq)]
    pub struct OutcomeChange<'a> {
        pub learner: &'a str,
        pub contact: &'a str,
        #[cfg_attr(feature = "ts", ts(flatten))]
        pub origin: Origin<'a>,
        pub achievement: &'a str,
        pub before: Option<OutcomeState<'a>>,
        pub after: Option<OutcomeState<'a>>,
    }
}

answer_struct! { rare
    /// An action of one answer that the other does not have (`before` or `after` is `null`).
    #[derive(Clone, Debug, PartialEq)]
    pub struct ActionChange<'a> {
        pub before: Option<Action<'a>>,
        pub after: Option<Action<'a>>,
    }
}

answer_struct! { rare
    /// A path enrolment's progress that differs.
    #[derive(Clone, Debug, PartialEq)]
    pub struct PathChange<'a> {
        pub enrollment: &'a str,
        pub contact: &'a str,
        pub path: &'a str,
        pub before: Option<PathState>,
        pub after: Option<PathState>,
    }
}

answer_struct! { rare
    /// A holding (contact and achievement) that differs.
    #[derive(Clone, Debug, PartialEq)]
    pub struct HoldingChange<'a> {
        pub contact: &'a str,
        pub achievement: &'a str,
        pub before: Option<HoldingState>,
        pub after: Option<HoldingState>,
    }
}

answer_struct! { rare
    /// A certification row (contact and certification) that differs.
    #[derive(Clone, Debug, PartialEq)]
    pub struct CertificationChange<'a> {
        pub contact: &'a str,
        pub certification: &'a str,
        pub before: Option<CertificationState>,
        pub after: Option<CertificationState>,
    }
}

answer_struct! { rare
    /// A sequence whose numbers handed out differ.
    #[derive(Clone, Debug, PartialEq)]
    pub struct SequenceChange {
        pub sequence: String,
        pub before: Option<SequenceUse>,
        pub after: Option<SequenceUse>,
    }
}

/// One difference between the answers of `compare`'s two evidences (spec.md §14), by `kind`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Change<'a> {
    Outcome(OutcomeChange<'a>),
    ActionAdded(ActionChange<'a>),
    ActionRemoved(ActionChange<'a>),
    Path(PathChange<'a>),
    Holding(HoldingChange<'a>),
    Certification(CertificationChange<'a>),
    Sequence(SequenceChange),
}

/// The result of `compare`: what differs between the two evidences' answers, in the order of
/// spec.md §14.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CompareAnswer<'a> {
    pub changes: Vec<Change<'a>>,
}

/// The result of `validate`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ValidateAnswer {
    pub diagnostics: Vec<Diagnostic>,
}

/// The result of `formatIdentifier`: the identifier, or `null` and the diagnostics that say why.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FormatIdentifierAnswer {
    pub identifier: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The result of `codeUsage`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CodeUsageAnswer {
    pub codes: Vec<CodeUsage>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CodeUsage {
    pub code: String,
    pub used_in: Vec<CodeUse>,
    pub training_records: u32,
    pub deletable: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum CodeUseKind {
    CourseTemplate,
    Event,
    Course,
    LearningPath,
    PathStep,
    /// A training record of the evidence (`renameCode` with evidence only).
    TrainingRecord,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CodeUse {
    pub kind: CodeUseKind,
    pub id: String,
    pub path: String,
}

/// The result of `renameCode`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RenameCodeAnswer {
    /// The request's rulebook, as it was given, with the code renamed.
    #[cfg_attr(feature = "ts", ts(as = "super::rulebook::Rulebook"))]
    pub rulebook: serde_json::Value,
    pub updated: Vec<String>,
    pub manual: Vec<CodeUse>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The result of `importTrainingRecords`: the rows read as records, the record ids of the rows
/// marked `Delete?` = `1`, and the rows that could not be read, each in file order.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportTrainingRecordsAnswer {
    pub records: Vec<super::evidence::TrainingRecord>,
    pub deletions: Vec<String>,
    pub rows: Vec<CsvRowError>,
}

/// A row of a training-record CSV that could not be read: its row number (1 = the header), the
/// column at fault (by the seed's name, `null` for a column the import does not read) and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CsvRowError {
    pub row: u32,
    pub column: Option<&'static str>,
    pub code: CsvErrorCode,
    pub message: String,
}

/// The codes of a `CsvRowError` (spec.md §12, "Training-record CSV").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename_all = "kebab-case"))]
pub enum CsvErrorCode {
    CsvMissingColumn,
    CsvDuplicateColumn,
    CsvBadDate,
    CsvBadDelete,
    CsvEmptyRequired,
    CsvUnknownContact,
    CsvAmbiguousContact,
    CsvDuplicateRecord,
    CsvMalformed,
}

/// The result of `exportTrainingRecords`: the CSV text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportTrainingRecordsAnswer {
    pub csv: String,
}

/// A training record in an answer has every member, `null` when absent (spec.md §4's names).
impl Serialize for super::evidence::TrainingRecord {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut r = s.serialize_struct("TrainingRecord", 9)?;
        r.serialize_field("recordId", &self.record_id)?;
        r.serialize_field("contact", &self.contact)?;
        r.serialize_field("recordType", &self.record_type)?;
        r.serialize_field("objectId", &self.object_id)?;
        r.serialize_field("title", &self.title)?;
        r.serialize_field("provider", &self.provider)?;
        r.serialize_field("completionDate", &self.completion_date)?;
        r.serialize_field("qualificationCode", &self.qualification_code)?;
        r.serialize_field("otherInformation", &self.other_information)?;
        r.end()
    }
}
