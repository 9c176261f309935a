//! A seeded generator of valid, varied requests, written from SPEC.md §2–4 and §12: rulebooks
//! with every delivery mode, sessions, event overrides, sequences with formats, learning paths,
//! courses and certifications; evidence with attendance, online progress, scores, invoices,
//! manual results, path enrolments, training records, assignments, course results, issued
//! history and sequence state. Three requests in four are clean (every reference resolves, every
//! format is well-formed); the fourth is "noisy": some dangling references, broken formats,
//! unknown sessions, ungraded courses, which the engine reports as diagnostics while it goes on.
//! About one request in thirty is deliberately unreadable (a bad date, an unknown member, a wrong
//! version, broken JSON) to exercise the error envelopes too.

use serde_json::{json, Map, Value};

/// SplitMix64: small, seeded, the same sequence everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// lo..=hi.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A random subset of `items`, in order.
    pub fn subset<T: Clone>(&mut self, items: &[T], percent: u64) -> Vec<T> {
        items.iter().filter(|_| self.chance(percent)).cloned().collect()
    }
}

/// A calendar date `days` after 2024-01-01 (proleptic Gregorian), as `YYYY-MM-DD`.
pub fn date(days: i64) -> String {
    // Howard Hinnant's civil_from_days, from 1970-01-01.
    let z = days + 19_723 + 719_468; // 2024-01-01 is day 19723 of the epoch
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// One generated request.
pub struct Generated {
    /// The core's operation name.
    pub operation: &'static str,
    /// The request text.
    pub request: String,
    /// False for the deliberately broken requests (an error answer is expected).
    pub valid: bool,
}

const DELIVERIES: [&str; 5] = ["classroom", "virtual", "blended", "self-paced", "external"];
const UNITS: [&str; 4] = ["days", "weeks", "months", "years"];
const CODES: [&str; 6] = ["CPR", "MH", "IPC", "FAW", "AED", "SAL1"];
const EVENT_FORMATS: [&str; 9] = [
    "{{course.code}}-{{award.year}}-{{sequence_number}}",
    "{{sequence_number}}",
    "X{{award.date}}{{sequence_number}}",
    "{{ event.custom.site }}-{{sequence_number}}",
    "{{template.custom.region}}/{{award.month}}/{{sequence_number}}",
    "{{learner.id}}-{{achievement.id}}-{{sequence_number}}",
    "{{course.title}}-{{sequence_number}}",
    "{{event.id}}.{{event.start}}.{{award.day}}.{{sequence_number}}",
    "{{contact.id}}{{sequence_number}}",
];
const PATH_FORMATS: [&str; 4] = [
    "{{path.code}}-{{sequence_number}}",
    "{{path.title}}{{sequence_number}}",
    "{{contact.id}}-{{award.year}}-{{sequence_number}}",
    "P{{sequence_number}}",
];
/// Formats that raise diagnostics (never a fatal error).
const BROKEN_FORMATS: [&str; 7] = [
    "ABC",
    "{{sequence_number",
    "a b{{sequence_number}}",
    "{{sequence_number}} ",
    "{{}}",
    "{{nope}}-{{sequence_number}}",
    "{{course.code}}-{{path.code}}-{{sequence_number}}",
];
const WORDS: [&str; 8] = ["Leeds", "GLA", "North East", "acme", "EU", "Zürich", "  padded ", "x"];
const GROUPS: [&str; 2] = ["team-a", "team-b"];

/// A percentage: mostly whole, sometimes fractional.
fn percent(rng: &mut Rng, lo: i64) -> Value {
    if rng.chance(15) {
        json!(rng.range(lo, 99) as f64 + 0.5)
    } else {
        json!(rng.range(lo, 100))
    }
}

/// Adds `key: value` to `obj` when `present`.
fn maybe(obj: &mut Value, present: bool, key: &str, value: Value) {
    if present {
        obj[key] = value;
    }
}

/// The generator's state: the random source and whether this request may carry flaws.
struct Gen {
    rng: Rng,
    noisy: bool,
}

impl Gen {
    /// A flaw (a dangling reference, a broken format...) with probability `percent` in a
    /// noisy request, never in a clean one.
    fn flaw(&mut self, percent: u64) -> bool {
        self.noisy && self.rng.chance(percent)
    }
}

struct Event {
    id: String,
    sessions: Vec<String>,
    /// Achievements whose rule is in effect on the event.
    in_effect: Vec<String>,
}

struct Ids {
    achievements: Vec<String>,
    sequences: Vec<String>,
    events: Vec<Event>,
    paths: Vec<String>,
    courses: Vec<String>,
    certifications: Vec<String>,
    codes: Vec<String>,
}

fn rule(rng: &mut Rng, achievement: &str) -> Value {
    let mut r = json!({"achievement": achievement});
    maybe(&mut r, rng.chance(10), "autoPass", json!(rng.chance(30)));
    maybe(&mut r, rng.chance(50), "maxAbsences", json!(rng.range(0, 2)));
    maybe(&mut r, rng.chance(40), "minProgress", percent(rng, 50));
    maybe(&mut r, rng.chance(40), "minScore", percent(rng, 40));
    maybe(&mut r, rng.chance(35), "requireInvoicePaid", json!(rng.chance(70)));
    maybe(&mut r, rng.chance(20), "sendCertificate", json!(rng.chance(50)));
    r
}

fn rulebook(g: &mut Gen, base: i64) -> (Value, Ids) {
    let n_seq = g.rng.range(0, 3) as usize;
    let sequences: Vec<String> = (0..n_seq).map(|i| format!("seq-{i}")).collect();
    let n_ach = g.rng.range(1, 4) as usize;
    let achievements: Vec<String> = (0..n_ach).map(|i| format!("a{i}")).collect();
    let codes: Vec<String> = g.rng.subset(&CODES.map(String::from), 70);
    let code = |g: &mut Gen| -> String {
        if codes.is_empty() || g.flaw(5) {
            g.rng.pick(&CODES).to_string()
        } else {
            g.rng.pick(&codes).clone()
        }
    };

    let mut achievement_list = Vec::new();
    for id in &achievements {
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
            a["sequence"] = json!(g.rng.pick(&sequences));
        } else if g.flaw(5) {
            a["sequence"] = json!("seq-missing");
        }
        achievement_list.push(a);
    }

    let mut sequence_list = Vec::new();
    for id in &sequences {
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
        sequence_list.push(s);
    }

    let n_tpl = g.rng.range(1, 4) as usize;
    let mut templates = Vec::new();
    let mut template_list = Vec::new();
    for i in 0..n_tpl {
        let id = format!("t{i}");
        let ruled = g.rng.subset(&achievements, 50);
        let rules: Vec<Value> = ruled.iter().map(|a| rule(&mut g.rng, a)).collect();
        let delivery = *g.rng.pick(&DELIVERIES);
        let mut t = json!({
            "id": id, "code": code(g), "title": format!("Course {id}"),
            "delivery": delivery, "achievements": rules,
        });
        if !g.flaw(40) {
            t["customFields"] = json!({"region": g.rng.pick(&WORDS)});
        }
        templates.push((id, delivery, ruled));
        template_list.push(t);
    }

    let n_ev = g.rng.range(1, 5) as usize;
    let mut events = Vec::new();
    let mut event_list = Vec::new();
    for i in 0..n_ev {
        let id = format!("e{i}");
        let start = base + g.rng.range(-400, 200);
        let length = g.rng.range(0, 3);
        let (template, template_delivery, inherited) = if g.flaw(8) {
            ("t-missing".to_owned(), "classroom", Vec::new())
        } else {
            let (id, delivery, ruled) = g.rng.pick(&templates);
            (id.clone(), *delivery, ruled.clone())
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
        maybe(&mut e, g.rng.chance(10), "code", json!(code(g)));
        if !g.flaw(40) {
            e["customFields"] = json!({"site": g.rng.pick(&WORDS)});
        }
        let mut in_effect = inherited.clone();
        if g.rng.chance(25) {
            let mut over = json!({});
            let inherit = g.rng.chance(60);
            maybe(&mut over, inherit || g.rng.chance(50), "inherit", json!(inherit));
            let removable = if g.flaw(30) { achievements.clone() } else { inherited.clone() };
            let removed = g.rng.subset(&removable, 40);
            maybe(&mut over, g.rng.chance(50), "remove", json!(removed));
            let ruled = g.rng.subset(&achievements, 40);
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
            e["achievements"] = over;
        }
        events.push(Event { id, sessions: session_ids, in_effect });
        event_list.push(e);
    }

    let n_paths = g.rng.range(0, 2) as usize;
    let paths: Vec<String> = (0..n_paths).map(|i| format!("p{i}")).collect();
    let mut path_list = Vec::new();
    for id in &paths {
        let steps: Vec<Value> = (0..g.rng.range(0, 3))
            .map(|_| {
                let mut s = json!({"code": code(g)});
                maybe(&mut s, g.rng.chance(25), "required", json!(g.rng.chance(30)));
                s
            })
            .collect();
        let mut p = json!({"id": id, "code": code(g), "title": format!("Path {id}"), "steps": steps});
        maybe(&mut p, g.rng.chance(80), "achievements", json!(g.rng.subset(&achievements, 50)));
        path_list.push(p);
    }

    let n_courses = g.rng.range(0, 3) as usize;
    let mut courses = Vec::new();
    let mut course_list = Vec::new();
    for i in 0..n_courses {
        let id = format!("c{i}");
        let mut c = json!({"id": id, "title": format!("Course {id}")});
        maybe(&mut c, g.rng.chance(50), "code", json!(code(g)));
        if g.flaw(30) {
            c["published"] = json!(false);
        } else if g.rng.chance(30) {
            c["published"] = json!(true);
        }
        c["gradedSteps"] = json!(if g.flaw(30) { 0 } else { g.rng.range(1, 3) });
        let groups = g.rng.subset(&GROUPS, 60);
        maybe(&mut c, !groups.is_empty() || g.rng.chance(30), "groups", json!(groups));
        courses.push((id, groups));
        course_list.push(c);
    }

    // A certification needs a graded course; only a noisy request lists one without.
    let n_certs = if courses.is_empty() && !g.noisy { 0 } else { g.rng.range(0, 2) as usize };
    let certifications: Vec<String> = (0..n_certs).map(|i| format!("cert{i}")).collect();
    let mut cert_list = Vec::new();
    for id in &certifications {
        let listed: Vec<(String, Vec<&str>)> = if courses.is_empty() || g.flaw(10) {
            Vec::new()
        } else {
            let mut listed = g.rng.subset(&courses, 70);
            if listed.is_empty() {
                listed.push(g.rng.pick(&courses).clone());
            }
            listed
        };
        // Groups on every listed course (any group in a noisy request).
        let common: Vec<&str> =
            GROUPS.iter().copied().filter(|grp| g.noisy || listed.iter().all(|(_, gs)| gs.contains(grp))).collect();
        let names: Vec<&String> = listed.iter().map(|(id, _)| id).collect();
        let mut c = json!({
            "id": id, "name": format!("Certification {id}"),
            "effectiveFrom": date(base + g.rng.range(-600, 0)),
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
        maybe(&mut c, g.rng.chance(50), "dueDate", json!(date(base + g.rng.range(-200, 200))));
        maybe(&mut c, g.rng.chance(50), "gracePeriodDays", json!(g.rng.range(0, 14)));
        maybe(&mut c, g.rng.chance(50), "renewal", json!({"everyMonths": g.rng.pick(&[1, 3, 6, 12])}));
        let groups = g.rng.subset(&common, 60);
        maybe(&mut c, !groups.is_empty(), "groups", json!(groups));
        cert_list.push(c);
    }

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
    let courses = courses.into_iter().map(|(id, _)| id).collect();
    let ids = Ids { achievements, sequences, events, paths, courses, certifications, codes };
    (rb, ids)
}

fn evidence(g: &mut Gen, ids: &Ids, base: i64) -> Value {
    let contacts: Vec<String> = (0..g.rng.range(1, 6)).map(|i| format!("k{i}")).collect();
    let mut learners = Vec::new();
    let mut learner_ids = Vec::new();
    for i in 0..g.rng.range(0, 12) {
        let id = format!("l{i}");
        let missing = Event { id: "e-missing".to_owned(), sessions: Vec::new(), in_effect: Vec::new() };
        let event = if g.flaw(5) { &missing } else { g.rng.pick(&ids.events) };
        let mut l = json!({"id": id, "contact": g.rng.pick(&contacts), "event": event.id});
        maybe(&mut l, g.rng.chance(30), "account", json!(g.rng.pick(&["acme", "self"])));
        if g.rng.chance(40) {
            l["invoice"] = match g.rng.below(3) {
                0 => json!({"status": "paid", "paidOn": date(base + g.rng.range(-300, 30))}),
                1 => json!({"status": "unpaid"}),
                _ => json!({"status": "none"}),
            };
        }
        if !event.sessions.is_empty() && g.rng.chance(80) {
            let mut attendance = Map::new();
            for s in &event.sessions {
                if g.rng.chance(85) {
                    let status = *g.rng.pick(&["present", "present", "present", "absent", "excused"]);
                    attendance.insert(s.clone(), json!(status));
                }
            }
            if g.flaw(20) {
                attendance.insert("s-unknown".to_owned(), json!("present"));
            }
            l["attendance"] = Value::Object(attendance);
        }
        if g.rng.chance(50) {
            let mut online = json!({});
            maybe(&mut online, g.rng.chance(90), "progress", percent(&mut g.rng, 0));
            maybe(&mut online, g.rng.chance(60), "score", percent(&mut g.rng, 30));
            maybe(&mut online, g.rng.chance(70), "completedOn", json!(date(base + g.rng.range(-300, 30))));
            l["online"] = online;
        }
        let candidates = if g.flaw(30) { &ids.achievements } else { &event.in_effect };
        if !candidates.is_empty() && g.rng.chance(20) {
            let results: Vec<Value> = (0..g.rng.range(1, 2))
                .map(|_| {
                    let mut r = json!({
                        "achievement": g.rng.pick(candidates),
                        "outcome": g.rng.pick(&["pass", "pass", "fail"]),
                        "on": date(base + g.rng.range(-300, 30)),
                    });
                    maybe(&mut r, g.rng.chance(50), "by", json!("admin-7"));
                    maybe(&mut r, g.rng.chance(50), "reason", json!("re-assessed"));
                    r
                })
                .collect();
            l["results"] = json!(results);
        }
        learner_ids.push(id);
        learners.push(l);
    }

    let enrollments: Vec<Value> = if ids.paths.is_empty() {
        Vec::new()
    } else {
        (0..g.rng.range(0, 3))
            .map(|i| {
                let path = if g.flaw(10) { "p-missing".to_owned() } else { g.rng.pick(&ids.paths).clone() };
                let mut e = json!({"id": format!("pe{i}"), "contact": g.rng.pick(&contacts), "path": path});
                maybe(&mut e, g.rng.chance(80), "enrolledOn", json!(date(base + g.rng.range(-300, 10))));
                e
            })
            .collect()
    };

    let records: Vec<Value> = (0..g.rng.range(0, 4))
        .map(|i| {
            let mut r = json!({"recordId": format!("TR-{i}"), "contact": g.rng.pick(&contacts),
                               "completionDate": date(base + g.rng.range(-500, 30))});
            let code =
                if ids.codes.is_empty() { g.rng.pick(&CODES).to_string() } else { g.rng.pick(&ids.codes).clone() };
            maybe(&mut r, g.rng.chance(85), "qualificationCode", json!(code));
            maybe(&mut r, g.rng.chance(30), "recordType", json!("course"));
            maybe(&mut r, g.rng.chance(30), "title", json!("External course"));
            maybe(&mut r, g.rng.chance(30), "provider", json!("Acme"));
            maybe(&mut r, g.rng.chance(20), "objectId", json!("c-77"));
            maybe(&mut r, g.rng.chance(20), "otherInformation", json!(""));
            r
        })
        .collect();

    let assignments: Vec<Value> = if ids.certifications.is_empty() {
        Vec::new()
    } else {
        (0..g.rng.range(0, 4))
            .map(|_| {
                let mut a = json!({"contact": g.rng.pick(&contacts), "certification": g.rng.pick(&ids.certifications),
                                   "assignedOn": date(base + g.rng.range(-500, 30))});
                maybe(&mut a, g.rng.chance(50), "via", json!(g.rng.pick(&["group", "individual"])));
                maybe(&mut a, g.rng.chance(30), "gracePeriodDays", json!(g.rng.range(0, 10)));
                a
            })
            .collect()
    };

    let results: Vec<Value> = if ids.courses.is_empty() {
        Vec::new()
    } else {
        (0..g.rng.range(0, 8))
            .map(|_| {
                json!({"contact": g.rng.pick(&contacts), "course": g.rng.pick(&ids.courses),
                       "grade": percent(&mut g.rng, 40), "completedOn": date(base + g.rng.range(-600, 30))})
            })
            .collect()
    };

    let issued: Vec<Value> = (0..g.rng.range(0, 4))
        .map(|i| {
            let awarded = base + g.rng.range(-2000, 0);
            let mut r = json!({"id": format!("i{i}"), "achievement": g.rng.pick(&ids.achievements),
                               "contact": g.rng.pick(&contacts), "awardedOn": date(awarded), "validFrom": date(awarded)});
            if !learner_ids.is_empty() && g.rng.chance(60) {
                r["learner"] = json!(g.rng.pick(&learner_ids));
            }
            maybe(&mut r, g.rng.chance(60), "event", json!(g.rng.pick(&ids.events).id));
            maybe(&mut r, g.rng.chance(70), "expiresOn", json!(date(awarded + g.rng.range(30, 2000))));
            maybe(&mut r, g.rng.chance(60), "identifier", json!(format!("OLD-{i}")));
            if g.rng.chance(15) {
                r["revoked"] = json!({"on": date(awarded + 10), "by": "admin", "reason": "error"});
            } else if g.rng.chance(30) {
                r["revoked"] = Value::Null;
            }
            r
        })
        .collect();

    let mut ev = json!({"learners": learners});
    maybe(&mut ev, !enrollments.is_empty(), "pathEnrollments", json!(enrollments));
    maybe(&mut ev, !records.is_empty(), "trainingRecords", json!(records));
    maybe(&mut ev, !assignments.is_empty(), "certificationAssignments", json!(assignments));
    maybe(&mut ev, !results.is_empty(), "courseResults", json!(results));
    maybe(&mut ev, !issued.is_empty(), "issued", json!(issued));
    if !ids.sequences.is_empty() && g.rng.chance(50) {
        let state: Map<String, Value> =
            g.rng.subset(&ids.sequences, 60).into_iter().map(|s| (s, json!(g.rng.range(1, 100)))).collect();
        ev["sequenceState"] = Value::Object(state);
    }
    ev
}

/// The request for `seed`.
pub fn generate(seed: u64) -> Generated {
    let mut rng = Rng::new(seed);
    let noisy = rng.chance(25);
    let mut g = Gen { rng, noisy };
    let base = g.rng.range(300, 1100); // asOf between late 2024 and early 2027
    let (rb, ids) = rulebook(&mut g, base);
    let (operation, mut request) = match g.rng.below(100) {
        0..=69 => {
            let mut r = json!({"asOf": date(base), "rulebook": rb, "evidence": evidence(&mut g, &ids, base)});
            if g.rng.chance(40) {
                let mut options = json!({});
                maybe(&mut options, g.rng.chance(70), "trace", json!(g.rng.chance(60)));
                maybe(&mut options, g.rng.chance(50), "expiringWithinDays", json!(g.rng.range(0, 90)));
                r["options"] = options;
            }
            ("evaluate", r)
        }
        70..=79 => ("validate", json!({"rulebook": rb})),
        80..=89 => {
            let all =
                ["course.code", "course.title", "event.id", "event.start", "award.year", "learner.id", "path.code"];
            let fields: Map<String, Value> =
                g.rng.subset(&all, 60).into_iter().map(|f| (f.to_owned(), json!(g.rng.pick(&WORDS)))).collect();
            let format = match g.rng.below(10) {
                0..=5 => g.rng.pick(&EVENT_FORMATS),
                6..=8 => g.rng.pick(&PATH_FORMATS),
                _ => g.rng.pick(&BROKEN_FORMATS),
            };
            let r = json!({"format": format, "padding": g.rng.range(0, 10), "number": g.rng.range(1, 1 << 40),
                           "fields": Value::Object(fields)});
            ("formatIdentifier", r)
        }
        90..=94 => {
            let mut r = json!({"rulebook": rb});
            if g.rng.chance(60) {
                r["evidence"] = evidence(&mut g, &ids, base);
            }
            ("codeUsage", r)
        }
        _ => {
            let from = if ids.codes.is_empty() { "CPR".to_owned() } else { g.rng.pick(&ids.codes).clone() };
            let to = if g.rng.chance(70) { "NEW1".to_owned() } else { g.rng.pick(&CODES).to_string() };
            ("renameCode", json!({"rulebook": rb, "from": from, "to": to}))
        }
    };
    if g.rng.chance(20) {
        request["version"] = json!(1);
    }
    let rng = &mut g.rng;
    let mut valid = true;
    let mut truncate = false;
    if rng.chance(3) {
        valid = false;
        match rng.below(4) {
            0 => request["version"] = json!(2),
            1 => request["unexpectedMember"] = json!(true),
            2 => truncate = true,
            _ if operation == "evaluate" => request["asOf"] = json!("2026-02-30"),
            _ => request["rulebook"] = json!("not a rulebook"),
        }
    }
    let mut text = request.to_string();
    if truncate {
        let mut cut = text.len() / 2;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    Generated { operation, request: text, valid }
}
