//! Certifications (spec.md §7): each contact's assigned certifications, their window, grace
//! period and course requirements; the completed cycles to record (`certify`), and the
//! certification holdings.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::vec::Vec;

use crate::calendar::Date;
use crate::certification::{self, Assigned, Cycle, Renewal};
use crate::diagnostics::Code;
use crate::rulebook::Resolution;
use crate::wire::answer::{
    CertificationHolding, CertificationNotifyAction, CertificationProgress, CertificationStatus, CertifiedEntry,
    CertifyAction, ReminderAction, ReminderTrigger,
};
use crate::wire::evidence::{CertifiedRecord, CourseResult};
use crate::wire::rulebook::Certification;
use crate::wire::scalar::Shown;

use super::state::Evaluation;

impl<'a> Evaluation<'a> {
    /// One row per contact and assigned certification, by (contact, certification).
    pub fn certifications(&mut self) -> (Vec<CertificationProgress<'a>>, Vec<CertificationHolding<'a>>) {
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
        let records = self.certified_records();
        let mut rows = Vec::with_capacity(windows.len());
        let mut new: Vec<(Cycle, &'a str, &'a str)> = Vec::new();
        for ((contact, id), assigned) in windows {
            let Some(certification) = book.certifications.get(id).and_then(|c| rb.certifications.get(c)) else {
                continue;
            };
            let can_complete = certification.courses.iter().any(|course| {
                book.courses
                    .get(course)
                    .and_then(|k| rb.courses.get(k))
                    .is_some_and(|c| c.graded_steps.is_some_and(|g| g.0 >= 1))
            });
            let contact_results = results.get(contact).map(Vec::as_slice).unwrap_or(&[]);
            let held = records.get(&(contact, id)).map(Vec::as_slice).unwrap_or(&[]);
            let revoked: Vec<(Date, Date)> = held
                .iter()
                .filter_map(|r| r.revoked.as_ref().filter(|v| v.on <= as_of).map(|v| (r.completed_on, v.on)))
                .collect();
            let judged = certification::evaluate(
                certification,
                contact,
                assigned,
                can_complete,
                contact_results,
                &revoked,
                as_of,
            );
            for cycle in judged.cycles {
                if !held.iter().any(|r| r.completed_on == cycle.completed_on) {
                    self.propose(certification, contact, cycle);
                    new.push((cycle, contact, &certification.id));
                }
            }
            self.remind(&judged.row);
            rows.push(judged.row);
        }
        let holdings = self.certification_holdings(records, new);
        (rows, holdings)
    }

    /// The reminders of a row: one `notify` per condition true on `asOf` (spec.md §7,
    /// Recertification reminders), about the lapsing cycle (cycle 1 for `overdue`).
    fn remind(&mut self, row: &CertificationProgress<'a>) {
        let (as_of, within) = (self.as_of, self.expiring_within_days);
        let lapsing = row.cycle.saturating_sub(1);
        let mut reminders: Vec<(ReminderTrigger, u32, Option<Date>)> = Vec::new();
        match row.status {
            CertificationStatus::RenewalDue => {
                reminders.push((ReminderTrigger::CertificationWindowOpen, lapsing, row.window_opens))
            }
            CertificationStatus::Grace => {
                reminders.push((ReminderTrigger::CertificationGrace, lapsing, row.valid_until))
            }
            CertificationStatus::Expired => {
                reminders.push((ReminderTrigger::CertificationExpired, lapsing, row.grace_until.or(row.valid_until)));
            }
            CertificationStatus::Overdue => {
                reminders.push((ReminderTrigger::CertificationOverdue, 1, row.due_date.and_then(|d| d.add_days(1))));
            }
            _ => {}
        }
        let valid_cycle = match row.status {
            CertificationStatus::Completed => Some(row.cycle),
            CertificationStatus::RenewalDue => Some(lapsing),
            _ => None,
        };
        if let (Some(cycle), Some(until)) = (valid_cycle, row.valid_until) {
            if as_of < until && as_of.days_until(until) <= i64::from(within) {
                let on = until.sub_days(u64::from(within)).unwrap_or(Date::MIN);
                reminders.push((ReminderTrigger::CertificationExpiring, cycle, Some(on)));
            }
        }
        for (trigger, cycle, on) in reminders {
            // A date past 9999-12-31 (the day after such a due date) has no reminder.
            let Some(on) = on else { continue };
            self.actions.reminder(ReminderAction {
                trigger,
                contact: row.contact,
                certification: row.certification,
                cycle,
                on,
                key: format!("{}/{}/{cycle}/{}", row.certification, row.contact, trigger.as_str()),
            });
        }
    }

    /// The `certify` action of a completed cycle and its `certification-completed` notification.
    fn propose(&mut self, certification: &'a Certification, contact: &'a str, cycle: Cycle) {
        let certificate = certification.certificate.as_deref();
        self.actions.certify(CertifyAction {
            contact,
            certification: &certification.id,
            cycle: cycle.number,
            completed_on: cycle.completed_on,
            valid_until: cycle.valid_until,
            certificate,
        });
        let trigger = "certification-completed";
        self.actions.certification_notify(CertificationNotifyAction {
            trigger,
            contact,
            certification: &certification.id,
            cycle: cycle.number,
            on: cycle.completed_on,
            key: format!("{}/{contact}/{}/{trigger}", certification.id, cycle.number),
            attach_certificate: certificate.is_some(),
        });
    }

    /// The certified records whose id is defined once, by (contact, certification); each later
    /// occurrence of an id is a `duplicate-id`, and a record of a certification that is not in the
    /// rulebook raises an `unknown-reference` warning (it stays in the certification holdings).
    fn certified_records(&mut self) -> BTreeMap<(&'a str, &'a str), Vec<&'a CertifiedRecord>> {
        let (book, evidence) = (self.book, self.evidence);
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for record in &evidence.certified {
            *seen.entry(record.id.as_str()).or_default() += 1;
        }
        let mut reported: BTreeMap<&str, ()> = BTreeMap::new();
        let mut records: BTreeMap<(&'a str, &'a str), Vec<&'a CertifiedRecord>> = BTreeMap::new();
        for (i, record) in evidence.certified.iter().enumerate() {
            if seen.get(record.id.as_str()).is_some_and(|n| *n > 1) {
                if reported.insert(&record.id, ()).is_some() {
                    self.diagnostics.error(
                        Code::DuplicateId,
                        format!("/evidence/certified/{i}/id"),
                        format!("certified record `{}` is defined more than once", Shown(&record.id)),
                    );
                }
                continue;
            }
            if let Resolution::Unknown = book.certifications.resolve(&record.certification) {
                self.diagnostics.warning(
                    Code::UnknownReference,
                    format!("/evidence/certified/{i}/certification"),
                    format!(
                        "no certification has the id `{}`; the record stays in the certification holdings",
                        Shown(&record.certification)
                    ),
                );
            }
            records.entry((&record.contact, &record.certification)).or_default().push(record);
        }
        records
    }

    /// One certification holding per (contact, certification) with a certified record or a new
    /// `certify` action, by (contact, certification); history by (completedOn, id), new ones last.
    fn certification_holdings(
        &self,
        records: BTreeMap<(&'a str, &'a str), Vec<&'a CertifiedRecord>>,
        new: Vec<(Cycle, &'a str, &'a str)>,
    ) -> Vec<CertificationHolding<'a>> {
        let mut history: BTreeMap<(&'a str, &'a str), Vec<CertifiedEntry<'a>>> = BTreeMap::new();
        for ((contact, certification), held) in records {
            history.entry((contact, certification)).or_default().extend(held.into_iter().map(|r| CertifiedEntry {
                id: Some(&r.id),
                contact: &r.contact,
                certification: &r.certification,
                cycle: r.cycle.0,
                completed_on: r.completed_on,
                valid_until: r.valid_until,
                revoked: r.revoked.as_ref(),
            }));
        }
        for (cycle, contact, certification) in new {
            history.entry((contact, certification)).or_default().push(CertifiedEntry {
                id: None,
                contact,
                certification,
                cycle: cycle.number,
                completed_on: cycle.completed_on,
                valid_until: cycle.valid_until,
                revoked: None,
            });
        }
        history
            .into_iter()
            .map(|((contact, id), mut entries)| {
                crate::order::sort_by(&mut entries, |a, b| {
                    (a.completed_on, a.id.is_none(), a.id).cmp(&(b.completed_on, b.id.is_none(), b.id))
                });
                let grace = self
                    .book
                    .certifications
                    .get(id)
                    .and_then(|c| self.rb.certifications.get(c))
                    .and_then(Renewal::of)
                    .and_then(|r| r.late_grace_days);
                let status = crate::certification::holding_status(&entries, grace, self.as_of);
                CertificationHolding { contact, certification: id, status, history: entries }
            })
            .collect()
    }
}
