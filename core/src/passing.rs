//! Event passing rules (SPEC §5, rules 1–6): manual results, manual-only rules, attendance,
//! online completion, blended delivery and the invoice gate.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::calendar::Date;
use crate::rulebook::{EffectiveRule, PreparedEvent};
use crate::wire::answer::{Source, Status, TraceEntry, WaitingOn};
use crate::wire::evidence::{Attendance, InvoiceStatus, Learner, ResultOutcome};
use crate::wire::rulebook::Delivery;
use crate::wire::scalar::text;

/// What the passing rules decided for one learner and one achievement.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub status: Status,
    pub source: Source,
    pub met_on: Option<Date>,
    pub awarded_on: Option<Date>,
    pub waiting_on: Vec<WaitingOn>,
    pub trace: Vec<TraceEntry>,
}

/// The state of one part of a rule (attendance, online completion, a manual result).
enum Part {
    Met(Date),
    Pending(Vec<WaitingOn>),
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

/// Decides one rule for one learner of `event`, as known on `as_of`.
pub fn decide(
    rule: &EffectiveRule,
    event: &PreparedEvent,
    event_end: Date,
    learner: &Learner,
    as_of: Date,
    trace: bool,
) -> Decision {
    let mut trace = Trace { on: trace, entries: Vec::new() };
    let manual = learner.results.iter().rfind(|r| r.achievement == rule.achievement && r.on <= as_of);
    let (part, source) = if let Some(result) = manual {
        let pass = result.outcome == ResultOutcome::Pass;
        trace.check(
            "manual.result",
            || "pass".into(),
            || format!("{} on {}", if pass { "pass" } else { "fail" }, result.on),
            pass,
        );
        (if pass { Part::Met(result.on) } else { Part::Failed }, Source::Manual)
    } else if !rule.auto_pass || event.delivery == Some(Delivery::External) {
        trace.check("manual.result", || "pass".into(), || "none".into(), false);
        (Part::Pending(alloc::vec![WaitingOn::ManualResult]), Source::Manual)
    } else {
        let part = match event.delivery {
            Some(Delivery::Classroom | Delivery::Virtual) => {
                attendance(rule, event, event_end, learner, as_of, &mut trace)
            }
            Some(Delivery::SelfPaced) => online(rule, learner, as_of, &mut trace),
            Some(Delivery::Blended) => {
                let a = attendance(rule, event, event_end, learner, as_of, &mut trace);
                let o = online(rule, learner, as_of, &mut trace);
                both(a, o)
            }
            // An event without a template has no delivery and no rules; nothing reaches here.
            Some(Delivery::External) | None => Part::Pending(alloc::vec![WaitingOn::ManualResult]),
        };
        (part, Source::Automatic)
    };
    let gate = invoice_gate(rule, learner, as_of, &mut trace);
    let mut decision = match part {
        Part::Failed => Decision {
            status: Status::Failed,
            source,
            met_on: None,
            awarded_on: None,
            waiting_on: Vec::new(),
            trace: Vec::new(),
        },
        Part::Pending(mut waiting_on) => {
            if gate == Gate::Closed {
                waiting_on.push(WaitingOn::Invoice);
            }
            crate::order::sort(&mut waiting_on);
            waiting_on.dedup();
            Decision { status: Status::Pending, source, met_on: None, awarded_on: None, waiting_on, trace: Vec::new() }
        }
        Part::Met(met) => match gate {
            Gate::Open(paid_on) => Decision {
                status: Status::Awarded,
                source,
                met_on: Some(met),
                awarded_on: Some(paid_on.map_or(met, |paid| paid.max(met))),
                waiting_on: Vec::new(),
                trace: Vec::new(),
            },
            Gate::Closed => Decision {
                status: Status::Pending,
                source,
                met_on: Some(met),
                awarded_on: None,
                waiting_on: alloc::vec![WaitingOn::Invoice],
                trace: Vec::new(),
            },
        },
    };
    decision.trace = trace.entries;
    decision
}

fn attendance(
    rule: &EffectiveRule,
    event: &PreparedEvent,
    event_end: Date,
    learner: &Learner,
    as_of: Date,
    trace: &mut Trace,
) -> Part {
    let mut absences: u64 = 0;
    let mut recorded: usize = 0;
    for (id, date) in &event.required_sessions {
        // A session dated after `as_of` has not happened yet: not recorded.
        let mark = if *date > as_of { None } else { learner.attendance.get(id).copied().flatten() };
        match mark {
            Some(Attendance::Absent | Attendance::Excused) => {
                absences += 1;
                recorded += 1;
            }
            Some(Attendance::Present) => recorded += 1,
            None => {}
        }
    }
    let total = event.required_sessions.len();
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
        return Part::Pending(alloc::vec![WaitingOn::Attendance]);
    }
    Part::Met(event.last_required.unwrap_or(event_end))
}

fn online(rule: &EffectiveRule, learner: &Learner, as_of: Date, trace: &mut Trace) -> Part {
    let Some(online) = &learner.online else {
        trace.check("online.progress", || format!(">= {}", rule.min_progress), || "none".into(), false);
        return Part::Pending(alloc::vec![WaitingOn::OnlineCompletion]);
    };
    let progress = online.progress.unwrap_or(crate::wire::scalar::Percent(0.0));
    let progress_ok = progress >= rule.min_progress;
    trace.check("online.progress", || format!(">= {}", rule.min_progress), || text(progress), progress_ok);
    if !progress_ok {
        return Part::Pending(alloc::vec![WaitingOn::OnlineCompletion]);
    }
    let mut waiting_on = Vec::new();
    if let Some(min_score) = rule.min_score {
        match online.score {
            None => {
                trace.check("online.score", || format!(">= {min_score}"), || "none".into(), false);
                waiting_on.push(WaitingOn::Score);
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
            waiting_on.push(WaitingOn::OnlineCompletion);
            Part::Pending(waiting_on)
        }
    }
}

/// Blended delivery: failed if either part failed, pending if either is pending, else met on
/// the later date.
fn both(a: Part, b: Part) -> Part {
    match (a, b) {
        (Part::Failed, _) | (_, Part::Failed) => Part::Failed,
        (Part::Pending(mut x), Part::Pending(y)) => {
            x.extend(y);
            Part::Pending(x)
        }
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
