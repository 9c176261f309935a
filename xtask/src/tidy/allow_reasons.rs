//! Every `allow` attribute in Rust code says why: `#[allow(lint, reason = "…")]`, or better
//! `#[expect(lint, reason = "…")]`, which also fails when the lint no longer fires. An `allow`
//! inside `cfg_attr` and one in a macro's tokens count too.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

use super::Violation;

/// A violation for each `allow` attribute of `file` without a `reason`.
pub fn check(path: &str, file: &syn::File) -> Vec<Violation> {
    let mut finder = BareAllows { path, violations: Vec::new() };
    finder.visit_file(file);
    finder.violations
}

struct BareAllows<'a> {
    path: &'a str,
    violations: Vec<Violation>,
}

impl BareAllows<'_> {
    fn report(&mut self, line: usize) {
        self.violations.push(Violation {
            path: self.path.to_owned(),
            line,
            message: "`allow` without `reason = \"…\"`: say why, or use `#[expect(lint, reason = \"…\")]`".to_owned(),
        });
    }
}

impl<'ast> Visit<'ast> for BareAllows<'_> {
    fn visit_attribute(&mut self, attribute: &'ast syn::Attribute) {
        if let syn::Meta::List(list) = &attribute.meta {
            let bare = is_bare_allow(&list.path, &list.tokens)
                || (list.path.is_ident("cfg_attr") && has_bare_allow(list.tokens.clone()));
            if bare {
                self.report(attribute.span().start().line);
            }
        }
        visit::visit_attribute(self, attribute);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        for line in bare_allows_in_tokens(mac.tokens.clone()) {
            self.report(line);
        }
        visit::visit_macro(self, mac);
    }
}

/// Whether `path(tokens)` is `allow(…)` with no `reason` argument.
fn is_bare_allow(path: &syn::Path, tokens: &TokenStream) -> bool {
    path.is_ident("allow") && !names_a_reason(tokens.clone())
}

/// Whether the arguments `tokens` include `reason = …`.
fn names_a_reason(tokens: TokenStream) -> bool {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    trees.windows(2).any(|pair| match pair {
        [TokenTree::Ident(name), TokenTree::Punct(eq)] => name == "reason" && eq.as_char() == '=',
        _ => false,
    })
}

/// Whether the arguments of a `cfg_attr` (the condition, then attributes) hold a bare `allow`.
fn has_bare_allow(tokens: TokenStream) -> bool {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    trees.windows(2).any(|pair| match pair {
        [TokenTree::Ident(name), TokenTree::Group(group)] => {
            name == "allow" && group.delimiter() == Delimiter::Parenthesis && !names_a_reason(group.stream())
        }
        _ => false,
    })
}

/// The lines of the bare `allow` attributes written in a macro's tokens (`#[allow(…)]` or
/// `#![allow(…)]`), at any depth.
fn bare_allows_in_tokens(tokens: TokenStream) -> Vec<usize> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut lines = Vec::new();
    for (index, tree) in trees.iter().enumerate() {
        let TokenTree::Group(group) = tree else { continue };
        let after_pound = match index.checked_sub(1).and_then(|i| trees.get(i)) {
            Some(TokenTree::Punct(p)) if p.as_char() == '#' => true,
            Some(TokenTree::Punct(p)) if p.as_char() == '!' => {
                matches!(index.checked_sub(2).and_then(|i| trees.get(i)), Some(TokenTree::Punct(p)) if p.as_char() == '#')
            }
            _ => false,
        };
        if after_pound && group.delimiter() == Delimiter::Bracket && has_bare_allow(group.stream()) {
            lines.push(group.span().start().line);
        } else {
            lines.extend(bare_allows_in_tokens(group.stream()));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(source: &str) -> Vec<usize> {
        let file = syn::parse_file(source).unwrap_or_else(|e| panic!("the test source parses: {e}"));
        check("host/src/example.rs", &file).iter().map(|v| v.line).collect()
    }

    #[test]
    fn a_bare_allow_fails_with_its_line() {
        let source =
            "//! Example.\n#![allow(dead_code)]\n\nfn f() {\n    #[allow(unused_variables)]\n    let x = 1;\n}\n";
        assert_eq!(lines(source), [2, 5]);
    }

    #[test]
    fn a_bare_allow_on_a_field_in_cfg_attr_or_in_a_macro_fails() {
        let source = "struct S {\n    #[allow(dead_code)]\n    x: u8,\n}\n\
                      #[cfg_attr(test, allow(clippy::unwrap_used))]\nfn f() {}\n\
                      macro_rules! m {\n    () => {\n        #[allow(unused)]\n        fn g() {}\n    };\n}\n";
        assert_eq!(lines(source), [2, 5, 9]);
    }

    #[test]
    fn an_allow_with_a_reason_and_an_expect_pass() {
        let source = "#![allow(dead_code, reason = \"kept for the benchmarks\")]\n\
                      #[expect(clippy::indexing_slicing, reason = \"checked above\")]\nfn f() {}\n\
                      #[cfg_attr(test, allow(unused, reason = \"only used in tests\"))]\nfn g() {}\n\
                      /// Mentions #[allow(dead_code)] in docs only.\nfn h() { let _ = \"#[allow(x)]\"; }\n";
        assert!(lines(source).is_empty(), "{:?}", lines(source));
    }
}
