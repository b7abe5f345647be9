//! How much memory the engine holds, counted as it is allocated and freed, and the limit
//! past which it refuses to grow, so a page never runs out.
//!
//! A wasm32 page has at most 4 GiB of memory, and a browser tab often much less. Real
//! Redis would keep allocating; the playground behaves as a Redis with `maxmemory` set
//! (and the `noeviction` policy): once the engine holds `LIMIT` bytes, commands that may
//! grow the dataset (the `denyoom` flag) get Redis's OOM error, while reads, deletions and
//! everything else go on — so there is always room left to show, save and export what is
//! there.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The engine's memory ceiling for growing the dataset.
pub const LIMIT: usize = 1 << 30;

/// Bytes the engine holds now.
static LIVE: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting.
pub struct Counting;

// SAFETY: every call is passed to the system allocator unchanged; the counter only
// follows the sizes the allocator was asked for.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            if new_size >= layout.size() {
                LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes allocated and not freed, the whole engine's.
pub fn used() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// Whether `more` bytes may still be allocated for data without passing the limit.
pub fn has_room_for(more: usize) -> bool {
    used().saturating_add(more) <= LIMIT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_follows_allocations() {
        let v: Vec<u8> = Vec::with_capacity(64 << 20);
        assert!(used() >= 64 << 20);
        assert!(!has_room_for(usize::MAX));
        drop(v);
    }
}
