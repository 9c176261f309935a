//! An outcome in the making: decided by the passing rules (or a completed path), settled
//! against the issued records, and, when it needs a new record, given one by the awards step.
//! The answer's [`Outcome`] is made from it once, complete.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::calendar::Date;
use crate::wire::answer::{DecidedBy, HistoryEntry, Origin, Outcome, Source, Status, Text, TraceEntry, WaitingOnSet};
use crate::wire::evidence::{IssuedRecord, ManualResult};

/// The decided outcomes, in the order they were decided (learners, then path enrolments).
pub type Outcomes<'a> = Vec<Decided<'a>>;

/// The ranks (crate::ranks) an outcome is sorted and grouped by.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct OutcomeKey {
    /// Events before paths, as `Origin`'s order.
    pub path: bool,
    pub origin: u32,
    pub learner: u32,
    pub achievement: u32,
    pub contact: u32,
}

impl OutcomeKey {
    /// The holding an award of this outcome belongs to: (contact rank, achievement rank).
    pub fn holding(&self) -> (u32, u32) {
        (self.contact, self.achievement)
    }

    /// The (contact, learner, achievement) ranks actions are sorted by.
    pub fn action(&self) -> crate::actions::SortKey {
        (self.contact, self.learner, self.achievement)
    }

    /// spec.md §9: (events before paths, origin, learner, achievement), packed.
    pub fn answer_order(&self) -> u128 {
        (u128::from(self.path) << 96) | crate::order::pack(0, self.origin, self.learner, self.achievement)
    }
}

/// An outcome as decided: who, where from, and what the rules said.
pub struct Decided<'a> {
    pub key: OutcomeKey,
    pub learner: &'a str,
    pub contact: &'a str,
    pub origin: Origin<'a>,
    pub achievement: &'a str,
    pub status: Status,
    pub source: Source,
    pub met_on: Option<Date>,
    /// The decision's award date, or an issued record's when one settles the award.
    pub awarded_on: Option<Date>,
    pub waiting_on: WaitingOnSet,
    pub trace: Vec<TraceEntry>,
    pub record: Record<'a>,
    /// The manual result that decided, when one did.
    pub decided_by: Option<&'a ManualResult>,
}

/// The record an outcome refers to.
pub enum Record<'a> {
    /// None: not awarded and nothing issued before.
    None,
    /// A record issued before (spec.md §5 rule 9): an award takes its dates and identifier; a
    /// failed or pending outcome only names it.
    Issued(&'a IssuedRecord),
    /// An award that needs a new record, made by the awards step.
    New(NewAward),
}

/// An award that needs a new record: where it was decided and what its validity depends on.
pub struct NewAward {
    pub site: Site,
    /// The achievement's position in the rulebook.
    pub achievement: usize,
    pub send_certificate: bool,
    pub met_on: Date,
    pub source_end: Date,
    pub context: Context,
    /// The record made, once the awards step has made it (an award without an award date or a
    /// known achievement gets none).
    pub made: Option<MadeRecord>,
}

/// A new record's dates and identifier.
pub struct MadeRecord {
    pub valid_from: Date,
    pub expires_on: Option<Date>,
    pub identifier: Option<Text<'static>>,
}

/// Where a new award's merge values come from.
pub enum Context {
    Event { event: usize, template: usize },
    Path { path: usize },
}

/// Where in the request an award was decided: diagnostics point there.
#[derive(Clone, Copy)]
pub enum Site {
    Learner(usize),
    Enrollment(usize),
}

impl Site {
    pub fn path(self) -> String {
        match self {
            Site::Learner(i) => format!("/evidence/learners/{i}"),
            Site::Enrollment(j) => format!("/evidence/pathEnrollments/{j}"),
        }
    }
}

impl<'a> Decided<'a> {
    /// An outcome decided by the rules, settled against the latest issued record of its
    /// learner and achievement (the latest live one, else the latest revoked one): an award
    /// with no record needs a new one (`award`); an award whose record is revoked (the learner
    /// has no live one) is `revoked`.
    pub fn settle(mut self, issued: Option<&'a IssuedRecord>, award: NewAward) -> Decided<'a> {
        self.record = match (self.status, issued) {
            (Status::Awarded, None) => Record::New(award),
            (Status::Awarded, Some(record)) => {
                self.awarded_on = Some(record.awarded_on);
                if record.revoked.is_some() {
                    self.status = Status::Revoked;
                }
                Record::Issued(record)
            }
            (Status::Failed | Status::Pending | Status::Revoked, Some(record)) => Record::Issued(record),
            (Status::Failed | Status::Pending | Status::Revoked, None) => Record::None,
        };
        self
    }

    /// Keeps the record the awards step made for this outcome, and the trace of how its dates
    /// were found.
    pub fn record_made(&mut self, made: Option<MadeRecord>, mut trace: Vec<TraceEntry>) {
        if let Record::New(award) = &mut self.record {
            award.made = made;
            self.trace.append(&mut trace);
        }
    }

    /// The new award this outcome waits for, when it needs one.
    pub fn new_award(&self) -> Option<&NewAward> {
        match &self.record {
            Record::New(award) => Some(award),
            _ => None,
        }
    }

    /// The record made for this outcome by the awards step.
    pub fn made(&self) -> Option<&MadeRecord> {
        self.new_award().and_then(|a| a.made.as_ref())
    }

    /// The holding history entry of the record made for this outcome.
    pub fn history_entry(&self) -> Option<HistoryEntry<'a>> {
        let made = self.made()?;
        Some(HistoryEntry {
            id: None,
            achievement: self.achievement,
            contact: self.contact,
            learner: Some(self.learner),
            event: matches!(self.origin, Origin::Event(_)).then(|| self.origin.id()),
            path: matches!(self.origin, Origin::Path(_)).then(|| self.origin.id()),
            awarded_on: self.awarded_on?,
            valid_from: made.valid_from,
            expires_on: made.expires_on,
            identifier: made.identifier.clone(),
            revoked: None,
        })
    }

    /// The answer's outcome: its dates and identifier from the record it refers to.
    pub fn into_outcome(self) -> Outcome<'a> {
        let (valid_from, expires_on, identifier, record) = match &self.record {
            Record::Issued(r) if matches!(self.status, Status::Awarded | Status::Revoked) => {
                (Some(r.valid_from), r.expires_on, r.identifier.as_deref().map(Text::Borrowed), Some(r.id.as_str()))
            }
            Record::Issued(r) => (None, None, None, Some(r.id.as_str())),
            Record::New(NewAward { made: Some(made), .. }) => {
                (Some(made.valid_from), made.expires_on, made.identifier.clone(), None)
            }
            Record::New(_) | Record::None => (None, None, None, None),
        };
        Outcome {
            learner: self.learner,
            contact: self.contact,
            origin: self.origin,
            achievement: self.achievement,
            status: self.status,
            source: self.source,
            met_on: self.met_on,
            awarded_on: self.awarded_on,
            valid_from,
            expires_on,
            identifier,
            record,
            decided_by: self
                .decided_by
                .map(|r| Box::new(DecidedBy { by: r.by.as_deref(), on: r.on, reason: r.reason.as_deref() })),
            waiting_on: self.waiting_on,
            trace: self.trace,
        }
    }
}
