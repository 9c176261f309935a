//! The rulebook's sequences with their formats parsed (spec.md §4).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};

use crate::diagnostics::Diagnostics;
use crate::sequence::format::{self as formatter, FormatKind};
use crate::sequence::PreparedSequence;
use crate::wire::rulebook::Rulebook;

use super::IdIndex;

/// Each sequence defined once, by id, its formats parsed (their problems reported).
pub(super) fn prepare(rb: &Rulebook, ids: &IdIndex, d: &mut Diagnostics) -> BTreeMap<String, PreparedSequence> {
    let mut sequences = BTreeMap::new();
    for (id, i) in ids.iter() {
        let Some(sequence) = rb.sequences.get(i) else { continue };
        let mut parse = |text: &Option<String>, kind, member: &str| {
            text.as_ref().map(|text| formatter::parse(text, kind, &|| format!("/rulebook/sequences/{i}/{member}"), d))
        };
        let event_format = parse(&sequence.event_format, FormatKind::Event, "eventFormat");
        let path_format = parse(&sequence.path_format, FormatKind::Path, "pathFormat");
        sequences.insert(
            id.to_string(),
            PreparedSequence {
                index: i,
                start: sequence.start.map_or(1, |s| s.0),
                padding: sequence.padding.map_or(0, |p| p.0),
                event_format,
                path_format,
            },
        );
    }
    sequences
}
