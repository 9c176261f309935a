//! The `evaluate` operation (spec.md §8): the rules of §5–§7 applied to the evidence, one step
//! at a time, in the order that makes the answer deterministic.
//!
//! One [`Evaluation`] carries what the steps share (the ids ranked once, the issued records by
//! learner and by holder, the diagnostics and the actions). The outcomes are [`Decided`] first
//! and made into answer [`Outcome`](crate::wire::answer::Outcome)s once, complete, by the last
//! step, which is also the only one that reorders them.

mod accounts;
mod awards;
mod certifications;
mod decided;
mod holdings;
mod issued;
mod outcomes;
mod paths;
mod state;

use crate::calendar::Date;
use crate::rulebook::PreparedRulebook;
use crate::wire::answer::EvaluateAnswer;
use crate::wire::evidence::Evidence;
use crate::wire::request::Options;

use state::Evaluation;

/// Evaluates `evidence` against a prepared rulebook, as known on `as_of`.
pub fn evaluate<'a>(
    book: &'a PreparedRulebook,
    as_of: Date,
    evidence: &'a Evidence,
    options: &Options,
) -> EvaluateAnswer<'a> {
    // Ids ranked, duplicates and dangling references of the evidence reported.
    let mut run = Evaluation::new(book, as_of, evidence, options);
    // §5 rules 1–6 and 9: one outcome per learner and rule of its event, settled against the
    // records already issued.
    let mut decided = run.event_outcomes();
    // §7 learning paths: steps completed by training records and awarded events; a completed
    // path's achievements awarded.
    let paths = run.learning_paths(&mut decided);
    // §6 new records, in allocation order: validity, early renewal, identifiers; issue and
    // notify actions.
    let records = run.new_records(&mut decided);
    // §7 holdings over the new records and the issued ones.
    let (holdings, holding_contacts) = run.holdings(&decided, &records);
    // §7 accounts: the holdings of each account's contacts.
    let accounts = run.accounts(&holdings, &holding_contacts);
    // §7 certifications: rows, completed cycles to record, certification holdings.
    let (certifications, certification_holdings) = run.certifications();
    // §9 order.
    run.answer(decided, records, paths, (holdings, accounts), certifications, certification_holdings)
}
