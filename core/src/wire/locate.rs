//! Finds the JSON Pointer of a position in a request, for error messages.
//!
//! Requests are read with plain serde_json (small and fast); when reading fails, serde_json's
//! line and column say where, and this scanner walks the (well-formed up to there) text to name
//! the member at that position. One non-generic function instead of wrapping every visitor.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::pointer;

enum Frame {
    /// Inside an object: the member being read, once its key is known.
    Object { key: Option<String>, after_colon: bool },
    /// Inside an array: the position of the element being read.
    Array { index: usize },
}

/// The byte offset of serde_json's `line` (1-based) and `column` (bytes since the line's start).
pub fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    let mut lines_left = line.saturating_sub(1);
    for (i, b) in bytes.iter().enumerate() {
        if lines_left == 0 {
            break;
        }
        if *b == b'\n' {
            lines_left -= 1;
            start = i + 1;
        }
    }
    (start + column).min(bytes.len())
}

/// The JSON Pointer of the member being read at `offset`: each enclosing object's current key
/// and each enclosing array's current position.
pub fn pointer_at(bytes: &[u8], offset: usize) -> String {
    pointer(bytes, offset, false)
}

/// As [`pointer_at`], but a key read last without its value (an enum given as `{"variant": …}`)
/// is left out: the error is about the whole value.
pub fn pointer_at_value(bytes: &[u8], offset: usize) -> String {
    pointer(bytes, offset, true)
}

fn pointer(bytes: &[u8], offset: usize, value_only: bool) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    let end = offset.min(bytes.len());
    let mut i = 0;
    while i < end {
        let Some(&byte) = bytes.get(i) else { break };
        match byte {
            b'{' => {
                stack.push(Frame::Object { key: None, after_colon: false });
                i += 1;
            }
            b'[' => {
                stack.push(Frame::Array { index: 0 });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Object { key, after_colon }) => {
                        *key = None;
                        *after_colon = false;
                    }
                    Some(Frame::Array { index }) => *index += 1,
                    None => {}
                }
                i += 1;
            }
            b':' => {
                if let Some(Frame::Object { after_colon, .. }) = stack.last_mut() {
                    *after_colon = true;
                }
                i += 1;
            }
            b'"' => {
                let close = string_end(bytes, i);
                if let Some(Frame::Object { key, after_colon: false }) = stack.last_mut() {
                    let token = bytes.get(i..close).unwrap_or_default();
                    *key = Some(
                        core::str::from_utf8(token)
                            .ok()
                            .and_then(|token| serde_json::from_str::<String>(token).ok())
                            .unwrap_or_default(),
                    );
                }
                i = close;
            }
            _ => i += 1,
        }
    }
    if value_only {
        if let Some(Frame::Object { key: Some(_), after_colon: false }) = stack.last() {
            stack.pop();
        }
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), .. } => pointer::push(&mut path, key),
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => {
                path.push('/');
                path.push_str(&index.to_string());
            }
        }
    }
    path
}

/// The offset just after the string token that starts (with its quote) at `start`.
pub(crate) fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    loop {
        // Eight bytes at a time up to the next quote or backslash (most strings hold neither).
        while let Some(word) = bytes.get(i..).and_then(|rest| rest.first_chunk::<8>()) {
            match first_quote_or_backslash(u64::from_le_bytes(*word)) {
                Some(at) => {
                    i += at;
                    break;
                }
                None => i += 8,
            }
        }
        match bytes.get(i) {
            Some(b'\\') => i += 2,
            Some(b'"') => return i + 1,
            Some(_) => i += 1,
            None => return bytes.len(),
        }
    }
}

/// The position of the first `"` or `\\` among the eight bytes of `word` (little-endian: the
/// first byte lowest), if any.
fn first_quote_or_backslash(word: u64) -> Option<usize> {
    let flags = byte_flags(word, b'"') | byte_flags(word, b'\\');
    (flags != 0).then(|| (flags.trailing_zeros() / 8) as usize)
}

/// The high bit of each byte of `word` that equals `byte`, and no other bit (exact: no flag is
/// set by a borrow from a neighbouring byte).
pub(crate) fn byte_flags(word: u64, byte: u8) -> u64 {
    const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let v = word ^ (0x0101_0101_0101_0101 * u64::from(byte));
    !(((v & LOWS).wrapping_add(LOWS)) | v | LOWS)
}

#[cfg(test)]
mod tests {
    use super::string_end;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    /// The byte-at-a-time scan the word-at-a-time one must agree with.
    fn reference(bytes: &[u8], start: usize) -> usize {
        let mut i = start + 1;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\\' => i += 2,
                b'"' => return i + 1,
                _ => i += 1,
            }
        }
        bytes.len()
    }

    proptest! {
        /// Quotes, backslashes (also last), bytes one off them and bytes that set a zero test's
        /// false flags (0x01 above a match), at every position of strings shorter and longer
        /// than a word, with or without a closing quote.
        #[test]
        fn finds_the_string_end_as_a_byte_scan_does(
            body in proptest::collection::vec(
                prop_oneof![Just(b'"'), Just(b'\\'), Just(b'!'), Just(b'#'), Just(b'['), Just(b']'), Just(0x01u8), Just(0x5du8), any::<u8>(), Just(b'a')],
                0..40,
            ),
        ) {
            let mut bytes = Vec::from(&b"\""[..]);
            bytes.extend_from_slice(&body);
            prop_assert_eq!(string_end(&bytes, 0), reference(&bytes, 0));
        }
    }
}
