//! Deep counting's own parameters.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The parameters only deep counting has (HALCON's names where it has them). Scores are
/// relative to the examples: an object that looks as much like the examples as they look
/// like each other scores about 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CountingParams {
    /// An object is counted when its score reaches this.
    pub min_score: f32,
    /// Two found objects whose example-sized boxes overlap by more than this
    /// (intersection over union) are one object: the lower-scoring one is dropped.
    pub max_overlap: f32,
    /// At most this many objects are returned per image (the best-scoring ones).
    pub max_num_objects: usize,
    /// The smallest object size searched for, relative to the examples' (1 = their size).
    pub scale_min: f32,
    /// The largest object size searched for, relative to the examples'. Sizes between
    /// `scale_min` and `scale_max` are tried in steps of at most 1.25x (each a backbone
    /// pass); at each place the best-scoring size counts.
    pub scale_max: f32,
    /// The size, in pixels, the examples are scaled to before features are computed
    /// (the image is scaled by the same factor): about three cells of the backbone's
    /// stride-8 map.
    pub example_size: f32,
    /// The longest side, in pixels, a scaled image may have; images whose examples are
    /// so small that scaling would exceed it are scaled less.
    pub image_size_max: u32,
    /// Scaled images are processed in tiles of this many pixels (plus a margin), which
    /// bounds memory for large or strongly upsampled images.
    pub tiling: u32,
    /// The prepared examples' mean width in image pixels (set by `prepare`).
    pub example_width: Option<f32>,
    /// The prepared examples' mean height in image pixels (set by `prepare`).
    pub example_height: Option<f32>,
    /// The prepared examples' similarity to themselves, the unit of the scores (set by
    /// `prepare`).
    pub reference_score: Option<f32>,
}

impl Default for CountingParams {
    fn default() -> Self {
        Self {
            min_score: 0.5,
            max_overlap: 0.3,
            max_num_objects: 10_000,
            scale_min: 1.0,
            scale_max: 1.0,
            example_size: 24.0,
            image_size_max: 4096,
            tiling: 512,
            example_width: None,
            example_height: None,
            reference_score: None,
        }
    }
}

/// The largest ratio between neighbouring searched object sizes.
const SCALE_STEP: f64 = 1.25;

/// The smallest tile side (the margin around each tile is a quarter of it).
const MIN_TILE: u32 = 128;

impl CountingParams {
    /// Checks the ranges; the first bad parameter is reported.
    pub fn validate(&self) -> Result<()> {
        let bad = |name: &str, message: String| {
            Err(Error::BadParam {
                name: name.into(),
                message,
            })
        };
        if !(self.min_score.is_finite() && self.min_score > 0.0) {
            return bad("min_score", format!("{} (must be above 0)", self.min_score));
        }
        if !(0.0..=1.0).contains(&self.max_overlap) {
            return bad("max_overlap", format!("{} (must be in [0, 1])", self.max_overlap));
        }
        if self.max_num_objects == 0 {
            return bad("max_num_objects", "0 (must be at least 1)".into());
        }
        if !(0.25..=4.0).contains(&self.scale_min) {
            return bad("scale_min", format!("{} (must be in [0.25, 4])", self.scale_min));
        }
        if !(self.scale_min..=4.0).contains(&self.scale_max) {
            return bad("scale_max", format!("{} (must be in [scale_min, 4])", self.scale_max));
        }
        if !(8.0..=256.0).contains(&self.example_size) {
            return bad("example_size", format!("{} (must be in [8, 256])", self.example_size));
        }
        if !(64..=8192).contains(&self.image_size_max) {
            return bad("image_size_max", format!("{} (must be in [64, 8192])", self.image_size_max));
        }
        if self.tiling < MIN_TILE || !self.tiling.is_multiple_of(32) || self.tiling > 4096 {
            return bad(
                "tiling",
                format!("{} (must be a multiple of 32 in [{MIN_TILE}, 4096])", self.tiling),
            );
        }
        Ok(())
    }

    /// The object sizes searched for, relative to the examples', smallest first: from
    /// `scale_min` to `scale_max` in equal ratios of at most 1.25.
    pub fn scales(&self) -> Vec<f32> {
        let ratio = f64::from(self.scale_max) / f64::from(self.scale_min);
        if ratio <= 1.0 + 1e-6 {
            return vec![self.scale_min];
        }
        let steps = (ratio.ln() / SCALE_STEP.ln()).ceil().max(1.0) as usize;
        (0..=steps)
            .map(|i| (f64::from(self.scale_min) * ratio.powf(i as f64 / steps as f64)) as f32)
            .collect()
    }

    /// The prepared examples' mean width, height and reference score; an error says the
    /// model has not been prepared.
    pub fn prepared(&self) -> Result<(f32, f32, f32)> {
        match (self.example_width, self.example_height, self.reference_score) {
            (Some(width), Some(height), Some(reference)) => Ok((width, height, reference)),
            _ => Err(Error::BadParam {
                name: "example_width".into(),
                message: "the model has no examples: prepare it with example boxes (kestrel train \
                          --model-type deep_counting --dataset examples.json), or evaluate on a \
                          dataset whose images have example boxes"
                    .into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_step_evenly_by_at_most_a_quarter() {
        let one = CountingParams::default();
        assert_eq!(one.scales(), vec![1.0]);
        let range = CountingParams { scale_min: 0.5, scale_max: 1.0, ..one };
        let scales = range.scales();
        assert_eq!(scales.len(), 5);
        assert!((scales[0] - 0.5).abs() < 1e-6 && (scales[4] - 1.0).abs() < 1e-6);
        assert!(scales.windows(2).all(|w| w[1] / w[0] <= 1.25 + 1e-6));
        assert!(CountingParams { scale_min: 2.0, scale_max: 1.0, ..CountingParams::default() }.validate().is_err());
    }
}
