#!/usr/bin/env node
// An LMS talking to `laureate serve` over HTTP only (Node 20's global `fetch`, no dependency):
// it stores the example organisation's rulebook, sends what happened in its courses as a
// decision, retries that decision safely, revokes a record issued in error and reads the audit
// log. The ledger keeps the records, the certificate numbers and the audit; the LMS sends only
// evidence.
//
//   cargo xtask build                              # once: target/release/laureate
//   node examples/lms-integration/sync.mjs         # starts its own server on a new SQLite file
//   LAUREATE_URL=http://127.0.0.1:8080 LAUREATE_ORG=acme LAUREATE_ADMIN_TOKEN=lrt_… \
//     LAUREATE_TOKEN=lrt_… node examples/lms-integration/sync.mjs   # a server already running
//
// LAUREATE_ADMIN_TOKEN needs the `admin` role (it stores the rulebook); LAUREATE_TOKEN the
// `correct` role (decisions, a revocation, reads). Exit status 0, or 1 when the server refuses a
// request (its status and error envelope on stderr).
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
/** The learner whose record the LMS revokes: their attendance was recorded against the wrong person. */
const REVOKED_LEARNER = "L-105";
const REASON = "issued in error: attendance was recorded for the wrong person";

/** A refused request: its status and the error code of the server's `{"error": {code, message, path}}`. */
class Refused extends Error {
  constructor(message, status, code) {
    super(message);
    Object.assign(this, { status, code });
  }
}

/** The service at `url`, with the token `token` for every request. */
function client(url, token) {
  return async function call(method, path, { body, headers = {}, as = "json" } = {}) {
    const response = await fetch(new URL(path, url), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      const code = (() => {
        try {
          return JSON.parse(text).error?.code;
        } catch {
          return undefined;
        }
      })();
      throw new Refused(`${method} ${path}: ${response.status} ${text}`, response.status, code);
    }
    return as === "text" ? text : JSON.parse(text);
  };
}

/** Starts `laureate serve` on a new SQLite file with an admin and a `correct` token. */
async function startServer() {
  const laureate = join(root, "target/release/laureate");
  const dir = mkdtempSync(join(tmpdir(), "laureate-lms-"));
  const database = `sqlite:${join(dir, "ledger.db")}`;
  const token = (role) =>
    execFileSync(laureate, ["token", "create", "--database", database, "--org", "acme", "--role", role], {
      cwd: root,
      encoding: "utf8",
    }).trim();
  const tokens = { admin: token("admin"), lms: token("correct") };
  const child = spawn(laureate, ["serve", "--database", database, "--listen", "127.0.0.1:0"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { LAUREATE_LOG: "warn", ...process.env },
  });
  const [line] = await once(createInterface({ input: child.stdout }), "line");
  const addr = line.replace(/^listening on /, "");
  return {
    url: `http://${addr}`,
    org: "acme",
    ...tokens,
    async stop() {
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** "awarded 14, failed 4, pending 9": counts of `key`'s values, sorted by value. */
function counts(items, key) {
  const seen = new Map();
  for (const item of items) seen.set(item[key], (seen.get(item[key]) ?? 0) + 1);
  return [...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([value, n]) => `${value} ${n}`).join(", ");
}

async function sync({ url, org, admin, lms }) {
  const request = JSON.parse(readFileSync(join(root, "examples/org/request.json"), "utf8"));
  // The ledger owns the records already issued, the certification records and the sequences'
  // next numbers: the LMS sends only what happened (participations, results, enrolments,
  // assignments).
  const { issued, certified, sequenceState, ...evidence } = request.evidence;
  const base = `/v1/orgs/${encodeURIComponent(org)}`;
  console.log(`server ${url} org ${org}`);

  const stored = await client(url, admin)("PUT", `${base}/rulebook`, { body: { rulebook: request.rulebook } });
  console.log(`rulebook version ${stored.version}, ${stored.diagnostics.length} diagnostics`);

  // One decision per sync, under an idempotency key: after a timeout, the LMS sends it again.
  const call = client(url, lms);
  const body = JSON.stringify({ asOf: request.asOf, evidence, options: request.options });
  const key = { "idempotency-key": `lms-sync-${request.asOf}` };
  const text = await call("POST", `${base}/decisions`, { body, headers: key, as: "text" });
  const { evaluation, records, certified: certifications } = JSON.parse(text);
  const issues = evaluation.ok.actions.filter((action) => action.action === "issue");
  console.log(`decision as of ${evaluation.ok.asOf}: outcomes ${counts(evaluation.ok.outcomes, "status")}`);
  console.log(`records ${records.length} issued`);
  issues.forEach((action, i) => {
    const from = action.event ?? action.path;
    console.log(`  ${records[i]} ${action.identifier ?? "-"} ${action.achievement} ${action.contact} ${action.learner} ${from}`);
  });
  const certifies = evaluation.ok.actions.filter((action) => action.action === "certify");
  console.log(`certified ${certifications.length} cycles`);
  certifies.forEach((action, i) => {
    console.log(`  ${certifications[i]} ${action.certification} ${action.contact} ${action.cycle} ${action.completedOn}`);
  });
  const retried = await call("POST", `${base}/decisions`, { body, headers: key, as: "text" });
  if (retried !== text) throw new Error("the retry was answered differently: the decision was made twice");
  console.log("retry the stored answer, byte for byte");
  const again = await call("POST", `${base}/decisions`, { body, headers: { "idempotency-key": `lms-sync-${request.asOf}-again` } });
  console.log(`second sync ${again.records.length} records issued, ${again.certified.length} cycles certified`);

  const index = issues.findIndex((action) => action.learner === REVOKED_LEARNER);
  if (index < 0) throw new Error(`no record was issued to ${REVOKED_LEARNER}`);
  // Revoked by an earlier run against the same ledger: done already.
  const revocation = { reason: REASON, on: request.asOf };
  const revoked = await call("POST", `${base}/records/${records[index]}/revoke`, { body: revocation }).catch((error) => {
    if (error.code !== "already-revoked") throw error;
    return call("GET", `${base}/records/${records[index]}`);
  });
  console.log(`revoked ${revoked.id} ${revoked.identifier} on ${revoked.revoked.on}: ${revoked.revoked.reason}`);
  const contact = encodeURIComponent(revoked.contact);
  const { holdings } = await call("GET", `${base}/contacts/${contact}/holdings?asOf=${request.asOf}`);
  console.log(`holdings of ${revoked.contact}: ${holdings.map((h) => `${h.achievement} ${h.status}`).join(", ")}`);

  // The audit log, page by page.
  const rows = [];
  for (let cursor = null, first = true; first || cursor !== null; first = false) {
    const page = await call("GET", `${base}/audit?limit=10${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`);
    rows.push(...page.audit);
    cursor = page.next;
  }
  console.log(`audit ${rows.length} rows`);
  for (const row of rows) {
    const what = {
      "put-rulebook": () => `version ${row.after.version}`,
      "advance-sequence": () => `${row.after.sequence} ${row.before?.next ?? 1}->${row.after.next}`,
    }[row.action]?.() ?? "";
    const parts = [row.number, row.action, row.record, row.decision, what, row.reason].filter((p) => p !== null && p !== "");
    console.log(`  ${parts.join(" ")}`);
  }
}

const env = process.env;
const server = env.LAUREATE_URL
  ? { url: env.LAUREATE_URL, org: env.LAUREATE_ORG ?? "acme", admin: env.LAUREATE_ADMIN_TOKEN, lms: env.LAUREATE_TOKEN }
  : await startServer();
try {
  await sync(server);
} catch (error) {
  if (!(error instanceof Refused)) throw error;
  console.error(`refused: ${error.message}`);
  process.exitCode = 1;
} finally {
  await server.stop?.();
}
