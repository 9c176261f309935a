//! Certifications (spec.md §7): assignment windows with grace periods, course requirements and
//! renewal cycles.

mod renewal;

use alloc::vec::Vec;

use crate::calendar::Date;
use crate::wire::answer::{CertificationProgress, CertificationStatus, Requirement};
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

/// Evaluates `certification` for `contact`, whose assignment (the earliest window start) gives
/// `window_start` and `due_date`; `results` are the contact's course results.
pub fn evaluate<'a>(
    certification: &'a Certification,
    contact: &'a str,
    assigned: Assigned,
    can_complete: bool,
    results: &[&CourseResult],
    as_of: Date,
) -> CertificationProgress<'a> {
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
    if !certification.published.unwrap_or(true) {
        row.status = CertificationStatus::Unpublished;
        return row;
    }
    let renewal = Renewal::of(certification);
    let mut window = assigned.window_start;
    // The `validUntil` of the latest completed cycle, once the row reports the cycle after it.
    let mut previous: Option<Date> = None;
    loop {
        let requirements = requirements(certification, window, results, as_of);
        let completed = can_complete && requirements.iter().all(|r| r.met);
        let completed_on = if completed { requirements.iter().filter_map(|r| r.met_on).max() } else { None };
        let Some(done) = completed_on else {
            let some_met = requirements.iter().any(|r| r.met);
            row.requirements = requirements;
            if previous.is_none() {
                row.status = if row.due_date.is_some_and(|due| due < as_of) {
                    CertificationStatus::Overdue
                } else if some_met {
                    CertificationStatus::InProgress
                } else {
                    CertificationStatus::NotStarted
                };
            }
            let ongoing = matches!(row.status, CertificationStatus::RenewalDue | CertificationStatus::Grace);
            if certification.retired.unwrap_or(false) && !ongoing {
                row.status = CertificationStatus::Retired;
            }
            return row;
        };
        let valid_until = renewal.and_then(|r| r.valid_until(previous, done));
        row.completed_on = Some(done);
        row.valid_until = valid_until;
        row.window_start = window;
        row.requirements = requirements;
        row.status = CertificationStatus::Completed;
        // One-time, or a validUntil past 9999-12-31: done.
        let (Some(renewal), Some(until)) = (renewal, valid_until) else { return row };
        row.window_opens = renewal.window_opens(until);
        row.grace_until = renewal.grace_until(until);
        // The next cycle is judged once its window opens (without a window: once this one lapses).
        if as_of < row.window_opens.unwrap_or(until) {
            return row;
        }
        row.cycle += 1;
        let after = done.add_days(1);
        window = match (after, row.window_opens) {
            (Some(after), Some(opens)) => Some(after.max(opens)),
            (after, _) => after,
        };
        row.window_start = window;
        row.status = if as_of < until {
            CertificationStatus::RenewalDue
        } else if renewal.in_grace(until, as_of) {
            CertificationStatus::Grace
        } else {
            CertificationStatus::Expired
        };
        previous = Some(until);
        if window.is_none() {
            return row;
        }
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
