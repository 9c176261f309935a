//! Qualification codes (spec.md §12, seed 004): where each code is used, and renaming one.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diagnostics::{Code, Diagnostics};
use crate::rulebook::PreparedRulebook;
use crate::wire::answer::{CodeUsage, CodeUsageAnswer, CodeUse, CodeUseKind, RenameCodeAnswer};
use crate::wire::evidence::Evidence;
use crate::wire::rulebook::Rulebook;
use crate::wire::scalar::Shown;

/// Every use of a code in the rulebook, in no particular order.
fn uses(rulebook: &Rulebook) -> Vec<(String, CodeUse)> {
    let mut uses = Vec::new();
    let mut add = |code: &str, kind, id: &str, path: String| {
        uses.push((String::from(code), CodeUse { kind, id: String::from(id), path }));
    };
    for (i, t) in rulebook.course_templates.iter().enumerate() {
        if let Some(code) = &t.code {
            add(code, CodeUseKind::CourseTemplate, &t.id, format!("/rulebook/courseTemplates/{i}/code"));
        }
    }
    for (i, e) in rulebook.events.iter().enumerate() {
        if let Some(code) = &e.code {
            add(code, CodeUseKind::Event, &e.id, format!("/rulebook/events/{i}/code"));
        }
    }
    for (i, c) in rulebook.courses.iter().enumerate() {
        if let Some(code) = &c.code {
            add(code, CodeUseKind::Course, &c.id, format!("/rulebook/courses/{i}/code"));
        }
    }
    for (i, p) in rulebook.learning_paths.iter().enumerate() {
        add(&p.code, CodeUseKind::LearningPath, &p.id, format!("/rulebook/learningPaths/{i}/code"));
        for (j, s) in p.steps.iter().enumerate() {
            add(&s.code, CodeUseKind::PathStep, &p.id, format!("/rulebook/learningPaths/{i}/steps/{j}/code"));
        }
    }
    uses
}

/// The `codeUsage` operation: each listed or used code, where it is used, and whether it can
/// be deleted.
pub fn code_usage(book: &PreparedRulebook, evidence: &Evidence) -> CodeUsageAnswer {
    let mut codes: BTreeMap<String, Vec<CodeUse>> = BTreeMap::new();
    for code in &book.rulebook.qualification_codes {
        codes.entry(code.code.clone()).or_default();
    }
    for (code, usage) in uses(&book.rulebook) {
        codes.entry(code).or_default().push(usage);
    }
    let codes = codes
        .into_iter()
        .map(|(code, mut used_in)| {
            crate::order::sort_by(&mut used_in, |a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
            let count = evidence
                .training_records
                .iter()
                .filter(|r| r.qualification_code.as_deref() == Some(code.as_str()))
                .count();
            let training_records = u32::try_from(count).unwrap_or(u32::MAX);
            let deletable = used_in.is_empty() && training_records == 0;
            CodeUsage { code, used_in, training_records, deletable }
        })
        .collect();
    CodeUsageAnswer { codes, diagnostics: book.diagnostics.clone() }
}

/// The `renameCode` operation: renames the code in the codes list, learning paths and steps;
/// lists the templates, events, courses and training records that need a hand edit.
pub fn rename_code(
    rulebook: &Rulebook,
    mut raw: serde_json::Value,
    (from, to): (&str, &str),
    evidence: &Evidence,
) -> RenameCodeAnswer {
    let all_uses = uses(rulebook);
    let exists = |code: &str| {
        rulebook.qualification_codes.iter().any(|c| c.code == code) || all_uses.iter().any(|(c, _)| c == code)
    };
    let mut d = Diagnostics::default();
    let unchanged = |raw, d: Diagnostics| RenameCodeAnswer {
        rulebook: raw,
        updated: Vec::new(),
        manual: Vec::new(),
        diagnostics: d.into_sorted(),
    };
    if from == to {
        return unchanged(raw, d);
    }
    if !exists(from) {
        d.error(Code::UnknownReference, "/from", format!("no qualification code `{}` is listed or used", Shown(from)));
        return unchanged(raw, d);
    }
    if exists(to) {
        d.error(Code::QualificationCodeDuplicate, "/to", format!("qualification code `{}` already exists", Shown(to)));
        return unchanged(raw, d);
    }
    let mut updated = Vec::new();
    let mut rename = |pointer: String, raw: &mut serde_json::Value| {
        let inner = pointer.strip_prefix("/rulebook").unwrap_or(&pointer);
        if let Some(value) = raw.pointer_mut(inner) {
            *value = serde_json::Value::String(String::from(to));
            updated.push(pointer);
        }
    };
    for (i, code) in rulebook.qualification_codes.iter().enumerate() {
        if code.code == from {
            rename(format!("/rulebook/qualificationCodes/{i}/code"), &mut raw);
        }
    }
    let mut manual = Vec::new();
    for (code, usage) in all_uses {
        if code != from {
            continue;
        }
        match usage.kind {
            CodeUseKind::LearningPath | CodeUseKind::PathStep => rename(usage.path, &mut raw),
            CodeUseKind::CourseTemplate | CodeUseKind::Event | CodeUseKind::Course | CodeUseKind::TrainingRecord => {
                manual.push(usage);
            }
        }
    }
    for (r, record) in evidence.training_records.iter().enumerate() {
        if record.qualification_code.as_deref() == Some(from) {
            manual.push(CodeUse {
                kind: CodeUseKind::TrainingRecord,
                id: record.record_id.clone(),
                path: format!("/evidence/trainingRecords/{r}/qualificationCode"),
            });
        }
    }
    crate::order::sort_by(&mut updated, |a, b| a.as_bytes().cmp(b.as_bytes()));
    crate::order::sort_by(&mut manual, |a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
    RenameCodeAnswer { rulebook: raw, updated, manual, diagnostics: d.into_sorted() }
}
