// The hostile corpus (tests/hostile/, see its README) through the JS API (`callJson`) and the raw
// ABI: each answer has the expected error code and path (or ok answer), and both surfaces give
// the same bytes. The native runner is core/tests/hostile.rs; wasmtime and the CLI run it in
// host/tests/it/hostile.rs.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { canonical, instantiateRawAbi, parseJson } from "./support/corpus.js";
import { packageDir, requirePackage, root, wasmPath } from "./support/load.js";

requirePackage();
const api = await import(join(packageDir, "node.js"));
const raw = await instantiateRawAbi(readFileSync(wasmPath));
const decode = (bytes) => new TextDecoder("utf-8", { fatal: true }).decode(bytes);

/** Replaces each `@@repeat:N:TEXT@@` by TEXT repeated N times. */
const expand = (text) => text.replace(/@@repeat:(\d+):([^@:]*)@@/g, (_, n, unit) => unit.repeat(Number(n)));

/** The text itself, or, when it holds `@@byte:HH@@` placeholders, its UTF-8 bytes with each placeholder replaced by the byte HH. */
const withRawBytes = (text) => {
  const parts = text.split(/@@byte:([0-9a-fA-F]{2})@@/);
  if (parts.length === 1) return text;
  const encoder = new TextEncoder();
  const chunks = parts.map((part, i) => (i % 2 === 1 ? Uint8Array.of(parseInt(part, 16)) : encoder.encode(part)));
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((at, c) => (bytes.set(c, at), at + c.length), 0);
  return bytes;
};

const dir = join(root, "tests/hostile");
const cases = readdirSync(dir)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((name) => {
    const text = readFileSync(join(dir, name), "utf8");
    const tree = parseJson(text);
    const member = (key) => tree.members.find(([k]) => k === key)?.[1];
    const request = member("request");
    const requestText = request ? text.slice(request.start, request.end) : withRawBytes(expand(member("requestText").value));
    return { name, operation: member("operation").value, requestText, expect: JSON.parse(text).expect };
  });

/** Why `answer` (JSON text) does not meet `expect`, or null. */
function mismatch(expect, answer) {
  const got = JSON.parse(answer);
  if (expect.error) {
    const want = `${expect.error.code} at ${JSON.stringify(expect.error.path)}`;
    const have = got.error ? `${got.error.code} at ${JSON.stringify(got.error.path)}` : "an ok answer";
    return want === have ? null : `expected ${want}, got ${have}`;
  }
  if (expect.ok) {
    const want = canonical(JSON.stringify({ ok: expect.ok }));
    return canonical(answer) === want ? null : `expected ${want}\n  got      ${canonical(answer)}`;
  }
  if (!got.ok) return `expected an ok answer, got ${answer.slice(0, 300)}`;
  const triple = (d) => `${d.severity} ${d.code} ${d.path}`;
  const want = expect.okWith.diagnostics.map(triple).join("; ");
  const have = got.ok.diagnostics.map(triple).join("; ");
  return want === have ? null : `expected diagnostics ${want}\n  got ${have}`;
}

test("the hostile corpus holds at least 100 cases", () => {
  assert.ok(cases.length >= 100, `${cases.length} cases`);
});

test("every hostile case: the JS API and the raw ABI give the expected answer, byte-identical", () => {
  const failures = [];
  for (const c of cases) {
    const viaApi = api.callJson(c.operation, c.requestText);
    const viaAbi = decode(raw.call(c.operation, c.requestText));
    if (viaApi !== viaAbi) failures.push(`${c.name}: the JS API and the raw ABI differ`);
    const why = mismatch(c.expect, viaAbi);
    if (why) failures.push(`${c.name}: ${why}`);
  }
  assert.deepEqual(raw.importCalls, [], "the raw ABI called no import");
  assert.equal(failures.length, 0, `${failures.length} of ${cases.length} hostile cases failed:\n${failures.join("\n")}`);
});
