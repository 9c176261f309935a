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
            let held = held_by(&records, contact, id);
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
        let holdings = self.certification_holdings(&records, new);
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

    /// The certified records whose id is defined once, sorted by (contact, certification); each
    /// later occurrence of an id is a `duplicate-id`, and a record of a certification that is not
    /// in the rulebook raises an `unknown-reference` warning (it stays in the certification
    /// holdings). Sorted vectors rather than maps: the module stays small.
    fn certified_records(&mut self) -> Vec<&'a CertifiedRecord> {
        let (book, evidence) = (self.book, self.evidence);
        let mut ids: Vec<(&'a str, usize)> =
            evidence.certified.iter().zip(0..).map(|(r, i)| (r.id.as_str(), i)).collect();
        crate::order::sort_by(&mut ids, |a, b| a.cmp(b));
        let mut skipped = alloc::vec![false; ids.len()];
        for group in ids.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
            for (n, &(id, i)) in group.iter().enumerate() {
                if let Some(skip) = skipped.get_mut(i) {
                    *skip = true;
                }
                if n > 0 {
                    self.diagnostics.error(
                        Code::DuplicateId,
                        format!("/evidence/certified/{i}/id"),
                        format!("certified record `{}` is defined more than once", Shown(id)),
                    );
                }
            }
        }
        let mut records = Vec::with_capacity(evidence.certified.len());
        for ((i, record), skip) in evidence.certified.iter().enumerate().zip(skipped) {
            if skip {
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
            records.push(record);
        }
        crate::order::sort_by(&mut records, |a, b| {
            (a.contact.as_str(), a.certification.as_str()).cmp(&(b.contact.as_str(), b.certification.as_str()))
        });
        records
    }

    /// One certification holding per (contact, certification) with a certified record or a new
    /// `certify` action, by (contact, certification); history by (completedOn, id), new ones last.
    fn certification_holdings(
        &self,
        records: &[&'a CertifiedRecord],
        new: Vec<(Cycle, &'a str, &'a str)>,
    ) -> Vec<CertificationHolding<'a>> {
        let mut entries: Vec<CertifiedEntry<'a>> = records
            .iter()
            .map(|r| CertifiedEntry {
                id: Some(&r.id),
                contact: &r.contact,
                certification: &r.certification,
                cycle: r.cycle.0,
                completed_on: r.completed_on,
                valid_until: r.valid_until,
                revoked: r.revoked.as_ref(),
            })
            .collect();
        entries.extend(new.into_iter().map(|(cycle, contact, certification)| CertifiedEntry {
            id: None,
            contact,
            certification,
            cycle: cycle.number,
            completed_on: cycle.completed_on,
            valid_until: cycle.valid_until,
            revoked: None,
        }));
        crate::order::sort_by(&mut entries, |a, b| {
            (a.contact, a.certification, a.completed_on, a.id.is_none(), a.id).cmp(&(
                b.contact,
                b.certification,
                b.completed_on,
                b.id.is_none(),
                b.id,
            ))
        });
        let mut holdings = Vec::new();
        for group in entries.chunk_by(|a, b| (a.contact, a.certification) == (b.contact, b.certification)) {
            let Some(first) = group.first() else { continue };
            let (contact, id) = (first.contact, first.certification);
            let grace = self
                .book
                .certifications
                .get(id)
                .and_then(|c| self.rb.certifications.get(c))
                .and_then(Renewal::of)
                .and_then(|r| r.late_grace_days);
            let status = crate::certification::holding_status(group, grace, self.as_of);
            holdings.push(CertificationHolding { contact, certification: id, status, history: group.to_vec() });
        }
        holdings
    }
}

/// The records of `contact` and `certification` among `records` sorted by (contact, certification).
fn held_by<'r, 'a>(
    records: &'r [&'a CertifiedRecord],
    contact: &str,
    certification: &str,
) -> &'r [&'a CertifiedRecord] {
    let from = records.partition_point(|r| (r.contact.as_str(), r.certification.as_str()) < (contact, certification));
    let to = records.partition_point(|r| (r.contact.as_str(), r.certification.as_str()) <= (contact, certification));
    records.get(from..to).unwrap_or_default()
}
