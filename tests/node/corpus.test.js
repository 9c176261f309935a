// The conformance corpus through (a) the JS API of the npm package's Node.js build and (b) the
// raw ABI of the same laureate_bg.wasm, loaded with plain WebAssembly.instantiate and every
// import a trapping stub. Each answer must equal the case's expected answer (canonical JSON).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { canonical, difference, instantiateRawAbi, runJsApi } from "./support/corpus.js";
import { loadCorpus, packageDir, requirePackage, wasmPath } from "./support/load.js";

requirePackage();
const cases = loadCorpus();
const api = await import(`${packageDir}/node.js`);
const raw = await instantiateRawAbi(readFileSync(wasmPath));

describe("conformance corpus through the JS API (node.js)", () => {
  for (const testCase of cases) {
    test(testCase.file, () => {
      for (const [via, got] of runJsApi(api, testCase)) {
        assert.equal(got, testCase.expected, difference(testCase, via, got));
      }
    });
  }
});

describe("conformance corpus through the raw ABI (plain WebAssembly.instantiate, trapping imports)", () => {
  for (const testCase of cases) {
    test(testCase.file, () => {
      const answer = new TextDecoder("utf-8", { fatal: true }).decode(raw.call(testCase.operation, testCase.requestText));
      const got = canonical(answer);
      assert.equal(got, testCase.expected, difference(testCase, "raw ABI", got));
      assert.deepEqual(raw.importCalls, []);
    });
  }
});

test("the JS API and the raw ABI answer the same bytes for every case", () => {
  for (const testCase of cases) {
    const viaJs = api.callJson(testCase.operation, testCase.requestText);
    const viaAbi = new TextDecoder().decode(raw.call(testCase.operation, testCase.requestText));
    assert.equal(viaJs, viaAbi, testCase.file);
    // Again in the same instance, which keeps an `evaluate` request's rulebook (docs/abi.md).
    const again = new TextDecoder().decode(raw.call(testCase.operation, testCase.requestText));
    assert.equal(again, viaAbi, `${testCase.file}, called again`);
  }
});
