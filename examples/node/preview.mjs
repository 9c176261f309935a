#!/usr/bin/env node
// A short outcome preview of an `evaluate` request, computed by the npm package `laureate` in
// Node.js (the same WebAssembly bytes the browser preview and the wasmtime server run).
//
//   cargo xtask build                                   # once: builds target/npm/laureate/
//   node examples/node/preview.mjs                      # examples/org/request.json
//   node examples/node/preview.mjs path/to/request.json
//   node examples/node/preview.mjs --json request.json  # the same facts as JSON, for scripts
//
// In an application, install the package and `import { evaluate } from "laureate"`; this example
// imports the freshly built package by its path so it runs inside the repository.
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const packageEntry = resolve(root, "target/npm/laureate/node.js");

let laureate;
try {
  laureate = await import(packageEntry);
} catch (error) {
  if (error.code !== "ERR_MODULE_NOT_FOUND") throw error;
  console.error(`${relative(process.cwd(), packageEntry)} is missing: run \`cargo xtask build\` first`);
  process.exit(2);
}
const { evaluate, version } = laureate;

const args = process.argv.slice(2);
const json = args.includes("--json");
const files = args.filter((arg) => arg !== "--json");
if (files.length > 1 || files.some((f) => f.startsWith("-"))) {
  console.error("usage: node examples/node/preview.mjs [--json] [REQUEST.json]");
  process.exit(2);
}
const file = files[0] ?? resolve(root, "examples/org/request.json");

let request;
try {
  request = JSON.parse(readFileSync(file, "utf8"));
} catch (error) {
  console.error(`cannot read ${file}: ${error.message}`);
  process.exit(2);
}

const answer = evaluate(request);
if ("error" in answer) {
  const { code, path, message } = answer.error;
  console.error(`error ${code} at ${JSON.stringify(path)}: ${message}`);
  process.exit(1);
}
const result = answer.ok;

/** `n` occurrences of each value of `key`, in first-seen order: "15 awarded, 8 pending". */
function counts(items, key) {
  const seen = new Map();
  for (const item of items) seen.set(item[key], (seen.get(item[key]) ?? 0) + 1);
  return [...seen].map(([value, n]) => `${n} ${value}`).join(", ") || "none";
}

const outcomes = result.outcomes.map((o) => ({
  learner: o.learner,
  contact: o.contact,
  source: o.event ? `event ${o.event}` : `path ${o.path}`,
  achievement: o.achievement,
  status: o.status,
  identifier: o.identifier,
  awardedOn: o.awardedOn,
  expiresOn: o.expiresOn,
  waitingOn: o.waitingOn,
  record: o.record,
}));

if (json) {
  const summary = {
    engine: result.engine,
    asOf: result.asOf,
    outcomes,
    actions: result.actions.map((a) => a.action),
    sequenceState: result.sequenceState,
    errors: result.diagnostics.filter((d) => d.severity === "error").length,
  };
  console.log(JSON.stringify(summary, null, 2));
  process.exit(0);
}

const errors = result.diagnostics.filter((d) => d.severity === "error");
console.log(`Laureate ${version()} (Node.js ${process.version}): ${relative(process.cwd(), resolve(file))}, as of ${result.asOf}`);
console.log(`${outcomes.length} outcomes: ${counts(outcomes, "status")}`);
console.log(`${result.actions.length} actions: ${counts(result.actions, "action")}`);
console.log(`${result.diagnostics.length} diagnostics (${errors.length} errors)`);

const dash = (value) => value ?? "-";
const rows = outcomes.map((o) => [
  o.learner,
  o.achievement,
  o.status,
  dash(o.identifier),
  dash(o.awardedOn),
  dash(o.expiresOn),
  o.waitingOn.length ? o.waitingOn.join(", ") : o.record ? `record ${o.record}` : "-",
]);
const headers = ["learner", "achievement", "status", "identifier", "awarded", "expires", "waiting on / record"];
const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();

let group;
console.log("");
console.log(line(headers));
for (const [index, row] of rows.entries()) {
  if (outcomes[index].source !== group) {
    group = outcomes[index].source;
    console.log(`# ${group}`);
  }
  console.log(line(row));
}

if (errors.length > 0) {
  console.log("");
  for (const d of errors) console.log(`error ${d.code} at ${d.path}: ${d.message}`);
}
