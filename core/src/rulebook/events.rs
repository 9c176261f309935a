//! Events prepared once (spec.md §3): each event's template resolved, its rules in effect (the
//! template's, less the removed ones, plus the event's own) and its sessions indexed.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::calendar::Date;
use crate::diagnostics::{Code, Diagnostics};
use crate::wire::rulebook::{AchievementRule, CourseTemplate, Delivery, Event, Rulebook};
use crate::wire::scalar::Shown;

use super::{EffectiveRule, IdIndex, Indexes, PreparedEvent, Resolution};

/// Rules in effect, by achievement id.
type Rules = BTreeMap<String, EffectiveRule>;

/// Each event defined once, by id.
pub(super) fn prepare(rb: &Rulebook, ids: &Indexes, d: &mut Diagnostics) -> BTreeMap<String, PreparedEvent> {
    let template_rules = template_rules(rb, ids, d);
    let mut events = BTreeMap::new();
    for (id, e) in ids.events.iter() {
        let Some(event) = rb.events.get(e) else { continue };
        let template = match ids.templates.resolve_or_report(
            &event.template,
            "course template",
            || format!("/rulebook/events/{e}/template"),
            d,
        ) {
            Resolution::Found(t) => Some(t),
            Resolution::Duplicated | Resolution::Unknown => None,
        };
        let template_def = template.and_then(|t| rb.course_templates.get(t));
        let delivery = event.delivery.or(template_def.map(|t| t.delivery));
        let inherited = template.and_then(|t| template_rules.get(&t));
        let external = delivery == Some(Delivery::External);
        let rules = rules_in_effect(event, e, template_def, inherited, external, &ids.achievements, d);
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
        let prepared = PreparedEvent {
            index: e,
            template,
            delivery,
            course_code: event.code.clone().or(template_def.and_then(|t| t.code.clone())),
            rules: rules.into_values().collect(),
            required_count,
            last_required: required().map(|session| session.date).max(),
            sessions_by_id: sessions_by_id(event),
        };
        events.insert(id.to_string(), prepared);
    }
    events
}

/// Each template's rules (by template position).
fn template_rules(rb: &Rulebook, ids: &Indexes, d: &mut Diagnostics) -> BTreeMap<usize, Rules> {
    let mut template_rules = BTreeMap::new();
    for (_, t) in ids.templates.iter() {
        let Some(template) = rb.course_templates.get(t) else { continue };
        let base = || format!("/rulebook/courseTemplates/{t}/achievements");
        // An event may change the template's delivery: only `autoPass: false` makes a template's
        // rule manual-only wherever it applies.
        template_rules.insert(t, rule_list(&template.achievements, &base, false, &ids.achievements, d));
    }
    template_rules
}

/// The rules in effect on event `e`: unless it does not inherit, its template's rules less the
/// ones it removes (a removal of a rule the template does not have is reported), then its own.
fn rules_in_effect(
    event: &Event,
    e: usize,
    template: Option<&CourseTemplate>,
    inherited: Option<&Rules>,
    external: bool,
    achievements: &IdIndex,
    d: &mut Diagnostics,
) -> Rules {
    let overrides = event.achievements.clone().unwrap_or_default();
    let mut rules = BTreeMap::new();
    if overrides.inherit.unwrap_or(true) {
        rules = inherited.cloned().unwrap_or_default();
        for (j, removed) in overrides.remove.iter().enumerate() {
            let was_inherited = template.is_some_and(|t| t.achievements.iter().any(|r| &r.achievement == removed));
            if was_inherited {
                rules.remove(removed);
            } else {
                d.warning(
                    Code::UnknownReference,
                    format!("/rulebook/events/{e}/achievements/remove/{j}"),
                    format!("`{}` is not inherited from the course template, so it cannot be removed", Shown(removed)),
                );
            }
        }
    }
    let base = || format!("/rulebook/events/{e}/achievements/rules");
    rules.extend(rule_list(&overrides.rules, &base, external, achievements, d));
    rules
}

/// A list of rules at `base()` (of a template, or of an event whose delivery is `external` or
/// not; the path is written only for a diagnostic): rules of unknown achievements and repeated
/// rules are reported and skipped, and an approval required of a manual-only rule is reported
/// (spec.md §12, Passing).
fn rule_list(
    rules: &[AchievementRule],
    base: &dyn Fn() -> String,
    external: bool,
    achievements: &IdIndex,
    d: &mut Diagnostics,
) -> Rules {
    let index = IdIndex::build(
        rules.iter().map(|r| r.achievement.as_str()),
        "a rule for achievement",
        Code::DuplicateId,
        |j| format!("{}/{j}/achievement", base()),
        d,
    );
    let mut effective = BTreeMap::new();
    for (id, j) in index.iter() {
        let Some(rule) = rules.get(j) else { continue };
        let path = || format!("{}/{j}/achievement", base());
        if let Resolution::Found(a) = achievements.resolve_or_report(id, "achievement", path, d) {
            let effective_rule = EffectiveRule::new(rule, a);
            if effective_rule.require_approval && (external || !effective_rule.auto_pass) {
                d.warning(
                    Code::ApprovalOnManualOnly,
                    format!("{}/{j}/requireApproval", base()),
                    format!("the rule for `{}` is manual-only, so `requireApproval` adds nothing", Shown(id)),
                );
            }
            effective.insert(id.to_string(), effective_rule);
        }
    }
    effective
}

/// Every session of the event by id (stable for repeated ids), with its date when it is
/// required.
fn sessions_by_id(event: &Event) -> Vec<(String, Option<Date>)> {
    let mut sessions_by_id: Vec<(String, Option<Date>)> = event
        .sessions
        .iter()
        .map(|session| (session.id.clone(), (!session.optional.unwrap_or(false)).then_some(session.date)))
        .collect();
    crate::order::sort_by(&mut sessions_by_id, |a, b| a.0.cmp(&b.0));
    sessions_by_id
}
