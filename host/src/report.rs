//! Human-readable views of an `evaluate` answer: the CLI's `--table` and `laureate demo`.
//!
//! These read the answer shapes of spec.md §8 and docs/spec.md; a member that is missing
//! shows as `-`, so a partial answer still prints.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;

/// A plain-text table with aligned columns.
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    pub fn new(headers: &[&str]) -> Table {
        Table { headers: headers.iter().map(|h| (*h).to_owned()).collect(), rows: Vec::new() }
    }

    /// Adds a row (missing cells are empty).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Whether no row was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table, each line prefixed by `indent`, ending with a newline.
    pub fn render(&self, indent: &str) -> String {
        let width = |s: &str| s.chars().count();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| width(h)).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(width(cell));
                }
            }
        }
        let mut out = String::new();
        let mut line = |cells: &[String]| {
            let mut text = String::from(indent);
            for (i, w) in widths.iter().enumerate() {
                let cell = cells.get(i).map(String::as_str).unwrap_or("");
                text.push_str(cell);
                if i + 1 < widths.len() {
                    text.extend(std::iter::repeat_n(' ', w - width(cell) + 2));
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(&self.headers);
        line(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>());
        for row in &self.rows {
            line(row);
        }
        out
    }
}

/// A member as display text: strings as they are, `null`/absent as `-`, other values as JSON.
fn text(value: &Value, key: &str) -> String {
    match value.get(key) {
        None | Some(Value::Null) => "-".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn string_list(value: &Value, key: &str) -> String {
    match value.get(key).and_then(Value::as_array) {
        Some(items) if !items.is_empty() => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))
            .collect::<Vec<_>>()
            .join(", "),
        _ => "-".to_owned(),
    }
}

fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// The `ok` result of an answer envelope.
pub fn ok_result(answer: &Value) -> Option<&Value> {
    answer.get("ok")
}

/// The outcomes of an `evaluate` answer as a table (learner, achievement, status, awarded,
/// expires, identifier, waiting on), then its accounts section. `None` when the answer is not
/// `ok`.
pub fn outcomes_table(answer: &Value) -> Option<String> {
    let result = ok_result(answer)?;
    let mut table = Table::new(&["learner", "achievement", "status", "awarded", "expires", "identifier", "waiting on"]);
    for outcome in list(result, "outcomes") {
        table.row(vec![
            text(outcome, "learner"),
            text(outcome, "achievement"),
            text(outcome, "status"),
            text(outcome, "awardedOn"),
            text(outcome, "expiresOn"),
            text(outcome, "identifier"),
            string_list(outcome, "waitingOn"),
        ]);
    }
    let outcomes = list(result, "outcomes").len();
    let mut out = table.render("");
    let _ = writeln!(out, "{outcomes} outcome{}", if outcomes == 1 { "" } else { "s" });
    write_accounts(&mut out, result, |achievement| achievement.to_owned());
    Some(out)
}

/// The accounts section: per account and achievement, its contacts by holding status, and the
/// expiring and expired ones named. `name` gives an achievement's display name.
fn write_accounts(out: &mut String, result: &Value, name: impl Fn(&str) -> String) {
    let accounts = list(result, "accounts");
    let _ = writeln!(out, "\nAccounts ({})", accounts.len());
    let mut table = Table::new(&[
        "account",
        "achievement",
        "valid",
        "expiring",
        "expired",
        "revoked",
        "not yet valid",
        "expiring contacts",
        "expired contacts",
    ]);
    for row in accounts {
        table.row(vec![
            text(row, "account"),
            name(&text(row, "achievement")),
            text(row, "valid"),
            text(row, "expiring"),
            text(row, "expired"),
            text(row, "revoked"),
            text(row, "notYetValid"),
            string_list(row, "expiringContacts"),
            string_list(row, "expiredContacts"),
        ]);
    }
    if !table.is_empty() {
        out.push_str(&table.render("  "));
    }
}

/// Display names from the request's rulebook (`id` → `name`/`title`), for the demo report.
struct Names {
    by_kind: BTreeMap<&'static str, BTreeMap<String, String>>,
}

impl Names {
    fn new(request: &Value) -> Names {
        let rulebook = request.get("rulebook").unwrap_or(&Value::Null);
        let mut by_kind = BTreeMap::new();
        for (kind, key, name) in [
            ("achievement", "achievements", "name"),
            ("template", "courseTemplates", "title"),
            ("path", "learningPaths", "title"),
            ("certification", "certifications", "name"),
            ("course", "courses", "title"),
        ] {
            let names: BTreeMap<String, String> = list(rulebook, key)
                .iter()
                .filter_map(|item| Some((item.get("id")?.as_str()?.to_owned(), item.get(name)?.as_str()?.to_owned())))
                .collect();
            by_kind.insert(kind, names);
        }
        // An event is named after its template.
        let templates = by_kind.get("template").cloned().unwrap_or_default();
        let events = list(rulebook, "events")
            .iter()
            .filter_map(|e| {
                let title = templates.get(e.get("template")?.as_str()?)?;
                Some((e.get("id")?.as_str()?.to_owned(), format!("{title} ({})", text(e, "start"))))
            })
            .collect();
        by_kind.insert("event", events);
        Names { by_kind }
    }

    fn get(&self, kind: &str, id: &str) -> String {
        self.by_kind.get(kind).and_then(|m| m.get(id)).cloned().unwrap_or_else(|| id.to_owned())
    }
}

/// Why an outcome is not awarded, from its `waitingOn` and its failed trace checks.
fn reasons(outcome: &Value) -> String {
    let mut parts = Vec::new();
    let waiting = list(outcome, "waitingOn");
    if !waiting.is_empty() {
        parts.push(format!("waiting on {}", string_list(outcome, "waitingOn")));
    }
    for check in list(outcome, "trace") {
        if check.get("ok") == Some(&Value::Bool(false)) {
            parts.push(format!(
                "{}: required {}, observed {}",
                text(check, "check"),
                text(check, "required"),
                text(check, "observed")
            ));
        }
    }
    parts.join("; ")
}

/// The demo's report of an `evaluate` answer to `request`. `engine` describes what ran it.
pub fn demo_report(request: &Value, answer: &Value, engine: &str) -> String {
    let mut out = String::new();
    let Some(result) = ok_result(answer) else {
        let _ = writeln!(out, "The engine answered with an error ({engine}):");
        let error = answer.get("error").unwrap_or(answer);
        let _ = writeln!(out, "  {}: {} (at `{}`)", text(error, "code"), text(error, "message"), text(error, "path"));
        return out;
    };
    let names = Names::new(request);
    let version = result.get("engine").map(|e| text(e, "version")).unwrap_or_else(|| "-".to_owned());
    let _ = writeln!(out, "Laureate demo: a first-aid training company, as of {}", text(result, "asOf"));
    let _ = writeln!(out, "engine {version}, run by {engine}");

    write_outcomes(&mut out, result, &names);
    write_actions(&mut out, result, &names);
    write_paths(&mut out, result, &names);
    write_certifications(&mut out, result, &names);
    write_holdings(&mut out, result, &names);
    write_accounts(&mut out, result, |achievement| names.get("achievement", achievement));
    write_sequences_and_diagnostics(&mut out, result);
    out
}

/// The outcomes, grouped by contact, each with its dates, identifier and reasons.
fn write_outcomes(out: &mut String, result: &Value, names: &Names) {
    let outcomes = list(result, "outcomes");
    let mut by_contact: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for outcome in outcomes {
        by_contact.entry(text(outcome, "contact")).or_default().push(outcome);
    }
    let count =
        |status: &str| outcomes.iter().filter(|o| o.get("status").and_then(Value::as_str) == Some(status)).count();
    let _ = writeln!(
        out,
        "\nOutcomes: {} ({} awarded, {} pending, {} failed, {} revoked) for {} people",
        outcomes.len(),
        count("awarded"),
        count("pending"),
        count("failed"),
        count("revoked"),
        by_contact.len()
    );
    for (contact, outcomes) in &by_contact {
        let _ = writeln!(out, "\n  {contact}");
        for outcome in outcomes {
            let source =
                match (outcome.get("event").and_then(Value::as_str), outcome.get("path").and_then(Value::as_str)) {
                    (Some(event), _) => names.get("event", event),
                    (None, Some(path)) => format!("path {}", names.get("path", path)),
                    _ => "-".to_owned(),
                };
            let status = text(outcome, "status");
            let _ = writeln!(
                out,
                "    {:<8} {}  [{} via {}, learner {}]",
                status.to_uppercase(),
                names.get("achievement", &text(outcome, "achievement")),
                text(outcome, "source"),
                source,
                text(outcome, "learner"),
            );
            let mut detail = Vec::new();
            if status == "revoked" {
                detail.push(format!("met, but every record is revoked (awarded {})", text(outcome, "awardedOn")));
            } else if status == "awarded" {
                detail.push(format!("awarded {}", text(outcome, "awardedOn")));
                let expires = text(outcome, "expiresOn");
                let expiry = if expires == "-" { "never expires".to_owned() } else { format!("until {expires}") };
                detail.push(format!("valid from {} {expiry}", text(outcome, "validFrom")));
                detail.push(format!("identifier {}", text(outcome, "identifier")));
            } else if outcome.get("metOn").is_some_and(|v| !v.is_null()) {
                detail.push(format!("conditions met {}", text(outcome, "metOn")));
            }
            if let Some(record) = outcome.get("record").and_then(Value::as_str) {
                detail.push(format!("already issued as record {record}"));
            }
            if let Some(by) = outcome.get("decidedBy").filter(|v| !v.is_null()) {
                detail.push(format!("decided by {} on {} ({})", text(by, "by"), text(by, "on"), text(by, "reason")));
            }
            let why = reasons(outcome);
            if !why.is_empty() {
                detail.push(why);
            }
            if !detail.is_empty() {
                let _ = writeln!(out, "             {}", detail.join(" · "));
            }
        }
    }
}

/// The actions the host carries out, one line each.
fn write_actions(out: &mut String, result: &Value, names: &Names) {
    let actions = list(result, "actions");
    let _ = writeln!(out, "\nActions for the host ({})", actions.len());
    for action in actions {
        let achievement = names.get("achievement", &text(action, "achievement"));
        let line = match action.get("action").and_then(Value::as_str) {
            Some("issue") => format!(
                "issue     {} to {}: {} (valid {} to {}, certificate {})",
                achievement,
                text(action, "contact"),
                text(action, "identifier"),
                text(action, "validFrom"),
                text(action, "expiresOn"),
                text(action, "certificate"),
            ),
            Some("certify") => format!(
                "certify   {} for {}: cycle {} completed {} (valid until {}, certificate {})",
                names.get("certification", &text(action, "certification")),
                text(action, "contact"),
                text(action, "cycle"),
                text(action, "completedOn"),
                text(action, "validUntil"),
                text(action, "certificate"),
            ),
            Some("notify") if action.get("certification").is_some() => format!(
                "notify    {} about {} cycle {} ({} on {}){}",
                text(action, "contact"),
                names.get("certification", &text(action, "certification")),
                text(action, "cycle"),
                text(action, "trigger"),
                text(action, "on"),
                if action.get("attachCertificate") == Some(&Value::Bool(true)) {
                    " (certificate attached)"
                } else {
                    ""
                }
            ),
            Some("notify") => format!(
                "notify    {} about {}{}",
                text(action, "contact"),
                achievement,
                if action.get("attachCertificate") == Some(&Value::Bool(true)) {
                    " (certificate attached)"
                } else {
                    ""
                }
            ),
            Some("review-revoke") => format!(
                "review    record {} of {} for {}: the outcome is now failed, consider revoking it",
                text(action, "record"),
                achievement,
                text(action, "contact"),
            ),
            _ => action.to_string(),
        };
        let _ = writeln!(out, "  {line}");
    }
}

/// The learning paths' progress, as a table.
fn write_paths(out: &mut String, result: &Value, names: &Names) {
    let paths = list(result, "paths");
    let _ = writeln!(out, "\nLearning paths ({})", paths.len());
    let mut table = Table::new(&["contact", "path", "steps", "progress", "completed"]);
    for row in paths {
        table.row(vec![
            text(row, "contact"),
            names.get("path", &text(row, "path")),
            format!("{}/{}", text(row, "done"), text(row, "total")),
            format!("{}%", text(row, "percent")),
            if row.get("complete") == Some(&Value::Bool(true)) { text(row, "completedOn") } else { "no".to_owned() },
        ]);
    }
    if !table.is_empty() {
        out.push_str(&table.render("  "));
    }
}

/// The certifications with their cycles and requirements, as a table.
fn write_certifications(out: &mut String, result: &Value, names: &Names) {
    let certifications = list(result, "certifications");
    let _ = writeln!(out, "\nCertifications ({})", certifications.len());
    let mut table =
        Table::new(&["contact", "certification", "status", "cycle", "completed", "valid until", "requirements"]);
    for row in certifications {
        let requirements = list(row, "requirements");
        let met = requirements.iter().filter(|r| r.get("met") == Some(&Value::Bool(true))).count();
        let grades = requirements
            .iter()
            .map(|r| format!("{} {}", names.get("course", &text(r, "course")), text(r, "bestGrade")))
            .collect::<Vec<_>>()
            .join(", ");
        let mut name = names.get("certification", &text(row, "certification"));
        if row.get("visible") == Some(&Value::Bool(false)) {
            name.push_str(" (hidden)");
        }
        table.row(vec![
            text(row, "contact"),
            name,
            text(row, "status"),
            text(row, "cycle"),
            text(row, "completedOn"),
            text(row, "validUntil"),
            format!(
                "{met}/{} met{}",
                requirements.len(),
                if grades.is_empty() { String::new() } else { format!(" (best: {grades})") }
            ),
        ]);
    }
    if !table.is_empty() {
        out.push_str(&table.render("  "));
    }
}

/// The holdings' count and those that need attention.
fn write_holdings(out: &mut String, result: &Value, names: &Names) {
    let holdings = list(result, "holdings");
    let attention: Vec<&Value> = holdings
        .iter()
        .filter(|h| {
            matches!(
                h.get("status").and_then(Value::as_str),
                Some("expiring" | "expired" | "revoked" | "not-yet-valid")
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "\nHoldings: {} (contact, achievement) pairs; {} need attention",
        holdings.len(),
        attention.len()
    );
    for holding in attention {
        let _ = writeln!(
            out,
            "  {:<14} {} of {} (valid until {})",
            text(holding, "status"),
            names.get("achievement", &text(holding, "achievement")),
            text(holding, "contact"),
            text(holding, "validUntil"),
        );
    }
}

/// The next sequence numbers and the diagnostics.
fn write_sequences_and_diagnostics(out: &mut String, result: &Value) {
    if let Some(state) = result.get("sequenceState").and_then(Value::as_object) {
        let next = state.iter().map(|(k, v)| format!("{k} → {v}")).collect::<Vec<_>>().join(", ");
        let _ = writeln!(out, "\nNext sequence numbers: {}", if next.is_empty() { "-".to_owned() } else { next });
    }
    let diagnostics = list(result, "diagnostics");
    let _ = writeln!(out, "\nDiagnostics ({})", diagnostics.len());
    for d in diagnostics {
        let _ = writeln!(
            out,
            "  {:<7} {} at {}: {}",
            text(d, "severity"),
            text(d, "code"),
            text(d, "path"),
            text(d, "message")
        );
    }
}
