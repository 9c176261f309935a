// The award preview (examples/browser-preview/) in Debian's headless Chromium, driven by
// playwright-core: the page loads the npm package's web build, an administrator's clicks change
// the outcomes and the certifications, the "This change will…" panel lists what `compare` answers,
// an event switched to "approval required" holds its awards until approved, and the page agrees
// with the same package evaluated in Node.
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
const CERTIFICATIONS_SCREENSHOT = join(root, "target/screenshots/browser-preview-certifications.png");
const CHANGES_SCREENSHOT = join(root, "target/screenshots/browser-preview-changes.png");
const APPROVAL_SCREENSHOT = join(root, "target/screenshots/browser-preview-approval.png");

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

/** The organisation's rulebook with `requireApproval` on the rules of `eventId` (its template's, copied). */
function withApproval(eventId) {
  const rulebook = structuredClone(organisation.rulebook);
  const event = rulebook.events.find((e) => e.id === eventId);
  const template = rulebook.courseTemplates.find((t) => t.id === event.template);
  event.achievements = { inherit: true, rules: (event.achievements?.rules ?? template.achievements).map((r) => ({ ...r, requireApproval: true })) };
  return rulebook;
}

/** Node's `compare` of two evidences of the organisation (as of its date). */
function nodeChanges(before, after, rulebook = organisation.rulebook) {
  const answer = new Rulebook(rulebook).compare(before, after, organisation.asOf);
  assert.ok("ok" in answer, JSON.stringify(answer));
  return answer.ok.changes;
}

/**
 * The entries the panel should show for `changes`, as the page's `data-` attributes say them:
 * one per change, but the `notify` actions counted in one entry, and an `issue` dropped and added
 * again for the same learner under another number as one `issue-moved` entry.
 */
function expectedEntries(changes) {
  const action = (c) => (c.kind === "action-added" ? c.after : c.kind === "action-removed" ? c.before : null);
  const notices = changes.filter((c) => action(c)?.action === "notify");
  const key = (a) => `${a.learner} ${a.event ?? ""} ${a.path ?? ""} ${a.achievement}`;
  const removed = changes.filter((c) => c.kind === "action-removed" && c.before.action === "issue");
  const used = new Set();
  const entries = [];
  for (const c of changes) {
    const a = action(c);
    if (a?.action === "notify" || used.has(c)) continue;
    if (c.kind === "action-added" && a.action === "issue") {
      const was = removed.find((d) => key(d.before) === key(a) && !used.has(d));
      if (was) {
        used.add(was);
        entries.push({ kind: "issue-moved", learner: a.learner, identifier: a.identifier ?? "", was: was.before.identifier ?? "" });
        continue;
      }
    }
    const entry = { kind: c.kind, action: a?.action, contact: c.contact ?? a?.contact, learner: c.learner ?? a?.learner, identifier: a ? a.identifier : c.after?.identifier, record: a?.record };
    entries.push(Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)])));
  }
  // (`compare` lists every added action before the removed ones: a pair's removal is skipped above.)
  if (notices.length) {
    entries.push({ kind: "notifications", added: String(notices.filter((c) => c.kind === "action-added").length), removed: String(notices.filter((c) => c.kind === "action-removed").length) });
  }
  return entries;
}

const sortEntries = (entries) => entries.map((e) => JSON.stringify(Object.fromEntries(Object.entries(e).sort()))).sort();

/** A course result of the organisation's evidence, by contact and date. */
function courseResult(evidence, contact, completedOn) {
  const result = evidence.courseResults.find((r) => r.contact === contact && r.completedOn === completedOn);
  assert.ok(result, `${contact} has a course result on ${completedOn}`);
  return result;
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

    /** The panel's entries (their `data-` attributes) agree with Node's `compare` of `before` and `after`. */
    async function checkChanges(before, after, rulebook) {
      const changes = nodeChanges(before, after, rulebook);
      const shown = await page.locator("#changes > li[data-kind]").evaluateAll((items) => items.map((li) => ({ ...li.dataset })));
      assert.deepEqual(sortEntries(shown), sortEntries(expectedEntries(changes)), "the panel lists compare's changes");
      return changes;
    }
    const entry = (selector) => page.locator(`#changes > li${selector}`);

    const initial = nodeOutcomes();
    let evidenceNow; // the evidence after the certification edits
    await t.test("the change panel starts empty: nothing changed since the page loaded", async () => {
      assert.equal(await page.locator("#changes > li[data-kind]").count(), 0);
      assert.match(await page.locator("#changes").textContent(), /Nothing: the evidence is as it was when the page loaded/);
      assert.equal(await page.locator("#accept-baseline").isDisabled(), true);
    });

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

    const certificationRow = (contact, certification) =>
      page.locator(`#certifications tr[data-contact="${contact}"][data-certification="${certification}"]`);
    /** The date a cell shows (its ISO `data-value`), null for none or when the page shows no such field. */
    async function shownDate(row, field) {
      const cell = row.locator(`[data-field="${field}"]`);
      return (await cell.count()) ? (await cell.getAttribute("data-value")) || null : null;
    }
    /** Every certification row, holding and certification action the page shows agrees with `want`. */
    async function checkCertifications(want) {
      const pairs = new Set([...want.certifications, ...want.certificationHoldings].map((r) => `${r.contact} ${r.certification}`));
      assert.equal(await page.locator("#certifications tr[data-contact]").count(), pairs.size, "one row per person and certification");
      for (const c of want.certifications) {
        const r = certificationRow(c.contact, c.certification);
        const who = `${c.contact} ${c.certification}`;
        assert.equal((await r.locator('[data-field="status"]').textContent()).trim(), c.status, `status of ${who}`);
        assert.equal(Number(await r.locator('[data-field="cycle"]').textContent()), c.cycle, `cycle of ${who}`);
        for (const field of ["completedOn", "validUntil", "windowStart", "windowOpens", "graceUntil"]) {
          assert.equal(await shownDate(r, field), c[field], `${field} of ${who}`);
        }
        const firstCycleDue = c.cycle === 1 && !c.completedOn ? c.dueDate : null;
        assert.equal(await shownDate(r, "dueDate"), firstCycleDue, `first cycle's due date of ${who}`);
        const actions = want.actions
          .filter((a) => a.contact === c.contact && a.certification === c.certification)
          .map((a) => (a.action === "certify" ? `certify ${a.cycle}` : a.key));
        const shown = await r
          .locator('[data-field="server"] li')
          .evaluateAll((items) => items.map((li) => (li.dataset.action === "certify" ? `certify ${li.dataset.cycle}` : li.dataset.key)));
        assert.deepEqual(shown, actions, `what the server would do for ${who}`);
      }
      for (const h of want.certificationHoldings) {
        const r = certificationRow(h.contact, h.certification);
        assert.equal((await r.locator('[data-field="holding"]').textContent()).trim(), h.status, `holding of ${h.contact} ${h.certification}`);
        const shown = await r.locator(".history li").evaluateAll((items) =>
          items.map((li) => ({
            id: li.dataset.record,
            cycle: Number(li.dataset.cycle),
            completedOn: li.dataset.completed,
            validUntil: li.dataset.validUntil || null,
            revoked: li.dataset.revoked || null,
          })),
        );
        const history = h.history.map((e) => ({
          id: e.id ?? "new",
          cycle: e.cycle,
          completedOn: e.completedOn,
          validUntil: e.validUntil,
          revoked: e.revoked?.on ?? null,
        }));
        assert.deepEqual(shown, history, `history of ${h.contact} ${h.certification}`);
      }
    }

    await t.test("the certifications panel shows each certification's window, grace and history", async () => {
      // The organisation has a person in each state, on each basis.
      const statuses = new Set(initial.certifications.map((c) => c.status));
      for (const status of ["completed", "renewal-due", "grace", "expired", "overdue", "revoked", "not-started"]) {
        assert.ok(statuses.has(status), `someone is ${status}`);
      }
      const bases = new Set(organisation.rulebook.certifications.map((c) => c.renewal.basis));
      assert.deepEqual([...bases].sort(), ["completion", "expiry", "fixed"]);
      const kofi = initial.certificationHoldings.find((h) => h.contact === "c-kofi");
      assert.deepEqual(kofi.history.map((e) => [e.id, Boolean(e.revoked)]), [["CERT-0131", false], ["CERT-0158", true]]);
      await checkCertifications(initial);
      const amara = certificationRow("c-amara", "cert-aed-anniversary");
      assert.match(await amara.textContent(), /renewal-due.*2 May 2026.*3 Mar 2026.*16 May 2026/s);
      assert.match(await amara.locator('[data-field="server"]').textContent(), /renewal window open/);
      assert.match(await certificationRow("c-kofi", "cert-aed-season").locator(".history li.revoked").textContent(), /CERT-0158.*revoked 2 Apr 2026/s);
      // The actions panel shows them too, with every event's.
      await page.locator('[data-scope="all"]').click();
      const certify = initial.actions.filter((a) => a.action === "certify");
      assert.equal(await page.locator('#actions li[data-kind="certify"]').count(), certify.length);
      assert.match(await page.locator("#actions").textContent(), /Certify Ben Carter: AED Recertification \(from completion\), cycle 1/);
      await page.locator('[data-scope="event"]').click();
    });

    await t.test("screenshot of the certifications panel", async () => {
      mkdirSync(join(root, "target/screenshots"), { recursive: true });
      await page.locator("#certifications-card").screenshot({ path: CERTIFICATIONS_SCREENSHOT });
      t.diagnostic(`screenshot: ${CERTIFICATIONS_SCREENSHOT}`);
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

    await t.test("the change panel says what marking Dev present would do, as compare does in Node", async () => {
      const after = structuredClone(organisation.evidence);
      after.learners.find((l) => l.id === "L-04").attendance.s2 = "present";
      const changes = await checkChanges(organisation.evidence, after);
      const issue = changes.find((c) => c.kind === "action-added" && c.after.action === "issue" && c.after.learner === "L-04").after;
      assert.match(await entry(`[data-kind="action-added"][data-learner="L-04"]`).textContent(), new RegExp(`Issue ${issue.identifier} to Dev Patel`));
      assert.match(await entry('[data-kind="path"][data-contact="c-dev"]').textContent(), /Dev Patel's path Workplace first aider completes \(2 of 2 steps/);
      assert.match(await entry('[data-kind="notifications"]').textContent(), /Send 1 notification:\s*Dev Patel: award notification, certificate attached/);
      // Gina's and Hugo's later awards move up a number: one entry each, and their outcomes say so.
      const moved = changes.filter((c) => c.kind === "outcome" && c.before.identifier && c.before.identifier !== c.after.identifier);
      assert.ok(moved.length > 0, "an earlier award renumbers later ones");
      for (const c of moved) {
        assert.match(await entry(`[data-kind="issue-moved"][data-learner="${c.learner}"]`).textContent(), new RegExp(`Issue ${c.after.identifier} to .* instead of ${c.before.identifier}`));
      }
      assert.match(await entry('[data-kind="sequence"]').textContent(), /numbers 5–9\) instead of 4 \(numbers 5–8\); next is 10/);
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
      const after = structuredClone(organisation.evidence);
      after.learners.find((l) => l.id === "L-04").attendance.s2 = "present";
      Object.assign(after.learners.find((l) => l.id === "L-06").attendance, { s1: "absent", s2: "absent" });
      await checkChanges(organisation.evidence, after);
      assert.match(await entry('[data-kind="action-added"][data-action="review-revoke"]').textContent(), /Propose revoking A-0412, Farah Hussain's CPR & Basic Life Support/);
    });

    await t.test("screenshot of the change panel", async () => {
      await page.waitForTimeout(1500); // let the change highlight fade
      await page.locator("#changes-card").screenshot({ path: CHANGES_SCREENSHOT });
      t.diagnostic(`screenshot: ${CHANGES_SCREENSHOT}`);
      t.diagnostic(`engine bar: ${await page.locator("#engine-bar").textContent()}`);
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

    await t.test("editing course results moves certifications into and out of the window and grace", async () => {
      await changed(() => page.locator("#reset").click());
      const edits = [];
      const want = () =>
        nodeOutcomes((evidence) => {
          for (const edit of edits) edit(evidence);
        });
      await checkCertifications(want());

      // Ben's completion moves back to June 2025: his renewal window (from 11 Apr 2026) is open.
      await changed(() => certificationRow("c-ben", "cert-aed-completion").locator('input[data-action="result-date"]').fill("2025-06-10"));
      edits.push((e) => (courseResult(e, "c-ben", "2025-09-15").completedOn = "2025-06-10"));
      let answer = want();
      let ben = answer.certifications.find((c) => c.contact === "c-ben");
      assert.deepEqual([ben.status, ben.validUntil, ben.windowOpens], ["renewal-due", "2026-06-10", "2026-04-11"]);
      await checkCertifications(answer);

      // Farah's completion moves to March 2025: the April season ended on 1 Apr 2026, she is in grace.
      await changed(() => certificationRow("c-farah", "cert-aed-season").locator('input[data-action="result-date"]').fill("2025-03-20"));
      edits.push((e) => (courseResult(e, "c-farah", "2025-11-20").completedOn = "2025-03-20"));
      answer = want();
      const farah = answer.certifications.find((c) => c.contact === "c-farah");
      assert.deepEqual([farah.status, farah.validUntil, farah.graceUntil], ["grace", "2026-04-01", "2026-05-01"]);
      await checkCertifications(answer);

      // Amara renews inside her window: the anniversary is kept (2 May 2027) and the server would certify cycle 3.
      await changed(() => certificationRow("c-amara", "cert-aed-anniversary").locator('button[data-action="add-result"]').click());
      edits.push((e) => e.courseResults.push({ contact: "c-amara", course: "crs-aed", grade: 100, completedOn: organisation.asOf }));
      answer = want();
      const amara = answer.certifications.find((c) => c.contact === "c-amara");
      assert.deepEqual([amara.status, amara.cycle, amara.validUntil], ["completed", 3, "2027-05-02"]);
      assert.ok(answer.actions.some((a) => a.action === "certify" && a.contact === "c-amara" && a.cycle === 3));
      await checkCertifications(answer);

      // Hugo renews late, inside his grace period: a late renewal runs from its date.
      await changed(() => certificationRow("c-hugo", "cert-aed-anniversary").locator('button[data-action="add-result"]').click());
      await changed(() => certificationRow("c-hugo", "cert-aed-anniversary").locator('input[data-action="result-date"]').last().fill("2026-04-18"));
      edits.push((e) => e.courseResults.push({ contact: "c-hugo", course: "crs-aed", grade: 100, completedOn: "2026-04-18" }));
      answer = want();
      const hugo = answer.certifications.find((c) => c.contact === "c-hugo");
      assert.deepEqual([hugo.status, hugo.validUntil, hugo.graceUntil], ["completed", "2027-04-18", "2027-05-02"]);
      await checkCertifications(answer);

      // Jonas's grade is raised to the pass mark: his overdue first cycle completes.
      const grade = certificationRow("c-jonas", "cert-aed-completion").locator('input[data-action="result-grade"]');
      await grade.fill("85");
      await changed(() => grade.blur());
      edits.push((e) => (courseResult(e, "c-jonas", "2026-03-02").grade = 85));
      answer = want();
      const jonas = answer.certifications.find((c) => c.contact === "c-jonas");
      assert.deepEqual([jonas.status, jonas.validUntil], ["completed", "2027-03-02"]);
      await checkCertifications(answer);
      ben = answer.certifications.find((c) => c.contact === "c-ben");
      assert.equal(ben.status, "renewal-due", "the other edits stay");

      // The change panel compares with the evidence as reset.
      const after = structuredClone(organisation.evidence);
      for (const edit of edits) edit(after);
      const changes = await checkChanges(organisation.evidence, after);
      assert.ok(changes.some((c) => c.kind === "certification"), "certifications change");
      assert.match(await page.locator("#changes-card .hint").textContent(), /since the reset/);
      assert.match(await entry('[data-kind="action-added"][data-action="certify"][data-contact="c-amara"]').textContent(), /Certify Amara Okafor: AED Recertification \(anniversary kept\), cycle 3, valid until 2 May 2027/);
      evidenceNow = after;
    });

    await t.test("an event switched to approval required holds its awards until an administrator approves", async () => {
      // The edits so far become the baseline: nothing to show.
      await page.locator("#accept-baseline").click();
      await page.waitForSelector('#changes[data-count="0"]');
      assert.equal(await page.locator("#changes > li[data-kind]").count(), 0);
      assert.match(await page.locator("#changes-card .hint").textContent(), /since the changes accepted at \d\d:\d\d/);
      await page.locator('#events [data-event="ev-cpr-gla-0309"]').click();

      await changed(() => page.locator("#event .switch").click());
      const rulebook = withApproval("ev-cpr-gla-0309");
      const held = new Rulebook(rulebook).evaluate(evidenceNow, organisation.asOf).ok;
      // Every outcome of the event waits on approval; those whose conditions are met (`metOn`) can be
      // approved: Dev's second day is still open (a pass would override it, not approve it).
      const glasgow = held.outcomes.filter((o) => o.event === "ev-cpr-gla-0309");
      assert.ok(glasgow.every((o) => o.status !== "pending" || o.waitingOn.at(-1) === "approval"));
      const ready = glasgow.filter((o) => o.status === "pending" && o.metOn && o.waitingOn.includes("approval"));
      assert.deepEqual(ready.map((o) => o.learner), ["L-01", "L-02", "L-05", "L-06", "L-11"]);
      for (const o of glasgow) {
        assert.equal(await status(o.learner), o.status, `status of ${o.learner} under approval`);
        const cell = row(o.learner).locator('[data-field="outcome"]');
        const approvable = ready.includes(o);
        assert.equal(await cell.locator('button[data-action="approve"]').count(), approvable ? 1 : 0, `Approve button of ${o.learner}`);
        assert.equal(/waiting for approval/.test(await cell.textContent()), approvable, `${o.learner} shows waiting for approval`);
      }
      const names = ready.map((o) => organisation.display.contacts[o.contact]).join(", ");
      assert.equal((await page.locator("#approval-note").textContent()).trim(), `Approval required for CPR & BLS — Glasgow: 5 learners waiting for approval (${names}).`);
      assert.match(await page.locator("#event .rules").textContent(), /an administrator approves each award/);
      // The evidence has not changed: the panel compares it under the rules in effect.
      assert.equal(await page.locator("#changes > li[data-kind]").count(), 0);

      // Approving Ben: his award, its number, his path.
      await changed(() => row("L-02").locator('button[data-action="approve"]').click());
      const approved = structuredClone(evidenceNow);
      approved.learners.find((l) => l.id === "L-02").results = [
        { achievement: "bls", outcome: "pass", on: organisation.asOf, by: "admin-preview", reason: "approved in the preview" },
      ];
      const answer = new Rulebook(rulebook).evaluate(approved, organisation.asOf).ok;
      const ben = answer.outcomes.find((o) => o.learner === "L-02");
      assert.deepEqual([ben.status, ben.source, ben.awardedOn, ben.decidedBy?.by], ["awarded", "automatic", organisation.asOf, "admin-preview"]);
      assert.equal(await status("L-02"), "awarded");
      assert.equal(await identifier("L-02"), ben.identifier);
      assert.equal(await row("L-02").locator('button[data-action="approve"]').count(), 0);
      assert.match(await row("L-02").locator('[data-field="outcome"]').textContent(), /approved by admin-preview 20 Apr 2026/);
      const changes = await checkChanges(evidenceNow, approved, rulebook);
      assert.ok(changes.some((c) => c.kind === "action-added" && c.after.action === "issue" && c.after.learner === "L-02"));
      assert.match(await entry('[data-kind="action-added"][data-learner="L-02"]').textContent(), new RegExp(`Issue ${ben.identifier} to Ben Carter`));
      assert.match(await entry('[data-kind="path"][data-contact="c-ben"]').textContent(), /Ben Carter's path Workplace first aider completes/);
      assert.match(await entry('[data-kind="outcome"][data-learner="L-02"]').textContent(), /pending → awarded/);
      assert.match(await page.locator("#approval-note").textContent(), /4 learners waiting for approval/);
    });

    await t.test("screenshot of the approval state", async () => {
      await page.waitForTimeout(2500); // let the change highlight fade
      const top = await page.locator("#event").boundingBox();
      const bottom = await page.locator("#changes-card").boundingBox();
      await page.setViewportSize({ width: 1440, height: Math.ceil(bottom.y + bottom.height + 20) });
      await page.screenshot({ path: APPROVAL_SCREENSHOT, clip: { x: 0, y: top.y - 10, width: 1440, height: bottom.y + bottom.height - top.y + 20 } });
      t.diagnostic(`screenshot: ${APPROVAL_SCREENSHOT}`);
    });

    await t.test("switching approval off again awards without approval", async () => {
      await changed(() => page.locator("#event .switch").click());
      assert.equal(await page.locator("#approval-note").isHidden(), true);
      assert.equal(await status("L-01"), "awarded");
      assert.equal(await page.locator('button[data-action="approve"]').count(), 0);
    });

    assert.deepEqual(problems, [], "no page error, console error or failed request");
  } finally {
    await browser.close();
    await server.close();
  }
});
