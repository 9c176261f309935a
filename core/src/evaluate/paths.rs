//! Learning paths (spec.md §7): steps completed through qualification codes by training
//! records, awarded event outcomes and course results; each enrolment's progress, and a completed path's
//! achievements awarded.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::calendar::Date;
use crate::diagnostics::Code;
use crate::path::{self, Completion, Completions};
use crate::rulebook::Resolution;
use crate::wire::answer::{Origin, PathProgress, Source, Status, StepEvidence, StepEvidenceKind, WaitingOnSet};
use crate::wire::evidence::PathEnrollment;
use crate::wire::rulebook::LearningPath;
use crate::wire::scalar::Shown;

use super::decided::{Context, Decided, NewAward, OutcomeKey, Outcomes, Record, Site};
use super::state::Evaluation;

impl<'a> Evaluation<'a> {
    /// Every enrolment's progress, in enrolment order; the awards of completed paths are added
    /// to `decided` (after the event outcomes, whose awards complete steps).
    pub fn learning_paths(&mut self, decided: &mut Outcomes<'a>) -> Vec<PathProgress<'a>> {
        let completions = self.step_completions(decided);
        let mut paths = Vec::new();
        for (j, enrollment) in self.evidence.path_enrollments.iter().enumerate() {
            let Some(rank) = self.ids.enrollment(j) else { continue };
            let p = match self.book.paths.resolve(&enrollment.path) {
                Resolution::Found(p) => p,
                Resolution::Duplicated => continue,
                Resolution::Unknown => {
                    self.diagnostics.error(
                        Code::UnknownReference,
                        format!("/evidence/pathEnrollments/{j}/path"),
                        format!("no learning path has the id `{}`", Shown(&enrollment.path)),
                    );
                    continue;
                }
            };
            let Some(learning_path) = self.rb.learning_paths.get(p) else { continue };
            let progress = path::progress(learning_path, enrollment, self.ids.enrollment_contact(j), &completions);
            if let Some(completed_on) = progress.completed_on {
                self.path_awards((j, rank), enrollment, (p, learning_path), completed_on, decided);
            }
            paths.push(progress);
        }
        paths
    }

    /// The completions of each enrolled contact and code: training records and course results
    /// completed by `asOf`, and the awarded event outcomes of courses with a code.
    fn step_completions(&self, decided: &Outcomes<'a>) -> Completions<'a> {
        let mut completions = Completions::new(self.ids.enrolled_contacts());
        for (r, record) in self.evidence.training_records.iter().enumerate() {
            if let Some(code) = &record.qualification_code {
                if record.completion_date <= self.as_of {
                    let by = StepEvidence { kind: StepEvidenceKind::TrainingRecord, id: &record.record_id };
                    let completion = Completion { date: record.completion_date, by };
                    completions.add(self.ids.training_record_contact(r), code, completion, None);
                }
            }
        }
        for outcome in decided {
            if outcome.status != Status::Awarded || !completions.counts(outcome.key.contact) {
                continue;
            }
            let code = self.book.events.get(outcome.origin.id()).and_then(|e| e.course_code.as_deref());
            if let (Some(code), Some(date)) = (code, outcome.awarded_on) {
                let by = StepEvidence { kind: StepEvidenceKind::EventAward, id: outcome.learner };
                completions.add(outcome.key.contact, code, Completion { date, by }, None);
            }
        }
        for (r, result) in self.evidence.course_results.iter().enumerate() {
            if result.completed_on > self.as_of {
                continue;
            }
            let Resolution::Found(k) = self.book.courses.resolve(&result.course) else { continue };
            if let Some(code) = self.rb.courses.get(k).and_then(|c| c.code.as_deref()) {
                let by = StepEvidence { kind: StepEvidenceKind::CourseResult, id: &result.course };
                let completion = Completion { date: result.completed_on, by };
                completions.add(self.ids.course_result_contact(r), code, completion, Some(result.grade));
            }
        }
        completions.sort();
        completions
    }

    /// The achievements of path `p`, completed on `completed_on` by enrolment `j` (ranked
    /// `rank`): each awarded once, in id order.
    fn path_awards(
        &mut self,
        (j, rank): (usize, u32),
        enrollment: &'a PathEnrollment,
        (p, learning_path): (usize, &'a LearningPath),
        completed_on: Date,
        decided: &mut Outcomes<'a>,
    ) {
        let book = self.book;
        let mut achievements: Vec<(&'a String, usize)> =
            learning_path.achievements.iter().filter_map(|a| book.achievements.get(a).map(|i| (a, i))).collect();
        crate::order::sort(&mut achievements);
        achievements.dedup();
        for (achievement, index) in achievements {
            let outcome = Decided {
                key: OutcomeKey {
                    path: true,
                    origin: self.ids.origins.of(&learning_path.id),
                    learner: rank,
                    achievement: self.ids.achievement(index),
                    contact: self.ids.enrollment_contact(j),
                },
                learner: &enrollment.id,
                contact: &enrollment.contact,
                origin: Origin::Path(&learning_path.id),
                achievement,
                status: Status::Awarded,
                source: Source::Automatic,
                met_on: Some(completed_on),
                awarded_on: Some(completed_on),
                waiting_on: WaitingOnSet::EMPTY,
                trace: Vec::new(),
                record: Record::None,
                decided_by: None,
            };
            let award = NewAward {
                site: Site::Enrollment(j),
                achievement: index,
                send_certificate: true,
                met_on: completed_on,
                source_end: completed_on,
                context: Context::Path { path: p },
                made: None,
            };
            self.settle(outcome, self.ids.enrollment_position(j), award, decided);
        }
    }
}
