//! `cargo xtask tidy`: the repository's own rules, checked on its files (in the manner of
//! rust-analyzer's tidy tests). Each rule is a module with a pure check over one file's contents,
//! unit-tested with a planted violation and a passing example:
//!
//! - `shared_references`: no file of the repository points at the workspace's shared folder
//!   outside it;
//! - `function_length`: no function in `core/src`, `host/src` or `wasm/src` is longer than
//!   120 lines;
//! - `allow_reasons`: every `allow` attribute in Rust code says why (`reason = "…"`);
//! - `wasm_budget`: the shipped `.wasm` fits its gzip budget;
//! - `diary_words`: the Markdown docs state facts, not when someone found them.
//!
//! The files are those git knows of: tracked ones, and new ones git does not ignore (so a file
//! about to be committed is checked too). Files deleted from the work tree are skipped.

mod allow_reasons;
mod diary_words;
mod function_length;
mod shared_references;
mod wasm_budget;

use std::fmt;
use std::path::Path;
use std::process::Command;

use crate::command::stdout;
use crate::Result;

/// One broken rule, at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The file, relative to the repository root, with `/` separators.
    pub path: String,
    /// The line, counted from 1.
    pub line: usize,
    /// What is wrong and what to do, lowercase.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.message)
    }
}

/// Runs every rule on the repository's files and prints each violation as `file:line: message`.
pub fn run() -> Result {
    let files = repository_files()?;
    let mut violations = Vec::new();
    for path in &files {
        let Some(bytes) = read_if_present(path)? else { continue };
        violations.extend(check_file(path, &bytes)?);
    }
    violations.extend(wasm_budget::check_shipped()?);
    for violation in &violations {
        println!("{violation}");
    }
    match violations.len() {
        0 => {
            println!("tidy: {} files, no violations", files.len());
            Ok(())
        }
        n => Err(format!("tidy found {n} violation{} (listed above)", if n == 1 { "" } else { "s" })),
    }
}

/// Every rule that applies to the file `path` with contents `bytes`.
fn check_file(path: &str, bytes: &[u8]) -> Result<Vec<Violation>> {
    let text = String::from_utf8_lossy(bytes);
    let mut violations = shared_references::check(path, &text);
    if path.ends_with(".md") {
        violations.extend(diary_words::check(path, &text));
    }
    if path.ends_with(".rs") {
        let file = syn::parse_file(&text).map_err(|e| {
            let at = e.span().start();
            format!("{path}:{}:{}: cannot parse the file: {e}", at.line, at.column + 1)
        })?;
        violations.extend(allow_reasons::check(path, &file));
        if function_length::applies_to(path) {
            violations.extend(function_length::check(path, &file));
        }
    }
    Ok(violations)
}

/// The files git knows of: tracked, and untracked but not ignored; sorted, each once.
fn repository_files() -> Result<Vec<String>> {
    let listed = stdout(Command::new("git").args(["ls-files", "--cached", "--others", "--exclude-standard"]))?;
    let mut files: Vec<String> = listed.lines().filter(|line| !line.is_empty()).map(str::to_owned).collect();
    files.sort_unstable();
    files.dedup();
    Ok(files)
}

/// The bytes of `path`, or `None` when it is no longer in the work tree.
fn read_if_present(path: &str) -> Result<Option<Vec<u8>>> {
    match std::fs::read(Path::new(path)) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        // A tracked submodule or folder git lists as a path.
        Err(_) if Path::new(path).is_dir() => Ok(None),
        Err(e) => Err(format!("cannot read {path}: {e}")),
    }
}

/// The line (from 1) of the byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes().iter().take(offset).filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_file_picks_the_rules_by_path() {
        let diary = b"Measured this morning.\n";
        assert_eq!(check_file("docs/notes.md", diary).map(|v| v.len()), Ok(1));
        assert_eq!(check_file("docs/notes.txt", diary).map(|v| v.len()), Ok(0));

        let long_fn = format!("fn long() {{\n{}}}\n", "    let _ = 1;\n".repeat(130));
        assert_eq!(check_file("core/src/long.rs", long_fn.as_bytes()).map(|v| v.len()), Ok(1));
        assert_eq!(check_file("core/tests/long.rs", long_fn.as_bytes()).map(|v| v.len()), Ok(0));
    }

    #[test]
    fn a_rust_file_that_does_not_parse_is_an_error_with_its_place() {
        let error = check_file("host/src/broken.rs", b"fn broken( {\n").err().unwrap_or_default();
        assert!(error.starts_with("host/src/broken.rs:1:"), "{error}");
    }

    #[test]
    fn line_of_counts_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }

    #[test]
    fn a_violation_prints_as_file_line_message() {
        let violation = Violation { path: "a/b.rs".into(), line: 7, message: "too long".into() };
        assert_eq!(violation.to_string(), "a/b.rs:7: too long");
    }
}
