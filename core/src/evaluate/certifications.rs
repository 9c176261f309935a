//! Certifications (spec.md §7): each contact's assigned certifications, their window, grace
//! period and course requirements.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::vec::Vec;

use crate::calendar::Date;
use crate::certification::{self, Assigned};
use crate::diagnostics::Code;
use crate::rulebook::Resolution;
use crate::wire::answer::CertificationProgress;
use crate::wire::evidence::CourseResult;
use crate::wire::scalar::Shown;

use super::state::Evaluation;

impl<'a> Evaluation<'a> {
    /// One row per contact and assigned certification, by (contact, certification).
    pub fn certifications(&mut self) -> Vec<CertificationProgress<'a>> {
        let (book, rb, evidence, as_of) = (self.book, self.rb, self.evidence, self.as_of);
        let d = &mut self.diagnostics;
        for (i, result) in evidence.course_results.iter().enumerate() {
            if let Resolution::Unknown = book.courses.resolve(&result.course) {
                d.error(
                    Code::UnknownReference,
                    format!("/evidence/courseResults/{i}/course"),
                    format!("no course has the id `{}`", Shown(&result.course)),
                );
            }
        }
        // (contact, certification) → the assignment that gives the row: the earliest window
        // start, then the earliest due date (one without a due date last).
        let mut windows: BTreeMap<(&'a str, &'a str), Assigned> = BTreeMap::new();
        for (i, assignment) in evidence.certification_assignments.iter().enumerate() {
            let c = match book.certifications.resolve(&assignment.certification) {
                Resolution::Found(c) => c,
                Resolution::Duplicated => continue,
                Resolution::Unknown => {
                    d.error(
                        Code::UnknownReference,
                        format!("/evidence/certificationAssignments/{i}/certification"),
                        format!("no certification has the id `{}`", Shown(&assignment.certification)),
                    );
                    continue;
                }
            };
            let Some(certification) = rb.certifications.get(c) else { continue };
            if assignment.assigned_on > as_of {
                continue;
            }
            let grace = assignment.grace_period_days.or(certification.grace_period_days).map_or(0, |g| g.0);
            let start = assignment
                .assigned_on
                .max(certification.effective_from)
                .sub_days(u64::from(grace))
                .unwrap_or(Date::MIN);
            let due_date = match (assignment.due_on, certification.due_within_days) {
                (Some(due), _) => Some(due),
                (None, Some(days)) => assignment.assigned_on.add_days(u64::from(days.0)),
                (None, None) => certification.due_date,
            };
            let assigned = Assigned { window_start: Some(start), due_date };
            let order = |a: &Assigned| (a.window_start, a.due_date.is_none(), a.due_date);
            windows
                .entry((&assignment.contact, &certification.id))
                .and_modify(|w| {
                    if order(&assigned) < order(w) {
                        *w = assigned;
                    }
                })
                .or_insert(assigned);
        }
        let mut results: BTreeMap<&str, Vec<&CourseResult>> = BTreeMap::new();
        for result in &evidence.course_results {
            results.entry(&result.contact).or_default().push(result);
        }
        windows
            .into_iter()
            .filter_map(|((contact, id), assigned)| {
                let certification = book.certifications.get(id).and_then(|c| rb.certifications.get(c))?;
                let can_complete = certification.courses.iter().any(|course| {
                    book.courses
                        .get(course)
                        .and_then(|k| rb.courses.get(k))
                        .is_some_and(|c| c.graded_steps.is_some_and(|g| g.0 >= 1))
                });
                let contact_results = results.get(contact).map(Vec::as_slice).unwrap_or(&[]);
                Some(certification::evaluate(certification, contact, assigned, can_complete, contact_results, as_of))
            })
            .collect()
    }
}
