//! Accounts (spec.md §7): the holdings of the contacts with an account, per account and
//! achievement.

use alloc::vec;
use alloc::vec::Vec;

use crate::accounts;
use crate::calendar::Date;
use crate::rulebook::Resolution;
use crate::wire::answer::{AccountHoldings, Holding};

use super::state::Evaluation;

/// The learner that gives a contact its account: its event's end and id (which decide between
/// learners), and its account.
#[derive(Clone, Copy)]
struct Chosen<'a> {
    end: Date,
    learner: &'a str,
    account: &'a str,
}

impl<'a> Evaluation<'a> {
    /// The holdings (in (contact, achievement) order, `contacts` their contact ranks) rolled up
    /// per (account, achievement). A contact's account comes from its learners whose id is
    /// defined once, that have an `account`, and whose event exists. (The chosen learner is
    /// kept by value, not by position: looking learners up again in contact order reads the
    /// evidence out of order, which cost the large organisation a tenth of its time.)
    pub fn accounts(&self, holdings: &[Holding<'a>], contacts: &[u32]) -> Vec<AccountHoldings<'a>> {
        // An event's end, by its id (learners of one event usually come together: the last
        // event looked up is kept).
        let mut last: Option<(&str, Option<Date>)> = None;
        let mut event_end = |event: &'a str| -> Option<Date> {
            match last {
                Some((id, end)) if id == event => end,
                _ => {
                    let end = match self.book.event_ids.resolve(event) {
                        Resolution::Found(e) => self.rb.events.get(e).map(|e| e.end),
                        _ => None,
                    };
                    last = Some((event, end));
                    end
                }
            }
        };
        // The chosen learner by contact rank.
        let mut chosen: Vec<Option<Chosen<'a>>> = vec![None; self.ids.contact_count()];
        for (i, learner) in self.evidence.learners.iter().enumerate() {
            let Some(account) = learner.account.as_deref() else { continue };
            if self.ids.learner(i).is_none() {
                continue;
            }
            let Some(end) = event_end(&learner.event) else { continue };
            let Some(slot) = chosen.get_mut(self.ids.learner_contact(i) as usize) else { continue };
            if accounts::later(end, &learner.id, slot.map(|c| (c.end, c.learner))) {
                *slot = Some(Chosen { end, learner: &learner.id, account });
            }
        }
        let mut rows = Vec::new();
        for (h, &contact) in holdings.iter().zip(contacts) {
            if let Some(Some(c)) = chosen.get(contact as usize) {
                accounts::count(&mut rows, (c.account, h.achievement), h.contact, h.status);
            }
        }
        rows
    }
}
