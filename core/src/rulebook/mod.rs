//! The prepared rulebook: the rulebook read once, indexed by id, its references resolved, its
//! formats parsed and its diagnostics computed, ready to evaluate evidence many times.

mod checks;
mod events;
mod index;
mod sequences;

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::calendar::Date;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::sequence::PreparedSequence;
use crate::wire::rulebook::{AchievementRule, Delivery, Rulebook};
use crate::wire::scalar::{Percent, Shown};

pub use index::{IdIndex, Resolution};

/// An achievement rule in effect on an event, with its defaults applied (spec.md §3).
#[derive(Clone, Debug)]
pub struct EffectiveRule {
    pub achievement: String,
    pub achievement_index: usize,
    pub auto_pass: bool,
    pub max_absences: u32,
    pub min_progress: Percent,
    pub min_score: Option<Percent>,
    pub require_invoice_paid: bool,
    pub send_certificate: bool,
    /// An outcome whose automatic conditions are met waits for a manual pass (spec.md §5 rule 6,
    /// approval hold).
    pub require_approval: bool,
}

impl EffectiveRule {
    fn new(rule: &AchievementRule, achievement_index: usize) -> EffectiveRule {
        EffectiveRule {
            achievement: rule.achievement.clone(),
            achievement_index,
            auto_pass: rule.auto_pass.unwrap_or(true),
            max_absences: rule.max_absences.map_or(0, |c| c.0),
            min_progress: rule.min_progress.unwrap_or(Percent(100.0)),
            min_score: rule.min_score,
            require_invoice_paid: rule.require_invoice_paid.unwrap_or(false),
            send_certificate: rule.send_certificate.unwrap_or(true),
            require_approval: rule.require_approval.unwrap_or(false),
        }
    }
}

/// An event with its template resolved and its rules in effect.
#[derive(Clone, Debug)]
pub struct PreparedEvent {
    pub index: usize,
    /// `None` when the template is missing: the event's learners get no outcomes.
    pub template: Option<usize>,
    pub delivery: Option<Delivery>,
    /// The course code: the event's override, else the template's.
    pub course_code: Option<String>,
    /// Rules in effect, by achievement id.
    pub rules: Vec<EffectiveRule>,
    /// How many sessions are required (not optional), repeated ids counted each time.
    pub required_count: usize,
    /// The latest date of a required session.
    pub last_required: Option<Date>,
    /// Every session by id (stable for repeated ids): its date when it is required.
    pub sessions_by_id: Vec<(String, Option<Date>)>,
}

/// A rulebook read, indexed and checked once; evaluate evidence against it many times.
#[derive(Clone, Debug)]
pub struct PreparedRulebook {
    pub rulebook: Rulebook,
    pub achievements: IdIndex<'static>,
    pub sequences: BTreeMap<String, PreparedSequence>,
    pub sequence_ids: IdIndex<'static>,
    pub templates: IdIndex<'static>,
    pub events: BTreeMap<String, PreparedEvent>,
    pub event_ids: IdIndex<'static>,
    pub paths: IdIndex<'static>,
    pub courses: IdIndex<'static>,
    pub certifications: IdIndex<'static>,
    pub codes: BTreeSet<String>,
    /// Everything `validate` reports, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl PreparedRulebook {
    /// Indexes, resolves and checks `rulebook` (every `validate` diagnostic computed once).
    pub fn new(rulebook: Rulebook) -> PreparedRulebook {
        let mut d = Diagnostics::default();
        let rb = &rulebook;
        let ids = Indexes::new(rb, &mut d);
        let codes = QualificationCodes::new(rb, &mut d);
        checks::achievement_sequences(rb, &ids, &mut d);
        let sequences = sequences::prepare(rb, &ids.sequences, &mut d);
        let events = events::prepare(rb, &ids, &mut d);
        checks::learning_paths(rb, &ids, &codes, &mut d);
        checks::certifications(rb, &ids, &mut d);
        PreparedRulebook {
            achievements: ids.achievements,
            sequences,
            sequence_ids: ids.sequences,
            templates: ids.templates,
            events,
            event_ids: ids.events,
            paths: ids.paths,
            courses: ids.courses,
            certifications: ids.certifications,
            codes: codes.listed,
            diagnostics: d.into_sorted(),
            rulebook,
        }
    }
}

/// The ids of each kind of the rulebook, indexed; each id defined more than once reported.
struct Indexes {
    achievements: IdIndex<'static>,
    sequences: IdIndex<'static>,
    templates: IdIndex<'static>,
    events: IdIndex<'static>,
    paths: IdIndex<'static>,
    courses: IdIndex<'static>,
    certifications: IdIndex<'static>,
}

impl Indexes {
    fn new(rb: &Rulebook, d: &mut Diagnostics) -> Indexes {
        Indexes {
            achievements: ids(rb.achievements.iter().map(|a| a.id.as_str()), "achievement", "achievements", d),
            sequences: ids(rb.sequences.iter().map(|s| s.id.as_str()), "sequence", "sequences", d),
            templates: ids(rb.course_templates.iter().map(|t| t.id.as_str()), "course template", "courseTemplates", d),
            events: ids(rb.events.iter().map(|e| e.id.as_str()), "event", "events", d),
            paths: ids(rb.learning_paths.iter().map(|p| p.id.as_str()), "learning path", "learningPaths", d),
            courses: ids(rb.courses.iter().map(|c| c.id.as_str()), "course", "courses", d),
            certifications: ids(rb.certifications.iter().map(|c| c.id.as_str()), "certification", "certifications", d),
        }
    }
}

/// The ids of the items of `/rulebook/<member>`, indexed.
fn ids<'b>(ids: impl Iterator<Item = &'b str>, kind: &str, member: &str, d: &mut Diagnostics) -> IdIndex<'static> {
    IdIndex::build(ids, kind, Code::DuplicateId, |i| format!("/rulebook/{member}/{i}/id"), d)
}

/// The qualification codes list, against which the codes of learning paths and their steps are
/// checked once it is not empty (a code on a template, an event or a course need not be listed:
/// spec.md §12, Inputs).
struct QualificationCodes {
    index: IdIndex<'static>,
    listed: BTreeSet<String>,
}

impl QualificationCodes {
    fn new(rb: &Rulebook, d: &mut Diagnostics) -> QualificationCodes {
        let index = IdIndex::build(
            rb.qualification_codes.iter().map(|c| c.code.as_str()),
            "qualification code",
            Code::QualificationCodeDuplicate,
            |i| format!("/rulebook/qualificationCodes/{i}/code"),
            d,
        );
        // Built by inserting: `collect()` into a B-tree sorts a copy (one more sort in the .wasm).
        let mut listed = BTreeSet::new();
        for code in &rb.qualification_codes {
            listed.insert(code.code.clone());
        }
        QualificationCodes { index, listed }
    }

    /// Reports `code` (at `path`) when the list is not empty and does not have it.
    fn check(&self, code: &str, path: impl FnOnce() -> String, d: &mut Diagnostics) {
        if !self.listed.is_empty() && !self.index.contains(code) {
            d.error(
                Code::QualificationCodeUnknown,
                path(),
                format!("qualification code `{}` is not in the qualification codes list", Shown(code)),
            );
        }
    }
}
