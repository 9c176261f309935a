// Where the JS object API's time goes, stage by stage, from the repository root:
//
//   node wasm/bench/crossing.mjs [--quick]
//
// Needs the npm package (`cargo xtask build-wasm`) and target/orgs/small.json and large.json
// (medium.json with --quick; `target/debug/xtask gen-org --size SIZE --out target/orgs/SIZE.json`).
// On the preview (30 learners, learner 0's attendance of s1 flipped before each call) and on
// the large organisation, through one prepared `Rulebook`, it times in the same process,
// interleaved (every variant once per round, in turn):
//   objects     `Rulebook.evaluate(evidence, asOf)`: JS objects in, JS objects out;
//   stringify   `JSON.stringify({asOf, evidence})`, what the object API does first;
//   text        `Rulebook.evaluateJson(text)`: the text copied into the module, the core, the
//               answer's text copied out (the object API's middle);
//   bytes       `Rulebook.evaluateJson(utf8)`: the same from the text's UTF-8 bytes (one memcpy in);
//   encode      `TextEncoder.encode(text)`, the copy in alone (as a fresh array);
//   decode      `TextDecoder.decode(answer bytes)`, the copy out alone;
//   parse       `JSON.parse(answer text)`, what the object API does last;
// and on the preview only, through a `Preview` (the evidence read once, learner 0 replaced):
//   setLearner      `Preview.setLearner(0, learner)`: the learner object in, the answer object out;
//   setLearnerJson  `Preview.setLearnerJson(0, JSON.stringify(learner))`: text in and out.
// Prints one median per stage and input (µs for the preview, ms for the organisation), and last
// `BENCH_JSON {...}` with every figure.
import { fmt, importLaureate, now, okOf, parseFlags, printBenchJson, readOrg, summary } from "./common.mjs";

const { "--quick": quick } = parseFlags(["--quick"]);
const PREVIEW = { warmup: 200, rounds: quick ? 300 : 2000 };
const LARGE = { size: quick ? "medium" : "large", warmup: 1, rounds: quick ? 3 : 7 };

const laureate = await importLaureate();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The stages of one request, as functions of the round number (which picks the input). */
function stages(book, requests) {
  const texts = requests.map((request) => JSON.stringify(request));
  const bytes = texts.map((text) => encoder.encode(text));
  const answers = texts.map((text) => book.evaluateJson(text));
  for (const answer of answers) okOf(answer, "crossing");
  const answerBytes = answers.map((text) => encoder.encode(text));
  const pick = (list, round) => list[round % list.length];
  return {
    sizes: { requestBytes: bytes[0].length, answerBytes: answerBytes[0].length },
    variants: {
      objects: (r) => book.evaluate(pick(requests, r).evidence, pick(requests, r).asOf),
      stringify: (r) => JSON.stringify(pick(requests, r)),
      text: (r) => book.evaluateJson(pick(texts, r)),
      bytes: (r) => book.evaluateJson(pick(bytes, r)),
      encode: (r) => encoder.encode(pick(texts, r)),
      decode: (r) => decoder.decode(pick(answerBytes, r)),
      parse: (r) => JSON.parse(pick(answers, r)),
    },
  };
}

/** Medians (in `unit`: 1e3 for µs, 1e6 for ms) of every variant, run in turn `rounds` times. */
function interleaved(variants, { warmup, rounds }, unit) {
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  let sink = 0;
  for (let round = 0; round < warmup + rounds; round++) {
    // The order rotates each round, so no variant always follows the same one.
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      const start = now();
      const result = variants[name](round);
      const elapsed = Number(now() - start) / unit;
      sink += typeof result === "object" ? 1 : result.length;
      if (round >= warmup) samples[name].push(elapsed);
    }
  }
  if (sink < 0) console.log(sink);
  return Object.fromEntries(names.map((name) => [name, summary(samples[name]).median]));
}

function report(label, unit, sizes, medians) {
  console.log(`${label}: request ${fmt(sizes.requestBytes)} bytes, answer ${fmt(sizes.answerBytes)} bytes`);
  for (const [name, median] of Object.entries(medians)) console.log(`  ${name.padEnd(14)} ${fmt(median, 2)} ${unit}`);
  const rest = medians.objects - medians.stringify - medians.text - medians.parse;
  console.log(`  objects − (stringify + text + parse) = ${fmt(rest, 2)} ${unit}`);
}

// --- preview: the small organisation's learner 0, s1 flipped between the two inputs ---
const small = readOrg("small").request;
const book = new laureate.Rulebook(small.rulebook);
const flipped = (mark) => {
  const evidence = structuredClone(small.evidence);
  evidence.learners[0].attendance ??= {};
  evidence.learners[0].attendance.s1 = mark;
  return { asOf: small.asOf, evidence };
};
const preview = stages(book, [flipped("absent"), flipped("present")]);
const session = book.preview(flipped("absent"));
const learners = [flipped("present"), flipped("absent")].map((request) => request.evidence.learners[0]);
okOf(session.setLearner(0, learners[0]), "crossing, Preview.setLearner");
preview.variants.setLearner = (r) => session.setLearner(0, learners[r % 2]);
preview.variants.setLearnerJson = (r) => session.setLearnerJson(0, JSON.stringify(learners[r % 2]));
const previewUs = interleaved(preview.variants, { warmup: PREVIEW.warmup, rounds: PREVIEW.rounds }, 1e3);
session.free();
book.free();
report(`preview (30 learners, median of ${PREVIEW.rounds} rounds)`, "µs", preview.sizes, previewUs);

// --- the large organisation ---
const org = readOrg(LARGE.size).request;
const big = new laureate.Rulebook(org.rulebook);
const large = stages(big, [{ asOf: org.asOf, evidence: org.evidence }]);
const outcomes = okOf(large.variants.objects(0), "crossing, objects").outcomes.length;
const largeMs = interleaved(large.variants, LARGE, 1e6);
big.free();
report(`${LARGE.size} (${fmt(outcomes)} outcomes, median of ${LARGE.rounds} rounds)`, "ms", large.sizes, largeMs);

printBenchJson({
  engine: laureate.version(),
  node: process.version,
  quick,
  preview: { ...preview.sizes, rounds: PREVIEW.rounds, medianUs: previewUs },
  large: { org: LARGE.size, outcomes, ...large.sizes, rounds: LARGE.rounds, medianMs: largeMs },
});
