//! Helpers shared by the kernel tests.

#![allow(dead_code)] // each test file uses its own part

/// Deterministic pseudo-random values in [-1, 1) (a 64-bit LCG).
pub fn data(len: usize, seed: u64) -> Vec<f32> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1);
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        })
        .collect()
}

/// Runs `f` in a 1-thread and in a 4-thread rayon pool, so that both the sequential and
/// the parallel paths run on any machine.
pub fn in_pools(f: impl Fn() + Sync) {
    for threads in [1, 4] {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(&f);
    }
}
