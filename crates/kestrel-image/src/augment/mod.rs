//! Random data augmentation of [`ImageF32`] images.

mod geometry;
mod params;
mod photometric;

pub use params::{AugmentParams, Mirror};

use rand::{Rng, RngExt};

use crate::ImageF32;
use geometry::{crop_resize, flip_horizontal, flip_vertical, rotate, rotate_90};
use photometric::{adjust_brightness, adjust_contrast, adjust_saturation};

/// Augments `img` HALCON-style: with probability `params.percentage / 100` the image is
/// augmented, and then each enabled operation is applied with its own random draw, in the
/// order mirror, 90° rotation, rotation, crop, brightness, contrast, saturation.
///
/// The output always has the input's size; 90° rotations are only applied to square
/// images. The result depends only on the image, the parameters and the generator's
/// state, so a seeded generator (see [`crate::seeded_rng`]) makes it reproducible.
/// Non-finite or non-positive parameters disable their operation.
pub fn augment(img: &ImageF32, params: &AugmentParams, rng: &mut impl Rng) -> ImageF32 {
    let empty = img.width == 0 || img.height == 0 || img.channels == 0;
    if empty || !img.is_consistent() || !enabled(params.percentage) {
        return img.clone();
    }
    if rng.random::<f32>() * 100.0 >= params.percentage {
        return img.clone();
    }
    let mut out = img.clone();
    let (mirror_h, mirror_v) = match params.mirror {
        Mirror::None => (false, false),
        Mirror::Horizontal => (true, false),
        Mirror::Vertical => (false, true),
        Mirror::Both => (true, true),
    };
    if mirror_h && rng.random::<bool>() {
        out = flip_horizontal(&out);
    }
    if mirror_v && rng.random::<bool>() {
        out = flip_vertical(&out);
    }
    if params.rotate_90 && out.width == out.height {
        out = rotate_90(&out, rng.random_range(0..4u32));
    }
    if enabled(params.rotation_range_deg) {
        out = rotate(&out, symmetric(rng, params.rotation_range_deg));
    }
    if enabled(params.crop_percentage) {
        out = random_crop(&out, params.crop_percentage.min(99.0), rng);
    }
    if enabled(params.brightness) {
        adjust_brightness(&mut out, symmetric(rng, params.brightness));
    }
    if enabled(params.contrast) {
        adjust_contrast(&mut out, 1.0 + symmetric(rng, params.contrast));
    }
    if enabled(params.saturation) && out.channels == 3 {
        adjust_saturation(&mut out, 1.0 + symmetric(rng, params.saturation));
    }
    out
}

/// Whether a parameter switches its operation on.
fn enabled(v: f32) -> bool {
    v.is_finite() && v > 0.0
}

/// Uniform draw in `[-range, range)`.
fn symmetric(rng: &mut impl Rng, range: f32) -> f32 {
    (rng.random::<f32>() * 2.0 - 1.0) * range
}

/// Crops away a uniform random share of up to `max_percent` % of the area (same aspect
/// ratio, random position) and resizes back.
fn random_crop(img: &ImageF32, max_percent: f32, rng: &mut impl Rng) -> ImageF32 {
    let kept = 1.0 - rng.random::<f32>() * max_percent / 100.0;
    let side = kept.sqrt();
    let cw = (img.width as f32 * side).max(1.0);
    let ch = (img.height as f32 * side).max(1.0);
    let x0 = rng.random::<f32>() * (img.width as f32 - cw);
    let y0 = rng.random::<f32>() * (img.height as f32 - ch);
    crop_resize(img, x0, y0, cw, ch)
}
