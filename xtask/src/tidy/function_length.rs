//! No function in the shipped crates' sources (`core/src`, `host/src`, `wasm/src`) is longer
//! than 120 lines, counted from the line of its `fn` to the line of its closing brace: free
//! functions, methods of impls and traits, and functions nested in other functions.

use syn::spanned::Spanned;
use syn::visit::{self, Visit};

use super::Violation;

/// The longest a function may be, in lines.
pub const MAX_LINES: usize = 120;

/// The folders whose functions the rule measures.
const MEASURED: [&str; 3] = ["core/src/", "host/src/", "wasm/src/"];

/// Whether the rule measures the functions of `path`.
pub fn applies_to(path: &str) -> bool {
    MEASURED.iter().any(|folder| path.starts_with(folder))
}

/// A violation for each function of `file` longer than [`MAX_LINES`].
pub fn check(path: &str, file: &syn::File) -> Vec<Violation> {
    let mut finder = LongFunctions { path, violations: Vec::new() };
    finder.visit_file(file);
    finder.violations
}

/// Every function with a body, measured as the visit meets it.
struct LongFunctions<'a> {
    path: &'a str,
    violations: Vec<Violation>,
}

impl LongFunctions<'_> {
    /// Records a violation when the function from `sig` to `body`'s closing brace is too long.
    fn measure(&mut self, sig: &syn::Signature, body: &syn::Block) {
        let first = sig.fn_token.span().start().line;
        let last = body.brace_token.span.close().end().line;
        let lines = last.saturating_sub(first) + 1;
        if lines > MAX_LINES {
            self.violations.push(Violation {
                path: self.path.to_owned(),
                line: first,
                message: format!(
                    "function `{}` is {lines} lines long, more than {MAX_LINES}: split it into functions that each do one thing",
                    sig.ident
                ),
            });
        }
    }
}

impl<'ast> Visit<'ast> for LongFunctions<'_> {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.measure(&item.sig, &item.block);
        visit::visit_item_fn(self, item);
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.measure(&item.sig, &item.block);
        visit::visit_impl_item_fn(self, item);
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        if let Some(body) = &item.default {
            self.measure(&item.sig, body);
        }
        visit::visit_trait_item_fn(self, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A function named `name` of exactly `lines` lines, indented by `indent`.
    fn function(name: &str, lines: usize, indent: &str) -> String {
        let body = format!("{indent}    let _ = 1;\n").repeat(lines - 2);
        format!("{indent}fn {name}() {{\n{body}{indent}}}\n")
    }

    fn violations(source: &str) -> Vec<Violation> {
        let file = syn::parse_file(source).unwrap_or_else(|e| panic!("the test source parses: {e}"));
        check("core/src/example.rs", &file)
    }

    #[test]
    fn a_function_of_121_lines_fails_at_its_fn_line() {
        let source = format!("//! Example.\n\n/// Docs are not counted.\n{}", function("long", 121, ""));
        let found = violations(&source);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 4);
        assert_eq!(
            found[0].message,
            "function `long` is 121 lines long, more than 120: split it into functions that each do one thing"
        );
    }

    #[test]
    fn a_function_of_120_lines_passes() {
        assert!(violations(&function("fits", 120, "")).is_empty());
    }

    #[test]
    fn methods_of_impls_and_traits_and_nested_functions_are_measured() {
        let impl_method = format!("struct S;\nimpl S {{\n{}}}\n", function("method", 130, "    "));
        let trait_method = format!("trait T {{\n{}    fn required();\n}}\n", function("provided", 130, "    "));
        let nested = format!("fn outer() {{\n{}}}\n", function("inner", 125, "    "));
        for (source, name) in [(impl_method, "method"), (trait_method, "provided"), (nested, "inner")] {
            let found = violations(&source);
            let names: Vec<&str> = found.iter().filter_map(|v| v.message.split('`').nth(1)).collect();
            assert!(names.contains(&name), "{name}: {found:?}");
        }
    }

    #[test]
    fn only_the_shipped_crates_sources_are_measured() {
        assert!(applies_to("core/src/evaluate/mod.rs"));
        assert!(applies_to("host/src/engine/builder.rs"));
        assert!(applies_to("wasm/src/abi.rs"));
        assert!(!applies_to("core/tests/it/main.rs"));
        assert!(!applies_to("xtask/src/main.rs"));
    }
}
