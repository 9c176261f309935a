//! The rulebook of a mixed request: achievements, sequences, course templates, events (with
//! sessions and overrides), learning paths, qualification codes, courses and certifications.
//! A noisy request also refers to things that do not exist and carries broken formats.

use serde_json::{json, Value};

use super::vocabulary::{BROKEN_FORMATS, CODES, DELIVERIES, EVENT_FORMATS, GROUPS, PATH_FORMATS, UNITS, WORDS};
use super::{maybe, percent, Gen};
use crate::rng::{date, Rng};

/// An event, as the evidence generator needs to know it.
pub struct Event {
    pub id: String,
    pub sessions: Vec<String>,
    /// Achievements whose rule is in effect on the event.
    pub in_effect: Vec<String>,
}

/// The identifiers a rulebook defines, for the evidence to refer to.
pub struct Ids {
    pub achievements: Vec<String>,
    pub sequences: Vec<String>,
    pub events: Vec<Event>,
    pub paths: Vec<String>,
    pub courses: Vec<String>,
    pub certifications: Vec<String>,
    pub codes: Vec<String>,
}

/// A course template: its id, delivery mode and the achievements it has rules for.
struct Template {
    id: String,
    delivery: &'static str,
    ruled: Vec<String>,
}

/// A course: its id and groups.
struct Course {
    id: String,
    groups: Vec<&'static str>,
}

/// The rulebook of a request whose `asOf` is `as_of`, and the identifiers it defines.
pub fn rulebook(g: &mut Gen, as_of: i64) -> (Value, Ids) {
    let n_seq = g.rng.range(0, 3);
    let sequences: Vec<String> = (0..n_seq).map(|i| format!("seq-{i}")).collect();
    let n_ach = g.rng.range(1, 4);
    let achievements: Vec<String> = (0..n_ach).map(|i| format!("a{i}")).collect();
    let codes: Vec<String> = g.rng.subset(&CODES.map(String::from), 70);

    let achievement_list: Vec<Value> = achievements.iter().map(|id| achievement(g, id, &sequences)).collect();
    let sequence_list: Vec<Value> = sequences.iter().map(|id| sequence(g, id)).collect();
    let (templates, template_list): (Vec<Template>, Vec<Value>) =
        (0..g.rng.range(1, 4)).map(|i| template(g, i, &achievements, &codes)).unzip();
    let (events, event_list): (Vec<Event>, Vec<Value>) =
        (0..g.rng.range(1, 5)).map(|i| event(g, i, as_of, &templates, &achievements, &codes)).unzip();
    let paths: Vec<String> = (0..g.rng.range(0, 2)).map(|i| format!("p{i}")).collect();
    let path_list: Vec<Value> = paths.iter().map(|id| path(g, id, &achievements, &codes)).collect();
    let (courses, course_list): (Vec<Course>, Vec<Value>) =
        (0..g.rng.range(0, 3)).map(|i| course(g, i, &codes)).unzip();
    // A certification needs a graded course; only a noisy request lists one without.
    let n_certs = if courses.is_empty() && !g.noisy { 0 } else { g.rng.range(0, 2) };
    let certifications: Vec<String> = (0..n_certs).map(|i| format!("cert{i}")).collect();
    let cert_list: Vec<Value> = certifications.iter().map(|id| certification(g, id, as_of, &courses)).collect();

    let mut rb = json!({"achievements": achievement_list});
    maybe(&mut rb, !sequence_list.is_empty() || g.rng.chance(30), "sequences", json!(sequence_list));
    rb["courseTemplates"] = json!(template_list);
    rb["events"] = json!(event_list);
    maybe(&mut rb, !path_list.is_empty(), "learningPaths", json!(path_list));
    if !codes.is_empty() || g.rng.chance(20) {
        let list: Vec<Value> = codes.iter().map(|c| json!({"code": c, "description": format!("{c} course")})).collect();
        rb["qualificationCodes"] = json!(list);
    }
    maybe(&mut rb, !course_list.is_empty(), "courses", json!(course_list));
    maybe(&mut rb, !cert_list.is_empty(), "certifications", json!(cert_list));
    let courses = courses.into_iter().map(|c| c.id).collect();
    let ids = Ids { achievements, sequences, events, paths, courses, certifications, codes };
    (rb, ids)
}

/// A qualification code: one the rulebook lists, or (when it lists none, or as a flaw) any.
fn code(g: &mut Gen, codes: &[String]) -> String {
    if codes.is_empty() || g.flaw(5) {
        g.rng.pick(&CODES).to_string()
    } else {
        g.rng.pick(codes).clone()
    }
}

fn achievement(g: &mut Gen, id: &str, sequences: &[String]) -> Value {
    let mut a = json!({"id": id, "name": format!("Achievement {id}")});
    maybe(&mut a, g.rng.chance(20), "description", json!("about it"));
    if g.rng.chance(75) {
        a["validity"] = json!({"amount": g.rng.range(1, 6), "unit": g.rng.pick(&UNITS)});
    }
    let valid_from = *g.rng.pick(&["award-date", "completion-date", "event-end"]);
    maybe(&mut a, g.rng.chance(50), "validFrom", json!(valid_from));
    maybe(&mut a, g.rng.chance(30), "expiryRounding", json!(g.rng.pick(&["none", "end-of-month"])));
    maybe(&mut a, g.rng.chance(35), "renewal", json!({"earlyWindowDays": g.rng.range(0, 120)}));
    maybe(&mut a, g.rng.chance(50), "certificate", json!(format!("tpl-{id}")));
    if !sequences.is_empty() && g.rng.chance(70) {
        a["sequence"] = json!(g.rng.pick(sequences));
    } else if g.flaw(5) {
        a["sequence"] = json!("seq-missing");
    }
    a
}

fn sequence(g: &mut Gen, id: &str) -> Value {
    let mut s = json!({"id": id, "name": format!("Sequence {id}")});
    maybe(&mut s, g.rng.chance(40), "start", json!(g.rng.range(1, 1000)));
    maybe(&mut s, g.rng.chance(70), "padding", json!(g.rng.range(0, 8)));
    if !g.flaw(15) {
        let format = if g.flaw(20) { g.rng.pick(&BROKEN_FORMATS) } else { g.rng.pick(&EVENT_FORMATS) };
        s["eventFormat"] = json!(format);
    }
    if !g.flaw(30) {
        let format = if g.flaw(20) { g.rng.pick(&BROKEN_FORMATS) } else { g.rng.pick(&PATH_FORMATS) };
        s["pathFormat"] = json!(format);
    }
    s
}

/// A passing rule for `achievement`, with some of the conditions.
fn rule(rng: &mut Rng, achievement: &str) -> Value {
    let mut r = json!({"achievement": achievement});
    maybe(&mut r, rng.chance(10), "autoPass", json!(rng.chance(30)));
    maybe(&mut r, rng.chance(50), "maxAbsences", json!(rng.range(0, 2)));
    maybe(&mut r, rng.chance(40), "minProgress", percent(rng, 50));
    maybe(&mut r, rng.chance(40), "minScore", percent(rng, 40));
    maybe(&mut r, rng.chance(35), "requireInvoicePaid", json!(rng.chance(70)));
    maybe(&mut r, rng.chance(20), "sendCertificate", json!(rng.chance(50)));
    maybe(&mut r, rng.chance(20), "requireApproval", json!(rng.chance(70)));
    r
}

fn template(g: &mut Gen, i: i64, achievements: &[String], codes: &[String]) -> (Template, Value) {
    let id = format!("t{i}");
    let ruled = g.rng.subset(achievements, 50);
    let rules: Vec<Value> = ruled.iter().map(|a| rule(&mut g.rng, a)).collect();
    let delivery = *g.rng.pick(&DELIVERIES);
    let mut t = json!({
        "id": id, "code": code(g, codes), "title": format!("Course {id}"),
        "delivery": delivery, "achievements": rules,
    });
    if !g.flaw(40) {
        t["customFields"] = json!({"region": g.rng.pick(&WORDS)});
    }
    (Template { id, delivery, ruled }, t)
}

/// An event of one of `templates` (or, as a flaw, of a template that does not exist) starting
/// within 400 days before and 200 after `as_of`, with sessions and perhaps an override of its
/// template's rules.
fn event(
    g: &mut Gen,
    i: i64,
    as_of: i64,
    templates: &[Template],
    achievements: &[String],
    codes: &[String],
) -> (Event, Value) {
    let id = format!("e{i}");
    let start = as_of + g.rng.range(-400, 200);
    let length = g.rng.range(0, 3);
    let (template, template_delivery, inherited) = if g.flaw(8) {
        ("t-missing".to_owned(), "classroom", Vec::new())
    } else {
        let t = g.rng.pick(templates);
        (t.id.clone(), t.delivery, t.ruled.clone())
    };
    let mut e = json!({"id": id, "template": template, "start": date(start), "end": date(start + length)});
    let delivery = if g.rng.chance(15) { *g.rng.pick(&DELIVERIES) } else { template_delivery };
    if delivery != template_delivery {
        e["delivery"] = json!(delivery);
    }
    let attended = matches!(delivery, "classroom" | "virtual" | "blended");
    let n_sessions = if attended && !g.flaw(30) { g.rng.range(1, 4) } else { g.rng.range(0, 2) };
    let mut sessions = Vec::new();
    let mut session_ids = Vec::new();
    for s in 0..n_sessions {
        let sid = format!("s{s}");
        let mut session = json!({"id": sid, "date": date(start + g.rng.range(0, length))});
        // The first session is required in a clean request.
        if s > 0 || g.noisy {
            maybe(&mut session, g.rng.chance(20), "optional", json!(g.rng.chance(80)));
        }
        sessions.push(session);
        session_ids.push(sid);
    }
    if !sessions.is_empty() || g.rng.chance(50) {
        e["sessions"] = json!(sessions);
    }
    maybe(&mut e, g.rng.chance(10), "code", json!(code(g, codes)));
    if !g.flaw(40) {
        e["customFields"] = json!({"site": g.rng.pick(&WORDS)});
    }
    let mut in_effect = inherited.clone();
    if g.rng.chance(25) {
        e["achievements"] = event_override(g, achievements, &inherited, &mut in_effect);
    }
    (Event { id, sessions: session_ids, in_effect }, e)
}

/// An event's `achievements` override: inherit or not, remove some inherited rules (or, as a
/// flaw, rules it does not inherit), add rules; `in_effect` becomes the rules it leaves in effect.
fn event_override(g: &mut Gen, achievements: &[String], inherited: &[String], in_effect: &mut Vec<String>) -> Value {
    let mut over = json!({});
    let inherit = g.rng.chance(60);
    maybe(&mut over, inherit || g.rng.chance(50), "inherit", json!(inherit));
    let removable = if g.flaw(30) { achievements } else { inherited };
    let removed = g.rng.subset(removable, 40);
    maybe(&mut over, g.rng.chance(50), "remove", json!(removed));
    let ruled = g.rng.subset(achievements, 40);
    let rules: Vec<Value> = ruled.iter().map(|a| rule(&mut g.rng, a)).collect();
    let has_rules = g.rng.chance(70);
    maybe(&mut over, has_rules, "rules", json!(rules));
    if !inherit {
        in_effect.clear();
    } else if over.get("remove").is_some() {
        in_effect.retain(|a| !removed.contains(a));
    }
    if has_rules {
        for a in ruled {
            if !in_effect.contains(&a) {
                in_effect.push(a);
            }
        }
    }
    over
}

fn path(g: &mut Gen, id: &str, achievements: &[String], codes: &[String]) -> Value {
    let steps: Vec<Value> = (0..g.rng.range(0, 3))
        .map(|_| {
            let mut s = json!({"code": code(g, codes)});
            maybe(&mut s, g.rng.chance(25), "required", json!(g.rng.chance(30)));
            s
        })
        .collect();
    let mut p = json!({"id": id, "code": code(g, codes), "title": format!("Path {id}"), "steps": steps});
    maybe(&mut p, g.rng.chance(80), "achievements", json!(g.rng.subset(achievements, 50)));
    p
}

/// A course, graded (or, as a flaw, without graded steps or unpublished), in some groups.
fn course(g: &mut Gen, i: i64, codes: &[String]) -> (Course, Value) {
    let id = format!("c{i}");
    let mut c = json!({"id": id, "title": format!("Course {id}")});
    maybe(&mut c, g.rng.chance(50), "code", json!(code(g, codes)));
    if g.flaw(30) {
        c["published"] = json!(false);
    } else if g.rng.chance(30) {
        c["published"] = json!(true);
    }
    c["gradedSteps"] = json!(if g.flaw(30) { 0 } else { g.rng.range(1, 3) });
    let groups = g.rng.subset(&GROUPS, 60);
    maybe(&mut c, !groups.is_empty() || g.rng.chance(30), "groups", json!(groups));
    (Course { id, groups }, c)
}

/// A certification of some of `courses` (none, as a flaw), in groups every listed course has
/// (any group in a noisy request).
fn certification(g: &mut Gen, id: &str, as_of: i64, courses: &[Course]) -> Value {
    let listed: Vec<&Course> = if courses.is_empty() || g.flaw(10) {
        Vec::new()
    } else {
        let all: Vec<&Course> = courses.iter().collect();
        let mut listed = g.rng.subset(&all, 70);
        if listed.is_empty() {
            listed.push(*g.rng.pick(&all));
        }
        listed
    };
    let common: Vec<&str> =
        GROUPS.iter().copied().filter(|grp| g.noisy || listed.iter().all(|c| c.groups.contains(grp))).collect();
    let names: Vec<&String> = listed.iter().map(|c| &c.id).collect();
    let mut c = json!({
        "id": id, "name": format!("Certification {id}"),
        "effectiveFrom": date(as_of + g.rng.range(-600, 0)),
        "courses": names, "minimumGrade": percent(&mut g.rng, 50),
    });
    maybe(&mut c, g.rng.chance(30), "description", json!(""));
    maybe(&mut c, g.rng.chance(20), "invisible", json!(g.rng.chance(50)));
    if g.flaw(30) {
        c["published"] = json!(false);
    } else if g.rng.chance(30) {
        c["published"] = json!(true);
    }
    maybe(&mut c, g.rng.chance(15), "retired", json!(g.rng.chance(40)));
    maybe(&mut c, g.rng.chance(50), "dueDate", json!(date(as_of + g.rng.range(-200, 200))));
    maybe(&mut c, g.rng.chance(50), "gracePeriodDays", json!(g.rng.range(0, 14)));
    maybe(&mut c, g.rng.chance(50), "renewal", json!({"everyMonths": g.rng.pick(&[1, 3, 6, 12])}));
    let groups = g.rng.subset(&common, 60);
    maybe(&mut c, !groups.is_empty(), "groups", json!(groups));
    c
}
