// The JS API of the npm package (target/npm/laureate/): entry points, conversions, misuse.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { packageDir, requirePackage, wasmPath } from "./support/load.js";

requirePackage();
const node = await import(`${packageDir}/node.js`);
const web = await import(`${packageDir}/web.js`);
web.initSync({ module: readFileSync(wasmPath) });

const API = [
  "Preview",
  "Rulebook",
  "callJson",
  "codeUsage",
  "compare",
  "evaluate",
  "exportTrainingRecords",
  "formatIdentifier",
  "importTrainingRecords",
  "renameCode",
  "validate",
  "version",
];
const request = { asOf: "2026-03-10", rulebook: {}, evidence: {} };

const throwsMisuse = (run, message) =>
  assert.throws(run, (error) => {
    assert.ok(error instanceof Error, "an Error");
    assert.equal(error.code, "invalid-argument");
    if (message) assert.match(error.message, message);
    return true;
  });

test("the Node.js and web builds export the same API", () => {
  const names = (module) => Object.keys(module).filter((name) => !["default", "initSync"].includes(name)).sort();
  assert.deepEqual(names(node), API);
  assert.deepEqual(names(web), API);
  assert.equal(typeof node.default, "function", "node.js has a no-op init");
  assert.equal(typeof web.default, "function");
});

test("the Node.js and web builds answer the same bytes", () => {
  for (const operation of [
    "evaluate",
    "validate",
    "formatIdentifier",
    "codeUsage",
    "renameCode",
    "importTrainingRecords",
    "exportTrainingRecords",
    "compare",
    "nope",
  ]) {
    for (const text of ["{}", JSON.stringify(request), "not json"]) {
      assert.equal(node.callJson(operation, text), web.callJson(operation, text));
    }
  }
});

test("version() is the engine version", () => {
  assert.match(node.version(), /^\d+\.\d+\.\d+/);
  assert.equal(node.version(), web.version());
});

test("answers are envelopes returned as data, equal to callJson's", () => {
  for (const [operation, run] of [
    ["evaluate", node.evaluate],
    ["validate", node.validate],
    ["formatIdentifier", node.formatIdentifier],
    ["codeUsage", node.codeUsage],
    ["renameCode", node.renameCode],
    ["importTrainingRecords", node.importTrainingRecords],
    ["exportTrainingRecords", node.exportTrainingRecords],
    ["compare", node.compare],
  ]) {
    for (const value of [{}, request, [], { version: 2 }]) {
      const answer = run(value);
      assert.ok(("ok" in answer) !== ("error" in answer), `${operation}: one of ok and error`);
      assert.deepEqual(answer, JSON.parse(node.callJson(operation, JSON.stringify(value))));
    }
  }
});

test("a request object crosses as its JSON.stringify text", () => {
  const withUndefined = { ...request, options: undefined };
  assert.deepEqual(node.evaluate(withUndefined), node.evaluate(request));
  const big = { format: "N-{{sequence_number}}", padding: 0, number: 2 ** 53, fields: {} };
  assert.deepEqual(node.formatIdentifier(big), JSON.parse(node.callJson("formatIdentifier", JSON.stringify(big))));
});

test("callJson takes text or its UTF-8 bytes", () => {
  const text = JSON.stringify(request);
  assert.equal(node.callJson("evaluate", new TextEncoder().encode(text)), node.callJson("evaluate", text));
  assert.equal(typeof node.callJson("evaluate", ""), "string");
});

test("misuse of the JS API throws an Error with a code", () => {
  throwsMisuse(() => node.evaluate(), /missing argument `request`/);
  throwsMisuse(() => node.evaluate(request, {}), /takes 1 argument/);
  throwsMisuse(() => node.evaluate("{}"), /must be an object/);
  throwsMisuse(() => node.evaluate(null), /must be an object/);
  throwsMisuse(() => node.validate(42), /must be an object/);
  const cyclic = {};
  cyclic.self = cyclic;
  throwsMisuse(() => node.evaluate(cyclic), /cannot be converted to json/);
  throwsMisuse(() => node.codeUsage({ n: 1n }), /cannot be converted to json/);
  throwsMisuse(() => node.callJson("evaluate"), /must be a string or a Uint8Array/);
  throwsMisuse(() => node.callJson(1, "{}"), /`operation` must be a string/);
  throwsMisuse(() => node.callJson("evaluate", "{}", 3), /takes 2 arguments/);
  throwsMisuse(() => node.version(1), /takes 0 arguments/);
  throwsMisuse(() => new node.Rulebook(), /missing argument `rulebook`/);
  throwsMisuse(() => new node.Rulebook({}, {}), /takes 1 argument/);
  throwsMisuse(() => web.renameCode(), /missing argument/);
});

test("new Rulebook throws the answer's error for a rulebook that cannot be read", () => {
  assert.throws(
    () => new node.Rulebook({ achievements: "not a list" }),
    (error) => {
      assert.ok(error instanceof Error);
      assert.equal(error.code, "invalid-input");
      assert.equal(error.path, "/rulebook/achievements", "paths as in an evaluate request");
      return true;
    },
  );
});

test("Rulebook.evaluate answers what evaluate answers", () => {
  const rulebook = new node.Rulebook({});
  try {
    assert.deepEqual(rulebook.evaluate({}, "2026-03-10"), node.evaluate(request));
    assert.deepEqual(rulebook.evaluate({}, "2026-03-10", { trace: true }), node.evaluate({ ...request, options: { trace: true } }));
    const bad = rulebook.evaluate({ learners: "not a list" }, "2026-03-10");
    assert.equal(bad.error?.code, "invalid-input");
    assert.equal(bad.error.path, "/evidence/learners", "error paths are relative to {asOf, evidence, options}");
    throwsMisuse(() => rulebook.evaluate(), /missing argument `evidence`/);
    throwsMisuse(() => rulebook.evaluate({}), /missing argument `asOf`/);
    throwsMisuse(() => rulebook.evaluate({}, "2026-03-10", 5), /`options` must be an object/);
    throwsMisuse(() => rulebook.evaluate({}, "2026-03-10", {}, 4), /takes 3 arguments/);
  } finally {
    rulebook.free();
  }
});

test("Rulebook.evaluateJson answers callJson's text on the same request", () => {
  const book = { achievements: [{ id: "bls", name: "BLS" }] };
  const rulebook = new node.Rulebook(book);
  try {
    const evidence = { asOf: "2026-03-10", evidence: {}, options: { trace: true } };
    const text = JSON.stringify(evidence);
    const full = JSON.stringify({ ...evidence, rulebook: book });
    assert.equal(rulebook.evaluateJson(text), node.callJson("evaluate", full));
    assert.equal(rulebook.evaluateJson(new TextEncoder().encode(text)), node.callJson("evaluate", full));
    const bad = JSON.parse(rulebook.evaluateJson('{"asOf": "2026-03-10", "evidence": {"learners": 5}}'));
    assert.equal(bad.error?.code, "invalid-input");
    assert.equal(bad.error.path, "/evidence/learners");
    throwsMisuse(() => rulebook.evaluateJson(5), /`request` must be a string or a Uint8Array/);
    throwsMisuse(() => rulebook.evaluateJson("{}", 1), /takes 1 argument/);
  } finally {
    rulebook.free();
  }
});

test("a Preview answers evaluateJson's text after each change of one learner", () => {
  const book = {
    achievements: [{ id: "bls", name: "BLS" }],
    courseTemplates: [{ id: "ct", code: "CPR", title: "CPR", delivery: "classroom", achievements: [{ achievement: "bls" }] }],
    events: [{ id: "ev", template: "ct", start: "2026-03-01", end: "2026-03-01", sessions: [{ id: "s1", date: "2026-03-01" }] }],
  };
  const learner = (id, mark) => ({ id, contact: `c-${id}`, event: "ev", attendance: { s1: mark } });
  const request = { asOf: "2026-03-10", evidence: { learners: [learner("L1", "absent"), learner("L2", "present")] } };
  const rulebook = new node.Rulebook(book);
  const preview = rulebook.preview(JSON.stringify(request));
  try {
    assert.equal(preview.learnerCount, 2);
    assert.equal(preview.answerJson(), rulebook.evaluateJson(JSON.stringify(request)));
    assert.deepEqual(preview.answer(), JSON.parse(preview.answerJson()));
    const statuses = (answer) => answer.ok.outcomes.map((o) => o.status);
    assert.deepEqual(statuses(preview.answer()), ["failed", "awarded"]);
    // The text form, and the same preview read from bytes and from an object.
    const changed = structuredClone(request);
    changed.evidence.learners[0] = learner("L1", "present");
    assert.equal(preview.setLearnerJson(0, JSON.stringify(learner("L1", "present"))), rulebook.evaluateJson(JSON.stringify(changed)));
    assert.deepEqual(statuses(preview.answer()), ["awarded", "awarded"]);
    for (const other of [rulebook.preview(new TextEncoder().encode(JSON.stringify(request))), rulebook.preview(request)]) {
      assert.deepEqual(other.setLearner(0, learner("L1", "present")), JSON.parse(rulebook.evaluateJson(JSON.stringify(changed))));
      other.free();
    }
    // A learner that cannot be read: the error envelope at its path, and the preview unchanged.
    const before = preview.answerJson();
    const refused = preview.setLearner(1, { ...learner("L2", "present"), attendance: { s1: "late" } });
    assert.equal(refused.error?.code, "invalid-input");
    assert.equal(refused.error.path, "/evidence/learners/1/attendance/s1");
    assert.equal(JSON.parse(preview.setLearnerJson(2, "{}")).error.path, "/evidence/learners/2");
    assert.equal(JSON.parse(preview.setLearnerJson(0, "{")).error.code, "invalid-json");
    assert.equal(preview.answerJson(), before);
    // Misuse throws; the preview outlives its rulebook's free().
    throwsMisuse(() => preview.setLearnerJson(-1, "{}"), /`index` must be a whole number/);
    throwsMisuse(() => preview.setLearnerJson(0.5, "{}"), /`index` must be a whole number/);
    throwsMisuse(() => preview.setLearnerJson("0", "{}"), /`index` must be a whole number/);
    throwsMisuse(() => preview.setLearnerJson(0, 5), /`learner` must be a string or a Uint8Array/);
    throwsMisuse(() => preview.setLearner(0, "{}"), /`learner` must be an object/);
    throwsMisuse(() => preview.answerJson(1), /takes 0 arguments/);
    throwsMisuse(() => rulebook.preview(request, 1), /takes 1 argument/);
    rulebook.free();
    assert.equal(preview.answerJson(), before);
  } finally {
    preview.free();
  }
});

test("Rulebook.preview throws the answer's error for a request that cannot be read", () => {
  const rulebook = new node.Rulebook({});
  try {
    assert.throws(
      () => rulebook.preview({ asOf: "2026-03-10", evidence: { learners: 5 } }),
      (error) => {
        assert.ok(error instanceof Error);
        assert.equal(error.code, "invalid-input");
        assert.equal(error.path, "/evidence/learners");
        return true;
      },
    );
    assert.throws(() => rulebook.preview("not json"), (error) => error.code === "invalid-json");
  } finally {
    rulebook.free();
  }
});

test("the package's exports map resolves `laureate` to the Node.js build, and `laureate/bundler` loads", () => {
  const dir = mkdtempSync(join(tmpdir(), "laureate-exports-"));
  try {
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(packageDir, join(dir, "node_modules/laureate"), "dir");
    const script = join(dir, "probe.mjs");
    writeFileSync(
      script,
      `import init, * as laureate from "laureate";
       import * as bundler from "laureate/bundler";
       await init();
       const a = laureate.callJson("evaluate", "{}");
       if (a !== bundler.callJson("evaluate", "{}")) throw new Error("bundler build differs");
       console.log(JSON.stringify({ version: laureate.version(), answer: a }));`,
    );
    const out = execFileSync(process.execPath, ["--experimental-wasm-modules", "--no-warnings", script], { cwd: dir, encoding: "utf8" });
    const { version, answer } = JSON.parse(out);
    assert.equal(version, node.version());
    assert.equal(answer, node.callJson("evaluate", "{}"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
