//! The actions a host must persist or send (SPEC §8), in the order of SPEC §9.

use alloc::vec::Vec;

use crate::wire::answer::{Action, IssueAction, NotifyAction, ReviewRevokeAction};

#[derive(Default)]
pub struct Actions {
    issue: Vec<IssueAction>,
    notify: Vec<NotifyAction>,
    review_revoke: Vec<ReviewRevokeAction>,
}

impl Actions {
    /// Issue actions must be added in allocation order.
    pub fn issue(&mut self, action: IssueAction) {
        self.issue.push(action);
    }
    pub fn notify(&mut self, action: NotifyAction) {
        self.notify.push(action);
    }
    pub fn review_revoke(&mut self, action: ReviewRevokeAction) {
        self.review_revoke.push(action);
    }

    /// Issue actions in allocation order, then notify, then review-revoke, each by (contact,
    /// learner, achievement).
    pub fn into_sorted(mut self) -> Vec<Action> {
        self.notify
            .sort_by(|a, b| (&a.contact, &a.learner, &a.achievement).cmp(&(&b.contact, &b.learner, &b.achievement)));
        self.review_revoke
            .sort_by(|a, b| (&a.contact, &a.learner, &a.achievement).cmp(&(&b.contact, &b.learner, &b.achievement)));
        let mut all = Vec::with_capacity(self.issue.len() + self.notify.len() + self.review_revoke.len());
        all.extend(self.issue.into_iter().map(Action::Issue));
        all.extend(self.notify.into_iter().map(Action::Notify));
        all.extend(self.review_revoke.into_iter().map(Action::ReviewRevoke));
        all
    }
}
