//! Limits with small values, so every kind can be exceeded by a small request.

use laureate_core::{call_with_limits, Limits};
use serde_json::Value;

fn error(request: &str, limits: &Limits) -> (String, String) {
    let answer: Value =
        serde_json::from_slice(&call_with_limits("validate", request.as_bytes(), limits)).expect("json");
    let error = &answer["error"];
    (error["code"].as_str().unwrap_or("none").to_string(), error["path"].as_str().unwrap_or("").to_string())
}

fn small() -> Limits {
    Limits {
        max_request_bytes: 400,
        max_string_bytes: 20,
        max_items: 3,
        max_format_bytes: 30,
        max_event_sessions: 2,
        max_csv_columns: 4,
    }
}

#[test]
fn request_size() {
    let request = format!(r#"{{"rulebook": {{"achievements": []}}, "padding": "{}"}}"#, " ".repeat(400));
    assert_eq!(error(&request, &small()), ("limit-exceeded".into(), "".into()));
}

#[test]
fn list_items_name_the_first_item_past_the_limit() {
    let request =
        r#"{"rulebook": {"qualificationCodes": [{"code": "A"}, {"code": "B"}, {"code": "C"}, {"code": "D"}]}}"#;
    assert_eq!(error(request, &small()), ("limit-exceeded".into(), "/rulebook/qualificationCodes/3".into()));
    let request = r#"{"rulebook": {"qualificationCodes": [{"code": "A"}, {"code": "B"}, {"code": "C"}]}}"#;
    assert_eq!(error(request, &small()).0, "none");
}

#[test]
fn object_members_count_as_items() {
    let request =
        r#"{"rulebook": {"achievements": [{"id": "a", "name": "n", "description": "d", "certificate": "c"}]}}"#;
    assert_eq!(error(request, &small()), ("limit-exceeded".into(), "/rulebook/achievements/0".into()));
}

#[test]
fn strings_and_member_names() {
    let request = r#"{"rulebook": {"achievements": [{"id": "a", "name": "123456789012345678901"}]}}"#;
    assert_eq!(error(request, &small()), ("limit-exceeded".into(), "/rulebook/achievements/0/name".into()));
    let request = r#"{"rulebook": {"achievementsXXXXXXXXXX": []}}"#;
    assert_eq!(error(request, &small()), ("limit-exceeded".into(), "/rulebook/achievementsXXXXXXXXXX".into()));
    // An escaped quote does not end the string.
    let request = r#"{"rulebook": {"achievements": [{"id": "\"\"\"\"\"\"\"\"\"\"\"", "name": "n"}]}}"#;
    assert_eq!(error(request, &small()), ("limit-exceeded".into(), "/rulebook/achievements/0/id".into()));
}

#[test]
fn sessions_and_formats() {
    let limits = Limits { max_request_bytes: 10_000, max_string_bytes: 100, max_items: 100, ..small() };
    let request = r#"{"rulebook": {"events": [{"id": "e", "template": "t", "start": "2026-01-01", "end": "2026-01-01",
        "sessions": [{"id": "a", "date": "2026-01-01"}, {"id": "b", "date": "2026-01-01"}, {"id": "c", "date": "2026-01-01"}]}]}}"#;
    assert_eq!(error(request, &limits), ("limit-exceeded".into(), "/rulebook/events/0/sessions/2".into()));
    let request = r#"{"rulebook": {"sequences": [{"id": "s", "name": "S", "pathFormat": "{{sequence_number}}-abcdefghijklmnop"}]}}"#;
    assert_eq!(error(request, &limits), ("limit-exceeded".into(), "/rulebook/sequences/0/pathFormat".into()));
}
