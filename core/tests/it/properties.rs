//! Properties of the engine over generated requests (laureate-orggen's `evaluate_request`; issue:
//! hostile input and properties).

use proptest::prelude::*;
use serde_json::{json, Value};

use laureate_orggen::{evaluate_request, Rng};

fn evaluate(request: &Value) -> Value {
    let answer = laureate_core::call("evaluate", request.to_string().as_bytes());
    let answer: Value = serde_json::from_slice(&answer).expect("answer is JSON");
    match answer.get("ok") {
        Some(ok) => ok.clone(),
        None => panic!("generated request was refused: {answer}\nrequest: {request}"),
    }
}

/// Shuffles the array at `pointer` with `rng`.
fn shuffle(request: &mut Value, pointer: &str, rng: &mut Rng) {
    if let Some(Value::Array(items)) = request.pointer_mut(pointer) {
        rng.shuffle(items);
    }
}

/// The answer without the diagnostics' JSON Pointers (which name array positions), its
/// diagnostics sorted.
fn without_positions(mut answer: Value) -> Value {
    if let Some(Value::Array(diagnostics)) = answer.get_mut("diagnostics") {
        for d in diagnostics.iter_mut() {
            d.as_object_mut().expect("diagnostic").remove("path");
        }
        diagnostics.sort_by_key(|d| d.to_string());
    }
    answer
}

fn issue_actions(answer: &Value) -> Vec<&Value> {
    answer["actions"].as_array().expect("actions").iter().filter(|a| a["action"] == "issue").collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    /// A sequence number is written in decimal, zero-padded to `padding` digits, as Rust's
    /// `{:0padding$}` writes it, for every number and padding the contract allows.
    #[test]
    fn sequence_numbers_are_zero_padded(number in 1u64..=(1 << 53) - 1, padding in 0u8..=20, small in 1u64..1000) {
        for number in [number, small] {
            let request = json!({"format": "N-{{sequence_number}}", "padding": padding, "number": number});
            let answer: Value = serde_json::from_slice(&laureate_core::call("formatIdentifier", &serde_json::to_vec(&request).expect("JSON"))).expect("JSON");
            let expected = format!("N-{:0width$}", number, width = usize::from(padding));
            prop_assert_eq!(answer["ok"]["identifier"].as_str(), Some(expected.as_str()));
        }
    }

    /// Reordering learners, events, templates, achievements, records and the rest changes
    /// nothing but the diagnostics' positions.
    #[test]
    fn permutation_invariance(seed in any::<u64>(), shuffle_seed in any::<u64>()) {
        let request = evaluate_request(seed);
        let mut shuffled = request.clone();
        let mut rng = Rng::new(shuffle_seed);
        for pointer in ["/rulebook/achievements", "/rulebook/sequences", "/rulebook/courseTemplates", "/rulebook/events",
                        "/rulebook/courses", "/evidence/learners", "/evidence/pathEnrollments", "/evidence/trainingRecords",
                        "/evidence/certificationAssignments", "/evidence/courseResults", "/evidence/issued"] {
            shuffle(&mut shuffled, pointer, &mut rng);
        }
        prop_assert_eq!(without_positions(evaluate(&request)), without_positions(evaluate(&shuffled)));
    }

    /// Feeding the issue actions back as issued records issues nothing new and leaves
    /// `sequenceState` unchanged; every outcome keeps its status.
    #[test]
    fn re_evaluation_is_idempotent(seed in any::<u64>()) {
        let request = evaluate_request(seed);
        let first = evaluate(&request);
        let mut again = request.clone();
        let issued = again["evidence"]["issued"].as_array_mut().expect("issued");
        for (n, action) in issue_actions(&first).into_iter().enumerate() {
            let mut record = json!({"id": format!("NEW-{n}"), "achievement": action["achievement"], "contact": action["contact"],
                "learner": action["learner"], "awardedOn": action["awardedOn"], "validFrom": action["validFrom"],
                "expiresOn": action["expiresOn"], "identifier": action["identifier"]});
            for origin in ["event", "path"] {
                if let Some(id) = action.get(origin) {
                    record[origin] = id.clone();
                }
            }
            issued.push(record);
        }
        again["evidence"]["sequenceState"] = first["sequenceState"].clone();
        let second = evaluate(&again);
        prop_assert!(issue_actions(&second).is_empty(), "issued again: {:?}", issue_actions(&second));
        prop_assert_eq!(&second["sequenceState"], &first["sequenceState"]);
        let statuses = |a: &Value| a["outcomes"].as_array().expect("outcomes").iter()
            .map(|o| (o["learner"].clone(), o["achievement"].clone(), o["status"].clone())).collect::<Vec<_>>();
        prop_assert_eq!(statuses(&first), statuses(&second));
    }

    /// Identifiers are unique, and each sequence hands out contiguous numbers from its state.
    #[test]
    fn identifiers_unique_and_contiguous(seed in any::<u64>()) {
        let request = evaluate_request(seed);
        let answer = evaluate(&request);
        let identifiers: Vec<&str> = issue_actions(&answer).iter().filter_map(|a| a["identifier"].as_str()).collect();
        let mut unique = identifiers.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), identifiers.len(), "duplicate identifiers: {:?}", identifiers);
        // seq-b's format is `B{{sequence_number}}`: its numbers must run from its start (1) up.
        let numbers: Vec<u64> = identifiers.iter().filter_map(|i| i.strip_prefix('B')).map(|n| n.parse().expect("number")).collect();
        let expected: Vec<u64> = (1..=numbers.len() as u64).collect();
        prop_assert_eq!(&numbers, &expected);
        let next = answer["sequenceState"].get("seq-b").and_then(Value::as_u64);
        prop_assert_eq!(next, (!numbers.is_empty()).then_some(numbers.len() as u64 + 1));
    }

    /// `validFrom < expiresOn` whenever both exist; every new award is in its holding.
    #[test]
    fn validity_and_holdings_consistent(seed in any::<u64>()) {
        let answer = evaluate(&evaluate_request(seed));
        for outcome in answer["outcomes"].as_array().expect("outcomes") {
            if let (Some(from), Some(until)) = (outcome["validFrom"].as_str(), outcome["expiresOn"].as_str()) {
                prop_assert!(from < until, "validFrom {} is not before expiresOn {}", from, until);
            }
        }
        for action in issue_actions(&answer) {
            let holding = answer["holdings"].as_array().expect("holdings").iter()
                .find(|h| h["contact"] == action["contact"] && h["achievement"] == action["achievement"]);
            prop_assert!(holding.is_some(), "no holding for {}", action);
            let history = holding.expect("holding")["history"].as_array().expect("history");
            prop_assert!(history.iter().any(|e| e["id"].is_null() && e["learner"] == action["learner"]
                && e["validFrom"] == action["validFrom"] && e["expiresOn"] == action["expiresOn"]));
        }
    }

    /// The approval hold only delays an award: with every rule requiring approval, and every
    /// outcome met but waiting on `approval` approved on its met date (on `asOf` when that is
    /// earlier), the answer is the one without the hold, but for the approvers in `decidedBy`,
    /// `approval` in the waitingOn of outcomes still open, and the `approval-on-manual-only`
    /// warnings. Manual results are removed first, so that a pass is an approval, never the
    /// manual override.
    #[test]
    fn approving_on_the_met_date_undoes_the_hold(seed in any::<u64>()) {
        let mut request = evaluate_request(seed);
        for learner in request["evidence"]["learners"].as_array_mut().expect("learners") {
            learner.as_object_mut().expect("learner").remove("results");
        }
        let plain = evaluate(&request);
        let mut held = request.clone();
        let hold = |rules: Option<&mut Value>| {
            for rule in rules.and_then(Value::as_array_mut).into_iter().flatten() {
                rule["requireApproval"] = json!(true);
            }
        };
        for template in held["rulebook"]["courseTemplates"].as_array_mut().into_iter().flatten() {
            hold(template.get_mut("achievements"));
        }
        for event in held["rulebook"]["events"].as_array_mut().into_iter().flatten() {
            hold(event.pointer_mut("/achievements/rules"));
        }
        let waiting = evaluate(&held);
        let as_of = held["asOf"].as_str().expect("asOf").to_owned();
        let mut approved = Vec::new();
        for outcome in waiting["outcomes"].as_array().expect("outcomes") {
            let waits = outcome["waitingOn"].as_array().expect("waitingOn").contains(&json!("approval"));
            let (Some(met_on), true) = (outcome["metOn"].as_str(), waits) else { continue };
            let on = met_on.min(as_of.as_str());
            let learner = held["evidence"]["learners"].as_array_mut().expect("learners").iter_mut()
                .find(|l| l["id"] == outcome["learner"]).expect("the outcome's learner");
            let result = json!({"achievement": outcome["achievement"], "outcome": "pass", "on": on, "by": "approver"});
            learner.as_object_mut().expect("learner").entry("results").or_insert_with(|| json!([]))
                .as_array_mut().expect("results").push(result);
            approved.push((outcome["learner"].clone(), outcome["achievement"].clone()));
        }
        let mut answer = evaluate(&held);
        for outcome in answer["outcomes"].as_array_mut().expect("outcomes") {
            if approved.contains(&(outcome["learner"].clone(), outcome["achievement"].clone())) {
                prop_assert_eq!(&outcome["decidedBy"]["by"], &json!("approver"));
                outcome["decidedBy"] = Value::Null;
            }
            outcome["waitingOn"].as_array_mut().expect("waitingOn").retain(|w| w != "approval");
        }
        answer["diagnostics"].as_array_mut().expect("diagnostics").retain(|d| d["code"] != "approval-on-manual-only");
        prop_assert_eq!(answer, plain);
    }
}
