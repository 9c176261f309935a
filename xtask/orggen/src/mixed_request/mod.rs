//! Requests for any of the five operations, written from spec.md §2–4 and §12, for the
//! differential test (native core == wasmtime, byte for byte) and the CLI's batch test.
//!
//! Seven in ten are `evaluate` requests; the rest `validate`, `formatIdentifier`, `codeUsage` and
//! `renameCode`. Rulebooks have every delivery mode, sessions, event overrides, sequences with
//! formats, learning paths, courses and certifications; evidence has attendance, online progress,
//! scores, invoices, manual results, path enrolments, training records, assignments, course
//! results, issued history and sequence state. Three requests in four are clean (every reference
//! resolves, every format is well-formed); the fourth is noisy: some dangling references, broken
//! formats, unknown sessions, ungraded courses, which the engine reports as diagnostics while it
//! goes on. About one request in thirty is deliberately unreadable (an impossible date, an
//! unknown member, a wrong version, text cut in half) to exercise the error envelopes too.

mod evidence;
mod rulebook;
mod vocabulary;

use serde_json::{json, Map, Value};

use crate::rng::{date, Rng};
use evidence::evidence;
use rulebook::rulebook;
use vocabulary::{BROKEN_FORMATS, CODES, EVENT_FORMATS, MERGE_FIELDS, PATH_FORMATS, WORDS};

/// One generated request.
pub struct GeneratedRequest {
    /// The core's operation name (`evaluate`, `validate`, `formatIdentifier`, `codeUsage`,
    /// `renameCode`).
    pub operation: &'static str,
    /// The request text.
    pub text: String,
    /// False for the deliberately unreadable requests (an error envelope is expected); true for
    /// the others, clean or noisy (an `ok` answer is expected).
    pub readable: bool,
}

/// The request `seed` names.
pub fn mixed_request(seed: u64) -> GeneratedRequest {
    let mut rng = Rng::new(seed);
    let noisy = rng.chance(25);
    let mut g = Gen { rng, noisy };
    // asOf between late 2024 and early 2027 (days after 2025-01-01).
    let as_of = g.rng.range(-66, 734);
    let (rb, ids) = rulebook(&mut g, as_of);
    let (operation, mut request) = match g.rng.below(100) {
        0..=69 => {
            let mut r = json!({"asOf": date(as_of), "rulebook": rb, "evidence": evidence(&mut g, &ids, as_of)});
            if g.rng.chance(40) {
                let mut options = json!({});
                maybe(&mut options, g.rng.chance(70), "trace", json!(g.rng.chance(60)));
                maybe(&mut options, g.rng.chance(50), "expiringWithinDays", json!(g.rng.range(0, 90)));
                r["options"] = options;
            }
            ("evaluate", r)
        }
        70..=79 => ("validate", json!({"rulebook": rb})),
        80..=89 => ("formatIdentifier", format_identifier(&mut g.rng)),
        90..=94 => {
            let mut r = json!({"rulebook": rb});
            if g.rng.chance(60) {
                r["evidence"] = evidence(&mut g, &ids, as_of);
            }
            ("codeUsage", r)
        }
        _ => {
            let from = if ids.codes.is_empty() { "CPR".to_owned() } else { g.rng.pick(&ids.codes).clone() };
            let to = if g.rng.chance(70) { "NEW1".to_owned() } else { g.rng.pick(&CODES).to_string() };
            ("renameCode", json!({"rulebook": rb, "from": from, "to": to}))
        }
    };
    if g.rng.chance(20) {
        request["version"] = json!(1);
    }
    let (text, readable) = perhaps_unreadable(&mut g.rng, operation, request);
    GeneratedRequest { operation, text, readable }
}

/// A `formatIdentifier` request: a format (well-formed mostly, broken sometimes), a padding, a
/// number and some merge values.
fn format_identifier(rng: &mut Rng) -> Value {
    let fields: Map<String, Value> =
        rng.subset(&MERGE_FIELDS, 60).into_iter().map(|f| (f.to_owned(), json!(rng.pick(&WORDS)))).collect();
    let format = match rng.below(10) {
        0..=5 => rng.pick(&EVENT_FORMATS),
        6..=8 => rng.pick(&PATH_FORMATS),
        _ => rng.pick(&BROKEN_FORMATS),
    };
    json!({"format": format, "padding": rng.range(0, 10), "number": rng.range(1, 1 << 40),
           "fields": Value::Object(fields)})
}

/// The text of `request`, three times in a hundred made unreadable (a wrong version, an unknown
/// member, text cut in half, an impossible date or a rulebook that is a string), and whether it
/// is still readable.
fn perhaps_unreadable(rng: &mut Rng, operation: &str, mut request: Value) -> (String, bool) {
    if !rng.chance(3) {
        return (request.to_string(), true);
    }
    match rng.below(4) {
        0 => request["version"] = json!(2),
        1 => request["unexpectedMember"] = json!(true),
        2 => {
            let mut text = request.to_string();
            let mut cut = text.len() / 2;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            return (text, false);
        }
        _ if operation == "evaluate" => request["asOf"] = json!("2026-02-30"),
        _ => request["rulebook"] = json!("not a rulebook"),
    }
    (request.to_string(), false)
}

/// The generator's state: the random source and whether this request may carry flaws.
struct Gen {
    rng: Rng,
    noisy: bool,
}

impl Gen {
    /// A flaw (a dangling reference, a broken format...) with probability `percent` in a
    /// noisy request, never in a clean one.
    fn flaw(&mut self, percent: u64) -> bool {
        self.noisy && self.rng.chance(percent)
    }
}

/// A percentage: mostly whole, sometimes fractional.
fn percent(rng: &mut Rng, lo: i64) -> Value {
    if rng.chance(15) {
        json!(rng.range(lo, 99) as f64 + 0.5)
    } else {
        json!(rng.range(lo, 100))
    }
}

/// Adds `key: value` to `obj` when `present`.
fn maybe(obj: &mut Value, present: bool, key: &str, value: Value) {
    if present {
        obj[key] = value;
    }
}

#[cfg(test)]
mod tests {
    use super::mixed_request;

    #[test]
    fn a_seed_names_one_request() {
        let (a, b) = (mixed_request(5), mixed_request(5));
        assert_eq!((a.operation, a.text, a.readable), (b.operation, b.text, b.readable));
    }

    #[test]
    fn every_operation_and_both_kinds_occur() {
        let requests: Vec<_> = (0..2000).map(mixed_request).collect();
        for operation in ["evaluate", "validate", "formatIdentifier", "codeUsage", "renameCode"] {
            assert!(requests.iter().any(|r| r.operation == operation), "no {operation} request");
        }
        let unreadable = requests.iter().filter(|r| !r.readable).count();
        assert!((20..=120).contains(&unreadable), "{unreadable} of 2000 unreadable");
        for r in requests.iter().filter(|r| r.readable) {
            assert!(serde_json::from_str::<serde_json::Value>(&r.text).is_ok(), "{}", r.text);
        }
    }
}
