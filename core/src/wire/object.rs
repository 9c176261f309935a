//! Wire structs are JSON objects only. serde's derive also reads a struct from an array,
//! positionally (`"validity": [5, "years"]`): [`wire_struct!`] gives each struct a derived twin
//! and reads it through `deserialize_map`, so an array is an `invalid type` error.

use core::fmt;
use core::marker::PhantomData;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

/// Reads `T` (a derived struct) from a JSON object only; `expecting` names it in errors.
pub fn from_object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
    expecting: &'static str,
) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(PhantomData<T>, &'static str);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.1)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_map(ObjectVisitor(PhantomData, expecting))
}

/// Defines a wire struct read from a JSON object only (see the module docs).
///
/// The `#[serde(...)]` attributes (of the struct and of its fields) go to the hidden twin that
/// serde derives on; the other attributes (`#[cfg_attr(...)]` after the struct's `#[serde]`, and
/// after a field's `#[serde]`s) go to the public struct, e.g. the `ts_rs::TS` derive of the `ts`
/// feature, which therefore does not see the serde attributes and needs its own `ts(...)`.
macro_rules! wire_struct {
    (
        $expecting:literal, [$($derive:path),*],
        $(#[doc = $doc:literal])*
        #[serde($($serde:tt)*)]
        $(#[$outer:meta])*
        pub struct $name:ident { $(
            $(#[doc = $field_doc:literal])*
            $(#[serde($($field_serde:tt)*)])*
            $(#[cfg_attr($($field_attr:tt)*)])*
            pub $field:ident : $ty:ty
        ),* $(,)? }
    ) => {
        $(#[doc = $doc])*
        #[derive($($derive),*)]
        $(#[$outer])*
        pub struct $name { $( $(#[doc = $field_doc])* $(#[cfg_attr($($field_attr)*)])* pub $field: $ty ),* }

        const _: () = {
            #[derive(serde::Deserialize)]
            #[serde($($serde)*, expecting = $expecting)]
            struct Fields { $( $(#[serde($($field_serde)*)])* $field: $ty ),* }

            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    let fields: Fields = $crate::wire::object::from_object(d, $expecting)?;
                    Ok($name { $( $field: fields.$field ),* })
                }
            }
        };
    };
}
pub(crate) use wire_struct;

/// What `#[derive(ts_rs::TS)]` expands to names std's prelude (`String`, `format!`, `std::…`),
/// which this `no_std` crate lacks: every module that derives `TS` glob-imports this under the
/// `ts` feature (which links std for ts-rs anyway; the default build never sees it).
#[cfg(feature = "ts")]
pub(crate) mod ts_prelude {
    pub(crate) extern crate std;
    pub(crate) use std::borrow::ToOwned;
    pub(crate) use std::format;
    pub(crate) use std::string::{String, ToString};
}

/// Reads `T` (a derived unit-only enum) from a JSON string only: serde's derive also accepts
/// `{"variant": null}`. `expecting` names it in errors.
pub fn from_string<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
    d: D,
    expecting: &'static str,
) -> Result<T, D::Error> {
    struct StringVisitor<T>(PhantomData<T>, &'static str);
    impl<'de, T: serde::de::DeserializeOwned> Visitor<'de> for StringVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.1)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            T::deserialize(serde::de::IntoDeserializer::<E>::into_deserializer(v))
        }
    }
    d.deserialize_str(StringVisitor(PhantomData, expecting))
}

/// Defines a wire enum of kebab-case strings, read from a JSON string only.
macro_rules! string_enum {
    (
        $expecting:literal,
        $(#[$outer:meta])*
        pub enum $name:ident { $( $(#[$variant_attr:meta])* $variant:ident ),* $(,)? }
    ) => {
        $(#[$outer])*
        pub enum $name { $( $(#[$variant_attr])* $variant ),* }

        const _: () = {
            #[derive(serde::Deserialize)]
            #[serde(rename_all = "kebab-case")]
            enum Names { $( $variant ),* }

            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    let name: Names = $crate::wire::object::from_string(d, $expecting)?;
                    Ok(match name { $( Names::$variant => $name::$variant ),* })
                }
            }
        };
    };
}
pub(crate) use string_enum;
