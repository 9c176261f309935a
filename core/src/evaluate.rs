//! The `evaluate` operation (SPEC §8): every rule of §5–§7 applied to the evidence, in the
//! order that makes the answer deterministic.

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::actions::Actions;
use crate::calendar::Date;
use crate::diagnostics::{Code, Diagnostics};
use crate::rulebook::{IdIndex, PreparedRulebook, Resolution};
use crate::sequence::format::{Field, FormatKind};
use crate::sequence::{MergeSource, Numbering};
use crate::validity::{self, PriorRecord};
use crate::wire::answer::*;
use crate::wire::evidence::{Evidence, IssuedRecord};
use crate::wire::request::Options;
use crate::wire::scalar::Shown;
use crate::{certification, holdings, passing, path, ENGINE_VERSION};

/// Where a new award's merge values come from.
enum Context {
    Event { event: usize, template: usize },
    Path { path: usize },
}

/// An outcome that needs a new record: validated and numbered in allocation order.
struct NewAward {
    outcome: usize,
    award_path: String,
    achievement: usize,
    send_certificate: bool,
    met_on: Date,
    source_end: Date,
    context: Context,
}

/// `(validFrom, expiresOn)` of a record made earlier in the same answer.
type NewRecordDates = (Date, Option<Date>);

/// The issued records of one learner and achievement.
#[derive(Default)]
struct LearnerRecords<'a> {
    /// The latest non-revoked record by (awardedOn, id).
    live: Option<&'a IssuedRecord>,
    /// The latest revoked record by (awardedOn, id).
    revoked: Option<&'a IssuedRecord>,
}

/// Evaluates `evidence` against a prepared rulebook, as known on `as_of`.
pub fn evaluate(book: &PreparedRulebook, as_of: Date, evidence: &Evidence, options: &Options) -> EvaluateAnswer {
    let rb = &book.rulebook;
    let mut d = Diagnostics::default();
    d.extend(&book.diagnostics);

    // Learners and path enrolments share one id namespace; issued records have their own.
    let participant_ids =
        evidence.learners.iter().map(|l| l.id.as_str()).chain(evidence.path_enrollments.iter().map(|p| p.id.as_str()));
    let learner_count = evidence.learners.len();
    let participants = IdIndex::build(
        participant_ids,
        "learner or path enrollment",
        Code::DuplicateId,
        |i| match i.checked_sub(learner_count) {
            None => format!("/evidence/learners/{i}/id"),
            Some(j) => format!("/evidence/pathEnrollments/{j}/id"),
        },
        &mut d,
    );
    let issued_index = IdIndex::build(
        evidence.issued.iter().map(|r| r.id.as_str()),
        "issued record",
        Code::DuplicateId,
        |i| format!("/evidence/issued/{i}/id"),
        &mut d,
    );
    let issued: Vec<(usize, &IssuedRecord)> =
        issued_index.iter().filter_map(|(_, i)| evidence.issued.get(i).map(|r| (i, r))).collect();
    for (i, record) in &issued {
        if let Resolution::Unknown = book.achievements.resolve(&record.achievement) {
            d.warning(
                Code::UnknownReference,
                format!("/evidence/issued/{i}/achievement"),
                format!("no achievement has the id `{}`; the record stays in the holdings", Shown(&record.achievement)),
            );
        }
    }
    for key in evidence.sequence_state.keys() {
        if let Resolution::Unknown = book.sequence_ids.resolve(key) {
            d.error(
                Code::UnknownReference,
                crate::pointer::join("/evidence/sequenceState", key),
                format!("no sequence has the id `{}`", Shown(key)),
            );
        }
    }

    let mut by_learner: BTreeMap<(&str, &str), LearnerRecords> = BTreeMap::new();
    let mut by_contact: BTreeMap<(&str, &str), Vec<&IssuedRecord>> = BTreeMap::new();
    for (_, record) in &issued {
        by_contact.entry((&record.contact, &record.achievement)).or_default().push(record);
        if let Some(learner) = &record.learner {
            let slot = by_learner.entry((learner, &record.achievement)).or_default();
            let latest = if record.revoked.is_some() { &mut slot.revoked } else { &mut slot.live };
            if latest.is_none_or(|r| (r.awarded_on, &r.id) < (record.awarded_on, &record.id)) {
                *latest = Some(record);
            }
        }
    }

    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut new_awards: Vec<NewAward> = Vec::new();
    let mut actions = Actions::default();
    let mut completions = path::Completions::default();

    // Event outcomes (SPEC §5).
    for (i, learner) in evidence.learners.iter().enumerate() {
        if participants.get(&learner.id) != Some(i) {
            continue;
        }
        let learner_path = format!("/evidence/learners/{i}");
        let event = match book.event_ids.resolve(&learner.event) {
            Resolution::Found(_) => book.events.get(&learner.event),
            Resolution::Duplicated => None,
            Resolution::Unknown => {
                d.error(
                    Code::UnknownReference,
                    format!("{learner_path}/event"),
                    format!("no event has the id `{}`", Shown(&learner.event)),
                );
                None
            }
        };
        let Some(event) = event else { continue };
        let (Some(event_def), Some(template)) = (rb.events.get(event.index), event.template) else { continue };
        for session in learner.attendance.keys() {
            if !event.session_ids.contains(session) {
                d.warning(
                    Code::UnknownReference,
                    crate::pointer::join(&format!("{learner_path}/attendance"), session),
                    format!(
                        "event `{}` has no session `{}`; the attendance is ignored",
                        Shown(&event_def.id),
                        Shown(session)
                    ),
                );
            }
        }
        for (j, result) in learner.results.iter().enumerate() {
            if !event.rules.iter().any(|r| r.achievement == result.achievement) {
                d.warning(
                    Code::UnknownReference,
                    format!("{learner_path}/results/{j}/achievement"),
                    format!(
                        "achievement `{}` is not in effect on event `{}`; the result is ignored",
                        Shown(&result.achievement),
                        Shown(&event_def.id)
                    ),
                );
            }
        }
        for rule in &event.rules {
            let decision = passing::decide(rule, event, event_def.end, learner, as_of, options.trace);
            let outcome = Outcome {
                learner: learner.id.clone(),
                contact: learner.contact.clone(),
                origin: Origin::Event(event_def.id.clone()),
                achievement: rule.achievement.clone(),
                status: decision.status,
                source: decision.source,
                met_on: decision.met_on,
                awarded_on: decision.awarded_on,
                valid_from: None,
                expires_on: None,
                identifier: None,
                record: None,
                waiting_on: decision.waiting_on,
                trace: decision.trace,
            };
            let award = NewAward {
                outcome: outcomes.len(),
                award_path: learner_path.clone(),
                achievement: rule.achievement_index,
                send_certificate: rule.send_certificate,
                met_on: decision.met_on.unwrap_or(as_of),
                source_end: event_def.end,
                context: Context::Event { event: event.index, template },
            };
            settle(outcome, award, &by_learner, &mut outcomes, &mut new_awards, &mut actions);
        }
    }

    // Learning paths (SPEC §7): steps completed by training records and awarded event outcomes.
    for record in &evidence.training_records {
        if let Some(code) = &record.qualification_code {
            if record.completion_date <= as_of {
                completions.add(&record.contact, code, record.completion_date);
            }
        }
    }
    for outcome in outcomes.iter().filter(|o| o.status == Status::Awarded) {
        let code = book.events.get(outcome.origin.id()).and_then(|e| e.course_code.as_deref());
        if let (Some(code), Some(date)) = (code, outcome.awarded_on) {
            completions.add(&outcome.contact, code, date);
        }
    }
    let mut paths = Vec::new();
    for (j, enrollment) in evidence.path_enrollments.iter().enumerate() {
        if participants.get(&enrollment.id) != Some(learner_count + j) {
            continue;
        }
        let enrollment_path = format!("/evidence/pathEnrollments/{j}");
        let p = match book.paths.resolve(&enrollment.path) {
            Resolution::Found(p) => p,
            Resolution::Duplicated => continue,
            Resolution::Unknown => {
                d.error(
                    Code::UnknownReference,
                    format!("{enrollment_path}/path"),
                    format!("no learning path has the id `{}`", Shown(&enrollment.path)),
                );
                continue;
            }
        };
        let Some(learning_path) = rb.learning_paths.get(p) else { continue };
        let progress = path::progress(learning_path, enrollment, &completions);
        if let Some(completed_on) = progress.completed_on {
            let mut achievements: Vec<(&String, usize)> =
                learning_path.achievements.iter().filter_map(|a| book.achievements.get(a).map(|i| (a, i))).collect();
            crate::order::sort(&mut achievements);
            achievements.dedup();
            for (achievement, index) in achievements {
                let outcome = Outcome {
                    learner: enrollment.id.clone(),
                    contact: enrollment.contact.clone(),
                    origin: Origin::Path(learning_path.id.clone()),
                    achievement: achievement.clone(),
                    status: Status::Awarded,
                    source: Source::Automatic,
                    met_on: Some(completed_on),
                    awarded_on: Some(completed_on),
                    valid_from: None,
                    expires_on: None,
                    identifier: None,
                    record: None,
                    waiting_on: Vec::new(),
                    trace: Vec::new(),
                };
                let award = NewAward {
                    outcome: outcomes.len(),
                    award_path: enrollment_path.clone(),
                    achievement: index,
                    send_certificate: true,
                    met_on: completed_on,
                    source_end: completed_on,
                    context: Context::Path { path: p },
                };
                settle(outcome, award, &by_learner, &mut outcomes, &mut new_awards, &mut actions);
            }
        }
        paths.push(progress);
    }

    // New records: validity, early renewal and identifiers in allocation order (SPEC §6).
    crate::order::sort_by(&mut new_awards, |a, b| allocation_key(&outcomes, a).cmp(&allocation_key(&outcomes, b)));
    let mut state = BTreeMap::new();
    for (sequence, next) in &evidence.sequence_state {
        state.insert(sequence.clone(), next.0);
    }
    let mut numbering = Numbering::new(state);
    let mut new_records: BTreeMap<(String, String), Vec<NewRecordDates>> = BTreeMap::new();
    let mut history: BTreeMap<(String, String), Vec<HistoryEntry>> = BTreeMap::new();
    for award in &new_awards {
        let (Some(outcome), Some(achievement)) = (outcomes.get(award.outcome), rb.achievements.get(award.achievement))
        else {
            continue;
        };
        let Some(awarded_on) = outcome.awarded_on else { continue };
        let key = (outcome.contact.clone(), outcome.achievement.clone());
        let prior_issued =
            by_contact.get(&(outcome.contact.as_str(), outcome.achievement.as_str())).into_iter().flatten().map(|r| {
                PriorRecord { valid_from: r.valid_from, expires_on: r.expires_on, revoked: r.revoked.as_ref() }
            });
        let prior_new = new_records.get(&key).into_iter().flatten().map(|(valid_from, expires_on)| PriorRecord {
            valid_from: *valid_from,
            expires_on: *expires_on,
            revoked: None,
        });
        let mut trace = Vec::new();
        let validity = validity::validity(
            achievement,
            awarded_on,
            award.met_on,
            award.source_end,
            prior_issued.chain(prior_new),
            options.trace.then_some(&mut trace),
        );
        let expires_on = validity.expires_on.unwrap_or_else(|validity::OutOfRange| {
            d.error(
                Code::DateOutOfRange,
                award.award_path.as_str(),
                format!("the expiry date of `{}` would fall after 9999-12-31; it is left out", Shown(&achievement.id)),
            );
            None
        });
        let identifier = achievement.sequence.as_deref().and_then(|sequence| {
            let kind = match award.context {
                Context::Event { .. } => FormatKind::Event,
                Context::Path { .. } => FormatKind::Path,
            };
            let values = AwardValues { book, context: &award.context, outcome };
            numbering.identify(&book.sequences, sequence, kind, &values, &award.award_path, &mut d)
        });
        new_records.entry(key.clone()).or_default().push((validity.valid_from, expires_on));
        let (learner, contact, origin) = (outcome.learner.clone(), outcome.contact.clone(), outcome.origin.clone());
        let achievement_id = outcome.achievement.clone();
        history.entry(key).or_default().push(HistoryEntry {
            id: None,
            achievement: achievement_id.clone(),
            contact: contact.clone(),
            learner: Some(learner.clone()),
            event: matches!(origin, Origin::Event(_)).then(|| origin.id().to_string()),
            path: matches!(origin, Origin::Path(_)).then(|| origin.id().to_string()),
            awarded_on,
            valid_from: validity.valid_from,
            expires_on,
            identifier: identifier.clone(),
            revoked: None,
        });
        actions.issue(IssueAction {
            learner: learner.clone(),
            contact: contact.clone(),
            achievement: achievement_id.clone(),
            origin: origin.clone(),
            awarded_on,
            valid_from: validity.valid_from,
            expires_on,
            identifier: identifier.clone(),
            certificate: achievement.certificate.clone(),
        });
        actions.notify(NotifyAction {
            trigger: "award-achievement",
            learner,
            contact,
            achievement: achievement_id,
            origin,
            attach_certificate: award.send_certificate && achievement.certificate.is_some(),
        });
        if let Some(outcome) = outcomes.get_mut(award.outcome) {
            outcome.valid_from = Some(validity.valid_from);
            outcome.expires_on = expires_on;
            outcome.identifier = identifier;
            outcome.trace.extend(trace);
        }
    }

    // Holdings (SPEC §7) over issued records and the new ones.
    for (_, record) in &issued {
        history.entry((record.contact.clone(), record.achievement.clone())).or_default().push(HistoryEntry {
            id: Some(record.id.clone()),
            achievement: record.achievement.clone(),
            contact: record.contact.clone(),
            learner: record.learner.clone(),
            event: record.event.clone(),
            path: record.path.clone(),
            awarded_on: record.awarded_on,
            valid_from: record.valid_from,
            expires_on: record.expires_on,
            identifier: record.identifier.clone(),
            revoked: record.revoked.clone(),
        });
    }
    let expiring = options.expiring_within_days();
    let holdings = history.into_values().filter_map(|h| holdings::holding(h, as_of, expiring)).collect();

    let certifications = certifications(book, evidence, as_of, &mut d);

    crate::order::sort_by(&mut outcomes, |a, b| {
        (&a.origin, &a.learner, &a.achievement).cmp(&(&b.origin, &b.learner, &b.achievement))
    });
    crate::order::sort_by(&mut paths, |a, b| {
        (&a.contact, &a.path, &a.enrollment).cmp(&(&b.contact, &b.path, &b.enrollment))
    });
    EvaluateAnswer {
        engine: EngineInfo { name: "laureate", version: ENGINE_VERSION },
        as_of,
        outcomes,
        paths,
        certifications,
        holdings,
        actions: actions.into_sorted(),
        sequence_state: numbering.state,
        diagnostics: d.into_sorted(),
    }
}

/// Applies already issued records to a decided outcome (SPEC §5 rule 9) and queues the award
/// when it needs a new record.
fn settle(
    mut outcome: Outcome,
    award: NewAward,
    by_learner: &BTreeMap<(&str, &str), LearnerRecords>,
    outcomes: &mut Vec<Outcome>,
    new_awards: &mut Vec<NewAward>,
    actions: &mut Actions,
) {
    let records = by_learner.get(&(outcome.learner.as_str(), outcome.achievement.as_str()));
    let record = records.and_then(|r| r.live.or(r.revoked));
    match (outcome.status, record) {
        (Status::Awarded, None) => new_awards.push(award),
        (Status::Awarded, Some(record)) => {
            outcome.awarded_on = Some(record.awarded_on);
            outcome.valid_from = Some(record.valid_from);
            outcome.expires_on = record.expires_on;
            outcome.identifier = record.identifier.clone();
            outcome.record = Some(record.id.clone());
        }
        (Status::Failed, Some(record)) => {
            outcome.record = Some(record.id.clone());
            if record.revoked.is_none() {
                actions.review_revoke(ReviewRevokeAction {
                    record: record.id.clone(),
                    learner: outcome.learner.clone(),
                    contact: outcome.contact.clone(),
                    achievement: outcome.achievement.clone(),
                    origin: outcome.origin.clone(),
                });
            }
        }
        (Status::Pending, Some(record)) => outcome.record = Some(record.id.clone()),
        (Status::Failed | Status::Pending, None) => {}
    }
    outcomes.push(outcome);
}

fn allocation_key<'a>(outcomes: &'a [Outcome], award: &NewAward) -> (Option<Date>, &'a str, &'a str, &'a str) {
    match outcomes.get(award.outcome) {
        Some(o) => (o.awarded_on, o.origin.id(), &o.learner, &o.achievement),
        None => (None, "", "", ""),
    }
}

/// The merge values of one new award.
struct AwardValues<'a> {
    book: &'a PreparedRulebook,
    context: &'a Context,
    outcome: &'a Outcome,
}

impl MergeSource for AwardValues<'_> {
    fn value(&self, field: &Field) -> Option<Cow<'_, str>> {
        let rb = &self.book.rulebook;
        let (event, template, path) = match *self.context {
            Context::Event { event, template } => (rb.events.get(event), rb.course_templates.get(template), None),
            Context::Path { path } => (None, None, rb.learning_paths.get(path)),
        };
        let award = self.outcome.awarded_on;
        let owned = |s: String| Some(Cow::Owned(s));
        match field {
            Field::SequenceNumber => None,
            Field::CourseCode => {
                event.and_then(|e| e.code.as_deref()).or(template.map(|t| t.code.as_str())).map(Cow::Borrowed)
            }
            Field::CourseTitle => template.map(|t| Cow::Borrowed(t.title.as_str())),
            Field::EventId => event.map(|e| Cow::Borrowed(e.id.as_str())),
            Field::EventStart => event.and_then(|e| owned(e.start.to_string())),
            Field::EventCustom(name) => {
                event.and_then(|e| e.custom_fields.get(name)).map(|v| Cow::Borrowed(v.as_str()))
            }
            Field::TemplateCustom(name) => {
                template.and_then(|t| t.custom_fields.get(name)).map(|v| Cow::Borrowed(v.as_str()))
            }
            Field::PathCode => path.map(|p| Cow::Borrowed(p.code.as_str())),
            Field::PathTitle => path.map(|p| Cow::Borrowed(p.title.as_str())),
            Field::AwardYear => award.and_then(|a| owned(format!("{:04}", a.year()))),
            Field::AwardMonth => award.and_then(|a| owned(format!("{:02}", a.month()))),
            Field::AwardDay => award.and_then(|a| owned(format!("{:02}", a.day()))),
            Field::AwardDate => award.and_then(|a| owned(a.compact())),
            Field::LearnerId => Some(Cow::Borrowed(self.outcome.learner.as_str())),
            Field::ContactId => Some(Cow::Borrowed(self.outcome.contact.as_str())),
            Field::AchievementId => Some(Cow::Borrowed(self.outcome.achievement.as_str())),
        }
    }
}

/// Certification rows (SPEC §7): one per contact and assigned certification.
fn certifications(
    book: &PreparedRulebook,
    evidence: &Evidence,
    as_of: Date,
    d: &mut Diagnostics,
) -> Vec<CertificationProgress> {
    let rb = &book.rulebook;
    for (i, result) in evidence.course_results.iter().enumerate() {
        if let Resolution::Unknown = book.courses.resolve(&result.course) {
            d.error(
                Code::UnknownReference,
                format!("/evidence/courseResults/{i}/course"),
                format!("no course has the id `{}`", Shown(&result.course)),
            );
        }
    }
    // (contact, certification) → earliest window start.
    let mut windows: BTreeMap<(&str, &str), Date> = BTreeMap::new();
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
        let start =
            assignment.assigned_on.max(certification.effective_from).sub_days(u64::from(grace)).unwrap_or(Date::MIN);
        windows.entry((&assignment.contact, &certification.id)).and_modify(|w| *w = (*w).min(start)).or_insert(start);
    }
    let mut results: BTreeMap<&str, Vec<&crate::wire::evidence::CourseResult>> = BTreeMap::new();
    for result in &evidence.course_results {
        results.entry(&result.contact).or_default().push(result);
    }
    windows
        .into_iter()
        .filter_map(|((contact, id), start)| {
            let certification = book.certifications.get(id).and_then(|c| rb.certifications.get(c))?;
            let can_complete = certification.courses.iter().any(|course| {
                book.courses
                    .get(course)
                    .and_then(|k| rb.courses.get(k))
                    .is_some_and(|c| c.graded_steps.is_some_and(|g| g.0 >= 1))
            });
            let contact_results = results.get(contact).map(Vec::as_slice).unwrap_or(&[]);
            Some(certification::evaluate(certification, contact, Some(start), can_complete, contact_results, as_of))
        })
        .collect()
}
