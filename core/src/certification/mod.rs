//! Certifications (spec.md §7): assignment windows with grace periods, course requirements and
//! renewal cycles.

mod renewal;

use alloc::vec::Vec;

use crate::calendar::Date;
use crate::wire::answer::{
    CertificationHoldingStatus, CertificationProgress, CertificationStatus, CertifiedEntry, Requirement,
};
use crate::wire::evidence::CourseResult;
use crate::wire::rulebook::Certification;

pub use renewal::{problems, Renewal};

/// What a contact's assignment gives a certification's row: the earliest window start, and that
/// assignment's due date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assigned {
    pub window_start: Option<Date>,
    pub due_date: Option<Date>,
}

/// A completed cycle: its number, completion date and `validUntil`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cycle {
    pub number: u32,
    pub completed_on: Date,
    pub valid_until: Option<Date>,
}

/// A certification judged for one contact: its row, and every cycle completed up to `asOf`
/// (revoked ones left out).
pub struct Judged<'a> {
    pub row: CertificationProgress<'a>,
    pub cycles: Vec<Cycle>,
}

/// Evaluates `certification` for `contact`, whose assignment (the earliest window start) gives
/// `window_start` and `due_date`; `results` are the contact's course results, `revoked` the
/// (completedOn, revoked on) of the contact's certified records of it revoked by `asOf`.
pub fn evaluate<'a>(
    certification: &'a Certification,
    contact: &'a str,
    assigned: Assigned,
    can_complete: bool,
    results: &[&CourseResult],
    revoked: &[(Date, Date)],
    as_of: Date,
) -> Judged<'a> {
    let mut row = CertificationProgress {
        contact,
        certification: &certification.id,
        visible: !certification.invisible.unwrap_or(false),
        status: CertificationStatus::NotStarted,
        cycle: 1,
        window_start: assigned.window_start,
        completed_on: None,
        valid_until: None,
        window_opens: None,
        grace_until: None,
        due_date: assigned.due_date,
        requirements: Vec::new(),
    };
    let mut cycles = Vec::new();
    if !certification.published.unwrap_or(true) {
        row.status = CertificationStatus::Unpublished;
        return Judged { row, cycles };
    }
    let renewal = Renewal::of(certification);
    let mut window = assigned.window_start;
    // The `validUntil` of the latest completed cycle, once the row reports the cycle after it.
    let mut previous: Option<Date> = None;
    // The status of the row while the cycle it reports is not complete (`None`: a first cycle).
    let mut judging: Option<CertificationStatus> = None;
    loop {
        let requirements = requirements(certification, window, results, as_of);
        let completed = can_complete && requirements.iter().all(|r| r.met);
        let completed_on = if completed { requirements.iter().filter_map(|r| r.met_on).max() } else { None };
        let Some(done) = completed_on else {
            row.status = judging.unwrap_or_else(|| first_cycle_status(&row, &requirements, as_of));
            row.requirements = requirements;
            let holds = matches!(
                row.status,
                CertificationStatus::RenewalDue | CertificationStatus::Grace | CertificationStatus::Revoked
            );
            if certification.retired.unwrap_or(false) && !holds {
                row.status = CertificationStatus::Retired;
            }
            return Judged { row, cycles };
        };
        row.requirements = requirements;
        if let Some(&(_, revoked_on)) = revoked.iter().find(|(completed_on, _)| *completed_on == done) {
            // The revocation resets the certification: a first cycle again, numbered after the
            // revoked one, from results dated after the revocation (and after its completion).
            row.status = CertificationStatus::Revoked;
            row.cycle += 1;
            (row.completed_on, row.valid_until, row.window_opens, row.grace_until) = (None, None, None, None);
            window = done.max(revoked_on).add_days(1);
            row.window_start = window;
            (previous, judging) = (None, Some(CertificationStatus::Revoked));
            if window.is_none() {
                return Judged { row, cycles };
            }
            continue;
        }
        let valid_until = renewal.and_then(|r| r.valid_until(previous, done));
        cycles.push(Cycle { number: row.cycle, completed_on: done, valid_until });
        row.completed_on = Some(done);
        row.valid_until = valid_until;
        row.window_start = window;
        row.status = CertificationStatus::Completed;
        (row.window_opens, row.grace_until) = (None, None);
        // One-time, or a validUntil past 9999-12-31: done.
        let (Some(renewal), Some(until)) = (renewal, valid_until) else { return Judged { row, cycles } };
        row.window_opens = renewal.window_opens(until);
        row.grace_until = renewal.grace_until(until);
        // The next cycle is judged once its window opens (without a window: once this one lapses).
        if as_of < row.window_opens.unwrap_or(until) {
            return Judged { row, cycles };
        }
        row.cycle += 1;
        let after = done.add_days(1);
        window = match (after, row.window_opens) {
            (Some(after), Some(opens)) => Some(after.max(opens)),
            (after, _) => after,
        };
        row.window_start = window;
        judging = Some(if as_of < until {
            CertificationStatus::RenewalDue
        } else if renewal.in_grace(until, as_of) {
            CertificationStatus::Grace
        } else {
            CertificationStatus::Expired
        });
        row.status = judging.unwrap_or(CertificationStatus::Expired);
        previous = Some(until);
        if window.is_none() {
            return Judged { row, cycles };
        }
    }
}

/// The status of a first cycle that is not complete: `overdue` past the row's due date, else
/// `in-progress` with a requirement met, else `not-started`.
fn first_cycle_status(row: &CertificationProgress, requirements: &[Requirement], as_of: Date) -> CertificationStatus {
    if row.due_date.is_some_and(|due| due < as_of) {
        CertificationStatus::Overdue
    } else if requirements.iter().any(|r| r.met) {
        CertificationStatus::InProgress
    } else {
        CertificationStatus::NotStarted
    }
}

fn requirements<'a>(
    certification: &'a Certification,
    window: Option<Date>,
    results: &[&CourseResult],
    as_of: Date,
) -> Vec<Requirement<'a>> {
    certification
        .courses
        .iter()
        .map(|course| {
            let in_window = results.iter().filter(|r| {
                &r.course == course && window.is_some_and(|w| w <= r.completed_on) && r.completed_on <= as_of
            });
            let mut best_grade = None;
            let mut met_on: Option<Date> = None;
            for result in in_window {
                if best_grade.is_none_or(|best| result.grade > best) {
                    best_grade = Some(result.grade);
                }
                if result.grade >= certification.minimum_grade {
                    met_on = Some(met_on.map_or(result.completed_on, |d| d.min(result.completed_on)));
                }
            }
            Requirement { course, met: met_on.is_some(), best_grade, met_on }
        })
        .collect()
}

/// A certification holding's status (spec.md §7, Recertification records): `certified` when a
/// record that is not revoked covers `asOf`, `grace` within `lateGraceDays` after the latest such
/// record's `validUntil`, `revoked` when every record is revoked, else `expired`.
pub fn holding_status(
    history: &[CertifiedEntry],
    late_grace_days: Option<u32>,
    as_of: Date,
) -> CertificationHoldingStatus {
    let mut live = history.iter().filter(|r| r.revoked.is_none()).peekable();
    if live.peek().is_none() {
        return CertificationHoldingStatus::Revoked;
    }
    let mut latest: Option<&CertifiedEntry> = None;
    for record in live {
        if record.completed_on <= as_of && record.valid_until.is_none_or(|until| as_of < until) {
            return CertificationHoldingStatus::Certified;
        }
        latest = Some(record);
    }
    let in_grace = latest.and_then(|r| r.valid_until).is_some_and(|until| {
        until <= as_of && late_grace_days.is_some_and(|g| until.add_days(u64::from(g)).is_none_or(|end| as_of < end))
    });
    if in_grace {
        CertificationHoldingStatus::Grace
    } else {
        CertificationHoldingStatus::Expired
    }
}
