//! Contact holdings (spec.md §7): per contact and achievement, the history of records and the
//! coverage at `asOf`.

use alloc::vec::Vec;

use crate::calendar::Date;
use crate::wire::answer::{HistoryEntry, Holding, HoldingStatus};

/// Rolls up the records of one contact and achievement (all of them share both).
pub fn holding(mut history: Vec<HistoryEntry<'_>>, as_of: Date, expiring_within_days: u32) -> Option<Holding<'_>> {
    let first = history.first()?;
    let (contact, achievement) = (first.contact, first.achievement);
    // History by (awardedOn, id); new records (no id) after records of the same day, by learner.
    crate::order::sort_by(&mut history, |a, b| {
        (a.awarded_on, a.id.is_none(), a.id, a.learner).cmp(&(b.awarded_on, b.id.is_none(), b.id, b.learner))
    });

    let (status, valid_until) = coverage(&history, as_of, expiring_within_days);
    Some(Holding { contact, achievement, status, valid_until, history })
}

/// A run of records without a gap: from `start` until `end` (`None`: never ends).
#[derive(Clone, Copy)]
struct Chain {
    start: Date,
    end: Option<Date>,
}

/// What the chains of a history say about `as_of`, gathered one chain at a time in start order.
#[derive(Default)]
struct Coverage {
    /// The first chain that covers `as_of`.
    covering: Option<Chain>,
    /// Whether a chain starts after `as_of`.
    later: bool,
    /// The latest end of a chain on or before `as_of`.
    latest_end: Option<Date>,
}

impl Coverage {
    fn add(&mut self, chain: Chain, as_of: Date) {
        if self.covering.is_none() && chain.start <= as_of && chain.end.is_none_or(|e| as_of < e) {
            self.covering = Some(chain);
        }
        self.later |= chain.start > as_of;
        if let Some(end) = chain.end.filter(|e| *e <= as_of) {
            self.latest_end = self.latest_end.max(Some(end));
        }
    }
}

fn coverage(history: &[HistoryEntry], as_of: Date, expiring_within_days: u32) -> (HoldingStatus, Option<Date>) {
    if history.iter().all(|r| r.revoked.is_some()) {
        return (HoldingStatus::Revoked, None);
    }
    let live = |r: &&HistoryEntry| r.revoked.is_none() && r.expires_on.is_none_or(|e| r.valid_from < e);
    let span = |r: &HistoryEntry| Chain { start: r.valid_from, end: r.expires_on };
    let mut found = Coverage::default();
    // Most holdings have one record: its span is its only chain, and nothing needs sorting.
    if let [record] = history {
        if live(&record) {
            found.add(span(record), as_of);
        }
    } else {
        let mut spans: Vec<(Date, Option<Date>)> =
            history.iter().filter(live).map(|r| (r.valid_from, r.expires_on)).collect();
        crate::order::sort(&mut spans);
        let mut chain: Option<Chain> = None;
        for (start, end) in spans {
            match &mut chain {
                Some(c) if c.end.is_none_or(|e| start <= e) => {
                    c.end = match (c.end, end) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    };
                }
                _ => {
                    if let Some(done) = chain.replace(Chain { start, end }) {
                        found.add(done, as_of);
                    }
                }
            }
        }
        if let Some(done) = chain {
            found.add(done, as_of);
        }
    }
    if let Some(chain) = found.covering {
        let status = match chain.end {
            Some(end) if as_of.days_until(end) <= i64::from(expiring_within_days) => HoldingStatus::Expiring,
            _ => HoldingStatus::Valid,
        };
        return (status, chain.end);
    }
    if found.later {
        return (HoldingStatus::NotYetValid, None);
    }
    (HoldingStatus::Expired, found.latest_end)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        reason = "test code: a panic is a failed test"
    )]
    #![allow(clippy::disallowed_methods, reason = "the reference implementation sorts with the standard library")]

    use super::*;
    use crate::wire::evidence::Revocation;
    use alloc::vec;
    use proptest::prelude::*;

    /// The chains built in full first, as the coverage was computed before it went one chain at
    /// a time: the reference the streaming version must agree with.
    fn reference(history: &[HistoryEntry], as_of: Date, expiring_within_days: u32) -> (HoldingStatus, Option<Date>) {
        let mut live: Vec<(Date, Option<Date>)> = history
            .iter()
            .filter(|r| r.revoked.is_none())
            .filter(|r| r.expires_on.is_none_or(|e| r.valid_from < e))
            .map(|r| (r.valid_from, r.expires_on))
            .collect();
        if history.iter().all(|r| r.revoked.is_some()) {
            return (HoldingStatus::Revoked, None);
        }
        crate::order::sort(&mut live);
        let mut chains: Vec<Chain> = Vec::new();
        for (start, end) in live {
            match chains.last_mut() {
                Some(chain) if chain.end.is_none_or(|e| start <= e) => {
                    chain.end = match (chain.end, end) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    };
                }
                _ => chains.push(Chain { start, end }),
            }
        }
        if let Some(chain) = chains.iter().find(|c| c.start <= as_of && c.end.is_none_or(|e| as_of < e)) {
            let status = match chain.end {
                Some(end) if as_of.days_until(end) <= i64::from(expiring_within_days) => HoldingStatus::Expiring,
                _ => HoldingStatus::Valid,
            };
            return (status, chain.end);
        }
        if chains.iter().any(|c| c.start > as_of) {
            return (HoldingStatus::NotYetValid, None);
        }
        (HoldingStatus::Expired, chains.iter().filter_map(|c| c.end).filter(|e| *e <= as_of).max())
    }

    fn day(n: u64) -> Date {
        Date::from_ymd(2026, 1, 1).unwrap().add_days(n).unwrap()
    }

    proptest! {
        /// Records of 0 to 40 days with or without an expiry, some revoked, on a calendar of
        /// 60 days, seen from every day of it: the same status and date as the reference.
        #[test]
        fn coverage_is_the_reference_coverage(
            records in proptest::collection::vec((0u64..60, proptest::option::of(0u64..40), any::<bool>()), 1..7),
            as_of in 0u64..60,
            window in 0u32..20,
        ) {
            let revocation = Revocation { on: day(0), by: None, reason: None };
            let history: Vec<HistoryEntry> = records
                .iter()
                .map(|&(from, length, revoked)| HistoryEntry {
                    id: None,
                    achievement: "a",
                    contact: "c",
                    learner: None,
                    event: None,
                    path: None,
                    awarded_on: day(from),
                    valid_from: day(from),
                    expires_on: length.map(|l| day(from + l)),
                    identifier: None,
                    revoked: revoked.then_some(&revocation),
                })
                .collect();
            prop_assert_eq!(coverage(&history, day(as_of), window), reference(&history, day(as_of), window));
        }
    }

    #[test]
    fn one_record_expiring_soon() {
        let history = vec![HistoryEntry {
            id: Some("r"),
            achievement: "a",
            contact: "c",
            learner: None,
            event: None,
            path: None,
            awarded_on: day(0),
            valid_from: day(0),
            expires_on: Some(day(30)),
            identifier: None,
            revoked: None,
        }];
        assert_eq!(coverage(&history, day(20), 10), (HoldingStatus::Expiring, Some(day(30))));
        assert_eq!(coverage(&history, day(10), 10), (HoldingStatus::Valid, Some(day(30))));
        assert_eq!(coverage(&history, day(30), 10), (HoldingStatus::Expired, Some(day(30))));
    }
}
