//! Holdings (spec.md §7): per contact and achievement, the history of the records made by this
//! evaluation and of the ones issued before, and the status it gives on `asOf`.

use alloc::vec::Vec;

use crate::wire::answer::{HistoryEntry, Holding, Text};
use crate::wire::evidence::IssuedRecord;

use super::awards::NewRecords;
use super::decided::Outcomes;
use super::state::Evaluation;

/// A record of a holding's history: made by this evaluation (for the outcome at this position)
/// or issued before.
#[derive(Clone, Copy)]
enum RecordSource<'a> {
    New(usize),
    Issued(&'a IssuedRecord),
}

impl<'a> RecordSource<'a> {
    fn entry(self, decided: &Outcomes<'a>) -> Option<HistoryEntry<'a>> {
        match self {
            RecordSource::New(position) => decided.get(position)?.history_entry(),
            RecordSource::Issued(record) => Some(HistoryEntry {
                id: Some(&record.id),
                achievement: &record.achievement,
                contact: &record.contact,
                learner: record.learner.as_deref(),
                event: record.event.as_deref(),
                path: record.path.as_deref(),
                awarded_on: record.awarded_on,
                valid_from: record.valid_from,
                expires_on: record.expires_on,
                identifier: record.identifier.as_deref().map(Text::Borrowed),
                revoked: record.revoked.as_ref(),
            }),
        }
    }
}

impl<'a> Evaluation<'a> {
    /// One holding per (contact, achievement) with a record. Both the new records and the
    /// issued ones come sorted by that key (the new ones in allocation order, the issued ones
    /// in id order within a key), so they are merged, not sorted again; under one key the new
    /// ones come first. A history entry is made only once its place is known, in its holding.
    /// Also each holding's contact rank (crate::ranks), for the accounts.
    pub fn holdings(&self, decided: &Outcomes<'a>, records: &NewRecords) -> (Vec<Holding<'a>>, Vec<u32>) {
        let new = records.by_holding.iter().map(|&(key, position)| (key, RecordSource::New(position)));
        let issued = self.issued.by_holder.iter().map(|(key, record)| (key, RecordSource::Issued(record)));
        let history = crate::order::merge_by_key(new, issued);
        let mut holdings = Vec::new();
        let mut contacts = Vec::new();
        for group in history.chunk_by(|a, b| a.0 == b.0) {
            let Some(((contact, _), _)) = group.first() else { continue };
            let entries: Vec<HistoryEntry<'a>> = group.iter().filter_map(|(_, source)| source.entry(decided)).collect();
            if let Some(holding) = crate::holdings::holding(entries, self.as_of, self.expiring_within_days) {
                holdings.push(holding);
                contacts.push(*contact);
            }
        }
        (holdings, contacts)
    }
}
