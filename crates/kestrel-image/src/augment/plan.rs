//! The random geometric part of an augmentation, drawn once and applied to any number of
//! aligned images (an image and its label image).

use rand::{Rng, RngExt};

use super::geometry::{
    CropMap, Rotation, crop_resize, flip_horizontal, flip_vertical, mirrored, quarter_turn_forward,
    rotate, rotate_90,
};
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
    /// Size of the image the plan was drawn for.
    width: u32,
    height: u32,
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
            width,
            height,
            flip_horizontal,
            flip_vertical,
            quarter_turns,
            rotation_deg,
            crop,
        }
    }

    /// A plan with the given transforms; `crop` is `[x0, y0, width, height]`.
    #[cfg(test)]
    pub(crate) fn for_test(
        width: u32,
        height: u32,
        (flip_horizontal, flip_vertical): (bool, bool),
        quarter_turns: u32,
        rotation_deg: Option<f32>,
        crop: Option<[f32; 4]>,
    ) -> Self {
        Self {
            width,
            height,
            flip_horizontal,
            flip_vertical,
            quarter_turns,
            rotation_deg,
            crop: crop.map(|[x0, y0, width, height]| Crop {
                x0,
                y0,
                width,
                height,
            }),
        }
    }

    /// Whether the plan moves nothing (every geometric operation off or not drawn).
    pub(crate) fn is_identity(&self) -> bool {
        !self.flip_horizontal
            && !self.flip_vertical
            && self.quarter_turns.is_multiple_of(4)
            && self.rotation_deg.is_none()
            && self.crop.is_none()
    }

    /// Where the point `(x, y)` of the source image lands in the output of [`Self::apply`]
    /// (pixel centres at integer coordinates, as everywhere in the transforms): the
    /// forward maps of the transforms, in the order `apply` applies them. Every transform
    /// is affine, and so is this map.
    pub(crate) fn forward(&self, x: f32, y: f32) -> (f32, f32) {
        let (mut w, mut h) = (self.width, self.height);
        let mut p = (x, y);
        if self.flip_horizontal {
            p.0 = mirrored(w as f32 - 1.0, p.0);
        }
        if self.flip_vertical {
            p.1 = mirrored(h as f32 - 1.0, p.1);
        }
        if !self.quarter_turns.is_multiple_of(4) {
            p = quarter_turn_forward(self.quarter_turns, w as f32, h as f32, p.0, p.1);
            if self.quarter_turns % 2 == 1 {
                (w, h) = (h, w);
            }
        }
        if let Some(deg) = self.rotation_deg {
            p = Rotation::new(w, h, deg).forward(p.0, p.1);
        }
        if let Some(c) = self.crop {
            p = CropMap::new(w, h, c.x0, c.y0, c.width, c.height).forward(p.0, p.1);
        }
        p
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
