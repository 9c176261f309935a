//! The `evaluate` answer written without serde, byte for byte what `serde_json::to_vec` writes
//! of the same envelope (`{"ok": answer}`); and [`answer_struct!`] and [`answer_enum!`], which
//! declare an answer type once: from its one list of fields (or variants) come the type, its
//! `Serialize` impl, its direct writer ([`Json`]) and its TypeScript type. A new member is one
//! new field of its struct in `wire/answer.rs`.
//!
//! An answer is mostly member names, ids and dates. Through serde every member is a call that
//! copies a name of a length known only at run time (a `memcpy`, and in WebAssembly a
//! `memory.copy`), between quotes pushed one at a time; here the punctuation and the name of a
//! member are one constant (`,"learner":`), computed while compiling from the field's name and
//! copied as a few fixed-size stores. The rare values (floats that are not whole, revocations,
//! diagnostics) are written by serde_json into the same [`Writer`] (`wire::write`).
//! `tests/it/write.rs` compares the direct writer with serde_json on every `evaluate` answer of
//! both corpora, on generated organisations and on answers full of escapes and extreme numbers.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use serde::ser::SerializeStruct;
use serde::Serialize;

use super::answer::*;
use super::write::{WriteError, Writer};
use crate::calendar::{Date, DateText};

/// Writes `{"ok": answer}` into a buffer of at least `capacity` bytes.
pub fn evaluate_envelope(answer: &EvaluateAnswer, capacity: usize) -> Result<Vec<u8>, WriteError> {
    let mut writer = Writer::with_capacity(capacity);
    writer.constant(b"{\"ok\":");
    answer.json(&mut writer)?;
    writer.constant(b"}");
    Ok(writer.into_bytes())
}

/// A value that writes itself as JSON, and as a member of an object.
pub(crate) trait Json: Serialize {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError>;

    /// Writes the member `key` (`{"name":` or `,"name":`, a constant) and this value.
    #[inline(always)]
    fn member(&self, w: &mut Writer, key: &[u8]) -> Result<(), WriteError> {
        w.constant(key);
        self.json(w)
    }

    /// [`Json::member`] for the members of a `rare` answer struct: the key is copied by a call.
    #[inline(always)]
    fn member_rare(&self, w: &mut Writer, key: &[u8]) -> Result<(), WriteError> {
        w.constant_rare(key);
        self.json(w)
    }

    /// Serializes the member `name` and this value (what `#[derive(Serialize)]` writes).
    #[inline(always)]
    fn serialize_member<S: SerializeStruct>(&self, name: &'static str, object: &mut S) -> Result<(), S::Error> {
        object.serialize_field(name, self)
    }
}

/// The length of a member's key, `,"name":`, for the field `field` (see [`member_key`]).
pub const fn member_len(field: &str) -> usize {
    let bytes = field.as_bytes();
    let mut len = 4;
    let mut i = 0;
    while i < bytes.len() {
        #[expect(clippy::indexing_slicing, reason = "`i` is below the length")]
        if bytes[i] != b'_' {
            len += 1;
        }
        i += 1;
    }
    len
}

/// A member's key, `<open>"name":`, where `name` is the field `field` (snake_case) in camelCase:
/// the rule of serde's and ts-rs's `rename_all = "camelCase"` (each `_` dropped and the next
/// letter upper-cased). `open` is `{` for an object's first member, `,` for the others.
#[expect(clippy::indexing_slicing, reason = "evaluated while compiling: an index out of range fails the build")]
pub const fn member_key<const N: usize>(field: &str, open: u8) -> [u8; N] {
    let bytes = field.as_bytes();
    let mut key = [0; N];
    key[0] = open;
    key[1] = b'"';
    let mut at = 2;
    let mut upper = false;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'_' {
            upper = true;
        } else {
            key[at] = if upper { bytes[i].to_ascii_uppercase() } else { bytes[i] };
            upper = false;
            at += 1;
        }
        i += 1;
    }
    key[at] = b'"';
    key[at + 1] = b':';
    key
}

/// The name in a member's key (`,"name":` → `name`).
pub const fn member_name(key: &'static [u8]) -> &'static str {
    let (_, name) = key.split_at(2);
    let (name, _) = name.split_at(name.len().saturating_sub(2));
    ascii(name)
}

/// Declares an answer struct: its one field list gives the struct, its `Serialize` impl (the
/// members in declaration order, named in camelCase, as `#[derive(Serialize)]` with
/// `rename_all = "camelCase"` wrote), its direct writer (`Json`, each member's name and
/// punctuation one constant) and its TypeScript type (ts-rs, `rename_all = "camelCase"`). A field
/// whose type writes itself as members of its own (`Origin`: `"event": id` or `"path": id`)
/// says so in its `Json::member` and `Json::serialize_member`, and to ts-rs with `ts(flatten)`.
///
/// `answer_struct! { rare ... }` declares one written a few times per answer (rows of the
/// accounts, steps of a path, a manual decision): its member names are copied by one call each
/// (`Json::member_rare`) instead of inlined stores, which keeps the `.wasm` small.
macro_rules! answer_struct {
    (rare $($rest:tt)*) => { $crate::wire::write_answer::answer_struct!(@with member_rare; $($rest)*); };
    (@with $member:ident;
        $(#[$outer:meta])*
        pub struct $name:ident $(<$lt:lifetime>)? {
            $(#[$first_attr:meta])* pub $first:ident : $first_ty:ty
            $(, $(#[$attr:meta])* pub $field:ident : $ty:ty)* $(,)?
        }
    ) => {
        $(#[$outer])*
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase"))]
        pub struct $name $(<$lt>)? {
            $(#[$first_attr])* pub $first: $first_ty,
            $($(#[$attr])* pub $field: $ty,)*
        }

        impl $(<$lt>)? $name $(<$lt>)? {
            /// Writes the members, the first after `{` (`OPEN`) or after `,`.
            #[inline]
            pub(crate) fn write_members<const OPEN: bool>(
                &self,
                w: &mut $crate::wire::write::Writer,
            ) -> Result<(), $crate::wire::write::WriteError> {
                use $crate::wire::write_answer::{member_key, member_len, Json};
                {
                    const LEN: usize = member_len(stringify!($first));
                    const OPENING: [u8; LEN] = member_key(stringify!($first), b'{');
                    const NEXT: [u8; LEN] = member_key(stringify!($first), b',');
                    Json::$member(&self.$first, w, if OPEN { &OPENING } else { &NEXT })?;
                }
                $({
                    const KEY: [u8; member_len(stringify!($field))] = member_key(stringify!($field), b',');
                    Json::$member(&self.$field, w, &KEY)?;
                })*
                Ok(())
            }
        }

        impl $(<$lt>)? $crate::wire::write_answer::Json for $name $(<$lt>)? {
            fn json(&self, w: &mut $crate::wire::write::Writer) -> Result<(), $crate::wire::write::WriteError> {
                self.write_members::<true>(w)?;
                w.constant(b"}");
                Ok(())
            }
        }

        impl $(<$lt>)? serde::Serialize for $name $(<$lt>)? {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                use $crate::wire::write_answer::{member_key, member_len, member_name, Json};
                let members = [stringify!($first) $(, stringify!($field))*].len();
                let mut object = s.serialize_struct(stringify!($name), members)?;
                {
                    const KEY: [u8; member_len(stringify!($first))] = member_key(stringify!($first), b',');
                    const NAME: &str = member_name(&KEY);
                    Json::serialize_member(&self.$first, NAME, &mut object)?;
                }
                $({
                    const KEY: [u8; member_len(stringify!($field))] = member_key(stringify!($field), b',');
                    const NAME: &str = member_name(&KEY);
                    Json::serialize_member(&self.$field, NAME, &mut object)?;
                })*
                object.end()
            }
        }
    };
    ($($rest:tt)*) => { $crate::wire::write_answer::answer_struct!(@with member; $($rest)*); };
}
pub(crate) use answer_struct;

/// The length of a variant's JSON name between its quotes (see [`variant_quoted`]).
pub const fn variant_len(variant: &str) -> usize {
    let bytes = variant.as_bytes();
    let mut len = 2;
    let mut i = 0;
    while i < bytes.len() {
        #[expect(clippy::indexing_slicing, reason = "`i` is below the length")]
        if i > 0 && bytes[i].is_ascii_uppercase() {
            len += 1;
        }
        len += 1;
        i += 1;
    }
    len
}

/// A variant's JSON name between its quotes: its Rust name (PascalCase) in kebab-case, the rule
/// of serde's and ts-rs's `rename_all = "kebab-case"` (`NotYetValid` → `"not-yet-valid"`).
#[expect(clippy::indexing_slicing, reason = "evaluated while compiling: an index out of range fails the build")]
pub const fn variant_quoted<const N: usize>(variant: &str) -> [u8; N] {
    let bytes = variant.as_bytes();
    let mut name = [b'"'; N];
    let mut at = 1;
    let mut i = 0;
    while i < bytes.len() {
        if i > 0 && bytes[i].is_ascii_uppercase() {
            name[at] = b'-';
            at += 1;
        }
        name[at] = bytes[i].to_ascii_lowercase();
        at += 1;
        i += 1;
    }
    name
}

/// The name between the quotes of [`variant_quoted`].
pub const fn unquoted(quoted: &'static [u8]) -> &'static str {
    let (_, name) = quoted.split_at(1);
    let (name, _) = name.split_at(name.len().saturating_sub(1));
    ascii(name)
}

/// `bytes` (ASCII made by [`variant_quoted`] or [`member_key`]) as a `str`.
pub const fn ascii(bytes: &'static [u8]) -> &'static str {
    match core::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => "",
    }
}

/// Declares an answer enum of names (unit variants): its one variant list gives the enum, its
/// `as_str` (each name in kebab-case, as `#[derive(Serialize)]` with `rename_all =
/// "kebab-case"` wrote), its `Serialize` impl, its direct writer and its TypeScript type.
macro_rules! answer_enum {
    (
        $(#[$outer:meta])*
        pub enum $name:ident { $($(#[$attr:meta])* $variant:ident),* $(,)? }
    ) => {
        $(#[$outer])*
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "kebab-case"))]
        pub enum $name { $($(#[$attr])* $variant),* }

        impl $name {
            /// The name in JSON.
            pub fn as_str(self) -> &'static str {
                use $crate::wire::write_answer::{unquoted, variant_len, variant_quoted};
                match self {
                    $($name::$variant => {
                        const QUOTED: [u8; variant_len(stringify!($variant))] = variant_quoted(stringify!($variant));
                        const NAME: &str = unquoted(&QUOTED);
                        NAME
                    })*
                }
            }

            /// The name in JSON between its quotes.
            fn quoted(self) -> &'static [u8] {
                use $crate::wire::write_answer::{variant_len, variant_quoted};
                match self {
                    $($name::$variant => {
                        const QUOTED: [u8; variant_len(stringify!($variant))] = variant_quoted(stringify!($variant));
                        &QUOTED
                    })*
                }
            }
        }

        impl $crate::wire::write_answer::Json for $name {
            fn json(&self, w: &mut $crate::wire::write::Writer) -> Result<(), $crate::wire::write::WriteError> {
                w.constant(self.quoted());
                Ok(())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_unit_variant(stringify!($name), *self as u32, self.as_str())
            }
        }
    };
}
pub(crate) use answer_enum;

/// The rare values, written by serde_json.
macro_rules! serialized {
    ($($ty:ty),*) => {$(
        impl Json for $ty {
            fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
                w.serialized(self)
            }
        }
    )*};
}

serialized!(super::evidence::Revocation, crate::diagnostics::Diagnostic);

/// A percentage: a whole one as an integer, another as serde_json writes the float.
impl Json for super::scalar::Percent {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        match self.whole() {
            Some(whole) => {
                w.integer(whole);
                Ok(())
            }
            None => w.serialized(self),
        }
    }
}

/// The sequence state: `{"name":value,…}`.
impl Json for alloc::collections::BTreeMap<String, u64> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.constant(b"{");
        for (i, (name, value)) in self.iter().enumerate() {
            if i > 0 {
                w.constant(b",");
            }
            w.string(name);
            w.constant(b":");
            w.integer(*value);
        }
        w.constant(b"}");
        Ok(())
    }
}

impl Json for str {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.string(self);
        Ok(())
    }
}

impl Json for String {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.string(self);
        Ok(())
    }
}

impl Json for Text<'_> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.string(self);
        Ok(())
    }
}

impl Json for bool {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.constant(if *self { b"true" } else { b"false" });
        Ok(())
    }
}

impl Json for u32 {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.integer(u64::from(*self));
        Ok(())
    }
}

impl Json for u64 {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.integer(*self);
        Ok(())
    }
}

/// A change is its variant's members after the tag, `"kind"` (serde's `tag = "kind"`).
impl Json for Change<'_> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        match self {
            Change::Outcome(c) => {
                w.constant_rare(b"{\"kind\":\"outcome\"");
                c.write_members::<false>(w)?;
            }
            Change::ActionAdded(c) => {
                w.constant_rare(b"{\"kind\":\"action-added\"");
                c.write_members::<false>(w)?;
            }
            Change::ActionRemoved(c) => {
                w.constant_rare(b"{\"kind\":\"action-removed\"");
                c.write_members::<false>(w)?;
            }
            Change::Path(c) => {
                w.constant_rare(b"{\"kind\":\"path\"");
                c.write_members::<false>(w)?;
            }
            Change::Holding(c) => {
                w.constant_rare(b"{\"kind\":\"holding\"");
                c.write_members::<false>(w)?;
            }
            Change::Certification(c) => {
                w.constant_rare(b"{\"kind\":\"certification\"");
                c.write_members::<false>(w)?;
            }
            Change::Sequence(c) => {
                w.constant_rare(b"{\"kind\":\"sequence\"");
                c.write_members::<false>(w)?;
            }
        }
        w.constant(b"}");
        Ok(())
    }
}

/// Writes `{"ok": {"changes": [...]}}`.
pub fn compare_envelope(answer: &CompareAnswer) -> Result<Vec<u8>, WriteError> {
    let mut writer = Writer::with_capacity(4096);
    writer.constant(b"{\"ok\":{\"changes\":");
    answer.changes.json(&mut writer)?;
    writer.constant(b"}}");
    Ok(writer.into_bytes())
}

impl Json for Date {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        match self.text().as_ref().and_then(DateText::bytes) {
            Some(text) => {
                let mut quoted = [b'"'; 12];
                if let Some(inner) = quoted.get_mut(1..11) {
                    inner.copy_from_slice(text);
                }
                w.constant(&quoted);
                Ok(())
            }
            None => w.serialized(self),
        }
    }
}

impl<T: Json + ?Sized> Json for &T {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        (**self).json(w)
    }
}

impl<T: Json + ?Sized> Json for Box<T> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        (**self).json(w)
    }
}

impl<T: Json> Json for Option<T> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        match self {
            Some(value) => value.json(w),
            None => {
                w.constant(b"null");
                Ok(())
            }
        }
    }
}

/// `[a,b,…]`.
fn list<T: Json>(items: impl IntoIterator<Item = T>, w: &mut Writer) -> Result<(), WriteError> {
    w.constant(b"[");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            w.constant(b",");
        }
        item.json(w)?;
    }
    w.constant(b"]");
    Ok(())
}

impl<T: Json> Json for Vec<T> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        list(self, w)
    }
}

impl Json for WaitingOnSet {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        list(self.iter(), w)
    }
}

/// An origin is written as a member of the award that has it, in its place: `"event": id` or
/// `"path": id` (what `#[serde(flatten)]` wrote, without making serde write the award as a map).
impl Json for Origin<'_> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        self.member(w, b"{")?;
        w.constant(b"}");
        Ok(())
    }

    #[inline(always)]
    fn member(&self, w: &mut Writer, key: &[u8]) -> Result<(), WriteError> {
        let first = key.first() == Some(&b'{');
        match (self, first) {
            (Origin::Event(_), true) => w.constant(b"{\"event\":"),
            (Origin::Event(_), false) => w.constant(b",\"event\":"),
            (Origin::Path(_), true) => w.constant(b"{\"path\":"),
            (Origin::Path(_), false) => w.constant(b",\"path\":"),
        }
        w.string(self.id());
        Ok(())
    }

    #[inline(always)]
    fn member_rare(&self, w: &mut Writer, key: &[u8]) -> Result<(), WriteError> {
        self.member(w, key)
    }

    fn serialize_member<S: SerializeStruct>(&self, _: &'static str, object: &mut S) -> Result<(), S::Error> {
        match self {
            Origin::Event(id) => object.serialize_field("event", id),
            Origin::Path(id) => object.serialize_field("path", id),
        }
    }
}

impl Json for AwardKey<'_> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.joined(&[self.origin, self.learner, self.achievement]);
        Ok(())
    }
}

/// An action is its variant's members after the tag, `"action"` (serde's `tag = "action"`).
/// Never inlined: the evaluate answer's writer and `compare` (its matching and its answer) call
/// it, and one copy of it keeps the `.wasm` small.
impl Json for Action<'_> {
    #[inline(never)]
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        match self {
            Action::Issue(a) => {
                w.constant(b"{\"action\":\"issue\"");
                a.write_members::<false>(w)?;
            }
            Action::Certify(a) => {
                w.constant(b"{\"action\":\"certify\"");
                a.write_members::<false>(w)?;
            }
            Action::Notify(a) => {
                w.constant(b"{\"action\":\"notify\"");
                a.write_members::<false>(w)?;
            }
            Action::CertificationNotify(a) => {
                w.constant(b"{\"action\":\"notify\"");
                a.write_members::<false>(w)?;
            }
            Action::Reminder(a) => {
                w.constant(b"{\"action\":\"notify\"");
                a.write_members::<false>(w)?;
            }
            Action::ReviewRevoke(a) => {
                w.constant(b"{\"action\":\"review-revoke\"");
                a.write_members::<false>(w)?;
            }
        }
        w.constant(b"}");
        Ok(())
    }
}
