//! Accounts (spec.md §7): the holdings of the contacts with an account, per account and
//! achievement.

use alloc::vec;
use alloc::vec::Vec;

use crate::accounts;
use crate::calendar::Date;
use crate::rulebook::Resolution;
use crate::wire::answer::{AccountHoldings, Holding};

use super::state::Evaluation;

impl<'a> Evaluation<'a> {
    /// The holdings (in (contact, achievement) order) rolled up per (account, achievement). A
    /// contact's account comes from its learners whose id is defined once, that have an
    /// `account`, and whose event exists.
    pub fn accounts(&self, holdings: &[Holding<'a>]) -> Vec<AccountHoldings<'a>> {
        let learners = &self.evidence.learners;
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
        // The chosen learner's event end and position, by contact rank (ranks are below the
        // number of contact items): learners whose id is defined once, that have an `account`
        // and whose event exists.
        let mut chosen: Vec<Option<(Date, usize)>> = vec![None; self.ids.contact_items()];
        for (i, learner) in learners.iter().enumerate() {
            if learner.account.is_none() || self.ids.learner(i).is_none() {
                continue;
            }
            let Some(ended) = event_end(&learner.event) else { continue };
            let Some(slot) = chosen.get_mut(self.ids.learner_contact(i) as usize) else { continue };
            let current = slot.and_then(|(d, j)| Some((d, learners.get(j)?.id.as_str())));
            if accounts::later(ended, &learner.id, current) {
                *slot = Some((ended, i));
            }
        }
        // The chosen learners in contact rank order, the order of the holdings' contacts.
        let mut by_contact = chosen.iter().flatten().filter_map(|&(_, i)| learners.get(i)).peekable();
        let mut rows = Vec::new();
        for h in holdings {
            while by_contact.next_if(|l| l.contact.as_bytes() < h.contact.as_bytes()).is_some() {}
            let Some(learner) = by_contact.peek().filter(|l| l.contact == h.contact) else { continue };
            if let Some(account) = learner.account.as_deref() {
                accounts::count(&mut rows, (account, h.achievement), h.contact, h.status);
            }
        }
        rows
    }
}
