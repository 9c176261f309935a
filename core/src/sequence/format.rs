//! The identifier formatter of spec.md §6: literal text and `{{merge fields}}`.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::diagnostics::{Code, Diagnostics};
use crate::wire::scalar::Shown;

/// Which awards a format serves: it decides which merge fields exist (spec.md §12).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatKind {
    /// `eventFormat`: no `path.*` fields.
    Event,
    /// `pathFormat`: no `event.*`, `course.*` or `template.*` fields.
    Path,
    /// `formatIdentifier`: every field.
    Any,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    SequenceNumber,
    CourseCode,
    CourseTitle,
    EventId,
    EventStart,
    EventCustom(String),
    TemplateCustom(String),
    PathCode,
    PathTitle,
    AwardYear,
    AwardMonth,
    AwardDay,
    AwardDate,
    LearnerId,
    ContactId,
    AchievementId,
}

impl Field {
    fn parse(name: &str, kind: FormatKind) -> Option<Field> {
        let field = match name {
            "sequence_number" => Field::SequenceNumber,
            "course.code" => Field::CourseCode,
            "course.title" => Field::CourseTitle,
            "event.id" => Field::EventId,
            "event.start" => Field::EventStart,
            "path.code" => Field::PathCode,
            "path.title" => Field::PathTitle,
            "award.year" => Field::AwardYear,
            "award.month" => Field::AwardMonth,
            "award.day" => Field::AwardDay,
            "award.date" => Field::AwardDate,
            "learner.id" => Field::LearnerId,
            "contact.id" => Field::ContactId,
            "achievement.id" => Field::AchievementId,
            _ => {
                if let Some(custom) = name.strip_prefix("event.custom.") {
                    Field::EventCustom(custom.to_string())
                } else if let Some(custom) = name.strip_prefix("template.custom.") {
                    Field::TemplateCustom(custom.to_string())
                } else {
                    return None;
                }
            }
        };
        if let Field::EventCustom(custom) | Field::TemplateCustom(custom) = &field {
            if custom.is_empty() || custom.chars().any(char::is_whitespace) {
                return None;
            }
        }
        let allowed = match kind {
            FormatKind::Any => true,
            FormatKind::Event => !matches!(field, Field::PathCode | Field::PathTitle),
            FormatKind::Path => !matches!(
                field,
                Field::CourseCode
                    | Field::CourseTitle
                    | Field::EventId
                    | Field::EventStart
                    | Field::EventCustom(_)
                    | Field::TemplateCustom(_)
            ),
        };
        allowed.then_some(field)
    }

    /// The merge field's name as written in a format.
    pub fn name(&self) -> String {
        match self {
            Field::SequenceNumber => "sequence_number".into(),
            Field::CourseCode => "course.code".into(),
            Field::CourseTitle => "course.title".into(),
            Field::EventId => "event.id".into(),
            Field::EventStart => "event.start".into(),
            Field::EventCustom(name) => format!("event.custom.{name}"),
            Field::TemplateCustom(name) => format!("template.custom.{name}"),
            Field::PathCode => "path.code".into(),
            Field::PathTitle => "path.title".into(),
            Field::AwardYear => "award.year".into(),
            Field::AwardMonth => "award.month".into(),
            Field::AwardDay => "award.day".into(),
            Field::AwardDate => "award.date".into(),
            Field::LearnerId => "learner.id".into(),
            Field::ContactId => "contact.id".into(),
            Field::AchievementId => "achievement.id".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Literal(String),
    Field(Field),
}

/// A format that passed validation: it can render identifiers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Format {
    pub pieces: Vec<Piece>,
}

/// Parses and validates `text`, reporting at `path()` (written only for a diagnostic). `None`
/// when the format has an error.
pub fn parse(text: &str, kind: FormatKind, path: &dyn Fn() -> String, diagnostics: &mut Diagnostics) -> Option<Format> {
    let trimmed = text.trim_end();
    if trimmed.len() != text.len() {
        diagnostics.warning(Code::FormatTrailingWhitespace, path(), "trailing whitespace in the format is ignored");
    }
    let pieces = match split(trimmed) {
        Ok(pieces) => pieces,
        Err(message) => {
            diagnostics.error(Code::FormatSyntax, path(), message);
            return None;
        }
    };
    let mut ok = true;
    let mut fields = Vec::new();
    let mut has_whitespace = false;
    for piece in &pieces {
        match piece {
            RawPiece::Literal(text) => has_whitespace |= text.chars().any(char::is_whitespace),
            RawPiece::Field(name) => match Field::parse(name, kind) {
                Some(field) => fields.push(Piece::Field(field)),
                None => {
                    ok = false;
                    diagnostics.error(
                        Code::FormatUnknownField,
                        path(),
                        format!("unknown merge field `{}`", Shown(name)),
                    );
                }
            },
        }
    }
    if has_whitespace {
        ok = false;
        diagnostics.error(
            Code::FormatWhitespace,
            path(),
            "the format's text contains whitespace: use `-` or another separator",
        );
    }
    if !pieces.iter().any(|p| matches!(p, RawPiece::Field(name) if *name == "sequence_number")) {
        ok = false;
        diagnostics.error(
            Code::FormatMissingSequenceNumber,
            path(),
            "the format has no `{{sequence_number}}`, so its identifiers would not be unique",
        );
    }
    if !ok {
        return None;
    }
    let mut fields = fields.into_iter();
    let pieces = pieces
        .into_iter()
        .filter_map(|piece| match piece {
            RawPiece::Literal(text) => Some(Piece::Literal(text.to_string())),
            RawPiece::Field(_) => fields.next(),
        })
        .collect();
    Some(Format { pieces })
}

enum RawPiece<'a> {
    Literal(&'a str),
    Field(&'a str),
}

/// A brace: ASCII, so the byte searches below find braces (and `}}`) at character boundaries,
/// without the char searchers of `str::find`.
fn is_brace(byte: u8) -> bool {
    byte == b'{' || byte == b'}'
}

/// Splits a format into literal text and trimmed field names; any stray brace is an error.
fn split(text: &str) -> Result<Vec<RawPiece<'_>>, String> {
    let mut pieces = Vec::new();
    let mut rest = text;
    loop {
        let next_brace = rest.bytes().position(is_brace);
        let Some(at) = next_brace else {
            if !rest.is_empty() {
                pieces.push(RawPiece::Literal(rest));
            }
            return Ok(pieces);
        };
        let (literal, tail) = rest.split_at(at);
        if !literal.is_empty() {
            pieces.push(RawPiece::Literal(literal));
        }
        let Some(inner) = tail.strip_prefix("{{") else {
            return Err(format!("unbalanced braces in the format near `{}`", Shown(tail)));
        };
        let Some(end) = inner.as_bytes().windows(2).position(|pair| pair == b"}}") else {
            return Err(format!("`{{{{` without a closing `}}}}` in the format near `{}`", Shown(tail)));
        };
        let (name, after) = inner.split_at(end);
        if name.bytes().any(is_brace) {
            return Err(format!("unbalanced braces in the format near `{}`", Shown(tail)));
        }
        let name = name.trim();
        if name.is_empty() {
            return Err("an empty merge field `{{}}` in the format".to_string());
        }
        pieces.push(RawPiece::Field(name));
        rest = after.get(2..).unwrap_or("");
    }
}
