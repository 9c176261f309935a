//! The rulebook of spec.md §3, as read from a request.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::object::{string_enum, wire_struct};
#[cfg(feature = "ts")]
use crate::wire::object::ts_prelude::*;

use super::scalar::{null_as_default, Count, EveryMonths, Padding, Percent, SequenceNumber};
use crate::calendar::{Date, Duration};

/// Custom fields of a template or event: name → text.
pub type CustomFields = BTreeMap<String, String>;

wire_struct! {
    "a rulebook object", [Clone, Debug, Default],
/// An organisation's configuration (spec.md §3).
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct Rulebook {
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub achievements: Vec<Achievement>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub sequences: Vec<Sequence>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub course_templates: Vec<CourseTemplate>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub events: Vec<Event>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub learning_paths: Vec<LearningPath>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub qualification_codes: Vec<QualificationCode>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub courses: Vec<Course>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub certifications: Vec<Certification>,
    }
}

string_enum! {
    "`award-date`, `completion-date` or `event-end`",
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    #[cfg_attr(feature = "ts", ts(rename_all = "kebab-case"))]
    pub enum ValidFrom {
        #[default]
        AwardDate,
        CompletionDate,
        EventEnd,
    }
}

string_enum! {
    "`none` or `end-of-month`",
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    #[cfg_attr(feature = "ts", ts(rename_all = "kebab-case"))]
    pub enum ExpiryRounding {
        #[default]
        None,
        EndOfMonth,
    }
}

wire_struct! {
    "an achievement object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct Achievement {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub validity: Option<Duration>,
    pub valid_from: Option<ValidFrom>,
    pub expiry_rounding: Option<ExpiryRounding>,
    pub renewal: Option<AchievementRenewal>,
    pub certificate: Option<String>,
    pub sequence: Option<String>,
    }
}

wire_struct! {
    "a renewal object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct AchievementRenewal {
    pub early_window_days: Option<Count>,
    }
}

wire_struct! {
    "a sequence object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct Sequence {
    pub id: String,
    pub name: String,
    pub start: Option<SequenceNumber>,
    pub padding: Option<Padding>,
    pub event_format: Option<String>,
    pub path_format: Option<String>,
    }
}

string_enum! {
    "a delivery mode",
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    #[cfg_attr(feature = "ts", ts(rename_all = "kebab-case"))]
    pub enum Delivery {
        Classroom,
        Virtual,
        Blended,
        SelfPaced,
        External,
    }
}

wire_struct! {
    "a course template object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct CourseTemplate {
    pub id: String,
    pub code: Option<String>,
    pub title: String,
    pub delivery: Delivery,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub custom_fields: CustomFields,
    pub achievements: Vec<AchievementRule>,
    }
}

wire_struct! {
    "an achievement rule object", [Clone, Debug],
/// One achievement rule of a template or an event (spec.md §3).
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct AchievementRule {
    pub achievement: String,
    pub auto_pass: Option<bool>,
    pub max_absences: Option<Count>,
    pub min_progress: Option<Percent>,
    pub min_score: Option<Percent>,
    pub require_invoice_paid: Option<bool>,
    pub send_certificate: Option<bool>,
    pub require_approval: Option<bool>,
    }
}

wire_struct! {
    "an event object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct Event {
    pub id: String,
    pub template: String,
    pub start: Date,
    pub end: Date,
    pub delivery: Option<Delivery>,
    pub code: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub sessions: Vec<Session>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub custom_fields: CustomFields,
    pub achievements: Option<EventAchievements>,
    }
}

wire_struct! {
    "a session object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct Session {
    pub id: String,
    pub date: Date,
    pub optional: Option<bool>,
    }
}

wire_struct! {
    "an event achievements object", [Clone, Debug, Default],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct EventAchievements {
    pub inherit: Option<bool>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub remove: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub rules: Vec<AchievementRule>,
    }
}

wire_struct! {
    "a learning path object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct LearningPath {
    pub id: String,
    pub code: String,
    pub title: String,
    pub steps: Vec<PathStep>,
    pub minimum_grade: Option<Percent>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub achievements: Vec<String>,
    }
}

wire_struct! {
    "a learning path step object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct PathStep {
    pub code: String,
    pub required: Option<bool>,
    }
}

wire_struct! {
    "a qualification code object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct QualificationCode {
    pub code: String,
    pub description: Option<String>,
    }
}

wire_struct! {
    "a course object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct Course {
    pub id: String,
    pub title: String,
    pub code: Option<String>,
    pub published: Option<bool>,
    pub graded_steps: Option<Count>,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub groups: Vec<String>,
    }
}

wire_struct! {
    "a certification object", [Clone, Debug],
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
    pub struct Certification {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub invisible: Option<bool>,
    pub published: Option<bool>,
    pub retired: Option<bool>,
    pub effective_from: Date,
    pub due_date: Option<Date>,
    pub grace_period_days: Option<Count>,
    pub due_within_days: Option<Count>,
    pub renewal: Option<CertificationRenewal>,
    pub certificate: Option<String>,
    pub courses: Vec<String>,
    pub minimum_grade: Percent,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>"))]
    pub groups: Vec<String>,
    }
}

string_enum! {
    "`completion`, `expiry` or `fixed`",
    /// How a renewed cycle's `validUntil` is computed (spec.md §7, Recertification).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    #[cfg_attr(feature = "ts", ts(rename_all = "kebab-case"))]
    pub enum RenewalBasis {
        #[default]
        Completion,
        Expiry,
        Fixed,
    }
}

/// A certification's renewal (spec.md §7, Recertification). `everyMonths` may only be left out
/// when another member is given (`renewal-needs-period`): an empty object lacks `everyMonths`.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "camelCase", optional_fields = nullable))]
pub struct CertificationRenewal {
    pub every_months: Option<EveryMonths>,
    pub basis: Option<RenewalBasis>,
    pub anchor: Option<Date>,
    pub minimum_active_months: Option<Count>,
    pub window_days: Option<Count>,
    pub late_grace_days: Option<Count>,
}

const _: () = {
    use core::fmt;
    use serde::de::{value::MapAccessDeserializer, Deserialize, Deserializer, Error, MapAccess, Visitor};

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase", expecting = "a certification renewal object")]
    struct Members {
        every_months: Option<EveryMonths>,
        basis: Option<RenewalBasis>,
        anchor: Option<Date>,
        minimum_active_months: Option<Count>,
        window_days: Option<Count>,
        late_grace_days: Option<Count>,
    }

    struct RenewalVisitor;

    impl<'de> Visitor<'de> for RenewalVisitor {
        type Value = CertificationRenewal;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a certification renewal object")
        }
        // Checked inside the object, so a missing `everyMonths` is located as serde's own
        // missing members are (before the closing brace).
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CertificationRenewal, A::Error> {
            let Members { every_months, basis, anchor, minimum_active_months, window_days, late_grace_days } =
                Members::deserialize(MapAccessDeserializer::new(map))?;
            let empty = basis.is_none()
                && anchor.is_none()
                && minimum_active_months.is_none()
                && window_days.is_none()
                && late_grace_days.is_none();
            if every_months.is_none() && empty {
                return Err(A::Error::missing_field("everyMonths"));
            }
            Ok(CertificationRenewal {
                every_months,
                basis,
                anchor,
                minimum_active_months,
                window_days,
                late_grace_days,
            })
        }
    }

    impl<'de> Deserialize<'de> for CertificationRenewal {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_map(RenewalVisitor)
        }
    }
};
