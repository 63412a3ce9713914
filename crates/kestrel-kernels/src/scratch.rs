//! Per-thread scratch buffers, reused across tiles, tasks and calls.

use std::cell::Cell;

thread_local! {
    /// This thread's scratch buffer. It keeps the largest size asked for so far, like a
    /// caching allocator, so a training loop allocates it once per thread.
    static SCRATCH: Cell<Vec<f32>> = const { Cell::new(Vec::new()) };
}

/// Runs `f` on this thread's scratch buffer, resized to `len` elements of unspecified
/// content.
///
/// The buffer is taken out of its cell while `f` runs, so a nested call on the same
/// thread (rayon may run another task while this one waits inside a parallel GEMM) gets
/// a fresh buffer instead of a conflicting borrow.
pub(crate) fn with_scratch<R>(len: usize, f: impl FnOnce(&mut [f32]) -> R) -> R {
    let mut buf = SCRATCH.take();
    if buf.len() < len {
        // Nothing worth keeping: drop the old content instead of copying it over.
        buf = Vec::new();
        buf.resize(len, 0.0);
    }
    let result = f(&mut buf[..len]);
    SCRATCH.with(|cell| {
        let other = cell.take();
        cell.set(if other.len() > buf.len() { other } else { buf });
    });
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_calls_get_their_own_buffers() {
        with_scratch(8, |outer| {
            outer.fill(1.0);
            with_scratch(16, |inner| {
                inner.fill(2.0);
                assert_eq!(inner.len(), 16);
            });
            assert!(outer.iter().all(|&v| v == 1.0));
        });
        // The larger buffer is kept for the next call.
        with_scratch(12, |buf| assert_eq!(buf.len(), 12));
        SCRATCH.with(|cell| {
            let buf = cell.take();
            assert!(buf.len() >= 16);
            cell.set(buf);
        });
    }
}
