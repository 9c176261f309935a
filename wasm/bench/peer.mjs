// Laureate against general-purpose rules engines, in one Node.js process, from the repository root:
//
//   node wasm/bench/peer.mjs
//
// Needs the npm package (`cargo xtask build-wasm`), target/orgs/medium.json (`target/debug/xtask
// gen-org --size medium --out target/orgs/medium.json`) and the root dev dependencies (`npm ci`):
// json-rules-engine, and @gorules/zen-engine when its native binary exists for this platform.
//
// The peer rule is Laureate's classroom passing rule (spec.md §5, rules 1–3 and 6, with the
// "as of" rules of §12): for every learner of a classroom event and every achievement rule in
// effect on that event,
//   - a manual result for the achievement (the last one dated on or before asOf) decides:
//     "fail" is failed, "pass" is met;
//   - else `autoPass: false` is pending;
//   - else, over the required sessions: absences (marked "absent" or "excused": spec.md §5 counts
//     both) above `maxAbsences` is failed; any session not marked, or dated after asOf, is pending;
//     else met;
//   - met with `requireInvoicePaid` is awarded only when the invoice is "paid" (paidOn on or
//     before asOf) or "none"; otherwise pending. Met without the gate is awarded.
// Only the status is compared (Laureate also computes dates, identifiers, validity, holdings and
// actions, which the peers do not).
//
// Measures decisions per second of each peer (one engine call per learner-rule decision, facts
// derived from the learner object inside the timed part), and Laureate's outcomes per second on
// the same organisation through a prepared Rulebook: the whole evidence and the classroom
// learners only as JS objects (`evaluate`), the classroom learners as JSON text (`evaluateJson`),
// and that text split by contact over one worker thread per core with every request in flight at
// once (laureate-worker.mjs: the counterpart of zen-engine's concurrent batch, whose native work
// runs on libuv's thread pool). Checks that every peer decision agrees with Laureate's outcome,
// and that the text and worker answers have the same statuses as the object answer.
// Prints one line per figure and, last, `BENCH_JSON {...}` (for cargo xtask). Exits non-zero when
// Laureate answers an error envelope or lacks an outcome the comparison needs.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { checkOkText, fail, fmt, importLaureate, medianMs, okOf, parseFlags, printBenchJson, readOrg } from "./common.mjs";

parseFlags([]);
const RUNS = 5; // timed runs of each measure, after one warm-up run

// --- the organisation, Laureate's answer, and the classroom decisions to make ---
const laureate = await importLaureate();
const { request } = readOrg("medium");
const { asOf, rulebook, evidence } = request;
const prepared = new laureate.Rulebook(rulebook);
const answer = okOf(prepared.evaluate(evidence, asOf), "medium, Rulebook.evaluate");

const templates = new Map((rulebook.courseTemplates ?? []).map((t) => [t.id, t]));
const events = new Map((rulebook.events ?? []).map((e) => [e.id, e]));

/** The achievement rules in effect on `event` (spec.md §3, §12): the template's unless `inherit` is
 * false, less `remove`, with each of `rules` replacing the inherited rule for its achievement or
 * adding one. */
function rulesInEffect(event, template) {
  const { remove = [], rules = [] } = event.achievements ?? {};
  const own = new Set(rules.map((rule) => rule.achievement));
  const inherited =
    (event.achievements?.inherit ?? true)
      ? (template.achievements ?? []).filter((r) => !remove.includes(r.achievement) && !own.has(r.achievement))
      : [];
  return [...inherited, ...rules];
}

// One decision per (learner of a classroom event, rule in effect on it).
const decisions = [];
const classroomLearners = [];
const classroomEvents = new Set();
for (const learner of evidence.learners ?? []) {
  const event = events.get(learner.event);
  const template = event && templates.get(event.template);
  if (!template || (event.delivery ?? template.delivery) !== "classroom") continue;
  classroomLearners.push(learner);
  classroomEvents.add(event.id);
  for (const rule of rulesInEffect(event, template)) decisions.push({ learner, event, rule });
}
if (decisions.length === 0) fail("medium.json has no classroom decision to compare");

// --- facts: plain functions of the learner, its event and the rule (shared by both peers) ---

/** Over the required sessions: absences ("absent" or "excused") and unrecorded sessions (no
 * mark, or dated after asOf: not happened yet). Marks for unknown sessions are ignored. */
function attendanceTally(learner, event) {
  const marks = learner.attendance ?? {};
  let absences = 0;
  let unrecorded = 0;
  for (const session of event.sessions ?? []) {
    if (session.optional) continue;
    const mark = session.date <= asOf && Object.hasOwn(marks, session.id) ? marks[session.id] : null;
    if (mark == null) unrecorded += 1;
    else if (mark === "absent" || mark === "excused") absences += 1;
  }
  return { absences, unrecorded };
}

/** "pass", "fail" or "none": the last manual result for `achievement` dated on or before asOf. */
function manualOutcome(learner, achievement) {
  let outcome = "none";
  for (const result of learner.results ?? []) if (result.achievement === achievement && result.on <= asOf) outcome = result.outcome;
  return outcome;
}

/** "paid" (paid on or before asOf), "paid-later", "unpaid", "none" or "missing". */
function invoiceStatus(learner) {
  const invoice = learner.invoice;
  if (invoice == null || invoice.status == null) return "missing";
  if (invoice.status !== "paid") return invoice.status;
  return invoice.paidOn != null && invoice.paidOn <= asOf ? "paid" : "paid-later";
}

/** Every fact of one decision at once (what zen-engine gets as its input). */
function facts({ learner, event, rule }) {
  const { absences, unrecorded } = attendanceTally(learner, event);
  return {
    manualOutcome: manualOutcome(learner, rule.achievement),
    autoPass: rule.autoPass ?? true,
    absences,
    maxAbsences: rule.maxAbsences ?? 0,
    unrecorded,
    requireInvoicePaid: rule.requireInvoicePaid ?? false,
    invoiceStatus: invoiceStatus(learner),
  };
}

// --- peer 1: json-rules-engine (pure JavaScript) ---

/** An engine with one fact function per fact (each reads the run's `learner`, `event` and
 * `rule`) and three rules whose events are the statuses; one `engine.run` per decision. */
function jsonRulesEngine(Engine) {
  const engine = new Engine();
  const runtime = async (almanac) => ({
    learner: await almanac.factValue("learner"),
    event: await almanac.factValue("event"),
    rule: await almanac.factValue("rule"),
  });
  // The almanac caches each fact for the run, so the tally is computed once per decision.
  engine.addFact("attendance", async (_, almanac) => {
    const { learner, event } = await runtime(almanac);
    return attendanceTally(learner, event);
  });
  engine.addFact("absences", async (_, almanac) => (await almanac.factValue("attendance")).absences);
  engine.addFact("unrecorded", async (_, almanac) => (await almanac.factValue("attendance")).unrecorded);
  engine.addFact("manualOutcome", async (_, almanac) => {
    const { learner, rule } = await runtime(almanac);
    return manualOutcome(learner, rule.achievement);
  });
  engine.addFact("invoiceStatus", async (_, almanac) => invoiceStatus(await almanac.factValue("learner")));
  engine.addFact("autoPass", async (_, almanac) => (await almanac.factValue("rule")).autoPass ?? true);
  engine.addFact("maxAbsences", async (_, almanac) => (await almanac.factValue("rule")).maxAbsences ?? 0);
  engine.addFact("requireInvoicePaid", async (_, almanac) => (await almanac.factValue("rule")).requireInvoicePaid ?? false);

  const is = (fact, value) => ({ fact, operator: "equal", value });
  const automatic = [is("manualOutcome", "none"), is("autoPass", true)];
  engine.setCondition("manual-fail", { all: [is("manualOutcome", "fail")] });
  engine.setCondition("too-many-absences", {
    all: [...automatic, { fact: "absences", operator: "greaterThan", value: { fact: "maxAbsences" } }],
  });
  engine.setCondition("met", {
    any: [
      is("manualOutcome", "pass"),
      {
        all: [
          ...automatic,
          { fact: "absences", operator: "lessThanInclusive", value: { fact: "maxAbsences" } },
          is("unrecorded", 0),
        ],
      },
    ],
  });
  engine.setCondition("invoice-gate", {
    any: [is("requireInvoicePaid", false), { fact: "invoiceStatus", operator: "in", value: ["paid", "none"] }],
  });
  const failed = { any: [{ condition: "manual-fail" }, { condition: "too-many-absences" }] };
  const awarded = { all: [{ condition: "met" }, { condition: "invoice-gate" }] };
  engine.addRule({ name: "failed", conditions: failed, event: { type: "failed" } });
  engine.addRule({ name: "awarded", conditions: awarded, event: { type: "awarded" } });
  engine.addRule({ name: "pending", conditions: { all: [{ not: failed }, { not: awarded }] }, event: { type: "pending" } });

  return async ({ learner, event, rule }) => {
    const { events } = await engine.run({ learner, event, rule });
    if (events.length !== 1) throw new Error(`json-rules-engine fired ${events.length} status rules`);
    return events[0].type;
  };
}

// --- peer 2: zen-engine (Rust, native Node addon): a JDM graph with one decision table ---

/** Input → decision table (first hit) → output. Input columns are zen expressions over the facts. */
function zenGraph() {
  const inputs = {
    manual: "manualOutcome",
    auto: "autoPass",
    over: "absences > maxAbsences",
    open: "unrecorded",
    gate: "requireInvoicePaid",
    invoice: "invoiceStatus",
  };
  const any = "";
  const paidOrNone = '"paid", "none"';
  // prettier-ignore
  const table = [
    // manual     auto     over    open   gate     invoice     → status
    ['"fail"',    any,     any,    any,   any,     any,        '"failed"'],
    ['"pass"',    any,     any,    any,   "false", any,        '"awarded"'],
    ['"pass"',    any,     any,    any,   any,     paidOrNone, '"awarded"'],
    ['"pass"',    any,     any,    any,   any,     any,        '"pending"'],
    [any,         "false", any,    any,   any,     any,        '"pending"'],
    [any,         any,     "true", any,   any,     any,        '"failed"'],
    [any,         any,     any,    "> 0", any,     any,        '"pending"'],
    [any,         any,     any,    any,   "false", any,        '"awarded"'],
    [any,         any,     any,    any,   any,     paidOrNone, '"awarded"'],
    [any,         any,     any,    any,   any,     any,        '"pending"'],
  ];
  const ids = Object.keys(inputs);
  const node = (id, type, content) => ({ id, type, name: id, position: { x: 0, y: 0 }, ...(content && { content }) });
  return {
    contentType: "application/vnd.gorules.decision",
    nodes: [
      node("request", "inputNode"),
      node("passing", "decisionTableNode", {
        hitPolicy: "first",
        inputs: ids.map((id) => ({ id, name: id, type: "expression", field: inputs[id] })),
        outputs: [{ id: "status", name: "status", type: "expression", field: "status" }],
        rules: table.map((cells, row) => ({
          _id: `row-${row + 1}`,
          ...Object.fromEntries(ids.map((id, i) => [id, cells[i]])),
          status: cells[ids.length],
        })),
      }),
      node("response", "outputNode"),
    ],
    edges: [
      { id: "e1", type: "edge", sourceId: "request", targetId: "passing" },
      { id: "e2", type: "edge", sourceId: "passing", targetId: "response" },
    ],
  };
}

/** zen-engine's decide function, or why it is not available here (its native binary is an
 * optional, per-platform package). */
async function zenEngine() {
  try {
    const { ZenEngine } = await import("@gorules/zen-engine");
    const decision = new ZenEngine().createDecision(Buffer.from(JSON.stringify(zenGraph())));
    const decide = async (d) => (await decision.evaluate(facts(d))).result.status;
    await decide(decisions[0]);
    return { decide };
  } catch (error) {
    return { reason: String(error?.message ?? error).split("\n")[0] };
  }
}

// --- agreement with Laureate: every peer status against Laureate's outcome for the same pair ---
const laureateStatus = new Map();
for (const outcome of answer.outcomes ?? []) {
  if (outcome.event != null) laureateStatus.set(`${outcome.learner}\u0000${outcome.achievement}`, outcome.status);
}
const key = ({ learner, rule }) => `${learner.id}\u0000${rule.achievement}`;

async function agreement(name, decide) {
  let agree = 0;
  const missing = [];
  const disagreements = [];
  for (const d of decisions) {
    const expected = laureateStatus.get(key(d));
    const got = await decide(d);
    if (expected === undefined) missing.push(`${d.learner.id}/${d.rule.achievement}`);
    else if (got === expected) agree += 1;
    else disagreements.push({ learner: d.learner.id, achievement: d.rule.achievement, laureate: expected, peer: got, facts: facts(d) });
  }
  // Laureate's answer must hold every pair: a missing outcome means it could not be read.
  if (missing.length > 0) fail(`${name}: Laureate's answer has no outcome for ${missing.length} learner-achievement pair(s), e.g. ${missing.slice(0, 5).join(", ")}`);
  console.log(`agreement ${name}: ${fmt(agree)} / ${fmt(decisions.length)} statuses agree with Laureate`);
  for (const d of disagreements.slice(0, 10)) console.log(`  differs: ${JSON.stringify(d)}`);
  return { agree, disagree: disagreements.length, examples: disagreements.slice(0, 10) };
}

const packageVersion = (name) =>
  JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), "utf8")).version;

let JsonRulesEngine;
try {
  ({ Engine: JsonRulesEngine } = await import("json-rules-engine"));
} catch (error) {
  fail(`json-rules-engine cannot be loaded (run \`npm ci\` at the repository root): ${error.message}`);
}
const jre = jsonRulesEngine(JsonRulesEngine);
const zen = await zenEngine();

console.log(`laureate ${laureate.version()} on Node ${process.version}; medium organisation, asOf ${asOf}`);
console.log(
  `classroom: ${classroomEvents.size} events, ${fmt(classroomLearners.length)} learners, ` +
    `${fmt(decisions.length)} learner-rule decisions (of ${fmt(evidence.learners.length)} learners, ${fmt(answer.outcomes.length)} outcomes)`,
);
const agreementJre = await agreement("json-rules-engine", jre);
const agreementZen = zen.decide ? await agreement("zen-engine", zen.decide) : null;
if (!zen.decide) console.log(`zen-engine: not available (${zen.reason})`);

// --- speed: median of RUNS passes over all decisions (peers) or one evaluation (Laureate) ---
const perSecond = (count, ms) => count / (ms / 1000);
const decisionsPass = (decide) => async () => {
  for (const d of decisions) await decide(d);
};
const sameCount = (outcomes) => (ok) => {
  if (okOf(ok, "medium, Rulebook.evaluate").outcomes.length !== outcomes) fail("Laureate's outcome count changed between runs");
};

const jreMs = await medianMs(decisionsPass(jre), { runs: RUNS });
const peers = {
  jsonRulesEngine: { version: packageVersion("json-rules-engine"), medianMs: jreMs, decisionsPerSec: perSecond(decisions.length, jreMs) },
  zenEngine: { available: Boolean(zen.decide) },
};
if (zen.decide) {
  // One decision in flight at a time, as json-rules-engine; then all of them at once, which
  // lets zen's native work spread over libuv's thread pool.
  const sequentialMs = await medianMs(decisionsPass(zen.decide), { runs: RUNS });
  const concurrentMs = await medianMs(() => Promise.all(decisions.map(zen.decide)), { runs: RUNS });
  peers.zenEngine = {
    available: true,
    version: packageVersion("@gorules/zen-engine"),
    sequential: { medianMs: sequentialMs, decisionsPerSec: perSecond(decisions.length, sequentialMs) },
    concurrent: { medianMs: concurrentMs, decisionsPerSec: perSecond(decisions.length, concurrentMs) },
  };
} else {
  peers.zenEngine.reason = zen.reason;
}

// Laureate, whole evidence: every outcome of the organisation (all deliveries, paths included).
const fullOutcomes = answer.outcomes.length;
const fullMs = await medianMs(() => prepared.evaluate(evidence, asOf), { runs: RUNS, check: sameCount(fullOutcomes) });
// Laureate, the classroom learners only: the same decisions as the peers (plus dates, identifiers...).
const classroomEvidence = { learners: classroomLearners };
const classroomAnswer = okOf(prepared.evaluate(classroomEvidence, asOf), "medium classroom learners, Rulebook.evaluate");
const classroomOutcomes = classroomAnswer.outcomes.length;
const changed = classroomAnswer.outcomes.filter((o) => laureateStatus.get(`${o.learner}\u0000${o.achievement}`) !== o.status);
if (changed.length > 0) console.log(`note: ${changed.length} classroom outcomes differ when evaluated without the rest of the evidence`);
const classroomMs = await medianMs(() => prepared.evaluate(classroomEvidence, asOf), {
  runs: RUNS,
  check: sameCount(classroomOutcomes),
});

/** Every outcome of the answer texts agrees in status with the single-call classroom answer, and
 * none is missing or extra. */
function sameStatuses(texts, what) {
  const expected = new Map(classroomAnswer.outcomes.map((o) => [`${o.learner}\u0000${o.achievement}`, o.status]));
  let seen = 0;
  for (const text of texts) {
    for (const o of okOf(text, what).outcomes) {
      if (expected.get(`${o.learner}\u0000${o.achievement}`) !== o.status) fail(`${what}: ${o.learner}/${o.achievement} is ${o.status}`);
      seen += 1;
    }
  }
  if (seen !== expected.size) fail(`${what}: ${seen} outcomes, not ${expected.size}`);
}

// The same classroom learners as JSON text, the form a back end receives a request in (the text is
// made once, outside the timed part): `Rulebook.evaluateJson`, text in and text out, one thread.
const classroomText = JSON.stringify({ asOf, evidence: classroomEvidence });
sameStatuses([prepared.evaluateJson(classroomText)], "medium classroom learners, Rulebook.evaluateJson");
const textMs = await medianMs(() => prepared.evaluateJson(classroomText), {
  runs: RUNS,
  check: (text) => checkOkText(text, "medium classroom learners, Rulebook.evaluateJson"),
});
prepared.free();

// All at once, as zen-engine's concurrent batch: one worker thread per core, each with its own
// module and prepared Rulebook, each given the learners of every n-th contact (so each contact's
// holdings stay in one answer) as one request text, all requests in flight together. The timed
// part is posting the texts to the workers and receiving every answer text back. Each worker's
// answer is whole for its learners, sequence numbers included: they start from the same state in
// every worker, which is why a real host would split by organisation, not inside one.
const threads = availableParallelism();
const shareOf = new Map();
const shares = Array.from({ length: threads }, () => []);
for (const learner of classroomLearners) {
  if (!shareOf.has(learner.contact)) shareOf.set(learner.contact, shareOf.size % threads);
  shares[shareOf.get(learner.contact)].push(learner);
}
const shareTexts = shares.map((learners) => JSON.stringify({ asOf, evidence: { learners } }));

/** A worker thread (laureate-worker.mjs) and `ask(text)`, its answer text as a promise. */
async function startWorker() {
  const worker = new Worker(new URL("./laureate-worker.mjs", import.meta.url), { workerData: { rulebook } });
  const waiting = [];
  worker.on("error", (error) => fail(`worker thread: ${error?.message ?? error}`));
  worker.on("message", (message) => waiting.shift()(message));
  await new Promise((resolve) => waiting.push(resolve)); // "ready"
  const ask = (text) =>
    new Promise((resolve) => {
      waiting.push(resolve);
      worker.postMessage(text);
    });
  return { worker, ask };
}
const workers = await Promise.all(shares.map(startWorker));
const allAtOnce = () => Promise.all(workers.map(({ ask }, i) => ask(shareTexts[i])));
sameStatuses(await allAtOnce(), `medium classroom learners, evaluateJson on ${threads} worker threads`);
const threadsMs = await medianMs(allAtOnce, {
  warmup: 10,
  runs: RUNS,
  check: (texts) => texts.forEach((text) => checkOkText(text, "worker thread, Rulebook.evaluateJson")),
});
await Promise.all(workers.map(({ worker }) => worker.terminate()));

const figure = (outcomes, ms) => ({ outcomes, medianMs: ms, outcomesPerSec: perSecond(outcomes, ms) });
const laureateFigures = {
  full: figure(fullOutcomes, fullMs),
  classroomOnly: figure(classroomOutcomes, classroomMs),
  classroomText: figure(classroomOutcomes, textMs),
  classroomThreads: { threads, ...figure(classroomOutcomes, threadsMs) },
};
const ratio = (peerPerSec) => Object.fromEntries(Object.entries(laureateFigures).map(([name, f]) => [name, f.outcomesPerSec / peerPerSec]));
const ratios = { jsonRulesEngine: ratio(peers.jsonRulesEngine.decisionsPerSec) };
if (zen.decide) {
  ratios.zenEngineSequential = ratio(peers.zenEngine.sequential.decisionsPerSec);
  ratios.zenEngineConcurrent = ratio(peers.zenEngine.concurrent.decisionsPerSec);
}

const speed = (name, count, ms, unit) => `  ${name.padEnd(36)} ${fmt(ms, 1).padStart(8)} ms  ${fmt(perSecond(count, ms)).padStart(10)} ${unit}/s`;
console.log(`speed (median of ${RUNS} after 1 warm-up):`);
console.log(speed(`json-rules-engine ${peers.jsonRulesEngine.version}`, decisions.length, jreMs, "decisions"));
if (zen.decide) {
  console.log(speed(`zen-engine ${peers.zenEngine.version}, sequential`, decisions.length, peers.zenEngine.sequential.medianMs, "decisions"));
  console.log(speed(`zen-engine ${peers.zenEngine.version}, concurrent`, decisions.length, peers.zenEngine.concurrent.medianMs, "decisions"));
}
console.log(speed(`Laureate, whole evidence (${fmt(fullOutcomes)})`, fullOutcomes, fullMs, "outcomes"));
console.log(speed(`Laureate, classroom learners (${fmt(classroomOutcomes)})`, classroomOutcomes, classroomMs, "outcomes"));
console.log(speed("  the same, text in and out", classroomOutcomes, textMs, "outcomes"));
console.log(speed(`  the same, text, ${threads} worker threads`, classroomOutcomes, threadsMs, "outcomes"));
console.log("ratios (Laureate outcomes/s ÷ peer decisions/s; whole evidence, classroom learners: objects, text, text on threads):");
for (const [name, r] of Object.entries(ratios)) {
  console.log(`  ${name.padEnd(22)} ${Object.values(r).map((x) => `${fmt(x, 2)}×`.padStart(8)).join(" ")}`);
}

printBenchJson({
  engine: laureate.version(),
  node: process.version,
  org: "medium",
  runs: RUNS,
  classroom: { events: classroomEvents.size, learners: classroomLearners.length, decisions: decisions.length },
  agreement: { jsonRulesEngine: agreementJre, zenEngine: agreementZen },
  peers,
  laureate: laureateFigures,
  ratios,
});
