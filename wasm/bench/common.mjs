// Helpers shared by the Node benchmarks (node.mjs, peer.mjs): where things are, timing with
// `process.hrtime.bigint()`, reading Laureate's answers, and the final `BENCH_JSON` line.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The Node entry of the built npm package (`cargo xtask build-wasm`), relative to this file. */
export const packageUrl = new URL("../../target/npm/laureate/node.js", import.meta.url);

/** A generated organisation (`target/debug/xtask gen-org --size SIZE --out target/orgs/SIZE.json`):
 * its JSON text and the parsed `evaluate` request. */
export function readOrg(size) {
  const path = fileURLToPath(new URL(`../../target/orgs/${size}.json`, import.meta.url));
  if (!existsSync(path)) fail(`${path} is missing: run \`target/debug/xtask gen-org --size ${size} --out ${path}\``);
  const text = readFileSync(path, "utf8");
  return { text, request: JSON.parse(text) };
}

/** Imports the package; a missing build is reported, not thrown. */
export async function importLaureate() {
  if (!existsSync(packageUrl)) fail(`${fileURLToPath(packageUrl)} is missing: run \`cargo xtask build-wasm\``);
  return import(packageUrl);
}

export const now = () => process.hrtime.bigint();
export const usSince = (start) => Number(now() - start) / 1e3;
export const msSince = (start) => Number(now() - start) / 1e6;

/** Median and 95th percentile (nearest rank) of `samples`. */
export function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
  return { median: rank(0.5), p95: rank(0.95) };
}

/** The median duration in ms of `runs` calls of `run`, after `warmup` untimed ones. `run` may
 * return a promise; each call's result goes to `check` outside the timed part. */
export async function medianMs(run, { runs, warmup = 1, check = () => {} }) {
  for (let i = 0; i < warmup; i++) check(await run());
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = now();
    const result = await run();
    samples.push(msSince(start));
    check(result);
  }
  return summary(samples).median;
}

/** The `ok` member of an answer envelope (an object, or its JSON text); exits on an error envelope. */
export function okOf(answer, what) {
  const envelope = typeof answer === "string" ? JSON.parse(answer) : answer;
  if (envelope === null || typeof envelope !== "object" || !("ok" in envelope)) {
    fail(`${what}: Laureate answered ${JSON.stringify(envelope?.error ?? envelope).slice(0, 500)}`);
  }
  return envelope.ok;
}

/** Cheap check of a JSON-text answer, for timed loops: only its opening is looked at. */
export function checkOkText(text, what) {
  if (!text.startsWith('{"ok"')) okOf(text, what);
}

export function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

/** `n` with thousands separators and at most `digits` decimals. */
export const fmt = (n, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

/** The machine-readable line a Rust xtask parses: the last line of the output. */
export function printBenchJson(figures) {
  console.log(`BENCH_JSON ${JSON.stringify(figures)}`);
}

/** Exits on any argument but the allowed ones. */
export function parseFlags(allowed) {
  const args = process.argv.slice(2);
  for (const arg of args) if (!allowed.includes(arg)) fail(`unknown argument \`${arg}\` (allowed: ${allowed.join(" ") || "none"})`);
  return Object.fromEntries(allowed.map((flag) => [flag, args.includes(flag)]));
}
