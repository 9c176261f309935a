// examples/node/preview.mjs: the npm package in Node.js must tell the same story as the CLI
// (`laureate evaluate`, wasmtime) for the example organisation.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { cliAnswer, requireBuilt, root, run } from "./support.mjs";

requireBuilt();
const cli = JSON.parse(cliAnswer());
assert.ok("ok" in cli, `the CLI answered an error: ${JSON.stringify(cli)}`);
const want = cli.ok;

const preview = (...args) => run(process.execPath, ["examples/node/preview.mjs", ...args], { encoding: "utf8" });

/** "14 awarded, 4 failed, 9 pending" in first-seen order, as the preview counts. */
function counts(items, key) {
  const seen = new Map();
  for (const item of items) seen.set(item[key], (seen.get(item[key]) ?? 0) + 1);
  return [...seen].map(([value, n]) => `${n} ${value}`).join(", ");
}

test("preview --json has the CLI's outcomes, actions and sequence state", () => {
  const got = JSON.parse(preview("--json", "examples/org/request.json"));
  assert.deepEqual(got.engine, want.engine);
  assert.equal(got.asOf, want.asOf);
  assert.deepEqual(
    got.outcomes.map((o) => [o.learner, o.achievement, o.status, o.identifier, o.awardedOn, o.expiresOn, o.waitingOn, o.record]),
    want.outcomes.map((o) => [o.learner, o.achievement, o.status, o.identifier, o.awardedOn, o.expiresOn, o.waitingOn, o.record]),
    "outcomes (learner, achievement, status, identifier, dates, waitingOn, record) differ from the CLI's",
  );
  assert.deepEqual(got.actions, want.actions.map((a) => a.action), "actions differ from the CLI's");
  assert.deepEqual(got.sequenceState, want.sequenceState, "sequenceState differs from the CLI's");
  assert.equal(got.errors, want.diagnostics.filter((d) => d.severity === "error").length);
});

test("the printed preview (default request) lists every outcome as the CLI decided it", () => {
  const lines = preview().split("\n");
  assert.match(lines[0], /^Laureate 0\.\d+\.\d+ \(Node\.js v\d+/);
  assert.match(lines[0], new RegExp(`as of ${want.asOf}$`));
  assert.ok(lines.includes(`${want.outcomes.length} outcomes: ${counts(want.outcomes, "status")}`), `status counts:\n${lines.slice(0, 4).join("\n")}`);
  assert.ok(lines.includes(`${want.actions.length} actions: ${counts(want.actions, "action")}`), `action counts:\n${lines.slice(0, 4).join("\n")}`);

  // Table rows: learner, achievement, status, identifier, awarded, expires, waiting on / record.
  const rows = lines.filter((line) => /^\S+ {2,}\S+ {2,}(awarded|failed|pending|revoked) /.test(line)).map((line) => line.split(/ {2,}/));
  assert.equal(rows.length, want.outcomes.length, "one row per outcome");
  want.outcomes.forEach((o, i) => {
    const [learner, achievement, status, identifier] = rows[i];
    assert.deepEqual(
      { learner, achievement, status, identifier },
      { learner: o.learner, achievement: o.achievement, status: o.status, identifier: o.identifier ?? "-" },
      `row ${i + 1}`,
    );
  });
});

test("a request the engine cannot read is reported with its error, exit status 1", () => {
  const dir = mkdtempSync(join(tmpdir(), "laureate-node-example-"));
  try {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ asOf: "2026-03-10", rulebook: { achievements: [] }, evidence: {}, colour: "blue" }));
    const result = spawnSync(process.execPath, ["examples/node/preview.mjs", file], { cwd: root, encoding: "utf8" });
    assert.equal(result.status, 1, result.stderr);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^error invalid-input at "\/colour": /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
