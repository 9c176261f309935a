//! Small, varied `evaluate` requests that are always read and answered with `ok`, for the core's
//! property tests (permutation invariance, idempotent re-evaluation, contiguous identifiers,
//! consistent validity and holdings) and, corrupted, for the error locator's test.
//!
//! One to three achievements with every validity unit, early renewal, each validity start and
//! end-of-month rounding; two sequences (`seq-b` formats `B{{sequence_number}}` and starts at 1,
//! which the contiguity property reads); a template of each delivery mode with random rules; one
//! to four events with optional sessions and event overrides; up to eleven learners of one to five
//! contacts (so contacts repeat) with attendance, online progress, scores, invoices and manual
//! results; a learning path whose steps may repeat a code; training records; a certification
//! with assignments and course results; issued records, some revoked. Dates fall between 2025
//! and early 2028, so validity periods cross month ends and the leap day of 2028.

use serde_json::{json, Map, Value};

use crate::rng::{date, Rng};

const DELIVERIES: [&str; 5] = ["classroom", "virtual", "blended", "self-paced", "external"];
const UNITS: [&str; 4] = ["days", "weeks", "months", "years"];

/// The `evaluate` request `seed` names.
pub fn evaluate_request(seed: u64) -> Value {
    let mut r = Rng::new(seed);
    let achievement_count = 1 + r.below(3);
    let achievements = achievements(&mut r, achievement_count);
    let sequences = json!([
        {"id": "seq-a", "name": "A", "start": 1 + r.below(50), "padding": r.below(6),
         "eventFormat": "{{course.code}}-{{award.year}}-{{sequence_number}}", "pathFormat": "{{path.code}}-{{sequence_number}}"},
        {"id": "seq-b", "name": "B", "eventFormat": "B{{sequence_number}}"}
    ]);
    let templates = templates(&mut r, achievement_count);
    let event_count = 1 + r.below(4);
    let (events, event_sessions) = events(&mut r, event_count);
    let contacts = 1 + r.below(5);
    let learner_count = r.below(12);
    let learners: Vec<Value> =
        (0..learner_count).map(|l| learner(&mut r, l, contacts, achievement_count, &event_sessions)).collect();
    let codes: Vec<String> = (0..DELIVERIES.len()).map(|t| format!("C{t}")).collect();
    let path = json!({"id": "p0", "code": "P0", "title": "Path",
        "steps": [{"code": r.pick(&codes)}, {"code": r.pick(&codes)}, {"code": r.pick(&codes), "required": false}],
        "achievements": [format!("a{}", r.below(achievement_count))]});
    let enrollments: Vec<Value> = (0..r.below(3))
        .map(|p| json!({"id": format!("P{p}"), "contact": format!("K{}", r.below(contacts)), "path": "p0", "enrolledOn": date(100)}))
        .collect();
    let records: Vec<Value> = (0..r.below(4))
        .map(|t| {
            json!({"recordId": format!("TR{t}"), "contact": format!("K{}", r.below(contacts)),
                   "completionDate": date(r.range(100, 699)), "qualificationCode": r.pick(&codes)})
        })
        .collect();
    let courses = json!([{"id": "k1", "title": "Course 1", "gradedSteps": 1}, {"id": "k2", "title": "Course 2", "gradedSteps": 2}]);
    let certification = certification(&mut r);
    let assignments: Vec<Value> = (0..r.below(3))
        .map(|_| json!({"contact": format!("K{}", r.below(contacts)), "certification": "cert", "assignedOn": date(r.range(40, 339))}))
        .collect();
    let results: Vec<Value> = (0..r.below(6))
        .map(|_| {
            json!({"contact": format!("K{}", r.below(contacts)), "course": r.pick(&["k1", "k2"]),
                   "grade": r.below(101), "completedOn": date(r.range(40, 739))})
        })
        .collect();
    let issued: Vec<Value> =
        (0..r.below(3)).map(|i| issued_record(&mut r, i, contacts, achievement_count, learner_count)).collect();
    json!({
        "asOf": date(r.range(300, 799)),
        "rulebook": {"achievements": achievements, "sequences": sequences, "courseTemplates": templates, "events": events,
                     "learningPaths": [path], "courses": courses, "certifications": [certification]},
        "evidence": {"learners": learners, "pathEnrollments": enrollments, "trainingRecords": records,
                     "certificationAssignments": assignments, "courseResults": results, "issued": issued}
    })
}

fn achievements(r: &mut Rng, count: u64) -> Vec<Value> {
    (0..count)
        .map(|a| {
            let mut achievement = json!({"id": format!("a{a}"), "name": format!("Achievement {a}")});
            if r.chance(80) {
                achievement["validity"] = json!({"amount": 1 + r.below(30), "unit": r.pick(&UNITS)});
            }
            if r.chance(40) {
                achievement["renewal"] = json!({"earlyWindowDays": r.below(120)});
            }
            if r.chance(30) {
                achievement["validFrom"] = json!(r.pick(&["award-date", "completion-date", "event-end"]));
            }
            if r.chance(30) {
                achievement["expiryRounding"] = json!("end-of-month");
            }
            if r.chance(60) {
                achievement["sequence"] = json!(r.pick(&["seq-a", "seq-b"]));
            }
            if r.chance(50) {
                achievement["certificate"] = json!(format!("tpl-{a}"));
            }
            achievement
        })
        .collect()
}

/// One template per delivery mode, each with rules for some of the achievements.
fn templates(r: &mut Rng, achievement_count: u64) -> Vec<Value> {
    DELIVERIES
        .iter()
        .enumerate()
        .map(|(t, delivery)| {
            let chosen: Vec<u64> = (0..achievement_count).filter(|_| r.chance(70)).collect();
            let rules: Vec<Value> = chosen.into_iter().map(|a| rule(r, a)).collect();
            json!({"id": format!("t{t}"), "code": format!("C{t}"), "title": format!("Course {t}"),
                   "delivery": delivery, "achievements": rules})
        })
        .collect()
}

fn rule(r: &mut Rng, achievement: u64) -> Value {
    let mut rule = json!({"achievement": format!("a{achievement}")});
    if r.chance(30) {
        rule["maxAbsences"] = json!(r.below(2));
    }
    if r.chance(30) {
        rule["minProgress"] = json!(50 + r.below(51));
    }
    if r.chance(40) {
        rule["minScore"] = json!(40 + r.below(61));
    }
    if r.chance(30) {
        rule["requireInvoicePaid"] = json!(true);
    }
    if r.chance(10) {
        rule["autoPass"] = json!(false);
    }
    if r.chance(20) {
        rule["sendCertificate"] = json!(false);
    }
    rule
}

/// The events, and the number of sessions of each (sessions `s0`, `s1`, … on consecutive days).
fn events(r: &mut Rng, count: u64) -> (Vec<Value>, Vec<i64>) {
    let mut event_sessions = Vec::new();
    let events = (0..count)
        .map(|e| {
            let start = r.range(200, 699);
            let session_count = r.range(0, 3);
            let sessions: Vec<Value> = (0..session_count)
                .map(|s| {
                    let mut session = json!({"id": format!("s{s}"), "date": date(start + s)});
                    if r.chance(20) {
                        session["optional"] = json!(true);
                    }
                    session
                })
                .collect();
            event_sessions.push(session_count);
            let mut event = json!({"id": format!("e{e}"), "template": format!("t{}", r.below(5)),
                                   "start": date(start), "end": date(start + session_count), "sessions": sessions});
            if r.chance(15) {
                event["achievements"] = json!({"inherit": r.chance(50), "rules": [{"achievement": "a0"}]});
            }
            event
        })
        .collect();
    (events, event_sessions)
}

fn learner(r: &mut Rng, l: u64, contacts: u64, achievement_count: u64, event_sessions: &[i64]) -> Value {
    let e = r.below(event_sessions.len() as u64);
    let mut learner =
        json!({"id": format!("L{l}"), "contact": format!("K{}", r.below(contacts)), "event": format!("e{e}")});
    let mut attendance = Map::new();
    let sessions = event_sessions.get(e as usize).copied().unwrap_or(0);
    for s in 0..sessions {
        if r.chance(85) {
            attendance.insert(format!("s{s}"), json!(r.pick(&["present", "present", "present", "absent", "excused"])));
        }
    }
    learner["attendance"] = Value::Object(attendance);
    if r.chance(60) {
        let mut online = json!({"progress": r.below(101)});
        if r.chance(70) {
            online["score"] = json!(r.below(101));
        }
        if r.chance(70) {
            online["completedOn"] = json!(date(r.range(200, 799)));
        }
        learner["online"] = online;
    }
    if r.chance(50) {
        learner["invoice"] = match r.below(3) {
            0 => json!({"status": "paid", "paidOn": date(r.range(200, 799))}),
            1 => json!({"status": "unpaid"}),
            _ => json!({"status": "none"}),
        };
    }
    if r.chance(20) {
        learner["results"] = json!([{"achievement": format!("a{}", r.below(achievement_count)),
            "outcome": r.pick(&["pass", "fail"]), "on": date(r.range(200, 799))}]);
    }
    learner
}

fn certification(r: &mut Rng) -> Value {
    let mut certification = json!({"id": "cert", "name": "Cert", "effectiveFrom": date(50), "gracePeriodDays": r.below(10),
        "courses": ["k1", "k2"], "minimumGrade": 60 + r.below(30)});
    if r.chance(50) {
        certification["renewal"] = json!({"everyMonths": r.pick(&[1, 3, 6, 12])});
    }
    if r.chance(30) {
        certification["dueDate"] = json!(date(r.range(300, 599)));
    }
    certification
}

fn issued_record(r: &mut Rng, i: u64, contacts: u64, achievement_count: u64, learner_count: u64) -> Value {
    let from = r.range(0, 699);
    let mut record = json!({"id": format!("R{i}"), "achievement": format!("a{}", r.below(achievement_count)),
        "contact": format!("K{}", r.below(contacts)), "awardedOn": date(from), "validFrom": date(from),
        "expiresOn": date(from + r.range(30, 429))});
    if r.chance(40) && learner_count > 0 {
        record["learner"] = json!(format!("L{}", r.below(learner_count)));
    }
    if r.chance(15) {
        record["revoked"] = json!({"on": date(from + 10)});
    }
    record
}

#[cfg(test)]
mod tests {
    use super::evaluate_request;

    #[test]
    fn a_seed_names_one_request() {
        assert_eq!(evaluate_request(11), evaluate_request(11));
        assert_ne!(evaluate_request(11), evaluate_request(12));
    }

    #[test]
    fn seq_b_numbers_from_one_as_the_contiguity_property_expects() {
        let request = evaluate_request(0);
        assert_eq!(request["rulebook"]["sequences"][1]["eventFormat"], "B{{sequence_number}}");
        assert!(request["rulebook"]["sequences"][1].get("start").is_none());
    }
}
