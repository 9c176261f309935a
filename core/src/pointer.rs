//! JSON Pointers (RFC 6901) into the request, as carried by errors and diagnostics.

use alloc::string::String;

/// Appends `/key` to `path`, escaping `~` and `/`.
pub fn push(path: &mut String, key: &str) {
    path.push('/');
    for c in key.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
}

/// `base` followed by `/key`, escaped.
pub fn join(base: &str, key: &str) -> String {
    let mut path = String::from(base);
    push(&mut path, key);
    path
}
