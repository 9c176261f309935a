//! The actions a host must persist or send (spec.md §8), in the order of spec.md §9.

use alloc::vec::Vec;

use crate::wire::answer::{
    Action, CertificationNotifyAction, CertifyAction, IssueAction, NotifyAction, ReminderAction, ReviewRevokeAction,
};

/// The ranks (crate::ranks) of an action's (contact, learner, achievement).
pub type SortKey = (u32, u32, u32);

#[derive(Default)]
pub struct Actions<'a> {
    issue: Vec<IssueAction<'a>>,
    certify: Vec<CertifyAction<'a>>,
    notify: Vec<NotifyAction<'a>>,
    /// The certifications' notifications: completions and reminders.
    certification_notify: Vec<Action<'a>>,
    review_revoke: Vec<ReviewRevokeAction<'a>>,
    /// Each notify and review-revoke action's [`SortKey`], packed (`crate::order::pack`).
    notify_keys: Vec<u128>,
    review_revoke_keys: Vec<u128>,
}

fn packed(key: SortKey) -> u128 {
    crate::order::pack(0, key.0, key.1, key.2)
}

impl<'a> Actions<'a> {
    /// Room for the issue and notify actions of `awards` new awards.
    pub fn reserve_awards(&mut self, awards: usize) {
        self.issue.reserve(awards);
        self.notify.reserve(awards);
        self.notify_keys.reserve(awards);
    }
    /// Issue actions must be added in allocation order.
    pub fn issue(&mut self, action: IssueAction<'a>) {
        self.issue.push(action);
    }
    pub fn notify(&mut self, key: SortKey, action: NotifyAction<'a>) {
        self.notify.push(action);
        self.notify_keys.push(packed(key));
    }
    pub fn certify(&mut self, action: CertifyAction<'a>) {
        self.certify.push(action);
    }
    pub fn certification_notify(&mut self, action: CertificationNotifyAction<'a>) {
        self.certification_notify.push(Action::CertificationNotify(action));
    }
    pub fn reminder(&mut self, action: ReminderAction<'a>) {
        self.certification_notify.push(Action::Reminder(action));
    }
    pub fn review_revoke(&mut self, key: SortKey, action: ReviewRevokeAction<'a>) {
        self.review_revoke.push(action);
        self.review_revoke_keys.push(packed(key));
    }

    /// Issue actions in allocation order, then certify by (contact, certification, cycle), then
    /// notify (the awards' by (contact, learner, achievement), compared by rank (the packed
    /// sort); then the certifications' by (contact, certification, cycle, trigger), byte-wise),
    /// then review-revoke by (contact, learner, achievement).
    pub fn into_sorted(mut self) -> Vec<Action<'a>> {
        // Each kind's positions sorted by packed key, and the actions copied out in that order
        // (they are references and flags): no reordering of the actions themselves.
        let notify = crate::order::packed_positions(&self.notify_keys);
        let review_revoke = crate::order::packed_positions(&self.review_revoke_keys);
        crate::order::sort_by(&mut self.certify, |a, b| {
            (a.contact, a.certification, a.cycle).cmp(&(b.contact, b.certification, b.cycle))
        });
        crate::order::sort_by(&mut self.certification_notify, |a, b| notice_order(a).cmp(&notice_order(b)));
        let mut all = Vec::with_capacity(
            self.issue.len()
                + self.certify.len()
                + self.notify.len()
                + self.certification_notify.len()
                + self.review_revoke.len(),
        );
        all.extend(self.issue.into_iter().map(Action::Issue));
        all.extend(self.certify.into_iter().map(Action::Certify));
        all.extend(notify.iter().filter_map(|&i| self.notify.get(i)).map(|a| Action::Notify(a.clone())));
        all.extend(self.certification_notify);
        all.extend(
            review_revoke.iter().filter_map(|&i| self.review_revoke.get(i)).map(|a| Action::ReviewRevoke(a.clone())),
        );
        all
    }
}

/// A certification notification's (contact, certification, cycle, trigger).
fn notice_order<'a>(action: &Action<'a>) -> (&'a str, &'a str, u32, &'static str) {
    match action {
        Action::CertificationNotify(a) => (a.contact, a.certification, a.cycle, a.trigger),
        Action::Reminder(a) => (a.contact, a.certification, a.cycle, a.trigger.as_str()),
        _ => ("", "", 0, ""),
    }
}
