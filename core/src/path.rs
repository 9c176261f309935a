//! Learning paths (spec.md §7): step completion through qualification codes, and progress.

use alloc::collections::BTreeSet;
use alloc::vec::Vec;
use core::cmp::Ordering;

use crate::calendar::Date;
use crate::wire::answer::{PathProgress, StepEvidence, StepProgress};
use crate::wire::evidence::PathEnrollment;
use crate::wire::rulebook::LearningPath;
use crate::wire::scalar::Percent;

/// One piece of evidence that completes a code on a date.
#[derive(Clone, Copy, Debug)]
pub struct Completion<'a> {
    pub date: Date,
    pub by: StepEvidence<'a>,
}

impl Completion<'_> {
    /// spec.md §12 (Paths): the earliest date wins; on one date training records, then event
    /// awards, then course results; then the smaller id (byte-wise).
    fn precedes(&self, other: &Completion) -> bool {
        let key = |c: &Completion| (c.date, c.by.kind);
        match key(self).cmp(&key(other)) {
            Ordering::Equal => self.by.id.as_bytes() < other.by.id.as_bytes(),
            order => order == Ordering::Less,
        }
    }
}

/// The completions of qualification codes by the contacts with an enrolment (crate::ranks):
/// by training records and event awards, which complete a code for every path, and by course
/// results, which complete it for the paths whose `minimumGrade` the grade reaches.
#[derive(Debug, Default)]
pub struct Completions<'a> {
    enrolled: BTreeSet<u32>,
    /// Every completion, sorted by contact rank once all are added ([`Completions::sort`]).
    all: Vec<CodeCompletion<'a>>,
}

/// One completion of `code` by the contact ranked `contact`; `grade` is a course result's.
#[derive(Debug)]
struct CodeCompletion<'a> {
    contact: u32,
    code: &'a str,
    completion: Completion<'a>,
    grade: Option<Percent>,
}

impl<'a> Completions<'a> {
    /// Completions of the contacts of these ranks.
    pub fn new(enrolled: impl Iterator<Item = u32>) -> Completions<'a> {
        let mut set = BTreeSet::new();
        for contact in enrolled {
            set.insert(contact);
        }
        Completions { enrolled: set, all: Vec::new() }
    }

    /// Whether completions of `contact` are kept.
    pub fn counts(&self, contact: u32) -> bool {
        self.enrolled.contains(&contact)
    }

    /// Records that `contact` completed `code`: by a training record or an event award (no
    /// `grade`), or by a course result of `grade`.
    pub fn add(&mut self, contact: u32, code: &'a str, completion: Completion<'a>, grade: Option<Percent>) {
        if !code.is_empty() && self.counts(contact) {
            self.all.push(CodeCompletion { contact, code, completion, grade });
        }
    }

    /// Sorts the completions by contact rank for [`progress`] (the shared integer sort,
    /// crate::order); call once all are added.
    pub fn sort(&mut self) {
        let mut keys = Vec::with_capacity(self.all.len());
        for c in &self.all {
            keys.push(u128::from(c.contact));
        }
        crate::order::sort_by_packed_keys(&mut self.all, &keys);
    }

    /// The completion of `code` by `contact` that counts for a path of `minimum_grade`.
    fn get(&self, contact: u32, code: &str, minimum_grade: Percent) -> Option<Completion<'a>> {
        let start = self.all.partition_point(|c| c.contact < contact);
        let mut best: Option<Completion<'a>> = None;
        let of_contact = self.all.get(start..).unwrap_or_default().iter().take_while(|c| c.contact == contact);
        let same = of_contact.filter(|c| c.code == code);
        for c in same {
            let counts = c.grade.is_none_or(|grade| grade.0 >= minimum_grade.0);
            if counts && best.is_none_or(|b| c.completion.precedes(&b)) {
                best = Some(c.completion);
            }
        }
        best
    }
}

/// Progress of one enrolment on `path`.
pub fn progress<'a>(
    path: &'a LearningPath,
    enrollment: &'a PathEnrollment,
    contact: u32,
    completions: &Completions<'a>,
) -> PathProgress<'a> {
    let minimum_grade = path.minimum_grade.unwrap_or(Percent(0.0));
    let mut total: u32 = 0;
    let mut done: u32 = 0;
    let mut latest: Option<Date> = None;
    let mut steps = Vec::with_capacity(path.steps.len());
    for step in &path.steps {
        let required = step.required.unwrap_or(true);
        let completion = completions.get(contact, &step.code, minimum_grade);
        if required {
            total += 1;
            if let Some(c) = completion {
                done += 1;
                latest = latest.max(Some(c.date));
            }
        }
        steps.push(StepProgress {
            code: &step.code,
            required,
            completed_on: completion.map(|c| c.date),
            by: completion.map(|c| c.by),
        });
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
        steps,
    }
}
