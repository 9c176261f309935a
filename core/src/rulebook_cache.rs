//! The last prepared rulebook, kept by a caller that answers many `evaluate` requests (the
//! module's raw ABI in a host's warm instance), so that a request whose rulebook is the same text
//! as the last one's is not read and prepared again (docs/abi.md, "The kept rulebook").
//!
//! The answer is the same bytes as [`call_with_limits`](crate::call_with_limits)' for every
//! request: the kept rulebook is used only when
//!
//! - the request passes the text limits as a whole,
//! - it is an object whose members' names up to its `rulebook` member hold no escape, and that
//!   member's value is byte for byte the text of a request's rulebook that was read without
//!   error within the same [`Limits`] (so it reads as it did then, and passes the same limit
//!   checks), and
//! - the request without that member reads without error as an evidence request (`asOf`,
//!   `evidence`, `options`, `version`, nothing else).
//!
//! Any other request, and any request that would be an error, takes the plain path, which
//! answers it (and its error) exactly as before, and keeps its rulebook when it reads (unless
//! it is the cache's first `evaluate` request: an instance made for one call never pays for
//! keeping).

use alloc::vec::Vec;
use core::ops::Range;

use crate::limits::Limits;
use crate::rulebook::PreparedRulebook;
use crate::wire::locate::{byte_flags, string_end};
use crate::wire::read::read_request;
use crate::wire::request::{EvaluateRequest, EvidenceRequest};

/// The rulebook of the last `evaluate` request read without error, prepared.
pub struct RulebookCache {
    kept: Option<Kept>,
    /// Whether an `evaluate` request came through before: the first one keeps nothing, so that a
    /// cache used once (an instance made for one call) costs nothing.
    used: bool,
    hits: u64,
}

struct Kept {
    /// The `rulebook` member's value as it stood in the request's text.
    text: Vec<u8>,
    /// The limits it was read within.
    limits: Limits,
    book: PreparedRulebook,
}

impl Kept {
    /// The end of the value that starts at `start` in `request`, when it is the kept rulebook's
    /// text. The kept text is an object, which ends at its closing brace: a value that starts
    /// with it is it.
    fn end_in(&self, request: &[u8], start: usize) -> Option<usize> {
        request.get(start..)?.starts_with(&self.text).then(|| start + self.text.len())
    }
}

impl Default for RulebookCache {
    fn default() -> Self {
        RulebookCache::new()
    }
}

impl RulebookCache {
    /// An empty cache.
    pub const fn new() -> RulebookCache {
        RulebookCache { kept: None, used: false, hits: 0 }
    }

    /// How many answers used the kept rulebook.
    pub fn hits(&self) -> u64 {
        self.hits
    }

    /// [`call`](crate::call) within the default [`Limits`], keeping the rulebook of `evaluate`.
    pub fn call(&mut self, operation: &str, request: &[u8]) -> Vec<u8> {
        self.call_with_limits(operation, request, &Limits::default())
    }

    /// [`call_with_limits`](crate::call_with_limits), keeping the rulebook of `evaluate`: the
    /// same answer, byte for byte.
    pub fn call_with_limits(&mut self, operation: &str, request: &[u8], limits: &Limits) -> Vec<u8> {
        match operation {
            "evaluate" => self.evaluate(request, limits),
            _ => crate::call_with_limits(operation, request, limits),
        }
    }

    /// `evaluate` with the kept rulebook when it applies, else as [`read_and_evaluate`] answers
    /// it; then keeps the request's rulebook (but on the first call).
    fn evaluate(&mut self, request: &[u8], limits: &Limits) -> Vec<u8> {
        let used = core::mem::replace(&mut self.used, true);
        // Nothing is kept before the second call, and nothing is looked for.
        let found = if used { find_rulebook(request) } else { None };
        if let Some(answer) = found.as_ref().and_then(|found| self.evaluate_kept(request, found, limits)) {
            return answer;
        }
        let (answer, book) = read_and_evaluate(request, limits);
        if let (Some(found), Some(book)) = (found, book) {
            // The request read: its `rulebook` member is the one found, and its value is JSON.
            let text = value_end(request, found.value).and_then(|end| request.get(found.value..end));
            self.kept = text.map(|text| Kept { text: text.to_vec(), limits: *limits, book });
        }
        answer
    }

    /// The answer with the kept rulebook, when it applies (see the module's docs).
    fn evaluate_kept(&mut self, request: &[u8], found: &Found, limits: &Limits) -> Option<Vec<u8>> {
        let kept = self.kept.as_ref().filter(|kept| kept.limits == *limits)?;
        let cut = found.cut(request, kept.end_in(request, found.value)?)?;
        limits.check_text(request).ok()?;
        let mut rest = Vec::with_capacity(request.len() - cut.len());
        rest.extend_from_slice(request.get(..cut.start)?);
        rest.extend_from_slice(request.get(cut.end..)?);
        let r = read_request::<EvidenceRequest>(&rest, limits).ok()?;
        self.hits = self.hits.saturating_add(1);
        Some(crate::evaluate_envelope(&kept.book.evaluate(r.as_of, &r.evidence, &r.options)))
    }
}

/// `evaluate` on the request's text, its rulebook read and prepared: the answer, and the
/// prepared rulebook when the request read.
pub(crate) fn read_and_evaluate(request: &[u8], limits: &Limits) -> (Vec<u8>, Option<PreparedRulebook>) {
    match read_request::<EvaluateRequest>(request, limits) {
        Ok(r) => {
            let book = PreparedRulebook::new(r.rulebook);
            let answer = crate::evaluate_envelope(&book.evaluate(r.as_of, &r.evidence, &r.options));
            (answer, Some(book))
        }
        Err(err) => (crate::envelope::<()>(Err(err)), None),
    }
}

/// Where a request's first `rulebook` member starts.
#[derive(Debug)]
struct Found {
    /// The offset of its name's opening quote.
    name: usize,
    /// The end of the value of the member before it, if any.
    previous_end: Option<usize>,
    /// The offset of its value's first byte.
    value: usize,
}

/// The first `rulebook` member of `request`, when the text is an object whose members up to it
/// are well formed at the top level, with names that hold no escape. The values before it are
/// delimited, not checked.
///
/// Only that far is looked at: the reader of the request without the member checks the rest of
/// the text, and refuses a second `rulebook` member, as an unknown one, so the request reads
/// as a whole exactly when the rest reads and the rulebook does.
fn find_rulebook(request: &[u8]) -> Option<Found> {
    let mut i = skip_space(request, 0);
    if request.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_space(request, i + 1);
    let mut previous_end = None;
    loop {
        if request.get(i) != Some(&b'"') {
            return None;
        }
        let name_end = string_token_end(request, i)?;
        let name = request.get(i + 1..name_end - 1)?;
        if name.contains(&b'\\') {
            return None;
        }
        let colon = skip_space(request, name_end);
        if request.get(colon) != Some(&b':') {
            return None;
        }
        let value = skip_space(request, colon + 1);
        if name == b"rulebook" {
            return Some(Found { name: i, previous_end, value });
        }
        let end = value_end(request, value)?;
        previous_end = Some(end);
        i = skip_space(request, end);
        if request.get(i) != Some(&b',') {
            return None;
        }
        i = skip_space(request, i + 1);
    }
}

impl Found {
    /// What to cut from `request` for the request without this member, whose value ends at
    /// `end`: the member and one comma beside it, when another member's name or the object's
    /// end follows it.
    fn cut(&self, request: &[u8], end: usize) -> Option<Range<usize>> {
        let after = skip_space(request, end);
        match (request.get(after), self.previous_end) {
            (Some(b','), _) => {
                let next = skip_space(request, after + 1);
                (request.get(next) == Some(&b'"')).then_some(self.name..next)
            }
            (Some(b'}'), Some(previous_end)) => Some(previous_end..end),
            (Some(b'}'), None) => Some(self.name..end),
            _ => None,
        }
    }
}

/// The offset of the first byte at or after `i` that is not JSON whitespace.
fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The offset just after the string token that starts at `start`, when a quote ends it.
fn string_token_end(bytes: &[u8], start: usize) -> Option<usize> {
    Some(string_end(bytes, start)).filter(|&end| end >= start + 2 && bytes.get(end - 1) == Some(&b'"'))
}

/// The offset just after the value that starts at `start`: a string, an array or object (its
/// brackets counted outside strings), or a literal or number (up to the next delimiter).
fn value_end(bytes: &[u8], start: usize) -> Option<usize> {
    match bytes.get(start)? {
        b'"' => string_token_end(bytes, start),
        b'{' | b'[' => container_end(bytes, start),
        _ => {
            let length =
                bytes.get(start..)?.iter().position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'));
            let end = start + length.unwrap_or(bytes.len() - start);
            (end > start).then_some(end)
        }
    }
}

/// The offset just after the array or object that starts at `start`: its brackets counted
/// outside strings. A rulebook is scanned so whenever a new one is kept, so eight bytes are taken
/// at a time where they hold no backslash: which bytes are inside strings follows from the
/// parity of the quotes before them, and only brackets outside strings are looked at one by
/// one. `tests::container_end_plainly` is the same scan a byte at a time.
fn container_end(bytes: &[u8], start: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut i = start;
    loop {
        let word = bytes.get(i..).and_then(|rest| rest.first_chunk::<8>()).map(|word| u64::from_le_bytes(*word));
        if let Some(word) = word.filter(|&word| !escaped && byte_flags(word, b'\\') == 0) {
            // Bit 0 of each byte: a quote; then the parity of the quotes up to it, with the
            // string open before the word: set inside strings (and on their opening quotes).
            let mut inside = byte_flags(word, b'"') >> 7;
            inside ^= inside << 8;
            inside ^= inside << 16;
            inside ^= inside << 32;
            inside ^= u64::from(in_string) * 0x0101_0101_0101_0101;
            in_string = inside >> 56 & 1 == 1;
            // Setting bit 5 turns `[` into `{` and `]` into `}`, and no other byte into either.
            let folded = word | 0x2020_2020_2020_2020;
            let opens = byte_flags(folded, b'{') >> 7 & !inside;
            let mut brackets = opens | byte_flags(folded, b'}') >> 7 & !inside;
            while brackets != 0 {
                let at = brackets.trailing_zeros();
                if opens >> at & 1 == 1 {
                    depth += 1;
                } else {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i + at as usize / 8 + 1);
                    }
                }
                brackets &= brackets - 1;
            }
            i += 8;
            continue;
        }
        let byte = *bytes.get(i)?;
        match (in_string, byte) {
            _ if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') => in_string = false,
            (false, b'"') => in_string = true,
            (false, b'{' | b'[') => depth += 1,
            (false, b'}' | b']') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::{container_end, find_rulebook, value_end};
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn cut(request: &str) -> Option<(String, String)> {
        let bytes = request.as_bytes();
        let found = find_rulebook(bytes)?;
        let end = value_end(bytes, found.value)?;
        found.cut(bytes, end).map(|cut| {
            let value = found.value..end;
            let text = |range| request.get(range).unwrap_or_default();
            (text(value).to_string(), [text(0..cut.start), text(cut.end..request.len())].concat())
        })
    }

    #[test]
    fn finds_the_member_wherever_it_stands() {
        let found = |value: &str, rest: &str| Some((value.to_string(), rest.to_string()));
        assert_eq!(cut(r#"{"rulebook": {"a": [1]}, "asOf": "x"}"#), found(r#"{"a": [1]}"#, r#"{"asOf": "x"}"#));
        assert_eq!(cut(r#"{"asOf": "x", "rulebook": {}}"#), found("{}", r#"{"asOf": "x"}"#));
        assert_eq!(
            cut(" {\"a\":1 ,\n\"rulebook\" : [\"}\"] ,\"b\":null}\n"),
            found(r#"["}"]"#, " {\"a\":1 ,\n\"b\":null}\n")
        );
        assert_eq!(cut(r#"{"rulebook":"{\"x"}"#), found(r#""{\"x""#, "{}"));
        assert_eq!(cut(r#"{"rulebook":true}"#), found("true", "{}"));
        // What follows is the reader's to refuse: a second `rulebook` is an unknown member of
        // the request without the first, and text after the object is text after it.
        assert_eq!(cut(r#"{"rulebook": {}, "rulebook": [], "x"#), found("{}", r#"{"rulebook": [], "x"#));
        assert_eq!(cut(r#"{"rulebook": {}} x"#), found("{}", "{} x"));
    }

    #[test]
    fn refuses_what_it_cannot_cut_exactly() {
        for request in [
            "",
            "[]",
            "{}",
            r#"{"asOf": "x"}"#,
            r#"{"rule\u0062ook": {}, "rulebook": {}}"#,
            r#"{"evidence": {"rulebook": {}}}"#,
            r#"{"rulebook": {} "asOf": 1}"#,
            r#"{"rulebook": {}"#,
            r#"{"rulebook": {}]"#,
            r#"{"rulebook": 1]"#,
            r#"{"rulebook" {}}"#,
            r#"{"rulebook": }"#,
            r#"{rulebook: {}}"#,
            r#"{"rulebook": "abc"#,
            r#"{"rulebook": {}, }"#,
        ] {
            assert_eq!(cut(request), None, "{request}");
        }
    }

    /// [`container_end`] byte by byte.
    fn container_end_plainly(bytes: &[u8], start: usize) -> Option<usize> {
        let mut depth = 0usize;
        let mut in_string = false;
        let mut i = start;
        while let Some(&byte) = bytes.get(i) {
            match (in_string, byte) {
                (true, b'\\') => i += 1,
                (true, b'"') => in_string = false,
                (false, b'"') => in_string = true,
                (false, b'{' | b'[') => depth += 1,
                (false, b'}' | b']') => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        None
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4_000, ..ProptestConfig::default() })]

        #[test]
        fn container_end_is_found_as_byte_by_byte(
            body in prop::collection::vec(prop::sample::select(b"{}[]\"\\ a:,;{|}\x7b\x5b\xfb".to_vec()), 0..200),
            opening in prop::sample::select(b"{[".to_vec()),
        ) {
            let text: Vec<u8> = [&[opening][..], &body].concat();
            prop_assert_eq!(container_end(&text, 0), container_end_plainly(&text, 0));
        }
    }
}
