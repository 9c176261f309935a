//! No file of the repository refers to the shared folder beside the workspace (`..` then
//! `shared`): a clone of the repository alone does not have it, so such a reference is a dead
//! link or a hidden dependency. The needle is assembled at run time, so this file and its tests
//! do not contain it.

use super::{line_of, Violation};

/// The text the rule looks for: the parent folder, then `shared`.
fn needle() -> String {
    ["..", "shared"].join("/")
}

/// A violation for each line of `text` that refers to the shared folder.
pub fn check(path: &str, text: &str) -> Vec<Violation> {
    let needle = needle();
    let mut lines: Vec<usize> = text.match_indices(&needle).map(|(offset, _)| line_of(text, offset)).collect();
    lines.dedup();
    lines
        .into_iter()
        .map(|line| Violation {
            path: path.to_owned(),
            line,
            message: format!(
                "refers to `{needle}`, which is outside the repository: link a file of the repository or state the fact here"
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_to_the_shared_folder_fails_with_its_line() {
        let text = format!("# Notes\n\nSee [the spec]({}/docs/spec.md).\n", needle());
        let violations = check("docs/notes.md", &text);
        assert_eq!(violations.len(), 1);
        assert_eq!(violations[0].line, 3);
        assert!(violations[0].to_string().starts_with("docs/notes.md:3: refers to `"));
    }

    #[test]
    fn two_references_on_one_line_are_one_violation() {
        let text = format!("{0}/a and {0}/b\n", needle());
        assert_eq!(check("x.txt", &text).len(), 1);
    }

    #[test]
    fn other_relative_paths_pass() {
        assert!(check("docs/notes.md", "See [the spec](spec.md) and ../docs/abi.md; shared state.\n").is_empty());
    }
}
