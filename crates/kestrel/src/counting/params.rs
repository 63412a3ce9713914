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
            example_size: 24.0,
            image_size_max: 4096,
            tiling: 512,
            example_width: None,
            example_height: None,
            reference_score: None,
        }
    }
}

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
        if !(8.0..=256.0).contains(&self.example_size) {
            return bad("example_size", format!("{} (must be in [8, 256])", self.example_size));
        }
        if !(64..=16384).contains(&self.image_size_max) {
            return bad("image_size_max", format!("{} (must be in [64, 16384])", self.image_size_max));
        }
        if self.tiling < MIN_TILE || !self.tiling.is_multiple_of(32) || self.tiling > 4096 {
            return bad(
                "tiling",
                format!("{} (must be a multiple of 32 in [{MIN_TILE}, 4096])", self.tiling),
            );
        }
        Ok(())
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
