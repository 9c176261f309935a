//! What the steps of an evaluation share: the request, the evidence's ids ranked once, the
//! issued records, and the diagnostics and actions collected along the way.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::actions::Actions;
use crate::calendar::Date;
use crate::diagnostics::{Code, Diagnostics};
use crate::ranks::{ItemRanks, Ranks, UNRANKED};
use crate::rulebook::{PreparedRulebook, Resolution};
use crate::wire::answer::{
    AccountHoldings, CertificationHolding, CertificationProgress, EngineInfo, EvaluateAnswer, Holding, Outcome,
    PathProgress,
};
use crate::wire::evidence::{Evidence, IssuedRecord};
use crate::wire::request::Options;
use crate::wire::rulebook::Rulebook;
use crate::wire::scalar::Shown;
use crate::ENGINE_VERSION;

use super::awards::NewRecords;
use super::decided::{Decided, Outcomes};
use super::issued::IssuedRecords;

/// One evaluation's shared state.
pub struct Evaluation<'a> {
    pub book: &'a PreparedRulebook,
    pub rb: &'a Rulebook,
    pub as_of: Date,
    pub evidence: &'a Evidence,
    pub trace: bool,
    pub expiring_within_days: u32,
    pub ids: Ids<'a>,
    pub issued: IssuedRecords<'a>,
    pub diagnostics: Diagnostics,
    pub actions: Actions<'a>,
}

/// The evidence's ids ranked (crate::ranks): maps and sorts compare integers in the order of
/// the ids. Learners and path enrolments share one id namespace ("participants"); contacts are
/// ranked over learners, enrolments, issued records, training records and course results.
pub struct Ids<'a> {
    learner_count: usize,
    enrollment_count: usize,
    issued_count: usize,
    training_record_count: usize,
    participants: ItemRanks<'a>,
    /// Each participant's rank when its id is defined once, else [`UNRANKED`].
    participant_rank: Vec<u32>,
    contacts: ItemRanks<'a>,
    pub achievements: Ranks<'a>,
    /// The rank of each achievement of the rulebook, by position.
    achievement_rank: Vec<u32>,
    pub origins: Ranks<'a>,
}

impl<'a> Evaluation<'a> {
    pub fn new(book: &'a PreparedRulebook, as_of: Date, evidence: &'a Evidence, options: &Options) -> Evaluation<'a> {
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(&book.diagnostics);
        let defined_once = issued_defined_once(evidence, &mut diagnostics);
        let ids = Ids::new(book, evidence, &defined_once, &mut diagnostics);
        check_references(book, evidence, &defined_once, &mut diagnostics);
        let issued = IssuedRecords::new(&ids, &defined_once);
        Evaluation {
            book,
            rb: &book.rulebook,
            as_of,
            evidence,
            trace: options.trace,
            expiring_within_days: options.expiring_within_days(),
            ids,
            issued,
            diagnostics,
            actions: Actions::default(),
        }
    }
}

impl<'a> Evaluation<'a> {
    /// The answer (spec.md §9 order): outcomes by (events before paths, origin, learner,
    /// achievement), paths by (contact, path, enrolment), actions and diagnostics sorted.
    pub fn answer(
        self,
        decided: Outcomes<'a>,
        records: NewRecords,
        mut paths: Vec<PathProgress<'a>>,
        (holdings, accounts): (Vec<Holding<'a>>, Vec<AccountHoldings<'a>>),
        certifications: Vec<CertificationProgress<'a>>,
        certification_holdings: Vec<CertificationHolding<'a>>,
    ) -> EvaluateAnswer<'a> {
        let order: Vec<u128> = decided.iter().map(|o| o.key.answer_order()).collect();
        // The outcomes take the place of the decided ones (the same allocation).
        let mut outcomes: Vec<Outcome<'a>> = decided.into_iter().map(Decided::into_outcome).collect();
        crate::order::sort_by_packed_keys(&mut outcomes, &order);
        crate::order::sort_by(&mut paths, |a, b| {
            (a.contact, a.path, a.enrollment).cmp(&(b.contact, b.path, b.enrollment))
        });
        EvaluateAnswer {
            engine: EngineInfo { name: "laureate", version: ENGINE_VERSION },
            as_of: self.as_of,
            outcomes,
            paths,
            certifications,
            holdings,
            accounts,
            certification_holdings,
            actions: self.actions.into_sorted(),
            sequence_state: records.sequence_state,
            diagnostics: self.diagnostics.into_sorted(),
        }
    }
}

/// The issued records whose id is defined once, by id, with their positions; each later
/// occurrence of an id is reported.
fn issued_defined_once<'a>(evidence: &'a Evidence, d: &mut Diagnostics) -> Vec<(usize, &'a IssuedRecord)> {
    let issued_ids = ItemRanks::new(evidence.issued.iter().map(|r| r.id.as_str()).collect());
    let issued_rank = unique_ranks(&issued_ids, "issued record", d, |i| format!("/evidence/issued/{i}/id"));
    issued_ids
        .sorted()
        .iter()
        .filter(|i| issued_rank.get(**i).is_some_and(|r| *r != UNRANKED))
        .filter_map(|&i| evidence.issued.get(i).map(|r| (i, r)))
        .collect()
}

impl<'a> Ids<'a> {
    fn new(
        book: &'a PreparedRulebook,
        evidence: &'a Evidence,
        issued: &[(usize, &'a IssuedRecord)],
        d: &mut Diagnostics,
    ) -> Ids<'a> {
        let rb = &book.rulebook;
        let learner_count = evidence.learners.len();
        let learners = evidence.learners.iter().map(|l| l.id.as_str());
        let enrollments = evidence.path_enrollments.iter().map(|p| p.id.as_str());
        let participants = ItemRanks::new(learners.chain(enrollments).collect());
        let participant_rank =
            unique_ranks(&participants, "learner or path enrollment", d, |i| match i.checked_sub(learner_count) {
                None => format!("/evidence/learners/{i}/id"),
                Some(j) => format!("/evidence/pathEnrollments/{j}/id"),
            });
        let contacts = ItemRanks::new(
            evidence
                .learners
                .iter()
                .map(|l| l.contact.as_str())
                .chain(evidence.path_enrollments.iter().map(|p| p.contact.as_str()))
                .chain(issued.iter().map(|(_, r)| r.contact.as_str()))
                .chain(evidence.training_records.iter().map(|r| r.contact.as_str()))
                .chain(evidence.course_results.iter().map(|r| r.contact.as_str()))
                .collect(),
        );
        let achievements = Ranks::new(
            rb.achievements.iter().map(|a| a.id.as_str()).chain(issued.iter().map(|(_, r)| r.achievement.as_str())),
        );
        let achievement_rank = rb.achievements.iter().map(|a| achievements.of(&a.id)).collect();
        let origins =
            Ranks::new(rb.events.iter().map(|e| e.id.as_str()).chain(rb.learning_paths.iter().map(|p| p.id.as_str())));
        Ids {
            learner_count,
            enrollment_count: evidence.path_enrollments.len(),
            issued_count: issued.len(),
            training_record_count: evidence.training_records.len(),
            participants,
            participant_rank,
            contacts,
            achievements,
            achievement_rank,
            origins,
        }
    }

    /// The rank of learner `i`, when its id is defined once.
    pub fn learner(&self, i: usize) -> Option<u32> {
        self.participant_rank.get(i).copied().filter(|r| *r != UNRANKED)
    }

    /// The rank of path enrolment `j`, when its id is defined once.
    pub fn enrollment(&self, j: usize) -> Option<u32> {
        self.learner(self.learner_count + j)
    }

    /// The participant (learner or enrolment) position of a defined-once id.
    pub fn participant(&self, id: &str) -> Option<u32> {
        let position = self.participants.find(id)?;
        self.learner(position)?;
        u32::try_from(position).ok()
    }

    /// The position of path enrolment `j` among the participants.
    pub fn enrollment_position(&self, j: usize) -> usize {
        self.learner_count + j
    }

    pub fn learner_contact(&self, i: usize) -> u32 {
        self.contacts.at(i)
    }

    pub fn enrollment_contact(&self, j: usize) -> u32 {
        self.contacts.at(self.learner_count + j)
    }

    /// The contact of the `k`th issued record defined once.
    pub fn issued_contact(&self, k: usize) -> u32 {
        self.contacts.at(self.learner_count + self.enrollment_count + k)
    }

    pub fn training_record_contact(&self, r: usize) -> u32 {
        self.contacts.at(self.learner_count + self.enrollment_count + self.issued_count + r)
    }

    pub fn course_result_contact(&self, r: usize) -> u32 {
        let before = self.learner_count + self.enrollment_count + self.issued_count + self.training_record_count;
        self.contacts.at(before + r)
    }

    /// The number of distinct contacts: every contact rank is below it.
    pub fn contact_count(&self) -> usize {
        self.contacts.distinct
    }

    /// The contacts of the path enrolments (step completions count only for them).
    pub fn enrolled_contacts(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.enrollment_count).map(|j| self.enrollment_contact(j))
    }

    /// The rank of the achievement at `index` in the rulebook.
    pub fn achievement(&self, index: usize) -> u32 {
        self.achievement_rank.get(index).copied().unwrap_or(UNRANKED)
    }
}

/// Issued records of unknown achievements (kept in the holdings) and sequence states of unknown
/// sequences.
fn check_references(
    book: &PreparedRulebook,
    evidence: &Evidence,
    issued: &[(usize, &IssuedRecord)],
    d: &mut Diagnostics,
) {
    for (i, record) in issued {
        if let Resolution::Unknown = book.achievements.resolve(&record.achievement) {
            d.warning(
                Code::UnknownReference,
                format!("/evidence/issued/{i}/achievement"),
                format!("no achievement has the id `{}`; the record stays in the holdings", Shown(&record.achievement)),
            );
        }
    }
    for key in evidence.sequence_state.keys() {
        if let Resolution::Unknown = book.sequence_ids.resolve(key) {
            d.error(
                Code::UnknownReference,
                crate::pointer::join("/evidence/sequenceState", key),
                format!("no sequence has the id `{}`", Shown(key)),
            );
        }
    }
}

/// Each item's rank when its id is defined once, else [`UNRANKED`]; each later occurrence of an
/// id is reported as `duplicate-id` at `path_of(position)`.
fn unique_ranks(ids: &ItemRanks, kind: &str, d: &mut Diagnostics, path_of: impl Fn(usize) -> String) -> Vec<u32> {
    let mut ranks = ids.rank.clone();
    for group in ids.sorted().chunk_by(|a, b| ids.at(*a) == ids.at(*b)) {
        if group.len() > 1 {
            for (n, &position) in group.iter().enumerate() {
                if let Some(slot) = ranks.get_mut(position) {
                    *slot = UNRANKED;
                }
                if n > 0 {
                    let id = ids.id(position);
                    d.error(
                        Code::DuplicateId,
                        path_of(position),
                        format!("{kind} `{}` is defined more than once", Shown(id)),
                    );
                }
            }
        }
    }
    ranks
}
