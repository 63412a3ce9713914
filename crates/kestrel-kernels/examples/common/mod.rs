//! Timing helpers shared by the kernel speed examples.

use std::time::{Duration, Instant};

/// Median wall time of `runs` calls of `f` after one warm-up call.
pub fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// `len` deterministic values spread over `[-amplitude, amplitude)`.
pub fn data(len: usize, amplitude: f32) -> Vec<f32> {
    (0..len)
        .map(|i| ((i * 7919) % 1000) as f32 / (500.0 / amplitude) - amplitude)
        .collect()
}
