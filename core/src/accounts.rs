//! Accounts (spec.md §7): each contact's account, from the learners of its events, and the
//! holdings rolled up per account and achievement.

use alloc::vec::Vec;

use crate::calendar::Date;
use crate::wire::answer::{AccountHoldings, HoldingStatus};

/// Whether a learner whose event ended on `end` and whose id is `id` is chosen over the one
/// chosen so far (`chosen`): the event that ended last wins, ties going to the greatest learner
/// id (byte-wise).
pub fn later(end: Date, id: &str, chosen: Option<(Date, &str)>) -> bool {
    chosen.is_none_or(|(chosen_end, chosen_id)| (end, id.as_bytes()) > (chosen_end, chosen_id.as_bytes()))
}

/// Counts the holding of `contact` (its `status`) in the row of (`account`, `achievement`),
/// added to `rows` (sorted by account, then achievement, byte-wise) when it is not there yet.
pub fn count<'a>(
    rows: &mut Vec<AccountHoldings<'a>>,
    (account, achievement): (&'a str, &'a str),
    contact: &'a str,
    status: HoldingStatus,
) {
    let at = match rows.binary_search_by(|r| (r.account, r.achievement).cmp(&(account, achievement))) {
        Ok(at) => at,
        Err(at) => {
            let row = AccountHoldings {
                account,
                achievement,
                valid: 0,
                expiring: 0,
                expired: 0,
                revoked: 0,
                not_yet_valid: 0,
                expiring_contacts: Vec::new(),
                expired_contacts: Vec::new(),
            };
            rows.insert(at, row);
            at
        }
    };
    let Some(row) = rows.get_mut(at) else { return };
    match status {
        HoldingStatus::Valid => row.valid += 1,
        HoldingStatus::Expiring => {
            row.expiring += 1;
            row.expiring_contacts.push(contact);
        }
        HoldingStatus::Expired => {
            row.expired += 1;
            row.expired_contacts.push(contact);
        }
        HoldingStatus::Revoked => row.revoked += 1,
        HoldingStatus::NotYetValid => row.not_yet_valid += 1,
    }
}
