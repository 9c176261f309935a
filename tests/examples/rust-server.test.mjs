// examples/rust-server/: a Rust server that runs the artifact through `laureate_host::Engine`
// (wasmtime) must report the CLI's facts, and find its answer equal to the native core's.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cliAnswer, requireBuilt, root, run } from "./support.mjs";

requireBuilt();

const PACKAGE = "laureate-example-rust-server";

/** "awarded 14, failed 4, pending 9": sorted by value, as the example counts. */
function counts(items, key) {
  const seen = new Map();
  for (const item of items) seen.set(item[key], (seen.get(item[key]) ?? 0) + 1);
  return [...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([value, n]) => `${value} ${n}`).join(", ");
}

test("the Rust server example agrees with the CLI and with the native core", { timeout: 1_200_000 }, () => {
  const manifest = readFileSync(join(root, "Cargo.toml"), "utf8");
  assert.match(
    manifest,
    /members\s*=\s*\[[^\]]*"examples\/rust-server"/,
    'examples/rust-server is not a workspace member: add "examples/rust-server" to [workspace] members in Cargo.toml',
  );

  const cargo = process.env.CARGO ?? "cargo";
  const output = run(cargo, ["run", "--quiet", "--release", "-p", PACKAGE], { encoding: "utf8", timeout: 1_200_000 });
  const lines = output.split("\n");
  const line = (label) => lines.find((l) => l.startsWith(`${label} `))?.slice(label.length).trim();

  const want = JSON.parse(cliAnswer()).ok;
  assert.equal(line("request"), "examples/org/request.json");
  assert.match(line("artifact"), /target\/npm\/laureate\/laureate_bg\.wasm \(\d+ bytes, sha256 [0-9a-f]{12}…\)/);
  assert.ok(
    line("answer").startsWith(`ok, engine ${want.engine.name} ${want.engine.version}, as of ${want.asOf}, `),
    `answer line: ${line("answer")}`,
  );
  assert.equal(line("outcomes"), `${want.outcomes.length} (${counts(want.outcomes, "status")})`, "outcomes per status");
  assert.equal(line("actions"), `${want.actions.length} (${counts(want.actions, "action")})`, "actions per kind");

  const listed = lines.filter((l) => /^ {2}(issue|certify|notify|review-revoke) /.test(l));
  assert.equal(listed.length, want.actions.length, "one line per action");
  want.actions.forEach((action, i) => {
    assert.ok(listed[i].trimStart().startsWith(`${action.action} `), `action ${i + 1} is ${action.action}: ${listed[i]}`);
    const who = action.learner ?? action.certification;
    assert.ok(listed[i].includes(`(${who})`), `action ${i + 1} names ${who}: ${listed[i]}`);
    for (const member of ["identifier", "record", "achievement", "certification"]) {
      if (action[member]) assert.ok(listed[i].includes(action[member]), `action ${i + 1} shows its ${member} ${action[member]}`);
    }
  });

  const next = Object.entries(want.sequenceState).map(([id, n]) => `${id} ${n}`).join(", ");
  assert.equal(line("sequences"), `next numbers: ${next}`);
  assert.match(line("native"), /^the wasmtime answer equals laureate_core::call byte for byte \(\d+ bytes\)$/);
  assert.match(line("threads"), /all \d+ answers identical/);
  assert.equal(line("result"), "agree");
});
