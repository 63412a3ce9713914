//! Helpers shared by the integration tests: small synthetic images and parameters.
#![allow(dead_code)]

use image::{ImageBuffer, Luma, LumaA, Rgb, Rgba};
use kestrel_image::{Normalization, PreprocessParams};

/// Parameters with the unit range.
pub fn params(width: u32, height: u32, num_channels: u32) -> PreprocessParams {
    PreprocessParams {
        width,
        height,
        num_channels,
        normalization: Normalization::unit(),
    }
}

/// 8-bit grey gradient: value at (x, y) = 10 * x + 40 * y.
pub fn grey8(w: u32, h: u32) -> ImageBuffer<Luma<u8>, Vec<u8>> {
    ImageBuffer::from_fn(w, h, |x, y| Luma([(10 * x + 40 * y) as u8]))
}

/// 8-bit RGB pattern: (20x, 30y, 200).
pub fn rgb8(w: u32, h: u32) -> ImageBuffer<Rgb<u8>, Vec<u8>> {
    ImageBuffer::from_fn(w, h, |x, y| Rgb([(20 * x) as u8, (30 * y) as u8, 200]))
}

/// 16-bit grey: value at (x, y) = 1000 * x + 7000 * y + 3.
pub fn grey16(w: u32, h: u32) -> ImageBuffer<Luma<u16>, Vec<u16>> {
    ImageBuffer::from_fn(w, h, |x, y| Luma([(1000 * x + 7000 * y + 3) as u16]))
}

/// 16-bit RGB: (1000x + 1, 2000y + 2, 65535).
pub fn rgb16(w: u32, h: u32) -> ImageBuffer<Rgb<u16>, Vec<u16>> {
    ImageBuffer::from_fn(w, h, |x, y| {
        Rgb([(1000 * x + 1) as u16, (2000 * y + 2) as u16, 65535])
    })
}

/// 8-bit grey with alpha.
pub fn grey_alpha8(w: u32, h: u32) -> ImageBuffer<LumaA<u8>, Vec<u8>> {
    ImageBuffer::from_fn(w, h, |x, _| LumaA([(50 * x) as u8, 17]))
}

/// 8-bit RGBA.
pub fn rgba8(w: u32, h: u32) -> ImageBuffer<Rgba<u8>, Vec<u8>> {
    ImageBuffer::from_fn(w, h, |x, y| Rgba([(20 * x) as u8, (30 * y) as u8, 90, 3]))
}

/// 16-bit RGBA.
pub fn rgba16(w: u32, h: u32) -> ImageBuffer<Rgba<u16>, Vec<u16>> {
    ImageBuffer::from_fn(w, h, |x, y| {
        Rgba([(1000 * x) as u16, (900 * y) as u16, 40000, 5])
    })
}

/// Asserts two floats agree within `tol`.
pub fn assert_close(a: f32, b: f32, tol: f32, what: &str) {
    assert!((a - b).abs() <= tol, "{what}: {a} vs {b} (tol {tol})");
}
