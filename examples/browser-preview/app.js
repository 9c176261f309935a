// Laureate's award preview: the organisation's rulebook is read once into a prepared `Rulebook`
// handle and its evidence into a `Preview`; every change the administrator makes to a learner
// sends that learner and re-evaluates in this page, with the same WebAssembly module the server
// runs. A change of a course result (the certifications panel) reads the evidence again.
import init, { Rulebook, version } from "./pkg/web.js";
import { organisation } from "./organisation.js";

const $ = (id) => document.getElementById(id);
const ACHIEVEMENT_NAMES = new Map(organisation.rulebook.achievements.map((a) => [a.id, a.name]));
const CERTIFICATIONS = new Map((organisation.rulebook.certifications ?? []).map((c) => [c.id, c]));
const COURSES = new Map((organisation.rulebook.courses ?? []).map((c) => [c.id, c]));
const BASIS = {
  completion: "each cycle runs from its completion",
  expiry: "renewing on time keeps the anniversary",
};
const REMINDERS = {
  "certification-completed": "completed",
  "certification-window-open": "renewal window open",
  "certification-expiring": "expiring soon",
  "certification-grace": "in grace period",
  "certification-expired": "expired",
  "certification-overdue": "overdue",
};
const ATTENDANCE = [
  ["present", "Present"],
  ["absent", "Absent"],
  ["excused", "Excused"],
];
const WAITING = {
  "manual-result": "manual result",
  attendance: "attendance",
  "online-completion": "e-learning completion",
  score: "score",
  invoice: "invoice payment",
  approval: "approval",
};
const CHECKS = {
  "manual.result": "Manual result",
  "manual.decided-by": "Decided by",
  "attendance.absences": "Absences",
  "attendance.recorded": "Sessions recorded",
  "online.progress": "E-learning progress",
  "online.score": "E-learning score",
  "online.completed": "E-learning completed",
  "invoice.paid": "Invoice",
  "approval.given": "Approval",
  "renewal.early-window": "Early renewal window",
};

const state = {
  asOf: organisation.asOf,
  evidence: structuredClone(organisation.evidence),
  eventId: "ev-cpr-gla-0309",
  learnerId: "L-04",
  scope: "event",
  answer: null, // the last `ok` result
  error: null, // the last `error` envelope, when the current evidence cannot be evaluated
  evaluations: 0,
  elapsed: 0,
};

let rulebook;
let preview; // the evidence read once (Rulebook.preview), then one learner replaced per edit
let previous = new Map(); // learner -> "status identifier", to flash what changed
let previousCertifications = new Map(); // "contact certification" -> its status and dates, to flash changes

// ---------------------------------------------------------------------------------------------
// helpers

function escapeHtml(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** "10 Mar 2026" for "2026-03-10" (dates are calendar dates: no time zone is involved). */
function day(iso) {
  if (!iso) return "—";
  const [y, m, d] = iso.split("-").map(Number);
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1];
  return `<span title="${escapeHtml(iso)}">${d} ${month} ${y}</span>`;
}

const contactName = (id) => organisation.display.contacts[id] ?? id;
const events = () => organisation.rulebook.events;
const eventById = (id) => events().find((e) => e.id === id);
const template = (event) => organisation.rulebook.courseTemplates.find((t) => t.id === event.template);
const learnersOf = (eventId) => state.evidence.learners.filter((l) => l.event === eventId);
const learnerById = (id) => state.evidence.learners.find((l) => l.id === id);
const delivery = (event) => event.delivery ?? template(event).delivery;
const hasOnline = (event) => ["blended", "self-paced"].includes(delivery(event));

/** The rule in effect on an event for its first achievement (what the summary describes). */
function ruleOf(event) {
  const inherited = template(event).achievements;
  const own = event.achievements?.rules ?? [];
  return own[0] ?? inherited[0];
}

function outcomesOf(learnerId) {
  return (state.answer?.outcomes ?? []).filter((o) => o.learner === learnerId);
}

// ---------------------------------------------------------------------------------------------
// evaluation

/**
 * Evaluates the evidence as it stands. After an edit of one learner (`changed`), only that
 * learner is sent to the engine (`Preview.setLearner`); a new as-of date, a reset or an edit
 * after an error reads the whole evidence again (`Rulebook.preview`). Both answer what
 * `evaluate` answers for the whole evidence.
 */
function evaluateNow(changed) {
  const started = performance.now();
  let answer;
  const index = changed ? state.evidence.learners.indexOf(changed) : -1;
  if (preview && index >= 0 && !state.error) {
    answer = preview.setLearner(index, changed);
  } else {
    preview?.free();
    preview = null;
    try {
      preview = rulebook.preview({ asOf: state.asOf, evidence: state.evidence, options: { trace: true } });
      answer = preview.answer();
    } catch (error) {
      if (!error.code) throw error;
      answer = { error: { code: error.code, message: error.message, path: error.path } };
    }
  }
  state.elapsed = performance.now() - started;
  state.evaluations += 1;
  if ("ok" in answer) {
    state.answer = answer.ok;
    state.error = null;
  } else {
    state.error = answer.error;
  }
  render();
}

// ---------------------------------------------------------------------------------------------
// rendering

function render() {
  document.body.classList.toggle("stale", Boolean(state.error));
  renderEngineBar();
  renderError();
  renderEvents();
  renderEvent();
  updateRoster();
  renderDetail();
  renderActions();
  renderAccounts();
  renderCertifications();
  document.body.dataset.evaluations = String(state.evaluations);
  document.body.dataset.ready = "true";
}

function renderEngineBar() {
  $("engine-bar").innerHTML =
    `<span class="dot"></span><strong>laureate ${escapeHtml(version())}</strong> in WebAssembly · ` +
    `prepared rulebook and evidence · evaluation #${state.evaluations} took ${state.elapsed.toFixed(2)} ms · ` +
    `as of ${day(state.asOf)}`;
}

function renderError() {
  const banner = $("error-banner");
  if (!state.error) {
    banner.hidden = true;
    return;
  }
  const { code, path, message } = state.error;
  banner.hidden = false;
  banner.innerHTML =
    `<strong>The engine cannot read this evidence</strong> (<code>${escapeHtml(code)}</code> at ` +
    `<code>${escapeHtml(path || "/")}</code>): ${escapeHtml(message)}. The outcomes below are the last valid ones.`;
}

function statusCounts(outcomes) {
  const counts = { awarded: 0, pending: 0, failed: 0, revoked: 0 };
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `<span class="pill count ${status}">${n} ${status}</span>`)
    .join("");
}

function renderEvents() {
  const sorted = [...events()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  $("events").innerHTML = sorted
    .map((event) => {
      const shown = organisation.display.events[event.id] ?? { title: event.id };
      const outcomes = (state.answer?.outcomes ?? []).filter((o) => o.event === event.id);
      return `<button type="button" class="event-tab ${event.id === state.eventId ? "active" : ""}" data-event="${escapeHtml(event.id)}">
        <div class="title">${escapeHtml(shown.title)}</div>
        <div class="meta">${day(event.start)} – ${day(event.end)} · ${learnersOf(event.id).length} learners · ${escapeHtml(delivery(event))}</div>
        <div class="counts">${statusCounts(outcomes)}</div>
      </button>`;
    })
    .join("");
}

function renderEvent() {
  const event = eventById(state.eventId);
  const course = template(event);
  const rule = ruleOf(event);
  const achievement = organisation.rulebook.achievements.find((a) => a.id === rule.achievement);
  const sequence = organisation.rulebook.sequences.find((s) => s.id === achievement?.sequence);
  const shown = organisation.display.events[event.id] ?? { title: event.id };
  const rules = [
    `${escapeHtml(course.code)} · ${escapeHtml(delivery(event))}`,
    `${event.sessions.length} sessions, at most ${rule.maxAbsences ?? 0} absence${(rule.maxAbsences ?? 0) === 1 ? "" : "s"}`,
  ];
  if (hasOnline(event)) {
    rules.push(`e-learning ${rule.minProgress ?? 100}% complete`);
    if (rule.minScore !== undefined) rules.push(`pass mark ${rule.minScore}`);
  }
  if (rule.requireInvoicePaid) rules.push("invoice must be paid");
  if (achievement?.validity) rules.push(`valid ${achievement.validity.amount} ${achievement.validity.unit}`);
  if (achievement?.renewal) rules.push(`renew up to ${achievement.renewal.earlyWindowDays} days early`);
  const format = sequence ? `<span class="rule mono">${escapeHtml(sequence.eventFormat)} · ${sequence.padding} digits</span>` : "";
  $("event").innerHTML = `
    <div>
      <div class="title">${escapeHtml(shown.title)}</div>
      <div class="meta">${day(event.start)} – ${day(event.end)} · ${escapeHtml(shown.room ?? "")} ·
        awards <strong>${escapeHtml(achievement?.name ?? rule.achievement)}</strong></div>
    </div>
    <div class="counts">${statusCounts((state.answer?.outcomes ?? []).filter((o) => o.event === event.id))}</div>
    <div class="rules">${rules.map((r) => `<span class="rule">${r}</span>`).join("")}${format}</div>`;
}

/** Builds the roster's rows (controls included) for the selected event. */
function buildRoster() {
  const event = eventById(state.eventId);
  const online = hasOnline(event);
  const sessions = event.sessions
    .map(
      (s) =>
        `<th>${escapeHtml(organisation.display.sessions[s.id] ?? s.id)}<span class="sub">${day(s.date)}${s.optional ? " · optional" : ""}</span></th>`,
    )
    .join("");
  const head = `<thead><tr><th>Learner</th>${sessions}${online ? "<th>E-learning<span class=\"sub\">progress · score</span></th>" : ""}
    <th>Invoice</th><th>Manual result</th><th>Outcome</th><th>Certificate</th></tr></thead>`;
  const rows = learnersOf(event.id)
    .map((learner) => {
      const id = escapeHtml(learner.id);
      const account = organisation.display.accounts[learner.account] ?? learner.account ?? "";
      const attendance = event.sessions
        .map(
          (s) => `<td><div class="segmented" role="group" aria-label="${escapeHtml(s.id)}">${ATTENDANCE.map(
            ([value, label]) =>
              `<button type="button" data-action="attendance" data-learner="${id}" data-session="${escapeHtml(s.id)}" data-value="${value}">${label}</button>`,
          ).join("")}</div><span class="unrecorded" data-unrecorded="${escapeHtml(s.id)}"></span></td>`,
        )
        .join("");
      const onlineCell = online
        ? `<td><div class="stack">
            <label class="inline"><input type="number" min="0" max="100" step="1" data-action="progress" data-learner="${id}" aria-label="progress">%</label>
            <label class="inline">score <input type="number" min="0" max="100" step="1" data-action="score" data-learner="${id}" aria-label="score"></label>
            <span class="small" data-field="completed"></span></div></td>`
        : "";
      return `<tr data-learner="${id}">
        <td class="who"><div class="name">${escapeHtml(contactName(learner.contact))}</div><div class="sub">${escapeHtml(account)} · ${id}</div></td>
        ${attendance}${onlineCell}
        <td><div class="stack">
          <select data-action="invoice" data-learner="${id}" aria-label="invoice">
            <option value="paid">Paid</option><option value="unpaid">Unpaid</option>
            <option value="none">Nothing to pay</option><option value="">No invoice</option>
          </select>
          <input type="date" data-action="paid-on" data-learner="${id}" aria-label="paid on"></div></td>
        <td><select data-action="manual" data-learner="${id}" aria-label="manual result">
          <option value="">Automatic</option><option value="pass">Pass</option><option value="fail">Fail</option>
        </select></td>
        <td class="outcome" data-field="outcome"></td>
        <td class="certificate" data-field="certificate"></td>
      </tr>`;
    })
    .join("");
  $("roster").innerHTML = `${head}<tbody>${rows}</tbody>`;
}

/** Brings the roster's controls and outcome cells up to date (keeps focus in inputs). */
function updateRoster() {
  const event = eventById(state.eventId);
  const changed = new Map();
  for (const row of $("roster").querySelectorAll("tbody tr")) {
    const learner = learnerById(row.dataset.learner);
    row.classList.toggle("selected", learner.id === state.learnerId);
    for (const session of event.sessions) {
      const value = learner.attendance?.[session.id];
      for (const button of row.querySelectorAll(`button[data-session="${session.id}"]`)) {
        button.classList.toggle("active", button.dataset.value === value);
        button.setAttribute("aria-pressed", String(button.dataset.value === value));
      }
      const note = row.querySelector(`[data-unrecorded="${session.id}"]`);
      note.textContent = value ? "" : session.date > state.asOf ? "not held yet" : "not recorded";
    }
    const progress = row.querySelector('[data-action="progress"]');
    if (progress && document.activeElement !== progress) progress.value = learner.online?.progress ?? "";
    const score = row.querySelector('[data-action="score"]');
    if (score && document.activeElement !== score) score.value = learner.online?.score ?? "";
    const completed = row.querySelector('[data-field="completed"]');
    if (completed) completed.innerHTML = learner.online?.completedOn ? `completed ${day(learner.online.completedOn)}` : "not completed";
    row.querySelector('[data-action="invoice"]').value = learner.invoice?.status ?? "";
    const paidOn = row.querySelector('[data-action="paid-on"]');
    paidOn.hidden = learner.invoice?.status !== "paid";
    if (document.activeElement !== paidOn) paidOn.value = learner.invoice?.paidOn ?? "";
    const results = (learner.results ?? []).filter((r) => r.on <= state.asOf);
    row.querySelector('[data-action="manual"]').value = results.at(-1)?.outcome ?? "";

    const outcomes = outcomesOf(learner.id);
    const fingerprint = outcomes.map((o) => `${o.status} ${o.identifier}`).join();
    if (previous.has(learner.id) && previous.get(learner.id) !== fingerprint) changed.set(learner.id, row);
    previous.set(learner.id, fingerprint);
    row.querySelector('[data-field="outcome"]').innerHTML = outcomes.map(outcomeCell).join("") || '<span class="muted">no outcome</span>';
    row.querySelector('[data-field="certificate"]').innerHTML = outcomes.map(certificateCell).join("");
  }
  for (const row of changed.values()) {
    row.classList.remove("changed");
    void row.offsetWidth; // restart the animation
    row.classList.add("changed");
  }
}

function outcomeCell(o) {
  const waiting = o.waitingOn.map((w) => `<span class="chip">${escapeHtml(WAITING[w] ?? w)}</span>`).join("");
  const manual = o.source === "manual" ? '<span class="tag">manual</span>' : "";
  const met = o.status === "pending" && o.metOn ? `<div class="small">met ${day(o.metOn)}</div>` : "";
  return `<div><span class="pill ${o.status}" data-status="${o.status}">${o.status}</span>${manual}</div>${met}<div>${waiting}</div>`;
}

function certificateCell(o) {
  if (o.status === "revoked") {
    // Met again, but the learner's only record was revoked: nothing is re-issued automatically.
    return `<span class="small">record ${escapeHtml(o.record)} revoked · not re-issued</span>`;
  }
  if (o.status !== "awarded") {
    return o.record ? `<span class="small">record ${escapeHtml(o.record)}</span>` : '<span class="none">—</span>';
  }
  const ident = o.identifier ? escapeHtml(o.identifier) : "no identifier";
  const renewal = o.validFrom && o.awardedOn && o.validFrom !== o.awardedOn ? ` · valid from ${day(o.validFrom)}` : "";
  const record = o.record ? `<span class="tag">issued · ${escapeHtml(o.record)}</span>` : '<span class="tag">new</span>';
  return `<div><span class="ident" data-field="identifier">${ident}</span>${record}</div>
    <div class="small">awarded ${day(o.awardedOn)}${renewal}</div>
    <div class="small">expires ${day(o.expiresOn)}</div>`;
}

function renderDetail() {
  const learner = learnerById(state.learnerId);
  if (!learner || learner.event !== state.eventId) {
    $("detail").innerHTML = `<div class="card-head"><h2>Why</h2><p class="hint">Select a learner to see each check the engine made.</p></div>`;
    return;
  }
  const holding = (state.answer?.holdings ?? []).filter((h) => h.contact === learner.contact);
  const blocks = outcomesOf(learner.id).map((o) => {
    const facts = [
      ["Status", `<span class="pill ${o.status}">${o.status}</span>`],
      ["Source", escapeHtml(o.source)],
      ["Conditions met", day(o.metOn)],
      ["Awarded", day(o.awardedOn)],
      ["Valid from", day(o.validFrom)],
      ["Expires", day(o.expiresOn)],
      ["Identifier", o.identifier ? `<span class="mono">${escapeHtml(o.identifier)}</span>` : "—"],
      ["Record", o.record ? `<span class="mono">${escapeHtml(o.record)}</span>${o.status === "revoked" ? " (revoked)" : ""}` : "—"],
      ["Decided by", o.decidedBy ? `${escapeHtml(o.decidedBy.by ?? "not named")} on ${day(o.decidedBy.on)}${o.decidedBy.reason ? `: ${escapeHtml(o.decidedBy.reason)}` : ""}` : "the rules"],
      ["Waiting on", o.waitingOn.length ? o.waitingOn.map((w) => escapeHtml(WAITING[w] ?? w)).join(", ") : "nothing"],
    ];
    const trace = o.trace
      .map(
        (t) => `<tr class="${t.ok ? "ok" : "no"}"><td class="mark">${t.ok ? "✓" : "✗"}</td><td>${escapeHtml(CHECKS[t.check] ?? t.check)}
          <div class="small mono">${escapeHtml(t.check)}</div></td><td>${escapeHtml(t.required)}</td><td>${escapeHtml(t.observed)}</td></tr>`,
      )
      .join("");
    return `
      <div class="section-title"><h3>${escapeHtml(ACHIEVEMENT_NAMES.get(o.achievement) ?? o.achievement)}</h3></div>
      <div class="facts">${facts.map(([label, value]) => `<div class="fact"><div class="label">${label}</div><div class="value">${value}</div></div>`).join("")}</div>
      <div class="section-title"><h3>Trace</h3></div>
      <table class="trace" data-field="trace"><thead><tr><th></th><th>Check</th><th>Required</th><th>Observed</th></tr></thead>
        <tbody>${trace || '<tr><td colspan="4" class="muted">no checks</td></tr>'}</tbody></table>
      <details class="json"><summary>Outcome as JSON</summary><pre>${escapeHtml(JSON.stringify(o, null, 2))}</pre></details>`;
  });
  const holdings = holding
    .map((h) => `${escapeHtml(ACHIEVEMENT_NAMES.get(h.achievement) ?? h.achievement)}: <strong>${escapeHtml(h.status)}</strong>${h.validUntil ? ` until ${day(h.validUntil)}` : ""}`)
    .join(" · ");
  $("detail").innerHTML = `
    <div class="card-head"><h2>Why: ${escapeHtml(contactName(learner.contact))} <span class="muted">${escapeHtml(learner.id)}</span></h2>
      <p class="hint">${holdings ? `Holding across all records: ${holdings}` : "No holding yet for this person."}</p></div>
    ${blocks.join("") || '<p class="hint" style="padding: 0 18px">No outcome for this learner.</p>'}`;
}

function learnerLink(learnerId, contactId) {
  return `<span class="link" data-select="${escapeHtml(learnerId)}">${escapeHtml(contactName(contactId))}</span>`;
}

function renderActions() {
  for (const button of document.querySelectorAll("[data-scope]")) {
    button.classList.toggle("active", button.dataset.scope === state.scope);
  }
  const all = state.answer?.actions ?? [];
  const actions = state.scope === "all" ? all : all.filter((a) => a.event === state.eventId);
  const items = actions.map((a) => {
    const who = learnerLink(a.learner, a.contact);
    const name = escapeHtml(ACHIEVEMENT_NAMES.get(a.achievement) ?? a.achievement);
    let text;
    if (a.action === "issue") {
      const ident = a.identifier ? `<span class="mono">${escapeHtml(a.identifier)}</span>` : "a record without identifier";
      text = `Issue ${ident} to ${who}: ${name}, valid ${day(a.validFrom)} → ${day(a.expiresOn)}
        ${a.certificate ? `<div class="small">certificate template <span class="mono">${escapeHtml(a.certificate)}</span></div>` : ""}`;
    } else if (a.action === "certify") {
      text = `Certify ${escapeHtml(contactName(a.contact))}: ${escapeHtml(certificationName(a.certification))}, cycle ${a.cycle},
        completed ${day(a.completedOn)}, valid until ${day(a.validUntil)}
        ${a.certificate ? `<div class="small">certificate template <span class="mono">${escapeHtml(a.certificate)}</span></div>` : ""}`;
    } else if (a.action === "notify" && a.certification) {
      text = `Email ${escapeHtml(contactName(a.contact))}: <span class="mono">${escapeHtml(a.trigger)}</span> (${escapeHtml(certificationName(a.certification))},
        cycle ${a.cycle}, since ${day(a.on)})${a.attachCertificate ? ", certificate attached" : ""}`;
    } else if (a.action === "notify") {
      text = `Email ${who}: <span class="mono">${escapeHtml(a.trigger)}</span>${a.attachCertificate ? ", certificate attached" : ""}`;
    } else if (a.action === "review-revoke") {
      text = `Review record <span class="mono">${escapeHtml(a.record)}</span> of ${who}: ${name} no longer passes. The engine never revokes; an administrator decides.`;
    } else {
      text = escapeHtml(JSON.stringify(a));
    }
    return `<li data-kind="${escapeHtml(a.action)}"><span class="kind ${escapeHtml(a.action)}">${escapeHtml(a.action === "review-revoke" ? "review" : a.action)}</span><div>${text}</div></li>`;
  });
  $("actions").innerHTML =
    items.join("") || `<li><span></span><span class="empty">Nothing to do${state.scope === "event" ? " for this event" : ""}: no new award, no record to review.</span></li>`;

  const before = state.evidence.sequenceState ?? {};
  const after = state.answer?.sequenceState ?? {};
  $("sequence").innerHTML = Object.keys(after)
    .map((id) => {
      const used = after[id] - (before[id] ?? 1);
      return `Sequence <span class="mono">${escapeHtml(id)}</span>: ${used} number${used === 1 ? "" : "s"} handed out (all events), next is <strong>${after[id]}</strong>.`;
    })
    .join("<br>");
  const diagnostics = state.answer?.diagnostics ?? [];
  $("diagnostics").innerHTML = diagnostics.length
    ? diagnostics
        .map((d) => `<div class="${escapeHtml(d.severity)}">${escapeHtml(d.severity)} <code>${escapeHtml(d.code)}</code> at <code>${escapeHtml(d.path)}</code>: ${escapeHtml(d.message)}</div>`)
        .join("")
    : "Rulebook and evidence checks: no diagnostics.";
}

const accountName = (id) => organisation.display.accounts[id] ?? id;

/** The accounts panel: per client account and achievement, its people by holding status. */
function renderAccounts() {
  const rows = state.answer?.accounts ?? [];
  const names = (ids) => ids.map((id) => escapeHtml(contactName(id))).join(", ") || '<span class="muted">—</span>';
  const head = `<thead><tr><th>Account</th><th>Achievement</th><th>Valid</th><th>Expiring</th><th>Expired</th>
    <th>Revoked</th><th>Not yet valid</th><th>Who is expiring</th><th>Who has expired</th></tr></thead>`;
  const body = rows
    .map(
      (r) => `<tr data-account="${escapeHtml(r.account)}" data-achievement="${escapeHtml(r.achievement)}">
        <td>${escapeHtml(accountName(r.account))}</td><td>${escapeHtml(ACHIEVEMENT_NAMES.get(r.achievement) ?? r.achievement)}</td>
        <td class="n" data-field="valid">${r.valid}</td><td class="n" data-field="expiring">${r.expiring}</td>
        <td class="n" data-field="expired">${r.expired}</td><td class="n" data-field="revoked">${r.revoked}</td>
        <td class="n" data-field="not-yet-valid">${r.notYetValid}</td>
        <td data-field="expiring-contacts">${names(r.expiringContacts)}</td><td data-field="expired-contacts">${names(r.expiredContacts)}</td></tr>`,
    )
    .join("");
  $("accounts").innerHTML = `${head}<tbody>${body || '<tr><td colspan="9" class="muted">No account holds anything yet.</td></tr>'}</tbody>`;
}

const certificationName = (id) => CERTIFICATIONS.get(id)?.name ?? id;

/** Days from `a` to `b` (ISO calendar dates). */
function daysBetween(a, b) {
  const utc = (iso) => Date.UTC(...iso.split("-").map((n, i) => Number(n) - (i === 1 ? 1 : 0)));
  return Math.round((utc(b) - utc(a)) / 86_400_000);
}

/** "in 12 days", "today", "8 days ago", relative to the as-of date. */
function relative(iso) {
  if (!iso) return "";
  const n = daysBetween(state.asOf, iso);
  if (n === 0) return "today";
  const amount = Math.abs(n) === 1 ? "1 day" : `${Math.abs(n)} days`;
  return n > 0 ? `in ${amount}` : `${amount} ago`;
}

/** A date the test reads back: the ISO date in `data-value`, the readable one on screen. */
function dateField(field, iso) {
  return `<span data-field="${field}" data-value="${escapeHtml(iso ?? "")}">${day(iso)}</span>`;
}

/** The certification's renewal rule in words, as the group's heading shows it. */
function renewalRule(certification) {
  const r = certification.renewal;
  const parts = [];
  if (!r?.everyMonths) parts.push("one-time");
  else {
    parts.push(`every ${r.everyMonths} month${r.everyMonths === 1 ? "" : "s"}`);
    if (r.basis === "fixed") {
      parts.push(`expires on fixed dates from ${day(r.anchor)}, at least ${r.minimumActiveMonths ?? 0} months after completing`);
    } else parts.push(BASIS[r.basis ?? "completion"]);
    if (r.windowDays) parts.push(`renewal window ${r.windowDays} days`);
    if (r.lateGraceDays) parts.push(`grace ${r.lateGraceDays} days`);
  }
  const courses = certification.courses.map((id) => escapeHtml(COURSES.get(id)?.title ?? id)).join(", ");
  parts.push(`${courses} with ${certification.minimumGrade} or more`);
  if (certification.dueWithinDays) parts.push(`first cycle due ${certification.dueWithinDays} days after assignment`);
  if (certification.certificate) parts.push(`certificate <span class="mono">${escapeHtml(certification.certificate)}</span>`);
  return parts.join(" · ");
}

/** The contact's course results for the certification's courses, editable in place. */
function resultEditors(row) {
  const courses = CERTIFICATIONS.get(row.certification)?.courses ?? [];
  const results = (state.evidence.courseResults ?? [])
    .map((result, index) => ({ result, index }))
    .filter(({ result }) => result.contact === row.contact && courses.includes(result.course))
    .sort((a, b) => (a.result.completedOn < b.result.completedOn ? -1 : a.result.completedOn > b.result.completedOn ? 1 : a.index - b.index));
  const editors = results.map(
    ({ result, index }) => `<div class="result" data-result="${index}">
      <input type="date" data-action="result-date" data-result="${index}" value="${escapeHtml(result.completedOn)}" aria-label="completed on">
      <input type="number" data-action="result-grade" data-result="${index}" min="0" max="100" step="any" value="${escapeHtml(result.grade)}" aria-label="grade">
      ${courses.length > 1 ? `<span class="small">${escapeHtml(COURSES.get(result.course)?.title ?? result.course)}</span>` : ""}</div>`,
  );
  const add = courses
    .map((course) => `<button type="button" class="add" data-action="add-result" data-contact="${escapeHtml(row.contact)}" data-course="${escapeHtml(course)}"
      title="A passing result on the as-of date">+ result${courses.length > 1 ? `: ${escapeHtml(COURSES.get(course)?.title ?? course)}` : ""}</button>`)
    .join("");
  return `${editors.join("")}${add}`;
}

/** A certification holding's history: every record the server holds and every cycle it would certify. */
function historyList(holding) {
  if (!holding) return '<span class="muted">no record</span>';
  const items = holding.history.map((h) => {
    const revoked = h.revoked ? `<div class="small">revoked ${day(h.revoked.on)}${h.revoked.reason ? `: ${escapeHtml(h.revoked.reason)}` : ""}</div>` : "";
    const id = h.id ? `<span class="mono">${escapeHtml(h.id)}</span>` : '<span class="tag new">new</span>';
    return `<li data-record="${escapeHtml(h.id ?? "new")}" data-cycle="${h.cycle}" data-completed="${escapeHtml(h.completedOn)}"
      data-valid-until="${escapeHtml(h.validUntil ?? "")}" data-revoked="${h.revoked ? escapeHtml(h.revoked.on) : ""}" class="${h.revoked ? "revoked" : ""}">
      <span class="entry">${id} <span class="cycle">cycle ${h.cycle}</span> ${day(h.completedOn)} → ${day(h.validUntil)}</span>${revoked}</li>`;
  });
  return `<div class="small">record: <span class="pill small ${escapeHtml(holding.status)}" data-field="holding">${escapeHtml(holding.status)}</span></div>
    <ol class="history">${items.join("")}</ol>`;
}

/** What the server would do for one certification row: certify, and the reminders. */
function serverActions(actions) {
  if (!actions.length) return '<span class="muted">nothing</span>';
  const items = actions.map((a) => {
    if (a.action === "certify") {
      return `<li data-action="certify" data-cycle="${a.cycle}"><span class="kind certify">certify</span>
        cycle ${a.cycle}, valid until ${day(a.validUntil)}</li>`;
    }
    return `<li data-action="notify" data-key="${escapeHtml(a.key)}" title="${escapeHtml(a.key)}"><span class="kind notify">email</span>
      ${escapeHtml(REMINDERS[a.trigger] ?? a.trigger)} <span class="small">(cycle ${a.cycle}, since ${day(a.on)})</span></li>`;
  });
  return `<ul class="server">${items.join("")}</ul>`;
}

function certificationRow(row, holding, actions) {
  const firstCycle = row.cycle === 1 && !row.completedOn && row.dueDate;
  const due = firstCycle ? `<div class="small">first cycle due ${dateField("dueDate", row.dueDate)}</div>` : "";
  const status = row.status ?? "none";
  const completed = row.completedOn
    ? `completed ${dateField("completedOn", row.completedOn)}`
    : '<span data-field="completedOn" data-value="">no completed cycle</span>';
  return `<tr data-contact="${escapeHtml(row.contact)}" data-certification="${escapeHtml(row.certification)}">
    <td class="who"><div class="name">${escapeHtml(contactName(row.contact))}</div><div class="sub mono">${escapeHtml(row.contact)}</div></td>
    <td><span class="pill ${escapeHtml(status)}" data-field="status">${escapeHtml(status)}</span>
      ${row.cycle ? `<div class="small">cycle <span data-field="cycle">${row.cycle}</span></div>` : ""}</td>
    <td class="dates">${dateField("validUntil", row.validUntil)}<div class="small">${relative(row.validUntil)}</div>
      <div class="small">${completed}</div></td>
    <td class="dates">${dateField("windowOpens", row.windowOpens)}<div class="small">${relative(row.windowOpens)}</div>
      ${row.windowStart ? `<div class="small">results count from ${dateField("windowStart", row.windowStart)}</div>` : ""}${due}</td>
    <td class="dates">${dateField("graceUntil", row.graceUntil)}<div class="small">${relative(row.graceUntil)}</div></td>
    <td class="results">${resultEditors(row)}</td>
    <td data-field="history">${historyList(holding)}</td>
    <td data-field="server">${serverActions(actions)}</td>
  </tr>`;
}

/**
 * The certifications panel: per certification (in the rulebook's order) and person, the row of the
 * answer's `certifications`, the holding of `certificationHoldings` and the certify and reminder
 * actions. A person with a record but no assignment any more still shows, with the history.
 */
function renderCertifications() {
  const answer = state.answer;
  const key = (contact, certification) => `${contact} ${certification}`;
  const rows = new Map((answer?.certifications ?? []).map((r) => [key(r.contact, r.certification), r]));
  const holdings = new Map((answer?.certificationHoldings ?? []).map((h) => [key(h.contact, h.certification), h]));
  for (const h of holdings.values()) {
    const k = key(h.contact, h.certification);
    if (!rows.has(k)) rows.set(k, { contact: h.contact, certification: h.certification, status: null, cycle: null });
  }
  const actions = (answer?.actions ?? []).filter((a) => a.certification);
  const ids = [...new Set([...CERTIFICATIONS.keys(), ...[...rows.values()].map((r) => r.certification)])];
  const head = `<thead><tr><th>Person</th><th>Status</th><th>Valid until</th><th>Renewal window opens</th><th>Grace until</th>
    <th>Results <span class="sub">completed on · grade</span></th><th>History</th><th>The server would</th></tr></thead>`;
  const changed = [];
  const groups = ids.map((id) => {
    const certification = CERTIFICATIONS.get(id);
    const members = [...rows.values()].filter((r) => r.certification === id).sort((a, b) => (a.contact < b.contact ? -1 : 1));
    const body = members.map((row) => {
      const k = key(row.contact, row.certification);
      const fingerprint = `${row.status} ${row.validUntil} ${row.windowOpens} ${holdings.get(k)?.history.length}`;
      if (previousCertifications.has(k) && previousCertifications.get(k) !== fingerprint) changed.push(k);
      previousCertifications.set(k, fingerprint);
      return certificationRow(row, holdings.get(k), actions.filter((a) => a.contact === row.contact && a.certification === id));
    });
    return `<tbody data-group="${escapeHtml(id)}"><tr class="group"><th colspan="8">${escapeHtml(certification?.name ?? id)}
        <div class="rule">${certification ? renewalRule(certification) : "no longer in the rulebook: its records stay on the profile"}</div></th></tr>
      ${body.join("") || '<tr><td colspan="8" class="muted">Nobody is assigned.</td></tr>'}</tbody>`;
  });
  $("certifications").innerHTML = `${head}${groups.join("")}`;
  for (const k of changed) {
    const [contact, certification] = k.split(" ");
    $("certifications").querySelector(`tr[data-contact="${CSS.escape(contact)}"][data-certification="${CSS.escape(certification)}"]`)?.classList.add("changed");
  }
}

// ---------------------------------------------------------------------------------------------
// editing the evidence

function setAttendance(learner, session, value) {
  learner.attendance ??= {};
  if (learner.attendance[session] === value) delete learner.attendance[session]; // click again: not recorded
  else learner.attendance[session] = value;
}

function setNumber(learner, field, text) {
  learner.online ??= {};
  if (text === "") delete learner.online[field];
  else learner.online[field] = Number(text);
  if (field === "progress") {
    // A module finished in the preview counts as completed on the as-of date, unless it already was.
    if ((learner.online.progress ?? 0) >= 100) learner.online.completedOn ??= state.asOf;
    else delete learner.online.completedOn;
  }
}

function setInvoice(learner, status) {
  const original = organisation.evidence.learners.find((l) => l.id === learner.id)?.invoice;
  if (status === "") delete learner.invoice;
  else if (status === "paid") learner.invoice = { status, paidOn: learner.invoice?.paidOn ?? original?.paidOn ?? state.asOf };
  else learner.invoice = { status };
}

function setManual(learner, outcome) {
  const achievement = ruleOf(eventById(learner.event)).achievement;
  learner.results = outcome ? [{ achievement, outcome, on: state.asOf, by: "admin-preview", reason: "set in the preview" }] : [];
}

/** Applies an edit of the roster to the evidence: the learner it changed, or null. */
function onInput(target) {
  const learner = learnerById(target.dataset.learner);
  if (!learner) return null;
  switch (target.dataset.action) {
    case "progress":
    case "score":
      setNumber(learner, target.dataset.action, target.value);
      break;
    case "invoice":
      setInvoice(learner, target.value);
      break;
    case "paid-on":
      if (target.value) learner.invoice = { status: "paid", paidOn: target.value };
      break;
    case "manual":
      setManual(learner, target.value);
      break;
    default:
      return null;
  }
  state.learnerId = learner.id;
  return learner;
}

/** Applies an edit of the certifications panel to the evidence's course results: true if it changed. */
function onCertificationEdit(target) {
  const result = state.evidence.courseResults?.[Number(target.dataset.result)];
  if (!result) return false;
  if (target.dataset.action === "result-date" && target.value) result.completedOn = target.value;
  else if (target.dataset.action === "result-grade" && target.value !== "") result.grade = Number(target.value);
  else return false;
  return true;
}

function wire() {
  $("events").addEventListener("click", (e) => {
    const tab = e.target.closest("[data-event]");
    if (!tab) return;
    state.eventId = tab.dataset.event;
    state.learnerId = learnersOf(state.eventId)[0]?.id;
    buildRoster();
    render();
  });
  $("roster").addEventListener("click", (e) => {
    const button = e.target.closest('button[data-action="attendance"]');
    if (button) {
      const learner = learnerById(button.dataset.learner);
      setAttendance(learner, button.dataset.session, button.dataset.value);
      state.learnerId = button.dataset.learner;
      evaluateNow(learner);
      return;
    }
    if (e.target.closest("input, select, label")) return;
    const row = e.target.closest("tr[data-learner]");
    if (row) {
      state.learnerId = row.dataset.learner;
      updateRoster();
      renderDetail();
    }
  });
  $("roster").addEventListener("input", (e) => {
    const learner = onInput(e.target);
    if (learner) evaluateNow(learner);
  });
  $("actions").addEventListener("click", (e) => {
    const link = e.target.closest("[data-select]");
    if (!link) return;
    const learner = learnerById(link.dataset.select);
    if (!learner) return;
    if (learner.event !== state.eventId) {
      state.eventId = learner.event;
      buildRoster();
    }
    state.learnerId = learner.id;
    render();
  });
  // Course results are not a learner's: an edit reads the whole evidence again (on `change`, so
  // that typing a grade is not interrupted by the re-rendering).
  $("certifications").addEventListener("change", (e) => {
    if (onCertificationEdit(e.target)) evaluateNow();
  });
  $("certifications").addEventListener("click", (e) => {
    const button = e.target.closest('button[data-action="add-result"]');
    if (!button) return;
    state.evidence.courseResults ??= [];
    state.evidence.courseResults.push({ contact: button.dataset.contact, course: button.dataset.course, grade: 100, completedOn: state.asOf });
    evaluateNow();
  });
  for (const button of document.querySelectorAll("[data-scope]")) {
    button.addEventListener("click", () => {
      state.scope = button.dataset.scope;
      renderActions();
    });
  }
  $("as-of").addEventListener("input", (e) => {
    if (!e.target.value) return;
    state.asOf = e.target.value;
    evaluateNow();
  });
  $("reset").addEventListener("click", () => {
    state.evidence = structuredClone(organisation.evidence);
    state.asOf = organisation.asOf;
    $("as-of").value = state.asOf;
    previous = new Map();
    previousCertifications = new Map();
    buildRoster();
    evaluateNow();
  });
}

// ---------------------------------------------------------------------------------------------
// start

try {
  await init(); // fetches ./pkg/laureate_bg.wasm
  rulebook = new Rulebook(organisation.rulebook); // read and indexed once
  $("org-name").textContent = organisation.name;
  $("as-of").value = state.asOf;
  wire();
  buildRoster();
  evaluateNow();
} catch (error) {
  const banner = $("error-banner");
  banner.hidden = false;
  banner.textContent = `The engine could not start: ${error.message}${error.path ? ` (at ${error.path})` : ""}`;
  $("engine-bar").textContent = "Engine not loaded";
  document.body.dataset.ready = "error";
  throw error;
}
