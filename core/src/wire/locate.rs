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
                    *key = Some(serde_json::from_slice::<String>(token).unwrap_or_else(|_| "".to_string()));
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
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}
