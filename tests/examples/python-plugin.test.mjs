// examples/python-plugin/: the Python LMS plugin (wasmtime from PyPI, raw ABI) must answer byte for
// byte what the `laureate` CLI answers. The plugin's virtual environment lives in
// target/python-venv and is (re)built only when requirements.txt changes.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { cli, cliAnswer, firstDifference, requireBuilt, root, run } from "./support.mjs";

requireBuilt();

const venv = join(root, "target/python-venv");
const python = join(venv, "bin/python");
const requirements = join(root, "examples/python-plugin/requirements.txt");
const stamp = join(venv, "laureate-requirements.txt");
const plugin = "examples/python-plugin/plugin.py";

/** Creates the venv and installs the pinned requirements, unless that was done for this file. */
function ensureVenv() {
  const wanted = readFileSync(requirements, "utf8");
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) return "up to date";
  if (!existsSync(python)) run(process.env.PYTHON ?? "python3", ["-m", "venv", venv]);
  run(python, ["-m", "pip", "install", "--disable-pip-version-check", "--quiet", "-r", requirements]);
  writeFileSync(stamp, wanted);
  return "installed";
}

test("the Python plugin answers exactly what the CLI answers", { timeout: 600_000 }, async (t) => {
  t.diagnostic(`target/python-venv: ${ensureVenv()}`);
  const pinned = /^wasmtime==(\S+)$/m.exec(readFileSync(requirements, "utf8"))?.[1];
  assert.ok(pinned, "requirements.txt pins wasmtime with ==");
  const installed = run(python, ["-c", "import importlib.metadata as m; print(m.version('wasmtime'))"], { encoding: "utf8" }).trim();
  assert.equal(installed, pinned, "the venv has the pinned wasmtime");

  await t.test("evaluate examples/org/request.json: byte-identical to `laureate evaluate`", () => {
    const got = run(python, [plugin, "evaluate", "examples/org/request.json"]);
    const want = cliAnswer();
    assert.ok(got.equals(want), `the plugin's answer differs from the CLI's: ${firstDifference(got, want)}`);
  });

  await t.test("an unreadable request: the same error envelope, exit status 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "laureate-python-example-"));
    try {
      for (const [name, text] of [
        ["truncated.json", '{"asOf": "2026-03-10", "rulebook": {'],
        ["unknown-field.json", '{"asOf": "2026-03-10", "rulebook": {}, "evidence": {}, "colour": "blue"}'],
        ["version.json", '{"version": 2}'],
      ]) {
        const file = join(dir, name);
        writeFileSync(file, text);
        const got = spawnSync(python, [plugin, "evaluate", file], { cwd: root });
        const want = spawnSync(cli, ["evaluate", file], { cwd: root });
        assert.equal(want.status, 1, `the CLI's status for ${name}`);
        assert.equal(got.status, 1, `the plugin's status for ${name}: ${got.stderr}`);
        assert.ok(got.stdout.equals(want.stdout), `${name}: ${firstDifference(got.stdout, want.stdout)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  await t.test("`actions` lists every action of the answer for the LMS", () => {
    const want = JSON.parse(cliAnswer()).ok;
    const lines = run(python, [plugin, "actions", "examples/org/request.json"], { encoding: "utf8" }).trimEnd().split("\n");
    assert.equal(lines[0], `${want.outcomes.length} outcomes as of ${want.asOf}; ${want.actions.length} actions for the LMS:`);
    const listed = lines.slice(1, 1 + want.actions.length);
    want.actions.forEach((action, i) => {
      const kind = { issue: "issue", certify: "certify", notify: "notify", "review-revoke": "review" }[action.action];
      assert.ok(listed[i].trimStart().startsWith(kind), `line ${i + 1} is a ${kind}: ${listed[i]}`);
      const who = action.learner ?? action.certification;
      assert.ok(listed[i].includes(`(${who})`), `line ${i + 1} names ${who}: ${listed[i]}`);
      if (action.key) assert.ok(listed[i].includes(action.key), `line ${i + 1} has its key ${action.key}`);
      if (action.identifier) assert.ok(listed[i].includes(action.identifier), `line ${i + 1} has ${action.identifier}`);
      if (action.record) assert.ok(listed[i].includes(action.record), `line ${i + 1} has ${action.record}`);
    });
    const next = Object.entries(want.sequenceState).map(([id, n]) => `${id} ${n}`).join(", ");
    assert.equal(lines.at(-1), `next sequence numbers: ${next}`);
  });
});
