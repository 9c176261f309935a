//! Learning paths (spec.md §7): step completion through qualification codes, and progress.

use alloc::collections::{BTreeMap, BTreeSet};

use crate::calendar::Date;
use crate::wire::answer::PathProgress;
use crate::wire::evidence::PathEnrollment;
use crate::wire::rulebook::LearningPath;

/// The earliest completion date of each (contact rank, qualification code), for the contacts
/// with an enrolment (crate::ranks).
#[derive(Debug, Default)]
pub struct Completions<'a> {
    enrolled: BTreeSet<u32>,
    earliest: BTreeMap<(u32, &'a str), Date>,
}

impl<'a> Completions<'a> {
    /// Completions of the contacts of these ranks.
    pub fn new(enrolled: impl Iterator<Item = u32>) -> Completions<'a> {
        let mut set = BTreeSet::new();
        for contact in enrolled {
            set.insert(contact);
        }
        Completions { enrolled: set, earliest: BTreeMap::new() }
    }

    /// Whether completions of `contact` are kept.
    pub fn counts(&self, contact: u32) -> bool {
        self.enrolled.contains(&contact)
    }

    /// Records that `contact` completed `code` on `date`; the earliest date counts.
    pub fn add(&mut self, contact: u32, code: &'a str, date: Date) {
        if code.is_empty() || !self.counts(contact) {
            return;
        }
        self.earliest.entry((contact, code)).and_modify(|d| *d = (*d).min(date)).or_insert(date);
    }

    fn get(&self, contact: u32, code: &str) -> Option<Date> {
        self.earliest.get(&(contact, code)).copied()
    }
}

/// Progress of one enrolment on `path`.
pub fn progress<'a>(
    path: &'a LearningPath,
    enrollment: &'a PathEnrollment,
    contact: u32,
    completions: &Completions,
) -> PathProgress<'a> {
    let mut total: u32 = 0;
    let mut done: u32 = 0;
    let mut latest: Option<Date> = None;
    for step in path.steps.iter().filter(|s| s.required.unwrap_or(true)) {
        total += 1;
        if let Some(date) = completions.get(contact, &step.code) {
            done += 1;
            latest = latest.max(Some(date));
        }
    }
    let complete = done == total;
    let percent = if total == 0 { 100 } else { (u64::from(done) * 100 / u64::from(total)) as u32 };
    let completed_on = if !complete {
        None
    } else if total == 0 {
        enrollment.enrolled_on
    } else {
        latest
    };
    PathProgress {
        enrollment: &enrollment.id,
        contact: &enrollment.contact,
        path: &path.id,
        done,
        total,
        percent,
        complete,
        completed_on,
    }
}
