//! Turning [`ImageF32`] into displayable RGB bytes, and blending colours.

use image::RgbImage;

use crate::ImageF32;

/// Converts a `[0, 1]` image to 8-bit RGB: grey (1 or 2 channels; the second, alpha, is
/// ignored) is replicated to all three, 3 or more channels take the first three. Values
/// are clamped to `[0, 1]`; NaN, missing samples (inconsistent `data`) and images without
/// channels give black.
pub fn image_to_rgb(image: &ImageF32) -> RgbImage {
    RgbImage::from_fn(image.width, image.height, |x, y| {
        image::Rgb(pixel_rgb(image, x, y))
    })
}

/// Pixel `(x, y)` of `image` as RGB bytes (see [`image_to_rgb`]).
pub(crate) fn pixel_rgb(image: &ImageF32, x: u32, y: u32) -> [u8; 3] {
    let byte = |c: u32| to_byte(image.get(x, y, c).unwrap_or(0.0));
    if image.channels >= 3 {
        [byte(0), byte(1), byte(2)]
    } else {
        [byte(0); 3]
    }
}

/// `[0, 1]` → `0..=255`, clamped, NaN as 0.
fn to_byte(v: f32) -> u8 {
    if v.is_nan() {
        0
    } else {
        (v.clamp(0.0, 1.0) * 255.0).round() as u8
    }
}

/// `(1 - alpha) * base + alpha * colour`, rounded.
pub(crate) fn blend(base: [u8; 3], colour: [u8; 3], alpha: f32) -> [u8; 3] {
    std::array::from_fn(|c| {
        (f32::from(base[c]) * (1.0 - alpha) + f32::from(colour[c]) * alpha).round() as u8
    })
}

/// `alpha` clamped to `[0, 1]`, NaN as 0.
pub(crate) fn unit_alpha(alpha: f32) -> f32 {
    if alpha.is_nan() {
        0.0
    } else {
        alpha.clamp(0.0, 1.0)
    }
}
