//! Sequences (spec.md §6): formats, merge values and the deterministic numbering of new awards.

pub mod format;

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::diagnostics::{Code, Diagnostics};
use crate::wire::answer::FormatIdentifierAnswer;
use crate::wire::request::FormatIdentifierRequest;
use crate::wire::scalar::Shown;
use format::{Field, Format, FormatKind, Piece};

/// A sequence of the rulebook with its formats parsed once.
#[derive(Clone, Debug)]
pub struct PreparedSequence {
    pub index: usize,
    pub start: u64,
    pub padding: u8,
    /// `None`: absent; `Some(None)`: present with an error.
    pub event_format: Option<Option<Format>>,
    pub path_format: Option<Option<Format>>,
}

/// Where merge values come from.
pub trait MergeSource {
    fn value(&self, field: &Field) -> Option<MergeValue<'_>>;
}

/// One merge value: text of the rulebook or the evidence, or a number made for the award (a
/// part of its date), written zero-padded to its digits without an allocation.
pub enum MergeValue<'a> {
    Text(Cow<'a, str>),
    Digits { value: u32, digits: u8 },
}

impl<'a> MergeValue<'a> {
    pub fn borrowed(text: &'a str) -> MergeValue<'a> {
        MergeValue::Text(Cow::Borrowed(text))
    }
}

/// `value` trimmed of whitespace at both ends; most values have none, which their first and
/// last bytes show without decoding any character.
fn trimmed(value: &str) -> &str {
    let plain = |byte: &u8| *byte > b' ' && byte.is_ascii();
    match (value.as_bytes().first(), value.as_bytes().last()) {
        (Some(first), Some(last)) if plain(first) && plain(last) => value,
        _ => value.trim(),
    }
}

/// Appends `trimmed` (as UTF-8) with each run of whitespace replaced by one `-`.
fn push_dashed(out: &mut Vec<u8>, trimmed: &str) {
    let mut in_space = false;
    for c in trimmed.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(b'-');
            }
            in_space = true;
        } else {
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            in_space = false;
        }
    }
}

/// Whether `text` has a character of Unicode's `White_Space`: its bytes are looked at first, as
/// whitespace is ASCII up to a space or not ASCII at all (merge values rarely have any).
fn has_whitespace(text: &str) -> bool {
    text.bytes().any(|byte| byte <= b' ' || !byte.is_ascii()) && text.contains(char::is_whitespace)
}

/// Checks every merge value of `format` except the sequence number: a missing one raises
/// `merge-value-missing` and gives `None`; whitespace inside a value raises
/// `merge-value-whitespace` (it becomes `-`). Gives the length of the identifier's text without
/// its numbers (dashing never lengthens a value).
pub fn check(
    format: &Format,
    source: &dyn MergeSource,
    path_of: &dyn Fn(&Field) -> String,
    diagnostics: &mut Diagnostics,
) -> Option<usize> {
    let mut complete = true;
    let mut len = 0;
    for piece in &format.pieces {
        match piece {
            Piece::Literal(text) => len += text.len(),
            Piece::Field(Field::SequenceNumber) => {}
            Piece::Field(field) => {
                let value = source.value(field);
                let text = match &value {
                    Some(MergeValue::Digits { digits, .. }) => {
                        len += usize::from(*digits);
                        continue;
                    }
                    Some(MergeValue::Text(text)) => trimmed(text),
                    None => "",
                };
                if text.is_empty() {
                    complete = false;
                    diagnostics.error(
                        Code::MergeValueMissing,
                        path_of(field),
                        format!("no value for merge field `{}`", field.name()),
                    );
                    continue;
                }
                if has_whitespace(text) {
                    // The warning shows the value as given (trimmed), before it is dashed.
                    diagnostics.warning(
                        Code::MergeValueWhitespace,
                        path_of(field),
                        format!(
                            "whitespace in the value of `{}` (`{}`) was replaced by `-`",
                            field.name(),
                            Shown(text)
                        ),
                    );
                }
                len += text.len();
            }
        }
    }
    complete.then_some(len)
}

/// The identifier of `format` with `number` left-padded with zeros to `padding` digits, each
/// merge value trimmed and its inner whitespace dashed; `text_len` is what [`check`] gave.
pub fn render(format: &Format, source: &dyn MergeSource, number: u64, padding: u8, text_len: usize) -> String {
    let mut out = Vec::with_capacity(text_len + usize::from(padding).max(20));
    render_into(&mut out, format, source, number, padding);
    String::from_utf8(out).unwrap_or_default()
}

/// Appends the identifier's UTF-8 to `out` (pieces of text and ASCII digits: UTF-8 throughout).
fn render_into(out: &mut Vec<u8>, format: &Format, source: &dyn MergeSource, number: u64, padding: u8) {
    for piece in &format.pieces {
        match piece {
            Piece::Literal(text) => out.extend_from_slice(text.as_bytes()),
            Piece::Field(Field::SequenceNumber) => push_padded(out, number, padding),
            Piece::Field(field) => match source.value(field) {
                Some(MergeValue::Digits { value, digits }) => push_padded(out, u64::from(value), digits),
                Some(MergeValue::Text(text)) => {
                    let text = trimmed(&text);
                    if has_whitespace(text) {
                        push_dashed(out, text);
                    } else {
                        out.extend_from_slice(text.as_bytes());
                    }
                }
                None => {}
            },
        }
    }
}

/// `number` in decimal, left-padded with zeros to `padding` digits (`{:0padding$}`, without
/// the formatting machinery: one identifier per new award).
fn push_padded(out: &mut Vec<u8>, number: u64, padding: u8) {
    let mut decimal = itoa::Buffer::new();
    let digits = decimal.format(number).as_bytes();
    let zeros = usize::from(padding).saturating_sub(digits.len());
    out.resize(out.len() + zeros, b'0');
    out.extend_from_slice(digits);
}

struct FieldMap<'a>(&'a alloc::collections::BTreeMap<String, Option<String>>);

impl MergeSource for FieldMap<'_> {
    fn value(&self, field: &Field) -> Option<MergeValue<'_>> {
        self.0.get(&field.name()).and_then(|v| v.as_deref()).map(|v| MergeValue::Text(Cow::Borrowed(v)))
    }
}

/// The `formatIdentifier` operation: one identifier from a format, a number and merge values.
pub fn format_identifier(request: &FormatIdentifierRequest) -> FormatIdentifierAnswer {
    let mut diagnostics = Diagnostics::default();
    let identifier =
        format::parse(&request.format, FormatKind::Any, &|| "/format".into(), &mut diagnostics).and_then(|format| {
            let path_of = |field: &Field| crate::pointer::join("/fields", &field.name());
            let fields = FieldMap(&request.fields);
            let text_len = check(&format, &fields, &path_of, &mut diagnostics)?;
            Some(render(&format, &fields, request.number.0, request.padding.map_or(0, |p| p.0), text_len))
        });
    FormatIdentifierAnswer { identifier, diagnostics: diagnostics.into_sorted() }
}

/// Hands out numbers in allocation order (spec.md §6) and remembers the sequences' next numbers.
pub struct Numbering {
    pub state: alloc::collections::BTreeMap<String, u64>,
    reported_missing: alloc::collections::BTreeSet<String>,
    /// Where identifiers are written before they are shared: one allocation per identifier.
    scratch: Vec<u8>,
}

impl Numbering {
    pub fn new(state: alloc::collections::BTreeMap<String, u64>) -> Numbering {
        Numbering { state, reported_missing: alloc::collections::BTreeSet::new(), scratch: Vec::new() }
    }

    /// The identifier of one new award from `sequence`, or `None` (with the diagnostic that
    /// explains it, at `award_path`) when it cannot have one. A `None` consumes no number.
    pub fn identify(
        &mut self,
        sequences: &alloc::collections::BTreeMap<String, PreparedSequence>,
        sequence_id: &str,
        kind: FormatKind,
        source: &dyn MergeSource,
        award_path: &dyn Fn() -> String,
        diagnostics: &mut Diagnostics,
    ) -> Option<Arc<str>> {
        let sequence = sequences.get(sequence_id)?;
        let (format, member) = match kind {
            FormatKind::Path => (&sequence.path_format, "pathFormat"),
            FormatKind::Event | FormatKind::Any => (&sequence.event_format, "eventFormat"),
        };
        let format = match format {
            Some(Some(format)) => format,
            Some(None) => return None,
            None => {
                let path = format!("/rulebook/sequences/{}/{member}", sequence.index);
                if self.reported_missing.insert(path.clone()) {
                    diagnostics.error(
                        Code::FormatMissing,
                        path,
                        format!("sequence `{}` has no `{member}`, so its awards get no identifier", Shown(sequence_id)),
                    );
                }
                return None;
            }
        };
        let path_of = |_: &Field| award_path();
        let text_len = check(format, source, &path_of, diagnostics)?;
        let exhausted = |next: u64, diagnostics: &mut Diagnostics| {
            let over = next > crate::wire::scalar::MAX_SEQUENCE_NUMBER;
            if over {
                diagnostics.error(
                    Code::SequenceExhausted,
                    award_path(),
                    format!("sequence `{}` has handed out its last number", Shown(sequence_id)),
                );
            }
            over
        };
        let next = match self.state.get_mut(sequence_id) {
            Some(state) => {
                let next = *state;
                if exhausted(next, diagnostics) {
                    return None;
                }
                *state = next + 1;
                next
            }
            None => {
                let next = sequence.start;
                if exhausted(next, diagnostics) {
                    return None;
                }
                self.state.insert(String::from(sequence_id), next + 1);
                next
            }
        };
        self.scratch.clear();
        self.scratch.reserve(text_len + usize::from(sequence.padding).max(20));
        render_into(&mut self.scratch, format, source, next, sequence.padding);
        // Made of UTF-8 pieces: the check cannot fail, and looks at the identifier once.
        core::str::from_utf8(&self.scratch).ok().map(Arc::from)
    }
}
