//! Small JSON helpers that never reorder an answer's members.
//!
//! The host's `serde_json` is built without `preserve_order` (that feature would also change the
//! natively linked core), so a parsed `Value` sorts its keys. Printing therefore works on the
//! answer's bytes directly.

/// An answer envelope `{"error": {"code", "message", "path"}}` (spec.md §2).
pub fn error_envelope(code: &str, message: &str, path: &str) -> Vec<u8> {
    let error = serde_json::json!({"error": {"code": code, "message": message, "path": path}});
    // Keys come out sorted (code, message, path): the same order the core writes them.
    serde_json::to_vec(&error).unwrap_or_default()
}

/// The envelope's kind: `Some(true)` for `{"ok": ...}`, `Some(false)` for `{"error": ...}`,
/// `None` when `answer` is neither.
pub fn answer_is_ok(answer: &[u8]) -> Option<bool> {
    let start = answer.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = answer.get(start..)?;
    let after_brace = rest.strip_prefix(b"{")?;
    let key_start = after_brace.iter().position(|b| !b.is_ascii_whitespace())?;
    let key = after_brace.get(key_start..)?;
    if key.starts_with(b"\"ok\"") {
        Some(true)
    } else if key.starts_with(b"\"error\"") {
        Some(false)
    } else {
        None
    }
}

/// Re-indents valid JSON text with two spaces, keeping every token (and member order) as it is.
pub fn pretty(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.extend(std::iter::repeat_n(b' ', depth * 2));
    };
    let mut i = 0;
    while let Some(&b) = json.get(i) {
        i += 1;
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                out.push(b);
            }
            b'{' | b'[' => {
                out.push(b);
                let next =
                    json.get(i..).and_then(|r| r.iter().position(|c| !c.is_ascii_whitespace()).map(|p| (p, r[p])));
                match next {
                    Some((p, c)) if c == b'}' || c == b']' => {
                        out.push(c);
                        i += p + 1;
                    }
                    _ => {
                        depth += 1;
                        newline(&mut out, depth);
                    }
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(b);
            }
            b',' => {
                out.push(b);
                newline(&mut out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            c if c.is_ascii_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// Canonical form for comparisons: parsed and printed with sorted keys.
pub fn canonical(json: &[u8]) -> Result<String, serde_json::Error> {
    let value: serde_json::Value = serde_json::from_slice(json)?;
    serde_json::to_string(&value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_keeps_order_and_strings() {
        let text = br#"{"z":1,"a":[],"s":"a,b:{c}\"]","o":{"k":[1,2]},"e":{}}"#;
        let out = String::from_utf8(pretty(text)).unwrap();
        assert_eq!(
            out,
            "{\n  \"z\": 1,\n  \"a\": [],\n  \"s\": \"a,b:{c}\\\"]\",\n  \"o\": {\n    \"k\": [\n      1,\n      2\n    ]\n  },\n  \"e\": {}\n}"
        );
        assert_eq!(canonical(out.as_bytes()).unwrap(), canonical(text).unwrap());
    }

    #[test]
    fn envelope_kind() {
        assert_eq!(answer_is_ok(br#"{"ok":{}}"#), Some(true));
        assert_eq!(answer_is_ok(b" {\n \"error\":{}}"), Some(false));
        assert_eq!(answer_is_ok(b"[]"), None);
        assert_eq!(answer_is_ok(&error_envelope("internal", "m", "")), Some(false));
        assert_eq!(
            String::from_utf8(error_envelope("invalid-json", "x `y`", "/a")).unwrap(),
            r#"{"error":{"code":"invalid-json","message":"x `y`","path":"/a"}}"#
        );
    }
}
