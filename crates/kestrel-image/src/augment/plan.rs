//! The random geometric part of an augmentation, drawn once and applied to any number of
//! aligned images (an image and its label image).

use rand::{Rng, RngExt};

use super::geometry::{crop_resize, flip_horizontal, flip_vertical, rotate, rotate_90};
use super::raster::Raster;
use super::{enabled, symmetric};
use crate::{AugmentParams, Mirror};

/// A crop rectangle in pixels (fractional allowed).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Crop {
    x0: f32,
    y0: f32,
    width: f32,
    height: f32,
}

/// The geometric transforms one augmentation applies, in order: mirrors, quarter turns,
/// rotation, crop.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GeometryPlan {
    flip_horizontal: bool,
    flip_vertical: bool,
    quarter_turns: u32,
    rotation_deg: Option<f32>,
    crop: Option<Crop>,
}

impl GeometryPlan {
    /// Draws the transforms for an image of `width x height` (not empty), consuming
    /// random numbers in the order mirror, 90° rotation, rotation, crop.
    pub(crate) fn draw(
        params: &AugmentParams,
        width: u32,
        height: u32,
        rng: &mut impl Rng,
    ) -> Self {
        let (mirror_h, mirror_v) = match params.mirror {
            Mirror::None => (false, false),
            Mirror::Horizontal => (true, false),
            Mirror::Vertical => (false, true),
            Mirror::Both => (true, true),
        };
        let flip_horizontal = mirror_h && rng.random::<bool>();
        let flip_vertical = mirror_v && rng.random::<bool>();
        // Quarter turns only for square images, so the size never changes.
        let quarter_turns = if params.rotate_90 && width == height {
            rng.random_range(0..4u32)
        } else {
            0
        };
        let rotation_deg =
            enabled(params.rotation_range_deg).then(|| symmetric(rng, params.rotation_range_deg));
        let crop = enabled(params.crop_percentage)
            .then(|| random_crop(width, height, params.crop_percentage.min(99.0), rng));
        Self {
            flip_horizontal,
            flip_vertical,
            quarter_turns,
            rotation_deg,
            crop,
        }
    }

    /// Applies the transforms to `img`.
    pub(crate) fn apply<R: Raster>(&self, img: &R) -> R {
        let mut out = img.clone();
        if self.flip_horizontal {
            out = flip_horizontal(&out);
        }
        if self.flip_vertical {
            out = flip_vertical(&out);
        }
        if self.quarter_turns != 0 {
            out = rotate_90(&out, self.quarter_turns);
        }
        if let Some(deg) = self.rotation_deg {
            out = rotate(&out, deg);
        }
        if let Some(c) = self.crop {
            out = crop_resize(&out, c.x0, c.y0, c.width, c.height);
        }
        out
    }
}

/// Draws a crop removing a uniform random share of up to `max_percent` % of the area
/// (same aspect ratio, random position).
fn random_crop(width: u32, height: u32, max_percent: f32, rng: &mut impl Rng) -> Crop {
    let kept = 1.0 - rng.random::<f32>() * max_percent / 100.0;
    let side = kept.sqrt();
    let cw = (width as f32 * side).max(1.0);
    let ch = (height as f32 * side).max(1.0);
    let x0 = rng.random::<f32>() * (width as f32 - cw);
    let y0 = rng.random::<f32>() * (height as f32 - ch);
    Crop {
        x0,
        y0,
        width: cw,
        height: ch,
    }
}
