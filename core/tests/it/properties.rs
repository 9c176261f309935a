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
}
