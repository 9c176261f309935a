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
        let mut sorted: Vec<usize> = (0..ids.len()).collect();
        crate::order::sort_by(&mut sorted, |a, b| ids.get(*a).cmp(&ids.get(*b)));
        let mut rank = alloc::vec![UNRANKED; ids.len()];
        let mut next: u32 = 0;
        let mut previous: Option<&str> = None;
        for &position in &sorted {
            let id = ids.get(position).copied();
            if previous.is_some() && id != previous {
                next = next.saturating_add(1);
            }
            previous = id;
            if let Some(slot) = rank.get_mut(position) {
                *slot = next;
            }
        }
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
