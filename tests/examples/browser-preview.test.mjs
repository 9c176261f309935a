// The award preview (examples/browser-preview/) in Debian's headless Chromium, driven by
// playwright-core: the page loads the npm package's web build, an administrator's clicks change
// the outcomes, and the page agrees with the same package evaluated in Node.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { organisation } from "../../examples/browser-preview/organisation.js";
import { startServer } from "../../examples/browser-preview/serve.mjs";
import { CHROMIUM, CHROMIUM_ARGS } from "../node/support/chromium.js";
import { packageDir, requireBuilt, root } from "./support.mjs";

const ARGS = ["--headless", ...CHROMIUM_ARGS];
const SCREENSHOT = join(root, "target/screenshots/browser-preview.png");

requireBuilt();
const { Rulebook } = await import(join(packageDir, "node.js"));

/** What Node's build of the package answers for the organisation with `edit` applied to its evidence. */
function nodeOutcomes(edit) {
  const evidence = structuredClone(organisation.evidence);
  edit?.(evidence);
  const answer = new Rulebook(organisation.rulebook).evaluate(evidence, organisation.asOf, { trace: true });
  assert.ok("ok" in answer, JSON.stringify(answer));
  return answer.ok;
}

test("the browser preview re-evaluates as the administrator edits the evidence", { timeout: 120_000 }, async (t) => {
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    const problems = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()}`));
    // Only the example's server is reachable.
    await page.route((url) => !url.href.startsWith(server.url), (route) => route.abort());

    await page.goto(server.url, { waitUntil: "load" });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 }).catch(async (error) => {
      throw new Error(`the page did not get ready: ${error.message}\n${problems.join("\n")}`);
    });

    const row = (learner) => page.locator(`#roster tr[data-learner="${learner}"]`);
    const status = (learner) => row(learner).locator("[data-status]").first().textContent();
    const identifier = (learner) =>
      row(learner).locator('[data-field="identifier"]').count().then((n) => (n ? row(learner).locator('[data-field="identifier"]').first().textContent() : null));
    const evaluations = () => page.evaluate(() => Number(document.body.dataset.evaluations));
    async function changed(action) {
      const before = await evaluations();
      await action();
      await page.waitForFunction((n) => Number(document.body.dataset.evaluations) > n, before, { timeout: 10_000 });
    }

    const initial = nodeOutcomes();
    await t.test("the page shows the engine's outcomes for the Glasgow event", async () => {
      for (const o of initial.outcomes.filter((o) => o.event === "ev-cpr-gla-0309")) {
        assert.equal(await status(o.learner), o.status, `status of ${o.learner}`);
        assert.equal(await identifier(o.learner), o.status === "awarded" ? o.identifier : null, `identifier of ${o.learner}`);
      }
      assert.equal(await status("L-04"), "pending");
      assert.match(await row("L-04").locator('[data-field="outcome"]').textContent(), /attendance/);
      assert.equal(await identifier("L-01"), "CPR-2026-00005");
    });

    await t.test("a learner whose only record is revoked shows as revoked, with nothing re-issued", async () => {
      const kofi = initial.outcomes.find((o) => o.learner === "L-11");
      assert.equal(kofi.status, "revoked");
      assert.equal(kofi.record, "A-0413");
      assert.equal(await status("L-11"), "revoked");
      assert.match(await row("L-11").locator('[data-field="certificate"]').textContent(), /A-0413 revoked/);
      assert.ok(!initial.actions.some((a) => a.learner === "L-11"), "no action for a revoked outcome");
    });

    await t.test("the accounts panel shows the engine's accounts", async () => {
      assert.ok(initial.accounts.length > 0, "the organisation's accounts hold records");
      const rows = page.locator("#accounts tbody tr[data-account]");
      assert.equal(await rows.count(), initial.accounts.length);
      for (const a of initial.accounts) {
        const r = page.locator(`#accounts tr[data-account="${a.account}"][data-achievement="${a.achievement}"]`);
        for (const [field, value] of [["valid", a.valid], ["expiring", a.expiring], ["expired", a.expired], ["revoked", a.revoked], ["not-yet-valid", a.notYetValid]]) {
          assert.equal(Number(await r.locator(`[data-field="${field}"]`).textContent()), value, `${a.account} ${field}`);
        }
      }
      const city = initial.accounts.find((a) => a.account === "city-council" && a.achievement === "bls");
      assert.equal(city.revoked, 1, "Kofi's revoked record counts for City Council");
      for (const a of initial.accounts) {
        const r = page.locator(`#accounts tr[data-account="${a.account}"][data-achievement="${a.achievement}"]`);
        for (const [field, ids] of [["expiring-contacts", a.expiringContacts], ["expired-contacts", a.expiredContacts]]) {
          const shown = ids.map((id) => organisation.display.contacts[id] ?? id).join(", ") || "—";
          assert.equal((await r.locator(`[data-field="${field}"]`).textContent()).trim(), shown, `${a.account} ${field}`);
        }
      }
    });

    await t.test("marking Dev Patel present on day 2 awards the certificate", async () => {
      await changed(() => row("L-04").locator('button[data-session="s2"][data-value="present"]').click());
      const want = nodeOutcomes((e) => (e.learners.find((l) => l.id === "L-04").attendance.s2 = "present"));
      const dev = want.outcomes.find((o) => o.learner === "L-04");
      assert.equal(dev.status, "awarded");
      assert.equal(await status("L-04"), "awarded");
      assert.equal(await identifier("L-04"), dev.identifier);
      assert.match(dev.identifier, /^CPR-2026-\d{5}$/);
      const detail = await page.locator("#detail").textContent();
      assert.match(detail, /Dev Patel/);
      assert.match(detail, /2 of 2/, "the trace shows both sessions recorded");
      const actions = await page.locator("#actions").textContent();
      assert.ok(actions.includes(dev.identifier), `the actions panel issues ${dev.identifier}: ${actions}`);
      // Every learner of the event, renumbered or not, agrees with Node.
      for (const o of want.outcomes.filter((o) => o.event === "ev-cpr-gla-0309")) {
        assert.equal(await identifier(o.learner), o.status === "awarded" ? o.identifier : null, `identifier of ${o.learner}`);
      }
    });

    await t.test("screenshot of the preview after that change", async () => {
      await page.waitForTimeout(1500); // let the change highlight fade
      mkdirSync(join(root, "target/screenshots"), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      t.diagnostic(`screenshot: ${SCREENSHOT}`);
    });

    await t.test("failing a learner who already holds a record proposes a review, not a revocation", async () => {
      await changed(() => row("L-06").locator('button[data-session="s1"][data-value="absent"]').click());
      await changed(() => row("L-06").locator('button[data-session="s2"][data-value="absent"]').click());
      assert.equal(await status("L-06"), "failed");
      const review = page.locator('#actions li[data-kind="review-revoke"]');
      assert.equal(await review.count(), 1);
      assert.match(await review.textContent(), /A-0412/);
    });

    await t.test("the invoice and manual result controls", async () => {
      await changed(() => row("L-05").locator('select[data-action="invoice"]').selectOption("paid"));
      assert.equal(await status("L-05"), "awarded");
      await changed(() => row("L-03").locator('select[data-action="manual"]').selectOption("pass"));
      assert.equal(await status("L-03"), "awarded");
      assert.match(await row("L-03").locator('[data-field="outcome"]').textContent(), /manual/);
    });

    await t.test("a score on the blended Edinburgh event", async () => {
      await page.locator('#events [data-event="ev-cpr-edi-0413"]').click();
      assert.equal(await status("L-09"), "failed");
      await changed(() => row("L-09").locator('input[data-action="score"]').fill("85"));
      assert.equal(await status("L-09"), "awarded");
      await changed(() => row("L-09").locator('input[data-action="score"]').fill("150"));
      assert.match(await page.locator("#error-banner").textContent(), /invalid-input.*\/evidence\/learners\/8\/online\/score/s);
      await changed(() => row("L-09").locator('input[data-action="score"]').fill("85"));
      assert.equal(await page.locator("#error-banner").isHidden(), true);
    });

    assert.deepEqual(problems, [], "no page error, console error or failed request");
  } finally {
    await browser.close();
    await server.close();
  }
});
