//! `Preview` (the evidence read once, one learner replaced at a time) answers byte for byte what
//! `evaluate` answers on the request as it stands after the changes: on every `evaluate` case of
//! the conformance and hostile corpora, and on generated organisations with random changes; and
//! its `compare_json` answers what `compare` answers on the evidence as first read and as it
//! stands.

use std::fs;
use std::path::Path;

use laureate_core::{call, ErrorCode, PreparedRulebook, Preview};
use proptest::prelude::*;
use serde_json::{json, Value};

/// The request without its rulebook, as a `Preview` and `Rulebook.evaluateJson` take it.
fn evidence_request(request: &Value) -> Value {
    let mut rest = request.clone();
    if let Some(members) = rest.as_object_mut() {
        members.remove("rulebook");
    }
    rest
}

/// A different, still valid, learner: every session absent, no invoice, no manual results.
fn variant(learner: &Value) -> Value {
    let mut changed = learner.clone();
    if let Some(attendance) = changed.get_mut("attendance").and_then(Value::as_object_mut) {
        for status in attendance.values_mut() {
            *status = json!("absent");
        }
    }
    if let Some(members) = changed.as_object_mut() {
        members.remove("invoice");
        members.remove("results");
    }
    changed
}

fn text(answer: &[u8]) -> String {
    String::from_utf8_lossy(answer).into_owned()
}

/// Checks the preview of `request` (an `evaluate` request object) against `evaluate` itself,
/// before and after replacing each learner (at most `changes` of them) and restoring it.
/// Returns whether the request could be previewed at all.
fn check_preview(request: &Value, changes: usize, what: &str) -> bool {
    let Some(rulebook) = request.get("rulebook") else { return false };
    let Ok(book) = PreparedRulebook::from_json(&serde_json::to_vec(rulebook).expect("JSON")) else { return false };
    let rest = serde_json::to_vec(&evidence_request(request)).expect("JSON");
    let mut preview = match Preview::from_json(&rest) {
        Ok(preview) => preview,
        Err(error) => {
            // The same envelope as evaluating that text with the prepared rulebook.
            assert_eq!(text(&error), text(&book.evaluate_json(&rest)), "{what}: the preview's read error");
            return false;
        }
    };
    let whole = serde_json::to_vec(request).expect("JSON");
    assert_eq!(text(&preview.evaluate_json(&book)), text(&call("evaluate", &whole)), "{what}: unchanged");
    let learners = request["evidence"]["learners"].as_array().cloned().unwrap_or_default();
    assert_eq!(preview.learner_count(), learners.len(), "{what}");
    for (i, learner) in learners.iter().enumerate().take(changes) {
        let mut changed = request.clone();
        changed["evidence"]["learners"][i] = variant(learner);
        let expected = call("evaluate", &serde_json::to_vec(&changed).expect("JSON"));
        let got = preview.change_learner_json(&book, i, &serde_json::to_vec(&variant(learner)).expect("JSON"));
        assert_eq!(text(&got), text(&expected), "{what}: learner {i} changed");
        // `compare` of the evidence as first read with the evidence as it stands.
        let mut comparison = changed.clone();
        if let Some(members) = comparison.as_object_mut() {
            let after = members.remove("evidence").unwrap_or_default();
            members.insert("before".into(), request["evidence"].clone());
            members.insert("after".into(), after);
        }
        let expected = call("compare", &serde_json::to_vec(&comparison).expect("JSON"));
        assert_eq!(text(&preview.compare_json(&book)), text(&expected), "{what}: learner {i} compared");
        let restored = preview.change_learner_json(&book, i, &serde_json::to_vec(learner).expect("JSON"));
        assert_eq!(text(&restored), text(&call("evaluate", &whole)), "{what}: learner {i} restored");
        assert_eq!(text(&preview.compare_json(&book)), r#"{"ok":{"changes":[]}}"#, "{what}: learner {i} restored");
    }
    true
}

fn cases(dir: &Path, out: &mut Vec<Value>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            cases(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            let case: Value = serde_json::from_slice(&fs::read(&path).expect("a case")).expect("a case is JSON");
            if case["operation"] == "evaluate" && case["request"].is_object() {
                out.push(json!({"file": path.display().to_string(), "request": case["request"]}));
            }
        }
    }
}

#[test]
fn previews_of_the_corpora_answer_what_evaluate_answers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut all = Vec::new();
    cases(&root.join("tests/conformance"), &mut all);
    cases(&root.join("tests/hostile"), &mut all);
    let previewed =
        all.iter().filter(|case| check_preview(&case["request"], 8, case["file"].as_str().unwrap_or(""))).count();
    // Most evaluate cases have a readable rulebook and evidence; hostile ones mostly do not.
    assert!(previewed > 100, "only {previewed} of {} evaluate cases previewed", all.len());
}

fn small_preview() -> (PreparedRulebook, Preview, Value) {
    let org = laureate_orggen::organisation(30, 1);
    let book = PreparedRulebook::from_json(&serde_json::to_vec(&org["rulebook"]).expect("JSON")).expect("a rulebook");
    let preview = Preview::from_json(&serde_json::to_vec(&evidence_request(&org)).expect("JSON")).expect("evidence");
    (book, preview, org)
}

#[test]
fn a_learner_that_cannot_be_read_is_an_error_at_its_path_and_changes_nothing() {
    let (book, mut preview, org) = small_preview();
    let before = preview.evaluate_json(&book);
    let learner = org["evidence"]["learners"][3].clone();
    let error = |preview: &mut Preview, index: usize, text: &[u8]| {
        let err = preview.replace_learner_json(index, text).expect_err("refused");
        (err.code, err.path)
    };
    assert_eq!(error(&mut preview, 3, b"{"), (ErrorCode::InvalidJson, String::new()));
    let mut unknown = learner.clone();
    unknown["attendence"] = json!({});
    let unknown = serde_json::to_vec(&unknown).expect("JSON");
    assert_eq!(error(&mut preview, 3, &unknown), (ErrorCode::InvalidInput, "/evidence/learners/3/attendence".into()));
    let mut unpaid = learner.clone();
    unpaid["invoice"] = json!({"status": "paid"});
    let unpaid = serde_json::to_vec(&unpaid).expect("JSON");
    assert_eq!(
        error(&mut preview, 3, &unpaid),
        (ErrorCode::InvalidInput, "/evidence/learners/3/invoice/paidOn".into())
    );
    let mut absent = learner.clone();
    absent["attendance"] = json!({"s1": "gone"});
    let absent = serde_json::to_vec(&absent).expect("JSON");
    assert_eq!(error(&mut preview, 3, &absent), (ErrorCode::InvalidInput, "/evidence/learners/3/attendance/s1".into()));
    let valid = serde_json::to_vec(&learner).expect("JSON");
    let (code, path) = error(&mut preview, 30, &valid);
    assert_eq!((code, path.as_str()), (ErrorCode::InvalidInput, "/evidence/learners/30"));
    let long = format!(r#"{{"id": "{}", "contact": "c", "event": "e"}}"#, "x".repeat(20_000));
    assert_eq!(error(&mut preview, 0, long.as_bytes()), (ErrorCode::LimitExceeded, "/evidence/learners/0/id".into()));
    assert_eq!(text(&preview.evaluate_json(&book)), text(&before), "a refused change changed the preview");
    // The envelope of a refused change is that error.
    let answer: Value = serde_json::from_slice(&preview.change_learner_json(&book, 3, b"[]")).expect("JSON");
    assert_eq!(answer["error"]["code"], "invalid-input");
    assert_eq!(answer["error"]["path"], "/evidence/learners/3");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Random learners of a generated organisation, replaced one after another by random other
    /// learners of it (a learner moved to another event, another contact's record): each answer
    /// is `evaluate`'s on the request as it then stands.
    #[test]
    fn random_changes_answer_what_evaluate_answers(seed in 0u64..1000, moves in prop::collection::vec((0usize..60, 0usize..60), 1..6)) {
        let org = laureate_orggen::organisation(60, seed);
        let book = PreparedRulebook::from_json(&serde_json::to_vec(&org["rulebook"]).expect("JSON")).expect("a rulebook");
        let mut preview = Preview::from_json(&serde_json::to_vec(&evidence_request(&org)).expect("JSON")).expect("evidence");
        let mut request = org.clone();
        let learners = org["evidence"]["learners"].as_array().cloned().unwrap_or_default();
        prop_assume!(!learners.is_empty());
        for (to, from) in moves {
            let (to, from) = (to % learners.len(), from % learners.len());
            let learner = if to == from { variant(&learners[from]) } else { learners[from].clone() };
            request["evidence"]["learners"][to] = learner.clone();
            let got = preview.change_learner_json(&book, to, &serde_json::to_vec(&learner).expect("JSON"));
            let expected = call("evaluate", &serde_json::to_vec(&request).expect("JSON"));
            prop_assert_eq!(text(&got), text(&expected));
        }
    }
}
