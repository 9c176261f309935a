//! Deterministic limits (docs/limits.md): counted in the core, so the browser and the server stop
//! at the same point for the same request. Each exceeded limit is `limit-exceeded` with the
//! JSON Pointer of the first member (in document order) that passes it.

use alloc::format;

use crate::error::{Error, ErrorCode};
use crate::wire::locate;

/// The limits a request must stay within. Hosts may raise them (see docs/limits.md); the
/// browser and the server must then use the same values to keep agreeing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The request's size in bytes.
    pub max_request_bytes: usize,
    /// The length in bytes of any string (member names included), after JSON escapes are read.
    /// Counted on the JSON text: an escape sequence counts as its text.
    pub max_string_bytes: usize,
    /// The number of items in any array and of members in any object.
    pub max_items: usize,
    /// The length in bytes of an identifier format.
    pub max_format_bytes: usize,
    /// The number of sessions of one event.
    pub max_event_sessions: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_request_bytes: 64 * 1024 * 1024,
            max_string_bytes: 16 * 1024,
            max_items: 1_000_000,
            max_format_bytes: 512,
            max_event_sessions: 1_000,
        }
    }
}

fn exceeded(message: alloc::string::String, path: alloc::string::String) -> Error {
    Error::new(ErrorCode::LimitExceeded, message, path)
}

impl Limits {
    /// Checks the request text: its size, every string's length and every array's and object's
    /// item count, in document order. Text that is not JSON is left to the reader.
    pub fn check_text(&self, bytes: &[u8]) -> Result<(), Error> {
        if bytes.len() > self.max_request_bytes {
            return Err(exceeded(
                format!("the request is {} bytes; the limit is {} bytes", bytes.len(), self.max_request_bytes),
                alloc::string::String::new(),
            ));
        }
        // Item counts of the open arrays and objects.
        let mut counts: alloc::vec::Vec<usize> = alloc::vec::Vec::new();
        let mut i = 0;
        while let Some(&byte) = bytes.get(i) {
            match byte {
                b'{' | b'[' => {
                    counts.push(0);
                    i += 1;
                    // An item starts unless the container is empty: counted at its first byte.
                    let next = bytes.get(i..).and_then(|rest| rest.iter().position(|b| !b.is_ascii_whitespace()));
                    if let Some(first) = next.and_then(|n| bytes.get(i + n)) {
                        if *first != b'}' && *first != b']' {
                            if let Some(count) = counts.last_mut() {
                                *count = 1;
                            }
                        }
                    }
                }
                b'}' | b']' => {
                    counts.pop();
                    i += 1;
                }
                b',' => {
                    if let Some(count) = counts.last_mut() {
                        *count += 1;
                        if *count > self.max_items {
                            return Err(exceeded(
                                format!("more than {} items in one array or object", self.max_items),
                                locate::pointer_at(bytes, i + 1),
                            ));
                        }
                    }
                    i += 1;
                }
                b'"' => {
                    let end = locate::string_end(bytes, i);
                    let length = end.saturating_sub(i + 2);
                    if length > self.max_string_bytes {
                        return Err(exceeded(
                            format!("a string of {length} bytes; the limit is {} bytes", self.max_string_bytes),
                            locate::pointer_at(bytes, end),
                        ));
                    }
                    i = end;
                }
                _ => i += 1,
            }
        }
        Ok(())
    }

    /// Checks an identifier format's length.
    pub fn check_format(&self, format: &str, path: &str) -> Result<(), Error> {
        if format.len() > self.max_format_bytes {
            return Err(exceeded(
                format!("a format of {} bytes; the limit is {} bytes", format.len(), self.max_format_bytes),
                path.into(),
            ));
        }
        Ok(())
    }

    /// Checks what the text scan cannot see in a rulebook: format lengths and sessions per event.
    pub fn check_rulebook(&self, rulebook: &crate::wire::Rulebook, base: &str) -> Result<(), Error> {
        for (i, sequence) in rulebook.sequences.iter().enumerate() {
            for (member, format) in [("eventFormat", &sequence.event_format), ("pathFormat", &sequence.path_format)] {
                if let Some(format) = format {
                    self.check_format(format, &format!("{base}/sequences/{i}/{member}"))?;
                }
            }
        }
        for (i, event) in rulebook.events.iter().enumerate() {
            if event.sessions.len() > self.max_event_sessions {
                return Err(exceeded(
                    format!("event has {} sessions; the limit is {}", event.sessions.len(), self.max_event_sessions),
                    format!("{base}/events/{i}/sessions/{}", self.max_event_sessions),
                ));
            }
        }
        Ok(())
    }
}
