//! Sorting for answers. Every list of an answer is sorted through [`sort_by`], which runs one
//! shared, non-generic stable sort over positions: one sort routine in the `.wasm` instead of one
//! per element type (they made up a sixth of the module's code). The evaluation's large sorts
//! (outcomes, allocation order, record groups, id ranks) pack their integer keys into a `u128`
//! and share a second routine, [`sort_by_packed_keys`], whose comparisons are inlined.

#![allow(clippy::disallowed_methods, reason = "the one module that sorts slices directly (core/clippy.toml)")]

use alloc::vec::Vec;
use core::cmp::Ordering;

/// Sorts `items` stably by `compare` (ties keep their input order, as `slice::sort_by`).
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = {
        let slice: &[T] = items;
        sorted_positions(slice.len(), &|a, b| match (slice.get(a), slice.get(b)) {
            (Some(x), Some(y)) => compare(x, y),
            _ => Ordering::Equal,
        })
    };
    permute(items, &order);
}

/// Sorts `items` stably by integer `keys` (ranks and dates packed into one `u128`, see
/// [`pack`]), with one integer sort for every caller: the hot sorts of an evaluation, without a
/// call through a comparator per comparison.
pub fn sort_by_packed_keys<T>(items: &mut Vec<T>, keys: &[u128]) {
    if items.len() < 2 {
        return;
    }
    permute(items, &packed_positions(keys));
}

/// Positions in the order of `keys`, equal keys by position.
pub fn packed_positions(keys: &[u128]) -> Vec<usize> {
    // Each key with its position as one integer: all of them differ, so any sort gives the
    // stable order. The standard stable sort is the one that merges runs already in order (items
    // that come in id order, as exports do, are one run) instead of partitioning them again.
    let Some(dense) = Dense::of(keys) else {
        return sorted_positions(keys.len(), &|a, b| keys.get(a).cmp(&keys.get(b)));
    };
    let packed = keys.iter().zip(0..).map(|(&key, position)| dense.pack(key, position));
    if dense.bits() <= 64 {
        let mut packed: Vec<u64> = packed.map(|p| p as u64).collect();
        packed.sort();
        packed.into_iter().map(|p| dense.position(p.into())).collect()
    } else {
        let mut packed: Vec<u128> = packed.collect();
        packed.sort();
        packed.into_iter().map(|p| dense.position(p)).collect()
    }
}

/// Positions in the order of `(a, b)` pairs (ranks), equal pairs by position.
pub fn pair_positions(pairs: &[(u32, u32)]) -> Vec<usize> {
    let packed: Vec<u128> = pairs.iter().map(|&(a, b)| pack(0, 0, a, b)).collect();
    packed_positions(&packed)
}

/// Two lists, each sorted by key, as one list sorted by key: under equal keys the left list's
/// items (in their order) before the right list's (a stable sort of the left list followed by
/// the right one).
pub fn merge_by_key<K: Ord, T>(left: impl Iterator<Item = (K, T)>, right: impl Iterator<Item = (K, T)>) -> Vec<(K, T)> {
    let (mut left, mut right) = (left.peekable(), right.peekable());
    let mut merged = Vec::with_capacity(left.size_hint().0 + right.size_hint().0);
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (Some((a, _)), Some((b, _))) => a <= b,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        merged.extend(if take_left { left.next() } else { right.next() });
    }
    merged
}

/// The keys' four 32-bit lanes ([`pack`]) and the position, each in as many bits as its
/// largest value needs, in one integer that orders as `(key, position)`: a `u64` when that
/// fits, which the sort moves a quarter of the bytes of a `(u128, usize)` pair for (ranks are
/// small: a lane of ranks of 200,000 items needs 18 bits, not 32), else a `u128`.
struct Dense {
    /// The bits of each lane, highest lane first, and of the position.
    widths: [u32; 4],
    position_bits: u32,
}

impl Dense {
    fn of(keys: &[u128]) -> Option<Dense> {
        let any = keys.iter().fold(0u128, |any, key| any | key);
        let lane = |n: u32| ((any >> (96 - 32 * n)) & 0xFFFF_FFFF) as u32;
        let bits = |value: u64| 64 - value.leading_zeros();
        let widths = [bits(lane(0).into()), bits(lane(1).into()), bits(lane(2).into()), bits(lane(3).into())];
        let position_bits = bits(u64::try_from(keys.len()).ok()?);
        let dense = Dense { widths, position_bits };
        (dense.bits() <= 128).then_some(dense)
    }

    fn bits(&self) -> u32 {
        self.widths.iter().sum::<u32>() + self.position_bits
    }

    fn pack(&self, key: u128, position: usize) -> u128 {
        let mut dense = 0u128;
        for (n, width) in (0..4).zip(self.widths) {
            let lane = (key >> (96 - 32 * n)) & 0xFFFF_FFFF;
            dense = dense.checked_shl(width).unwrap_or(0) | lane;
        }
        dense.checked_shl(self.position_bits).unwrap_or(0) | position as u128
    }

    fn position(&self, dense: u128) -> usize {
        let mask = 1u128.checked_shl(self.position_bits).map_or(u128::MAX, |bit| bit - 1);
        (dense & mask) as usize
    }
}

/// Four 32-bit ranks as one key that orders as the tuple `(a, b, c, d)`.
pub fn pack(a: u32, b: u32, c: u32, d: u32) -> u128 {
    (u128::from(a) << 96) | (u128::from(b) << 64) | (u128::from(c) << 32) | u128::from(d)
}

/// Reorders `items` so that the item at `order[i]` comes `i`th.
/// Items already in place (the leading run where `order[i] == i`, all of them when the evidence
/// comes in the answer's order, as exports usually do) are not moved.
pub fn permute<T>(items: &mut Vec<T>, order: &[usize]) {
    let settled = order.iter().enumerate().take_while(|&(i, &position)| i == position).count();
    if settled >= items.len() {
        return;
    }
    // `order` is a permutation: past its settled run it holds the positions `settled..`.
    let mut slots: Vec<Option<T>> = items.drain(settled..).map(Some).collect();
    let rest = order.get(settled..).unwrap_or_default();
    items.extend(rest.iter().filter_map(|&i| slots.get_mut(i.wrapping_sub(settled)).and_then(Option::take)));
}

/// Sorts `items` stably by their natural order.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..len).collect();
    positions.sort_by(|a, b| compare(*a, *b));
    positions
}
