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
    /// The number of columns of a training-record CSV (`importTrainingRecords`), in its header
    /// and in any row. Its rows are at most [`Limits::max_items`] and its fields at most
    /// [`Limits::max_string_bytes`]; its `csv` member is exempt from the string limit, within the
    /// request size.
    pub max_csv_columns: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_request_bytes: 64 * 1024 * 1024,
            max_string_bytes: 16 * 1024,
            max_items: 1_000_000,
            max_format_bytes: 512,
            max_event_sessions: 1_000,
            max_csv_columns: 1_000,
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
        self.check_text_except(bytes, None)
    }

    /// [`Limits::check_text`], where the one string at the JSON Pointer `long` (the `csv` member
    /// of `importTrainingRecords`) is held to the request size only.
    pub fn check_text_except(&self, bytes: &[u8], long: Option<&str>) -> Result<(), Error> {
        if bytes.len() > self.max_request_bytes {
            return Err(exceeded(
                format!("the request is {} bytes; the limit is {} bytes", bytes.len(), self.max_request_bytes),
                alloc::string::String::new(),
            ));
        }
        if self.clearly_within(bytes) {
            return Ok(());
        }
        self.scan(bytes, long)
    }

    /// The exact check of every string and every array's and object's items, in document
    /// order: the first that passes its limit is the error.
    fn scan(&self, bytes: &[u8], mut long: Option<&str>) -> Result<(), Error> {
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
                        // The exempt member is exempt once: a second long string is refused
                        // without looking up its pointer.
                        let pointer = locate::pointer_at(bytes, end);
                        if long.take().is_some_and(|long| long == pointer) {
                            i = end;
                            continue;
                        }
                        return Err(exceeded(
                            format!("a string of {length} bytes; the limit is {} bytes", self.max_string_bytes),
                            pointer,
                        ));
                    }
                    i = end;
                }
                _ => i += 1,
            }
        }
        Ok(())
    }

    /// Whether quick passes over `bytes` prove that no string and no array or object passes its
    /// limit, so that the exact scan (which names the first member that does) is not needed.
    ///
    /// - No container has more items than the text has commas plus one (nor than it has bytes).
    /// - In text without a backslash every quote opens or closes a string, so a string is no
    ///   longer than a run of bytes without a quote. When every block of `L / 2 + 1` bytes
    ///   holds a quote, no such run is longer than `2 (L / 2 + 1) - 2 <= L` bytes (`L` the string
    ///   limit): each block costs one short search, as the first quote comes early.
    ///
    /// Text with a backslash, or where either bound is not met, is left to the exact scan.
    fn clearly_within(&self, bytes: &[u8]) -> bool {
        if bytes.contains(&b'\\') {
            return false;
        }
        let block = self.max_string_bytes / 2 + 1;
        if !bytes.chunks(block).all(|chunk| chunk.contains(&b'"')) {
            return false;
        }
        bytes.len() < self.max_items || {
            let (words, tail) = bytes.as_chunks::<8>();
            let commas = words
                .iter()
                .map(|w| locate::byte_flags(u64::from_le_bytes(*w), b',').count_ones() as usize)
                .sum::<usize>()
                + tail.iter().filter(|&&b| b == b',').count();
            commas.saturating_add(1) <= self.max_items
        }
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
                // The path is written only for the error.
                if let Some(format) = format.as_ref().filter(|format| format.len() > self.max_format_bytes) {
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

#[cfg(test)]
mod tests {
    use super::Limits;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    proptest! {
        /// The quick pass never lets through what the exact scan refuses, on texts of the bytes
        /// that matter (quotes, backslashes, commas, brackets) under small limits.
        #[test]
        fn the_quick_pass_agrees_with_the_scan(
            text in proptest::collection::vec(
                prop_oneof![Just(b'"'), Just(b'\\'), Just(b','), Just(b'['), Just(b']'), Just(b'{'), Just(b'}'), Just(b'a'), Just(b' '), Just(b'#')],
                0..48,
            ),
            max_string_bytes in 0usize..8,
            max_items in 1usize..6,
        ) {
            let limits = Limits { max_string_bytes, max_items, ..Limits::default() };
            let text: Vec<u8> = text;
            if limits.clearly_within(&text) {
                prop_assert!(limits.scan(&text, None).is_ok());
            }
            prop_assert_eq!(limits.check_text(&text), limits.scan(&text, None));
        }
    }
}
