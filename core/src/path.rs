//! Learning paths (SPEC §7): step completion through qualification codes, and progress.

use alloc::collections::BTreeMap;
use alloc::string::String;

use crate::calendar::Date;
use crate::wire::answer::PathProgress;
use crate::wire::evidence::PathEnrollment;
use crate::wire::rulebook::LearningPath;

/// The earliest completion date of each (contact, qualification code).
#[derive(Debug, Default)]
pub struct Completions(BTreeMap<(String, String), Date>);

impl Completions {
    /// Records that `contact` completed `code` on `date`; the earliest date counts.
    pub fn add(&mut self, contact: &str, code: &str, date: Date) {
        if code.is_empty() {
            return;
        }
        self.0.entry((String::from(contact), String::from(code))).and_modify(|d| *d = (*d).min(date)).or_insert(date);
    }

    fn get(&self, contact: &str, code: &str) -> Option<Date> {
        // Keys are owned; a lookup by borrowed pair needs a probe key.
        self.0.get(&(String::from(contact), String::from(code))).copied()
    }
}

/// Progress of one enrolment on `path`.
pub fn progress(path: &LearningPath, enrollment: &PathEnrollment, completions: &Completions) -> PathProgress {
    let mut total: u32 = 0;
    let mut done: u32 = 0;
    let mut latest: Option<Date> = None;
    for step in path.steps.iter().filter(|s| s.required.unwrap_or(true)) {
        total += 1;
        if let Some(date) = completions.get(&enrollment.contact, &step.code) {
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
        enrollment: enrollment.id.clone(),
        contact: enrollment.contact.clone(),
        path: path.id.clone(),
        done,
        total,
        percent,
        complete,
        completed_on,
    }
}
