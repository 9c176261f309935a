//! The checks of `validate` (spec.md §10) that prepare nothing: references from achievements,
//! learning paths and certifications, and the codes of paths and their steps.

use alloc::format;

use crate::diagnostics::{Code, Diagnostics};
use crate::wire::rulebook::{Certification, Rulebook};
use crate::wire::scalar::Shown;

use super::{Indexes, QualificationCodes, Resolution};

/// Each achievement's sequence must exist.
pub(super) fn achievement_sequences(rb: &Rulebook, ids: &Indexes, d: &mut Diagnostics) {
    for (_, i) in ids.achievements.iter() {
        let Some(sequence) = rb.achievements.get(i).and_then(|a| a.sequence.as_ref()) else { continue };
        ids.sequences.resolve_or_report(sequence, "sequence", || format!("/rulebook/achievements/{i}/sequence"), d);
    }
}

/// Each learning path's and step's code, and the path's achievements.
pub(super) fn learning_paths(rb: &Rulebook, ids: &Indexes, codes: &QualificationCodes, d: &mut Diagnostics) {
    for (_, p) in ids.paths.iter() {
        let Some(path) = rb.learning_paths.get(p) else { continue };
        codes.check(&path.code, || format!("/rulebook/learningPaths/{p}/code"), d);
        for (s, step) in path.steps.iter().enumerate() {
            codes.check(&step.code, || format!("/rulebook/learningPaths/{p}/steps/{s}/code"), d);
        }
        for (a, achievement) in path.achievements.iter().enumerate() {
            let at = || format!("/rulebook/learningPaths/{p}/achievements/{a}");
            ids.achievements.resolve_or_report(achievement, "achievement", at, d);
        }
    }
}

/// Each certification's courses (known, published, one of them graded), groups and
/// publication.
pub(super) fn certifications(rb: &Rulebook, ids: &Indexes, d: &mut Diagnostics) {
    for (_, c) in ids.certifications.iter() {
        let Some(certification) = rb.certifications.get(c) else { continue };
        let base = format!("/rulebook/certifications/{c}");
        if !certification_courses(rb, ids, certification, &base, d) {
            d.error(
                Code::CertificationNoGradedCourse,
                format!("{base}/courses"),
                format!(
                    "certification `{}` has no course with a graded step, so it can never be completed",
                    Shown(&certification.id)
                ),
            );
        }
        for (g, group) in certification.groups.iter().enumerate() {
            let missing_from = certification.courses.iter().any(|course_id| {
                ids.courses
                    .get(course_id)
                    .and_then(|k| rb.courses.get(k))
                    .is_none_or(|course| !course.groups.contains(group))
            });
            if missing_from {
                d.error(
                    Code::CertificationGroupNotOnAllCourses,
                    format!("{base}/groups/{g}"),
                    format!("group `{}` is not assigned to every course of the certification", Shown(group)),
                );
            }
        }
        if let Some(renewal) = &certification.renewal {
            crate::certification::problems(renewal, |p| {
                let (path, message) = (format!("{base}{}", p.member), p.message);
                if p.is_error() {
                    d.error(p.code, path, message);
                } else {
                    d.warning(p.code, path, message);
                }
            });
        }
        let recurring = certification.renewal.as_ref().is_some_and(|r| r.every_months.is_some());
        if recurring && certification.due_date.is_some() {
            d.warning(
                Code::DueDateOnRecurring,
                format!("{base}/dueDate"),
                format!(
                    "`dueDate` is for non-recurring certifications: on `{}` it applies to the first cycle only",
                    Shown(&certification.id)
                ),
            );
        }
        if !certification.published.unwrap_or(true) {
            d.warning(
                Code::CertificationUnpublished,
                format!("{base}/published"),
                format!("certification `{}` is not published: nobody is evaluated", Shown(&certification.id)),
            );
        }
    }
}

/// Checks a certification's courses (known and published); whether one has a graded step.
fn certification_courses(
    rb: &Rulebook,
    ids: &Indexes,
    certification: &Certification,
    base: &str,
    d: &mut Diagnostics,
) -> bool {
    let mut graded = false;
    for (j, course_id) in certification.courses.iter().enumerate() {
        let at = || format!("{base}/courses/{j}");
        let Resolution::Found(k) = ids.courses.resolve_or_report(course_id, "course", at, d) else { continue };
        let Some(course) = rb.courses.get(k) else { continue };
        graded |= course.graded_steps.is_some_and(|g| g.0 >= 1);
        if !course.published.unwrap_or(true) {
            d.error(
                Code::CertificationUnpublishedCourse,
                format!("{base}/courses/{j}"),
                format!("course `{}` is not published", Shown(course_id)),
            );
        }
    }
    graded
}
