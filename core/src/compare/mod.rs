//! The `compare` operation (spec.md §14): two evidences evaluated against one prepared rulebook,
//! and their answers compared by keys, never by position: an outcome by (event or path,
//! learner, achievement, contact), a path enrolment by (contact, path, enrollment), a holding by
//! (contact, achievement), a certification row by (contact, certification), a sequence by its
//! id, and an action by its whole JSON (a multiset). A list permuted in the evidence therefore
//! changes nothing, and an entry of one answer that the other lacks is a change with `null` on
//! the other side.
//!
//! Nothing is allocated twice: each evidence is evaluated once, as `evaluate` would, and the
//! numbers each would hand out are reported per sequence (`first` to `next - 1`), beside the
//! identifiers of the outcomes and `issue` actions that differ.

use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;

use crate::calendar::Date;
use crate::order;
use crate::rulebook::PreparedRulebook;
use crate::wire::answer::*;
use crate::wire::evidence::Evidence;
use crate::wire::request::Options;
use crate::wire::write::Writer;
use crate::wire::write_answer::Json;

/// Compares the answers of `evaluate` on `before` and on `after`, against `book` as of `as_of`.
pub fn compare<'a>(
    book: &'a PreparedRulebook,
    as_of: Date,
    before: &'a Evidence,
    after: &'a Evidence,
    options: &Options,
) -> CompareAnswer<'a> {
    // The trace is not compared: it is not worth writing.
    let options = Options { trace: false, ..*options };
    let old = crate::evaluate::evaluate(book, as_of, before, &options);
    let new = crate::evaluate::evaluate(book, as_of, after, &options);
    let mut changes = Vec::new();
    outcomes(old.outcomes, new.outcomes, &mut changes);
    actions(old.actions, new.actions, &mut changes);
    paths(old.paths, new.paths, &mut changes);
    holdings(old.holdings, new.holdings, &mut changes);
    certifications(old.certifications, new.certifications, &mut changes);
    let first = |evidence: &Evidence, sequence: &str, next: u64| {
        let start = book.sequences.get(sequence).map(|s| s.start);
        evidence.sequence_state.get(sequence).map(|state| state.0).or(start).unwrap_or(next)
    };
    let old_state: Vec<(String, SequenceUse)> = old
        .sequence_state
        .into_iter()
        .map(|(sequence, next)| {
            let first = first(before, &sequence, next);
            (sequence, SequenceUse { first, next })
        })
        .collect();
    let new_state: Vec<(String, SequenceUse)> = new
        .sequence_state
        .into_iter()
        .map(|(sequence, next)| {
            let first = first(after, &sequence, next);
            (sequence, SequenceUse { first, next })
        })
        .collect();
    pair(old_state, new_state, |sequence, before, after| {
        changes.push(Change::Sequence(SequenceChange { sequence, before, after }));
    });
    CompareAnswer { changes }
}

/// Pairs the items of two lists by key (the `n`th item of a key in one list with the `n`th of
/// that key in the other) and calls `differ` with the key and both values of each pair whose
/// values differ, and of each item that has no pair (the missing side `None`), in key order.
fn pair<K: Ord, V: PartialEq>(
    mut before: Vec<(K, V)>,
    mut after: Vec<(K, V)>,
    mut differ: impl FnMut(K, Option<V>, Option<V>),
) {
    order::sort_by(&mut before, |x, y| x.0.cmp(&y.0));
    order::sort_by(&mut after, |x, y| x.0.cmp(&y.0));
    let (mut before, mut after) = (before.into_iter().peekable(), after.into_iter().peekable());
    loop {
        let side = match (before.peek(), after.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(x), Some(y)) => x.0.cmp(&y.0),
        };
        match side {
            Ordering::Less => {
                if let Some((key, value)) = before.next() {
                    differ(key, Some(value), None);
                }
            }
            Ordering::Greater => {
                if let Some((key, value)) = after.next() {
                    differ(key, None, Some(value));
                }
            }
            Ordering::Equal => {
                if let (Some((key, old)), Some((_, new))) = (before.next(), after.next()) {
                    if old != new {
                        differ(key, Some(old), Some(new));
                    }
                }
            }
        }
    }
}

/// An outcome's key (origin, learner, achievement, contact) and what is compared of it.
type OutcomeItem<'a> = ((Origin<'a>, &'a str, &'a str, &'a str), OutcomeState<'a>);

fn outcome_items(outcomes: Vec<Outcome<'_>>) -> Vec<OutcomeItem<'_>> {
    outcomes
        .into_iter()
        .map(|o| {
            let state = OutcomeState {
                status: o.status,
                awarded_on: o.awarded_on,
                valid_from: o.valid_from,
                expires_on: o.expires_on,
                identifier: o.identifier,
                waiting_on: o.waiting_on,
            };
            ((o.origin, o.learner, o.achievement, o.contact), state)
        })
        .collect()
}

fn outcomes<'a>(old: Vec<Outcome<'a>>, new: Vec<Outcome<'a>>, changes: &mut Vec<Change<'a>>) {
    pair(outcome_items(old), outcome_items(new), |(origin, learner, achievement, contact), before, after| {
        changes.push(Change::Outcome(OutcomeChange { learner, contact, origin, achievement, before, after }));
    });
}

/// The actions of one answer that the other lacks: `action-added` in the order of the new
/// answer's actions, then `action-removed` in the order of the old one's. Actions are equal
/// when their JSON is, and each of one answer matches at most one of the other.
fn actions<'a>(old: Vec<Action<'a>>, new: Vec<Action<'a>>, changes: &mut Vec<Change<'a>>) {
    let (old_text, old_spans) = texts(&old);
    let (new_text, new_spans) = texts(&new);
    let (old_items, new_items) = (action_items(&old_text, old_spans), action_items(&new_text, new_spans));
    let mut removed = alloc::vec![false; old.len()];
    let mut added = alloc::vec![false; new.len()];
    pair(old_items, new_items, |_, before, after| {
        // Equal texts never reach here; one side is `None`.
        if let Some(slot) = before.and_then(|Position(i)| removed.get_mut(i)) {
            *slot = true;
        }
        if let Some(slot) = after.and_then(|Position(i)| added.get_mut(i)) {
            *slot = true;
        }
    });
    for (action, added) in new.into_iter().zip(added) {
        if added {
            changes.push(Change::ActionAdded(ActionChange { before: None, after: Some(action) }));
        }
    }
    for (action, removed) in old.into_iter().zip(removed) {
        if removed {
            changes.push(Change::ActionRemoved(ActionChange { before: Some(action), after: None }));
        }
    }
}

/// Each action's text, with its position.
fn action_items(all: &[u8], spans: Vec<(usize, usize)>) -> Vec<(&[u8], Position)> {
    let text = |(from, to): (usize, usize)| all.get(from..to).unwrap_or_default();
    spans.into_iter().enumerate().map(|(i, span)| (text(span), Position(i))).collect()
}

/// The JSON of each action, written one after the other, and each one's span.
fn texts(actions: &[Action<'_>]) -> (Vec<u8>, Vec<(usize, usize)>) {
    let mut writer = Writer::with_capacity(actions.len().saturating_mul(208));
    let mut spans = Vec::with_capacity(actions.len());
    for action in actions {
        let from = writer.as_bytes().len();
        // Writing into a buffer fails only for a float that is not finite: an action has none.
        let _ = action.json(&mut writer);
        spans.push((from, writer.as_bytes().len()));
    }
    (writer.into_bytes(), spans)
}

/// An action's position in its answer; any two are equal, so that [`pair`] pairs actions by
/// their text alone.
struct Position(usize);

impl PartialEq for Position {
    fn eq(&self, _: &Position) -> bool {
        true
    }
}

fn paths<'a>(old: Vec<PathProgress<'a>>, new: Vec<PathProgress<'a>>, changes: &mut Vec<Change<'a>>) {
    let items = |paths: Vec<PathProgress<'a>>| -> Vec<((&'a str, &'a str, &'a str), PathState)> {
        paths
            .into_iter()
            .map(|p| {
                let state = PathState {
                    done: p.done,
                    total: p.total,
                    percent: p.percent,
                    complete: p.complete,
                    completed_on: p.completed_on,
                };
                ((p.contact, p.path, p.enrollment), state)
            })
            .collect()
    };
    pair(items(old), items(new), |(contact, path, enrollment), before, after| {
        changes.push(Change::Path(PathChange { enrollment, contact, path, before, after }));
    });
}

fn holdings<'a>(old: Vec<Holding<'a>>, new: Vec<Holding<'a>>, changes: &mut Vec<Change<'a>>) {
    let items = |holdings: Vec<Holding<'a>>| -> Vec<((&'a str, &'a str), HoldingState)> {
        holdings
            .into_iter()
            .map(|h| ((h.contact, h.achievement), HoldingState { status: h.status, valid_until: h.valid_until }))
            .collect()
    };
    pair(items(old), items(new), |(contact, achievement), before, after| {
        changes.push(Change::Holding(HoldingChange { contact, achievement, before, after }));
    });
}

fn certifications<'a>(
    old: Vec<CertificationProgress<'a>>,
    new: Vec<CertificationProgress<'a>>,
    changes: &mut Vec<Change<'a>>,
) {
    let items = |rows: Vec<CertificationProgress<'a>>| -> Vec<((&'a str, &'a str), CertificationState)> {
        rows.into_iter()
            .map(|c| {
                ((c.contact, c.certification), CertificationState { status: c.status, valid_until: c.valid_until })
            })
            .collect()
    };
    pair(items(old), items(new), |(contact, certification), before, after| {
        changes.push(Change::Certification(CertificationChange { contact, certification, before, after }));
    });
}
