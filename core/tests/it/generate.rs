//! A seeded generator of small, varied, valid evaluate requests: every delivery mode, sessions,
//! attendance, online progress, scores, invoices, manual results, sequences, learning paths,
//! certifications and issued records.

use serde_json::{json, Value};

/// SplitMix64: small, seedable, the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A date `offset` days after 2025-01-01 (offsets stay within a few years).
pub fn date(offset: u64) -> String {
    let mut days = offset;
    let mut year = 2025;
    loop {
        let len = if year % 4 == 0 { 366 } else { 365 };
        if days < len {
            break;
        }
        days -= len;
        year += 1;
    }
    let months = [31, if year % 4 == 0 { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut month = 0;
    while days >= months[month] {
        days -= months[month];
        month += 1;
    }
    format!("{year:04}-{:02}-{:02}", month + 1, days + 1)
}

const DELIVERIES: [&str; 5] = ["classroom", "virtual", "blended", "self-paced", "external"];
const UNITS: [&str; 4] = ["days", "weeks", "months", "years"];

/// One evaluate request from `seed`.
pub fn request(seed: u64) -> Value {
    let mut r = Rng::new(seed);
    let achievement_count = 1 + r.below(3);
    let achievements: Vec<Value> = (0..achievement_count)
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
        .collect();
    let sequences = json!([
        {"id": "seq-a", "name": "A", "start": 1 + r.below(50), "padding": r.below(6),
         "eventFormat": "{{course.code}}-{{award.year}}-{{sequence_number}}", "pathFormat": "{{path.code}}-{{sequence_number}}"},
        {"id": "seq-b", "name": "B", "eventFormat": "B{{sequence_number}}"}
    ]);
    let templates: Vec<Value> = DELIVERIES
        .iter()
        .enumerate()
        .map(|(t, delivery)| {
            let chosen: Vec<u64> = (0..achievement_count).filter(|_| r.chance(70)).collect();
            let rules: Vec<Value> = chosen
                .into_iter()
                .map(|a| {
                    let mut rule = json!({"achievement": format!("a{a}")});
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
                })
                .collect();
            json!({"id": format!("t{t}"), "code": format!("C{t}"), "title": format!("Course {t}"),
                   "delivery": delivery, "achievements": rules})
        })
        .collect();
    let event_count = 1 + r.below(4);
    let mut event_sessions = Vec::new();
    let events: Vec<Value> = (0..event_count)
        .map(|e| {
            let start = 200 + r.below(500);
            let session_count = r.below(4);
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
    let contacts = 1 + r.below(5);
    let learner_count = r.below(12);
    let learners: Vec<Value> = (0..learner_count)
        .map(|l| {
            let e = r.below(event_count);
            let mut learner =
                json!({"id": format!("L{l}"), "contact": format!("K{}", r.below(contacts)), "event": format!("e{e}")});
            let mut attendance = serde_json::Map::new();
            for s in 0..event_sessions[e as usize] {
                if r.chance(85) {
                    attendance.insert(
                        format!("s{s}"),
                        json!(r.pick(&["present", "present", "present", "absent", "excused"])),
                    );
                }
            }
            learner["attendance"] = Value::Object(attendance);
            if r.chance(60) {
                let mut online = json!({"progress": r.below(101)});
                if r.chance(70) {
                    online["score"] = json!(r.below(101));
                }
                if r.chance(70) {
                    online["completedOn"] = json!(date(200 + r.below(600)));
                }
                learner["online"] = online;
            }
            if r.chance(50) {
                learner["invoice"] = match r.below(3) {
                    0 => json!({"status": "paid", "paidOn": date(200 + r.below(600))}),
                    1 => json!({"status": "unpaid"}),
                    _ => json!({"status": "none"}),
                };
            }
            if r.chance(20) {
                learner["results"] = json!([{"achievement": format!("a{}", r.below(achievement_count)),
                    "outcome": r.pick(&["pass", "fail"]), "on": date(200 + r.below(600))}]);
            }
            learner
        })
        .collect();
    let codes: Vec<String> = (0..5).map(|t| format!("C{t}")).collect();
    let path = json!({"id": "p0", "code": "P0", "title": "Path",
        "steps": [{"code": r.pick(&codes)}, {"code": r.pick(&codes)}, {"code": r.pick(&codes), "required": false}],
        "achievements": [format!("a{}", r.below(achievement_count))]});
    let enrollments: Vec<Value> = (0..r.below(3))
        .map(|p| json!({"id": format!("P{p}"), "contact": format!("K{}", r.below(contacts)), "path": "p0", "enrolledOn": date(100)}))
        .collect();
    let records: Vec<Value> = (0..r.below(4))
        .map(|t| {
            json!({"recordId": format!("TR{t}"), "contact": format!("K{}", r.below(contacts)),
                        "completionDate": date(100 + r.below(600)), "qualificationCode": r.pick(&codes)})
        })
        .collect();
    let courses = json!([{"id": "k1", "title": "Course 1", "gradedSteps": 1}, {"id": "k2", "title": "Course 2", "gradedSteps": 2}]);
    let certification = json!({"id": "cert", "name": "Cert", "effectiveFrom": date(50), "gracePeriodDays": r.below(10),
        "courses": ["k1", "k2"], "minimumGrade": 60 + r.below(30)});
    let mut certification = certification;
    if r.chance(50) {
        certification["renewal"] = json!({"everyMonths": r.pick(&[1, 3, 6, 12])});
    }
    if r.chance(30) {
        certification["dueDate"] = json!(date(300 + r.below(300)));
    }
    let assignments: Vec<Value> = (0..r.below(3))
        .map(|_| json!({"contact": format!("K{}", r.below(contacts)), "certification": "cert", "assignedOn": date(40 + r.below(300))}))
        .collect();
    let results: Vec<Value> = (0..r.below(6))
        .map(|_| {
            json!({"contact": format!("K{}", r.below(contacts)), "course": r.pick(&["k1", "k2"]),
                        "grade": r.below(101), "completedOn": date(40 + r.below(700))})
        })
        .collect();
    let issued: Vec<Value> = (0..r.below(3))
        .map(|i| {
            let from = r.below(700);
            let mut record = json!({"id": format!("R{i}"), "achievement": format!("a{}", r.below(achievement_count)),
                "contact": format!("K{}", r.below(contacts)), "awardedOn": date(from), "validFrom": date(from),
                "expiresOn": date(from + 30 + r.below(400))});
            if r.chance(40) && learner_count > 0 {
                record["learner"] = json!(format!("L{}", r.below(learner_count)));
            }
            if r.chance(15) {
                record["revoked"] = json!({"on": date(from + 10)});
            }
            record
        })
        .collect();
    json!({
        "asOf": date(300 + r.below(500)),
        "rulebook": {"achievements": achievements, "sequences": sequences, "courseTemplates": templates, "events": events,
                     "learningPaths": [path], "courses": courses, "certifications": [certification]},
        "evidence": {"learners": learners, "pathEnrollments": enrollments, "trainingRecords": records,
                     "certificationAssignments": assignments, "courseResults": results, "issued": issued}
    })
}
