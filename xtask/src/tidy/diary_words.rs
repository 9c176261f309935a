//! The Markdown docs state facts, not when someone found them: no "this session", "last
//! session", "tonight", "this morning", "yesterday" or "Earlier:" (in any case). A date, a commit
//! or a measured figure says it better and stays true.

use super::Violation;

/// The words, lowercase; a line matches whatever its case.
const DIARY_WORDS: [&str; 6] = ["this session", "last session", "tonight", "this morning", "yesterday", "earlier:"];

/// A violation for each line of the Markdown `text` that uses a diary word.
pub fn check(path: &str, text: &str) -> Vec<Violation> {
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let lower = line.to_lowercase();
            let word = DIARY_WORDS.iter().find(|word| lower.contains(*word))?;
            Some(Violation {
                path: path.to_owned(),
                line: index + 1,
                message: format!("diary word `{word}`: state the fact (with a date or a commit if it matters)"),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_diary_word_fails_in_any_case() {
        for text in [
            "Measured This Session on a busy machine.",
            "as the last session found",
            "Tonight the corpus grew.",
            "fixed THIS MORNING",
            "Yesterday's run",
            "earlier: 12 ms",
        ] {
            let violations = check("BENCHMARKS.md", &format!("# Results\n\n{text}\n"));
            assert_eq!(violations.len(), 1, "{text}");
            assert_eq!(violations[0].line, 3);
        }
    }

    #[test]
    fn dated_facts_pass() {
        let text = "# Results\n\nMeasured 2026-11-23 at 58a3d73: earlier runs were slower.\nA session cookie.\n";
        assert!(check("BENCHMARKS.md", text).is_empty());
    }
}
