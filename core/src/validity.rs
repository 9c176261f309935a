//! Validity (spec.md §5 rules 7–8): when a new record starts, when it expires, and early renewal.

use alloc::format;
use alloc::vec::Vec;

use crate::calendar::Date;
use crate::wire::answer::TraceEntry;
use crate::wire::evidence::Revocation;
use crate::wire::rulebook::{Achievement, ExpiryRounding, ValidFrom};

/// A record of the same contact and achievement that may open an early-renewal window.
pub struct PriorRecord<'a> {
    pub valid_from: Date,
    pub expires_on: Option<Date>,
    pub revoked: Option<&'a Revocation>,
}

/// A computed date would fall after 9999-12-31.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfRange;

/// The dates of a new record.
pub struct Validity {
    pub valid_from: Date,
    /// `Err` when the computed date lies beyond 9999-12-31.
    pub expires_on: Result<Option<Date>, OutOfRange>,
}

/// The validity of a new award of `achievement` made on `awarded_on`, met on `met_on`, from a
/// source that ended on `source_end` (the event's end, or the path's completion).
pub fn validity<'a>(
    achievement: &Achievement,
    awarded_on: Date,
    met_on: Date,
    source_end: Date,
    prior: impl Iterator<Item = PriorRecord<'a>>,
    trace: Option<&mut Vec<TraceEntry>>,
) -> Validity {
    let mut valid_from = match achievement.valid_from.unwrap_or_default() {
        ValidFrom::AwardDate => awarded_on,
        ValidFrom::CompletionDate => met_on,
        ValidFrom::EventEnd => source_end,
    };
    if let Some(renewal) = &achievement.renewal {
        // The current record: valid and not revoked on the award date, latest expiry.
        let current = prior
            .filter(|r| r.valid_from <= awarded_on && r.revoked.is_none_or(|revoked| revoked.on > awarded_on))
            .filter_map(|r| r.expires_on.filter(|e| awarded_on < *e))
            .max();
        if let Some(expires) = current {
            let window = u64::from(renewal.early_window_days.map_or(0, |c| c.0));
            let opens = expires.sub_days(window).unwrap_or(Date::MIN);
            let inside = opens <= awarded_on;
            if let Some(trace) = trace {
                trace.push(TraceEntry {
                    check: "renewal.early-window",
                    required: format!("from {opens} to before {expires}"),
                    observed: format!("{awarded_on}"),
                    ok: inside,
                });
            }
            if inside {
                valid_from = expires;
            }
        }
    }
    Validity { valid_from, expires_on: expires_on(achievement, valid_from) }
}

/// `valid_from + validity`, then the achievement's expiry rounding.
pub fn expires_on(achievement: &Achievement, valid_from: Date) -> Result<Option<Date>, OutOfRange> {
    let Some(validity) = achievement.validity else { return Ok(None) };
    let expires = valid_from.plus(validity).ok_or(OutOfRange)?;
    match achievement.expiry_rounding.unwrap_or_default() {
        ExpiryRounding::None => Ok(Some(expires)),
        ExpiryRounding::EndOfMonth => expires.round_up_to_month_start().map(Some).ok_or(OutOfRange),
    }
}
