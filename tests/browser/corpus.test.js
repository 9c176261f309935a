// The conformance corpus in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): the page runs every case through the npm package's web build and through
// the raw ABI, and every answer must equal the expected one.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../node/support/chromium.js";
import { requirePackage } from "../node/support/load.js";
import { startServer } from "./server.js";

// With `headless: true` playwright passes Chromium's --headless itself; a fresh profile comes
// from launchPersistentContext's temporary user-data-dir.
const ARGS = CHROMIUM_ARGS;

requirePackage();

test("the conformance corpus in headless Chromium", { timeout: 180_000 }, async (t) => {
  const server = await startServer();
  const userDataDir = mkdtempSync(join(tmpdir(), "laureate-chromium-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      offline: false,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const problems = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    // Only the test server is reachable.
    await page.route((url) => !url.href.startsWith(server.url), (route) => route.abort());
    await page.goto(server.url, { waitUntil: "load" });
    const report = await page.evaluate(() => window.laureate);
    assert.equal(report.fatal, undefined, report.fatal);
    t.diagnostic(`${report.userAgent}; engine ${report.version}; ${report.cases} cases, ${report.results.length} checks`);

    await t.test("the page loaded the artifact the package ships", () => {
      assert.equal(report.sha256, report.sha256File.split(/\s+/)[0]);
      assert.deepEqual(report.importCalls, [], "the raw ABI called no import");
      assert.deepEqual(problems, []);
      assert.ok(report.cases > 0, "the corpus has cases");
    });
    const byFile = new Map();
    for (const result of report.results) byFile.set(result.file, [...(byFile.get(result.file) ?? []), result]);
    for (const [file, results] of byFile) {
      await t.test(file, () => {
        for (const { via, ok, got, want } of results) {
          assert.ok(ok, `${file} via ${via}\n  expected ${want}\n  got      ${got}`);
        }
      });
    }
  } finally {
    await context?.close();
    await server.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
});
