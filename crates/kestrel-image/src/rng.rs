//! Deterministic random numbers for augmentation and shuffling.

use rand::SeedableRng;

/// The seeded generator Kestrel uses wherever results must be reproducible.
pub type SeededRng = rand_chacha::ChaCha8Rng;

/// A generator whose sequence depends only on `seed`, on every platform.
pub fn seeded_rng(seed: u64) -> SeededRng {
    SeededRng::seed_from_u64(seed)
}
