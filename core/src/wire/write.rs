//! The JSON writers of answers. Every answer but `evaluate`'s is written by serde_json
//! ([`to_vec`]); `evaluate`'s, by the direct writer of `wire::write_answer` into a [`Writer`],
//! byte for byte what serde_json writes of it.
//!
//! The [`Writer`] writes serde_json's bytes: a string is copied in one piece when it needs no
//! escape (tested a word at a time), and otherwise escaped as serde_json escapes (`\"`, `\\`,
//! `\b`, `\f`, `\n`, `\r`, `\t`, `\u00XX` in lower-case hex, nothing else); integers with
//! `itoa` (serde_json's); the rare values (floats, diagnostics, revocations) by serde_json
//! itself. `tests/it/write.rs` pins the equality on both corpora and generated organisations.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::Serialize;

/// Writes `value` as compact JSON (serde_json).
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, WriteError> {
    serde_json::to_vec(value).map_err(WriteError::from)
}

/// Why an answer could not be written (a bug: answers are always writable).
#[derive(Debug)]
pub struct WriteError(String);

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl core::error::Error for WriteError {}

impl From<serde_json::Error> for WriteError {
    fn from(err: serde_json::Error) -> Self {
        WriteError(err.to_string())
    }
}

/// The direct writer's buffer (`wire::write_answer`).
pub(crate) struct Writer {
    out: Vec<u8>,
}

/// Whether serde_json escapes `byte`: control characters, `"` and `\`.
const fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Whether any of the eight bytes of `word` needs an escape.
fn word_needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    below_space | zero(quote) | zero(backslash) != 0
}

/// Whether any byte of `bytes` needs an escape, tested a word at a time: a string of four bytes
/// or more is covered by words that may overlap (an overlap tests a byte twice, which is
/// harmless), so no byte is tested alone and nothing is copied.
fn any_needs_escape(bytes: &[u8]) -> bool {
    let word = |chunk: &[u8; 8]| word_needs_escape(u64::from_le_bytes(*chunk));
    let half = |chunk: &[u8; 4]| u64::from(u32::from_le_bytes(*chunk));
    if let (Some(head), Some(tail)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        if bytes.len() < 8 {
            return word_needs_escape(half(head) | half(tail) << 32);
        }
    } else {
        return bytes.iter().any(|&byte| needs_escape(byte));
    }
    let (words, _) = bytes.as_chunks::<8>();
    words.iter().any(word) || bytes.last_chunk::<8>().is_some_and(word)
}

impl Writer {
    pub fn with_capacity(capacity: usize) -> Writer {
        Writer { out: Vec::with_capacity(capacity) }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.out
    }

    /// Appends JSON text given as a constant (punctuation and member names): inlined, so the
    /// copy's length is known where it is called and it compiles to a few fixed-size stores.
    #[inline(always)]
    pub fn constant(&mut self, json: &[u8]) {
        self.out.extend_from_slice(json);
    }

    /// Appends JSON text given as a constant, by a call: for the members of objects written a few
    /// times per answer, where the size of the code matters more than the call.
    #[inline(never)]
    pub fn constant_rare(&mut self, json: &[u8]) {
        self.out.extend_from_slice(json);
    }

    /// Writes `text` as a JSON string.
    pub fn string(&mut self, text: &str) {
        let bytes = text.as_bytes();
        self.out.reserve(bytes.len() + 2);
        self.out.push(b'"');
        match any_needs_escape(bytes) {
            false => self.out.extend_from_slice(bytes),
            true => self.escaped(bytes),
        }
        self.out.push(b'"');
    }

    /// Writes `parts` joined by `/` as one JSON string (each part escaped as [`Writer::string`]
    /// escapes, `/` itself never is).
    pub fn joined(&mut self, parts: &[&str]) {
        self.out.push(b'"');
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                self.out.push(b'/');
            }
            match any_needs_escape(part.as_bytes()) {
                false => self.out.extend_from_slice(part.as_bytes()),
                true => self.escaped(part.as_bytes()),
            }
        }
        self.out.push(b'"');
    }

    /// Writes `bytes` (from a `str`), escaping as serde_json does.
    fn escaped(&mut self, bytes: &[u8]) {
        let hex = |nibble: u8| b"0123456789abcdef".get(usize::from(nibble)).copied().unwrap_or(b'0');
        let mut start = 0;
        for (i, &byte) in bytes.iter().enumerate() {
            if !needs_escape(byte) {
                continue;
            }
            self.out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
            let short = match byte {
                b'"' => Some(b'"'),
                b'\\' => Some(b'\\'),
                0x08 => Some(b'b'),
                0x0C => Some(b'f'),
                b'\n' => Some(b'n'),
                b'\r' => Some(b'r'),
                b'\t' => Some(b't'),
                _ => None,
            };
            match short {
                Some(letter) => self.out.extend_from_slice(&[b'\\', letter]),
                None => self.out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(byte >> 4), hex(byte & 0xF)]),
            }
            start = i + 1;
        }
        self.out.extend_from_slice(bytes.get(start..).unwrap_or_default());
    }

    /// Writes an integer in decimal (`itoa`, serde_json's own).
    #[inline]
    pub fn integer<I: itoa::Integer>(&mut self, value: I) {
        self.out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    /// Writes a rare value (a float, a diagnostic, a revocation) as serde_json writes it.
    pub fn serialized<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        self.out.extend_from_slice(&serde_json::to_vec(value)?);
        Ok(())
    }
}
