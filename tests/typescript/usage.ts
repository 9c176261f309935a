// Uses every function and the `Rulebook` and `Preview` classes of the npm package through its declarations, with
// requests and answers typed by the types generated from the core (wasm/types/). Type-checked only
// (`tsc -p tests/typescript`, noEmit): the Node.js tests run the same calls for real.

import * as node from "../../target/npm/laureate/node.js";
import * as web from "../../target/npm/laureate/web.js";
import * as bundler from "../../target/npm/laureate/bundler.js";
import type {
  Action,
  AnswerError,
  CodeUsageAnswer,
  CodeUsageRequest,
  Change,
  CompareAnswer,
  CompareRequest,
  Diagnostic,
  Envelope,
  EvaluateAnswer,
  EvaluateRequest,
  Evidence,
  ExportTrainingRecordsAnswer,
  ExportTrainingRecordsRequest,
  FormatIdentifierAnswer,
  FormatIdentifierRequest,
  ImportTrainingRecordsAnswer,
  ImportTrainingRecordsRequest,
  LaureateError,
  Learner,
  Options,
  Outcome,
  RenameCodeAnswer,
  RenameCodeRequest,
  RulebookJson,
  SequenceState,
  ValidateAnswer,
  ValidateRequest,
} from "../../target/npm/laureate/node.js";

/** Fails to compile when `T` is `any`: every answer must be typed. */
type IsAny<T> = 0 extends 1 & T ? true : false;
function typed<T>(_value: T, ..._leak: IsAny<T> extends true ? ["`any` leaked into the API"] : []): T {
  return _value;
}

/** The `ok` result of an envelope, or a thrown `Error` with the `error` member's code. */
function ok<T>(envelope: Envelope<T>): T {
  if ("error" in envelope) {
    const error: AnswerError = envelope.error;
    throw new Error(`${error.code} at ${error.path}: ${error.message}`);
  }
  return envelope.ok;
}

function never(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}

const rulebook: RulebookJson = {
  achievements: [
    {
      id: "bls",
      name: "Basic Life Support",
      description: null,
      validity: { amount: 5, unit: "years" },
      validFrom: "award-date",
      expiryRounding: "end-of-month",
      renewal: { earlyWindowDays: 90 },
      certificate: "tpl-bls",
      sequence: "seq-cpr",
    },
    { id: "cladding", name: "Cladding installer" },
  ],
  sequences: [
    {
      id: "seq-cpr",
      name: "CPR certificates",
      start: 1,
      padding: 5,
      eventFormat: "{{course.code}}-{{award.year}}-{{sequence_number}}",
      pathFormat: "{{path.code}}-{{sequence_number}}",
    },
  ],
  courseTemplates: [
    {
      id: "ct-cpr",
      code: "CPR",
      title: "CPR & BLS",
      delivery: "classroom",
      customFields: { region: "EU" },
      achievements: [{ achievement: "bls", maxAbsences: 1, requireInvoicePaid: true, minScore: 80.5, requireApproval: false }],
    },
  ],
  events: [
    {
      id: "ev-1",
      template: "ct-cpr",
      start: "2026-03-01",
      end: "2026-03-02",
      sessions: [
        { id: "s1", date: "2026-03-01" },
        { id: "s2", date: "2026-03-02", optional: true },
      ],
      customFields: { site: "GLA" },
      achievements: { inherit: true, remove: [], rules: null },
    },
  ],
  learningPaths: [
    {
      id: "lp-1",
      code: "CLAPATH",
      title: "Cladding",
      steps: [{ code: "CLAESS" }, { code: "CLADROP", required: false }],
      achievements: ["cladding"],
    },
  ],
  qualificationCodes: [{ code: "CPR", description: "CPR & BLS" }, { code: "CLAPATH" }, { code: "CLAESS" }],
  courses: [{ id: "sales-1", title: "Sales basics", code: "SAL1", published: true, gradedSteps: 3, groups: ["team-a"] }],
  certifications: [
    {
      id: "cert-sales",
      name: "Sales 101",
      effectiveFrom: "2026-01-01",
      dueDate: "2026-06-30",
      gracePeriodDays: 5,
      renewal: { everyMonths: 12 },
      courses: ["sales-1"],
      minimumGrade: 80,
      groups: ["team-a"],
    },
  ],
};

const evidence: Evidence = {
  learners: [
    {
      id: "L1",
      contact: "C1",
      account: "acme",
      event: "ev-1",
      invoice: { status: "paid", paidOn: "2026-03-05" },
      attendance: { s1: "present", s2: null },
      online: { progress: 100, score: 85, completedOn: "2026-02-27" },
      results: [{ achievement: "bls", outcome: "pass", on: "2026-03-03", by: "admin-7", reason: null }],
    },
  ],
  pathEnrollments: [{ id: "P1", contact: "C1", path: "lp-1", enrolledOn: "2026-01-10" }],
  trainingRecords: [{ recordId: "TR-9", contact: "C1", completionDate: "2026-01-20", qualificationCode: "CLAESS" }],
  certificationAssignments: [
    { contact: "C1", certification: "cert-sales", assignedOn: "2026-02-10", via: "group", gracePeriodDays: 5 },
  ],
  courseResults: [{ contact: "C1", course: "sales-1", grade: 92, completedOn: "2026-02-05" }],
  issued: [
    {
      id: "A-100",
      achievement: "bls",
      contact: "C1",
      learner: "L0",
      event: "ev-0",
      awardedOn: "2021-03-02",
      validFrom: "2021-03-02",
      expiresOn: "2026-03-02",
      identifier: "CPR-2021-00001",
      revoked: { on: "2022-01-01", by: null, reason: "duplicate" },
    },
  ],
  sequenceState: { "seq-cpr": 5, "seq-exhausted": 2 ** 53 },
};

const options: Options = { trace: true, expiringWithinDays: 30 };

// evaluate
const request: EvaluateRequest = { version: 1, asOf: "2026-03-10", rulebook, evidence, options };
const answer: EvaluateAnswer = ok(typed(node.evaluate(request)));
const engine: { name: "laureate"; version: string } = answer.engine;
const asOf: string = answer.asOf;
for (const outcome of answer.outcomes) {
  const origin: string = "event" in outcome ? outcome.event : outcome.path;
  const awarded: boolean = outcome.status === "awarded" && outcome.source !== "manual";
  const waiting: string[] = outcome.waitingOn;
  const expiresOn: string | null = outcome.expiresOn;
  const checks: boolean[] = outcome.trace.map((entry) => entry.ok && entry.check.length > 0);
  const revoked: boolean = outcome.status === "revoked";
  const decidedBy: string | null = outcome.decidedBy ? `${outcome.decidedBy.by ?? "?"} on ${outcome.decidedBy.on}` : null;
  console.log(origin, awarded, waiting, expiresOn, checks, revoked, decidedBy);
}
for (const action of answer.actions) {
  describe(action);
}
function describe(action: Action): string {
  switch (action.action) {
    case "issue":
      return `${action.contact} ${action.identifier ?? "(no identifier)"} until ${action.expiresOn ?? "never"}`;
    case "certify":
      return `${action.certification} cycle ${action.cycle} until ${action.validUntil ?? "never"}`;
    case "notify":
      switch (action.trigger) {
        case "award-achievement":
          return `${action.key} ${action.attachCertificate ? "with" : "without"} certificate`;
        case "certification-completed":
          return `${action.key} on ${action.on} ${action.attachCertificate ? "with" : "without"} certificate`;
        default:
          return `${action.key} on ${action.on}`;
      }
    case "review-revoke":
      return `review ${action.record}`;
    default:
      return never(action);
  }
}
for (const path of answer.paths) {
  const percent: number = path.percent;
  const by: (string | null)[] = path.steps.map((step) => (step.by ? `${step.by.kind} ${step.by.id}` : null));
  console.log(path.enrollment, percent, path.complete, path.completedOn, by);
}
for (const row of answer.accounts) {
  const attention: number = row.expiring + row.expired + row.revoked + row.notYetValid;
  console.log(row.account, row.achievement, row.valid, attention, row.expiringContacts, row.expiredContacts);
}
for (const certification of answer.certifications) {
  const grades: (number | null)[] = certification.requirements.map((requirement) => requirement.bestGrade);
  console.log(certification.status === "in-progress", certification.visible, certification.cycle, grades);
  const window: [string | null, string | null] = [certification.windowOpens, certification.graceUntil];
  console.log(certification.status === "renewal-due" || certification.status === "grace", window);
}
for (const held of answer.certificationHoldings) {
  const cycles: number[] = held.history.map((entry) => entry.cycle);
  console.log(held.status === "certified", held.certification, cycles, held.history[0]?.id ?? null);
}
for (const holding of answer.holdings) {
  const revoked: (string | null)[] = holding.history.map((entry) => entry.revoked?.by ?? null);
  console.log(holding.status === "not-yet-valid", holding.validUntil, revoked);
}
const next: SequenceState | undefined = answer.sequenceState["seq-cpr"];
const diagnostics: Diagnostic[] = answer.diagnostics;
console.log(engine, asOf, next, diagnostics.map((d) => `${d.severity} ${d.code} ${d.path}: ${d.message}`));
const outcomes: Outcome[] = answer.outcomes;
console.log(outcomes.length);

// validate
const validateRequest: ValidateRequest = { rulebook };
const validated: ValidateAnswer = ok(typed(node.validate(validateRequest)));
console.log(validated.diagnostics.filter((d) => d.code === "format-missing-sequence-number"));

// formatIdentifier
const formatRequest: FormatIdentifierRequest = {
  format: "{{course.code}}-{{sequence_number}}",
  padding: 5,
  number: 42,
  fields: { "course.code": "CPR", "event.id": null },
};
const formatted: FormatIdentifierAnswer = ok(typed(node.formatIdentifier(formatRequest)));
const identifier: string | null = formatted.identifier;
console.log(identifier);

// codeUsage
const usageRequest: CodeUsageRequest = { rulebook, evidence: null };
const usage: CodeUsageAnswer = ok(typed(node.codeUsage(usageRequest)));
for (const code of usage.codes) {
  console.log(code.code, code.deletable, code.trainingRecords, code.usedIn.map((use) => `${use.kind} ${use.id} ${use.path}`));
}

// renameCode
const renameRequest: RenameCodeRequest = { version: null, rulebook, from: "CPR", to: "CPR2" };
const renamed: RenameCodeAnswer = ok(typed(node.renameCode(renameRequest)));
const renamedRulebook: RulebookJson = renamed.rulebook;
console.log(renamedRulebook.courseTemplates?.[0]?.code, renamed.updated, renamed.manual);

// exportTrainingRecords and importTrainingRecords: the LMS's training-record CSV
const exportRequest: ExportTrainingRecordsRequest = {
  trainingRecords: [{ recordId: "TR-1", contact: "C1", completionDate: "2026-01-20", qualificationCode: "CPR" }],
  contacts: { C1: { name: "Ada Lovelace", email: "ada@example.org", firstName: "Ada", lastName: null } },
};
const exported: ExportTrainingRecordsAnswer = ok(typed(node.exportTrainingRecords(exportRequest)));
const importRequest: ImportTrainingRecordsRequest = { csv: exported.csv, contacts: exportRequest.contacts };
const imported: ImportTrainingRecordsAnswer = ok(typed(node.importTrainingRecords(importRequest)));
for (const bad of imported.rows) {
  const column: string | null = bad.column;
  console.log(bad.row, column, bad.code === "csv-bad-date", bad.message);
}
console.log(imported.records.map((record) => record.recordId), imported.deletions);

// callJson and version
const compareRequest: CompareRequest = { asOf: "2026-03-10", rulebook, before: evidence, after: {} };
const comparison: Envelope<CompareAnswer> = node.compare(compareRequest);
console.log(comparison);
const text: string = node.callJson("evaluate", JSON.stringify(request));
const bytes: string = node.callJson("validate", new TextEncoder().encode(JSON.stringify(validateRequest)));
const engineVersion: string = node.version();
console.log(text, bytes, engineVersion);

// The Rulebook class: read once, evaluate many evidences.
try {
  const prepared = new node.Rulebook(rulebook);
  const first: Envelope<EvaluateAnswer> = typed(prepared.evaluate(evidence, "2026-03-10"));
  const second: Envelope<EvaluateAnswer> = prepared.evaluate({}, "2026-03-10", options);
  const third: Envelope<EvaluateAnswer> = prepared.evaluate(evidence, "2026-03-10", null);
  const text: string = prepared.evaluateJson(JSON.stringify({ asOf: "2026-03-10", evidence }));
  const bytes: string = prepared.evaluateJson(new TextEncoder().encode("{}"));
  const parsed: Envelope<EvaluateAnswer> = JSON.parse(text);
  console.log(ok(first).outcomes, second, third, parsed, bytes);
  // A preview: the evidence read once, one learner replaced at a time.
  const preview: node.Preview = prepared.preview({ asOf: "2026-03-10", evidence });
  const fromText: node.Preview = prepared.preview(JSON.stringify({ asOf: "2026-03-10", evidence }));
  const count: number = preview.learnerCount;
  const learner: Learner = { id: "L1", contact: "C1", event: "ev-1", attendance: { s1: "absent" } };
  const changed: Envelope<EvaluateAnswer> = preview.setLearner(0, learner);
  const changedText: string = preview.setLearnerJson(0, JSON.stringify(learner));
  const current: Envelope<EvaluateAnswer> = preview.answer();
  const currentText: string = preview.answerJson();
  console.log(count, changed, changedText, current, currentText, fromText.learnerCount);
  // compare: what the preview's changes would do, and two evidences on the prepared rulebook.
  const consequences: Envelope<CompareAnswer> = preview.compare();
  const consequencesText: string = preview.compareJson();
  const compared: Envelope<CompareAnswer> = prepared.compare(evidence, {}, "2026-03-10", options);
  const comparedText: string = prepared.compareJson(JSON.stringify({ asOf: "2026-03-10", before: evidence, after: {} }));
  const kinds: string[] = ok(compared).changes.map((change: Change) => change.kind);
  console.log(consequences, consequencesText, comparedText, kinds);
  preview.free();
  fromText.free();
  prepared.free();
} catch (thrown) {
  const error = thrown as LaureateError;
  console.log(error.code, error.path, error.message);
}

// The web and bundler builds declare the same API.
await node.default();
node.initSync();
web.initSync({ module: new Uint8Array() });
await web.default();
const fromWeb: Envelope<ValidateAnswer> = web.validate(validateRequest);
const fromBundler: Envelope<ValidateAnswer> = bundler.validate(validateRequest);
const webRulebook: web.Rulebook = new web.Rulebook(rulebook);
const bundlerRulebook: bundler.Rulebook = new bundler.Rulebook({});
console.log(fromWeb, fromBundler, webRulebook.evaluate(evidence, "2026-03-10"), bundlerRulebook);

// What the types reject.
// @ts-expect-error a misspelt member (`maxAbsence`) is an error, as it is for the engine
const misspelt: RulebookJson = { courseTemplates: [{ id: "t", code: "T", title: "T", delivery: "virtual", achievements: [{ achievement: "a", maxAbsence: 1 }] }] };
// @ts-expect-error an unknown enum value
const unknownDelivery: RulebookJson = { courseTemplates: [{ id: "t", code: "T", title: "T", delivery: "online", achievements: [] }] };
// @ts-expect-error `version` can only be 1
const version2: ValidateRequest = { version: 2, rulebook: {} };
// @ts-expect-error `evidence` is required by `evaluate`
const noEvidence: EvaluateRequest = { asOf: "2026-03-10", rulebook: {} };
// @ts-expect-error dates are `YYYY-MM-DD` strings, not `Date` objects
node.evaluate({ asOf: new Date(), rulebook: {}, evidence: {} });
// @ts-expect-error an answer is an envelope: `ok` or `error`, to narrow first
console.log(node.validate(validateRequest).ok.diagnostics);
// @ts-expect-error `everyMonths` is 1, 3, 6 or 12
const everyTwo: RulebookJson = { certifications: [{ id: "c", name: "C", effectiveFrom: "2026-01-01", courses: [], minimumGrade: 50, renewal: { everyMonths: 2 } }] };
// @ts-expect-error the `Rulebook` class takes the rulebook JSON, not a request
new node.Rulebook(request);
console.log(misspelt, unknownDelivery, version2, noEvidence, everyTwo);
