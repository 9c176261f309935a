// The raw ABI of docs/abi.md, through plain WebAssembly.instantiate with trapping imports.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { instantiateRawAbi } from "./support/corpus.js";
import { requirePackage, wasmPath } from "./support/load.js";

requirePackage();
const bytes = readFileSync(wasmPath);
const raw = await instantiateRawAbi(bytes);
const { abi } = raw;
const text = (bytes) => new TextDecoder("utf-8", { fatal: true }).decode(bytes);
const envelope = (operation, request) => JSON.parse(text(raw.call(operation, request)));

test("the artifact exports the raw ABI with the documented signatures", () => {
  const exports = Object.fromEntries(WebAssembly.Module.exports(raw.module).map(({ name, kind }) => [name, kind]));
  assert.equal(exports.memory, "memory");
  for (const [name, arity] of [["laureate_abi_version", 0], ["laureate_alloc", 1], ["laureate_free", 2], ["laureate_call", 4]]) {
    assert.equal(exports[name], "function", name);
    assert.equal(abi[name].length, arity, `${name} takes ${arity} parameters`);
  }
  assert.equal(abi.laureate_abi_version(), 1);
  const packed = abi.laureate_call(0, 0, 0, 0);
  assert.equal(typeof packed, "bigint", "laureate_call returns an i64");
  const unsigned = BigInt.asUintN(64, packed);
  abi.laureate_free(Number(unsigned >> 32n), Number(unsigned & 0xffffffffn));
});

test("the .sha256 file is the artifact's SHA-256", async () => {
  const digest = Buffer.from(await crypto.subtle.digest("SHA-256", bytes)).toString("hex");
  assert.equal(readFileSync(`${wasmPath}.sha256`, "utf8"), digest);
});

test("every import is a function and instantiation calls none", () => {
  const imports = WebAssembly.Module.imports(raw.module);
  assert.ok(imports.length > 0, "wasm-bindgen's imports are there to be stubbed");
  assert.ok(imports.every(({ kind }) => kind === "function"));
  assert.deepEqual(raw.importCalls, []);
});

test("laureate_alloc gives 0 for no bytes and distinct buffers otherwise", () => {
  assert.equal(abi.laureate_alloc(0), 0);
  assert.equal(abi.laureate_alloc(-5), 0);
  abi.laureate_free(0, 0);
  abi.laureate_free(0, 10);
  const a = abi.laureate_alloc(16);
  const b = abi.laureate_alloc(16);
  assert.ok(a > 0 && b > 0 && a !== b);
  assert.deepEqual([...new Uint8Array(abi.memory.buffer, a, 16)], new Array(16).fill(0), "zeroed");
  abi.laureate_free(a, 16);
  abi.laureate_free(b, 16);
});

test("bad input never traps: it is an error envelope", () => {
  const cases = [
    ["evaluate", ""],
    ["evaluate", "{"],
    ["evaluate", "[]"],
    ["evaluate", "null"],
    ["evaluate", new Uint8Array([0xff, 0xfe, 0x7b, 0x7d])],
    ["noSuchOperation", "{}"],
    ["", "{}"],
  ];
  for (const [operation, request] of cases) {
    const answer = envelope(operation, request);
    assert.deepEqual(Object.keys(answer), ["error"], `${operation} ${String(request)}`);
    assert.equal(typeof answer.error.code, "string");
    assert.equal(typeof answer.error.path, "string");
  }
  // An operation name that is not UTF-8.
  const op = new Uint8Array([0xc3, 0x28]);
  const opPtr = abi.laureate_alloc(op.length);
  new Uint8Array(abi.memory.buffer, opPtr, op.length).set(op);
  const packed = BigInt.asUintN(64, abi.laureate_call(opPtr, op.length, 0, 0));
  const [ptr, len] = [Number(packed >> 32n), Number(packed & 0xffffffffn)];
  assert.ok("error" in JSON.parse(text(new Uint8Array(abi.memory.buffer, ptr, len))));
  abi.laureate_free(ptr, len);
  abi.laureate_free(opPtr, op.length);
  assert.deepEqual(raw.importCalls, []);
});

test("a large request is answered, and memory is given back", () => {
  const large = `{"asOf": "2026-01-01", "rulebook": {}, "evidence": {}, "padding": "${"x".repeat(4 << 20)}"}`;
  assert.ok("error" in envelope("evaluate", large) || "ok" in envelope("evaluate", large));
  const before = abi.memory.buffer.byteLength;
  for (let i = 0; i < 50; i++) envelope("evaluate", large);
  assert.equal(abi.memory.buffer.byteLength, before, "50 more calls of the same size do not grow memory");
});
