//! A counting semaphore over the pooling allocator's instance slots.

use std::sync::{Condvar, Mutex};

/// A counting semaphore: at most `n` calls hold an instance at once, so the pooling allocator
/// never runs out of slots.
pub(crate) struct Slots {
    free: Mutex<usize>,
    available: Condvar,
}

impl Slots {
    pub(super) fn new(n: usize) -> Slots {
        Slots { free: Mutex::new(n), available: Condvar::new() }
    }

    /// Waits for a free slot and takes it; [`Slots::give`] returns it.
    pub(crate) fn take(&self) {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.available.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
    }

    /// Returns a slot taken with [`Slots::take`].
    pub(crate) fn give(&self) {
        *self.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.available.notify_one();
    }

    /// Takes a slot until the guard is dropped.
    pub(super) fn acquire(&self) -> SlotGuard<'_> {
        self.take();
        SlotGuard(self)
    }
}

/// A slot taken by [`Slots::acquire`], given back when dropped.
pub(super) struct SlotGuard<'a>(&'a Slots);

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        self.0.give();
    }
}
