//! New records (spec.md §6): the awards that need one, in allocation order, each given its
//! validity (with early renewal over the holder's earlier records) and its identifier from its
//! achievement's sequence; each gives an `issue` and a `notify` action.

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::calendar::Date;
use crate::diagnostics::Code;
use crate::ranks::UNRANKED;
use crate::rulebook::PreparedRulebook;
use crate::sequence::format::{Field, FormatKind};
use crate::sequence::{MergeSource, MergeValue, Numbering};
use crate::validity::{self, PriorRecord};
use crate::wire::answer::{AwardKey, IssueAction, NotifyAction, Text, TraceEntry};
use crate::wire::scalar::Shown;

use super::decided::{Context, Decided, MadeRecord, NewAward, Outcomes};
use super::state::Evaluation;

/// What the awards step leaves to the later ones.
pub struct NewRecords {
    /// Each record made: its holding's (contact rank, achievement rank) and its outcome's
    /// position, by holding and then in allocation order.
    pub by_holding: Vec<((u32, u32), usize)>,
    pub sequence_state: BTreeMap<String, u64>,
}

impl<'a> Evaluation<'a> {
    /// Makes the record of every award that needs one, in allocation order.
    pub fn new_records(&mut self, decided: &mut Outcomes<'a>) -> NewRecords {
        let awards = allocation_order(decided);
        self.actions.reserve_awards(awards.len());
        // Built by inserting: `collect()` into a B-tree sorts a copy (one more sort in the .wasm).
        let mut state = BTreeMap::new();
        for (sequence, next) in &self.evidence.sequence_state {
            state.insert(sequence.clone(), next.0);
        }
        let mut numbering = Numbering::new(state);
        // Each award's holding, and the award made before it in the same holding.
        let holdings: Vec<(u32, u32)> =
            awards.iter().map(|&o| decided.get(o).map_or((UNRANKED, UNRANKED), |d| d.key.holding())).collect();
        let (earlier_same_holding, by_holding) = earlier_with_same_key(&holdings);
        // The dates of the records made so far, by award.
        let mut made: Vec<Option<(Date, Option<Date>)>> = Vec::with_capacity(awards.len());
        for (n, &position) in awards.iter().enumerate() {
            let earlier = core::iter::successors(earlier_same_holding.get(n).copied().flatten(), |&m| {
                earlier_same_holding.get(m).copied().flatten()
            });
            let prior_new = earlier
                .filter_map(|m| made.get(m).copied().flatten())
                .map(|(valid_from, expires_on)| PriorRecord { valid_from, expires_on, revoked: None });
            let mut trace = Vec::new();
            let record = decided
                .get(position)
                .and_then(|outcome| self.make_record(outcome, prior_new, &mut numbering, &mut trace));
            made.push(record.as_ref().map(|r| (r.valid_from, r.expires_on)));
            if let Some(outcome) = decided.get_mut(position) {
                outcome.record_made(record, trace);
            }
        }
        let recorded = |n: usize| made.get(n).is_some_and(Option::is_some);
        let by_holding = by_holding
            .into_iter()
            .filter(|&n| recorded(n))
            .filter_map(|n| Some((*holdings.get(n)?, *awards.get(n)?)))
            .collect();
        NewRecords { by_holding, sequence_state: numbering.state }
    }

    /// The record of one award (none without an award date or a known achievement), and its
    /// `issue` and `notify` actions.
    fn make_record<'p>(
        &mut self,
        outcome: &Decided<'a>,
        prior_new: impl Iterator<Item = PriorRecord<'p>>,
        numbering: &mut Numbering,
        trace: &mut Vec<TraceEntry>,
    ) -> Option<MadeRecord>
    where
        'a: 'p,
    {
        let (rb, book) = (self.rb, self.book);
        let award = outcome.new_award()?;
        let achievement = rb.achievements.get(award.achievement)?;
        let awarded_on = outcome.awarded_on?;
        let prior_issued = self.issued.by_holder.get(outcome.key.holding()).iter().map(|r| PriorRecord {
            valid_from: r.valid_from,
            expires_on: r.expires_on,
            revoked: r.revoked.as_ref(),
        });
        let validity = validity::validity(
            achievement,
            awarded_on,
            award.met_on,
            award.source_end,
            prior_issued.chain(prior_new),
            self.trace.then_some(trace),
        );
        let expires_on = validity.expires_on.unwrap_or_else(|validity::OutOfRange| {
            self.diagnostics.error(
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
            let values = AwardValues::new(book, award, outcome);
            numbering
                .identify(&book.sequences, sequence, kind, &values, &|| award.site.path(), &mut self.diagnostics)
                .map(Text::Shared)
        });
        let made = MadeRecord { valid_from: validity.valid_from, expires_on, identifier };
        self.award_actions(outcome, award, awarded_on, &made, achievement.certificate.as_deref());
        Some(made)
    }

    /// The `issue` action of a new record (in allocation order) and its `notify` action.
    fn award_actions(
        &mut self,
        outcome: &Decided<'a>,
        award: &NewAward,
        awarded_on: Date,
        made: &MadeRecord,
        certificate: Option<&'a str>,
    ) {
        let (learner, contact, origin, achievement) =
            (outcome.learner, outcome.contact, outcome.origin, outcome.achievement);
        self.actions.issue(IssueAction {
            learner,
            contact,
            achievement,
            origin,
            awarded_on,
            valid_from: made.valid_from,
            expires_on: made.expires_on,
            identifier: made.identifier.clone(),
            certificate,
        });
        self.actions.notify(
            outcome.key.action(),
            NotifyAction {
                trigger: "award-achievement",
                learner,
                contact,
                achievement,
                origin,
                attach_certificate: award.send_certificate && certificate.is_some(),
                key: AwardKey { origin: origin.id(), learner, achievement },
            },
        );
    }
}

/// The positions of the outcomes that need a new record, in spec.md §6 allocation order:
/// (awardedOn, origin id, learner, achievement), by rank, packed (`crate::order::pack`). An
/// award without an award date gets no record, so where it sorts does not matter (first).
fn allocation_order(decided: &Outcomes) -> Vec<usize> {
    let mut awards = Vec::new();
    let mut keys = Vec::new();
    for (position, outcome) in decided.iter().enumerate() {
        if outcome.new_award().is_some() {
            let k = outcome.key;
            awards.push(position);
            keys.push(crate::order::pack(outcome.awarded_on.map_or(0, Date::rank), k.origin, k.learner, k.achievement));
        }
    }
    crate::order::packed_positions(&keys).into_iter().filter_map(|i| awards.get(i).copied()).collect()
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

/// The merge values of one new award.
struct AwardValues<'a> {
    book: &'a PreparedRulebook,
    context: &'a Context,
    learner: &'a str,
    contact: &'a str,
    achievement: &'a str,
    awarded_on: Option<Date>,
}

impl<'a> AwardValues<'a> {
    fn new(book: &'a PreparedRulebook, award: &'a NewAward, outcome: &'a Decided<'a>) -> AwardValues<'a> {
        AwardValues {
            book,
            context: &award.context,
            learner: outcome.learner,
            contact: outcome.contact,
            achievement: outcome.achievement,
            awarded_on: outcome.awarded_on,
        }
    }
}

impl MergeSource for AwardValues<'_> {
    fn value(&self, field: &Field) -> Option<MergeValue<'_>> {
        let rb = &self.book.rulebook;
        let (event, template, path) = match *self.context {
            Context::Event { event, template } => (rb.events.get(event), rb.course_templates.get(template), None),
            Context::Path { path } => (None, None, rb.learning_paths.get(path)),
        };
        // The award date's parts as numbers of 4, 2 and 2 digits (years 0–9999, as read).
        let award = || self.awarded_on.filter(|a| (0..=9999).contains(&a.year()));
        let digits = |value: u32, digits: u8| Some(MergeValue::Digits { value, digits });
        match field {
            Field::SequenceNumber => None,
            Field::CourseCode => event
                .and_then(|e| e.code.as_deref())
                .or(template.and_then(|t| t.code.as_deref()))
                .map(MergeValue::borrowed),
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
            Field::LearnerId => Some(MergeValue::borrowed(self.learner)),
            Field::ContactId => Some(MergeValue::borrowed(self.contact)),
            Field::AchievementId => Some(MergeValue::borrowed(self.achievement)),
        }
    }
}
