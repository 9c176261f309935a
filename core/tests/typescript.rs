//! The TypeScript declarations of the wire types: renders every request and answer type (and what
//! they reference) with ts-rs into `wasm/types/laureate-types.d.ts`, which the npm package ships,
//! and fails when the committed file differs. `UPDATE_EXPECT=1` rewrites it, for a deliberate
//! change that a human then reviews in the diff.
//!
//! Run with `cargo test -p laureate-core --features ts --test typescript`.
#![expect(
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a stale declaration file should fail the test loudly; the layout slices at indices it found"
)]

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use laureate_core::wire::scalar::{Amount, Count, EveryMonths, Padding, Percent, SequenceNumber, SequenceState};
use laureate_core::wire::*;
use laureate_core::wire::{Code, Date, Diagnostic, Duration, Severity, Unit};
use laureate_core::{Error, ErrorCode};
use ts_rs::{Config, Dummy, TS};

// A mirror of the core's private `Envelope` (serialized as `{"ok": …}` / `{"error": …}`), which
// the conformance corpus pins on every surface.
/// The answer envelope of every operation (spec.md §2): the result, or the error that kept the
/// request from being answered.
#[derive(TS)]
#[expect(dead_code, reason = "only its TypeScript declaration is used")]
enum Envelope<T> {
    #[ts(rename = "ok")]
    Ok(T),
    #[ts(rename = "error")]
    Error(Error),
}

/// One declaration of the file.
struct Declaration {
    name: String,
    text: String,
    /// The names of the declared types it refers to.
    references: Vec<String>,
}

fn declaration<T: TS + ?Sized + 'static>(cfg: &Config) -> Declaration {
    let docs = T::docs().unwrap_or_default();
    Declaration {
        name: T::ident(cfg),
        text: format!("{docs}export {}\n", layout(&T::decl(cfg))),
        references: T::dependencies(cfg).into_iter().map(|dependency| dependency.ts_name).collect(),
    }
}

/// Every declaration, in the file's order: scalars, envelope and diagnostics, requests (spec.md §2),
/// rulebook (§3), evidence (§4), answers (§8 and the other operations).
fn declarations(cfg: &Config) -> Vec<Declaration> {
    macro_rules! all {
        ($($ty:ty),* $(,)?) => { vec![$(declaration::<$ty>(cfg)),*] };
    }
    all![
        // Scalars (spec.md §1)
        Date,
        Duration,
        Unit,
        Count,
        Amount,
        Padding,
        SequenceNumber,
        SequenceState,
        EveryMonths,
        Percent,
        // Envelope, errors and diagnostics (spec.md §2, §10)
        Envelope<Dummy>,
        Error,
        ErrorCode,
        Diagnostic,
        Severity,
        Code,
        // Requests (spec.md §2)
        EvaluateRequest,
        Options,
        EvidenceRequest,
        CompareRequest,
        CompareEvidenceRequest,
        ValidateRequest,
        FormatIdentifierRequest,
        CodeUsageRequest,
        RenameCodeRequest,
        ImportTrainingRecordsRequest,
        ExportTrainingRecordsRequest,
        Contact,
        // Rulebook (spec.md §3)
        Rulebook,
        Achievement,
        ValidFrom,
        ExpiryRounding,
        AchievementRenewal,
        Sequence,
        CourseTemplate,
        Delivery,
        AchievementRule,
        Event,
        Session,
        EventAchievements,
        LearningPath,
        PathStep,
        QualificationCode,
        Course,
        Certification,
        CertificationRenewal,
        RenewalBasis,
        // Evidence (spec.md §4)
        Evidence,
        Learner,
        Attendance,
        Invoice,
        InvoiceStatus,
        Online,
        ManualResult,
        ResultOutcome,
        PathEnrollment,
        TrainingRecord,
        CertificationAssignment,
        Via,
        CourseResult,
        IssuedRecord,
        CertifiedRecord,
        Revocation,
        // The evaluate answer (spec.md §8)
        EvaluateAnswer,
        EngineInfo,
        Outcome,
        Origin,
        Status,
        Source,
        WaitingOn,
        TraceEntry,
        DecidedBy,
        PathProgress,
        StepProgress,
        StepEvidence,
        StepEvidenceKind,
        CertificationProgress,
        CertificationStatus,
        Requirement,
        Holding,
        HoldingStatus,
        HistoryEntry,
        AccountHoldings,
        CertificationHolding,
        CertificationHoldingStatus,
        CertifiedEntry,
        Action,
        IssueAction,
        CertifyAction,
        NotifyAction,
        CertificationNotifyAction,
        ReminderAction,
        ReminderTrigger,
        ReviewRevokeAction,
        // The other operations' answers
        ValidateAnswer,
        FormatIdentifierAnswer,
        CodeUsageAnswer,
        CodeUsage,
        CodeUse,
        CodeUseKind,
        RenameCodeAnswer,
        ImportTrainingRecordsAnswer,
        CsvRowError,
        CsvErrorCode,
        ExportTrainingRecordsAnswer,
        // The compare answer (spec.md §14)
        CompareAnswer,
        Change,
        OutcomeChange,
        OutcomeState,
        ActionChange,
        PathChange,
        PathState,
        HoldingChange,
        HoldingState,
        CertificationChange,
        CertificationState,
        SequenceChange,
        SequenceUse,
    ]
}

/// A piece of ts-rs's one-line TypeScript.
#[derive(Clone, Copy, PartialEq)]
enum Token<'a> {
    /// A `/** … */` comment.
    Comment(&'a str),
    /// A `"…"` string literal.
    Text(&'a str),
    /// A name, keyword or number.
    Word(&'a str),
    /// Any other character but whitespace.
    Mark(char),
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while let Some(c) = rest.chars().next() {
        let end = if rest.starts_with("/*") {
            rest.find("*/").map_or(rest.len(), |i| i + 2)
        } else if c == '"' {
            rest[1..].find('"').map_or(rest.len(), |i| i + 2)
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).unwrap_or(rest.len())
        } else {
            c.len_utf8()
        };
        let (token, tail) = rest.split_at(end);
        out.push(match c {
            '/' if token.len() > 1 => Token::Comment(token),
            '"' => Token::Text(token),
            _ if token.len() > c.len_utf8() || c.is_alphanumeric() || c == '_' || c == '$' => Token::Word(token),
            _ => Token::Mark(c),
        });
        rest = tail.trim_start();
    }
    out
}

/// Writes `tokens` on one line, spaced as ts-rs spaces them.
fn inline(tokens: &[Token]) -> String {
    let mut out = String::new();
    for (i, token) in tokens.iter().enumerate() {
        let previous = i.checked_sub(1).and_then(|j| tokens.get(j));
        let tight = matches!(previous, None | Some(Token::Mark('(' | '<' | '[')))
            || matches!(token, Token::Mark(')' | '>' | ']' | ',' | ':' | ';' | '?' | '<'));
        if !tight {
            out.push(' ');
        }
        match token {
            Token::Comment(text) | Token::Text(text) | Token::Word(text) => out.push_str(text),
            Token::Mark(c) => out.push(*c),
        }
    }
    out
}

/// Lays out a ts-rs declaration (all on one line) for reading: each struct's object type at the
/// top level of the declaration gets one member per line, its doc comment above it; the small
/// objects of enums (`{ "ok": T }`) and maps stay inline.
fn layout(decl: &str) -> String {
    let tokens = tokens(decl);
    let mut out = String::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut i = 0;
    while let Some(token) = tokens.get(i) {
        match token {
            Token::Mark('{') if depth == 0 => {
                // The members of this object: split at its top-level commas.
                let mut members: Vec<&[Token]> = Vec::new();
                let (mut level, mut from, mut j) = (0usize, i + 1, i + 1);
                while let Some(token) = tokens.get(j) {
                    match token {
                        Token::Mark('{' | '(' | '<' | '[') => level += 1,
                        Token::Mark('}') if level == 0 => break,
                        Token::Mark('}' | ')' | '>' | ']') => level -= 1,
                        Token::Mark(',') if level == 0 => {
                            members.push(&tokens[from..j]);
                            from = j + 1;
                        }
                        _ => {}
                    }
                    j += 1;
                }
                if from < j {
                    members.push(&tokens[from..j]);
                }
                let documented = members.iter().any(|m| matches!(m.first(), Some(Token::Comment(_))));
                // ts-rs ends a struct's members with a comma, not an enum variant's one member.
                let a_struct = j.checked_sub(1).and_then(|k| tokens.get(k)) == Some(&Token::Mark(','));
                if members.len() > 1 || documented || a_struct {
                    out.push_str(&inline(&tokens[start..i]));
                    out.push_str(if start < i { " {\n" } else { "{\n" });
                    for member in members {
                        let (docs, member) = match member.split_first() {
                            Some((Token::Comment(docs), rest)) => (Some(*docs), rest),
                            _ => (None, member),
                        };
                        for line in docs.iter().flat_map(|docs| docs.lines()) {
                            let line = line.trim();
                            out.push_str(if line.starts_with('*') { "   " } else { "  " });
                            out.push_str(line);
                            out.push('\n');
                        }
                        out.push_str(&format!("  {};\n", inline(member)));
                    }
                    out.push('}');
                    start = j + 1;
                    i = j;
                } else {
                    depth += 1;
                }
            }
            Token::Mark('{' | '(' | '<' | '[') => depth += 1,
            Token::Mark('}' | ')' | '>' | ']') => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    if start < tokens.len() {
        let rest = inline(&tokens[start..]);
        if !out.is_empty() && !rest.starts_with(';') {
            out.push(' ');
        }
        out.push_str(&rest);
    }
    out
}

const HEADER: &str = "\
// The TypeScript types of Laureate's wire format (spec.md §2–§8), generated from laureate-core's
// Rust types by `cargo test -p laureate-core --features ts --test typescript`; UPDATE_EXPECT=1
// rewrites it. Do not edit by hand.
";

fn render() -> String {
    let cfg = Config::new();
    let declarations = declarations(&cfg);
    let declared: BTreeSet<&str> = declarations.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(declared.len(), declarations.len(), "a type is declared twice");
    for declaration in &declarations {
        for reference in &declaration.references {
            assert!(
                declared.contains(reference.as_str()),
                "`{}` refers to `{reference}`, which the file does not declare: add it to `declarations`",
                declaration.name
            );
        }
    }
    let body: Vec<&str> = declarations.iter().map(|d| d.text.as_str()).collect();
    format!("{HEADER}\n{}", body.join("\n"))
}

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../wasm/types/laureate-types.d.ts")
}

#[test]
fn no_type_is_loose() {
    let text = render();
    let code: Vec<&str> = text.lines().filter(|line| !line.trim_start().starts_with(['/', '*'])).collect();
    let code = code.join("\n");
    let tokens = tokens(&code);
    // JSON numbers are JS numbers (every integer of the wire is a safe integer), and nothing of
    // the public API is left untyped.
    for word in ["any", "bigint", "unknown", "object"] {
        let found = tokens.contains(&Token::Word(word));
        assert!(!found, "the generated declarations use `{word}`");
    }
}

#[test]
fn committed_declarations_are_up_to_date() {
    let generated = render();
    let path = committed_path();
    let committed = fs::read_to_string(&path).unwrap_or_default();
    if committed == generated {
        return;
    }
    if std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1") {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        }
        fs::write(&path, &generated).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        eprintln!("UPDATE_EXPECT=1 rewrote {}: review the diff", path.display());
        return;
    }
    let line = committed
        .lines()
        .zip(generated.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
    panic!(
        "wasm/types/laureate-types.d.ts differs from the declarations generated from the Rust types (first at \
         line {}): run `UPDATE_EXPECT=1 cargo test -p laureate-core --features ts --test typescript` and review the diff",
        line + 1
    );
}
