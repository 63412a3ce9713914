//! Sorting scores once, best first, and sweeping their distinct values as thresholds.
//!
//! Each score is packed with a 32-bit payload (a label, a region id…) into one `u64` key
//! whose high half orders scores descending, so a plain integer sort ranks millions of
//! pixels quickly and tied scores end up next to each other.

use crate::MetricsError;

/// Scores with payloads, sorted by descending score.
pub(crate) struct Ranked {
    keys: Vec<u64>,
}

impl Ranked {
    /// Ranks `(score, payload)` pairs; fails on a NaN or infinite score (`what[index]`).
    pub(crate) fn new(
        pairs: impl IntoIterator<Item = (f32, u32)>,
        capacity: usize,
        what: &str,
    ) -> Result<Self, MetricsError> {
        let mut keys = Vec::with_capacity(capacity);
        for (index, (score, payload)) in pairs.into_iter().enumerate() {
            if !score.is_finite() {
                return Err(MetricsError::NonFinite {
                    what: what.to_string(),
                    index,
                });
            }
            keys.push((u64::from(descending_bits(score)) << 32) | u64::from(payload));
        }
        keys.sort_unstable();
        Ok(Self { keys })
    }

    /// Ranks binary labels (payload 1 = positive), checking that the lengths match.
    pub(crate) fn binary(scores: &[f32], labels: &[bool]) -> Result<Self, MetricsError> {
        check_len("labels", scores.len(), labels.len())?;
        Self::new(
            scores
                .iter()
                .copied()
                .zip(labels.iter().map(|&l| u32::from(l))),
            scores.len(),
            "scores",
        )
    }

    /// Groups of tied scores, highest score first: `(score, payloads of the group)`.
    pub(crate) fn groups(&self) -> impl Iterator<Item = (f32, impl Iterator<Item = u32>)> {
        self.keys
            .chunk_by(|a, b| a >> 32 == b >> 32)
            .map(|group| (score_of(group[0]), group.iter().map(|&k| k as u32)))
    }

    /// Cumulative counts for binary payloads (non-zero = positive), one step per distinct
    /// score, highest first: after step `i`, every score `>= threshold` is predicted
    /// positive.
    pub(crate) fn binary_steps(&self) -> impl Iterator<Item = Step> {
        let (mut tp, mut fp) = (0u64, 0u64);
        self.groups().map(move |(threshold, payloads)| {
            for p in payloads {
                if p != 0 {
                    tp += 1;
                } else {
                    fp += 1;
                }
            }
            Step { threshold, tp, fp }
        })
    }

    /// Numbers of positive and negative binary payloads.
    pub(crate) fn binary_totals(&self) -> (u64, u64) {
        let positives = self.keys.iter().filter(|&&k| k as u32 != 0).count() as u64;
        (positives, self.keys.len() as u64 - positives)
    }
}

/// Counts after including every score `>= threshold`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Step {
    pub(crate) threshold: f32,
    pub(crate) tp: u64,
    pub(crate) fp: u64,
}

/// Bits of a finite `score` whose unsigned order is the reverse of the scores' order;
/// -0.0 and 0.0 get the same bits, so they tie as in floating point comparison.
fn descending_bits(score: f32) -> u32 {
    let bits = (score + 0.0).to_bits();
    let ascending = if bits & 0x8000_0000 != 0 {
        !bits
    } else {
        bits | 0x8000_0000
    };
    !ascending
}

/// Inverse of [`descending_bits`] on a packed key.
fn score_of(key: u64) -> f32 {
    let ascending = !((key >> 32) as u32);
    let bits = if ascending & 0x8000_0000 != 0 {
        ascending & 0x7fff_ffff
    } else {
        !ascending
    };
    f32::from_bits(bits)
}

/// `Err(LengthMismatch)` unless `got == expected`.
pub(crate) fn check_len(what: &str, expected: usize, got: usize) -> Result<(), MetricsError> {
    if got == expected {
        Ok(())
    } else {
        Err(MetricsError::LengthMismatch {
            what: what.to_string(),
            expected,
            got,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_scores_descending_and_round_trip() {
        let scores = [
            -3.5f32,
            -0.0,
            0.0,
            1e-30,
            2.0,
            -1e-30,
            7.25,
            f32::MAX,
            f32::MIN,
        ];
        let ranked = Ranked::new(scores.iter().map(|&s| (s, 0)), 0, "s").unwrap();
        let got: Vec<f32> = ranked.groups().map(|(s, _)| s).collect();
        assert_eq!(
            got,
            [f32::MAX, 7.25, 2.0, 1e-30, 0.0, -1e-30, -3.5, f32::MIN]
        );
        assert_eq!(ranked.keys.len(), scores.len());
        assert!(Ranked::new([(1.0, 0), (f32::NAN, 0)], 2, "s").is_err());
        assert!(Ranked::new([(f32::INFINITY, 0)], 1, "s").is_err());
    }
}
