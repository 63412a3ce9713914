//! Random data augmentation of [`ImageF32`] images, alone or with their label images.

mod boxes;
mod geometry;
mod params;
mod photometric;
mod plan;
mod raster;

pub use boxes::{
    MIN_BOX_AREA, MIN_VISIBLE_FRACTION, augment_with_boxes, augment_with_rotated_boxes,
};
pub use params::{AugmentParams, Mirror};

use rand::{Rng, RngExt};

use crate::{ImageF32, LabelImage};
use photometric::{adjust_brightness, adjust_contrast, adjust_saturation};
use plan::GeometryPlan;

/// Augments `img` HALCON-style: with probability `params.percentage / 100` the image is
/// augmented, and then each enabled operation is applied with its own random draw, in the
/// order mirror, 90° rotation, rotation, crop, brightness, contrast, saturation.
///
/// The output always has the input's size; 90° rotations are only applied to square
/// images. The result depends only on the image, the parameters and the generator's
/// state, so a seeded generator (see [`crate::seeded_rng`]) makes it reproducible.
/// Non-finite or non-positive parameters disable their operation.
pub fn augment(img: &ImageF32, params: &AugmentParams, rng: &mut impl Rng) -> ImageF32 {
    augment_planned(img, params, rng).0
}

/// Augments an image together with its label image (segmentation): the same geometric
/// transforms (mirrors, 90° rotations, rotation, crop) move both, the image sampled
/// bilinearly and the labels by nearest neighbour (class ids are never blended);
/// brightness, contrast and saturation change the image only.
///
/// For a given generator state the image comes out exactly as [`augment`] would return
/// it, and the generator advances the same way. Labels of another size than the image (or
/// whose `data` does not hold `width * height` ids) are first resized to the image's size
/// with [`LabelImage::resize_nearest`], so the returned labels always match the image.
pub fn augment_pair(
    image: &ImageF32,
    labels: &LabelImage,
    params: &AugmentParams,
    rng: &mut impl Rng,
) -> (ImageF32, LabelImage) {
    let labels = labels.resize_nearest(image.width, image.height);
    let (out, plan) = augment_planned(image, params, rng);
    let out_labels = match plan {
        Some(plan) => plan.apply(&labels),
        None => labels,
    };
    (out, out_labels)
}

/// What [`augment`] does, also returning the geometric plan it applied (`None` when the
/// image was left unchanged), so that annotations can follow the image.
fn augment_planned(
    img: &ImageF32,
    params: &AugmentParams,
    rng: &mut impl Rng,
) -> (ImageF32, Option<GeometryPlan>) {
    let Some(plan) = draw_geometry(img, params, rng) else {
        return (img.clone(), None);
    };
    let mut out = plan.apply(img);
    apply_photometric(&mut out, params, rng);
    (out, Some(plan))
}

/// Decides whether `img` is augmented at all and, if so, draws its geometric transforms.
/// `None` leaves the image unchanged (also for empty or inconsistent images).
fn draw_geometry(
    img: &ImageF32,
    params: &AugmentParams,
    rng: &mut impl Rng,
) -> Option<GeometryPlan> {
    let empty = img.width == 0 || img.height == 0 || img.channels == 0;
    if empty || !img.is_consistent() || !enabled(params.percentage) {
        return None;
    }
    if rng.random::<f32>() * 100.0 >= params.percentage {
        return None;
    }
    Some(GeometryPlan::draw(params, img.width, img.height, rng))
}

/// Draws and applies brightness, contrast and saturation changes, in that order.
fn apply_photometric(img: &mut ImageF32, params: &AugmentParams, rng: &mut impl Rng) {
    if enabled(params.brightness) {
        adjust_brightness(img, symmetric(rng, params.brightness));
    }
    if enabled(params.contrast) {
        adjust_contrast(img, 1.0 + symmetric(rng, params.contrast));
    }
    if enabled(params.saturation) && img.channels == 3 {
        adjust_saturation(img, 1.0 + symmetric(rng, params.saturation));
    }
}

/// Whether a parameter switches its operation on.
fn enabled(v: f32) -> bool {
    v.is_finite() && v > 0.0
}

/// Uniform draw in `[-range, range)`.
fn symmetric(rng: &mut impl Rng, range: f32) -> f32 {
    (rng.random::<f32>() * 2.0 - 1.0) * range
}
