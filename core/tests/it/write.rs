//! The answer writer (`laureate_core::wire::write`) writes exactly the bytes serde_json writes:
//! on every typed answer and error of the conformance corpus, the hostile corpus and the `call`
//! fuzz corpus, and on generated JSON trees full of escapes, odd Unicode and extreme numbers;
//! the direct writer of `evaluate` answers on the same answers and on generated organisations.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use laureate_core::wire::answer::EvaluateAnswer;
use laureate_core::wire::read::read_request;
use laureate_core::wire::write::to_vec;
use laureate_core::wire::write_answer::evaluate_envelope;
use laureate_core::wire::{CodeUsageRequest, EvaluateRequest, FormatIdentifierRequest, ValidateRequest};
use laureate_core::{fuzzing, Limits, PreparedRulebook};
use proptest::prelude::*;
use serde::Serialize;
use serde_json::Value;

fn same<T: Serialize>(value: &T, what: &str) {
    let ours = to_vec(value, 0).unwrap_or_else(|e| panic!("{what}: the writer failed: {e}"));
    let theirs = serde_json::to_vec(value).expect("serde_json writes it");
    assert!(
        ours == theirs,
        "{what}: the writer differs from serde_json\n ours:   {}\n theirs: {}",
        String::from_utf8_lossy(&ours),
        String::from_utf8_lossy(&theirs)
    );
}

/// The direct writer of `evaluate` answers (`wire::write_answer`) writes serde_json's envelope.
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

/// Computes `operation`'s typed answer (or error) for `request` and writes it both ways.
fn check_request(operation: &str, request: &[u8], what: &str) {
    let limits = Limits::default();
    match operation {
        "evaluate" => match read_request::<EvaluateRequest>(request, &limits) {
            Ok(r) => {
                let book = PreparedRulebook::new(r.rulebook.clone());
                let answer = book.evaluate(r.as_of, &r.evidence, &r.options);
                same(&answer, what);
                same_envelope(&answer, what);
            }
            Err(error) => same(&error, what),
        },
        "validate" => match read_request::<ValidateRequest>(request, &limits) {
            Ok(r) => same(&laureate_core::validate(&r), what),
            Err(error) => same(&error, what),
        },
        "formatIdentifier" => match read_request::<FormatIdentifierRequest>(request, &limits) {
            Ok(r) => same(&laureate_core::format_identifier(&r), what),
            Err(error) => same(&error, what),
        },
        "codeUsage" => match read_request::<CodeUsageRequest>(request, &limits) {
            Ok(r) => same(&laureate_core::code_usage(&r), what),
            Err(error) => same(&error, what),
        },
        _ => {}
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

/// JSON trees whose strings hold every escape, control characters, quotes, backslashes,
/// non-ASCII and astral characters, and whose numbers span the integer and float range.
fn tree() -> impl Strategy<Value = Value> {
    let text = proptest::collection::vec(
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
    .prop_map(|chars| chars.into_iter().collect::<String>());
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        (0u32..100_000, 1u32..1000).prop_map(|(a, b)| Value::from(f64::from(a) / f64::from(b))),
        text.clone().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::btree_map(text.clone(), inner, 0..8)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

    /// Generated organisations, with and without a trace, through the direct writer.
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
    fn trees_are_written_as_serde_json_writes_them(value in tree()) {
        same(&value, "a generated tree");
    }

    #[test]
    fn numbers_and_number_keys_are_written_as_serde_json_writes_them(
        float in any::<f64>(), unsigned in any::<u128>(), signed in any::<i128>(), small in any::<i8>()
    ) {
        same(&(float, unsigned, signed, small, f32::MAX, char::MAX), "numbers");
        let keys: std::collections::BTreeMap<i128, u8> = [(signed, 1), (i128::from(small), 2)].into_iter().collect();
        same(&keys, "integer keys");
        let keys: std::collections::BTreeMap<bool, u8> = [(true, 1), (false, 2)].into_iter().collect();
        same(&keys, "bool keys");
    }
}

#[derive(Serialize)]
enum Shapes {
    Unit,
    Newtype(u8),
    Tuple(u8, &'static str),
    Struct { a: Option<u8>, b: Vec<u8> },
}

#[derive(Serialize)]
struct Wrapper<'a> {
    shapes: Vec<Shapes>,
    #[serde(with = "serde_bytes_like")]
    bytes: &'a [u8],
    unit: (),
    char_key: std::collections::BTreeMap<char, ()>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<u8>,
}

mod serde_bytes_like {
    pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(bytes)
    }
}

#[test]
fn every_serde_shape_is_written_as_serde_json_writes_it() {
    let value = Wrapper {
        shapes: vec![
            Shapes::Unit,
            Shapes::Newtype(7),
            Shapes::Tuple(1, "x\"y"),
            Shapes::Struct { a: None, b: vec![] },
            Shapes::Struct { a: Some(3), b: vec![1, 2] },
        ],
        bytes: &[0, 1, 255],
        unit: (),
        char_key: [('\n', ()), ('é', ())].into_iter().collect(),
        skipped: None,
    };
    same(&value, "every shape");
    same(&Vec::<u8>::new(), "an empty array");
    same(&std::collections::BTreeMap::<String, u8>::new(), "an empty object");
}

#[test]
fn integers_of_every_width_are_written_as_serde_json_writes_them() {
    let unsigned = [
        0u128,
        9,
        10,
        99,
        u128::from(u64::MAX),
        u128::from(u64::MAX) + 1,
        10u128.pow(19),
        10u128.pow(19) - 1,
        10u128.pow(20),
        10u128.pow(38),
        u128::MAX - 1,
        u128::MAX,
    ];
    for value in unsigned {
        same(&value, &format!("u128 {value}"));
        same(&[value, 7], &format!("u128 {value} in an array"));
    }
    for value in [i128::MIN, i128::MIN + 1, -(10i128.pow(19)), -1, i128::from(i64::MIN), i128::MAX] {
        same(&value, &format!("i128 {value}"));
    }
    for value in [0u64, 1, 12_345, u64::MAX] {
        same(&value, &format!("u64 {value}"));
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
                same(&text, &format!("{text:?}"));
                same(&[(text.clone(), 0)].into_iter().collect::<std::collections::BTreeMap<_, _>>(), "a key");
            }
        }
    }
    same(&"é\u{2028}\u{1f600}\"x", "multi-byte characters");
}

/// A set of unmet conditions is written as the list it replaced: the conditions in SPEC §5
/// order, each once, whatever order and repeats it was built from, by serde's writer and by the
/// direct one (in an outcome).
#[test]
fn waiting_on_sets_are_written_in_spec_order_without_repeats() {
    use laureate_core::calendar::Date;
    use laureate_core::wire::answer::{EngineInfo, Origin, Outcome, Source, Status, WaitingOn, WaitingOnSet};
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
        same(&set, &format!("{list:?}"));
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
            waiting_on: set,
            trace: Vec::new(),
        });
    }
    assert_eq!(outcomes.len(), 1 + 5 + 25 + 125 + 625);
    let answer = EvaluateAnswer {
        engine: EngineInfo { name: "laureate", version: "0" },
        as_of: Date::from_ymd(2026, 1, 1).expect("a date"),
        outcomes,
        paths: Vec::new(),
        certifications: Vec::new(),
        holdings: Vec::new(),
        actions: Vec::new(),
        sequence_state: BTreeMap::new(),
        diagnostics: Vec::new(),
    };
    same_envelope(&answer, "outcomes with every set of conditions");
}
