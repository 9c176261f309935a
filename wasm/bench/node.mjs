// Laureate through its JS API in Node.js, from the repository root:
//
//   node wasm/bench/node.mjs [--quick]
//
// Needs the npm package (`cargo xtask build-wasm`) and the generated organisations in
// target/orgs/ (`target/debug/xtask gen-org --size small|medium|large --out target/orgs/SIZE.json`).
// Measures, in this order:
//   firstCall  importing the package (which compiles and instantiates the wasm synchronously),
//              then the first `evaluate` of the small organisation (30 learners);
//   preview    the preview case: one prepared `Rulebook`, learner 0's attendance of session s1
//              flipped between "present" and "absent" before each re-evaluation; µs per
//              re-evaluation (median, p95) through the object API, and through `callJson` on
//              the whole request's text for comparison, and through a `Preview` (the evidence
//              read once; only learner 0 crosses the boundary: `setLearnerJson`, `setLearner`);
//   compare    the same flip, through `compare` (spec.md §14): the evidence with s1 "present"
//              against the flipped one, on the prepared `Rulebook` (`compareJson` on text,
//              `compare` on objects), and a `Preview` with learner 0 changed (`compareJson`);
//   large      the large organisation (200,000 learners; medium, 10,000, with --quick) through
//              a prepared `Rulebook` (object API) and through `callJson` on the request text:
//              outcomes per second, plus Node's peak RSS.
// Prints one line per figure and, last, `BENCH_JSON {...}` with every figure (for cargo xtask).
// Exits non-zero when Laureate answers an error envelope.
import {
  checkOkText,
  fmt,
  importLaureate,
  medianMs,
  msSince,
  now,
  okOf,
  parseFlags,
  printBenchJson,
  readOrg,
  summary,
  usSince,
} from "./common.mjs";

const { "--quick": quick } = parseFlags(["--quick"]);
const PREVIEW = { warmup: 200, iterations: quick ? 500 : 2000 };
const LARGE = { size: quick ? "medium" : "large", runs: quick ? 3 : 5 };

// --- firstCall: import, then the first answer (the request is read before the clock starts) ---
const small = readOrg("small");
let start = now();
const laureate = await importLaureate();
const importMs = msSince(start);
start = now();
const first = laureate.evaluate(small.request);
const firstCallUs = usSince(start);
okOf(first, "first evaluate (small)");
// `performance.now()` counts from the process's time origin: start-up, reading small.json included.
const sinceProcessStartMs = performance.now();
console.log(`laureate ${laureate.version()} on Node ${process.version}${quick ? " (--quick)" : ""}`);
console.log(`firstCall: import ${fmt(importMs, 1)} ms, first evaluate (small, 30 learners) ${fmt(firstCallUs)} µs`);
console.log(`           first answer ${fmt(sinceProcessStartMs, 1)} ms after process start`);

// --- preview: re-evaluate after one attendance mark changes, rulebook prepared once ---
const { asOf, rulebook, evidence } = small.request;
const prepared = new laureate.Rulebook(rulebook);
const learner = evidence.learners[0];
learner.attendance ??= {};
const original = learner.attendance.s1;
const flip = (i) => (learner.attendance.s1 = i % 2 === 0 ? "absent" : "present");

// What the flip does to learner 0's first outcome (shown, not asserted: it depends on the org).
const statusWith = (mark) => {
  learner.attendance.s1 = mark;
  const outcome = okOf(prepared.evaluate(evidence, asOf), "preview").outcomes.find((o) => o.learner === learner.id);
  return outcome ? `${outcome.achievement} ${outcome.status}` : "no outcome";
};
console.log(`preview: learner ${learner.id} with s1 present: ${statusWith("present")}; absent: ${statusWith("absent")}`);

/** µs per call of `evaluate` (median, p95) over the preview iterations, the flip untimed. */
function previewTimes(evaluate, check) {
  const samples = [];
  for (let i = 0; i < PREVIEW.warmup + PREVIEW.iterations; i++) {
    flip(i);
    const start = now();
    const answer = evaluate();
    const us = usSince(start);
    check(answer);
    if (i >= PREVIEW.warmup) samples.push(us);
  }
  const { median, p95 } = summary(samples);
  return { medianUs: median, p95Us: p95 };
}

// Object API: the evidence object in (stringified by the package), the answer object out (parsed).
const rulebookObject = previewTimes(
  () => prepared.evaluate(evidence, asOf),
  (answer) => "ok" in answer || okOf(answer, "preview, Rulebook.evaluate"),
);
// Text API on the prepared Rulebook: the evidence request's text in (stringified inside the
// timed part, as a host holding objects would), the answer text out, not parsed.
const rulebookJson = previewTimes(
  () => prepared.evaluateJson(JSON.stringify({ asOf, evidence })),
  (text) => checkOkText(text, "preview, Rulebook.evaluateJson"),
);
// Text API for comparison: the whole request (rulebook included) as text in, answer text out
// (not parsed); the JSON.stringify of the request is inside the timed part.
const callJsonFull = previewTimes(
  () => laureate.callJson("evaluate", JSON.stringify(small.request)),
  (text) => checkOkText(text, "preview, callJson"),
);
// A `Preview`: the evidence read once, then only the changed learner crosses the boundary.
// Its text is made inside the timed part (a host holding objects stringifies that learner);
// the answer text comes out, not parsed.
const preview = prepared.preview({ asOf, evidence });
const previewJson = previewTimes(
  () => preview.setLearnerJson(0, JSON.stringify(learner)),
  (text) => checkOkText(text, "preview, Preview.setLearnerJson"),
);
// The same with the learner object in and the answer object out.
const previewObject = previewTimes(
  () => preview.setLearner(0, learner),
  (answer) => "ok" in answer || okOf(answer, "preview, Preview.setLearner"),
);
// compare: the evidence before (s1 "present") against the evidence as flipped; text in, text out,
// the request's JSON.stringify inside the timed part, as for `evaluateJson`.
const before = structuredClone(evidence);
before.learners[0].attendance.s1 = "present";
const compareJson = previewTimes(
  () => prepared.compareJson(JSON.stringify({ asOf, before, after: evidence })),
  (text) => checkOkText(text, "preview, Rulebook.compareJson"),
);
const compareObject = previewTimes(
  () => prepared.compare(before, evidence, asOf),
  (answer) => "ok" in answer || okOf(answer, "preview, Rulebook.compare"),
);
// The preview with learner 0 absent at s1, compared with the evidence as it was first read.
learner.attendance.s1 = "absent";
preview.setLearnerJson(0, JSON.stringify(learner));
const previewCompare = previewTimes(
  () => preview.compareJson(),
  (text) => checkOkText(text, "preview, Preview.compareJson"),
);
preview.free();
learner.attendance.s1 = original;
prepared.free();

const previewLine = (name, t) => `${name} median ${fmt(t.medianUs, 1)} µs, p95 ${fmt(t.p95Us, 1)} µs`;
console.log(`preview (${PREVIEW.iterations} re-evaluations after ${PREVIEW.warmup} warm-up, 30 learners):`);
console.log(`  ${previewLine("Rulebook.evaluate(evidence, asOf)   ", rulebookObject)}`);
console.log(`  ${previewLine("Rulebook.evaluateJson(text)        ", rulebookJson)}`);
console.log(`  ${previewLine('callJson("evaluate", request text) ', callJsonFull)}`);
console.log(`  ${previewLine("Preview.setLearnerJson(0, text)    ", previewJson)}`);
console.log(`  ${previewLine("Preview.setLearner(0, learner)     ", previewObject)}`);
console.log(`  ${previewLine("Rulebook.compareJson(text)         ", compareJson)}`);
console.log(`  ${previewLine("Rulebook.compare(before, after, …) ", compareObject)}`);
console.log(`  ${previewLine("Preview.compareJson()              ", previewCompare)}`);

// --- large: outcomes per second through a prepared Rulebook, and through callJson on text ---
start = now();
const org = readOrg(LARGE.size);
const loadMs = msSince(start);
const learners = org.request.evidence.learners?.length ?? 0;
start = now();
const big = new laureate.Rulebook(org.request.rulebook);
const prepareMs = msSince(start);

let outcomes = 0;
const objectMs = await medianMs(() => big.evaluate(org.request.evidence, org.request.asOf), {
  runs: LARGE.runs,
  check: (answer) => (outcomes = okOf(answer, `${LARGE.size}, Rulebook.evaluate`).outcomes.length),
});

// Text API on the prepared Rulebook: evidence text in (made once, untimed), answer text out.
const evidenceText = JSON.stringify({ asOf: org.request.asOf, evidence: org.request.evidence });
let answerText = "";
const textMs = await medianMs(() => big.evaluateJson(evidenceText), {
  runs: LARGE.runs,
  check: (text) => {
    checkOkText(text, `${LARGE.size}, Rulebook.evaluateJson`);
    answerText = text;
  },
});
big.free();
// The object API's extra cost is mostly this: turning the answer's text into JS objects.
start = now();
const textOutcomes = okOf(answerText, `${LARGE.size}, Rulebook.evaluateJson`).outcomes.length;
const answerParseMs = msSince(start);
const answerBytes = Buffer.byteLength(answerText);
answerText = "";
if (textOutcomes !== outcomes) console.log(`  note: Rulebook.evaluateJson gave ${textOutcomes} outcomes, Rulebook.evaluate ${outcomes}`);

const perSecond = (ms) => outcomes / (ms / 1000);
const maxRssKb = process.resourceUsage().maxRSS;
console.log(`large (${LARGE.size}: ${fmt(learners)} learners, ${fmt(outcomes)} outcomes; median of ${LARGE.runs} after 1 warm-up):`);
console.log(`  read + parse ${fmt(loadMs)} ms, new Rulebook ${fmt(prepareMs, 1)} ms`);
console.log(`  Rulebook.evaluate(evidence, asOf): ${fmt(objectMs)} ms, ${fmt(perSecond(objectMs))} outcomes/s`);
console.log(`  Rulebook.evaluateJson(evidence text): ${fmt(textMs)} ms, ${fmt(perSecond(textMs))} outcomes/s`);
console.log(`  JSON.parse of the ${fmt(answerBytes / 1e6, 1)} MB answer text: ${fmt(answerParseMs)} ms`);
console.log(`  peak RSS ${fmt(maxRssKb / 1024)} MiB`);

printBenchJson({
  engine: laureate.version(),
  node: process.version,
  quick,
  firstCall: { importMs, firstCallUs, sinceProcessStartMs },
  preview: {
    learners: evidence.learners.length,
    warmup: PREVIEW.warmup,
    iterations: PREVIEW.iterations,
    rulebookObject,
    rulebookJson,
    callJsonFull,
    previewJson,
    previewObject,
    compareJson,
    compareObject,
    previewCompare,
  },
  large: {
    org: LARGE.size,
    learners,
    outcomes,
    runs: LARGE.runs,
    loadMs,
    prepareMs,
    rulebookObject: { medianMs: objectMs, outcomesPerSec: perSecond(objectMs) },
    rulebookJson: { medianMs: textMs, outcomesPerSec: perSecond(textMs) },
    answerBytes,
    answerParseMs,
    maxRssKb,
  },
});
