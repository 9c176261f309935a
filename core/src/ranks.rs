//! Ids ranked in their sorted order. The evaluation keys its maps and sorts by rank: the same
//! order as the ids themselves (so answers are unchanged), with integer comparisons instead of
//! string comparisons on every step.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

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
}

impl<'a> ItemRanks<'a> {
    pub fn new(ids: Vec<&'a str>) -> ItemRanks<'a> {
        // Sorted by each id's first eight bytes as one integer (the packed sort), then each run
        // of equal prefixes by the whole ids (stable): the order of the ids, mostly without a
        // string comparison.
        let packed: Vec<u128> = ids.iter().map(|id| u128::from(prefix(id)) << 64).collect();
        let mut keyed: Vec<(u64, usize)> = crate::order::packed_positions(&packed)
            .into_iter()
            .map(|position| (ids.get(position).map_or(0, |id| prefix(id)), position))
            .collect();
        let mut start = 0;
        while start < keyed.len() {
            let key = keyed.get(start).map_or(0, |k| k.0);
            let end = start + keyed.get(start..).map_or(0, |rest| rest.iter().take_while(|k| k.0 == key).count());
            if end - start > 1 {
                if let Some(run) = keyed.get_mut(start..end) {
                    let mut run_positions: Vec<(u64, usize)> = run.to_vec();
                    crate::order::sort_by(&mut run_positions, |a, b| ids.get(a.1).cmp(&ids.get(b.1)));
                    run.copy_from_slice(&run_positions);
                }
            }
            start = end.max(start + 1);
        }
        let mut rank = alloc::vec![UNRANKED; ids.len()];
        let mut next: u32 = 0;
        let mut previous: Option<(u64, &str)> = None;
        for &(key, position) in &keyed {
            let id = ids.get(position).copied().unwrap_or_default();
            // Equal ids have equal prefixes: the strings are compared only when those agree.
            if previous.is_some_and(|(k, p)| k != key || p != id) {
                next = next.saturating_add(1);
            }
            previous = Some((key, id));
            if let Some(slot) = rank.get_mut(position) {
                *slot = next;
            }
        }
        let sorted: Vec<usize> = keyed.into_iter().map(|(_, position)| position).collect();
        ItemRanks { ids, sorted, rank }
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

/// The first eight bytes of `id` as a big-endian integer, zero-padded: when two prefixes differ,
/// they order as the ids do.
fn prefix(id: &str) -> u64 {
    let mut bytes = [0u8; 8];
    for (slot, byte) in bytes.iter_mut().zip(id.as_bytes()) {
        *slot = *byte;
    }
    u64::from_be_bytes(bytes)
}
