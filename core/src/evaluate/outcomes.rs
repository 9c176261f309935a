//! Event outcomes (spec.md §5): one per learner and rule in effect on the learner's event,
//! decided by the passing rules and settled against the records already issued.

use alloc::format;
use alloc::vec::Vec;

use crate::diagnostics::Code;
use crate::passing;
use crate::ranks::UNRANKED;
use crate::rulebook::{PreparedEvent, Resolution};
use crate::wire::answer::{Origin, ReviewRevokeAction, Status};
use crate::wire::evidence::Learner;
use crate::wire::scalar::Shown;

use super::decided::{Context, Decided, NewAward, OutcomeKey, Outcomes, Record, Site};
use super::state::Evaluation;

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

impl<'a> Evaluation<'a> {
    /// Every learner's outcomes, in learner order (then the order of the event's rules).
    pub fn event_outcomes(&mut self) -> Outcomes<'a> {
        let (events, expected) = self.learner_events();
        let mut decided = Vec::with_capacity(expected);
        for ((i, learner), lookup) in self.evidence.learners.iter().enumerate().zip(events) {
            let Some(rank) = self.ids.learner(i) else { continue };
            match lookup {
                EventLookup::Found(event, origin) => {
                    self.learner_outcomes(i, learner, (rank, origin), event, &mut decided);
                }
                EventLookup::Skipped => {}
                EventLookup::Unknown => self.diagnostics.error(
                    Code::UnknownReference,
                    format!("/evidence/learners/{i}/event"),
                    format!("no event has the id `{}`", Shown(&learner.event)),
                ),
            }
        }
        decided
    }

    /// Each learner's event, looked up once (learners of one event usually come together: the
    /// last event looked up is kept), and the number of outcomes to expect: one per learner and
    /// rule of its event, plus at most one per enrolment and achievement of its path, counted
    /// first so that the outcomes (the largest items of an evaluation) are never moved by a
    /// growing vector.
    fn learner_events(&self) -> (Vec<EventLookup<'a>>, usize) {
        let book = self.book;
        let mut events = Vec::with_capacity(self.evidence.learners.len());
        let mut expected = 0usize;
        let mut last: Option<(&str, EventLookup<'a>)> = None;
        for learner in &self.evidence.learners {
            let lookup = match last.filter(|(id, _)| *id == learner.event) {
                Some((_, lookup)) => lookup,
                None => match book.event_ids.resolve(&learner.event) {
                    Resolution::Found(_) => book.events.get(&learner.event).map_or(EventLookup::Skipped, |event| {
                        let origin = self.rb.events.get(event.index).map_or(UNRANKED, |e| self.ids.origins.of(&e.id));
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
            events.push(lookup);
        }
        for enrollment in &self.evidence.path_enrollments {
            if let Resolution::Found(p) = book.paths.resolve(&enrollment.path) {
                expected = expected.saturating_add(self.rb.learning_paths.get(p).map_or(0, |lp| lp.achievements.len()));
            }
        }
        (events, expected)
    }

    /// The outcomes of learner `i` (ranked `learner`, its event ranked `origin`).
    fn learner_outcomes(
        &mut self,
        i: usize,
        learner: &'a Learner,
        (learner_rank, origin): (u32, u32),
        event: &'a PreparedEvent,
        decided: &mut Outcomes<'a>,
    ) {
        let (Some(event_def), Some(template)) = (self.rb.events.get(event.index), event.template) else { return };
        let marks = self.attendance_marks(i, learner, event);
        self.check_results(i, learner, event);
        for rule in &event.rules {
            let decision = passing::decide(rule, event, event_def.end, learner, marks, self.as_of, self.trace);
            let outcome = Decided {
                key: OutcomeKey {
                    path: false,
                    origin,
                    learner: learner_rank,
                    achievement: self.ids.achievement(rule.achievement_index),
                    contact: self.ids.learner_contact(i),
                },
                learner: &learner.id,
                contact: &learner.contact,
                origin: Origin::Event(&event_def.id),
                achievement: &rule.achievement,
                status: decision.status,
                source: decision.source,
                met_on: decision.met_on,
                awarded_on: decision.awarded_on,
                waiting_on: decision.waiting_on,
                trace: decision.trace,
                record: Record::None,
                decided_by: decision.decided_by,
            };
            let award = NewAward {
                site: Site::Learner(i),
                achievement: rule.achievement_index,
                send_certificate: rule.send_certificate,
                met_on: decision.met_on.unwrap_or(self.as_of),
                source_end: event_def.end,
                context: Context::Event { event: event.index, template },
                made: None,
            };
            self.settle(outcome, i, award, decided);
        }
    }

    /// Learner `i`'s attendance on its event's sessions; marks of sessions the event does not
    /// have are reported and ignored.
    fn attendance_marks(&mut self, i: usize, learner: &Learner, event: &PreparedEvent) -> passing::Marks {
        let event_id = self.rb.events.get(event.index).map_or("", |e| e.id.as_str());
        let d = &mut self.diagnostics;
        passing::marks(event, learner, self.as_of, &mut |session| {
            d.warning(
                Code::UnknownReference,
                crate::pointer::join(&format!("/evidence/learners/{i}/attendance"), session),
                format!("event `{}` has no session `{}`; the attendance is ignored", Shown(event_id), Shown(session)),
            );
        })
    }

    /// Results for achievements not in effect on the learner's event are reported and ignored.
    fn check_results(&mut self, i: usize, learner: &Learner, event: &PreparedEvent) {
        let event_id = self.rb.events.get(event.index).map_or("", |e| e.id.as_str());
        for (j, result) in learner.results.iter().enumerate() {
            if !event.rules.iter().any(|r| r.achievement == result.achievement) {
                self.diagnostics.warning(
                    Code::UnknownReference,
                    format!("/evidence/learners/{i}/results/{j}/achievement"),
                    format!(
                        "achievement `{}` is not in effect on event `{}`; the result is ignored",
                        Shown(&result.achievement),
                        Shown(event_id)
                    ),
                );
            }
        }
    }

    /// Settles a decided outcome of `participant` (its position among learners and
    /// enrolments) against the issued records (spec.md §5 rule 9): a failed outcome with a
    /// live record proposes its revocation; an award with no record waits for a new one.
    pub fn settle(&mut self, outcome: Decided<'a>, participant: usize, award: NewAward, decided: &mut Outcomes<'a>) {
        let record = self.issued.of_learner(participant, outcome.key.achievement);
        if let (Status::Failed, Some(record)) = (outcome.status, record) {
            if record.revoked.is_none() {
                self.actions.review_revoke(
                    outcome.key.action(),
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
        decided.push(outcome.settle(record, award));
    }
}
