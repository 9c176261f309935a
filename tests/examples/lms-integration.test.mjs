// examples/lms-integration/: an LMS's HTTP integration with `laureate serve`, run against a real
// server started here (its URL and tokens passed in the environment). What the script prints
// must be what the ledger holds, and its decision must be the CLI's evaluation of the request
// the ledger made of it.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { cli, firstDifference, orgRequest, requireBuilt, root, run } from "./support.mjs";

requireBuilt();

const script = "examples/lms-integration/sync.mjs";
const REASON = "issued in error: attendance was recorded for the wrong person";

/** `laureate serve` on a new SQLite file, with tokens of the roles asked for. */
async function startServer(dir, roles) {
  const database = `sqlite:${join(dir, "ledger.db")}`;
  const tokens = Object.fromEntries(
    roles.map((role) => [role, run(cli, ["token", "create", "--database", database, "--org", "acme", "--role", role], { encoding: "utf8" }).trim()]),
  );
  const child = spawn(cli, ["serve", "--database", database, "--listen", "127.0.0.1:0"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, LAUREATE_LOG: "warn" },
  });
  const [line] = await once(createInterface({ input: child.stdout }), "line");
  assert.match(line, /^listening on 127\.0\.0\.1:\d+$/);
  return {
    url: `http://${line.slice("listening on ".length)}`,
    tokens,
    async stop() {
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}

/** GETs `path` from the server with `token`: the parsed answer. */
async function get(server, token, path) {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, `GET ${path}`);
  return response.json();
}

/** Every row of a paged list (`{member: [...], next}`). */
async function all(server, token, path, member) {
  const rows = [];
  let cursor = null;
  do {
    const page = await get(server, token, `${path}?limit=1000${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`);
    rows.push(...page[member]);
    cursor = page.next;
  } while (cursor !== null);
  return rows;
}

/** The lines after the one starting with `label` and indented under it. */
function block(lines, label) {
  const start = lines.findIndex((l) => l.startsWith(`${label} `));
  assert.ok(start >= 0, `a line starting with "${label}"`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => !l.startsWith("  "));
  return rest.slice(0, end < 0 ? rest.length : end).map((l) => l.trim().split(" "));
}

test("the LMS integration example keeps the ledger it reports", { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "laureate-lms-test-"));
  const server = await startServer(dir, ["admin", "correct", "read"]);
  try {
    const env = { LAUREATE_URL: server.url, LAUREATE_ORG: "acme", LAUREATE_ADMIN_TOKEN: server.tokens.admin, LAUREATE_TOKEN: server.tokens.correct };
    const output = run(process.execPath, [script], { encoding: "utf8", env, timeout: 60_000 });
    const lines = output.trimEnd().split("\n");
    const line = (label) => lines.find((l) => l.startsWith(`${label} `))?.slice(label.length + 1);
    const read = server.tokens.read;

    // The request the ledger evaluated: the organisation's evidence without the members the
    // ledger owns, and the ledger's (empty) records, certification records and sequences in
    // their place.
    const request = JSON.parse(readFileSync(orgRequest, "utf8"));
    const { issued, certified, sequenceState, ...evidence } = request.evidence;
    const body = JSON.stringify({ asOf: request.asOf, evidence, options: request.options });
    const ledgerRequest = join(dir, "request.json");
    writeFileSync(ledgerRequest, JSON.stringify({ ...request, evidence: { ...evidence, issued: [], certified: [], sequenceState: {} } }));
    const cliOutput = run(cli, ["evaluate", ledgerRequest]);
    const want = cliOutput.subarray(0, cliOutput.at(-1) === 0x0a ? -1 : undefined); // without the CLI's newline
    const issues = JSON.parse(want).ok.actions.filter((a) => a.action === "issue");
    const certifies = JSON.parse(want).ok.actions.filter((a) => a.action === "certify");

    await t.test("the decision is the CLI's evaluation, stored under the script's idempotency key", async () => {
      assert.equal(line("server"), `${server.url} org acme`);
      assert.equal(line("rulebook"), "version 1, 1 diagnostics");
      const response = await fetch(`${server.url}/v1/orgs/acme/decisions`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.tokens.correct}`, "content-type": "application/json", "idempotency-key": `lms-sync-${request.asOf}` },
        body,
      });
      assert.equal(response.status, 200);
      const stored = await response.text();
      const evaluation = stored.slice('{"evaluation":'.length, stored.lastIndexOf(',"records":'));
      assert.ok(Buffer.from(evaluation).equals(want), `the stored evaluation differs from the CLI's: ${firstDifference(evaluation, want)}`);
      assert.equal(line("retry"), "the stored answer, byte for byte");
      assert.equal(line("second sync"), "0 records issued, 0 cycles certified");
    });

    await t.test("the records it lists are the ledger's, one per issue action", async () => {
      assert.equal(line("records"), `${issues.length} issued`);
      const listed = block(lines, "records");
      const records = await all(server, read, "/v1/orgs/acme/records", "records");
      assert.deepEqual(
        listed,
        records.map((r) => [r.id, r.identifier ?? "-", r.achievement, r.contact, r.learner, r.event ?? r.path]),
      );
      assert.deepEqual(
        records.map((r) => [r.identifier, r.achievement, r.contact, r.learner]),
        issues.map((a) => [a.identifier, a.achievement, a.contact, a.learner]),
      );
    });

    await t.test("the certification records it lists are the ledger's, one per certify action", async () => {
      assert.ok(certifies.length > 0, "the example organisation completes a certification cycle");
      assert.equal(line("certified"), `${certifies.length} cycles`);
      const listed = block(lines, "certified");
      const stored = await all(server, read, "/v1/orgs/acme/certifications", "certifications");
      assert.deepEqual(
        listed,
        stored.map((c) => [c.id, c.certification, c.contact, String(c.cycle), c.completedOn]),
      );
      assert.deepEqual(
        stored.map((c) => [c.contact, c.certification, c.cycle, c.completedOn, c.validUntil, c.certificate]),
        certifies.map((a) => [a.contact, a.certification, a.cycle, a.completedOn, a.validUntil, a.certificate]),
      );
    });

    await t.test("the revocation is stored with its reason, and the holding shows it", async () => {
      const [, id, identifier] = /^(R-\d+) (\S+) on 2026-06-15: (.*)$/.exec(line("revoked")) ?? [];
      assert.ok(id, line("revoked"));
      const record = await get(server, read, `/v1/orgs/acme/records/${id}`);
      assert.equal(record.learner, "L-105");
      assert.equal(record.identifier, identifier);
      assert.equal(record.revoked.reason, REASON);
      assert.match(record.revoked.by, /^tok-[0-9a-f]{16}$/);
      assert.equal(line(`holdings of ${record.contact}:`), "bls revoked");
    });

    await t.test("the audit it prints is the ledger's audit log", async () => {
      const audit = await all(server, read, "/v1/orgs/acme/audit", "audit");
      assert.equal(line("audit"), `${audit.length} rows`);
      const printed = block(lines, "audit");
      assert.deepEqual(
        printed.map((p) => [Number(p[0]), p[1], ["issue", "certify", "revoke"].includes(p[1]) ? p[2] : null]),
        audit.map((row) => [row.number, row.action, row.record]),
      );
      const actions = audit.map((row) => row.action);
      assert.equal(actions.filter((a) => a === "issue").length, issues.length);
      assert.equal(actions.filter((a) => a === "certify").length, certifies.length);
      assert.equal(actions.filter((a) => a === "advance-sequence").length, Object.keys(JSON.parse(want).ok.sequenceState).length);
      assert.deepEqual([actions[0], actions.at(-1)], ["put-rulebook", "revoke"]);
      assert.equal(audit.at(-1).reason, REASON);
    });

    await t.test("on its own, the script starts a server of its own and reports the same", () => {
      const alone = run(process.execPath, [script], { encoding: "utf8", env: { LAUREATE_URL: "" }, timeout: 60_000 });
      const [first, ...rest] = alone.trimEnd().split("\n");
      assert.match(first, /^server http:\/\/127\.0\.0\.1:\d+ org acme$/);
      assert.deepEqual(rest, lines.slice(1));
    });

    await t.test("a refused request: exit status 1, the status and the error envelope on stderr", () => {
      const refused = { ...process.env, ...env, LAUREATE_TOKEN: read };
      const result = spawnSync(process.execPath, [script], { cwd: root, encoding: "utf8", env: refused, timeout: 60_000 });
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stderr, /^refused: POST \/v1\/orgs\/acme\/decisions: 403 \{"error":\{"code":"forbidden"/m);
    });
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
