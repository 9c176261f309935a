//! The packed sort (`laureate_core::order`) is a stable sort by key, whether the items come in
//! order (the usual export, which `permute` leaves in place), in order up to some point, or not.

use laureate_core::order::{pack, sort_by_packed_keys};
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
