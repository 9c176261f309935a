//! The packed sort (`laureate_core::order`) is a stable sort by key, whether the items come in
//! order (the usual export, which `permute` leaves in place), in order up to some point, or not.

use laureate_core::order::{merge_by_key, pack, packed_positions, pair_positions, sort_by_packed_keys};
use proptest::prelude::*;

fn stable_sort(items: &[(u8, usize)]) -> Vec<(u8, usize)> {
    let mut sorted = items.to_vec();
    sorted.sort_by_key(|(key, _)| *key);
    sorted
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_packed_sort_is_a_stable_sort_by_key(
        keys in proptest::collection::vec(0u8..6, 0..60),
        sorted_prefix in 0usize..60,
    ) {
        // A sorted run first (of some length), then the rest as generated.
        let mut keys = keys;
        let prefix = sorted_prefix.min(keys.len());
        keys[..prefix].sort_unstable();
        let items: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
        let packed: Vec<u128> = keys.iter().map(|&k| pack(0, u32::from(k), 0, 0)).collect();
        let mut ours = items.clone();
        sort_by_packed_keys(&mut ours, &packed);
        prop_assert_eq!(ours, stable_sort(&items));
    }
}

/// A lane's value: small ranks (the dense `u64` path) or any 32-bit value (too wide for it).
fn lane(wide: bool) -> BoxedStrategy<u32> {
    if wide {
        any::<u32>().boxed()
    } else {
        prop_oneof![Just(0u32), 0u32..4, 0u32..300, 0u32..70_000].boxed()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Keys of four lanes, each small or wide, in any order: the stable order of the tuples.
    #[test]
    fn positions_order_keys_of_any_width_stably(
        keys in (any::<[bool; 4]>()).prop_flat_map(|wide| proptest::collection::vec(
            (lane(wide[0]), lane(wide[1]), lane(wide[2]), lane(wide[3])), 0..80)),
        repeat in 0usize..20,
    ) {
        // Some keys repeated, so that ties must keep their positions.
        let mut keys = keys;
        let copies: Vec<_> = keys.iter().take(repeat).copied().collect();
        keys.extend(copies);
        let packed: Vec<u128> = keys.iter().map(|&(a, b, c, d)| pack(a, b, c, d)).collect();
        let mut expected: Vec<usize> = (0..keys.len()).collect();
        expected.sort_by_key(|&i| keys[i]);
        prop_assert_eq!(packed_positions(&packed), expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

    /// Pairs of ranks (small, or up to `u32::MAX`) in a stable order.
    #[test]
    fn pairs_sort_stably(pairs in proptest::collection::vec((prop_oneof![0u32..4, Just(u32::MAX)], 0u32..3), 0..50)) {
        let mut expected: Vec<usize> = (0..pairs.len()).collect();
        expected.sort_by_key(|&i| pairs[i]);
        prop_assert_eq!(pair_positions(&pairs), expected);
    }

    /// Two lists sorted by key, merged: a stable sort of the first followed by the second.
    #[test]
    fn merged_lists_are_a_stable_sort_of_both(
        left in proptest::collection::vec(0u8..5, 0..30),
        right in proptest::collection::vec(0u8..5, 0..30),
    ) {
        let tag = |list: &[u8], side: char| {
            let mut items: Vec<(u8, (char, usize))> = list.iter().copied().zip((0..).map(|i| (side, i))).collect();
            items.sort_by_key(|(key, _)| *key);
            items
        };
        let (left, right) = (tag(&left, 'l'), tag(&right, 'r'));
        let mut expected = [left.clone(), right.clone()].concat();
        expected.sort_by_key(|(key, _)| *key);
        prop_assert_eq!(merge_by_key(left.into_iter(), right.into_iter()), expected);
    }
}
