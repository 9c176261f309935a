//! The evidence of a mixed request: learners of one to five contacts (so contacts repeat) with
//! attendance, invoices, online progress and scores and manual results; path enrolments,
//! training records, certification assignments, course results, issued history (some revoked,
//! some with `revoked: null`) and sequence state. A noisy request also has learners of unknown
//! events, attendance of unknown sessions, results for achievements not in effect and
//! enrolments in unknown paths.

use serde_json::{json, Map, Value};

use super::rulebook::{Event, Ids};
use super::vocabulary::CODES;
use super::{maybe, percent, Gen};
use crate::rng::date;

/// The evidence for the rulebook whose identifiers are `ids`, in a request whose `asOf` is
/// `as_of`.
pub fn evidence(g: &mut Gen, ids: &Ids, as_of: i64) -> Value {
    let contacts: Vec<String> = (0..g.rng.range(1, 6)).map(|i| format!("k{i}")).collect();
    let learners: Vec<Value> = (0..g.rng.range(0, 12)).map(|i| learner(g, i, ids, &contacts, as_of)).collect();
    let learner_ids: Vec<String> = (0..learners.len()).map(|i| format!("l{i}")).collect();

    let enrollments: Vec<Value> = if ids.paths.is_empty() {
        Vec::new()
    } else {
        (0..g.rng.range(0, 3))
            .map(|i| {
                let path = if g.flaw(10) { "p-missing".to_owned() } else { g.rng.pick(&ids.paths).clone() };
                let mut e = json!({"id": format!("pe{i}"), "contact": g.rng.pick(&contacts), "path": path});
                maybe(&mut e, g.rng.chance(80), "enrolledOn", json!(date(as_of + g.rng.range(-300, 10))));
                e
            })
            .collect()
    };
    let records: Vec<Value> = (0..g.rng.range(0, 4)).map(|i| training_record(g, i, ids, &contacts, as_of)).collect();
    let assignments: Vec<Value> = if ids.certifications.is_empty() {
        Vec::new()
    } else {
        (0..g.rng.range(0, 4))
            .map(|_| {
                let mut a = json!({"contact": g.rng.pick(&contacts), "certification": g.rng.pick(&ids.certifications),
                                   "assignedOn": date(as_of + g.rng.range(-500, 30))});
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
                       "grade": percent(&mut g.rng, 40), "completedOn": date(as_of + g.rng.range(-600, 30))})
            })
            .collect()
    };
    let issued: Vec<Value> =
        (0..g.rng.range(0, 4)).map(|i| issued_record(g, i, ids, &contacts, &learner_ids, as_of)).collect();

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

/// Learner `l{i}`: a registration of one of `contacts` on one of the events (or, as a flaw, on
/// an event that does not exist).
fn learner(g: &mut Gen, i: i64, ids: &Ids, contacts: &[String], as_of: i64) -> Value {
    let missing = Event { id: "e-missing".to_owned(), sessions: Vec::new(), in_effect: Vec::new() };
    let event = if g.flaw(5) { &missing } else { g.rng.pick(&ids.events) };
    let mut l = json!({"id": format!("l{i}"), "contact": g.rng.pick(contacts), "event": event.id});
    maybe(&mut l, g.rng.chance(30), "account", json!(g.rng.pick(&["acme", "self"])));
    if g.rng.chance(40) {
        l["invoice"] = match g.rng.below(3) {
            0 => json!({"status": "paid", "paidOn": date(as_of + g.rng.range(-300, 30))}),
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
        maybe(&mut online, g.rng.chance(70), "completedOn", json!(date(as_of + g.rng.range(-300, 30))));
        l["online"] = online;
    }
    let candidates = if g.flaw(30) { &ids.achievements } else { &event.in_effect };
    if !candidates.is_empty() && g.rng.chance(20) {
        let results: Vec<Value> = (0..g.rng.range(1, 2))
            .map(|_| {
                let mut r = json!({
                    "achievement": g.rng.pick(candidates),
                    "outcome": g.rng.pick(&["pass", "pass", "fail"]),
                    "on": date(as_of + g.rng.range(-300, 30)),
                });
                maybe(&mut r, g.rng.chance(50), "by", json!("admin-7"));
                maybe(&mut r, g.rng.chance(50), "reason", json!("re-assessed"));
                r
            })
            .collect();
        l["results"] = json!(results);
    }
    l
}

fn training_record(g: &mut Gen, i: i64, ids: &Ids, contacts: &[String], as_of: i64) -> Value {
    let mut r = json!({"recordId": format!("TR-{i}"), "contact": g.rng.pick(contacts),
                       "completionDate": date(as_of + g.rng.range(-500, 30))});
    let code = if ids.codes.is_empty() { g.rng.pick(&CODES).to_string() } else { g.rng.pick(&ids.codes).clone() };
    maybe(&mut r, g.rng.chance(85), "qualificationCode", json!(code));
    maybe(&mut r, g.rng.chance(30), "recordType", json!("course"));
    maybe(&mut r, g.rng.chance(30), "title", json!("External course"));
    maybe(&mut r, g.rng.chance(30), "provider", json!("Acme"));
    maybe(&mut r, g.rng.chance(20), "objectId", json!("c-77"));
    maybe(&mut r, g.rng.chance(20), "otherInformation", json!(""));
    r
}

/// An earlier award, up to 2000 days before `as_of`, perhaps of a learner or an event, perhaps
/// revoked.
fn issued_record(g: &mut Gen, i: i64, ids: &Ids, contacts: &[String], learner_ids: &[String], as_of: i64) -> Value {
    let awarded = as_of + g.rng.range(-2000, 0);
    let mut r = json!({"id": format!("i{i}"), "achievement": g.rng.pick(&ids.achievements),
                       "contact": g.rng.pick(contacts), "awardedOn": date(awarded), "validFrom": date(awarded)});
    if !learner_ids.is_empty() && g.rng.chance(60) {
        r["learner"] = json!(g.rng.pick(learner_ids));
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
}
