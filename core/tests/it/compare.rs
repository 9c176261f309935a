//! Properties of `compare` (spec.md §14) over generated requests (laureate-orggen's
//! `evaluate_request`), the after evidence made from the before one by random edits: learners'
//! attendance, manual results and invoices changed, learners, training records, course results
//! and issued records removed, an issued record revoked, a `sequenceState` moved, and every list
//! shuffled.
//!
//! How "the changes describe `evaluate(after)` exactly" is checked: each answer is *projected*
//! onto what `compare` compares: a multimap from each entry's key (its `kind` and key members,
//! e.g. `outcome` + learner, contact, event or path, achievement) to its compared values (an
//! outcome's status, award date, validity, identifier and `waitingOn`; a path's progress; a
//! holding's and a certification row's status and `validUntil`; a sequence's `first` and
//! `next`, `first` taken from the evidence's `sequenceState` or the rulebook's `start`), and
//! the actions as a multiset of their JSON. Starting from the projection of `evaluate(before)`,
//! each change is applied: its `before` value (when not `null`) must be present and is removed,
//! its `after` value (when not `null`) is added. The result must equal the projection of
//! `evaluate(after)`; and comparing an evidence with itself, or with itself shuffled, must give
//! no change.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{json, Value};

use laureate_orggen::{evaluate_request, Rng};

fn ok(operation: &str, request: &Value) -> Value {
    let answer = laureate_core::call(operation, request.to_string().as_bytes());
    let answer: Value = serde_json::from_slice(&answer).expect("answer is JSON");
    match answer.get("ok") {
        Some(ok) => ok.clone(),
        None => panic!("generated request was refused: {answer}\nrequest: {request}"),
    }
}

fn compare(request: &Value, before: &Value, after: &Value) -> Vec<Value> {
    let mut compare = request.clone();
    let members = compare.as_object_mut().expect("a request object");
    members.remove("evidence");
    members.insert("before".into(), before.clone());
    members.insert("after".into(), after.clone());
    ok("compare", &compare)["changes"].as_array().expect("changes").clone()
}

fn evaluate(request: &Value, evidence: &Value) -> Value {
    let mut request = request.clone();
    request["evidence"] = evidence.clone();
    ok("evaluate", &request)
}

/// The members `names` of `item` as one object.
fn pick(item: &Value, names: &[&str]) -> Value {
    Value::Object(names.iter().filter_map(|n| Some(((*n).to_owned(), item.get(*n)?.clone()))).collect())
}

/// The key members and compared members of each kind but the actions.
const KINDS: [(&str, &str, &[&str], &[&str]); 4] = [
    (
        "outcome",
        "outcomes",
        &["learner", "contact", "event", "path", "achievement"],
        &["status", "awardedOn", "validFrom", "expiresOn", "identifier", "waitingOn"],
    ),
    ("path", "paths", &["enrollment", "contact", "path"], &["done", "total", "percent", "complete", "completedOn"]),
    ("holding", "holdings", &["contact", "achievement"], &["status", "validUntil"]),
    ("certification", "certifications", &["contact", "certification"], &["status", "validUntil"]),
];

/// What `compare` compares of an answer: keyed values (a key may repeat), and the actions.
#[derive(Debug, PartialEq)]
struct Projection {
    keyed: BTreeMap<String, Vec<Value>>,
    actions: Vec<String>,
}

impl Projection {
    fn of(request: &Value, evidence: &Value, answer: &Value) -> Projection {
        let mut keyed: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (kind, list, keys, values) in KINDS {
            for item in answer[list].as_array().expect("a list") {
                let key = format!("{kind} {}", pick(item, keys));
                keyed.entry(key).or_default().push(pick(item, values));
            }
        }
        let starts: BTreeMap<&str, u64> = request["rulebook"]["sequences"]
            .as_array()
            .map(|s| s.iter().map(|s| (s["id"].as_str().unwrap_or(""), s["start"].as_u64().unwrap_or(1))).collect())
            .unwrap_or_default();
        for (sequence, next) in answer["sequenceState"].as_object().expect("sequenceState") {
            let next = next.as_u64().expect("a number");
            let first = evidence["sequenceState"][sequence]
                .as_u64()
                .or_else(|| starts.get(sequence.as_str()).copied())
                .unwrap_or(next);
            let key = format!("sequence {}", json!({ "sequence": sequence }));
            keyed.entry(key).or_default().push(json!({"first": first, "next": next}));
        }
        let actions = answer["actions"].as_array().expect("actions").iter().map(Value::to_string).collect();
        Projection { keyed, actions }.sorted()
    }

    fn sorted(mut self) -> Projection {
        for values in self.keyed.values_mut() {
            values.sort_by_key(Value::to_string);
        }
        self.keyed.retain(|_, values| !values.is_empty());
        self.actions.sort();
        self
    }

    /// Applies one change: its `before` must be there and is taken out, its `after` put in.
    fn apply(&mut self, change: &Value) -> Result<(), String> {
        let kind = change["kind"].as_str().ok_or("a change without a kind")?;
        let (before, after) = (&change["before"], &change["after"]);
        if kind == "action-added" || kind == "action-removed" {
            if !before.is_null() {
                let text = before.to_string();
                let at = self.actions.iter().position(|a| *a == text);
                self.actions.remove(at.ok_or_else(|| format!("removed action not in the answer: {change}"))?);
            }
            if !after.is_null() {
                self.actions.push(after.to_string());
            }
            return Ok(());
        }
        let keys: &[&str] = match KINDS.iter().find(|(k, ..)| *k == kind) {
            Some((_, _, keys, _)) => keys,
            None if kind == "sequence" => &["sequence"],
            None => return Err(format!("unknown kind {kind}")),
        };
        let values = self.keyed.entry(format!("{kind} {}", pick(change, keys))).or_default();
        if !before.is_null() {
            let at = values.iter().position(|v| v == before);
            values.remove(at.ok_or_else(|| format!("the change's before is not in the answer: {change}"))?);
        }
        if !after.is_null() {
            values.push(after.clone());
        }
        Ok(())
    }
}

/// The after evidence: `before` edited at random.
fn edited(before: &Value, rng: &mut Rng) -> Value {
    let mut after = before.clone();
    if let Some(learners) = after["learners"].as_array_mut() {
        learners.retain(|_| !rng.chance(10));
        for learner in learners.iter_mut() {
            if rng.chance(30) {
                let status = if rng.chance(50) { "present" } else { "absent" };
                if let Some(attendance) = learner.get_mut("attendance").and_then(Value::as_object_mut) {
                    for value in attendance.values_mut() {
                        *value = json!(status);
                    }
                }
            }
            if let Some(members) = learner.as_object_mut() {
                if rng.chance(20) {
                    members.remove("results");
                }
                if rng.chance(20) {
                    members.remove("invoice");
                }
            }
        }
    }
    for list in ["trainingRecords", "courseResults", "issued", "pathEnrollments", "certificationAssignments"] {
        if let Some(items) = after[list].as_array_mut() {
            items.retain(|_| !rng.chance(10));
        }
    }
    if let Some(issued) = after["issued"].as_array_mut() {
        for record in issued.iter_mut() {
            if rng.chance(10) && record["revoked"].is_null() {
                record["revoked"] = json!({"on": "2026-01-02", "by": "admin", "reason": "test"});
            }
        }
    }
    if let Some(state) = after["sequenceState"].as_object_mut() {
        for next in state.values_mut() {
            if rng.chance(30) {
                *next = json!(next.as_u64().unwrap_or(1) + 3);
            }
        }
    }
    shuffled(&after, rng)
}

/// `evidence` with every list shuffled.
fn shuffled(evidence: &Value, rng: &mut Rng) -> Value {
    let mut evidence = evidence.clone();
    if let Some(members) = evidence.as_object_mut() {
        for value in members.values_mut() {
            if let Value::Array(items) = value {
                rng.shuffle(items);
            }
        }
    }
    evidence
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// An evidence compared with itself, or with its lists shuffled, gives no change.
    #[test]
    fn compare_with_itself_is_empty(seed in any::<u64>(), shuffle_seed in any::<u64>()) {
        let request = evaluate_request(seed);
        let evidence = &request["evidence"];
        prop_assert_eq!(compare(&request, evidence, evidence), Vec::<Value>::new());
        let shuffled = shuffled(evidence, &mut Rng::new(shuffle_seed));
        prop_assert_eq!(compare(&request, evidence, &shuffled), Vec::<Value>::new());
    }

    /// The changes, applied to the projection of `evaluate(before)`, give the projection of
    /// `evaluate(after)` (see the module's doc comment); and no change is empty.
    #[test]
    fn changes_describe_the_after_answer(seed in any::<u64>(), edit_seed in any::<u64>()) {
        let request = evaluate_request(seed);
        let before = request["evidence"].clone();
        let after = edited(&before, &mut Rng::new(edit_seed));
        let changes = compare(&request, &before, &after);
        let mut projection = Projection::of(&request, &before, &evaluate(&request, &before));
        for change in &changes {
            prop_assert_ne!(&change["before"], &change["after"], "a change that changes nothing");
            projection.apply(change).map_err(TestCaseError::fail)?;
        }
        prop_assert_eq!(projection.sorted(), Projection::of(&request, &after, &evaluate(&request, &after)));
    }
}
