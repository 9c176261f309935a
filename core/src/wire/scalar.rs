//! Scalar values of the wire format, each checking its own range while it is read (so the
//! first error in document order is the one reported).

use alloc::format;
use alloc::string::String;
use core::fmt;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::calendar::Date;
#[cfg(feature = "ts")]
use crate::wire::object::ts_prelude::*;

/// JavaScript's largest safe integer, 2^53 − 1: the largest sequence number.
pub const MAX_SEQUENCE_NUMBER: u64 = (1 << 53) - 1;
/// A `sequenceState` value meaning "exhausted": 2^53.
pub const EXHAUSTED_SEQUENCE_STATE: u64 = 1 << 53;

/// Reads a JSON integer (never a float literal) in `min..=max`.
struct IntegerVisitor {
    min: u64,
    max: u64,
    what: &'static str,
    /// When not empty, the only values allowed (checked here, so the error names the member).
    only: &'static [u64],
}

impl IntegerVisitor {
    fn out_of_range<E: de::Error>(&self) -> E {
        E::custom(format!("{} must be an integer from {} to {}", self.what, self.min, self.max))
    }
}

impl<'de> Visitor<'de> for IntegerVisitor {
    type Value = u64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} (an integer from {} to {})", self.what, self.min, self.max)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        if v < self.min || v > self.max {
            Err(self.out_of_range())
        } else if !self.only.is_empty() && !self.only.contains(&v) {
            Err(E::custom(format!("{} must be one of {:?}, not `{v}`", self.what, self.only)))
        } else {
            Ok(v)
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(self.out_of_range()),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        // serde_json reads the integer literal `-0` as the float -0.0.
        if v == 0.0 && v.is_sign_negative() {
            return self.visit_u64(0);
        }
        Err(E::custom(format!("{} must be an integer, not `{}`", self.what, PercentText(v))))
    }
}

fn read_integer<'de, D: Deserializer<'de>>(d: D, min: u64, max: u64, what: &'static str) -> Result<u64, D::Error> {
    d.deserialize_any(IntegerVisitor { min, max, what, only: &[] })
}

/// A non-negative count (`maxAbsences`, `gracePeriodDays`, …), at most 2^32 − 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "number"))]
pub struct Count(pub u32);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = read_integer(d, 0, u64::from(u32::MAX), "a count")?;
        Ok(Count(u32::try_from(v).unwrap_or(u32::MAX)))
    }
}

/// A sequence's `padding`: 0 to 20 digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "number"))]
pub struct Padding(pub u8);

impl<'de> Deserialize<'de> for Padding {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = read_integer(d, 0, 20, "padding")?;
        Ok(Padding(u8::try_from(v).unwrap_or(20)))
    }
}

/// A duration amount: at least 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "number"))]
pub struct Amount(pub u32);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = read_integer(d, 1, u64::from(u32::MAX), "a duration amount")?;
        Ok(Amount(u32::try_from(v).unwrap_or(u32::MAX)))
    }
}

/// A sequence number (`start`, `number`): 1 to 2^53 − 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "number"))]
pub struct SequenceNumber(pub u64);

impl<'de> Deserialize<'de> for SequenceNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        read_integer(d, 1, MAX_SEQUENCE_NUMBER, "a sequence number").map(SequenceNumber)
    }
}

/// A `sequenceState` value: 1 to 2^53 (2^53 = exhausted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "number"))]
pub struct SequenceState(pub u64);

impl<'de> Deserialize<'de> for SequenceState {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        read_integer(d, 1, EXHAUSTED_SEQUENCE_STATE, "a sequence state").map(SequenceState)
    }
}

/// `renewal.everyMonths` of a certification: 1, 3, 6 or 12.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "1 | 3 | 6 | 12"))]
pub struct EveryMonths(pub u32);

impl<'de> Deserialize<'de> for EveryMonths {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = d.deserialize_any(IntegerVisitor { min: 1, max: 12, what: "`everyMonths`", only: &[1, 3, 6, 12] })?;
        Ok(EveryMonths(u32::try_from(v).unwrap_or(12)))
    }
}

/// A percentage from 0 to 100 inclusive. Compared, never computed with.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "number"))]
pub struct Percent(pub f64);

struct PercentVisitor;

impl<'de> Visitor<'de> for PercentVisitor {
    type Value = Percent;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a percentage (a number from 0 to 100)")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Percent, E> {
        if v <= 100 {
            Ok(Percent(v as f64))
        } else {
            Err(E::custom(format!("a percentage must be between 0 and 100, not `{v}`")))
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Percent, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(E::custom(format!("a percentage must be between 0 and 100, not `{v}`"))),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Percent, E> {
        if (0.0..=100.0).contains(&v) {
            Ok(Percent(v))
        } else {
            Err(E::custom(format!("a percentage must be between 0 and 100, not `{}`", PercentText(v))))
        }
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PercentVisitor)
    }
}

impl Percent {
    /// The percentage as an integer when it is a whole one (`80`, also for an input of `80.0`):
    /// how the answers print it.
    pub fn whole(self) -> Option<u64> {
        (is_whole(self.0) && (0.0..=100.0).contains(&self.0)).then_some(self.0 as u64)
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.whole() {
            Some(whole) => s.serialize_u64(whole),
            None => s.serialize_f64(self.0),
        }
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        PercentText(self.0).fmt(f)
    }
}

/// Whether `v` is a whole number small enough to print exactly as an integer.
fn is_whole(v: f64) -> bool {
    v > -1e15 && v < 1e15 && (v as i64) as f64 == v
}

/// A number as the answers print it: whole numbers without a fraction.
pub struct PercentText(pub f64);

impl fmt::Display for PercentText {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if is_whole(self.0) {
            write!(f, "{}", self.0 as i64)
        } else {
            // The shortest digits that read back as the number, with zmij (serde_json's float
            // writer, so no second formatter is linked), in ryu's notation: `1e21`, not `1e+21`.
            let mut buffer = zmij::Buffer::new();
            let text = buffer.format(self.0);
            match text.split_once("e+") {
                Some((digits, exponent)) => write!(f, "{digits}e{exponent}"),
                None => f.write_str(text),
            }
        }
    }
}

/// Reads `null` as the type's default (spec.md §12: `null` means absent; lists default to empty).
pub fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(d).map(Option::unwrap_or_default)
}

/// A date, read strictly as `YYYY-MM-DD` with a year from 0001 to 9999.
impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date `YYYY-MM-DD`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).ok_or_else(|| E::custom(format!("`{}` is not a valid date `YYYY-MM-DD`", Shown(v))))
            }
        }
        d.deserialize_str(DateVisitor)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.text() {
            Some(text) => s.serialize_str(text.as_str()),
            None => s.collect_str(self),
        }
    }
}

/// A user value shown in a message: at most 40 characters, control characters escaped.
pub struct Shown<'a>(pub &'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, c) in self.0.chars().enumerate() {
            if i == 40 {
                return f.write_str("…");
            }
            if c.is_control() {
                write!(f, "{}", c.escape_default())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

/// Renders a value for a trace entry.
pub fn text(value: impl fmt::Display) -> String {
    format!("{value}")
}
