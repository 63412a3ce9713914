//! Augmentation parameters (HALCON's `augment_dl_samples` style).

use serde::{Deserialize, Serialize};

/// Which mirrorings augmentation may apply. Serialized as `"none"`, `"h"`, `"v"`, `"hv"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Mirror {
    /// No mirroring.
    #[default]
    #[serde(rename = "none")]
    None,
    /// Left-right mirroring with probability 1/2.
    #[serde(rename = "h")]
    Horizontal,
    /// Top-bottom mirroring with probability 1/2.
    #[serde(rename = "v")]
    Vertical,
    /// Left-right and top-bottom mirroring, each independently with probability 1/2.
    #[serde(rename = "hv")]
    Both,
}

/// Augmentation, HALCON-style: each image is augmented with probability
/// `percentage` / 100; an augmented image then gets each enabled operation with its own
/// random draw. The default disables everything (`percentage` 0).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AugmentParams {
    /// Probability, in percent (0–100), that an image is augmented at all.
    pub percentage: f32,
    /// Mirroring.
    pub mirror: Mirror,
    /// Rotation by a random multiple of 90° (only for square images; others are left as
    /// they are, since the output keeps the input's size).
    pub rotate_90: bool,
    /// Rotation by a uniform random angle in `±rotation_range_deg` degrees about the
    /// centre, bilinear, replicating the border. 0 disables it.
    pub rotation_range_deg: f32,
    /// Additive brightness change, uniform in `±brightness` (`[0, 1]` units).
    pub brightness: f32,
    /// Relative contrast change about the image mean: factor uniform in `1 ± contrast`.
    pub contrast: f32,
    /// Relative saturation change about each pixel's luminance: factor uniform in
    /// `1 ± saturation`. RGB images only.
    pub saturation: f32,
    /// Random crop removing a uniform random share of up to `crop_percentage` percent of the
    /// area (same aspect ratio, random position), resized back to the original size.
    pub crop_percentage: f32,
    /// Gaussian blur with a standard deviation uniform in `[0, blur)` pixels (after the
    /// intensity changes). 0 disables it.
    pub blur: f32,
}

impl AugmentParams {
    /// A moderate preset for inspection images (what `kestrel train --augment` uses): half
    /// of the images are augmented, with horizontal mirroring, rotation up to ±10°,
    /// brightness and contrast ±0.1 and crops of up to 10 % of the area.
    pub fn moderate() -> Self {
        Self {
            percentage: 50.0,
            mirror: Mirror::Horizontal,
            rotate_90: false,
            rotation_range_deg: 10.0,
            brightness: 0.1,
            contrast: 0.1,
            saturation: 0.0,
            crop_percentage: 10.0,
            blur: 0.0,
        }
    }
}
