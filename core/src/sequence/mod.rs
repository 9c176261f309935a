//! Sequences (SPEC §6): formats, merge values and the deterministic numbering of new awards.

pub mod format;

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;
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
    fn value(&self, field: &Field) -> Option<Cow<'_, str>>;
}

/// A format whose merge values are all present: only the number is left to fill in. Literal
/// text and clean merge values are borrowed, not copied.
pub struct Resolved<'s>(Vec<ResolvedPiece<'s>>);

enum ResolvedPiece<'s> {
    Text(Cow<'s, str>),
    Number,
}

/// `trimmed` with each run of whitespace replaced by one `-`.
fn dashed(trimmed: &str) -> String {
    let mut text = String::with_capacity(trimmed.len());
    let mut in_space = false;
    for c in trimmed.chars() {
        if c.is_whitespace() {
            if !in_space {
                text.push('-');
            }
            in_space = true;
        } else {
            text.push(c);
            in_space = false;
        }
    }
    text
}

/// Whether `text` has a character of Unicode's `White_Space`: its bytes are looked at first, as
/// whitespace is ASCII up to a space or not ASCII at all (merge values rarely have any).
fn has_whitespace(text: &str) -> bool {
    text.bytes().any(|byte| byte <= b' ' || !byte.is_ascii()) && text.contains(char::is_whitespace)
}

/// A merge value trimmed, with inner whitespace dashed; `None` when nothing is left.
fn clean(value: Cow<'_, str>) -> Option<Cow<'_, str>> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return None;
    }
    if has_whitespace(trimmed) {
        return Some(Cow::Owned(dashed(trimmed)));
    }
    Some(match value {
        Cow::Borrowed(v) => Cow::Borrowed(v.trim()),
        Cow::Owned(v) if v.len() == trimmed.len() => Cow::Owned(v),
        Cow::Owned(v) => Cow::Owned(String::from(v.trim())),
    })
}

/// Resolves every merge value of `format` except the sequence number. Missing values raise
/// `merge-value-missing` and give `None`; whitespace inside a value becomes `-` with a warning.
pub fn resolve<'s>(
    format: &'s Format,
    source: &'s dyn MergeSource,
    path_of: &dyn Fn(&Field) -> String,
    diagnostics: &mut Diagnostics,
) -> Option<Resolved<'s>> {
    let mut pieces = Vec::with_capacity(format.pieces.len());
    let mut complete = true;
    for piece in &format.pieces {
        match piece {
            Piece::Literal(text) => pieces.push(ResolvedPiece::Text(Cow::Borrowed(text.as_str()))),
            Piece::Field(Field::SequenceNumber) => pieces.push(ResolvedPiece::Number),
            Piece::Field(field) => {
                let value = source.value(field);
                // The warning shows the value as given (trimmed), before its whitespace is dashed.
                let given = value.as_deref().map(str::trim).filter(|v| has_whitespace(v));
                let warning = given.map(|v| {
                    format!("whitespace in the value of `{}` (`{}`) was replaced by `-`", field.name(), Shown(v))
                });
                let Some(text) = value.and_then(clean) else {
                    complete = false;
                    diagnostics.error(
                        Code::MergeValueMissing,
                        path_of(field),
                        format!("no value for merge field `{}`", field.name()),
                    );
                    continue;
                };
                if let Some(message) = warning {
                    diagnostics.warning(Code::MergeValueWhitespace, path_of(field), message);
                }
                pieces.push(ResolvedPiece::Text(text));
            }
        }
    }
    complete.then_some(Resolved(pieces))
}

impl Resolved<'_> {
    /// The identifier with `number` left-padded with zeros to `padding` digits.
    pub fn render(&self, number: u64, padding: u8) -> String {
        let text: usize = self.0.iter().map(|p| if let ResolvedPiece::Text(t) = p { t.len() } else { 0 }).sum();
        let mut out = String::with_capacity(text + usize::from(padding).max(20));
        for piece in &self.0 {
            match piece {
                ResolvedPiece::Text(text) => out.push_str(text),
                ResolvedPiece::Number => push_padded(&mut out, number, padding),
            }
        }
        out
    }
}

/// `number` in decimal, left-padded with zeros to `padding` digits (`{:0padding$}`, without
/// the formatting machinery: one identifier per new award).
fn push_padded(out: &mut String, number: u64, padding: u8) {
    let number = crate::wire::write::Decimal::new(number);
    let digits = number.digits();
    for _ in digits.len()..usize::from(padding) {
        out.push('0');
    }
    out.extend(digits.iter().map(|&digit| char::from(digit)));
}

struct FieldMap<'a>(&'a alloc::collections::BTreeMap<String, Option<String>>);

impl MergeSource for FieldMap<'_> {
    fn value(&self, field: &Field) -> Option<Cow<'_, str>> {
        self.0.get(&field.name()).and_then(|v| v.as_deref()).map(Cow::Borrowed)
    }
}

/// The `formatIdentifier` operation: one identifier from a format, a number and merge values.
pub fn format_identifier(request: &FormatIdentifierRequest) -> FormatIdentifierAnswer {
    let mut diagnostics = Diagnostics::default();
    let identifier = format::parse(&request.format, FormatKind::Any, "/format", &mut diagnostics).and_then(|format| {
        let path_of = |field: &Field| crate::pointer::join("/fields", &field.name());
        let fields = FieldMap(&request.fields);
        let resolved = resolve(&format, &fields, &path_of, &mut diagnostics)?;
        Some(resolved.render(request.number.0, request.padding.map_or(0, |p| p.0)))
    });
    FormatIdentifierAnswer { identifier, diagnostics: diagnostics.into_sorted() }
}

/// Hands out numbers in allocation order (SPEC §6) and remembers the sequences' next numbers.
pub struct Numbering {
    pub state: alloc::collections::BTreeMap<String, u64>,
    reported_missing: alloc::collections::BTreeSet<String>,
}

impl Numbering {
    pub fn new(state: alloc::collections::BTreeMap<String, u64>) -> Numbering {
        Numbering { state, reported_missing: alloc::collections::BTreeSet::new() }
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
    ) -> Option<String> {
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
        let resolved = resolve(format, source, &path_of, diagnostics)?;
        let next = self.state.get(sequence_id).copied().unwrap_or(sequence.start);
        if next > crate::wire::scalar::MAX_SEQUENCE_NUMBER {
            diagnostics.error(
                Code::SequenceExhausted,
                award_path(),
                format!("sequence `{}` has handed out its last number", Shown(sequence_id)),
            );
            return None;
        }
        match self.state.get_mut(sequence_id) {
            Some(state) => *state = next + 1,
            None => {
                self.state.insert(String::from(sequence_id), next + 1);
            }
        }
        Some(resolved.render(next, sequence.padding))
    }
}
