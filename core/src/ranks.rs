//! Ids ranked in their sorted order. The evaluation keys its maps and sorts by rank: the same
//! order as the ids themselves (so answers are unchanged), with integer comparisons instead of
//! string comparisons on every step.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::cmp::Ordering;

/// The rank given to an id that was not ranked: after every ranked id.
pub const UNRANKED: u32 = u32::MAX;

/// The rank of each id of a small kind (achievements, origins), `0..n` in id order.
pub struct Ranks<'a>(BTreeMap<&'a str, u32>);

impl<'a> Ranks<'a> {
    pub fn new(ids: impl Iterator<Item = &'a str>) -> Ranks<'a> {
        // Built by insertion: `collect` would add a sort routine to the `.wasm` (order.rs).
        let mut ranks: BTreeMap<&'a str, u32> = BTreeMap::new();
        for id in ids {
            ranks.insert(id, 0);
        }
        for (rank, slot) in ranks.values_mut().enumerate() {
            *slot = u32::try_from(rank).unwrap_or(UNRANKED);
        }
        Ranks(ranks)
    }

    /// The rank of `id`, or [`UNRANKED`].
    pub fn of(&self, id: &str) -> u32 {
        self.0.get(id).copied().unwrap_or(UNRANKED)
    }
}

/// A list of ids (learners, contacts, records: one per item of the evidence) with each item's
/// dense rank (equal ids, equal rank). Sorting positions is adaptive, so ids that arrive in
/// order, as exports usually do, cost one comparison each.
pub struct ItemRanks<'a> {
    ids: Vec<&'a str>,
    /// Item positions in id order (stable: equal ids by position).
    sorted: Vec<usize>,
    /// The rank of each item, by position.
    pub rank: Vec<u32>,
    /// The number of distinct ids: every rank is below it.
    pub distinct: usize,
}

impl<'a> ItemRanks<'a> {
    pub fn new(ids: Vec<&'a str>) -> ItemRanks<'a> {
        // Each id as one integer: the eight bytes after the prefix that all ids share, then how
        // long it is (up to 9: longer than those eight bytes). Sorting by these (the shared
        // packed sort) orders the ids, mostly without a string comparison: an id of eight bytes
        // or fewer after the shared prefix is a prefix of every longer id with the same bytes,
        // so it comes first, and two such ids with the same bytes and length are the same id.
        // Only runs of longer ids with the same bytes are then sorted by the whole ids (stable).
        let shared = shared_prefix(&ids);
        let keys: Vec<u128> = ids
            .iter()
            .map(|id| {
                let rest = id.as_bytes().get(shared..).unwrap_or_default();
                (u128::from(prefix(rest)) << 64) | (u128::from(rest.len().min(LONG) as u64) << 32)
            })
            .collect();
        let key = |position: usize| keys.get(position).copied().unwrap_or_default();
        let long = |key: u128| (key >> 32) & 0xF == LONG as u128;
        let mut sorted = crate::order::packed_positions(&keys);
        let mut start = 0;
        while start < sorted.len() {
            let head = sorted.get(start).map_or(0, |&p| key(p));
            let end =
                start + sorted.get(start..).map_or(0, |rest| rest.iter().take_while(|&&p| key(p) == head).count());
            if end - start > 1 && long(head) {
                if let Some(run) = sorted.get_mut(start..end) {
                    let mut by_id: Vec<usize> = run.to_vec();
                    crate::order::sort_by(&mut by_id, |a, b| ids.get(*a).cmp(&ids.get(*b)));
                    run.copy_from_slice(&by_id);
                }
            }
            start = end.max(start + 1);
        }
        let mut rank = alloc::vec![UNRANKED; ids.len()];
        let mut next: u32 = 0;
        let mut previous: Option<(u128, &str)> = None;
        for &position in &sorted {
            let (head, id) = (key(position), ids.get(position).copied().unwrap_or_default());
            // Equal ids have equal keys: long ids are compared only when those agree.
            if previous.is_some_and(|(h, p)| h != head || (long(head) && p != id)) {
                next = next.saturating_add(1);
            }
            previous = Some((head, id));
            if let Some(slot) = rank.get_mut(position) {
                *slot = next;
            }
        }
        let distinct = if previous.is_some() { next as usize + 1 } else { 0 };
        ItemRanks { ids, sorted, rank, distinct }
    }

    /// The rank of the item at `position`, or [`UNRANKED`].
    pub fn at(&self, position: usize) -> u32 {
        self.rank.get(position).copied().unwrap_or(UNRANKED)
    }

    /// The id of the item at `position` (`""` when there is none).
    pub fn id(&self, position: usize) -> &'a str {
        self.ids.get(position).copied().unwrap_or_default()
    }

    /// Positions in id order.
    pub fn sorted(&self) -> &[usize] {
        &self.sorted
    }

    /// The first position (by id order, then position) holding `id`.
    pub fn find(&self, id: &str) -> Option<usize> {
        let at = self.sorted.partition_point(|p| self.ids.get(*p).is_some_and(|x| *x < id));
        self.sorted.get(at).copied().filter(|p| self.ids.get(*p) == Some(&id))
    }
}

/// `a.cmp(b)`. Ids of up to eight bytes (session and achievement ids, mostly) are compared as
/// two integers, their zero-padded bytes and then their lengths, without a call to `memcmp`: a
/// shorter id that the padding makes equal to a longer one is a prefix of it, so it comes first.
pub fn compare_ids(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() <= 8 && b.len() <= 8 {
        prefix(a).cmp(&prefix(b)).then(a.len().cmp(&b.len()))
    } else {
        a.cmp(b)
    }
}

/// The length class of ids longer than the eight bytes a key holds.
const LONG: usize = 9;

/// The length of the longest prefix (in bytes) that every id has.
fn shared_prefix(ids: &[&str]) -> usize {
    let Some(first) = ids.first() else { return 0 };
    let mut shared = first.len();
    for id in ids {
        shared = first.as_bytes().iter().zip(id.as_bytes()).take(shared).take_while(|(a, b)| a == b).count();
        if shared == 0 {
            break;
        }
    }
    shared
}

/// The first eight bytes of `id` as a big-endian integer, zero-padded: when two prefixes differ,
/// they order as the ids do.
fn prefix(id: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    for (slot, byte) in bytes.iter_mut().zip(id) {
        *slot = *byte;
    }
    u64::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, reason = "test code: a panic is a failed test")]
    #![allow(clippy::disallowed_methods, reason = "the reference implementation sorts with the standard library")]

    use super::*;
    use alloc::string::String;
    use proptest::prelude::*;

    proptest! {
        /// Short ids, long ids and ids with NUL bytes (which pad a short id's integer) compare as
        /// the strings do.
        #[test]
        fn ids_compare_as_strings(a in "[a\\x00b]{0,10}", b in "[a\\x00b]{0,10}") {
            prop_assert_eq!(compare_ids(&a, &b), a.cmp(&b));
            prop_assert_eq!(compare_ids(&a, &a), Ordering::Equal);
        }
    }

    proptest! {
        /// Ids with a shared start or not, short or longer than a key's eight bytes, with NUL
        /// bytes (which pad a key) and repeats: positions in `(id, position)` order and dense
        /// ranks in id order.
        #[test]
        fn ranks_follow_the_ids(
            start in prop_oneof![Just(String::new()), Just(String::from("learner-")), Just(String::from("k"))],
            tails in proptest::collection::vec(prop_oneof!["[a\\x00b]{0,11}", "aaaaaaaa[a\\x00b]{0,3}"], 0..40),
            repeat in 0usize..10,
        ) {
            let mut ids: Vec<String> = tails.iter().map(|t| alloc::format!("{start}{t}")).collect();
            let copies: Vec<String> = ids.iter().take(repeat).cloned().collect();
            ids.extend(copies);
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            let ranks = ItemRanks::new(refs.clone());
            let mut expected: Vec<usize> = (0..refs.len()).collect();
            expected.sort_by_key(|&i| (refs[i], i));
            prop_assert_eq!(ranks.sorted(), expected.as_slice());
            let mut distinct: Vec<&str> = refs.clone();
            distinct.sort_unstable();
            distinct.dedup();
            for (i, id) in refs.iter().enumerate() {
                let rank = distinct.binary_search(id).map(|r| r as u32).ok();
                prop_assert_eq!(Some(ranks.at(i)), rank);
                prop_assert_eq!(ranks.find(id).map(|p| refs[p]), Some(*id));
            }
        }
    }
}
