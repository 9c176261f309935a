//! Event passing rules (spec.md §5, rules 1–6): manual results, manual-only rules, attendance,
//! online completion, blended delivery and the invoice gate.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;

use crate::calendar::Date;
use crate::rulebook::{EffectiveRule, PreparedEvent};
use crate::wire::answer::{Source, Status, TraceEntry, WaitingOn, WaitingOnSet};
use crate::wire::evidence::{Attendance, InvoiceStatus, Learner, ManualResult, ResultOutcome};
use crate::wire::rulebook::Delivery;
use crate::wire::scalar::text;

/// What the passing rules decided for one learner and one achievement.
#[derive(Clone, Debug)]
pub struct Decision<'l> {
    pub status: Status,
    pub source: Source,
    pub met_on: Option<Date>,
    pub awarded_on: Option<Date>,
    pub waiting_on: WaitingOnSet,
    pub trace: Vec<TraceEntry>,
    /// The manual result that decided, when one did (spec.md §12, Passing: `decidedBy`).
    pub decided_by: Option<&'l ManualResult>,
}

/// The state of one part of a rule (attendance, online completion, a manual result).
enum Part {
    Met(Date),
    Pending(WaitingOnSet),
    Failed,
}

/// Records the checks made, when the request asked for a trace.
struct Trace {
    on: bool,
    entries: Vec<TraceEntry>,
}

impl Trace {
    fn check(
        &mut self,
        check: &'static str,
        required: impl FnOnce() -> String,
        observed: impl FnOnce() -> String,
        ok: bool,
    ) {
        if self.on {
            self.entries.push(TraceEntry { check, required: required(), observed: observed(), ok });
        }
    }
}

/// A learner's marks for the required sessions of an event that were held by `as_of`: the
/// same for every rule of the event.
#[derive(Clone, Copy, Debug, Default)]
pub struct Marks {
    /// Absent or excused.
    pub absences: u64,
    /// Any mark.
    pub recorded: usize,
}

/// The marks of `learner` at `event`, with each session of their attendance that the event
/// does not have passed to `unknown`. Both lists are in id order, so they are walked together
/// once (a session dated after `as_of` has not happened yet: its mark does not count).
pub fn marks<'l>(event: &PreparedEvent, learner: &'l Learner, as_of: Date, unknown: &mut dyn FnMut(&'l str)) -> Marks {
    let mut marks = Marks::default();
    let mut attendance = learner.attendance.iter().peekable();
    // Whether the mark at the head of `attendance` belongs to a session seen already (a session
    // id may repeat): it is then passed over without a report.
    let mut head_matched = false;
    for (id, required) in &event.sessions_by_id {
        let mut mark = None;
        while let Some((session, value)) = attendance.peek() {
            match crate::ranks::compare_ids(session, id) {
                Ordering::Less => {
                    if !head_matched {
                        unknown(session);
                    }
                    attendance.next();
                    head_matched = false;
                }
                Ordering::Equal => {
                    mark = **value;
                    head_matched = true;
                    break;
                }
                Ordering::Greater => break,
            }
        }
        let Some(date) = required else { continue };
        match mark.filter(|_| *date <= as_of) {
            Some(Attendance::Absent | Attendance::Excused) => {
                marks.absences += 1;
                marks.recorded += 1;
            }
            Some(Attendance::Present) => marks.recorded += 1,
            None => {}
        }
    }
    for (session, _) in attendance {
        if !head_matched {
            unknown(session);
        }
        head_matched = false;
    }
    marks
}

/// Decides one rule for one learner of `event`, as known on `as_of`.
pub fn decide<'l>(
    rule: &EffectiveRule,
    event: &PreparedEvent,
    event_end: Date,
    learner: &'l Learner,
    marks: Marks,
    as_of: Date,
    trace: bool,
) -> Decision<'l> {
    let mut trace = Trace { on: trace, entries: Vec::new() };
    let manual = learner.results.iter().rfind(|r| r.achievement == rule.achievement && r.on <= as_of);
    let manual_only = !rule.auto_pass || event.delivery == Some(Delivery::External);
    // The approval hold (spec.md §5 rule 6): the automatic conditions are checked first, unless
    // the last manual result is a fail (which fails, as rule 1) or the rule is manual-only.
    let held = rule.require_approval && !manual_only && manual.is_none_or(|r| r.outcome == ResultOutcome::Pass);
    // Under the hold: `Some(the approval's date)` once approved, `Some(None)` while waiting.
    let mut approval = None;
    let (part, source) = if held {
        match (automatic(rule, event, event_end, learner, marks, as_of, &mut trace), manual) {
            (Part::Met(met), _) => {
                approval = Some(manual.map(|r| r.on));
                (Part::Met(met), Source::Automatic)
            }
            // A pass over unmet conditions is the manual override of rule 1.
            (_, Some(result)) => (manual_result(result, &mut trace), Source::Manual),
            (part, None) => {
                if matches!(part, Part::Pending(_)) {
                    approval = Some(None);
                }
                (part, Source::Automatic)
            }
        }
    } else if let Some(result) = manual {
        (manual_result(result, &mut trace), Source::Manual)
    } else if manual_only {
        trace.check("manual.result", || "pass".into(), || "none".into(), false);
        (Part::Pending(WaitingOnSet::of(WaitingOn::ManualResult)), Source::Manual)
    } else {
        (automatic(rule, event, event_end, learner, marks, as_of, &mut trace), Source::Automatic)
    };
    let gate = invoice_gate(rule, learner, as_of, &mut trace);
    if let Some(approved) = approval {
        trace.check(
            "approval.given",
            || "a manual pass".into(),
            || approved.map_or("none".into(), |on| format!("pass on {on}")),
            approved.is_some(),
        );
        if let (Some(result), true) = (manual, trace.on) {
            decided_by_check(result, &mut trace);
        }
    }
    let (status, met_on, awarded_on, waiting_on) = match part {
        Part::Failed => (Status::Failed, None, None, WaitingOnSet::EMPTY),
        Part::Pending(mut waiting_on) => {
            if gate == Gate::Closed {
                waiting_on.insert(WaitingOn::Invoice);
            }
            if approval.is_some() {
                waiting_on.insert(WaitingOn::Approval);
            }
            (Status::Pending, None, None, waiting_on)
        }
        Part::Met(met) => {
            let mut waiting_on = WaitingOnSet::EMPTY;
            let mut on = met;
            match gate {
                Gate::Open(paid_on) => on = paid_on.map_or(on, |paid| paid.max(on)),
                Gate::Closed => waiting_on.insert(WaitingOn::Invoice),
            }
            match approval {
                Some(Some(approved)) => on = on.max(approved),
                Some(None) => waiting_on.insert(WaitingOn::Approval),
                None => {}
            }
            if waiting_on.is_empty() {
                (Status::Awarded, Some(met), Some(on), waiting_on)
            } else {
                (Status::Pending, Some(met), None, waiting_on)
            }
        }
    };
    Decision { status, source, met_on, awarded_on, waiting_on, trace: trace.entries, decided_by: manual }
}

/// Rule 1: the last manual result decides, met on its date or failed.
fn manual_result(result: &ManualResult, trace: &mut Trace) -> Part {
    let pass = result.outcome == ResultOutcome::Pass;
    trace.check(
        "manual.result",
        || "pass".into(),
        || format!("{} on {}", if pass { "pass" } else { "fail" }, result.on),
        pass,
    );
    if trace.on {
        decided_by_check(result, trace);
    }
    if pass {
        Part::Met(result.on)
    } else {
        Part::Failed
    }
}

/// The trace's `manual.decided-by`, after the manual result (or the approval) it names.
fn decided_by_check(result: &ManualResult, trace: &mut Trace) {
    let entry = TraceEntry {
        check: "manual.decided-by",
        required: "a recorded decision".into(),
        observed: decided_by_text(result),
        ok: true,
    };
    trace.entries.push(entry);
}

/// Rules 3–5: the automatic conditions of the event's delivery.
fn automatic(
    rule: &EffectiveRule,
    event: &PreparedEvent,
    event_end: Date,
    learner: &Learner,
    marks: Marks,
    as_of: Date,
    trace: &mut Trace,
) -> Part {
    match event.delivery {
        Some(Delivery::Classroom | Delivery::Virtual) => attendance(rule, event, event_end, marks, trace),
        Some(Delivery::SelfPaced) => online(rule, learner, as_of, trace),
        Some(Delivery::Blended) => {
            let a = attendance(rule, event, event_end, marks, trace);
            let o = online(rule, learner, as_of, trace);
            both(a, o)
        }
        // An event without a template has no delivery and no rules; nothing reaches here.
        Some(Delivery::External) | None => Part::Pending(WaitingOnSet::of(WaitingOn::ManualResult)),
    }
}

/// The trace's account of who decided a manual result: `admin-7 (practical re-assessed)`,
/// `not named` and `no reason given` standing for absent members.
fn decided_by_text(result: &ManualResult) -> String {
    let mut text = String::from(result.by.as_deref().unwrap_or("not named"));
    text.push_str(" (");
    text.push_str(result.reason.as_deref().unwrap_or("no reason given"));
    text.push(')');
    text
}

fn attendance(rule: &EffectiveRule, event: &PreparedEvent, event_end: Date, marks: Marks, trace: &mut Trace) -> Part {
    let Marks { absences, recorded } = marks;
    let total = event.required_count;
    let absences_ok = absences <= u64::from(rule.max_absences);
    trace.check("attendance.absences", || format!("<= {}", rule.max_absences), || text(absences), absences_ok);
    if !absences_ok {
        return Part::Failed;
    }
    trace.check(
        "attendance.recorded",
        || format!("{total} of {total} required sessions"),
        || format!("{recorded} of {total}"),
        recorded == total,
    );
    if recorded < total {
        return Part::Pending(WaitingOnSet::of(WaitingOn::Attendance));
    }
    Part::Met(event.last_required.unwrap_or(event_end))
}

fn online(rule: &EffectiveRule, learner: &Learner, as_of: Date, trace: &mut Trace) -> Part {
    let Some(online) = &learner.online else {
        trace.check("online.progress", || format!(">= {}", rule.min_progress), || "none".into(), false);
        return Part::Pending(WaitingOnSet::of(WaitingOn::OnlineCompletion));
    };
    let progress = online.progress.unwrap_or(crate::wire::scalar::Percent(0.0));
    let progress_ok = progress >= rule.min_progress;
    trace.check("online.progress", || format!(">= {}", rule.min_progress), || text(progress), progress_ok);
    if !progress_ok {
        return Part::Pending(WaitingOnSet::of(WaitingOn::OnlineCompletion));
    }
    let mut waiting_on = WaitingOnSet::EMPTY;
    if let Some(min_score) = rule.min_score {
        match online.score {
            None => {
                trace.check("online.score", || format!(">= {min_score}"), || "none".into(), false);
                waiting_on.insert(WaitingOn::Score);
            }
            Some(score) => {
                let ok = score >= min_score;
                trace.check("online.score", || format!(">= {min_score}"), || text(score), ok);
                if !ok {
                    return Part::Failed;
                }
            }
        }
    }
    let completed_on = online.completed_on.filter(|d| *d <= as_of);
    trace.check(
        "online.completed",
        || "a completion date".into(),
        || completed_on.map_or("none".into(), text),
        completed_on.is_some(),
    );
    match completed_on {
        Some(date) if waiting_on.is_empty() => Part::Met(date),
        Some(_) => Part::Pending(waiting_on),
        None => {
            waiting_on.insert(WaitingOn::OnlineCompletion);
            Part::Pending(waiting_on)
        }
    }
}

/// Blended delivery: failed if either part failed, pending if either is pending, else met on
/// the later date.
fn both(a: Part, b: Part) -> Part {
    match (a, b) {
        (Part::Failed, _) | (_, Part::Failed) => Part::Failed,
        (Part::Pending(x), Part::Pending(y)) => Part::Pending(x.union(y)),
        (Part::Pending(x), Part::Met(_)) | (Part::Met(_), Part::Pending(x)) => Part::Pending(x),
        (Part::Met(x), Part::Met(y)) => Part::Met(x.max(y)),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Gate {
    /// Passes; with the payment date when one counts.
    Open(Option<Date>),
    Closed,
}

fn invoice_gate(rule: &EffectiveRule, learner: &Learner, as_of: Date, trace: &mut Trace) -> Gate {
    if !rule.require_invoice_paid {
        return Gate::Open(None);
    }
    let gate = match &learner.invoice {
        Some(invoice) => match (invoice.status, invoice.paid_on) {
            (InvoiceStatus::Paid, Some(paid_on)) if paid_on <= as_of => Gate::Open(Some(paid_on)),
            (InvoiceStatus::None, _) => Gate::Open(None),
            _ => Gate::Closed,
        },
        None => Gate::Closed,
    };
    trace.check(
        "invoice.paid",
        || "paid, or nothing to pay".into(),
        || match &learner.invoice {
            Some(invoice) => match (invoice.status, invoice.paid_on) {
                (InvoiceStatus::Paid, Some(paid_on)) if paid_on <= as_of => format!("paid on {paid_on}"),
                (InvoiceStatus::Paid, _) => "not paid yet".into(),
                (InvoiceStatus::Unpaid, _) => "unpaid".into(),
                (InvoiceStatus::None, _) => "nothing to pay".into(),
            },
            None => "no invoice".into(),
        },
        gate != Gate::Closed,
    );
    gate
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a panic is a failed test")]

    use super::*;
    use alloc::collections::{BTreeMap, BTreeSet};
    use alloc::string::ToString;
    use proptest::prelude::*;

    fn day(n: u64) -> Date {
        Date::from_ymd(2026, 1, 1).unwrap().add_days(n).unwrap()
    }

    fn mark(n: u8) -> Option<Attendance> {
        match n % 4 {
            0 => None,
            1 => Some(Attendance::Present),
            2 => Some(Attendance::Absent),
            _ => Some(Attendance::Excused),
        }
    }

    proptest! {
        /// Sessions with repeated ids, optional or not, held before or after `asOf`, and
        /// attendance for sessions the event has or not: the counts of a lookup per required
        /// session (as the rules read) and the unknown sessions of a lookup per mark.
        #[test]
        fn marks_walked_together_are_marks_looked_up(
            sessions in proptest::collection::vec((0u8..5, any::<bool>(), 0u64..6), 0..7),
            attendance in proptest::collection::btree_map(0u8..7, any::<u8>(), 0..7),
            as_of in 0u64..6,
        ) {
            let sessions: Vec<(String, bool, Date)> =
                sessions.iter().map(|&(id, optional, date)| (alloc::format!("s{id}"), optional, day(date))).collect();
            let mut sessions_by_id: Vec<(String, Option<Date>)> =
                sessions.iter().map(|(id, optional, date)| (id.clone(), (!optional).then_some(*date))).collect();
            crate::order::sort_by(&mut sessions_by_id, |a, b| a.0.cmp(&b.0));
            let required_sessions: Vec<(String, Date)> =
                sessions.iter().filter(|s| !s.1).map(|(id, _, date)| (id.clone(), *date)).collect();
            let event = PreparedEvent {
                index: 0,
                template: None,
                delivery: None,
                course_code: None,
                rules: Vec::new(),
                last_required: None,
                required_count: required_sessions.len(),
                sessions_by_id,
            };
            let attendance: BTreeMap<String, Option<Attendance>> =
                attendance.iter().map(|(id, m)| (alloc::format!("s{id}"), mark(*m))).collect();
            let learner = Learner {
                id: "L".to_string(),
                contact: "k".to_string(),
                account: None,
                event: "e".to_string(),
                invoice: None,
                attendance,
                online: None,
                results: Vec::new(),
            };
            let mut unknown = Vec::new();
            let marks = marks(&event, &learner, day(as_of), &mut |s| unknown.push(s.to_string()));

            let (mut absences, mut recorded) = (0, 0);
            for (id, date) in &required_sessions {
                let mark = if *date > day(as_of) { None } else { learner.attendance.get(id).copied().flatten() };
                match mark {
                    Some(Attendance::Absent | Attendance::Excused) => { absences += 1; recorded += 1; }
                    Some(Attendance::Present) => recorded += 1,
                    None => {}
                }
            }
            let ids: BTreeSet<&String> = sessions.iter().map(|s| &s.0).collect();
            let expected: Vec<String> = learner.attendance.keys().filter(|s| !ids.contains(s)).cloned().collect();
            prop_assert_eq!((marks.absences, marks.recorded), (absences, recorded));
            prop_assert_eq!(unknown, expected);
        }
    }
}
