//! The prepared rulebook: the rulebook read once, indexed by id, its references resolved, its
//! formats parsed and its diagnostics computed, ready to evaluate evidence many times.

use alloc::borrow::Cow;
use alloc::collections::btree_map::Entry;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::calendar::Date;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::sequence::format::{self as formatter, FormatKind};
use crate::sequence::PreparedSequence;
use crate::wire::rulebook::{AchievementRule, Delivery, Rulebook};
use crate::wire::scalar::{Percent, Shown};

/// Ids of one kind: the ones defined exactly once, and the ones defined more than once. A
/// rulebook's index owns its ids (`IdIndex<'static>`); an index of evidence borrows them.
#[derive(Clone, Debug, Default)]
pub struct IdIndex<'a> {
    unique: BTreeMap<Cow<'a, str>, usize>,
    duplicated: BTreeSet<Cow<'a, str>>,
}

/// What a reference resolves to.
pub enum Resolution {
    Found(usize),
    /// Defined more than once: skipped, already reported as `duplicate-id`.
    Duplicated,
    Unknown,
}

impl IdIndex<'static> {
    /// Indexes `ids` (in document order), owning them; see [`IdIndex::borrowing`].
    pub fn build<'b>(
        ids: impl Iterator<Item = &'b str>,
        kind: &str,
        code: Code,
        path_of: impl Fn(usize) -> String,
        diagnostics: &mut Diagnostics,
    ) -> IdIndex<'static> {
        IdIndex::index(ids.map(|id| Cow::Owned(id.to_string())), kind, code, &path_of, diagnostics)
    }
}

impl<'a> IdIndex<'a> {
    /// Indexes `ids` (in document order), reporting each later occurrence with `code` at
    /// `path_of(i)`; the index borrows the ids.
    pub fn borrowing(
        ids: impl Iterator<Item = &'a str>,
        kind: &str,
        code: Code,
        path_of: impl Fn(usize) -> String,
        diagnostics: &mut Diagnostics,
    ) -> IdIndex<'a> {
        IdIndex::index(ids.map(Cow::Borrowed), kind, code, &path_of, diagnostics)
    }

    fn index(
        ids: impl Iterator<Item = Cow<'a, str>>,
        kind: &str,
        code: Code,
        path_of: &dyn Fn(usize) -> String,
        diagnostics: &mut Diagnostics,
    ) -> IdIndex<'a> {
        let mut index = IdIndex { unique: BTreeMap::new(), duplicated: BTreeSet::new() };
        for (i, id) in ids.enumerate() {
            let again = match index.unique.entry(id) {
                Entry::Vacant(slot) => {
                    if index.duplicated.contains(slot.key()) {
                        Some(slot.into_key())
                    } else {
                        slot.insert(i);
                        None
                    }
                }
                Entry::Occupied(slot) => {
                    let (id, _) = slot.remove_entry();
                    Some(id)
                }
            };
            if let Some(id) = again {
                diagnostics.error(code, path_of(i), format!("{kind} `{}` is defined more than once", Shown(&id)));
                index.duplicated.insert(id);
            }
        }
        index
    }

    pub fn resolve(&self, id: &str) -> Resolution {
        match self.unique.get(id) {
            Some(&i) => Resolution::Found(i),
            None if self.duplicated.contains(id) => Resolution::Duplicated,
            None => Resolution::Unknown,
        }
    }

    pub fn get(&self, id: &str) -> Option<usize> {
        self.unique.get(id).copied()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.unique.contains_key(id) || self.duplicated.contains(id)
    }

    /// The indices of the items defined exactly once, by id.
    pub fn iter(&self) -> impl Iterator<Item = (&str, usize)> {
        self.unique.iter().map(|(id, &i)| (id.as_ref(), i))
    }
}

/// An achievement rule in effect on an event, with its defaults applied (SPEC §3).
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
    pub fn new(rulebook: Rulebook) -> PreparedRulebook {
        let mut d = Diagnostics::default();
        let rb = &rulebook;
        let ids = |base: &'static str| move |i: usize| format!("/rulebook/{base}/{i}/id");
        let achievements = IdIndex::build(
            rb.achievements.iter().map(|a| a.id.as_str()),
            "achievement",
            Code::DuplicateId,
            ids("achievements"),
            &mut d,
        );
        let sequence_ids = IdIndex::build(
            rb.sequences.iter().map(|s| s.id.as_str()),
            "sequence",
            Code::DuplicateId,
            ids("sequences"),
            &mut d,
        );
        let templates = IdIndex::build(
            rb.course_templates.iter().map(|t| t.id.as_str()),
            "course template",
            Code::DuplicateId,
            ids("courseTemplates"),
            &mut d,
        );
        let event_ids =
            IdIndex::build(rb.events.iter().map(|e| e.id.as_str()), "event", Code::DuplicateId, ids("events"), &mut d);
        let paths = IdIndex::build(
            rb.learning_paths.iter().map(|p| p.id.as_str()),
            "learning path",
            Code::DuplicateId,
            ids("learningPaths"),
            &mut d,
        );
        let courses = IdIndex::build(
            rb.courses.iter().map(|c| c.id.as_str()),
            "course",
            Code::DuplicateId,
            ids("courses"),
            &mut d,
        );
        let certifications = IdIndex::build(
            rb.certifications.iter().map(|c| c.id.as_str()),
            "certification",
            Code::DuplicateId,
            ids("certifications"),
            &mut d,
        );
        let code_index = IdIndex::build(
            rb.qualification_codes.iter().map(|c| c.code.as_str()),
            "qualification code",
            Code::QualificationCodeDuplicate,
            |i| format!("/rulebook/qualificationCodes/{i}/code"),
            &mut d,
        );
        // Built by inserting: `collect()` into a B-tree sorts a copy (one more sort in the .wasm).
        let mut codes = BTreeSet::new();
        for code in &rb.qualification_codes {
            codes.insert(code.code.clone());
        }
        let check_code = |code: &str, path: String, d: &mut Diagnostics| {
            if !codes.is_empty() && !code_index.contains(code) {
                d.error(
                    Code::QualificationCodeUnknown,
                    path,
                    format!("qualification code `{}` is not in the qualification codes list", Shown(code)),
                );
            }
        };
        let unknown = |d: &mut Diagnostics, path: String, kind: &str, id: &str| {
            d.error(Code::UnknownReference, path, format!("no {kind} has the id `{}`", Shown(id)));
        };

        for (_, i) in achievements.iter() {
            let Some(achievement) = rb.achievements.get(i) else { continue };
            if let Some(sequence) = &achievement.sequence {
                if let Resolution::Unknown = sequence_ids.resolve(sequence) {
                    unknown(&mut d, format!("/rulebook/achievements/{i}/sequence"), "sequence", sequence);
                }
            }
        }

        let mut sequences = BTreeMap::new();
        for (id, i) in sequence_ids.iter() {
            let Some(sequence) = rb.sequences.get(i) else { continue };
            let mut parse = |text: &Option<String>, kind, member: &str| {
                text.as_ref()
                    .map(|text| formatter::parse(text, kind, &format!("/rulebook/sequences/{i}/{member}"), &mut d))
            };
            let event_format = parse(&sequence.event_format, FormatKind::Event, "eventFormat");
            let path_format = parse(&sequence.path_format, FormatKind::Path, "pathFormat");
            sequences.insert(
                id.to_string(),
                PreparedSequence {
                    index: i,
                    start: sequence.start.map_or(1, |s| s.0),
                    padding: sequence.padding.map_or(0, |p| p.0),
                    event_format,
                    path_format,
                },
            );
        }

        // Template rules: unknown achievements and duplicates are skipped.
        let rule_list =
            |rules: &[AchievementRule], base: &str, d: &mut Diagnostics| -> BTreeMap<String, EffectiveRule> {
                let index = IdIndex::build(
                    rules.iter().map(|r| r.achievement.as_str()),
                    "a rule for achievement",
                    Code::DuplicateId,
                    |j| format!("{base}/{j}/achievement"),
                    d,
                );
                let mut effective = BTreeMap::new();
                for (id, j) in index.iter() {
                    let Some(rule) = rules.get(j) else { continue };
                    match achievements.resolve(id) {
                        Resolution::Found(a) => {
                            effective.insert(id.to_string(), EffectiveRule::new(rule, a));
                        }
                        Resolution::Duplicated => {}
                        Resolution::Unknown => unknown(d, format!("{base}/{j}/achievement"), "achievement", id),
                    }
                }
                effective
            };
        let mut template_rules = BTreeMap::new();
        for (_, t) in templates.iter() {
            let Some(template) = rb.course_templates.get(t) else { continue };
            check_code(&template.code, format!("/rulebook/courseTemplates/{t}/code"), &mut d);
            template_rules.insert(
                t,
                rule_list(&template.achievements, &format!("/rulebook/courseTemplates/{t}/achievements"), &mut d),
            );
        }

        let mut events = BTreeMap::new();
        for (id, e) in event_ids.iter() {
            let Some(event) = rb.events.get(e) else { continue };
            let template = match templates.resolve(&event.template) {
                Resolution::Found(t) => Some(t),
                Resolution::Duplicated => None,
                Resolution::Unknown => {
                    unknown(&mut d, format!("/rulebook/events/{e}/template"), "course template", &event.template);
                    None
                }
            };
            let template_def = template.and_then(|t| rb.course_templates.get(t));
            if let Some(code) = &event.code {
                check_code(code, format!("/rulebook/events/{e}/code"), &mut d);
            }
            let delivery = event.delivery.or(template_def.map(|t| t.delivery));
            let overrides = event.achievements.clone().unwrap_or_default();
            let inherit = overrides.inherit.unwrap_or(true);
            let inherited = template.and_then(|t| template_rules.get(&t)).cloned().unwrap_or_default();
            let mut rules = BTreeMap::new();
            if inherit {
                rules = inherited.clone();
                for (j, removed) in overrides.remove.iter().enumerate() {
                    let was_inherited =
                        template_def.is_some_and(|t| t.achievements.iter().any(|r| &r.achievement == removed));
                    if was_inherited {
                        rules.remove(removed);
                    } else {
                        d.warning(
                            Code::UnknownReference,
                            format!("/rulebook/events/{e}/achievements/remove/{j}"),
                            format!(
                                "`{}` is not inherited from the course template, so it cannot be removed",
                                Shown(removed)
                            ),
                        );
                    }
                }
            }
            rules.extend(rule_list(&overrides.rules, &format!("/rulebook/events/{e}/achievements/rules"), &mut d));

            let required = || event.sessions.iter().filter(|session| !session.optional.unwrap_or(false));
            let required_count = required().count();
            let attended = matches!(delivery, Some(Delivery::Classroom | Delivery::Virtual | Delivery::Blended));
            if required_count == 0 && attended && template.is_some() {
                d.warning(
                    Code::EventNoRequiredSessions,
                    format!("/rulebook/events/{e}/sessions"),
                    format!("event `{}` has no required session: attendance is met on its end date", Shown(id)),
                );
            }
            let last_required = required().map(|session| session.date).max();
            let mut sessions_by_id: Vec<(String, Option<Date>)> = event
                .sessions
                .iter()
                .map(|session| (session.id.clone(), (!session.optional.unwrap_or(false)).then_some(session.date)))
                .collect();
            crate::order::sort_by(&mut sessions_by_id, |a, b| a.0.cmp(&b.0));
            events.insert(
                id.to_string(),
                PreparedEvent {
                    index: e,
                    template,
                    delivery,
                    course_code: event.code.clone().or(template_def.map(|t| t.code.clone())),
                    rules: rules.into_values().collect(),
                    required_count,
                    last_required,
                    sessions_by_id,
                },
            );
        }

        for (_, p) in paths.iter() {
            let Some(path) = rb.learning_paths.get(p) else { continue };
            check_code(&path.code, format!("/rulebook/learningPaths/{p}/code"), &mut d);
            for (s, step) in path.steps.iter().enumerate() {
                check_code(&step.code, format!("/rulebook/learningPaths/{p}/steps/{s}/code"), &mut d);
            }
            for (a, achievement) in path.achievements.iter().enumerate() {
                if let Resolution::Unknown = achievements.resolve(achievement) {
                    unknown(
                        &mut d,
                        format!("/rulebook/learningPaths/{p}/achievements/{a}"),
                        "achievement",
                        achievement,
                    );
                }
            }
        }

        for (_, c) in courses.iter() {
            if let Some(code) = rb.courses.get(c).and_then(|c| c.code.as_ref()) {
                check_code(code, format!("/rulebook/courses/{c}/code"), &mut d);
            }
        }

        for (_, c) in certifications.iter() {
            let Some(certification) = rb.certifications.get(c) else { continue };
            let base = format!("/rulebook/certifications/{c}");
            let mut graded = false;
            for (j, course_id) in certification.courses.iter().enumerate() {
                match courses.resolve(course_id) {
                    Resolution::Found(k) => {
                        let Some(course) = rb.courses.get(k) else { continue };
                        graded |= course.graded_steps.is_some_and(|g| g.0 >= 1);
                        if !course.published.unwrap_or(true) {
                            d.error(
                                Code::CertificationUnpublishedCourse,
                                format!("{base}/courses/{j}"),
                                format!("course `{}` is not published", Shown(course_id)),
                            );
                        }
                    }
                    Resolution::Duplicated => {}
                    Resolution::Unknown => unknown(&mut d, format!("{base}/courses/{j}"), "course", course_id),
                }
            }
            if !graded {
                d.error(
                    Code::CertificationNoGradedCourse,
                    format!("{base}/courses"),
                    format!(
                        "certification `{}` has no course with a graded step, so it can never be completed",
                        Shown(&certification.id)
                    ),
                );
            }
            for (g, group) in certification.groups.iter().enumerate() {
                let missing_from = certification.courses.iter().any(|course_id| {
                    courses
                        .get(course_id)
                        .and_then(|k| rb.courses.get(k))
                        .is_none_or(|course| !course.groups.contains(group))
                });
                if missing_from {
                    d.error(
                        Code::CertificationGroupNotOnAllCourses,
                        format!("{base}/groups/{g}"),
                        format!("group `{}` is not assigned to every course of the certification", Shown(group)),
                    );
                }
            }
            if !certification.published.unwrap_or(true) {
                d.warning(
                    Code::CertificationUnpublished,
                    format!("{base}/published"),
                    format!("certification `{}` is not published: nobody is evaluated", Shown(&certification.id)),
                );
            }
        }

        PreparedRulebook {
            achievements,
            sequences,
            sequence_ids,
            templates,
            events,
            event_ids,
            paths,
            courses,
            certifications,
            codes,
            diagnostics: d.into_sorted(),
            rulebook,
        }
    }
}
