// The TypeScript types of Laureate's wire format (spec.md §2–§8), generated from laureate-core's
// Rust types by `cargo test -p laureate-core --features ts --test typescript`; UPDATE_EXPECT=1
// rewrites it. Do not edit by hand.

/**
 * A calendar date from 0001-01-01 to 9999-12-31, written `YYYY-MM-DD` on the wire.
 */
export type Date = string;

/**
 * A duration such as `{"amount": 5, "unit": "years"}`.
 */
export type Duration = {
  amount: Amount;
  unit: Unit;
};

/**
 * The unit of a duration.
 */
export type Unit = "days" | "weeks" | "months" | "years";

/**
 * A non-negative count (`maxAbsences`, `gracePeriodDays`, …), at most 2^32 − 1.
 */
export type Count = number;

/**
 * A duration amount: at least 1.
 */
export type Amount = number;

/**
 * A sequence's `padding`: 0 to 20 digits.
 */
export type Padding = number;

/**
 * A sequence number (`start`, `number`): 1 to 2^53 − 1.
 */
export type SequenceNumber = number;

/**
 * A `sequenceState` value: 1 to 2^53 (2^53 = exhausted).
 */
export type SequenceState = number;

/**
 * `renewal.everyMonths` of a certification: 1, 3, 6 or 12.
 */
export type EveryMonths = 1 | 3 | 6 | 12;

/**
 * A percentage from 0 to 100 inclusive. Compared, never computed with.
 */
export type Percent = number;

/**
 * The answer envelope of every operation (spec.md §2): the result, or the error that kept the
 * request from being answered.
 */
export type Envelope<T> = { "ok": T } | { "error": AnswerError };

/**
 * A request the engine cannot read: `{"error": {"code", "message", "path"}}`.
 */
export type AnswerError = {
  code: ErrorCode;
  message: string;
  /**
   * A JSON Pointer into the request (`""` is the whole request).
   */
  path: string;
};

/**
 * The stable error codes of spec.md §2.
 */
export type ErrorCode = "invalid-json" | "invalid-input" | "unsupported-version" | "limit-exceeded" | "internal";

export type Diagnostic = {
  severity: Severity;
  code: Code;
  /**
   * A JSON Pointer into the request.
   */
  path: string;
  message: string;
};

export type Severity = "error" | "warning";

/**
 * The fixed diagnostic codes of spec.md §10.
 */
export type Code = "duplicate-id" | "unknown-reference" | "format-missing-sequence-number" | "format-whitespace" | "format-unknown-field" | "format-syntax" | "format-trailing-whitespace" | "merge-value-missing" | "merge-value-whitespace" | "format-missing" | "sequence-exhausted" | "date-out-of-range" | "event-no-required-sessions" | "certification-no-graded-course" | "certification-unpublished-course" | "certification-group-not-on-all-courses" | "certification-unpublished" | "qualification-code-duplicate" | "qualification-code-unknown" | "renewal-window-too-long" | "renewal-anchor-missing" | "renewal-anchor-unused" | "renewal-minimum-active-too-long" | "renewal-needs-period" | "due-date-on-recurring" | "approval-on-manual-only";

/**
 * An `evaluate` request (spec.md §2): a rulebook and evidence, decided as of a date.
 */
export type EvaluateRequest = {
  version?: 1 | null;
  asOf: Date;
  rulebook: Rulebook;
  evidence: Evidence;
  options?: Options | null;
};

/**
 * `options` of an evaluate request.
 */
export type Options = {
  trace?: boolean | null;
  expiringWithinDays?: Count | null;
};

/**
 * An evaluate request without its rulebook, for a prepared rulebook.
 */
export type EvidenceRequest = {
  version?: 1 | null;
  asOf: Date;
  evidence: Evidence;
  options?: Options | null;
};

/**
 * A `compare` request (spec.md §14): two evidences decided against one rulebook as of one
 * date, to list what differs between their answers.
 */
export type CompareRequest = {
  version?: 1 | null;
  asOf: Date;
  rulebook: Rulebook;
  before: Evidence;
  after: Evidence;
  options?: Options | null;
};

/**
 * A compare request without its rulebook, for a prepared rulebook.
 */
export type CompareEvidenceRequest = {
  version?: 1 | null;
  asOf: Date;
  before: Evidence;
  after: Evidence;
  options?: Options | null;
};

/**
 * A `validate` request: the rulebook to check.
 */
export type ValidateRequest = {
  version?: 1 | null;
  rulebook: Rulebook;
};

/**
 * A `formatIdentifier` request (spec.md §6): a format, its padding, a number and the merge values.
 */
export type FormatIdentifierRequest = {
  version?: 1 | null;
  format: string;
  padding?: Padding | null;
  number: SequenceNumber;
  fields?: { [key in string]: string | null } | null;
};

/**
 * A `codeUsage` request: where each qualification code is used, and whether it can be deleted.
 */
export type CodeUsageRequest = {
  version?: 1 | null;
  rulebook: Rulebook;
  evidence?: Evidence | null;
};

/**
 * A `renameCode` request: the qualification code `from` renamed to `to` throughout the rulebook;
 * with `evidence`, the training records that carry `from` are listed for a hand edit.
 */
export type RenameCodeRequest = {
  version?: 1 | null;
  rulebook: Rulebook;
  from: string;
  to: string;
  evidence?: Evidence | null;
};

/**
 * An `importTrainingRecords` request: the CSV text, and the contacts its `Name` column names:
 * a name → contact id map, or the contacts by contact id as an export takes them.
 */
export type ImportTrainingRecordsRequest = {
  version?: 1 | null;
  csv: string;
  contacts?: { [key in string]: string | Contact } | null;
};

/**
 * An `exportTrainingRecords` request: the records to write as CSV, and the contacts (by
 * contact id) that give each row's `Name`, `email`, `firstname` and `lastname`.
 */
export type ExportTrainingRecordsRequest = {
  version?: 1 | null;
  trainingRecords?: Array<TrainingRecord> | null;
  contacts?: { [key in string]: Contact } | null;
};

/**
 * A contact of the training-record CSV (spec.md §12, "Training-record CSV"): the `Name` the
 * CSV shows for it, and the `email`, `firstname` and `lastname` columns of an export.
 */
export type Contact = {
  name?: string | null;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
};

/**
 * An organisation's configuration (spec.md §3).
 */
export type Rulebook = {
  achievements?: Array<Achievement> | null;
  sequences?: Array<Sequence> | null;
  courseTemplates?: Array<CourseTemplate> | null;
  events?: Array<Event> | null;
  learningPaths?: Array<LearningPath> | null;
  qualificationCodes?: Array<QualificationCode> | null;
  courses?: Array<Course> | null;
  certifications?: Array<Certification> | null;
};

export type Achievement = {
  id: string;
  name: string;
  description?: string | null;
  validity?: Duration | null;
  validFrom?: ValidFrom | null;
  expiryRounding?: ExpiryRounding | null;
  renewal?: AchievementRenewal | null;
  certificate?: string | null;
  sequence?: string | null;
};

export type ValidFrom = "award-date" | "completion-date" | "event-end";

export type ExpiryRounding = "none" | "end-of-month";

export type AchievementRenewal = {
  earlyWindowDays?: Count | null;
};

export type Sequence = {
  id: string;
  name: string;
  start?: SequenceNumber | null;
  padding?: Padding | null;
  eventFormat?: string | null;
  pathFormat?: string | null;
};

export type CourseTemplate = {
  id: string;
  code?: string | null;
  title: string;
  delivery: Delivery;
  customFields?: { [key in string]: string } | null;
  achievements: Array<AchievementRule>;
};

export type Delivery = "classroom" | "virtual" | "blended" | "self-paced" | "external";

/**
 * One achievement rule of a template or an event (spec.md §3).
 */
export type AchievementRule = {
  achievement: string;
  autoPass?: boolean | null;
  maxAbsences?: Count | null;
  minProgress?: Percent | null;
  minScore?: Percent | null;
  requireInvoicePaid?: boolean | null;
  sendCertificate?: boolean | null;
  requireApproval?: boolean | null;
};

export type Event = {
  id: string;
  template: string;
  start: Date;
  end: Date;
  delivery?: Delivery | null;
  code?: string | null;
  sessions?: Array<Session> | null;
  customFields?: { [key in string]: string } | null;
  achievements?: EventAchievements | null;
};

export type Session = {
  id: string;
  date: Date;
  optional?: boolean | null;
};

export type EventAchievements = {
  inherit?: boolean | null;
  remove?: Array<string> | null;
  rules?: Array<AchievementRule> | null;
};

export type LearningPath = {
  id: string;
  code: string;
  title: string;
  steps: Array<PathStep>;
  minimumGrade?: Percent | null;
  achievements?: Array<string> | null;
};

export type PathStep = {
  code: string;
  required?: boolean | null;
};

export type QualificationCode = {
  code: string;
  description?: string | null;
};

export type Course = {
  id: string;
  title: string;
  code?: string | null;
  published?: boolean | null;
  gradedSteps?: Count | null;
  groups?: Array<string> | null;
};

export type Certification = {
  id: string;
  name: string;
  description?: string | null;
  invisible?: boolean | null;
  published?: boolean | null;
  retired?: boolean | null;
  effectiveFrom: Date;
  dueDate?: Date | null;
  gracePeriodDays?: Count | null;
  dueWithinDays?: Count | null;
  renewal?: CertificationRenewal | null;
  certificate?: string | null;
  courses: Array<string>;
  minimumGrade: Percent;
  groups?: Array<string> | null;
};

/**
 * A certification's renewal (spec.md §7, Recertification). `everyMonths` may only be left out
 * when another member is given (`renewal-needs-period`): an empty object lacks `everyMonths`.
 */
export type CertificationRenewal = {
  everyMonths?: EveryMonths | null;
  basis?: RenewalBasis | null;
  anchor?: Date | null;
  minimumActiveMonths?: Count | null;
  windowDays?: Count | null;
  lateGraceDays?: Count | null;
};

/**
 * How a renewed cycle's `validUntil` is computed (spec.md §7, Recertification).
 */
export type RenewalBasis = "completion" | "expiry" | "fixed";

/**
 * What learners did (spec.md §4).
 */
export type Evidence = {
  learners?: Array<Learner> | null;
  pathEnrollments?: Array<PathEnrollment> | null;
  trainingRecords?: Array<TrainingRecord> | null;
  certificationAssignments?: Array<CertificationAssignment> | null;
  courseResults?: Array<CourseResult> | null;
  issued?: Array<IssuedRecord> | null;
  certified?: Array<CertifiedRecord> | null;
  sequenceState?: { [key in string]: SequenceState } | null;
};

export type Learner = {
  id: string;
  contact: string;
  account?: string | null;
  event: string;
  invoice?: Invoice | null;
  attendance?: { [key in string]: Attendance | null } | null;
  online?: Online | null;
  results?: Array<ManualResult> | null;
};

export type Attendance = "present" | "absent" | "excused";

export type Invoice = {
  status: InvoiceStatus;
  paidOn?: Date | null;
};

export type InvoiceStatus = "paid" | "unpaid" | "none";

export type Online = {
  progress?: Percent | null;
  score?: Percent | null;
  completedOn?: Date | null;
};

export type ManualResult = {
  achievement: string;
  outcome: ResultOutcome;
  on: Date;
  by?: string | null;
  reason?: string | null;
};

export type ResultOutcome = "pass" | "fail";

export type PathEnrollment = {
  id: string;
  contact: string;
  path: string;
  enrolledOn?: Date | null;
};

export type TrainingRecord = {
  recordId: string;
  contact: string;
  recordType?: string | null;
  objectId?: string | null;
  title?: string | null;
  provider?: string | null;
  completionDate: Date;
  qualificationCode?: string | null;
  otherInformation?: string | null;
};

export type CertificationAssignment = {
  contact: string;
  certification: string;
  assignedOn: Date;
  via?: Via | null;
  gracePeriodDays?: Count | null;
  dueOn?: Date | null;
};

export type Via = "group" | "individual";

export type CourseResult = {
  contact: string;
  course: string;
  grade: Percent;
  completedOn: Date;
};

export type IssuedRecord = {
  id: string;
  achievement: string;
  contact: string;
  learner?: string | null;
  event?: string | null;
  path?: string | null;
  awardedOn: Date;
  validFrom: Date;
  expiresOn?: Date | null;
  identifier?: string | null;
  revoked?: Revocation | null;
};

/**
 * A certification record the host holds: one completed cycle it persisted (spec.md §7,
 * Recertification records).
 */
export type CertifiedRecord = {
  id: string;
  contact: string;
  certification: string;
  cycle: Count;
  completedOn: Date;
  validUntil?: Date | null;
  revoked?: Revocation | null;
};

export type Revocation = {
  on: Date;
  by?: string | null;
  reason?: string | null;
};

/**
 * The result of `evaluate` (spec.md §8).
 */
export type EvaluateAnswer = {
  engine: EngineInfo;
  asOf: Date;
  outcomes: Array<Outcome>;
  paths: Array<PathProgress>;
  certifications: Array<CertificationProgress>;
  holdings: Array<Holding>;
  accounts: Array<AccountHoldings>;
  certificationHoldings: Array<CertificationHolding>;
  actions: Array<Action>;
  sequenceState: { [key in string]: SequenceState };
  diagnostics: Array<Diagnostic>;
};

export type EngineInfo = {
  name: "laureate";
  version: string;
};

/**
 * The decision on one achievement for one learner of an event, or one path enrolment (spec.md §5).
 */
export type Outcome = {
  learner: string;
  contact: string;
  achievement: string;
  status: Status;
  source: Source;
  metOn: Date | null;
  awardedOn: Date | null;
  validFrom: Date | null;
  expiresOn: Date | null;
  identifier: string | null;
  record: string | null;
  decidedBy: DecidedBy | null;
  waitingOn: Array<WaitingOn>;
  trace: Array<TraceEntry>;
} & ({ "event": string } | { "path": string });

/**
 * Where an award comes from: an event or a learning path (exactly one, spec.md §12).
 */
export type Origin = { "event": string } | { "path": string };

export type Status = "awarded" | "failed" | "pending" | "revoked";

export type Source = "automatic" | "manual";

/**
 * An unmet condition; the declaration order is the order of spec.md §5.
 */
export type WaitingOn = "manual-result" | "attendance" | "online-completion" | "score" | "invoice" | "approval";

/**
 * One check made while deciding an outcome (`options.trace`).
 */
export type TraceEntry = {
  check: string;
  required: string;
  observed: string;
  ok: boolean;
};

/**
 * The manual result that decided an outcome: who, on which date and why.
 */
export type DecidedBy = {
  by: string | null;
  on: Date;
  reason: string | null;
};

export type PathProgress = {
  enrollment: string;
  contact: string;
  path: string;
  done: number;
  total: number;
  percent: number;
  complete: boolean;
  completedOn: Date | null;
  steps: Array<StepProgress>;
};

/**
 * One step of a path enrolment, in the path's step order: completed on the earliest date
 * of its code, by the evidence that completed it (spec.md §12, Paths).
 */
export type StepProgress = {
  code: string;
  required: boolean;
  completedOn: Date | null;
  by: StepEvidence | null;
};

/**
 * The evidence that completed a step: a training record (its `recordId`), an event award
 * (the awarding learner's id) or a course result (the course's id).
 */
export type StepEvidence = {
  kind: StepEvidenceKind;
  id: string;
};

/**
 * The kind of evidence that completes a step; the declaration order is the order in which
 * evidence of one date wins.
 */
export type StepEvidenceKind = "training-record" | "event-award" | "course-result";

export type CertificationProgress = {
  contact: string;
  certification: string;
  visible: boolean;
  status: CertificationStatus;
  cycle: number;
  windowStart: Date | null;
  completedOn: Date | null;
  validUntil: Date | null;
  windowOpens: Date | null;
  graceUntil: Date | null;
  dueDate: Date | null;
  requirements: Array<Requirement>;
};

export type CertificationStatus = "completed" | "renewal-due" | "revoked" | "grace" | "expired" | "overdue" | "in-progress" | "not-started" | "unpublished" | "retired";

export type Requirement = {
  course: string;
  met: boolean;
  bestGrade: Percent | null;
  metOn: Date | null;
};

export type Holding = {
  contact: string;
  achievement: string;
  status: HoldingStatus;
  validUntil: Date | null;
  history: Array<HistoryEntry>;
};

export type HoldingStatus = "valid" | "expiring" | "expired" | "revoked" | "not-yet-valid";

/**
 * An achievement record in the issued-record shape, absent members as `null`.
 */
export type HistoryEntry = {
  id: string | null;
  achievement: string;
  contact: string;
  learner: string | null;
  event: string | null;
  path: string | null;
  awardedOn: Date;
  validFrom: Date;
  expiresOn: Date | null;
  identifier: string | null;
  revoked: Revocation | null;
};

/**
 * The holdings of one account's contacts for one achievement: contacts counted by holding
 * status, and the expiring and expired ones named (spec.md §7, Accounts).
 */
export type AccountHoldings = {
  account: string;
  achievement: string;
  valid: number;
  expiring: number;
  expired: number;
  revoked: number;
  notYetValid: number;
  expiringContacts: Array<string>;
  expiredContacts: Array<string>;
};

/**
 * The certification counterpart of a holding: per contact and certification, the
 * certified records and this answer's `certify` actions (spec.md §7, Recertification records).
 */
export type CertificationHolding = {
  contact: string;
  certification: string;
  status: CertificationHoldingStatus;
  history: Array<CertifiedEntry>;
};

export type CertificationHoldingStatus = "certified" | "grace" | "expired" | "revoked";

/**
 * A certification record in the certified-record shape, absent members as `null`.
 */
export type CertifiedEntry = {
  id: string | null;
  contact: string;
  certification: string;
  cycle: number;
  completedOn: Date;
  validUntil: Date | null;
  revoked: Revocation | null;
};

/**
 * What the host must do: persist an award or a certification, send a notification, or review a
 * record (spec.md §8).
 */
export type Action = { "action": "issue" } & IssueAction | { "action": "certify" } & CertifyAction | { "action": "notify" } & NotifyAction | { "action": "notify" } & CertificationNotifyAction | { "action": "notify" } & ReminderAction | { "action": "review-revoke" } & ReviewRevokeAction;

export type IssueAction = {
  learner: string;
  contact: string;
  achievement: string;
  awardedOn: Date;
  validFrom: Date;
  expiresOn: Date | null;
  identifier: string | null;
  certificate: string | null;
} & ({ "event": string } | { "path": string });

/**
 * A completed certification cycle for the host to record.
 */
export type CertifyAction = {
  contact: string;
  certification: string;
  cycle: number;
  completedOn: Date;
  validUntil: Date | null;
  certificate: string | null;
};

export type NotifyAction = {
  trigger: "award-achievement";
  learner: string;
  contact: string;
  achievement: string;
  attachCertificate: boolean;
  /**
   * `<event or path>/<learner>/<achievement>`: the same on every evaluation.
   */
  key: string;
} & ({ "event": string } | { "path": string });

/**
 * A certification's notification: `certification-completed` for a `certify` action.
 */
export type CertificationNotifyAction = {
  trigger: "certification-completed";
  contact: string;
  certification: string;
  cycle: number;
  on: Date;
  /**
   * `<certification>/<contact>/<cycle>/<trigger>`: the same on every evaluation.
   */
  key: string;
  attachCertificate: boolean;
};

/**
 * A reminder: one per condition true on `asOf`, about the cycle `cycle`.
 */
export type ReminderAction = {
  trigger: ReminderTrigger;
  contact: string;
  certification: string;
  cycle: number;
  on: Date;
  /**
   * `<certification>/<contact>/<cycle>/<trigger>`: the same on every evaluation.
   */
  key: string;
};

/**
 * A certification reminder's condition (spec.md §7, Recertification reminders).
 */
export type ReminderTrigger = "certification-window-open" | "certification-expiring" | "certification-grace" | "certification-expired" | "certification-overdue";

export type ReviewRevokeAction = {
  record: string;
  learner: string;
  contact: string;
  achievement: string;
} & ({ "event": string } | { "path": string });

/**
 * The result of `validate`.
 */
export type ValidateAnswer = {
  diagnostics: Array<Diagnostic>;
};

/**
 * The result of `formatIdentifier`: the identifier, or `null` and the diagnostics that say why.
 */
export type FormatIdentifierAnswer = {
  identifier: string | null;
  diagnostics: Array<Diagnostic>;
};

/**
 * The result of `codeUsage`.
 */
export type CodeUsageAnswer = {
  codes: Array<CodeUsage>;
  diagnostics: Array<Diagnostic>;
};

export type CodeUsage = {
  code: string;
  usedIn: Array<CodeUse>;
  trainingRecords: number;
  deletable: boolean;
};

export type CodeUse = {
  kind: CodeUseKind;
  id: string;
  path: string;
};

export type CodeUseKind = "course-template" | "event" | "course" | "learning-path" | "path-step" | "training-record";

/**
 * The result of `renameCode`.
 */
export type RenameCodeAnswer = {
  /**
   * The request's rulebook, as it was given, with the code renamed.
   */
  rulebook: Rulebook;
  updated: Array<string>;
  manual: Array<CodeUse>;
  diagnostics: Array<Diagnostic>;
};

/**
 * The result of `importTrainingRecords`: the rows read as records, the record ids of the rows
 * marked `Delete?` = `1`, and the rows that could not be read, each in file order.
 */
export type ImportTrainingRecordsAnswer = {
  records: Array<TrainingRecord>;
  deletions: Array<string>;
  rows: Array<CsvRowError>;
};

/**
 * A row of a training-record CSV that could not be read: its row number (1 = the header), the
 * column at fault (by the seed's name, `null` for a column the import does not read) and why.
 */
export type CsvRowError = {
  row: number;
  column: string | null;
  code: CsvErrorCode;
  message: string;
};

/**
 * The codes of a `CsvRowError` (spec.md §12, "Training-record CSV").
 */
export type CsvErrorCode = "csv-missing-column" | "csv-duplicate-column" | "csv-bad-date" | "csv-bad-delete" | "csv-empty-required" | "csv-unknown-contact" | "csv-ambiguous-contact" | "csv-duplicate-record" | "csv-malformed";

/**
 * The result of `exportTrainingRecords`: the CSV text.
 */
export type ExportTrainingRecordsAnswer = {
  csv: string;
};

/**
 * The result of `compare`: what differs between the two evidences' answers, in the order of
 * spec.md §14.
 */
export type CompareAnswer = {
  changes: Array<Change>;
};

/**
 * One difference between the answers of `compare`'s two evidences (spec.md §14), by `kind`.
 */
export type Change = { "kind": "outcome" } & OutcomeChange | { "kind": "action-added" } & ActionChange | { "kind": "action-removed" } & ActionChange | { "kind": "path" } & PathChange | { "kind": "holding" } & HoldingChange | { "kind": "certification" } & CertificationChange | { "kind": "sequence" } & SequenceChange;

/**
 * An outcome that differs: the outcome of `learner` for `achievement` at its event or path.
 */
export type OutcomeChange = {
  learner: string;
  contact: string;
  achievement: string;
  before: OutcomeState | null;
  after: OutcomeState | null;
} & ({ "event": string } | { "path": string });

/**
 * What `compare` compares of an outcome (spec.md §14).
 */
export type OutcomeState = {
  status: Status;
  awardedOn: Date | null;
  validFrom: Date | null;
  expiresOn: Date | null;
  identifier: string | null;
  waitingOn: Array<WaitingOn>;
};

/**
 * An action of one answer that the other does not have (`before` or `after` is `null`).
 */
export type ActionChange = {
  before: Action | null;
  after: Action | null;
};

/**
 * A path enrolment's progress that differs.
 */
export type PathChange = {
  enrollment: string;
  contact: string;
  path: string;
  before: PathState | null;
  after: PathState | null;
};

/**
 * What `compare` compares of a path enrolment's progress.
 */
export type PathState = {
  done: number;
  total: number;
  percent: number;
  complete: boolean;
  completedOn: Date | null;
};

/**
 * A holding (contact and achievement) that differs.
 */
export type HoldingChange = {
  contact: string;
  achievement: string;
  before: HoldingState | null;
  after: HoldingState | null;
};

/**
 * What `compare` compares of a holding.
 */
export type HoldingState = {
  status: HoldingStatus;
  validUntil: Date | null;
};

/**
 * A certification row (contact and certification) that differs.
 */
export type CertificationChange = {
  contact: string;
  certification: string;
  before: CertificationState | null;
  after: CertificationState | null;
};

/**
 * What `compare` compares of a certification row.
 */
export type CertificationState = {
  status: CertificationStatus;
  validUntil: Date | null;
};

/**
 * A sequence whose numbers handed out differ.
 */
export type SequenceChange = {
  sequence: string;
  before: SequenceUse | null;
  after: SequenceUse | null;
};

/**
 * The numbers one evaluation hands out from a sequence: `first` up to `next - 1` (none when
 * they are equal). `first` is the evidence's `sequenceState`, or the sequence's `start`;
 * `next` is the answer's `sequenceState`.
 */
export type SequenceUse = {
  first: SequenceState;
  next: SequenceState;
};
