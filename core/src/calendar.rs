//! Calendar dates and durations (spec.md §1): month and year arithmetic clamps to the month's end,
//! and no computed date passes 9999-12-31.

use chrono::{Datelike, Days, Months, NaiveDate};
use core::fmt;

use crate::wire::object::{string_enum, wire_struct};

#[cfg(feature = "ts")]
use crate::wire::object::ts_prelude::*;
use crate::wire::scalar::Amount;

/// A calendar date from 0001-01-01 to 9999-12-31, written `YYYY-MM-DD` on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct Date(NaiveDate);

string_enum! {
    "`days`, `weeks`, `months` or `years`",
    /// The unit of a duration.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    #[cfg_attr(feature = "ts", ts(rename_all = "kebab-case"))]
    pub enum Unit {
        Days,
        Weeks,
        Months,
        Years,
    }
}

wire_struct! {
    "a duration `{\"amount\", \"unit\"}`", [Clone, Copy, Debug, PartialEq, Eq],
    /// A duration such as `{"amount": 5, "unit": "years"}`.
    #[serde(deny_unknown_fields)]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase"))]
    pub struct Duration {
        pub amount: Amount,
        pub unit: Unit,
    }
}

impl Date {
    /// The first date the engine handles.
    pub const MIN: Date = Date(NaiveDate::MIN);

    /// Reads `YYYY-MM-DD` strictly (four-digit year 0001–9999, two-digit month and day).
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return None;
        }
        let number = |range: core::ops::Range<usize>| -> Option<u32> {
            let digits = bytes.get(range)?;
            digits.iter().try_fold(0u32, |acc, b| b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0')))
        };
        let year = number(0..4)?;
        let month = number(5..7)?;
        let day = number(8..10)?;
        if year == 0 {
            return None;
        }
        Date::from_ymd(year as i32, month, day)
    }

    /// The date of `year`-`month`-`day` when it exists and lies in the engine's range.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, day).and_then(Date::checked)
    }

    fn checked(date: NaiveDate) -> Option<Date> {
        (1..=9999).contains(&date.year()).then_some(Date(date))
    }

    /// A number that orders as the dates do (for packed sort keys, `crate::order::pack`).
    pub fn rank(self) -> u32 {
        // Days from the common era span all of `i32`; flipping the sign bit keeps their order.
        (self.0.num_days_from_ce() as u32) ^ 0x8000_0000
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }
    pub fn month(self) -> u32 {
        self.0.month()
    }
    pub fn day(self) -> u32 {
        self.0.day()
    }

    /// `self + days`, or `None` past 9999-12-31.
    pub fn add_days(self, days: u64) -> Option<Date> {
        self.0.checked_add_days(Days::new(days)).and_then(Date::checked)
    }

    /// `self − days`, or `None` before 0001-01-01.
    pub fn sub_days(self, days: u64) -> Option<Date> {
        self.0.checked_sub_days(Days::new(days)).and_then(Date::checked)
    }

    /// `self + months` with end-of-month clamping, or `None` past 9999-12-31.
    pub fn add_months(self, months: u32) -> Option<Date> {
        self.0.checked_add_months(Months::new(months)).and_then(Date::checked)
    }

    /// `self − months` with end-of-month clamping, or `None` before 0001-01-01.
    pub fn sub_months(self, months: u32) -> Option<Date> {
        self.0.checked_sub_months(Months::new(months)).and_then(Date::checked)
    }

    /// `self + months` for any whole number of months, negative ones too, with end-of-month
    /// clamping; `None` outside 0001-01-01 to 9999-12-31.
    pub fn shift_months(self, months: i64) -> Option<Date> {
        let amount = u32::try_from(months.unsigned_abs()).ok()?;
        if months < 0 {
            self.sub_months(amount)
        } else {
            self.add_months(amount)
        }
    }

    /// The number of this date's month counted from January of year 0 (`year × 12 + month − 1`).
    pub fn month_index(self) -> i64 {
        i64::from(self.year()) * 12 + i64::from(self.month()) - 1
    }

    /// `self + duration` per spec.md §1.
    pub fn plus(self, duration: Duration) -> Option<Date> {
        let amount = duration.amount.0;
        match duration.unit {
            Unit::Days => self.add_days(u64::from(amount)),
            Unit::Weeks => self.add_days(u64::from(amount) * 7),
            Unit::Months => self.add_months(amount),
            Unit::Years => self.add_months(amount.checked_mul(12)?),
        }
    }

    /// The first day of the following month unless this already is a 1st.
    pub fn round_up_to_month_start(self) -> Option<Date> {
        if self.day() == 1 {
            return Some(self);
        }
        let (year, month) = if self.month() == 12 { (self.year() + 1, 1) } else { (self.year(), self.month() + 1) };
        Date::from_ymd(year, month, 1)
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.0.signed_duration_since(self.0).num_days()
    }
}

impl Date {
    /// `YYYY-MM-DD`, written digit by digit (`None` outside years 0–9999, which the reader
    /// never accepts): answers hold many dates, and `write!` is slow at this.
    pub fn text(self) -> Option<DateText> {
        let (year, month, day) = (u32::try_from(self.year()).ok()?, self.month(), self.day());
        if year > 9999 {
            return None;
        }
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let text = [
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(month / 10),
            digit(month),
            b'-',
            digit(day / 10),
            digit(day),
            b' ',
            b' ',
            b' ',
            b' ',
            b' ',
            b' ',
        ];
        Some(DateText(text))
    }
}

/// A date's `YYYY-MM-DD` in sixteen aligned bytes (the last six spaces): `str::from_utf8`
/// checks aligned pairs of words of ASCII at once, and ten bytes one at a time.
#[repr(align(8))]
pub struct DateText([u8; 16]);

impl DateText {
    /// `YYYY-MM-DD` as bytes.
    pub fn bytes(&self) -> Option<&[u8; 10]> {
        self.0.first_chunk::<10>()
    }

    /// `YYYY-MM-DD`.
    pub fn as_str(&self) -> &str {
        self.part(0..10)
    }

    /// `YYYY`.
    pub fn year(&self) -> &str {
        self.part(0..4)
    }

    /// `MM`.
    pub fn month(&self) -> &str {
        self.part(5..7)
    }

    /// `DD`.
    pub fn day(&self) -> &str {
        self.part(8..10)
    }

    fn part(&self, range: core::ops::Range<usize>) -> &str {
        core::str::from_utf8(&self.0).ok().and_then(|text| text.get(range)).unwrap_or_default()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.text() {
            Some(text) => f.write_str(text.as_str()),
            None => write!(f, "{:04}-{:02}-{:02}", self.year(), self.month(), self.day()),
        }
    }
}
