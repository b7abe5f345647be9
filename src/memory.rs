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

/// The engine's memory ceiling for growing the dataset, unless `set_limit` lowers it.
pub const LIMIT: usize = 1 << 30;

/// The ceiling in force: `LIMIT`, or lower while the page runs something it must bound (a
/// shared link may make the engine hold only so much more than it did).
static CEILING: AtomicUsize = AtomicUsize::new(LIMIT);

/// Bytes the engine holds now.
static LIVE: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting.
pub struct Counting;

/// What an allocation of `size` bytes really takes from the heap: the allocator rounds each
/// block up and keeps a header beside it (wasm32's dlmalloc: a 4-byte header, 8-byte
/// steps, 16 bytes at least; a 64-bit malloc: 8, 16 and 32). Counting only `size` would
/// let a list of a million one-byte elements weigh a sixteenth of what it holds.
const fn charged(size: usize) -> usize {
    #[cfg(target_pointer_width = "32")]
    const FIT: (usize, usize, usize) = (4, 8, 16);
    #[cfg(not(target_pointer_width = "32"))]
    const FIT: (usize, usize, usize) = (8, 16, 32);
    let (header, step, least) = FIT;
    let rounded = size.saturating_add(header + step - 1) & !(step - 1);
    if rounded < least {
        least
    } else {
        rounded
    }
}

// SAFETY: every call is passed to the system allocator unchanged; the counter only
// follows the sizes the allocator was asked for.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            LIVE.fetch_add(charged(layout.size()), Ordering::Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            LIVE.fetch_add(charged(layout.size()), Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(charged(layout.size()), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            let (old, new) = (charged(layout.size()), charged(new_size));
            if new >= old {
                LIVE.fetch_add(new - old, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(old - new, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes allocated and not freed, the whole engine's (with the allocator's own overhead).
pub fn used() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// The ceiling in force.
pub fn limit() -> usize {
    CEILING.load(Ordering::Relaxed)
}

/// Lower the ceiling to `bytes` (never above `LIMIT`), or with `None` put `LIMIT` back.
pub fn set_limit(bytes: Option<usize>) {
    CEILING.store(bytes.map_or(LIMIT, |b| b.min(LIMIT)), Ordering::Relaxed);
}

/// Whether `more` bytes may still be allocated for data without passing the ceiling.
pub fn has_room_for(more: usize) -> bool {
    used().saturating_add(more) <= limit()
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
