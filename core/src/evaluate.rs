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
use crate::ranks::{ItemRanks, Ranks, UNRANKED};
use crate::rulebook::{PreparedEvent, PreparedRulebook, Resolution};
use crate::sequence::format::{Field, FormatKind};
use crate::sequence::{MergeSource, MergeValue, Numbering};
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

/// Where in the request an award was decided: diagnostics point there.
#[derive(Clone, Copy)]
enum Site {
    Learner(usize),
    Enrollment(usize),
}

impl Site {
    fn path(self) -> String {
        match self {
            Site::Learner(i) => format!("/evidence/learners/{i}"),
            Site::Enrollment(j) => format!("/evidence/pathEnrollments/{j}"),
        }
    }
}

/// The ranks (crate::ranks) an outcome is sorted and grouped by.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct OutcomeKey {
    /// Events before paths, as `Origin`'s order.
    path: bool,
    origin: u32,
    learner: u32,
    achievement: u32,
    contact: u32,
}

/// An outcome that needs a new record: validated and numbered in allocation order.
struct NewAward {
    outcome: usize,
    site: Site,
    achievement: usize,
    send_certificate: bool,
    met_on: Date,
    source_end: Date,
    context: Context,
}

/// A record of a holding's history: made by this evaluation (the outcome at this position,
/// which holds its dates and identifier by then) or issued before (at this position of the
/// issued records defined once).
#[derive(Clone, Copy)]
enum RecordSource {
    New(usize),
    Issued(usize),
}

impl RecordSource {
    fn entry<'a>(self, outcomes: &[Outcome<'a>], issued: &[(usize, &'a IssuedRecord)]) -> Option<HistoryEntry<'a>> {
        Some(match self {
            RecordSource::New(i) => {
                let outcome = outcomes.get(i)?;
                let origin = outcome.origin;
                HistoryEntry {
                    id: None,
                    achievement: outcome.achievement,
                    contact: outcome.contact,
                    learner: Some(outcome.learner),
                    event: matches!(origin, Origin::Event(_)).then(|| origin.id()),
                    path: matches!(origin, Origin::Path(_)).then(|| origin.id()),
                    awarded_on: outcome.awarded_on?,
                    valid_from: outcome.valid_from?,
                    expires_on: outcome.expires_on,
                    identifier: outcome.identifier.clone(),
                    revoked: None,
                }
            }
            RecordSource::Issued(k) => {
                let record = issued.get(k)?.1;
                HistoryEntry {
                    id: Some(&record.id),
                    achievement: &record.achievement,
                    contact: &record.contact,
                    learner: record.learner.as_deref(),
                    event: record.event.as_deref(),
                    path: record.path.as_deref(),
                    awarded_on: record.awarded_on,
                    valid_from: record.valid_from,
                    expires_on: record.expires_on,
                    identifier: record.identifier.as_deref().map(Text::Borrowed),
                    revoked: record.revoked.as_ref(),
                }
            }
        })
    }
}

/// A learner's event, as looked up by its id.
#[derive(Clone, Copy)]
enum EventLookup<'a> {
    /// The event and its origin rank.
    Found(&'a PreparedEvent, u32),
    /// No event has the id: reported for learners whose id is defined once.
    Unknown,
    /// The id is defined more than once (reported with the rulebook): no outcomes.
    Skipped,
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

/// The issued records of each (participant position, achievement rank), sorted by that key.
struct ByLearner<'a>(Vec<((u32, u32), LearnerRecords<'a>)>);

impl<'a> ByLearner<'a> {
    /// `records[i]` (participant position, record) under `keys[i]` (participant position,
    /// achievement rank).
    fn new(mut records: Vec<(u32, &'a IssuedRecord)>, keys: &[(u32, u32)]) -> ByLearner<'a> {
        let order = crate::order::pair_positions(keys);
        let achievements: Vec<u32> = order.iter().map(|&i| keys.get(i).map_or(UNRANKED, |k| k.1)).collect();
        crate::order::permute(&mut records, &order);
        let mut grouped: Vec<((u32, u32), LearnerRecords<'a>)> = Vec::new();
        for ((participant, record), achievement) in records.into_iter().zip(achievements) {
            let key = (participant, achievement);
            if grouped.last().is_none_or(|(k, _)| *k != key) {
                grouped.push((key, LearnerRecords::default()));
            }
            if let Some((_, slot)) = grouped.last_mut() {
                let latest = if record.revoked.is_some() { &mut slot.revoked } else { &mut slot.live };
                if latest.is_none_or(|r| (r.awarded_on, &r.id) < (record.awarded_on, &record.id)) {
                    *latest = Some(record);
                }
            }
        }
        ByLearner(grouped)
    }

    fn get(&self, participant: usize, achievement: u32) -> Option<&LearnerRecords<'a>> {
        let key = (u32::try_from(participant).ok()?, achievement);
        self.0.binary_search_by_key(&key, |(k, _)| *k).ok().and_then(|i| self.0.get(i)).map(|(_, r)| r)
    }
}

/// Evaluates `evidence` against a prepared rulebook, as known on `as_of`.
pub fn evaluate<'a>(
    book: &'a PreparedRulebook,
    as_of: Date,
    evidence: &'a Evidence,
    options: &Options,
) -> EvaluateAnswer<'a> {
    let rb = &book.rulebook;
    let mut d = Diagnostics::default();
    d.extend(&book.diagnostics);

    // Learners and path enrolments share one id namespace; issued records have their own. Items
    // are ranked by id: maps and sorts below compare integers in the order of the ids.
    let learner_count = evidence.learners.len();
    let enrollment_count = evidence.path_enrollments.len();
    let participants = ItemRanks::new(
        evidence
            .learners
            .iter()
            .map(|l| l.id.as_str())
            .chain(evidence.path_enrollments.iter().map(|p| p.id.as_str()))
            .collect(),
    );
    let participant_rank =
        unique_ranks(&participants, "learner or path enrollment", &mut d, |i| match i.checked_sub(learner_count) {
            None => format!("/evidence/learners/{i}/id"),
            Some(j) => format!("/evidence/pathEnrollments/{j}/id"),
        });
    let issued_ids = ItemRanks::new(evidence.issued.iter().map(|r| r.id.as_str()).collect());
    let issued_rank = unique_ranks(&issued_ids, "issued record", &mut d, |i| format!("/evidence/issued/{i}/id"));
    // Issued records defined once, by id.
    let issued: Vec<(usize, &IssuedRecord)> = issued_ids
        .sorted()
        .iter()
        .filter(|i| issued_rank.get(**i).is_some_and(|r| *r != UNRANKED))
        .filter_map(|&i| evidence.issued.get(i).map(|r| (i, r)))
        .collect();
    // Contacts of learners, enrolments, issued records (in `issued` order) and training records.
    let contacts = ItemRanks::new(
        evidence
            .learners
            .iter()
            .map(|l| l.contact.as_str())
            .chain(evidence.path_enrollments.iter().map(|p| p.contact.as_str()))
            .chain(issued.iter().map(|(_, r)| r.contact.as_str()))
            .chain(evidence.training_records.iter().map(|r| r.contact.as_str()))
            .collect(),
    );
    let (issued_contact, record_contact) =
        (learner_count + enrollment_count, learner_count + enrollment_count + issued.len());
    let achievement_ranks = Ranks::new(
        rb.achievements.iter().map(|a| a.id.as_str()).chain(issued.iter().map(|(_, r)| r.achievement.as_str())),
    );
    let achievement_rank: Vec<u32> = rb.achievements.iter().map(|a| achievement_ranks.of(&a.id)).collect();
    let origins =
        Ranks::new(rb.events.iter().map(|e| e.id.as_str()).chain(rb.learning_paths.iter().map(|p| p.id.as_str())));
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

    // (participant, achievement rank) → issued records; each issued record's (contact rank,
    // achievement rank), and the records in that order (stable: `issued` order within a key).
    let mut learner_records: Vec<(u32, &'a IssuedRecord)> = Vec::new();
    let mut learner_keys: Vec<(u32, u32)> = Vec::new();
    let mut issued_keys: Vec<(u32, u32)> = Vec::with_capacity(issued.len());
    for (k, (_, record)) in issued.iter().enumerate() {
        let achievement = achievement_ranks.of(&record.achievement);
        issued_keys.push((contacts.at(issued_contact + k), achievement));
        let learner = record.learner.as_deref().and_then(|l| participants.find(l));
        let ranked = learner.filter(|p| participant_rank.get(*p).is_some_and(|r| *r != UNRANKED));
        if let Some(learner) = ranked.and_then(|p| u32::try_from(p).ok()) {
            learner_keys.push((learner, achievement));
            learner_records.push((learner, record));
        }
    }
    let by_learner = ByLearner::new(learner_records, &learner_keys);

    let by_contact = KeyedRecords::new(&issued_keys, issued.iter().map(|(_, r)| *r).collect());

    // Each learner's event, looked up once (learners of one event usually come together: the
    // last event looked up is kept), and one outcome per learner and rule of its event, plus at
    // most one per enrolment and achievement of its path: counted first, so that the outcome
    // records (the largest items of an evaluation) are never moved by a growing vector.
    let mut learner_events: Vec<EventLookup<'a>> = Vec::with_capacity(learner_count);
    let mut expected = 0usize;
    let mut last: Option<(&str, EventLookup<'a>)> = None;
    for learner in &evidence.learners {
        let lookup = match last.filter(|(id, _)| *id == learner.event) {
            Some((_, lookup)) => lookup,
            None => match book.event_ids.resolve(&learner.event) {
                Resolution::Found(_) => book.events.get(&learner.event).map_or(EventLookup::Skipped, |event| {
                    let origin = rb.events.get(event.index).map_or(UNRANKED, |e| origins.of(&e.id));
                    EventLookup::Found(event, origin)
                }),
                Resolution::Duplicated => EventLookup::Skipped,
                Resolution::Unknown => EventLookup::Unknown,
            },
        };
        last = Some((&learner.event, lookup));
        if let EventLookup::Found(event, _) = lookup {
            expected = expected.saturating_add(event.rules.len());
        }
        learner_events.push(lookup);
    }
    for enrollment in &evidence.path_enrollments {
        if let Resolution::Found(p) = book.paths.resolve(&enrollment.path) {
            expected = expected.saturating_add(rb.learning_paths.get(p).map_or(0, |lp| lp.achievements.len()));
        }
    }
    let mut outcomes: Vec<Outcome<'a>> = Vec::with_capacity(expected);
    let mut keys: Vec<OutcomeKey> = Vec::with_capacity(expected);
    let mut new_awards: Vec<NewAward> = Vec::with_capacity(expected);
    let mut actions = Actions::default();
    // Step completions count only for contacts with a path enrolment.
    let enrolled = (0..enrollment_count).map(|j| contacts.at(learner_count + j));
    let mut completions = path::Completions::new(enrolled);

    // Event outcomes (SPEC §5).
    for ((i, learner), lookup) in evidence.learners.iter().enumerate().zip(learner_events) {
        let Some(&learner_rank) = participant_rank.get(i).filter(|r| **r != UNRANKED) else { continue };
        let (event, origin) = match lookup {
            EventLookup::Found(event, origin) => (event, origin),
            EventLookup::Skipped => continue,
            EventLookup::Unknown => {
                d.error(
                    Code::UnknownReference,
                    format!("/evidence/learners/{i}/event"),
                    format!("no event has the id `{}`", Shown(&learner.event)),
                );
                continue;
            }
        };
        let (Some(event_def), Some(template)) = (rb.events.get(event.index), event.template) else { continue };
        let contact = contacts.at(i);
        let marks = passing::marks(event, learner, as_of, &mut |session| {
            d.warning(
                Code::UnknownReference,
                crate::pointer::join(&format!("/evidence/learners/{i}/attendance"), session),
                format!(
                    "event `{}` has no session `{}`; the attendance is ignored",
                    Shown(&event_def.id),
                    Shown(session)
                ),
            );
        });
        for (j, result) in learner.results.iter().enumerate() {
            if !event.rules.iter().any(|r| r.achievement == result.achievement) {
                d.warning(
                    Code::UnknownReference,
                    format!("/evidence/learners/{i}/results/{j}/achievement"),
                    format!(
                        "achievement `{}` is not in effect on event `{}`; the result is ignored",
                        Shown(&result.achievement),
                        Shown(&event_def.id)
                    ),
                );
            }
        }
        for rule in &event.rules {
            let decision = passing::decide(rule, event, event_def.end, learner, marks, as_of, options.trace);
            let outcome = Outcome {
                learner: &learner.id,
                contact: &learner.contact,
                origin: Origin::Event(&event_def.id),
                achievement: &rule.achievement,
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
            let key = OutcomeKey {
                path: false,
                origin,
                learner: learner_rank,
                achievement: achievement_rank.get(rule.achievement_index).copied().unwrap_or(UNRANKED),
                contact,
            };
            let award = NewAward {
                outcome: outcomes.len(),
                site: Site::Learner(i),
                achievement: rule.achievement_index,
                send_certificate: rule.send_certificate,
                met_on: decision.met_on.unwrap_or(as_of),
                source_end: event_def.end,
                context: Context::Event { event: event.index, template },
            };
            settle(outcome, key, award, i, &by_learner, &mut outcomes, &mut keys, &mut new_awards, &mut actions);
        }
    }

    // Learning paths (SPEC §7): steps completed by training records and awarded event outcomes.
    for (r, record) in evidence.training_records.iter().enumerate() {
        if let Some(code) = &record.qualification_code {
            if record.completion_date <= as_of {
                completions.add(contacts.at(record_contact + r), code, record.completion_date);
            }
        }
    }
    for (outcome, key) in outcomes.iter().zip(&keys) {
        if outcome.status != Status::Awarded || !completions.counts(key.contact) {
            continue;
        }
        let code = book.events.get(outcome.origin.id()).and_then(|e| e.course_code.as_deref());
        if let (Some(code), Some(date)) = (code, outcome.awarded_on) {
            completions.add(key.contact, code, date);
        }
    }
    let mut paths = Vec::new();
    for (j, enrollment) in evidence.path_enrollments.iter().enumerate() {
        let Some(&learner_rank) = participant_rank.get(learner_count + j).filter(|r| **r != UNRANKED) else {
            continue;
        };
        let p = match book.paths.resolve(&enrollment.path) {
            Resolution::Found(p) => p,
            Resolution::Duplicated => continue,
            Resolution::Unknown => {
                d.error(
                    Code::UnknownReference,
                    format!("/evidence/pathEnrollments/{j}/path"),
                    format!("no learning path has the id `{}`", Shown(&enrollment.path)),
                );
                continue;
            }
        };
        let Some(learning_path) = rb.learning_paths.get(p) else { continue };
        let progress = path::progress(learning_path, enrollment, contacts.at(learner_count + j), &completions);
        if let Some(completed_on) = progress.completed_on {
            let mut achievements: Vec<(&'a String, usize)> =
                learning_path.achievements.iter().filter_map(|a| book.achievements.get(a).map(|i| (a, i))).collect();
            crate::order::sort(&mut achievements);
            achievements.dedup();
            for (achievement, index) in achievements {
                let outcome = Outcome {
                    learner: &enrollment.id,
                    contact: &enrollment.contact,
                    origin: Origin::Path(&learning_path.id),
                    achievement,
                    status: Status::Awarded,
                    source: Source::Automatic,
                    met_on: Some(completed_on),
                    awarded_on: Some(completed_on),
                    valid_from: None,
                    expires_on: None,
                    identifier: None,
                    record: None,
                    waiting_on: WaitingOnSet::EMPTY,
                    trace: Vec::new(),
                };
                let key = OutcomeKey {
                    path: true,
                    origin: origins.of(&learning_path.id),
                    learner: learner_rank,
                    achievement: achievement_rank.get(index).copied().unwrap_or(UNRANKED),
                    contact: contacts.at(learner_count + j),
                };
                let award = NewAward {
                    outcome: outcomes.len(),
                    site: Site::Enrollment(j),
                    achievement: index,
                    send_certificate: true,
                    met_on: completed_on,
                    source_end: completed_on,
                    context: Context::Path { path: p },
                };
                let participant = learner_count + j;
                settle(
                    outcome,
                    key,
                    award,
                    participant,
                    &by_learner,
                    &mut outcomes,
                    &mut keys,
                    &mut new_awards,
                    &mut actions,
                );
            }
        }
        paths.push(progress);
    }

    // New records: validity, early renewal and identifiers in allocation order (SPEC §6).
    let allocation: Vec<u128> = new_awards.iter().map(|a| allocation_key(&outcomes, &keys, a)).collect();
    crate::order::sort_by_packed_keys(&mut new_awards, &allocation);
    actions.reserve_awards(new_awards.len());
    let mut state = BTreeMap::new();
    for (sequence, next) in &evidence.sequence_state {
        state.insert(sequence.clone(), next.0);
    }
    let mut numbering = Numbering::new(state);
    // Each new award's (contact rank, achievement rank), the award made before it with the same
    // key, and the dates of the records made here (by award).
    let award_keys: Vec<(u32, u32)> = new_awards
        .iter()
        .map(|a| keys.get(a.outcome).map_or((UNRANKED, UNRANKED), |k| (k.contact, k.achievement)))
        .collect();
    let (earlier_same_key, awards_by_key) = earlier_with_same_key(&award_keys);
    let mut new_records: Vec<Option<NewRecordDates>> = Vec::with_capacity(new_awards.len());
    for (n, award) in new_awards.iter().enumerate() {
        let (Some(outcome), Some(outcome_key), Some(achievement)) =
            (outcomes.get(award.outcome), keys.get(award.outcome), rb.achievements.get(award.achievement))
        else {
            new_records.push(None);
            continue;
        };
        let Some(awarded_on) = outcome.awarded_on else {
            new_records.push(None);
            continue;
        };
        let key = (outcome_key.contact, outcome_key.achievement);
        let prior_issued = by_contact.get(key).iter().map(|r| PriorRecord {
            valid_from: r.valid_from,
            expires_on: r.expires_on,
            revoked: r.revoked.as_ref(),
        });
        let earlier = core::iter::successors(earlier_same_key.get(n).copied().flatten(), |&m| {
            earlier_same_key.get(m).copied().flatten()
        });
        let prior_new = earlier
            .filter_map(|m| new_records.get(m).copied().flatten())
            .map(|(valid_from, expires_on)| PriorRecord { valid_from, expires_on, revoked: None });
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
                award.site.path(),
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
            numbering
                .identify(&book.sequences, sequence, kind, &values, &|| award.site.path(), &mut d)
                .map(Text::Shared)
        });
        new_records.push(Some((validity.valid_from, expires_on)));
        let (learner, contact, origin, achievement_id) =
            (outcome.learner, outcome.contact, outcome.origin, outcome.achievement);
        actions.issue(IssueAction {
            learner,
            contact,
            achievement: achievement_id,
            origin,
            awarded_on,
            valid_from: validity.valid_from,
            expires_on,
            identifier: identifier.clone(),
            certificate: achievement.certificate.as_deref(),
        });
        actions.notify(
            (outcome_key.contact, outcome_key.learner, outcome_key.achievement),
            NotifyAction {
                trigger: "award-achievement",
                learner,
                contact,
                achievement: achievement_id,
                origin,
                attach_certificate: award.send_certificate && achievement.certificate.is_some(),
            },
        );
        if let Some(outcome) = outcomes.get_mut(award.outcome) {
            outcome.valid_from = Some(validity.valid_from);
            outcome.expires_on = expires_on;
            outcome.identifier = identifier;
            outcome.trace.extend(trace);
        }
    }

    // Holdings (SPEC §7) over the new records and the issued ones: every record by (contact rank,
    // achievement rank), under one key the new ones (in award order) before the issued ones (in
    // `issued` order). Both are sorted by key already (for the award chains and the prior
    // records above), so they are merged, not sorted again. A history entry is made only once
    // its place is known, in its holding (see `RecordSource`).
    // Whether new award `n` made a record (an award without an outcome or award date made none).
    let recorded = |n: usize| new_records.get(n).is_some_and(Option::is_some);
    let recorded_awards = awards_by_key
        .iter()
        .filter(|&&n| recorded(n))
        .filter_map(|&n| Some((*award_keys.get(n)?, RecordSource::New(new_awards.get(n)?.outcome))));
    let issued_by_key = by_contact.order.iter().filter_map(|&k| Some((*issued_keys.get(k)?, RecordSource::Issued(k))));
    let history = crate::order::merge_by_key(recorded_awards, issued_by_key);
    let expiring = options.expiring_within_days();
    let mut holdings = Vec::new();
    for group in history.chunk_by(|a, b| a.0 == b.0) {
        let entries: Vec<HistoryEntry<'a>> =
            group.iter().filter_map(|(_, source)| source.entry(&outcomes, &issued)).collect();
        holdings.extend(holdings::holding(entries, as_of, expiring));
    }

    let certifications = certifications(book, evidence, as_of, &mut d);

    // (path, origin, learner, achievement): events before paths, then by rank.
    let order: Vec<u128> = keys
        .iter()
        .map(|k| (u128::from(k.path) << 96) | crate::order::pack(0, k.origin, k.learner, k.achievement))
        .collect();
    crate::order::sort_by_packed_keys(&mut outcomes, &order);
    crate::order::sort_by(&mut paths, |a, b| (a.contact, a.path, a.enrollment).cmp(&(b.contact, b.path, b.enrollment)));
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
#[allow(clippy::too_many_arguments)]
fn settle<'a>(
    mut outcome: Outcome<'a>,
    key: OutcomeKey,
    award: NewAward,
    participant: usize,
    by_learner: &ByLearner<'a>,
    outcomes: &mut Vec<Outcome<'a>>,
    keys: &mut Vec<OutcomeKey>,
    new_awards: &mut Vec<NewAward>,
    actions: &mut Actions<'a>,
) {
    let records = by_learner.get(participant, key.achievement);
    let record = records.and_then(|r| r.live.or(r.revoked));
    match (outcome.status, record) {
        (Status::Awarded, None) => new_awards.push(award),
        (Status::Awarded, Some(record)) => {
            outcome.awarded_on = Some(record.awarded_on);
            outcome.valid_from = Some(record.valid_from);
            outcome.expires_on = record.expires_on;
            outcome.identifier = record.identifier.as_deref().map(Text::Borrowed);
            outcome.record = Some(&record.id);
        }
        (Status::Failed, Some(record)) => {
            outcome.record = Some(&record.id);
            if record.revoked.is_none() {
                actions.review_revoke(
                    (key.contact, key.learner, key.achievement),
                    ReviewRevokeAction {
                        record: &record.id,
                        learner: outcome.learner,
                        contact: outcome.contact,
                        achievement: outcome.achievement,
                        origin: outcome.origin,
                    },
                );
            }
        }
        (Status::Pending, Some(record)) => outcome.record = Some(&record.id),
        (Status::Failed | Status::Pending, None) => {}
    }
    outcomes.push(outcome);
    keys.push(key);
}

/// SPEC §6 allocation order: (awardedOn, origin id, learner, achievement), by rank, packed
/// (`crate::order::pack`). An award without an award date gets no record, so where it sorts does
/// not matter (first).
fn allocation_key(outcomes: &[Outcome], keys: &[OutcomeKey], award: &NewAward) -> u128 {
    match (outcomes.get(award.outcome), keys.get(award.outcome)) {
        (Some(o), Some(k)) => {
            crate::order::pack(o.awarded_on.map_or(0, Date::rank), k.origin, k.learner, k.achievement)
        }
        _ => crate::order::pack(0, UNRANKED, UNRANKED, UNRANKED),
    }
}

/// The merge values of one new award.
struct AwardValues<'a> {
    book: &'a PreparedRulebook,
    context: &'a Context,
    outcome: &'a Outcome<'a>,
}

impl MergeSource for AwardValues<'_> {
    fn value(&self, field: &Field) -> Option<MergeValue<'_>> {
        let rb = &self.book.rulebook;
        let (event, template, path) = match *self.context {
            Context::Event { event, template } => (rb.events.get(event), rb.course_templates.get(template), None),
            Context::Path { path } => (None, None, rb.learning_paths.get(path)),
        };
        // The award date's parts as numbers of 4, 2 and 2 digits (years 0–9999, as read).
        let award = || self.outcome.awarded_on.filter(|a| (0..=9999).contains(&a.year()));
        let digits = |value: u32, digits: u8| Some(MergeValue::Digits { value, digits });
        match field {
            Field::SequenceNumber => None,
            Field::CourseCode => {
                event.and_then(|e| e.code.as_deref()).or(template.map(|t| t.code.as_str())).map(MergeValue::borrowed)
            }
            Field::CourseTitle => template.map(|t| MergeValue::borrowed(&t.title)),
            Field::EventId => event.map(|e| MergeValue::borrowed(&e.id)),
            Field::EventStart => event.map(|e| MergeValue::Text(Cow::Owned(e.start.to_string()))),
            Field::EventCustom(name) => event.and_then(|e| e.custom_fields.get(name)).map(|v| MergeValue::borrowed(v)),
            Field::TemplateCustom(name) => {
                template.and_then(|t| t.custom_fields.get(name)).map(|v| MergeValue::borrowed(v))
            }
            Field::PathCode => path.map(|p| MergeValue::borrowed(&p.code)),
            Field::PathTitle => path.map(|p| MergeValue::borrowed(&p.title)),
            Field::AwardYear => award().and_then(|a| digits(u32::try_from(a.year()).ok()?, 4)),
            Field::AwardMonth => award().and_then(|a| digits(a.month(), 2)),
            Field::AwardDay => award().and_then(|a| digits(a.day(), 2)),
            Field::AwardDate => {
                award().and_then(|a| digits(u32::try_from(a.year()).ok()? * 10_000 + a.month() * 100 + a.day(), 8))
            }
            Field::LearnerId => Some(MergeValue::borrowed(self.outcome.learner)),
            Field::ContactId => Some(MergeValue::borrowed(self.outcome.contact)),
            Field::AchievementId => Some(MergeValue::borrowed(self.outcome.achievement)),
        }
    }
}

/// Certification rows (SPEC §7): one per contact and assigned certification.
fn certifications<'a>(
    book: &'a PreparedRulebook,
    evidence: &'a Evidence,
    as_of: Date,
    d: &mut Diagnostics,
) -> Vec<CertificationProgress<'a>> {
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
    let mut windows: BTreeMap<(&'a str, &'a str), Date> = BTreeMap::new();
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

/// Records grouped by a (contact rank, achievement rank) key: sorted by key, stable within one.
struct KeyedRecords<T> {
    keys: Vec<(u32, u32)>,
    records: Vec<T>,
    /// The records' input positions, in this order.
    order: Vec<usize>,
}

impl<T> KeyedRecords<T> {
    /// `records[i]` under `keys[i]`.
    fn new(keys: &[(u32, u32)], mut records: Vec<T>) -> KeyedRecords<T> {
        let order = crate::order::pair_positions(keys);
        let sorted = order.iter().filter_map(|&i| keys.get(i).copied()).collect();
        crate::order::permute(&mut records, &order);
        KeyedRecords { keys: sorted, records, order }
    }

    /// The records under `key`, in their input order.
    fn get(&self, key: (u32, u32)) -> &[T] {
        let start = self.keys.partition_point(|k| *k < key);
        let end = start + self.keys.get(start..).map_or(0, |rest| rest.partition_point(|k| *k == key));
        self.records.get(start..end).unwrap_or(&[])
    }
}

/// For each key, the position of the nearest earlier equal key; and the positions in key order
/// (equal keys by position).
fn earlier_with_same_key(keys: &[(u32, u32)]) -> (Vec<Option<usize>>, Vec<usize>) {
    let positions = crate::order::pair_positions(keys);
    let mut earlier = alloc::vec![None; keys.len()];
    for pair in positions.windows(2) {
        if let [a, b] = *pair {
            if keys.get(a) == keys.get(b) {
                if let Some(slot) = earlier.get_mut(b) {
                    *slot = Some(a);
                }
            }
        }
    }
    (earlier, positions)
}

/// Each item's rank when its id is defined once, else [`UNRANKED`]; each later occurrence of an
/// id is reported as `duplicate-id` at `path_of(position)`.
fn unique_ranks(ids: &ItemRanks, kind: &str, d: &mut Diagnostics, path_of: impl Fn(usize) -> String) -> Vec<u32> {
    let mut ranks = ids.rank.clone();
    for group in ids.sorted().chunk_by(|a, b| ids.at(*a) == ids.at(*b)) {
        if group.len() > 1 {
            for (n, &position) in group.iter().enumerate() {
                if let Some(slot) = ranks.get_mut(position) {
                    *slot = UNRANKED;
                }
                if n > 0 {
                    let id = ids.id(position);
                    d.error(
                        Code::DuplicateId,
                        path_of(position),
                        format!("{kind} `{}` is defined more than once", Shown(id)),
                    );
                }
            }
        }
    }
    ranks
}
