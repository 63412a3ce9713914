//! Sums of many f32 values, fast and accurate: f32 lanes that stay in SIMD registers,
//! added into f64 every few thousand values so the error does not grow with the count.

use crate::vecops::{BLOCK, reduce};

/// Values between two additions of the f32 lane sums into f64: each lane sums at most
/// about `2 * STAT_BLOCK / BLOCK` = 128 values in f32.
pub(crate) const STAT_BLOCK: usize = 2048;

/// Lanes of the narrow reduction blocks: one AVX2 register.
pub(crate) const LANES: usize = 8;

/// `K` sums accumulated in f32 lanes and added into f64 every [`STAT_BLOCK`] values:
/// [`BLOCK`] lanes for whole blocks, [`LANES`] for the narrow blocks at the end of a
/// plane and one for the last values, each width in its own registers (mixing widths in
/// one array makes LLVM go through memory with stalled store forwarding).
pub(crate) struct Sums<const K: usize> {
    /// Lanes of the whole blocks.
    pub wide: [[f32; BLOCK]; K],
    /// Lanes of the narrow blocks.
    pub narrow: [[f32; LANES]; K],
    /// The lane of single values.
    pub single: [[f32; 1]; K],
    /// Values added since the last flush.
    pub pending: usize,
    /// The flushed sums.
    total: [f64; K],
}

impl<const K: usize> Sums<K> {
    /// All sums 0.
    #[inline(always)]
    pub fn new() -> Self {
        Sums {
            wide: [[0.0; BLOCK]; K],
            narrow: [[0.0; LANES]; K],
            single: [[0.0; 1]; K],
            pending: 0,
            total: [0.0; K],
        }
    }

    /// Adds the lanes into the f64 totals and clears them.
    #[inline(always)]
    pub fn flush(&mut self) {
        for k in 0..K {
            let n = &self.narrow[k];
            let narrow = ((n[0] + n[4]) + (n[1] + n[5])) + ((n[2] + n[6]) + (n[3] + n[7]));
            let lanes = reduce(&self.wide[k]) + narrow + self.single[k][0];
            self.total[k] += f64::from(lanes);
        }
        self.wide = [[0.0; BLOCK]; K];
        self.narrow = [[0.0; LANES]; K];
        self.single = [[0.0; 1]; K];
        self.pending = 0;
    }

    /// The totals, after a last flush.
    #[inline(always)]
    pub fn finish(mut self) -> [f64; K] {
        self.flush();
        self.total
    }
}

/// Runs `$body` over the blocks of `0..$len` with `$i` the block's start, `$n` a
/// constant width (so the body unrolls into whole registers) and `$lanes` the lanes of
/// `$sums` of that width: blocks of [`BLOCK`] values, then of [`LANES`], then single
/// values. Then counts the values, flushing the lanes every [`STAT_BLOCK`] values.
macro_rules! for_blocks {
    ($sums:expr, $len:expr, |$lanes:ident, $i:ident, $n:ident| $body:expr) => {{
        let sums = &mut $sums;
        let len: usize = $len;
        let mut $i = 0;
        while $i + BLOCK <= len {
            const $n: usize = BLOCK;
            let $lanes = &mut sums.wide;
            $body;
            $i += BLOCK;
        }
        while $i + LANES <= len {
            const $n: usize = LANES;
            let $lanes = &mut sums.narrow;
            $body;
            $i += LANES;
        }
        while $i < len {
            const $n: usize = 1;
            let $lanes = &mut sums.single;
            $body;
            $i += 1;
        }
        sums.pending += len;
        if sums.pending >= STAT_BLOCK {
            sums.flush();
        }
    }};
}
pub(crate) use for_blocks;
