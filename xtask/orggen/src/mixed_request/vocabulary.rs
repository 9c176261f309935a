//! The words mixed requests are made of: delivery modes, validity units, qualification codes,
//! identifier formats (well-formed and broken), merge values and groups.

pub const DELIVERIES: [&str; 5] = ["classroom", "virtual", "blended", "self-paced", "external"];
pub const UNITS: [&str; 4] = ["days", "weeks", "months", "years"];
pub const CODES: [&str; 6] = ["CPR", "MH", "IPC", "FAW", "AED", "SAL1"];
pub const EVENT_FORMATS: [&str; 9] = [
    "{{course.code}}-{{award.year}}-{{sequence_number}}",
    "{{sequence_number}}",
    "X{{award.date}}{{sequence_number}}",
    "{{ event.custom.site }}-{{sequence_number}}",
    "{{template.custom.region}}/{{award.month}}/{{sequence_number}}",
    "{{learner.id}}-{{achievement.id}}-{{sequence_number}}",
    "{{course.title}}-{{sequence_number}}",
    "{{event.id}}.{{event.start}}.{{award.day}}.{{sequence_number}}",
    "{{contact.id}}{{sequence_number}}",
];
pub const PATH_FORMATS: [&str; 4] = [
    "{{path.code}}-{{sequence_number}}",
    "{{path.title}}{{sequence_number}}",
    "{{contact.id}}-{{award.year}}-{{sequence_number}}",
    "P{{sequence_number}}",
];
/// Formats that raise diagnostics (never a fatal error).
pub const BROKEN_FORMATS: [&str; 7] = [
    "ABC",
    "{{sequence_number",
    "a b{{sequence_number}}",
    "{{sequence_number}} ",
    "{{}}",
    "{{nope}}-{{sequence_number}}",
    "{{course.code}}-{{path.code}}-{{sequence_number}}",
];
/// The merge fields a `formatIdentifier` request may give values for.
pub const MERGE_FIELDS: [&str; 7] =
    ["course.code", "course.title", "event.id", "event.start", "award.year", "learner.id", "path.code"];
/// Custom field and merge values: blanks around one, a non-ASCII letter in another.
pub const WORDS: [&str; 8] = ["Leeds", "GLA", "North East", "acme", "EU", "Zürich", "  padded ", "x"];
pub const GROUPS: [&str; 2] = ["team-a", "team-b"];
