//! Preprocessing parameters: target size, channel count and value range of a model's input.

use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use crate::ImageError;

/// How `[0, 1]` samples are mapped to the range a model was trained on.
///
/// Serialized as `{"kind": "range", "min": -1.0, "max": 1.0}` or
/// `{"kind": "mean_std", "mean": [...], "std": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Normalization {
    /// Linear map of `[0, 1]` onto `[min, max]`: `v * (max - min) + min` (HALCON's
    /// `image_range_min`/`image_range_max`).
    Range {
        /// Value that black (0) maps to.
        min: f32,
        /// Value that white (1) maps to.
        max: f32,
    },
    /// Per channel standardization `(v - mean[c]) / std[c]` (torchvision style).
    /// A single value applies to every channel.
    MeanStd {
        /// Per channel mean, in `[0, 1]` units.
        mean: Vec<f32>,
        /// Per channel standard deviation, in `[0, 1]` units.
        std: Vec<f32>,
    },
}

impl Normalization {
    /// The identity mapping: samples stay in `[0, 1]`.
    pub fn unit() -> Self {
        Self::Range { min: 0.0, max: 1.0 }
    }

    /// ImageNet's RGB mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225), as used by
    /// torchvision's pretrained models.
    pub fn imagenet() -> Self {
        Self::MeanStd {
            mean: vec![0.485, 0.456, 0.406],
            std: vec![0.229, 0.224, 0.225],
        }
    }

    /// Checks that the normalization is usable for images with `channels` channels:
    /// finite values, `min != max`, mean/std of length 1 or `channels`, and non-zero std.
    pub fn validate(&self, channels: u32) -> Result<(), ImageError> {
        let bad = |m: String| Err(ImageError::InvalidParams(m));
        match self {
            Self::Range { min, max } => {
                if !min.is_finite() || !max.is_finite() || min == max {
                    return bad(format!(
                        "range normalization needs finite min != max, got [{min}, {max}]"
                    ));
                }
            }
            Self::MeanStd { mean, std } => {
                for (name, v) in [("mean", mean), ("std", std)] {
                    if v.len() != 1 && v.len() != channels as usize {
                        return bad(format!(
                            "{name} has {} values, expected 1 or {channels}",
                            v.len()
                        ));
                    }
                    if v.iter().any(|x| !x.is_finite()) {
                        return bad(format!("{name} has a non-finite value: {v:?}"));
                    }
                }
                if std.contains(&0.0) {
                    return bad(format!("std must be non-zero, got {std:?}"));
                }
            }
        }
        Ok(())
    }

    /// A stable textual form (exact float bits), for keys and hashing.
    pub fn key(&self) -> String {
        let bits = |v: &[f32]| {
            v.iter()
                .map(|x| format!("{:08x}", canonical_bits(*x)))
                .collect::<Vec<_>>()
                .join(",")
        };
        match self {
            Self::Range { min, max } => format!("range:{}", bits(&[*min, *max])),
            Self::MeanStd { mean, std } => format!("meanstd:{};{}", bits(mean), bits(std)),
        }
    }
}

/// Bits of `v`, with `-0.0` folded onto `0.0` so equal values hash equally.
fn canonical_bits(v: f32) -> u32 {
    if v == 0.0 { 0 } else { v.to_bits() }
}

/// The input a model expects: size, channel count and value range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreprocessParams {
    /// Target width in pixels.
    pub width: u32,
    /// Target height in pixels.
    pub height: u32,
    /// 1 (grey) or 3 (RGB).
    pub num_channels: u32,
    /// Mapping from `[0, 1]` to the model's input range.
    pub normalization: Normalization,
}

impl PreprocessParams {
    /// Checks size, channel count and normalization.
    pub fn validate(&self) -> Result<(), ImageError> {
        if self.width == 0 || self.height == 0 {
            return Err(ImageError::InvalidParams(format!(
                "target size must be non-zero, got {}x{}",
                self.width, self.height
            )));
        }
        if self.num_channels != 1 && self.num_channels != 3 {
            return Err(ImageError::InvalidParams(format!(
                "num_channels must be 1 or 3, got {}",
                self.num_channels
            )));
        }
        self.normalization.validate(self.num_channels)
    }

    /// Stable key of what determines the resized pixels (size and channels, not the
    /// normalization, which is applied afterwards), e.g. `"224x224x3"`.
    pub fn resize_key(&self) -> String {
        format!("{}x{}x{}", self.width, self.height, self.num_channels)
    }

    /// Stable key of all parameters, e.g. `"224x224x3/range:00000000,3f800000"`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.resize_key(), self.normalization.key())
    }
}

impl Hash for PreprocessParams {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}
