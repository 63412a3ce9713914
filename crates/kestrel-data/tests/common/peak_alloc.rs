//! A global allocator that counts live bytes, so a robustness test can check that a parser
//! fed a hostile file (a header claiming billions of entries) did not allocate for it.
//! Shared by the `robust_*` tests (included with `#[path]` outside kestrel-data); a test
//! binary that installs it runs its measured calls one at a time ([`measure`] holds a lock).
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes allocated and not yet freed.
static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The most `LIVE` reached since the last [`measure`] began.
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// The largest single request since the last [`measure`] began.
static LARGEST: AtomicUsize = AtomicUsize::new(0);
/// One measurement at a time.
static MEASURING: Mutex<()> = Mutex::new(());

/// The system allocator, counting.
pub struct PeakAlloc;

unsafe impl GlobalAlloc for PeakAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

/// Counts `size` new bytes.
fn grew(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
    LARGEST.fetch_max(size, Ordering::Relaxed);
}

/// What [`measure`] saw.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    /// The most bytes live at once above what was live when the call began.
    pub peak: usize,
    /// The largest single allocation.
    pub largest: usize,
}

/// Runs `f` alone (other measured calls wait) and reports its memory use.
pub fn measure<T>(f: impl FnOnce() -> T) -> (T, Usage) {
    let _guard = MEASURING.lock().unwrap_or_else(|e| e.into_inner());
    let start = LIVE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    LARGEST.store(0, Ordering::Relaxed);
    let out = f();
    let usage = Usage {
        peak: PEAK.load(Ordering::Relaxed).saturating_sub(start),
        largest: LARGEST.load(Ordering::Relaxed),
    };
    (out, usage)
}

/// The memory a parser may use on the small files of these tests.
pub const LIMIT: usize = 256 << 20;

/// Panics when `usage` exceeds [`LIMIT`], naming `what`.
pub fn assert_bounded(what: &str, usage: Usage) {
    assert!(
        usage.peak <= LIMIT && usage.largest <= LIMIT,
        "{what}: used {} MiB (largest allocation {} MiB), more than {} MiB",
        usage.peak >> 20,
        usage.largest >> 20,
        LIMIT >> 20
    );
}
