//! The records issued before this evaluation (defined once), looked up by learner and
//! achievement (spec.md §5 rule 9) and by holder, (contact, achievement) (§6 early renewal, §7
//! holdings).

use alloc::vec::Vec;

use crate::ranks::UNRANKED;
use crate::wire::evidence::IssuedRecord;

use super::state::Ids;

pub struct IssuedRecords<'a> {
    by_learner: ByLearner<'a>,
    /// By (contact rank, achievement rank), in the issued records' id order within a key.
    pub by_holder: KeyedRecords<&'a IssuedRecord>,
}

impl<'a> IssuedRecords<'a> {
    /// `issued`: the records defined once, in id order.
    pub fn new(ids: &Ids<'a>, issued: &[(usize, &'a IssuedRecord)]) -> IssuedRecords<'a> {
        let mut learner_records: Vec<(u32, &'a IssuedRecord)> = Vec::new();
        let mut learner_keys: Vec<(u32, u32)> = Vec::new();
        let mut holder_keys: Vec<(u32, u32)> = Vec::with_capacity(issued.len());
        for (k, (_, record)) in issued.iter().enumerate() {
            let achievement = ids.achievements.of(&record.achievement);
            holder_keys.push((ids.issued_contact(k), achievement));
            if let Some(learner) = record.learner.as_deref().and_then(|l| ids.participant(l)) {
                learner_keys.push((learner, achievement));
                learner_records.push((learner, record));
            }
        }
        IssuedRecords {
            by_learner: ByLearner::new(learner_records, &learner_keys),
            by_holder: KeyedRecords::new(&holder_keys, issued.iter().map(|(_, r)| *r).collect()),
        }
    }

    /// The record an outcome of `participant` (its position) and `achievement` (its rank)
    /// refers to: the latest live one by (awardedOn, id), else the latest revoked one.
    pub fn of_learner(&self, participant: usize, achievement: u32) -> Option<&'a IssuedRecord> {
        let records = self.by_learner.get(participant, achievement)?;
        records.live.or(records.revoked)
    }
}

/// The issued records of one learner and achievement.
#[derive(Default)]
struct LearnerRecords<'a> {
    /// The latest non-revoked record by (awardedOn, id).
    live: Option<&'a IssuedRecord>,
    /// The latest revoked record by (awardedOn, id).
    revoked: Option<&'a IssuedRecord>,
}

/// The issued records of each (participant position, achievement rank), sorted by that key.
struct ByLearner<'a>(Vec<((u32, u32), LearnerRecords<'a>)>);

impl<'a> ByLearner<'a> {
    /// `records[i]` (participant position, record) under `keys[i]` (participant position,
    /// achievement rank).
    fn new(mut records: Vec<(u32, &'a IssuedRecord)>, keys: &[(u32, u32)]) -> ByLearner<'a> {
        let order = crate::order::pair_positions(keys);
        let achievements: Vec<u32> = order.iter().map(|&i| keys.get(i).map_or(UNRANKED, |k| k.1)).collect();
        crate::order::permute(&mut records, &order);
        let mut grouped: Vec<((u32, u32), LearnerRecords<'a>)> = Vec::new();
        for ((participant, record), achievement) in records.into_iter().zip(achievements) {
            let key = (participant, achievement);
            if grouped.last().is_none_or(|(k, _)| *k != key) {
                grouped.push((key, LearnerRecords::default()));
            }
            if let Some((_, slot)) = grouped.last_mut() {
                let latest = if record.revoked.is_some() { &mut slot.revoked } else { &mut slot.live };
                if latest.is_none_or(|r| (r.awarded_on, &r.id) < (record.awarded_on, &record.id)) {
                    *latest = Some(record);
                }
            }
        }
        ByLearner(grouped)
    }

    fn get(&self, participant: usize, achievement: u32) -> Option<&LearnerRecords<'a>> {
        let key = (u32::try_from(participant).ok()?, achievement);
        self.0.binary_search_by_key(&key, |(k, _)| *k).ok().and_then(|i| self.0.get(i)).map(|(_, r)| r)
    }
}

/// Records grouped by a (contact rank, achievement rank) key: sorted by key, stable within one.
pub struct KeyedRecords<T> {
    keys: Vec<(u32, u32)>,
    records: Vec<T>,
}

impl<T> KeyedRecords<T> {
    /// `records[i]` under `keys[i]`.
    fn new(keys: &[(u32, u32)], mut records: Vec<T>) -> KeyedRecords<T> {
        let order = crate::order::pair_positions(keys);
        let sorted = order.iter().filter_map(|&i| keys.get(i).copied()).collect();
        crate::order::permute(&mut records, &order);
        KeyedRecords { keys: sorted, records }
    }

    /// The records under `key`, in their input order.
    pub fn get(&self, key: (u32, u32)) -> &[T] {
        let start = self.keys.partition_point(|k| *k < key);
        let end = start + self.keys.get(start..).map_or(0, |rest| rest.partition_point(|k| *k == key));
        self.records.get(start..end).unwrap_or(&[])
    }

    /// Every record with its key, in key order.
    pub fn iter(&self) -> impl Iterator<Item = ((u32, u32), &T)> {
        self.keys.iter().copied().zip(&self.records)
    }
}
