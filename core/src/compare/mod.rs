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
//!
//! Every kind is matched by one non-generic routine, [`matches`], over positions (a key order
//! and a value test given as closures), so that the `.wasm` holds one copy of the matching.

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
    outcomes(&old.outcomes, &new.outcomes, &mut changes);
    actions(old.actions, new.actions, &mut changes);
    paths(&old.paths, &new.paths, &mut changes);
    holdings(&old.holdings, &new.holdings, &mut changes);
    certifications(&old.certifications, &new.certifications, &mut changes);
    sequences(book, (before, &old.sequence_state), (after, &new.sequence_state), &mut changes);
    CompareAnswer { changes }
}

/// One side of a comparison: `false` the old answer, `true` the new one.
type Side = bool;

/// Matches the entries of two lists (`lens`: their lengths) by key: `order` compares the keys
/// of two entries, each given by its side and position; the `n`th entry of a key in one list is
/// matched with the `n`th of that key in the other. Gives, in key order, the pairs whose values
/// differ (`same` is false for them: old position, new position) and the entries left without a
/// pair (the missing side `None`).
fn matches(
    lens: (usize, usize),
    order: &dyn Fn((Side, usize), (Side, usize)) -> Ordering,
    same: &dyn Fn(usize, usize) -> bool,
) -> Vec<(Option<usize>, Option<usize>)> {
    let sorted = |side: Side, len: usize| {
        let mut positions: Vec<usize> = (0..len).collect();
        order::sort_by(&mut positions, |&x, &y| order((side, x), (side, y)));
        positions
    };
    let (old, new) = (sorted(false, lens.0), sorted(true, lens.1));
    let (mut old, mut new) = (old.into_iter().peekable(), new.into_iter().peekable());
    let mut out = Vec::new();
    loop {
        let next = match (old.peek(), new.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(&x), Some(&y)) => order((false, x), (true, y)),
        };
        match next {
            Ordering::Less => out.push((old.next(), None)),
            Ordering::Greater => out.push((None, new.next())),
            Ordering::Equal => {
                if let (Some(x), Some(y)) = (old.next(), new.next()) {
                    if !same(x, y) {
                        out.push((Some(x), Some(y)));
                    }
                }
            }
        }
    }
    out
}

/// The entry of `side` at `position`.
fn entry<'l, T>(lists: (&'l [T], &'l [T]), (side, position): (Side, usize)) -> Option<&'l T> {
    if side {
        lists.1.get(position)
    } else {
        lists.0.get(position)
    }
}

/// Compares the keys of two entries (`None`, never met: first).
fn by_key<'l, T, K: Ord, F: Fn(&T) -> K + 'l>(
    lists: (&'l [T], &'l [T]),
    key: F,
) -> impl Fn((Side, usize), (Side, usize)) -> Ordering + 'l {
    move |a, b| entry(lists, a).map(&key).cmp(&entry(lists, b).map(&key))
}

/// Whether the entries at two positions (old, new) have equal values.
fn same_value<'l, T, V: PartialEq, F: Fn(&T) -> V + 'l>(
    lists: (&'l [T], &'l [T]),
    value: F,
) -> impl Fn(usize, usize) -> bool + 'l {
    move |x, y| lists.0.get(x).map(&value) == lists.1.get(y).map(&value)
}

fn outcome_state<'a>(o: &Outcome<'a>) -> OutcomeState<'a> {
    OutcomeState {
        status: o.status,
        awarded_on: o.awarded_on,
        valid_from: o.valid_from,
        expires_on: o.expires_on,
        identifier: o.identifier.clone(),
        waiting_on: o.waiting_on,
    }
}

fn outcomes<'a>(old: &[Outcome<'a>], new: &[Outcome<'a>], changes: &mut Vec<Change<'a>>) {
    let lists = (old, new);
    let key = |o: &Outcome<'a>| (o.origin, o.learner, o.achievement, o.contact);
    let state =
        |o: &Outcome<'a>| (o.status, o.awarded_on, o.valid_from, o.expires_on, o.identifier.clone(), o.waiting_on);
    for (x, y) in matches((old.len(), new.len()), &by_key(lists, key), &same_value(lists, state)) {
        let (before, after) = (x.and_then(|x| old.get(x)), y.and_then(|y| new.get(y)));
        if let Some(o) = before.or(after) {
            changes.push(Change::Outcome(OutcomeChange {
                learner: o.learner,
                contact: o.contact,
                origin: o.origin,
                achievement: o.achievement,
                before: before.map(outcome_state),
                after: after.map(outcome_state),
            }));
        }
    }
}

/// The actions of one answer that the other lacks: `action-added` in the order of the new
/// answer's actions, then `action-removed` in the order of the old one's. Actions are equal
/// when their JSON is, and each of one answer matches at most one of the other.
fn actions<'a>(old: Vec<Action<'a>>, new: Vec<Action<'a>>, changes: &mut Vec<Change<'a>>) {
    let (old_text, old_spans) = texts(&old);
    let (new_text, new_spans) = texts(&new);
    let text = |(side, position): (Side, usize)| {
        let (all, spans) = if side { (&new_text, &new_spans) } else { (&old_text, &old_spans) };
        spans.get(position).and_then(|&(from, to)| all.get(from..to)).unwrap_or_default()
    };
    let mut removed = alloc::vec![false; old.len()];
    let mut added = alloc::vec![false; new.len()];
    for (x, y) in matches((old.len(), new.len()), &|a, b| text(a).cmp(text(b)), &|_, _| true) {
        if let Some(slot) = x.and_then(|x| removed.get_mut(x)) {
            *slot = true;
        }
        if let Some(slot) = y.and_then(|y| added.get_mut(y)) {
            *slot = true;
        }
    }
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

fn path_state(p: &PathProgress<'_>) -> PathState {
    PathState { done: p.done, total: p.total, percent: p.percent, complete: p.complete, completed_on: p.completed_on }
}

fn paths<'a>(old: &[PathProgress<'a>], new: &[PathProgress<'a>], changes: &mut Vec<Change<'a>>) {
    let lists = (old, new);
    let key = |p: &PathProgress<'a>| (p.contact, p.path, p.enrollment);
    for (x, y) in matches((old.len(), new.len()), &by_key(lists, key), &same_value(lists, path_state)) {
        let (before, after) = (x.and_then(|x| old.get(x)), y.and_then(|y| new.get(y)));
        if let Some(p) = before.or(after) {
            changes.push(Change::Path(PathChange {
                enrollment: p.enrollment,
                contact: p.contact,
                path: p.path,
                before: before.map(path_state),
                after: after.map(path_state),
            }));
        }
    }
}

fn holding_state(h: &Holding<'_>) -> HoldingState {
    HoldingState { status: h.status, valid_until: h.valid_until }
}

fn holdings<'a>(old: &[Holding<'a>], new: &[Holding<'a>], changes: &mut Vec<Change<'a>>) {
    let lists = (old, new);
    let key = |h: &Holding<'a>| (h.contact, h.achievement);
    for (x, y) in matches((old.len(), new.len()), &by_key(lists, key), &same_value(lists, holding_state)) {
        let (before, after) = (x.and_then(|x| old.get(x)), y.and_then(|y| new.get(y)));
        if let Some(h) = before.or(after) {
            changes.push(Change::Holding(HoldingChange {
                contact: h.contact,
                achievement: h.achievement,
                before: before.map(holding_state),
                after: after.map(holding_state),
            }));
        }
    }
}

fn certification_state(c: &CertificationProgress<'_>) -> CertificationState {
    CertificationState { status: c.status, valid_until: c.valid_until }
}

fn certifications<'a>(
    old: &[CertificationProgress<'a>],
    new: &[CertificationProgress<'a>],
    changes: &mut Vec<Change<'a>>,
) {
    let lists = (old, new);
    let key = |c: &CertificationProgress<'a>| (c.contact, c.certification);
    for (x, y) in matches((old.len(), new.len()), &by_key(lists, key), &same_value(lists, certification_state)) {
        let (before, after) = (x.and_then(|x| old.get(x)), y.and_then(|y| new.get(y)));
        if let Some(c) = before.or(after) {
            changes.push(Change::Certification(CertificationChange {
                contact: c.contact,
                certification: c.certification,
                before: before.map(certification_state),
                after: after.map(certification_state),
            }));
        }
    }
}

/// The numbers each side hands out per sequence: from the evidence's `sequenceState` (else the
/// sequence's `start`) up to the answer's.
fn sequences<'s>(
    book: &PreparedRulebook,
    old: (&Evidence, &'s alloc::collections::BTreeMap<String, u64>),
    new: (&Evidence, &'s alloc::collections::BTreeMap<String, u64>),
    changes: &mut Vec<Change<'_>>,
) {
    let uses = |(evidence, state): (&Evidence, &'s alloc::collections::BTreeMap<String, u64>)| {
        let mut uses: Vec<(&'s str, SequenceUse)> = Vec::with_capacity(state.len());
        for (sequence, &next) in state {
            let start = book.sequences.get(sequence).map(|s| s.start);
            let first = evidence.sequence_state.get(sequence).map(|s| s.0).or(start).unwrap_or(next);
            uses.push((sequence, SequenceUse { first, next }));
        }
        uses
    };
    let (old, new) = (uses(old), uses(new));
    let lists = (old.as_slice(), new.as_slice());
    let key = |&(sequence, _): &(&'s str, SequenceUse)| sequence;
    let value = |&(_, used): &(&'s str, SequenceUse)| used;
    for (x, y) in matches((old.len(), new.len()), &by_key(lists, key), &same_value(lists, value)) {
        let (before, after) = (x.and_then(|x| old.get(x)), y.and_then(|y| new.get(y)));
        if let Some(&(sequence, _)) = before.or(after) {
            changes.push(Change::Sequence(SequenceChange {
                sequence: sequence.into(),
                before: before.map(value),
                after: after.map(value),
            }));
        }
    }
}
