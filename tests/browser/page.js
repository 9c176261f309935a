// Runs the conformance corpus through the npm package's web build (JS API) and through the raw
// ABI of the same laureate_bg.wasm, and leaves the report in `window.laureate` (a promise).
import init, * as api from "/pkg/web.js";
import { instantiateRawAbi, readCase, runJsApi, canonical } from "/support/corpus.js";

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function run() {
  await init(); // fetches /pkg/laureate_bg.wasm, next to web.js
  const files = await (await fetch("/corpus.json")).json();
  const wasm = new Uint8Array(await (await fetch("/pkg/laureate_bg.wasm")).arrayBuffer());
  const sha256File = await (await fetch("/pkg/laureate_bg.wasm.sha256")).text();
  const raw = await instantiateRawAbi(wasm);
  const results = [];
  const record = (file, via, got, want) => {
    const ok = got === want;
    results.push(ok ? { file, via, ok } : { file, via, ok, got, want });
  };
  for (const { file, text } of files) {
    let testCase;
    try {
      testCase = readCase(file, text);
      for (const [via, got] of runJsApi(api, testCase)) record(file, via, got, testCase.expected);
    } catch (error) {
      record(file, "JS API", `threw ${error?.stack ?? error}`, testCase?.expected ?? "");
    }
    if (testCase) {
      try {
        const answer = new TextDecoder("utf-8", { fatal: true }).decode(raw.call(testCase.operation, testCase.requestText));
        record(file, "raw ABI", canonical(answer), testCase.expected);
        // Again in the same instance, which keeps an `evaluate` request's rulebook: the same bytes.
        const again = new TextDecoder("utf-8", { fatal: true }).decode(raw.call(testCase.operation, testCase.requestText));
        record(file, "raw ABI again (rulebook kept)", again, answer);
      } catch (error) {
        record(file, "raw ABI", `threw ${error?.stack ?? error}`, testCase.expected);
      }
    }
  }
  return {
    userAgent: navigator.userAgent,
    version: api.version(),
    sha256: hex(await crypto.subtle.digest("SHA-256", wasm)),
    sha256File,
    importCalls: raw.importCalls,
    cases: files.length,
    results,
  };
}

window.laureate = run().then(
  (report) => {
    const failures = report.results.filter((result) => !result.ok);
    document.getElementById("status").textContent =
      `${report.results.length - failures.length} passed, ${failures.length} failed (${report.cases} cases, engine ${report.version})`;
    document.getElementById("failures").textContent = failures
      .map(({ file, via, got, want }) => `${file} via ${via}\n  expected ${want}\n  got      ${got}`)
      .join("\n");
    return report;
  },
  (error) => {
    document.getElementById("status").textContent = `failed: ${error?.stack ?? error}`;
    return { fatal: String(error?.stack ?? error) };
  },
);
