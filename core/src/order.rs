//! Sorting for answers. Every list of an answer is sorted through [`sort_by`], which runs one
//! shared, non-generic stable sort over positions: one sort routine in the `.wasm` instead of one
//! per element type (they made up a sixth of the module's code).

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
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)));
}

/// Sorts `items` stably by `keys` (one per item, compared instead of the items).
pub fn sort_by_keys<T, K: Ord>(items: &mut Vec<T>, keys: &[K]) {
    if items.len() < 2 {
        return;
    }
    let order = sorted_positions(items.len(), &|a, b| keys.get(a).cmp(&keys.get(b)));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)));
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
