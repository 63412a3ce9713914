//! Keeping freed memory for reuse: CNN activations are large, short-lived buffers, one or
//! more per layer and step.
//!
//! glibc's `malloc` serves every allocation above its mmap threshold (at most 32 MiB when
//! it adapts it) with fresh pages from the system and returns them when freed, so each
//! such activation costs a page fault per 4 KiB and the kernel zeroing them, every layer,
//! every step. Raising the mmap and trim thresholds keeps freed blocks in the heap for the
//! next step. Measured on MobileNetV2 (224x224, 2 threads, `kestrel-bench`), images/s
//! without → with, infer batch 16: 93-95 → 131-136; train batch 16: 26.5-27 → 28-32;
//! batch 1 unchanged; the training step's peak memory unchanged. Setting only the trim
//! threshold instead turns glibc's adaptive mmap threshold off and made everything 2x
//! slower, so both are set.

use std::sync::Once;

/// Makes the C allocator keep freed memory for reuse instead of returning it to the
/// system (see the module documentation). Process-wide and idempotent; Kestrel calls it
/// when it prepares the CPU device. Does nothing except on Linux with glibc.
pub fn reuse_freed_memory() {
    static TUNED: Once = Once::new();
    TUNED.call_once(tune);
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune() {
    // SAFETY: `mallopt` only changes the allocator's parameters; glibc accepts these
    // values (it returns 0 for ones it refuses, and then keeps its defaults).
    let accepted = unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, i32::MAX) == 1
            && libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX) == 1
    };
    if !accepted {
        tracing::warn!("glibc refused the malloc thresholds; freed memory is not kept");
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune() {}
