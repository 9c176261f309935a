//! `RulebookCache` answers every request as `laureate_core::call` does, byte for byte, whether
//! the rulebook it keeps is the request's own, another request's or none; and it does use the
//! kept rulebook when the request's rulebook is the same text.

use std::collections::BTreeMap;
use std::fs;
use std::sync::OnceLock;

use laureate_core::{call, call_with_limits, Limits, RulebookCache};
use proptest::prelude::*;
use serde_json::value::RawValue;

use crate::conformance::{cases, corpus_dir, Case};

/// The requests of the corpus's cases, with their operations.
fn corpus_requests() -> Vec<(String, Vec<u8>)> {
    let mut paths = Vec::new();
    cases(&corpus_dir(), &mut paths);
    paths
        .iter()
        .map(|path| {
            let case: Case = serde_json::from_str(&fs::read_to_string(path).expect("read case")).expect("case");
            (case.operation.clone(), case.request_bytes().to_vec())
        })
        .collect()
}

/// A cache that has answered an `evaluate` request (its first keeps nothing).
fn used_cache() -> RulebookCache {
    let mut cache = RulebookCache::new();
    assert!(!is_ok(&cache.call("evaluate", b"{}")));
    cache
}

fn is_ok(answer: &[u8]) -> bool {
    answer.starts_with(br#"{"ok""#)
}

#[test]
fn every_corpus_answer_is_the_same_bytes_with_a_kept_rulebook() {
    let requests = corpus_requests();
    let mut cache = used_cache();
    let (mut evaluated, mut hits) = (0, 0);
    for (operation, request) in &requests {
        let plain = call(operation, request);
        // The rulebook kept from the case before (or none), then this case's own.
        assert_eq!(cache.call(operation, request), plain, "{operation}: {}", String::from_utf8_lossy(request));
        let before = cache.hits();
        assert_eq!(cache.call(operation, request), plain, "{operation} again: {}", String::from_utf8_lossy(request));
        if operation == "evaluate" && is_ok(&plain) {
            evaluated += 1;
            assert_eq!(
                cache.hits(),
                before + 1,
                "the second call keeps the rulebook: {}",
                String::from_utf8_lossy(request)
            );
            hits += 1;
        }
    }
    assert!(evaluated >= 100 && hits == evaluated, "{hits} hits of {evaluated} evaluate cases");
}

/// The corpus's `evaluate` requests that are answered `ok`, read once.
fn answered_evaluations() -> &'static [Vec<u8>] {
    static REQUESTS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    REQUESTS.get_or_init(|| {
        corpus_requests()
            .into_iter()
            .filter(|(operation, request)| operation == "evaluate" && is_ok(&call(operation, request)))
            .map(|(_, request)| request)
            .collect()
    })
}

/// One edit of a request's text.
#[derive(Clone, Debug)]
enum Edit {
    /// Removes the bytes in `at..at + length`.
    Remove { at: usize, length: usize },
    /// Inserts text at `at`.
    Insert { at: usize, text: &'static str },
    /// Copies the bytes in `at..at + length` to `to`.
    Copy { at: usize, length: usize, to: usize },
}

const INSERTS: [&str; 14] = [
    ",",
    "{",
    "}",
    "]",
    "\"",
    "\\",
    " ",
    ":",
    r#""rulebook": {}, "#,
    r#", "rulebook": {}"#,
    r#""x": 1, "#,
    r#""rule\u0062ook": {}, "#,
    "\u{0}",
    "\u{e9}",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<prop::sample::Index>(), 1..40usize)
            .prop_map(|(at, length)| (at.index(usize::MAX), length))
            .prop_map(|(at, length)| Edit::Remove { at, length }),
        (any::<prop::sample::Index>(), prop::sample::select(INSERTS.as_slice()))
            .prop_map(|(at, text)| Edit::Insert { at: at.index(usize::MAX), text }),
        (any::<prop::sample::Index>(), 1..400usize, any::<prop::sample::Index>())
            .prop_map(|(at, length, to)| Edit::Copy { at: at.index(usize::MAX), length, to: to.index(usize::MAX) }),
    ]
}

fn apply(request: &[u8], edit: &Edit) -> Vec<u8> {
    let len = request.len().max(1);
    let mut out = request.to_vec();
    match *edit {
        Edit::Remove { at, length } => {
            let at = at % len;
            let end = (at + length).min(out.len());
            out.drain(at.min(end)..end);
        }
        Edit::Insert { at, text } => {
            out.splice(at % (out.len() + 1)..at % (out.len() + 1), text.bytes());
        }
        Edit::Copy { at, length, to } => {
            let at = at % len;
            let copied: Vec<u8> = request.get(at..(at + length).min(request.len())).unwrap_or_default().to_vec();
            let to = to % (out.len() + 1);
            out.splice(to..to, copied);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// A request edited anywhere (its rulebook or anything around it) is answered as `call`
    /// answers it, by a cache that keeps the unedited request's rulebook.
    #[test]
    fn an_edited_request_is_answered_as_call_answers_it(
        case in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let original = case.get(answered_evaluations()).as_slice();
        let mut cache = used_cache();
        cache.call("evaluate", original);
        let edited = edits.iter().fold(original.to_vec(), |request, edit| apply(&request, edit));
        let (cached, plain) = (cache.call("evaluate", &edited), call("evaluate", &edited));
        prop_assert_eq!(String::from_utf8_lossy(&cached), String::from_utf8_lossy(&plain), "{}", String::from_utf8_lossy(&edited));
    }
}

/// An `evaluate` request's members, as their texts.
fn members(request: &[u8]) -> BTreeMap<String, Box<RawValue>> {
    serde_json::from_slice(request).expect("an evaluate request object")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// A request made of one case's rulebook (its text as written) and other cases' `asOf`,
    /// `evidence` and `options`, its members in any order, is answered as `call` answers it by a
    /// cache that keeps that rulebook from the case's own request; and the kept rulebook is used.
    #[test]
    fn another_evidence_against_a_kept_rulebook_is_answered_as_call_answers_it(
        sources in prop::array::uniform4(any::<prop::sample::Index>()),
        with_options in any::<bool>(),
        order in Just(["asOf", "rulebook", "evidence", "options"]).prop_shuffle(),
        space in prop::sample::select(vec!["", " ", "\n  "]),
    ) {
        let requests = answered_evaluations();
        let [rulebook, as_of, evidence, options] = sources.map(|source| members(source.get(requests).as_slice()));
        let parts = BTreeMap::from([
            ("rulebook", rulebook.get("rulebook").cloned()),
            ("asOf", as_of.get("asOf").cloned()),
            ("evidence", evidence.get("evidence").cloned()),
            ("options", options.get("options").cloned().filter(|_| with_options)),
        ]);
        let members: Vec<String> = order
            .iter()
            .filter_map(|name| parts.get(name).cloned().flatten().map(|value| format!("{space}\"{name}\":{space}{}", value.get())))
            .collect();
        let request = format!("{{{}{space}}}", members.join(","));
        let mut cache = used_cache();
        cache.call("evaluate", sources[0].get(requests).as_slice());
        let (cached, plain) = (cache.call("evaluate", request.as_bytes()), call("evaluate", request.as_bytes()));
        prop_assert_eq!(String::from_utf8_lossy(&cached), String::from_utf8_lossy(&plain), "{}", request);
        prop_assert_eq!(cache.hits(), u64::from(is_ok(&plain)), "{}", request);
    }
}

/// A request within the default limits, whose rulebook's longest string is `name`.
const REQUEST: &str = r#"{"asOf": "2026-03-10", "rulebook": {"achievements": [{"id": "bls", "name": "Basic Life Support"}]}, "evidence": {"learners": []}}"#;

#[test]
fn the_kept_rulebook_is_used_only_within_the_limits_it_was_read_in() {
    let default = Limits::default();
    let mut cache = used_cache();
    assert!(is_ok(&cache.call("evaluate", REQUEST.as_bytes())));

    // The same request within a string limit its rulebook passes: the kept rulebook would be
    // answered without its error.
    let short = Limits { max_string_bytes: 10, ..default };
    let refused = cache.call_with_limits("evaluate", REQUEST.as_bytes(), &short);
    assert_eq!(refused, call_with_limits("evaluate", REQUEST.as_bytes(), &short));
    assert!(!is_ok(&refused));

    // Over the size limit by whitespace, though the request without its rulebook is within it.
    let exact = Limits { max_request_bytes: REQUEST.len(), ..default };
    assert!(is_ok(&cache.call_with_limits("evaluate", REQUEST.as_bytes(), &exact)));
    let padded = format!("{REQUEST} ");
    let refused = cache.call_with_limits("evaluate", padded.as_bytes(), &exact);
    assert_eq!(refused, call_with_limits("evaluate", padded.as_bytes(), &exact));
    assert!(!is_ok(&refused));
    assert_eq!(cache.hits(), 0);
    assert!(is_ok(&cache.call_with_limits("evaluate", REQUEST.as_bytes(), &exact)));
    assert_eq!(cache.hits(), 1);
}

#[test]
fn a_rulebook_that_differs_from_the_kept_one_in_any_byte_is_read_again() {
    let rulebook = REQUEST.find(r#""rulebook": "#).expect("a rulebook") + r#""rulebook": "#.len();
    let end = REQUEST.find(r#", "evidence""#).expect("evidence");
    for at in rulebook..end {
        for byte in [b'}', b']', b' ', b'x', b'"'] {
            let mut request = REQUEST.as_bytes().to_vec();
            if request[at] == byte {
                continue;
            }
            request[at] = byte;
            // A cache that kept the rulebook, and one that also used it.
            for primed in [1, 2] {
                let mut cache = used_cache();
                for _ in 0..primed {
                    assert!(is_ok(&cache.call("evaluate", REQUEST.as_bytes())));
                }
                let answer = cache.call("evaluate", &request);
                assert_eq!(answer, call("evaluate", &request), "{}", String::from_utf8_lossy(&request));
                assert_eq!(cache.hits(), primed - 1);
            }
        }
    }
}

#[test]
fn a_request_of_a_mebibyte_keeps_its_rulebook() {
    let end = REQUEST.rfind('}').expect("an object");
    let padded = format!("{}{}{}", &REQUEST[..end], " ".repeat(1_100_000), &REQUEST[end..]);
    let mut cache = used_cache();
    let answer = call("evaluate", padded.as_bytes());
    assert!(is_ok(&answer));
    for hits in 0..3 {
        assert_eq!(cache.call("evaluate", padded.as_bytes()), answer);
        assert_eq!(cache.hits(), hits);
    }
    assert_eq!(cache.call("evaluate", REQUEST.as_bytes()), call("evaluate", REQUEST.as_bytes()));
    assert_eq!(cache.hits(), 3);
}

#[test]
fn the_first_evaluate_request_keeps_nothing() {
    let mut cache = RulebookCache::new();
    let answer = call("evaluate", REQUEST.as_bytes());
    for hits in [0, 0, 1, 2] {
        assert_eq!(cache.call("evaluate", REQUEST.as_bytes()), answer);
        assert_eq!(cache.hits(), hits);
    }
}
