//! Deterministic, platform-independent shuffling (ChaCha8 + Fisher-Yates).
//!
//! The algorithm is spelled out here rather than taken from `rand`, so a given seed gives
//! the same order on every platform and with every version of this crate's dependencies.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// A seeded source of shuffles.
pub(crate) struct Shuffler {
    /// The underlying generator.
    rng: ChaCha8Rng,
}

impl Shuffler {
    /// A shuffler whose sequence depends only on `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Shuffler {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// A uniform integer in `0..bound` (`bound > 0`), without modulo bias.
    fn below(&mut self, bound: u64) -> u64 {
        // 2^64 mod bound: values under it would over-represent small results.
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let x = self.rng.next_u64();
            if x >= threshold {
                return x % bound;
            }
        }
    }

    /// Shuffles `items` in place (Fisher-Yates).
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_order_and_permutation() {
        let mut a: Vec<u32> = (0..100).collect();
        let mut b = a.clone();
        Shuffler::new(7).shuffle(&mut a);
        Shuffler::new(7).shuffle(&mut b);
        assert_eq!(a, b);
        assert_ne!(a, (0..100).collect::<Vec<_>>());
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn known_sequence_is_stable() {
        // Guards cross-platform/cross-version determinism of seeded splits.
        let mut v: Vec<u32> = (0..10).collect();
        Shuffler::new(42).shuffle(&mut v);
        assert_eq!(v, KNOWN_42);
    }

    /// The order `0..10` takes under seed 42.
    const KNOWN_42: [u32; 10] = [1, 5, 9, 6, 3, 2, 0, 8, 4, 7];
}
