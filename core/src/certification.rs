//! Certifications (spec.md §7): assignment windows with grace periods, course requirements and
//! renewal cycles.

use alloc::vec::Vec;

use crate::calendar::Date;
use crate::wire::answer::{CertificationProgress, CertificationStatus, Requirement};
use crate::wire::evidence::CourseResult;
use crate::wire::rulebook::Certification;

/// Evaluates `certification` for `contact`, whose earliest assignment window starts on
/// `window_start`; `results` are the contact's course results.
pub fn evaluate<'a>(
    certification: &'a Certification,
    contact: &'a str,
    window_start: Option<Date>,
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
        window_start,
        completed_on: None,
        valid_until: None,
        due_date: certification.due_date,
        requirements: Vec::new(),
    };
    if !certification.published.unwrap_or(true) {
        row.status = CertificationStatus::Unpublished;
        return row;
    }
    let mut window = window_start;
    loop {
        let requirements = requirements(certification, window, results, as_of);
        let completed = can_complete && requirements.iter().all(|r| r.met);
        let completed_on = if completed { requirements.iter().filter_map(|r| r.met_on).max() } else { None };
        match completed_on {
            Some(done) => {
                let valid_until = certification.renewal.as_ref().map(|r| done.add_months(r.every_months.0));
                row.completed_on = Some(done);
                row.valid_until = valid_until.flatten();
                row.window_start = window;
                row.requirements = requirements;
                row.status = CertificationStatus::Completed;
                match valid_until {
                    // One-time, or still valid: done.
                    None | Some(None) => return row,
                    Some(Some(until)) if until > as_of => return row,
                    Some(Some(_)) => {
                        // Lapsed: the next cycle counts only results after this completion.
                        row.cycle += 1;
                        window = done.add_days(1);
                        row.window_start = window;
                        if window.is_none() {
                            row.status = CertificationStatus::Expired;
                            return row;
                        }
                        row.status = CertificationStatus::Expired;
                    }
                }
            }
            None => {
                let some_met = requirements.iter().any(|r| r.met);
                row.requirements = requirements;
                row.status = if row.status == CertificationStatus::Expired {
                    CertificationStatus::Expired
                } else if certification.due_date.is_some_and(|due| due < as_of) {
                    CertificationStatus::Overdue
                } else if some_met {
                    CertificationStatus::InProgress
                } else {
                    CertificationStatus::NotStarted
                };
                if certification.retired.unwrap_or(false) {
                    row.status = CertificationStatus::Retired;
                }
                return row;
            }
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
