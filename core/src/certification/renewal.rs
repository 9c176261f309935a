//! Recertification rules (spec.md §7, Recertification): the basis that computes a renewed cycle's
//! `validUntil`, the renewal window, the late grace period, and the checks of a renewal.

use crate::calendar::Date;
use crate::diagnostics::Code;
use crate::wire::rulebook::{Certification, CertificationRenewal, RenewalBasis};

/// A recurring certification's renewal as the evaluation applies it: a renewal with an error
/// is applied as if it had only `everyMonths`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Renewal {
    pub every_months: u32,
    pub basis: Basis,
    pub window_days: Option<u32>,
    pub late_grace_days: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    Completion,
    Expiry,
    Fixed { anchor: Date, minimum_active_months: u32 },
}

/// A problem of a renewal (spec.md §10): its code, the member it is about and what to say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    /// The member of the certification it points at, below `/rulebook/certifications/N`.
    pub member: &'static str,
    pub message: &'static str,
}

impl Problem {
    /// `renewal-anchor-unused` is the only warning.
    pub fn is_error(self) -> bool {
        self.code != Code::RenewalAnchorUnused
    }
}

/// The fewest days `months` months can have (28, 89, 181, 365 for 1, 3, 6, 12).
pub fn fewest_days(months: u32) -> u32 {
    match months {
        1 => 28,
        3 => 89,
        6 => 181,
        _ => 365,
    }
}

/// Each problem of `renewal`, in a fixed order.
pub fn problems(renewal: &CertificationRenewal, mut report: impl FnMut(Problem)) {
    let Some(every) = renewal.every_months else {
        report(Problem {
            code: Code::RenewalNeedsPeriod,
            member: "/renewal",
            message: "a renewal without `everyMonths` has no period: it is evaluated as one-time",
        });
        return;
    };
    let basis = renewal.basis.unwrap_or_default();
    if basis == RenewalBasis::Fixed && renewal.anchor.is_none() {
        report(Problem {
            code: Code::RenewalAnchorMissing,
            member: "/renewal/basis",
            message: "the `fixed` basis needs an `anchor` date",
        });
    }
    if basis != RenewalBasis::Fixed && renewal.anchor.is_some() {
        report(Problem {
            code: Code::RenewalAnchorUnused,
            member: "/renewal/anchor",
            message: "`anchor` is only used by the `fixed` basis",
        });
    }
    if renewal.minimum_active_months.is_some_and(|m| m.0 > every.0) {
        report(Problem {
            code: Code::RenewalMinimumActiveTooLong,
            member: "/renewal/minimumActiveMonths",
            message: "`minimumActiveMonths` is longer than the renewal period",
        });
    }
    if renewal.window_days.is_some_and(|w| w.0 >= fewest_days(every.0)) {
        report(Problem {
            code: Code::RenewalWindowTooLong,
            member: "/renewal/windowDays",
            message: "the renewal window is as long as the shortest renewal period or longer",
        });
    }
}

impl Renewal {
    /// The renewal of `certification`, or `None` when it is one-time (no renewal, or no
    /// `everyMonths`).
    pub fn of(certification: &Certification) -> Option<Renewal> {
        let renewal = certification.renewal.as_ref()?;
        let every_months = renewal.every_months?.0;
        let mut broken = false;
        problems(renewal, |p| broken |= p.is_error());
        let period_only = Renewal { every_months, basis: Basis::Completion, window_days: None, late_grace_days: None };
        if broken {
            return Some(period_only);
        }
        let basis = match (renewal.basis.unwrap_or_default(), renewal.anchor) {
            (RenewalBasis::Completion, _) => Basis::Completion,
            (RenewalBasis::Expiry, _) => Basis::Expiry,
            (RenewalBasis::Fixed, Some(anchor)) => {
                Basis::Fixed { anchor, minimum_active_months: renewal.minimum_active_months.map_or(0, |m| m.0) }
            }
            (RenewalBasis::Fixed, None) => return Some(period_only),
        };
        Some(Renewal {
            basis,
            window_days: renewal.window_days.map(|w| w.0),
            late_grace_days: renewal.late_grace_days.map(|g| g.0),
            ..period_only
        })
    }

    /// The `validUntil` of a cycle completed on `completed`, the previous cycle (if any) being
    /// valid until `previous`; `None` past 9999-12-31.
    pub fn valid_until(&self, previous: Option<Date>, completed: Date) -> Option<Date> {
        match self.basis {
            Basis::Completion => completed.add_months(self.every_months),
            Basis::Expiry => match previous {
                Some(until) if completed <= until => until.add_months(self.every_months),
                _ => completed.add_months(self.every_months),
            },
            Basis::Fixed { anchor, minimum_active_months } => {
                let lowest = completed.add_months(minimum_active_months)?;
                let every = i64::from(self.every_months);
                // The term whose month is at or before `lowest`'s, then the next ones: the first
                // that qualifies is at most two periods on.
                let k = (lowest.month_index() - anchor.month_index()).div_euclid(every);
                (k..=k + 2)
                    .filter_map(|k| anchor.shift_months(k * every))
                    .find(|term| *term > completed && *term >= lowest)
            }
        }
    }

    /// The day the renewal window of a cycle valid until `until` opens (`None` without a
    /// window).
    pub fn window_opens(&self, until: Date) -> Option<Date> {
        self.window_days.map(|w| until.sub_days(u64::from(w)).unwrap_or(Date::MIN))
    }

    /// The last day plus one of the late grace after `until` (`None` without a grace period, or
    /// past 9999-12-31).
    pub fn grace_until(&self, until: Date) -> Option<Date> {
        self.late_grace_days.and_then(|g| until.add_days(u64::from(g)))
    }

    /// Whether `as_of` falls in the late grace after `until`.
    pub fn in_grace(&self, until: Date, as_of: Date) -> bool {
        until <= as_of
            && self.late_grace_days.is_some_and(|g| until.add_days(u64::from(g)).is_none_or(|end| as_of < end))
    }
}
