//! Writes answers as compact JSON, byte for byte what `serde_json::to_vec` writes, faster.
//!
//! serde_json hands its writer every fragment separately (a quote, a string's unescaped run, a
//! colon, a comma) through `io::Write`; in the WebAssembly build each of those is a call and a
//! `memory.copy`, and writing was a third of a large evaluation's time in wasmtime
//! (BENCHMARKS.md). Here punctuation is pushed byte by byte, a string is copied in one piece
//! when it needs no escape (tested a word at a time) and the names of fields and variants,
//! which never need one, are copied untested. The output is serde_json's: the same
//! escapes (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u00XX` in lower-case hex, nothing else),
//! integers in decimal, floats through serde_json itself, map keys that are strings or
//! integers (quoted), and `key must be a string` for any other key. Every corpus, hostile and
//! fuzz-replay answer pins the equality.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::ser::{self, Impossible, Serialize};

/// Writes `value` as compact JSON into a buffer of at least `capacity` bytes.
pub fn to_vec<T: Serialize + ?Sized>(value: &T, capacity: usize) -> Result<Vec<u8>, WriteError> {
    let mut writer = Writer::with_capacity(capacity);
    value.serialize(&mut writer)?;
    Ok(writer.out)
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

impl ser::Error for WriteError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        WriteError(message.to_string())
    }
}

fn key_must_be_a_string() -> WriteError {
    WriteError("key must be a string".into())
}

/// The JSON writer: serde's `Serializer` here, and the direct writer of `wire::write_answer`.
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

/// The decimal digits of a `u64`, written without the formatting machinery (answers and
/// identifiers are full of integers).
pub struct Decimal {
    buffer: [u8; 20],
    start: usize,
}

impl Decimal {
    pub fn new(mut value: u64) -> Decimal {
        let mut buffer = [b'0'; 20];
        let mut start = buffer.len();
        loop {
            start -= 1;
            if let Some(digit) = buffer.get_mut(start) {
                *digit = b'0' + (value % 10) as u8;
            }
            value /= 10;
            if value == 0 || start == 0 {
                break;
            }
        }
        Decimal { buffer, start }
    }

    /// The digits, ASCII, without leading zeros (`0` is `"0"`).
    pub fn digits(&self) -> &[u8] {
        self.buffer.get(self.start..).unwrap_or_default()
    }

    /// The digits left-padded with zeros to `width`, as far as twenty digits go.
    pub fn padded(&self, width: usize) -> &str {
        let start = self.start.min(self.buffer.len().saturating_sub(width));
        self.buffer.get(start..).and_then(|digits| core::str::from_utf8(digits).ok()).unwrap_or_default()
    }
}

impl Writer {
    pub fn with_capacity(capacity: usize) -> Writer {
        Writer { out: Vec::with_capacity(capacity) }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// Appends JSON text given as a constant (punctuation and member names): inlined, so the
    /// copy's length is known where it is called and it compiles to a few fixed-size stores.
    #[inline(always)]
    pub fn constant(&mut self, json: &[u8]) {
        self.out.extend_from_slice(json);
    }

    /// Runs `write` on this writer (the form `integers!` calls).
    fn direct(&mut self, write: impl FnOnce(&mut Writer)) -> Result<(), WriteError> {
        write(self);
        Ok(())
    }

    /// Opens `{"variant":` and then the array or object (`bracket`) of a variant's contents.
    fn open_variant(&mut self, variant: &'static str, bracket: u8) -> Compound<'_> {
        self.out.push(b'{');
        self.name(variant);
        self.out.extend_from_slice(&[b':', bracket]);
        Compound { writer: self, first: true, variant: true }
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

    /// Writes a name of the answer's types (a field, a variant): a Rust identifier or a
    /// `rename` of one, which never needs an escape.
    fn name(&mut self, name: &'static str) {
        debug_assert!(!name.bytes().any(needs_escape), "the name `{name}` needs an escape");
        self.out.reserve(name.len() + 2);
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
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

    pub fn unsigned(&mut self, value: u128) {
        // Divisions of `u64` are single instructions; of `u128`, library calls (in wasm too):
        // a larger value is written as its leading digits, then its last 19 digits.
        const TEN_TO_THE_19: u128 = 10_000_000_000_000_000_000;
        match u64::try_from(value) {
            Ok(small) => self.out.extend_from_slice(Decimal::new(small).digits()),
            Err(_) => {
                self.unsigned(value / TEN_TO_THE_19);
                let low = Decimal::new(u64::try_from(value % TEN_TO_THE_19).unwrap_or(0));
                self.out.resize(self.out.len() + 19 - low.digits().len(), b'0');
                self.out.extend_from_slice(low.digits());
            }
        }
    }

    fn signed(&mut self, value: i128) {
        if value < 0 {
            self.out.push(b'-');
        }
        self.unsigned(value.unsigned_abs());
    }

    /// A float exactly as serde_json writes it (non-finite values are `null`).
    fn float<T: Serialize>(&mut self, value: T) -> Result<(), WriteError> {
        let text = serde_json::to_vec(&value).map_err(|e| WriteError(e.to_string()))?;
        self.out.extend_from_slice(&text);
        Ok(())
    }
}

/// An array or object being written: whether an item has been written yet, and whether a
/// variant's wrapping object must be closed after it.
pub(crate) struct Compound<'a> {
    writer: &'a mut Writer,
    first: bool,
    variant: bool,
}

impl Compound<'_> {
    fn separate(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.writer.out.push(b',');
        }
    }

    fn close(self, bracket: u8) {
        self.writer.out.push(bracket);
        if self.variant {
            self.writer.out.push(b'}');
        }
    }

    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        self.separate();
        value.serialize(&mut *self.writer)
    }

    fn entry<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), WriteError> {
        self.separate();
        self.writer.name(key);
        self.writer.out.push(b':');
        value.serialize(&mut *self.writer)
    }
}

/// The ten integer methods of a `Serializer`, each writing through `self.$write(…)`.
macro_rules! integers {
    ($write:ident) => {
        integers!($write; serialize_i8: i8 => signed, serialize_i16: i16 => signed,
            serialize_i32: i32 => signed, serialize_i64: i64 => signed, serialize_i128: i128 => signed,
            serialize_u8: u8 => unsigned, serialize_u16: u16 => unsigned, serialize_u32: u32 => unsigned,
            serialize_u64: u64 => unsigned, serialize_u128: u128 => unsigned);
    };
    ($write:ident; $($method:ident: $ty:ty => $kind:ident),*) => {$(
        fn $method(self, v: $ty) -> Result<(), WriteError> {
            self.$write(|w: &mut Writer| w.$kind(v.into()))
        }
    )*};
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), WriteError> {
        self.out.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    integers!(direct);
    fn serialize_f32(self, v: f32) -> Result<(), WriteError> {
        self.float(v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), WriteError> {
        self.float(v)
    }
    fn serialize_char(self, v: char) -> Result<(), WriteError> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), WriteError> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), WriteError> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for byte in v {
            seq.serialize_element(byte)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<(), WriteError> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), WriteError> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), WriteError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), WriteError> {
        self.name(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.out.push(b'{');
        self.name(variant);
        self.out.push(b':');
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, WriteError> {
        self.out.push(b'[');
        Ok(Compound { writer: self, first: true, variant: false })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, WriteError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, WriteError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, WriteError> {
        Ok(self.open_variant(variant, b'['))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, WriteError> {
        self.out.push(b'{');
        Ok(Compound { writer: self, first: true, variant: false })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, WriteError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, WriteError> {
        Ok(self.open_variant(variant, b'{'))
    }
}

/// The compound traits whose items are values (`item`) or named fields (`entry`).
macro_rules! compound {
    ($($trait:ident: $method:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = WriteError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
                self.item(value)
            }
            fn end(self) -> Result<(), WriteError> {
                self.close(b']');
                Ok(())
            }
        }
    )*};
    (fields: $($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = WriteError;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), WriteError> {
                self.entry(key, value)
            }
            fn end(self) -> Result<(), WriteError> {
                self.close(b'}');
                Ok(())
            }
        }
    )*};
}

compound!(SerializeSeq: serialize_element, SerializeTuple: serialize_element,
    SerializeTupleStruct: serialize_field, SerializeTupleVariant: serialize_field);
compound!(fields: SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), WriteError> {
        self.separate();
        key.serialize(MapKey(&mut *self.writer))?;
        self.writer.out.push(b':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), WriteError> {
        self.close(b'}');
        Ok(())
    }
}

/// A map key: a string, or a number or boolean written as a string (as serde_json does).
pub(crate) struct MapKey<'a>(&'a mut Writer);

impl MapKey<'_> {
    fn quoted(self, write: impl FnOnce(&mut Writer)) -> Result<(), WriteError> {
        self.0.out.push(b'"');
        write(self.0);
        self.0.out.push(b'"');
        Ok(())
    }
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = Impossible<(), WriteError>;
    type SerializeTuple = Impossible<(), WriteError>;
    type SerializeTupleStruct = Impossible<(), WriteError>;
    type SerializeTupleVariant = Impossible<(), WriteError>;
    type SerializeMap = Impossible<(), WriteError>;
    type SerializeStruct = Impossible<(), WriteError>;
    type SerializeStructVariant = Impossible<(), WriteError>;

    fn serialize_str(self, v: &str) -> Result<(), WriteError> {
        self.0.string(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), WriteError> {
        self.0.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), WriteError> {
        self.0.name(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }
    fn serialize_bool(self, v: bool) -> Result<(), WriteError> {
        self.quoted(|w| w.out.extend_from_slice(if v { b"true" } else { b"false" }))
    }
    integers!(quoted);
    fn serialize_f32(self, v: f32) -> Result<(), WriteError> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), WriteError> {
        if !v.is_finite() {
            return Err(WriteError("float key must be finite (got NaN or +/-inf)".into()));
        }
        self.0.out.push(b'"');
        self.0.float(v)?;
        self.0.out.push(b'"');
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<(), WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, WriteError> {
        Err(key_must_be_a_string())
    }
}
