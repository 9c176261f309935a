//! Contact holdings (SPEC §7): per contact and achievement, the history of records and the
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
struct Chain {
    start: Date,
    end: Option<Date>,
}

fn coverage(history: &[HistoryEntry], as_of: Date, expiring_within_days: u32) -> (HoldingStatus, Option<Date>) {
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
    let latest_end = chains.iter().filter_map(|c| c.end).filter(|e| *e <= as_of).max();
    (HoldingStatus::Expired, latest_end)
}
