//! Realistic training organisations, as `evaluate` requests: course templates of every delivery
//! mode, events of thirty learners with sessions, mixed attendance, online progress and scores,
//! invoices, manual results, learning paths with training records, certifications with
//! assignments and course results, and issued history (some of it due for early renewal, some
//! revoked).
//!
//! The same `(contacts, seed)` gives the same bytes on every machine and in every version: the
//! benchmarks' published figures were measured on them (BENCHMARKS.md), so a change here must
//! leave `cargo xtask gen-org --size small|medium|large` byte for byte as it was.
use serde_json::{json, Map, Value};

use crate::rng::{date, Rng};

/// Learners per event, as in a typical classroom course.
pub const EVENT_SIZE: usize = 30;

/// The `asOf` of every generated organisation: 2026-06-30.
pub const AS_OF_DAY: i64 = 545;

/// The named sizes of the benchmarks.
pub const SIZES: [(&str, usize); 3] = [("small", 30), ("medium", 10_000), ("large", 200_000)];

/// One course template: its code, delivery mode and the achievements its rules award.
struct Template {
    id: &'static str,
    code: &'static str,
    title: &'static str,
    delivery: &'static str,
    rules: &'static [&'static str],
}

const TEMPLATES: [Template; 10] = [
    Template { id: "ct-cpr", code: "CPR", title: "CPR & BLS", delivery: "classroom", rules: &["bls"] },
    Template { id: "ct-fa", code: "FA", title: "First Aid at Work", delivery: "blended", rules: &["first-aid"] },
    Template { id: "ct-fire", code: "FIRE", title: "Fire Warden", delivery: "virtual", rules: &["fire-warden"] },
    Template {
        id: "ct-mh",
        code: "MH",
        title: "Mental Health Awareness",
        delivery: "self-paced",
        rules: &["mental-health"],
    },
    Template { id: "ct-food", code: "FOOD", title: "Food Hygiene L2", delivery: "external", rules: &["food-hygiene"] },
    Template {
        id: "ct-hs",
        code: "HS",
        title: "Health & Safety",
        delivery: "classroom",
        rules: &["health-safety", "manual-handling"],
    },
    Template { id: "ct-drv", code: "DRV", title: "Driver Safety", delivery: "self-paced", rules: &["driver-safety"] },
    Template {
        id: "ct-lead",
        code: "LEAD",
        title: "Leading Teams",
        delivery: "blended",
        rules: &["leadership", "cpd-hours"],
    },
    Template {
        id: "ct-cpr-v",
        code: "CPR",
        title: "CPR Refresher (live online)",
        delivery: "virtual",
        rules: &["bls"],
    },
    Template {
        id: "ct-mhand",
        code: "MAN",
        title: "Manual Handling",
        delivery: "classroom",
        rules: &["manual-handling"],
    },
];

const CODES: [(&str, &str); 14] = [
    ("CPR", "CPR & basic life support"),
    ("FA", "First aid"),
    ("FIRE", "Fire safety"),
    ("MH", "Mental health"),
    ("FOOD", "Food hygiene"),
    ("HS", "Health and safety"),
    ("DRV", "Driving"),
    ("LEAD", "Leadership"),
    ("MAN", "Manual handling"),
    ("FAW", "Workplace first aider (path)"),
    ("SSL", "Site safety lead (path)"),
    ("WB", "Wellbeing champion (path)"),
    ("GDPR", "Data protection (online course)"),
    ("AML", "Anti-money laundering (online course)"),
];

const SITES: [&str; 6] = ["Leeds", "Glasgow", "Cardiff", "Belfast", "Zürich", "Online"];

/// The `evaluate` request of an organisation of `contacts` contacts, one learner each.
pub fn organisation(contacts: usize, seed: u64) -> Value {
    let mut rng = Rng::new(seed);
    let events = contacts.div_ceil(EVENT_SIZE).max(1);
    let (rulebook, event_shapes) = rulebook(&mut rng, events);
    let evidence = evidence(&mut rng, contacts, &event_shapes);
    json!({"version": 1, "asOf": date(AS_OF_DAY), "rulebook": rulebook, "evidence": evidence})
}

fn rule(achievement: &str, delivery: &str) -> Value {
    let mut rule = json!({"achievement": achievement});
    match (delivery, achievement) {
        ("classroom", "bls" | "health-safety") => {
            rule["maxAbsences"] = json!(0);
            rule["requireInvoicePaid"] = json!(true);
        }
        ("classroom" | "virtual", _) => rule["maxAbsences"] = json!(0),
        ("blended", "cpd-hours") => rule["maxAbsences"] = json!(2),
        ("blended", _) => {
            rule["maxAbsences"] = json!(1);
            rule["minProgress"] = json!(80);
            rule["minScore"] = json!(60);
        }
        ("self-paced", _) => {
            rule["minProgress"] = json!(100);
            rule["minScore"] = json!(70);
            rule["sendCertificate"] = json!(true);
        }
        _ => {}
    }
    rule
}

fn achievement(id: &str, name: &str, validity: Option<(u64, &str)>, sequence: Option<&str>) -> Value {
    let mut a = json!({"id": id, "name": name});
    if let Some((amount, unit)) = validity {
        a["validity"] = json!({"amount": amount, "unit": unit});
    }
    if let Some(sequence) = sequence {
        a["sequence"] = json!(sequence);
        a["certificate"] = json!(format!("tpl-{id}"));
    }
    a
}

/// What the evidence generator needs to know of an event.
struct EventShape {
    template: usize,
    sessions: i64,
}

/// The rulebook, and the shape of each event.
fn rulebook(rng: &mut Rng, events: usize) -> (Value, Vec<EventShape>) {
    let mut achievements = vec![
        achievement("bls", "CPR & Basic Life Support", Some((2, "years")), Some("seq-cert")),
        achievement("first-aid", "First Aid at Work", Some((3, "years")), Some("seq-cert")),
        achievement("fire-warden", "Fire Warden", Some((12, "months")), Some("seq-cert")),
        achievement("mental-health", "Mental Health Awareness", None, Some("seq-el")),
        achievement("food-hygiene", "Food Hygiene Level 2", Some((3, "years")), None),
        achievement("health-safety", "Health & Safety", Some((5, "years")), Some("seq-cert")),
        achievement("manual-handling", "Safe Manual Handling", Some((3, "years")), Some("seq-cert")),
        achievement("driver-safety", "Driver Safety", Some((52, "weeks")), Some("seq-el")),
        achievement("leadership", "Leading Teams", None, Some("seq-cpd")),
        achievement("cpd-hours", "CPD: 6 hours", Some((365, "days")), None),
        achievement("first-aider", "Workplace First Aider", Some((3, "years")), Some("seq-path")),
        achievement("safety-lead", "Site Safety Lead", Some((2, "years")), Some("seq-path")),
    ];
    // Early renewal, rounding and the other validity starts on some of them.
    for (id, key, value) in [
        ("bls", "renewal", json!({"earlyWindowDays": 90})),
        ("first-aid", "renewal", json!({"earlyWindowDays": 60})),
        ("fire-warden", "expiryRounding", json!("end-of-month")),
        ("health-safety", "validFrom", json!("event-end")),
        ("driver-safety", "validFrom", json!("completion-date")),
        ("manual-handling", "expiryRounding", json!("end-of-month")),
        ("first-aider", "validFrom", json!("completion-date")),
    ] {
        if let Some(a) = achievements.iter_mut().find(|a| a["id"] == id) {
            a[key] = value;
        }
    }
    let sequences = json!([
        {"id": "seq-cert", "name": "Classroom certificates", "start": 1, "padding": 5,
         "eventFormat": "{{course.code}}-{{award.year}}-{{sequence_number}}"},
        {"id": "seq-el", "name": "E-learning certificates", "start": 1000, "padding": 6,
         "eventFormat": "EL{{award.date}}-{{sequence_number}}"},
        {"id": "seq-cpd", "name": "CPD statements", "padding": 4,
         "eventFormat": "{{template.custom.region}}/{{event.id}}/{{sequence_number}}"},
        {"id": "seq-path", "name": "Path certificates", "padding": 5,
         "pathFormat": "{{path.code}}-{{award.year}}-{{sequence_number}}"},
    ]);
    let templates: Vec<Value> = TEMPLATES
        .iter()
        .map(|t| {
            json!({
                "id": t.id, "code": t.code, "title": t.title, "delivery": t.delivery,
                "achievements": t.rules.iter().map(|a| rule(a, t.delivery)).collect::<Vec<_>>(),
                "customFields": {"region": if t.delivery == "external" { "partner" } else { "uk" }},
            })
        })
        .collect();

    let mut event_shapes = Vec::with_capacity(events);
    let mut event_list = Vec::with_capacity(events);
    for e in 0..events {
        // The first event is the classroom CPR course of the preview case.
        let t = if e == 0 { 0 } else { rng.below(TEMPLATES.len() as u64) as usize };
        let template = &TEMPLATES[t];
        let start = AS_OF_DAY - rng.range(-20, 400);
        let days = match template.delivery {
            "classroom" | "virtual" => rng.range(0, 2),
            "blended" => rng.range(7, 28),
            _ => rng.range(28, 90),
        };
        let id = format!("ev-{e:06}");
        let mut event = json!({"id": id, "template": template.id, "start": date(start), "end": date(start + days),
                               "customFields": {"site": rng.pick(&SITES)}});
        let mut count = 0;
        if matches!(template.delivery, "classroom" | "virtual" | "blended") {
            count = if e == 0 { 3 } else { rng.range(1, 4) };
            let sessions: Vec<Value> = (0..count)
                .map(|s| {
                    let mut session =
                        json!({"id": format!("s{}", s + 1), "date": date(start + days * s / count.max(1))});
                    if s > 0 && rng.chance(10) {
                        session["optional"] = json!(true);
                    }
                    session
                })
                .collect();
            event["sessions"] = json!(sessions);
        }
        if e > 0 && rng.chance(5) {
            // A local variation: an extra CPD award on top of the template's rules.
            event["achievements"] = json!({"inherit": true, "rules": [{"achievement": "cpd-hours"}]});
        }
        if rng.chance(3) {
            // Delivered under another qualification code than its template's.
            event["code"] = json!(rng.pick(&CODES[..9]).0);
        }
        event_shapes.push(EventShape { template: t, sessions: count });
        event_list.push(event);
    }

    let paths = json!([
        {"id": "lp-first-aider", "code": "FAW", "title": "Workplace First Aider",
         "steps": [{"code": "CPR"}, {"code": "FA"}, {"code": "MAN", "required": false}],
         "achievements": ["first-aider"]},
        {"id": "lp-safety-lead", "code": "SSL", "title": "Site Safety Lead",
         "steps": [{"code": "HS"}, {"code": "FIRE"}, {"code": "LEAD"}],
         "achievements": ["safety-lead", "cpd-hours"]},
        {"id": "lp-wellbeing", "code": "WB", "title": "Wellbeing Champion",
         "steps": [{"code": "MH"}, {"code": "FOOD", "required": false}]},
    ]);
    let codes: Vec<Value> =
        CODES.iter().map(|(code, description)| json!({"code": code, "description": description})).collect();
    let courses = json!([
        {"id": "co-gdpr", "title": "Data Protection", "code": "GDPR", "published": true, "gradedSteps": 2, "groups": ["all-staff"]},
        {"id": "co-abc", "title": "Anti-Bribery", "published": true, "gradedSteps": 1, "groups": ["all-staff", "managers"]},
        {"id": "co-infosec", "title": "Information Security", "published": true, "gradedSteps": 3, "groups": ["all-staff"]},
        {"id": "co-aml", "title": "Anti-Money Laundering", "code": "AML", "published": true, "gradedSteps": 2, "groups": ["finance"]},
    ]);
    let certifications = json!([
        {"id": "cert-annual", "name": "Annual Compliance", "effectiveFrom": date(0), "courses": ["co-gdpr", "co-infosec"],
         "minimumGrade": 80, "dueDate": date(AS_OF_DAY + 30), "gracePeriodDays": 14, "renewal": {"everyMonths": 12},
         "groups": ["all-staff"]},
        {"id": "cert-managers", "name": "Managers' Code of Conduct", "effectiveFrom": date(100), "courses": ["co-abc"],
         "minimumGrade": 70, "gracePeriodDays": 7, "renewal": {"everyMonths": 6}},
        {"id": "cert-finance", "name": "Financial Crime", "effectiveFrom": date(200), "courses": ["co-aml"],
         "minimumGrade": 75.5},
    ]);
    let rulebook = json!({
        "achievements": achievements, "sequences": sequences, "courseTemplates": templates, "events": event_list,
        "learningPaths": paths, "qualificationCodes": codes, "courses": courses, "certifications": certifications,
    });
    (rulebook, event_shapes)
}

fn percent(rng: &mut Rng, lo: i64) -> Value {
    if rng.chance(10) {
        json!(rng.range(lo, 99) as f64 + 0.5)
    } else {
        json!(rng.range(lo, 100))
    }
}

fn evidence(rng: &mut Rng, contacts: usize, events: &[EventShape]) -> Value {
    let mut learners = Vec::with_capacity(contacts);
    let mut enrollments = Vec::new();
    let mut records = Vec::new();
    let mut assignments = Vec::new();
    let mut results = Vec::new();
    let mut issued = Vec::new();
    for i in 0..contacts {
        let contact = format!("k{i:06}");
        let learner_id = format!("L{i:06}");
        let e = i / EVENT_SIZE;
        let Some(shape) = events.get(e) else { continue };
        let Some(template) = TEMPLATES.get(shape.template) else { continue };
        let mut learner = json!({"id": learner_id, "contact": contact, "event": format!("ev-{e:06}")});
        if rng.chance(20) {
            learner["account"] = json!(format!("acct-{}", rng.below(50)));
        }
        if matches!(template.delivery, "classroom" | "virtual" | "blended") {
            let mut attendance = Map::new();
            for s in 1..=shape.sessions {
                let status = match rng.below(100) {
                    0..=84 => "present",
                    85..=91 => "absent",
                    92..=96 => "excused",
                    _ => continue, // not marked yet
                };
                attendance.insert(format!("s{s}"), json!(status));
            }
            learner["attendance"] = Value::Object(attendance);
            if template.delivery == "classroom" || rng.chance(30) {
                learner["invoice"] = match rng.below(10) {
                    0..=6 => json!({"status": "paid", "paidOn": date(AS_OF_DAY - rng.range(1, 400))}),
                    7..=8 => json!({"status": "unpaid"}),
                    _ => json!({"status": "none"}),
                };
            }
        }
        if matches!(template.delivery, "blended" | "self-paced") && rng.chance(90) {
            let progress = if rng.chance(75) { json!(100) } else { percent(rng, 40) };
            let mut online = json!({"progress": progress});
            if rng.chance(85) {
                online["score"] = percent(rng, 50);
            }
            if progress == 100 && rng.chance(90) {
                online["completedOn"] = json!(date(AS_OF_DAY - rng.range(0, 300)));
            }
            learner["online"] = online;
        }
        if template.delivery == "external" || rng.chance(2) {
            if let Some(achievement) = template.rules.first() {
                let outcome = if rng.chance(85) { "pass" } else { "fail" };
                let mut result = json!({"achievement": achievement, "outcome": outcome,
                                        "on": date(AS_OF_DAY - rng.range(0, 200)), "by": "admin-7"});
                if outcome == "fail" {
                    result["reason"] = json!("did not complete the practical assessment");
                }
                learner["results"] = json!([result]);
            }
        }
        learners.push(learner);

        if rng.chance(10) {
            // An earlier award of this course's achievement: some expiring soon, some revoked.
            let achievement = template.rules.first().copied().unwrap_or("bls");
            let awarded = AS_OF_DAY - rng.range(300, 1500);
            let mut record = json!({"id": format!("rec-{i:06}"), "achievement": achievement, "contact": contact,
                                    "awardedOn": date(awarded), "validFrom": date(awarded),
                                    "expiresOn": date(awarded + rng.range(365, 1100)),
                                    "identifier": format!("OLD-{i:06}")});
            if rng.chance(20) {
                // Already issued for this very registration.
                record["learner"] = json!(learner_id);
                record["event"] = json!(format!("ev-{e:06}"));
            }
            if rng.chance(5) {
                record["revoked"] = json!({"on": date(awarded + 30), "by": "admin-2", "reason": "issued in error"});
            }
            issued.push(record);
        }
        if rng.chance(5) {
            let path = *rng.pick(&["lp-first-aider", "lp-safety-lead", "lp-wellbeing"]);
            enrollments.push(json!({"id": format!("pe-{i:06}"), "contact": contact, "path": path,
                                    "enrolledOn": date(AS_OF_DAY - rng.range(30, 500))}));
        }
        if rng.chance(10) {
            let (code, _) = rng.pick(&CODES);
            records.push(json!({"recordId": format!("tr-{i:06}"), "contact": contact, "recordType": "course",
                                "title": format!("External {code} course"), "provider": "Partner Training Ltd",
                                "completionDate": date(AS_OF_DAY - rng.range(0, 700)), "qualificationCode": code}));
        }
        if rng.chance(8) {
            let certification = *rng.pick(&["cert-annual", "cert-annual", "cert-managers", "cert-finance"]);
            let mut assignment = json!({"contact": contact, "certification": certification,
                                        "assignedOn": date(AS_OF_DAY - rng.range(0, 400)), "via": "group"});
            if rng.chance(10) {
                assignment["gracePeriodDays"] = json!(30);
                assignment["via"] = json!("individual");
            }
            assignments.push(assignment);
            for _ in 0..rng.range(0, 3) {
                let course = *rng.pick(&["co-gdpr", "co-abc", "co-infosec", "co-aml"]);
                results.push(json!({"contact": contact, "course": course, "grade": percent(rng, 50),
                                    "completedOn": date(AS_OF_DAY - rng.range(0, 500))}));
            }
        }
    }
    json!({
        "learners": learners, "pathEnrollments": enrollments, "trainingRecords": records,
        "certificationAssignments": assignments, "courseResults": results, "issued": issued,
        "sequenceState": {"seq-cert": 4200, "seq-el": 1000 + rng.below(500)},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_organisation() {
        assert_eq!(organisation(300, 7), organisation(300, 7));
        assert_ne!(organisation(300, 7), organisation(300, 8));
    }

    #[test]
    fn the_small_organisation_is_one_classroom_event_of_thirty() {
        let org = organisation(30, 1);
        assert_eq!(org["rulebook"]["events"].as_array().map(Vec::len), Some(1));
        assert_eq!(org["rulebook"]["events"][0]["template"], "ct-cpr");
        assert_eq!(org["evidence"]["learners"].as_array().map(Vec::len), Some(30));
    }
}
