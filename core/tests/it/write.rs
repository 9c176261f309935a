//! The direct writer of `evaluate` answers (`laureate_core::wire::write_answer`) writes exactly
//! the bytes serde_json writes of the same answer: on every `evaluate` answer of the
//! conformance corpus, the hostile corpus and the `call` fuzz corpus, on generated
//! organisations, and on answers whose strings are full of escapes and odd Unicode and whose
//! numbers span their range. (The other answers and the errors are written by serde_json.)

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use laureate_core::wire::answer::*;
use laureate_core::wire::read::read_request;
use laureate_core::wire::scalar::Percent;
use laureate_core::wire::write_answer::evaluate_envelope;
use laureate_core::wire::{EvaluateRequest, Revocation};
use laureate_core::{fuzzing, Date, Diagnostic, DiagnosticCode, Limits, PreparedRulebook, Severity};
use proptest::prelude::*;
use serde_json::Value;

/// The direct writer writes serde_json's envelope.
fn same_envelope(answer: &EvaluateAnswer, what: &str) {
    let ours = evaluate_envelope(answer, 0).unwrap_or_else(|e| panic!("{what}: the direct writer failed: {e}"));
    let theirs = serde_json::to_vec(&BTreeMap::from([("ok", answer)])).expect("serde_json writes it");
    assert!(
        ours == theirs,
        "{what}: the direct writer differs from serde_json\n ours:   {}\n theirs: {}",
        String::from_utf8_lossy(&ours),
        String::from_utf8_lossy(&theirs)
    );
}

/// Writes `request`'s answer both ways, when it is an `evaluate` request that reads.
fn check_request(operation: &str, request: &[u8], what: &str) {
    if operation != "evaluate" {
        return;
    }
    if let Ok(r) = read_request::<EvaluateRequest>(request, &Limits::default()) {
        let book = PreparedRulebook::new(r.rulebook.clone());
        same_envelope(&book.evaluate(r.as_of, &r.evidence, &r.options), what);
    }
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn corpus_answers_are_written_as_serde_json_writes_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    json_files(&root.join("tests/conformance"), &mut files);
    json_files(&root.join("tests/hostile"), &mut files);
    assert!(files.len() > 400, "only {} corpus files", files.len());
    for path in files {
        let case: Value = serde_json::from_slice(&fs::read(&path).expect("a case")).expect("a case is JSON");
        let operation = case["operation"].as_str().unwrap_or("evaluate");
        let request = match (&case["request"], &case["requestText"]) {
            (Value::Null, Value::String(text)) => text.clone().into_bytes(),
            (request, _) => serde_json::to_vec(request).expect("JSON"),
        };
        check_request(operation, &request, &path.display().to_string());
    }
}

#[test]
fn fuzz_corpus_answers_are_written_as_serde_json_writes_them() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/call");
    for entry in fs::read_dir(&dir).expect("the call corpus") {
        let path = entry.expect("an entry").path();
        let input = fs::read(&path).expect("an input");
        let (operation, request) = fuzzing::split_call_input(&input);
        check_request(operation, request, &path.display().to_string());
    }
}

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd(y, m, d).expect("a date")
}

fn empty_answer() -> EvaluateAnswer<'static> {
    EvaluateAnswer {
        engine: EngineInfo { name: "laureate", version: "0" },
        as_of: date(2026, 1, 1),
        outcomes: Vec::new(),
        paths: Vec::new(),
        certifications: Vec::new(),
        holdings: Vec::new(),
        accounts: Vec::new(),
        certification_holdings: Vec::new(),
        actions: Vec::new(),
        sequence_state: BTreeMap::new(),
        diagnostics: Vec::new(),
    }
}

/// An answer with `text` in every kind of place a string goes (ids, an identifier made by the
/// evaluation, a trace, a sequence name), `number` in every integer and `grade` as a grade.
fn answer_with(text: &str, number: u32, state: u64, grade: f64) -> EvaluateAnswer<'_> {
    let origin = if number.is_multiple_of(2) { Origin::Event(text) } else { Origin::Path(text) };
    let identifier = Some(Text::Shared(text.into()));
    let mut answer = empty_answer();
    answer.outcomes.push(Outcome {
        learner: text,
        contact: text,
        origin,
        achievement: text,
        status: Status::Awarded,
        source: Source::Manual,
        met_on: Some(date(2025, 12, 31)),
        awarded_on: None,
        valid_from: Some(date(1, 1, 1)),
        expires_on: Some(date(9999, 12, 31)),
        identifier: identifier.clone(),
        record: Some(text),
        decided_by: Some(Box::new(DecidedBy { by: Some(text), on: date(2026, 3, 3), reason: None })),
        waiting_on: WaitingOnSet::of(WaitingOn::OnlineCompletion),
        trace: vec![TraceEntry {
            check: "score",
            required: text.into(),
            observed: text.into(),
            ok: number.is_multiple_of(3),
        }],
    });
    answer.paths.push(PathProgress {
        enrollment: text,
        contact: text,
        path: text,
        done: number,
        total: u32::MAX,
        percent: number % 101,
        complete: true,
        completed_on: None,
        steps: vec![
            StepProgress {
                code: text,
                required: number.is_multiple_of(2),
                completed_on: Some(date(2026, 1, 20)),
                by: Some(StepEvidence { kind: StepEvidenceKind::CourseResult, id: text }),
            },
            StepProgress { code: text, required: true, completed_on: None, by: None },
        ],
    });
    answer.accounts.push(AccountHoldings {
        account: text,
        achievement: text,
        valid: number,
        expiring: 1,
        expired: 0,
        revoked: u32::MAX,
        not_yet_valid: number,
        expiring_contacts: vec![text],
        expired_contacts: Vec::new(),
    });
    answer.certifications.push(CertificationProgress {
        contact: text,
        certification: text,
        visible: false,
        status: CertificationStatus::RenewalDue,
        cycle: number,
        window_start: None,
        completed_on: None,
        valid_until: Some(date(2030, 2, 28)),
        window_opens: Some(date(2030, 1, 29)),
        grace_until: None,
        due_date: None,
        requirements: vec![
            Requirement { course: text, met: true, best_grade: Some(Percent(grade)), met_on: None },
            Requirement { course: text, met: false, best_grade: None, met_on: Some(date(2024, 2, 29)) },
        ],
    });
    answer.holdings.push(Holding {
        contact: text,
        achievement: text,
        status: HoldingStatus::NotYetValid,
        valid_until: None,
        history: vec![
            HistoryEntry {
                id: Some(text),
                achievement: text,
                contact: text,
                learner: None,
                event: Some(text),
                path: None,
                awarded_on: date(2020, 6, 15),
                valid_from: date(2020, 6, 16),
                expires_on: None,
                identifier: identifier.clone(),
                revoked: None,
            },
            HistoryEntry {
                id: None,
                achievement: text,
                contact: text,
                learner: Some(text),
                event: None,
                path: Some(text),
                awarded_on: date(2020, 6, 15),
                valid_from: date(2020, 6, 16),
                expires_on: Some(date(2021, 6, 16)),
                identifier: None,
                revoked: Some(Box::leak(Box::new(Revocation {
                    on: date(2021, 1, 1),
                    by: Some(text.into()),
                    reason: None,
                }))),
            },
        ],
    });
    answer.certification_holdings.push(CertificationHolding {
        contact: text,
        certification: text,
        status: CertificationHoldingStatus::Grace,
        history: vec![
            CertifiedEntry {
                id: Some(text),
                contact: text,
                certification: text,
                cycle: number,
                completed_on: date(2024, 2, 29),
                valid_until: None,
                revoked: Some(Box::leak(Box::new(Revocation {
                    on: date(2025, 1, 1),
                    by: None,
                    reason: Some(text.into()),
                }))),
            },
            CertifiedEntry {
                id: None,
                contact: text,
                certification: text,
                cycle: u32::MAX,
                completed_on: date(2025, 3, 1),
                valid_until: Some(date(2026, 3, 1)),
                revoked: None,
            },
        ],
    });
    answer.actions.push(Action::Issue(IssueAction {
        learner: text,
        contact: text,
        achievement: text,
        origin,
        awarded_on: date(2020, 6, 15),
        valid_from: date(2020, 6, 15),
        expires_on: None,
        identifier,
        certificate: Some(text),
    }));
    answer.actions.push(Action::Notify(NotifyAction {
        trigger: "award-achievement",
        learner: text,
        contact: text,
        achievement: text,
        origin,
        attach_certificate: !number.is_multiple_of(2),
        key: AwardKey { origin: origin.id(), learner: text, achievement: text },
    }));
    answer.actions.push(Action::Reminder(ReminderAction {
        trigger: ReminderTrigger::CertificationWindowOpen,
        contact: text,
        certification: text,
        cycle: number,
        on: date(2025, 2, 28),
        key: format!("{text}/{text}/{number}/certification-window-open"),
    }));
    answer.actions.push(Action::Certify(CertifyAction {
        contact: text,
        certification: text,
        cycle: number,
        completed_on: date(2025, 3, 1),
        valid_until: None,
        certificate: Some(text),
    }));
    answer.actions.push(Action::CertificationNotify(CertificationNotifyAction {
        trigger: "certification-completed",
        contact: text,
        certification: text,
        cycle: number,
        on: date(2025, 3, 1),
        key: format!("{text}/{number}"),
        attach_certificate: number.is_multiple_of(2),
    }));
    answer.actions.push(Action::ReviewRevoke(ReviewRevokeAction {
        record: text,
        learner: text,
        contact: text,
        achievement: text,
        origin,
    }));
    answer.diagnostics.push(Diagnostic {
        severity: Severity::Warning,
        code: DiagnosticCode::SequenceExhausted,
        path: text.into(),
        message: text.into(),
    });
    answer.sequence_state.insert(text.into(), state);
    answer.sequence_state.insert(format!("{text}~"), 0);
    answer
}

/// Strings full of escapes, control characters, quotes, backslashes, non-ASCII and astral
/// characters.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap_or('?')),
            Just('"'),
            Just('\\'),
            Just('/'),
            Just('\u{7f}'),
            Just('é'),
            Just('\u{2028}'),
            Just('😀'),
            proptest::char::range('a', 'z'),
        ],
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect::<String>())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

    /// Generated organisations, with and without a trace.
    #[test]
    fn generated_answers_are_written_as_serde_json_writes_them(contacts in 1usize..400, seed in 0u64..1000, trace: bool) {
        let mut org = laureate_orggen::organisation(contacts, seed);
        org["options"] = serde_json::json!({"trace": trace});
        let request = serde_json::to_vec(&org).expect("JSON");
        let r = read_request::<EvaluateRequest>(&request, &Limits::default()).expect("a generated organisation reads");
        let book = PreparedRulebook::new(r.rulebook.clone());
        same_envelope(&book.evaluate(r.as_of, &r.evidence, &r.options), &format!("organisation({contacts}, {seed})"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn strings_and_numbers_are_written_as_serde_json_writes_them(
        text in text(),
        number: u32,
        state: u64,
        grade in prop_oneof![0.0..=100.0f64, (0u32..=100).prop_map(f64::from), Just(1e-7), Just(99.999_999_999_999_99)],
    ) {
        same_envelope(&answer_with(&text, number, state, grade), &format!("{text:?} {number} {state} {grade}"));
    }
}

#[test]
fn extreme_integers_are_written_as_serde_json_writes_them() {
    for number in [0, 1, 9, 10, 99, 100, 12_345, u32::MAX - 1, u32::MAX] {
        for state in [0, 9, 10, (1 << 53) - 1, 1 << 53, u64::MAX] {
            same_envelope(&answer_with("x", number, state, 80.0), &format!("{number} {state}"));
        }
    }
}

/// Strings are tested for escapes a word at a time, the last word overlapping the one before:
/// one byte that needs (or just misses) an escape, at every position of every length up to 40.
#[test]
fn one_escape_at_any_position_of_any_length_is_written_as_serde_json_writes_it() {
    let bytes = [0x00u8, 0x08, 0x1f, b'"', b'\\', b' ', b'!', b'#', b'[', b']', 0x7f];
    for len in 0..=40 {
        for position in 0..len {
            for byte in bytes {
                let mut text = vec![b'a'; len];
                text[position] = byte;
                let text = String::from_utf8(text).expect("ASCII");
                let mut answer = empty_answer();
                answer.sequence_state.insert(text.clone(), 1);
                same_envelope(&answer, &format!("{text:?}"));
            }
        }
    }
    same_envelope(&answer_with("é\u{2028}\u{1f600}\"x", 1, 1, 50.5), "multi-byte characters");
}

/// The names of enum values: each variant's name in kebab-case.
#[test]
fn names_are_kebab_case() {
    assert_eq!(HoldingStatus::NotYetValid.as_str(), "not-yet-valid");
    assert_eq!(WaitingOn::ManualResult.as_str(), "manual-result");
    assert_eq!(CertificationStatus::InProgress.as_str(), "in-progress");
    assert_eq!(serde_json::to_string(&Status::Awarded).expect("JSON"), "\"awarded\"");
    assert_eq!(serde_json::to_string(&Source::Automatic).expect("JSON"), "\"automatic\"");
}

/// A set of unmet conditions is written as the list it replaced: the conditions in spec.md §5
/// order, each once, whatever order and repeats it was built from, by serde and by the direct
/// writer (in an outcome).
#[test]
fn waiting_on_sets_are_written_in_spec_order_without_repeats() {
    let all = WaitingOn::ALL;
    // Every list of up to four conditions, repeats and every order included.
    let lists = (0..=4u32).flat_map(|len| {
        (0..5usize.pow(len)).map(move |mut n| {
            (0..len)
                .map(|_| {
                    let condition = all[n % 5];
                    n /= 5;
                    condition
                })
                .collect::<Vec<_>>()
        })
    });
    let mut outcomes = Vec::new();
    for list in lists {
        let set: WaitingOnSet = list.iter().copied().collect();
        let mut expected = list.clone();
        expected.sort();
        expected.dedup();
        assert_eq!(set.iter().collect::<Vec<_>>(), expected, "{list:?}");
        assert_eq!((set.len(), set.is_empty()), (expected.len(), expected.is_empty()), "{list:?}");
        assert_eq!(serde_json::to_value(set).expect("written"), serde_json::to_value(&expected).expect("written"));
        outcomes.push(Outcome {
            learner: "L1",
            contact: "C1",
            origin: Origin::Event("E1"),
            achievement: "A1",
            status: Status::Pending,
            source: Source::Automatic,
            met_on: None,
            awarded_on: None,
            valid_from: None,
            expires_on: None,
            identifier: None,
            record: None,
            decided_by: None,
            waiting_on: set,
            trace: Vec::new(),
        });
    }
    assert_eq!(outcomes.len(), 1 + 5 + 25 + 125 + 625);
    let mut answer = empty_answer();
    answer.outcomes = outcomes;
    same_envelope(&answer, "outcomes with every set of conditions");
}
