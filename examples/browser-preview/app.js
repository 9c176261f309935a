// Laureate's award preview: the organisation's rulebook is read once into a prepared `Rulebook`
// handle and its evidence into a `Preview`; every change the administrator makes to a learner
// sends that learner and re-evaluates in this page, with the same WebAssembly module the server
// runs. A change of a course result (the certifications panel) reads the evidence again. After
// every evaluation `compare` lists what the evidence changed since the baseline would do.
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
const TRIGGERS = {
  "award-achievement": "award notification",
  ...REMINDERS,
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
  // The rulebook evaluated: the organisation's, with `requireApproval` on the rules of the events
  // switched to "approval required".
  rulebook: structuredClone(organisation.rulebook),
  approval: new Set(), // event ids whose rules require approval
  // What the "This change will…" panel compares the evidence with: as loaded, as reset, or as
  // accepted by the administrator.
  baseline: { evidence: structuredClone(organisation.evidence), since: "since the page loaded" },
  changes: null, // the last `compare` answer's changes
  compareError: null,
  compareElapsed: 0,
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
const events = () => state.rulebook.events;
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

/**
 * The organisation's rulebook with `requireApproval: true` on the rules of every event in
 * `state.approval`. An event without rules of its own gets a copy of its template's (docs/spec.md
 * §5: a replacing event rule is a whole rule, so the copy keeps every other condition).
 */
function rulebookWithApproval() {
  const book = structuredClone(organisation.rulebook);
  for (const event of book.events) {
    if (!state.approval.has(event.id)) continue;
    const inherited = book.courseTemplates.find((t) => t.id === event.template)?.achievements ?? [];
    if (!event.achievements?.rules?.length) event.achievements = { inherit: true, rules: structuredClone(inherited) };
    for (const rule of event.achievements.rules) rule.requireApproval = true;
  }
  return book;
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
  compareNow();
  render();
}

/**
 * `compare` of the baseline evidence with the evidence as it stands, with the rulebook in effect
 * (approval holds included) as of the page's date: what the changes made since the baseline would
 * do. Not while the evidence cannot be evaluated.
 */
function compareNow() {
  if (state.error) {
    state.changes = null;
    state.compareError = state.error;
    return;
  }
  const started = performance.now();
  const answer = rulebook.compare(state.baseline.evidence, state.evidence, state.asOf);
  state.compareElapsed = performance.now() - started;
  state.changes = "ok" in answer ? answer.ok.changes : null;
  state.compareError = "ok" in answer ? null : answer.error;
}

/** Reads the rulebook in effect again (after an event's approval switch) and re-evaluates. */
function prepareRulebook() {
  state.rulebook = rulebookWithApproval();
  const prepared = new Rulebook(state.rulebook);
  rulebook?.free();
  rulebook = prepared;
  preview?.free();
  preview = null;
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
  renderChanges();
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
    `prepared rulebook and evidence · evaluation #${state.evaluations} took ${state.elapsed.toFixed(2)} ms, ` +
    `compare ${state.compareElapsed.toFixed(2)} ms · ` +
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
  if (rule.requireApproval) rules.push("an administrator approves each award");
  if (achievement?.validity) rules.push(`valid ${achievement.validity.amount} ${achievement.validity.unit}`);
  if (achievement?.renewal) rules.push(`renew up to ${achievement.renewal.earlyWindowDays} days early`);
  const format = sequence ? `<span class="rule mono">${escapeHtml(sequence.eventFormat)} · ${sequence.padding} digits</span>` : "";
  $("event").innerHTML = `
    <div>
      <div class="title">${escapeHtml(shown.title)}</div>
      <div class="meta">${day(event.start)} – ${day(event.end)} · ${escapeHtml(shown.room ?? "")} ·
        awards <strong>${escapeHtml(achievement?.name ?? rule.achievement)}</strong></div>
    </div>
    <div class="counts">${statusCounts((state.answer?.outcomes ?? []).filter((o) => o.event === event.id))}
      <label class="switch" title="Sets requireApproval on this event's rules: automatic awards wait for an administrator's approval">
        <input type="checkbox" id="approval" data-event="${escapeHtml(event.id)}" ${state.approval.has(event.id) ? "checked" : ""}>
        <span class="track" aria-hidden="true"></span> Approval required</label></div>
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

/**
 * Waiting for approval alone (or with the invoice): the automatic conditions are met. Approving an
 * outcome whose conditions are still open would be a manual pass overriding them (docs/spec.md
 * §12), so only these get an Approve button.
 */
const awaitsApproval = (o) => o.status === "pending" && o.metOn !== null && o.waitingOn.includes("approval");

function outcomeCell(o) {
  const waiting = o.waitingOn
    .map((w) =>
      w === "approval" && awaitsApproval(o)
        ? `<span class="chip approval">waiting for approval</span><button type="button" class="approve" data-action="approve"
            data-learner="${escapeHtml(o.learner)}" data-achievement="${escapeHtml(o.achievement)}" aria-label="Approve ${escapeHtml(contactName(o.contact))}"
            title="Records a manual pass by admin-preview on the as-of date">Approve</button>`
        : `<span class="chip">${escapeHtml(WAITING[w] ?? w)}</span>`,
    )
    .join("");
  const manual = o.source === "manual" ? '<span class="tag">manual</span>' : "";
  const met = o.status === "pending" && o.metOn ? `<div class="small">met ${day(o.metOn)}</div>` : "";
  // An automatic award whose rule requires approval names the approver (`decidedBy`).
  const approved = o.source === "automatic" && o.decidedBy && o.status !== "failed" ? `<div class="small">approved by ${escapeHtml(o.decidedBy.by ?? "not named")} ${day(o.decidedBy.on)}</div>` : "";
  return `<div><span class="pill ${o.status}" data-status="${o.status}">${o.status}</span>${manual}</div>${met}${approved}<div>${waiting}</div>`;
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

// ---------------------------------------------------------------------------------------------
// "This change will…": compare's changes in plain words

const PATHS = new Map((organisation.rulebook.learningPaths ?? []).map((p) => [p.id, p]));
const SEQUENCES = new Map((organisation.rulebook.sequences ?? []).map((s) => [s.id, s]));
const achievementName = (id) => ACHIEVEMENT_NAMES.get(id) ?? id;
const person = (contact) => `<strong>${escapeHtml(contactName(contact))}</strong>`;
const mono = (text) => `<span class="mono">${escapeHtml(text)}</span>`;
const pill = (status) => `<span class="pill small ${escapeHtml(status ?? "none")}">${escapeHtml(status ?? "none")}</span>`;
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The attributes every entry of the panel carries for the test: what change it shows. */
function changeData(c, action) {
  const data = { kind: c.kind, action: action?.action, contact: c.contact ?? action?.contact, learner: c.learner ?? action?.learner };
  data.identifier = action?.identifier ?? c.after?.identifier ?? undefined;
  data.record = action?.record;
  return Object.entries(data)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `data-${k}="${escapeHtml(v)}"`)
    .join(" ");
}

/** An action added (`added`) or dropped in words. */
function actionWords(a, added) {
  const who = person(a.contact);
  const name = escapeHtml(achievementName(a.achievement));
  switch (a.action) {
    case "issue":
      return added
        ? `Issue ${mono(a.identifier ?? "a record without identifier")} to ${who}: ${name}, valid ${day(a.validFrom)} → ${day(a.expiresOn)}`
        : `No longer issue ${mono(a.identifier ?? "a record")} to ${who} (${name})`;
    case "review-revoke":
      return added
        ? `Propose revoking ${mono(a.record)}, ${who}'s ${name}: it no longer passes (an administrator decides)`
        : `No longer propose revoking ${mono(a.record)}, ${who}'s ${name}`;
    case "certify":
      return `${added ? "Certify" : "No longer certify"} ${who}: ${escapeHtml(certificationName(a.certification))}, cycle ${a.cycle}${added ? `, valid until ${day(a.validUntil)}` : ""}`;
    default:
      return `${added ? "Add" : "Drop"} <span class="mono">${escapeHtml(a.action)}</span> for ${who}`;
  }
}

/** An outcome's change in words: status, waiting, award and expiry dates, the identifier. */
function outcomeWords(c) {
  const b = c.before;
  const a = c.after;
  const where = c.event ? (organisation.display.events[c.event]?.title ?? c.event) : (PATHS.get(c.path)?.title ?? c.path);
  const head = `${person(c.contact)}, ${escapeHtml(achievementName(c.achievement))} <span class="muted">(${escapeHtml(where)})</span>: `;
  if (!b) return `${head}a new outcome, ${pill(a.status)}${a.identifier ? ` ${mono(a.identifier)}` : ""}`;
  if (!a) return `${head}no outcome any more (was ${pill(b.status)})`;
  const facts = [];
  if (b.status !== a.status) facts.push(`${pill(b.status)} → ${pill(a.status)}`);
  if (a.status === "pending" && a.waitingOn.join() !== b.waitingOn.join()) {
    facts.push(a.waitingOn.includes("approval") && a.waitingOn.length === 1 ? "waiting for approval" : `waiting on ${a.waitingOn.map((w) => WAITING[w] ?? w).join(", ")}`);
  }
  if (b.awardedOn !== a.awardedOn) {
    if (a.awardedOn && b.awardedOn) facts.push(`award date moves ${day(b.awardedOn)} → ${day(a.awardedOn)}`);
    else if (a.awardedOn) facts.push(`awarded ${day(a.awardedOn)}`);
  }
  if (b.expiresOn !== a.expiresOn) {
    if (a.expiresOn && b.expiresOn) facts.push(`expiry moves ${day(b.expiresOn)} → ${day(a.expiresOn)}`);
    else if (a.expiresOn) facts.push(`expires ${day(a.expiresOn)}`);
  } else if (b.validFrom !== a.validFrom && a.validFrom && b.validFrom) facts.push(`valid from ${day(b.validFrom)} → ${day(a.validFrom)}`);
  if (b.identifier !== a.identifier) {
    if (a.identifier && b.identifier) facts.push(`certificate number ${mono(b.identifier)} → ${mono(a.identifier)}`);
    else if (a.identifier) facts.push(`certificate ${mono(a.identifier)}`);
    else if (b.status === a.status) facts.push(`no certificate number instead of ${mono(b.identifier)}`);
  }
  return head + (facts.join(", ") || "changes");
}

function pathWords(c) {
  const title = escapeHtml(PATHS.get(c.path)?.title ?? c.path);
  const b = c.before;
  const a = c.after;
  const steps = (v) => `${v.done} of ${v.total} step${v.total === 1 ? "" : "s"}`;
  if (a?.complete && !b?.complete) return `${person(c.contact)}'s path <em>${title}</em> completes (${steps(a)}, ${day(a.completedOn)})`;
  if (b?.complete && !a?.complete) return `${person(c.contact)}'s path <em>${title}</em> is no longer complete${a ? ` (${steps(a)})` : ""}`;
  if (!b || !a) return `${person(c.contact)}'s path <em>${title}</em>: ${b ? steps(b) : "not enrolled"} → ${a ? steps(a) : "not enrolled"}`;
  if (b.completedOn !== a.completedOn) return `${person(c.contact)}'s path <em>${title}</em> completes on ${day(a.completedOn)} instead of ${day(b.completedOn)}`;
  return `${person(c.contact)}'s path <em>${title}</em>: ${steps(b)} → ${steps(a)}`;
}

/** A holding's or certification's status and end date in words. */
function standingWords(c, name) {
  const b = c.before;
  const a = c.after;
  const until = (v) => (v?.validUntil ? ` until ${day(v.validUntil)}` : "");
  if (!b) return `${person(c.contact)} now holds ${name}: ${pill(a.status)}${until(a)}`;
  if (!a) return `${person(c.contact)} no longer holds ${name} (was ${pill(b.status)}${until(b)})`;
  if (b.status === a.status) return `${person(c.contact)}'s ${name}: ${pill(a.status)}, expiry moves ${day(b.validUntil)} → ${day(a.validUntil)}`;
  return `${person(c.contact)}'s ${name}: ${pill(b.status)}${until(b)} → ${pill(a.status)}${until(a)}`;
}

function sequenceWords(c) {
  const name = escapeHtml(SEQUENCES.get(c.sequence)?.name ?? c.sequence);
  const used = (v) => (v ? v.next - v.first : 0);
  const range = (v) => (used(v) === 0 ? "none" : used(v) === 1 ? `number ${v.first}` : `numbers ${v.first}–${v.next - 1}`);
  const n = used(c.after);
  return `Sequence <em>${name}</em>: ${plural(n, "number")} handed out (${range(c.after)}) instead of ${used(c.before)} (${range(c.before)}); next is ${c.after?.next ?? "—"}`;
}

/**
 * The panel: every change of the `compare` answer as one entry in words, but for the `notify`
 * actions, which are counted in one entry (listed in its details). Actions first (what the server
 * would do), then the outcomes, paths, holdings, certifications and sequences as `compare` orders
 * them.
 */
function renderChanges() {
  const changes = state.changes ?? [];
  const isNotify = (c) => (c.kind === "action-added" ? c.after : c.kind === "action-removed" ? c.before : null)?.action === "notify";
  const entry = (c, kind, action, html) =>
    `<li ${changeData(c, action)}><span class="kind change-${escapeHtml(kind)}">${escapeHtml(kind)}</span><div>${html}</div></li>`;
  const items = [];
  // An `issue` dropped and added again for the same learner and achievement with another number
  // is one entry: the certificate is still issued, under the new number.
  const issueKey = (a) => `${a.learner} ${a.event ?? ""} ${a.path ?? ""} ${a.achievement}`;
  const dropped = changes.filter((c) => c.kind === "action-removed" && c.before.action === "issue");
  const moved = new Map();
  for (const c of changes.filter((c) => c.kind === "action-added" && c.after.action === "issue")) {
    const was = dropped.find((d) => issueKey(d.before) === issueKey(c.after) && ![...moved.values()].includes(d));
    if (was) moved.set(c, was);
  }
  const pairedAway = new Set(moved.values());
  for (const c of changes.filter((c) => c.kind === "action-added" && !isNotify(c))) {
    const was = moved.get(c);
    if (was) {
      const words = `Issue ${mono(c.after.identifier ?? "a record")} to ${person(c.after.contact)} instead of ${mono(was.before.identifier ?? "a record")}: an earlier award takes the number`;
      items.push(`<li data-kind="issue-moved" data-learner="${escapeHtml(c.after.learner)}" data-identifier="${escapeHtml(c.after.identifier ?? "")}"
        data-was="${escapeHtml(was.before.identifier ?? "")}"><span class="kind change-renumber">renumber</span><div>${words}</div></li>`);
    } else items.push(entry(c, c.after.action === "review-revoke" ? "review" : c.after.action, c.after, actionWords(c.after, true)));
  }
  for (const c of changes.filter((c) => c.kind === "action-removed" && !isNotify(c) && !pairedAway.has(c))) {
    items.push(entry(c, "withdrawn", c.before, actionWords(c.before, false)));
  }
  const notices = changes.filter(isNotify);
  if (notices.length) {
    const added = notices.filter((c) => c.kind === "action-added").map((c) => c.after);
    const removed = notices.filter((c) => c.kind === "action-removed").map((c) => c.before);
    const line = (a) => `<li>${person(a.contact)}: ${escapeHtml(TRIGGERS[a.trigger] ?? a.trigger)}${a.attachCertificate ? ", certificate attached" : ""}</li>`;
    const words = [added.length ? `Send ${plural(added.length, "notification")}` : "", removed.length ? `${added.length ? "; d" : "D"}rop ${plural(removed.length, "notification")} no longer due` : ""];
    items.push(`<li data-kind="notifications" data-added="${added.length}" data-removed="${removed.length}"><span class="kind change-notify">email</span>
      <div>${words.join("")}:<ul class="notices">${added.map(line).join("")}${removed.map((a) => line(a).replace("<li>", '<li class="dropped">')).join("")}</ul></div></li>`);
  }
  const KINDS = { outcome: ["outcome", outcomeWords], path: ["path", pathWords] };
  for (const c of changes) {
    if (KINDS[c.kind]) items.push(entry(c, KINDS[c.kind][0], null, KINDS[c.kind][1](c)));
    else if (c.kind === "holding") items.push(entry(c, "holding", null, standingWords(c, escapeHtml(achievementName(c.achievement)))));
    else if (c.kind === "certification") items.push(entry(c, "certification", null, standingWords(c, escapeHtml(certificationName(c.certification)))));
    else if (c.kind === "sequence") items.push(entry(c, "sequence", null, sequenceWords(c)));
  }
  const waiting = (state.answer?.outcomes ?? []).filter(awaitsApproval);
  const held = [...state.approval].map((id) => organisation.display.events[id]?.title ?? id);
  $("changes-since").textContent = state.baseline.since;
  $("changes-timing").textContent = state.changes ? `compare took ${state.compareElapsed.toFixed(2)} ms` : "";
  $("accept-baseline").disabled = !changes.length;
  $("approval-note").hidden = !held.length;
  $("approval-note").innerHTML = held.length
    ? `Approval required for ${held.map(escapeHtml).join(", ")}: <strong data-field="waiting">${plural(waiting.length, "learner")}</strong> waiting for approval` +
      `${waiting.length ? ` (${waiting.map((o) => escapeHtml(contactName(o.contact))).join(", ")})` : ""}.`
    : "";
  $("changes").dataset.count = String(changes.length);
  $("changes").innerHTML = state.compareError
    ? `<li class="empty">The changed evidence cannot be evaluated (<code>${escapeHtml(state.compareError.code)}</code> at <code>${escapeHtml(state.compareError.path || "/")}</code>): fix it to see what it would do.</li>`
    : items.join("") || `<li class="empty">Nothing: the evidence is as it was ${escapeHtml(state.baseline.since.replace(/^since /, "when "))}.</li>`;
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

/** An administrator's approval: a manual `pass` by `admin-preview` on the as-of date. */
function approve(learner, achievement) {
  learner.results = [...(learner.results ?? []), { achievement, outcome: "pass", on: state.asOf, by: "admin-preview", reason: "approved in the preview" }];
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
    const approval = e.target.closest('button[data-action="approve"]');
    if (approval) {
      const learner = learnerById(approval.dataset.learner);
      approve(learner, approval.dataset.achievement);
      state.learnerId = learner.id;
      evaluateNow(learner);
      return;
    }
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
  $("event").addEventListener("change", (e) => {
    if (e.target.id !== "approval") return;
    if (e.target.checked) state.approval.add(e.target.dataset.event);
    else state.approval.delete(e.target.dataset.event);
    prepareRulebook();
    evaluateNow();
  });
  $("accept-baseline").addEventListener("click", () => {
    const now = new Date();
    const time = `${String(now.getHours()).padStart(2, "0")}:${String(now.getMinutes()).padStart(2, "0")}`;
    state.baseline = { evidence: structuredClone(state.evidence), since: `since the changes accepted at ${time}` };
    compareNow();
    render();
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
    state.baseline = { evidence: structuredClone(organisation.evidence), since: "since the reset" };
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
  prepareRulebook(); // read and indexed once, and again when an event's approval is switched
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
