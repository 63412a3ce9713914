//! Random data augmentation of [`ImageF32`] images, alone or with their label images.

mod augment_plan;
mod boxes;
mod geometry;
mod params;
mod photometric;
mod plan;
mod raster;

pub use augment_plan::AugmentPlan;
pub use boxes::{
    MIN_BOX_AREA, MIN_VISIBLE_FRACTION, augment_with_boxes, augment_with_rotated_boxes,
};
pub use params::{AugmentParams, Mirror};

use rand::{Rng, RngExt};

use crate::{ImageF32, LabelImage};

/// Augments `img` HALCON-style: with probability `params.percentage / 100` the image is
/// augmented, and then each enabled operation is applied with its own random draw, in the
/// order mirror, 90° rotation, rotation, crop, brightness, contrast, saturation.
///
/// The output always has the input's size; 90° rotations are only applied to square
/// images. The result depends only on the image, the parameters and the generator's
/// state, so a seeded generator (see [`crate::seeded_rng`]) makes it reproducible.
/// Non-finite or non-positive parameters disable their operation.
pub fn augment(img: &ImageF32, params: &AugmentParams, rng: &mut impl Rng) -> ImageF32 {
    AugmentPlan::draw(params, img.width, img.height, img.channels, rng).apply(img)
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
    let plan = AugmentPlan::draw(params, image.width, image.height, image.channels, rng);
    let out = plan.apply(image);
    let out_labels = plan.apply_labels(labels, image.width, image.height);
    (out, out_labels)
}

/// Whether a parameter switches its operation on.
fn enabled(v: f32) -> bool {
    v.is_finite() && v > 0.0
}

/// Uniform draw in `[-range, range)`.
fn symmetric(rng: &mut impl Rng, range: f32) -> f32 {
    (rng.random::<f32>() * 2.0 - 1.0) * range
}
