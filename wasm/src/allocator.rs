//! The module's memory allocator: small blocks from free lists, one per power-of-two size, and
//! everything larger from the standard allocator (dlmalloc on `wasm32-unknown-unknown`).
//!
//! Reading a request allocates hundreds of small blocks (every id is a `String`, every map a
//! B-tree node) and the answer frees them all; dlmalloc's bins and coalescing were 12 % of the
//! wasmtime fuel of the 30-learner preview request (BENCHMARKS.md, "The module's allocator").
//! Here a small allocation pops the head of its size's list (or cuts a new block from a 64 KiB
//! slab) and a free pushes the block back: no header, no search, no coalescing. A block keeps
//! its size for the life of the instance, so memory freed at one size serves only that size;
//! blocks above [`LARGEST`] bytes go to the standard allocator, which returns them for reuse at
//! any size.
//!
//! The allocator is generic over the allocator behind it, so the native tests run it against
//! `std::alloc::System`; only the wasm build installs it as the global allocator (`lib.rs`).

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr;

/// The smallest block: 8 bytes (room for the free list's link on every target).
const SMALLEST_SHIFT: u32 = 3;
/// The number of block sizes: 8, 16, …, 2,048 bytes.
const SIZES: usize = 9;
/// The largest block from a free list; larger ones come from the allocator behind.
pub const LARGEST: usize = 1 << (SMALLEST_SHIFT as usize + SIZES - 1);
/// The bytes taken at a time from the allocator behind to cut blocks from.
const SLAB: usize = 64 * 1024;

/// Free lists of small blocks over the allocator `A`.
pub struct SizeClasses<A> {
    behind: A,
    state: UnsafeCell<State>,
}

struct State {
    /// The first free block of each size (its first word links to the next one).
    free: [*mut u8; SIZES],
    /// The unused rest of the current slab.
    next: usize,
    end: usize,
}

impl<A> SizeClasses<A> {
    pub const fn new(behind: A) -> Self {
        SizeClasses { behind, state: UnsafeCell::new(State { free: [ptr::null_mut(); SIZES], next: 0, end: 0 }) }
    }
}

/// The index of the block size that holds `layout`, or `None` when it is above [`LARGEST`]. A
/// block of 2^k bytes lies at a multiple of 2^k, so it meets any alignment up to its size.
fn size_index(layout: Layout) -> Option<usize> {
    let bytes = layout.size().max(layout.align());
    if bytes > LARGEST {
        return None;
    }
    let shift = bytes.max(1 << SMALLEST_SHIFT).next_power_of_two().trailing_zeros();
    Some((shift - SMALLEST_SHIFT) as usize)
}

impl<A: GlobalAlloc> SizeClasses<A> {
    /// A block of size index `index`: the head of its list, else cut from the slab.
    ///
    /// # Safety
    /// No other call into this allocator runs at the same time.
    unsafe fn small(&self, index: usize) -> *mut u8 {
        // SAFETY: the caller guarantees exclusive access to the state.
        let state = unsafe { &mut *self.state.get() };
        let Some(head) = state.free.get_mut(index) else { return ptr::null_mut() };
        if !head.is_null() {
            let block = *head;
            // SAFETY: a free block holds the link to the next free block of its size.
            *head = unsafe { block.cast::<*mut u8>().read() };
            return block;
        }
        let size = 1usize << (index as u32 + SMALLEST_SHIFT);
        let mut start = state.next.next_multiple_of(size);
        if start + size > state.end {
            // A new slab; the old slab's rest is left unused.
            // SAFETY: SLAB is non-zero.
            let slab = unsafe { self.behind.alloc(Layout::from_size_align_unchecked(SLAB, 1 << SMALLEST_SHIFT)) };
            if slab.is_null() {
                return ptr::null_mut();
            }
            start = (slab as usize).next_multiple_of(size);
            state.end = slab as usize + SLAB;
        }
        state.next = start + size;
        start as *mut u8
    }
}

// SAFETY: small blocks are cut from slabs this allocator owns and never handed out twice (a block
// is either on one free list or allocated); large ones are the allocator behind's, with the
// caller's layout.
unsafe impl<A: GlobalAlloc> GlobalAlloc for SizeClasses<A> {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match size_index(layout) {
            // SAFETY: forwarded from the caller (one call at a time: see `Sync` below).
            Some(index) => unsafe { self.small(index) },
            // SAFETY: forwarded from the caller.
            None => unsafe { self.behind.alloc(layout) },
        }
    }

    #[inline(never)]
    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        match size_index(layout) {
            Some(index) => {
                // SAFETY: forwarded from the caller, as in `alloc`.
                let state = unsafe { &mut *self.state.get() };
                if let Some(head) = state.free.get_mut(index) {
                    // SAFETY: `block` is a block of this size (the caller gives the layout it was
                    // allocated with), at least 8 bytes and aligned for a pointer.
                    unsafe { block.cast::<*mut u8>().write(*head) };
                    *head = block;
                }
            }
            // SAFETY: forwarded from the caller.
            None => unsafe { self.behind.dealloc(block, layout) },
        }
    }

    #[inline(never)]
    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees that `new_size`, rounded up to the alignment, fits an
        // `isize`.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (size_index(layout), size_index(new_layout)) {
            // The block already has room for the new size.
            (Some(old), Some(new)) if old == new => block,
            // SAFETY: forwarded from the caller.
            (None, None) => unsafe { self.behind.realloc(block, layout, new_size) },
            _ => {
                // SAFETY: forwarded from the caller.
                let moved = unsafe { self.alloc(new_layout) };
                if !moved.is_null() {
                    // SAFETY: both blocks hold at least the smaller size, and are distinct.
                    unsafe {
                        ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                        self.dealloc(block, layout);
                    }
                }
                moved
            }
        }
    }
}

// SAFETY: wasm32 without the atomics feature has one thread, so no two calls ever overlap.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl<A: Sync> Sync for SizeClasses<A> {}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, clippy::unwrap_used, reason = "a test stops at the first broken block")]

    use super::*;
    use proptest::prelude::*;
    use std::alloc::System;

    /// A live block and the byte it is filled with.
    struct Live {
        block: *mut u8,
        layout: Layout,
        fill: u8,
    }

    fn fill(live: &Live) {
        // SAFETY: the block is live and holds `layout.size()` bytes.
        unsafe { ptr::write_bytes(live.block, live.fill, live.layout.size()) };
    }

    fn intact(live: &Live) -> bool {
        // SAFETY: as in `fill`.
        unsafe { core::slice::from_raw_parts(live.block, live.layout.size()) }.iter().all(|&b| b == live.fill)
    }

    #[derive(Debug, Clone)]
    enum Op {
        Alloc { size: usize, align_shift: u32 },
        Free(usize),
        Realloc(usize, usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        let size = prop_oneof![1usize..=64, 1usize..=LARGEST, 1usize..=3 * LARGEST];
        prop_oneof![
            (size.clone(), 0u32..=6).prop_map(|(size, align_shift)| Op::Alloc { size, align_shift }),
            any::<usize>().prop_map(Op::Free),
            (any::<usize>(), size).prop_map(|(i, size)| Op::Realloc(i, size)),
        ]
    }

    proptest! {
        /// Whatever the sequence of calls, every block is aligned, no two live blocks overlap
        /// (each keeps its own fill), and a reallocated block keeps its bytes.
        #[test]
        fn blocks_are_aligned_disjoint_and_kept(ops in prop::collection::vec(op(), 1..300)) {
            let heap = SizeClasses::new(System);
            let mut live: Vec<Live> = Vec::new();
            for (n, op) in ops.into_iter().enumerate() {
                let fill_byte = (n % 251) as u8 + 1;
                match op {
                    Op::Alloc { size, align_shift } => {
                        let layout = Layout::from_size_align(size, 1 << align_shift).unwrap();
                        // SAFETY: a non-zero size.
                        let block = unsafe { heap.alloc(layout) };
                        prop_assert!(!block.is_null());
                        prop_assert_eq!(block as usize % layout.align(), 0);
                        let new = Live { block, layout, fill: fill_byte };
                        fill(&new);
                        live.push(new);
                    }
                    Op::Free(i) if !live.is_empty() => {
                        let old = live.swap_remove(i % live.len());
                        prop_assert!(intact(&old));
                        // SAFETY: a live block with its layout.
                        unsafe { heap.dealloc(old.block, old.layout) };
                    }
                    Op::Realloc(i, size) if !live.is_empty() => {
                        let i = i % live.len();
                        let old = &live[i];
                        prop_assert!(intact(old));
                        // SAFETY: a live block with its layout, and a non-zero size.
                        let block = unsafe { heap.realloc(old.block, old.layout, size) };
                        prop_assert!(!block.is_null());
                        prop_assert_eq!(block as usize % old.layout.align(), 0);
                        let kept = old.layout.size().min(size);
                        // SAFETY: the new block holds at least `kept` bytes.
                        let bytes = unsafe { core::slice::from_raw_parts(block, kept) };
                        prop_assert!(bytes.iter().all(|&b| b == old.fill));
                        let moved = Live { block, layout: Layout::from_size_align(size, old.layout.align()).unwrap(), fill: fill_byte };
                        fill(&moved);
                        live[i] = moved;
                    }
                    _ => {}
                }
                for block in &live {
                    prop_assert!(intact(block));
                }
            }
            for old in live {
                // SAFETY: a live block with its layout.
                unsafe { heap.dealloc(old.block, old.layout) };
            }
        }
    }

    /// A freed small block is the next one handed out at its size (the speed the module relies
    /// on: no search), and never at another size.
    #[test]
    fn a_freed_block_serves_its_own_size_next() {
        let heap = SizeClasses::new(System);
        let layout = Layout::from_size_align(24, 8).unwrap();
        let other = Layout::from_size_align(100, 8).unwrap();
        // SAFETY: non-zero sizes; each block freed once with its layout.
        unsafe {
            let first = heap.alloc(layout);
            heap.dealloc(first, layout);
            let elsewhere = heap.alloc(other);
            assert_ne!(elsewhere, first);
            assert_eq!(heap.alloc(Layout::from_size_align(32, 8).unwrap()), first, "24 and 32 bytes share a size");
            heap.dealloc(elsewhere, other);
        }
    }
}
