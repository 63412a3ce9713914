//! Geometric transforms: mirroring, 90° rotation, rotation, cropping.
//!
//! Each transform only computes where an output pixel comes from; [`Raster`] fetches the
//! pixel, so images (bilinear) and label images (nearest neighbour) share this code and
//! move identically.

use super::raster::Raster;

/// Left-right mirror.
pub(crate) fn flip_horizontal<R: Raster>(img: &R) -> R {
    let w = img.width();
    img.remap(w, img.height(), |x, y| (w - 1 - x, y))
}

/// Top-bottom mirror.
pub(crate) fn flip_vertical<R: Raster>(img: &R) -> R {
    let h = img.height();
    img.remap(img.width(), h, |x, y| (x, h - 1 - y))
}

/// Rotation by `quarter_turns * 90°` clockwise (as displayed, y pointing down).
/// Odd turns swap width and height.
pub(crate) fn rotate_90<R: Raster>(img: &R, quarter_turns: u32) -> R {
    let (w, h) = (img.width(), img.height());
    match quarter_turns % 4 {
        0 => img.clone(),
        1 => img.remap(h, w, |x, y| (y, h - 1 - x)),
        2 => img.remap(w, h, |x, y| (w - 1 - x, h - 1 - y)),
        _ => img.remap(h, w, |x, y| (w - 1 - y, x)),
    }
}

/// Rotation by `degrees` (clockwise as displayed) about the image centre, border
/// replicate; the output keeps the input's size.
pub(crate) fn rotate<R: Raster>(img: &R, degrees: f32) -> R {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let cx = (img.width() as f32 - 1.0) / 2.0;
    let cy = (img.height() as f32 - 1.0) / 2.0;
    img.resample(|x, y| {
        let (dx, dy) = (x - cx, y - cy);
        // Inverse rotation maps each output pixel back into the source.
        (cx + cos * dx + sin * dy, cy - sin * dx + cos * dy)
    })
}

/// Crops the rectangle at `(x0, y0)` of size `cw x ch` (pixels, fractional allowed) and
/// resizes it back to the image's size (pixel centres mapped onto pixel centres).
pub(crate) fn crop_resize<R: Raster>(img: &R, x0: f32, y0: f32, cw: f32, ch: f32) -> R {
    let sx = cw / img.width() as f32;
    let sy = ch / img.height() as f32;
    img.resample(|x, y| (x0 + (x + 0.5) * sx - 0.5, y0 + (y + 0.5) * sy - 0.5))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ImageF32, LabelImage};

    fn square() -> ImageF32 {
        ImageF32 {
            width: 5,
            height: 5,
            channels: 1,
            data: (0..25).map(|i| i as f32 / 25.0).collect(),
        }
    }

    fn square_labels() -> LabelImage {
        LabelImage {
            width: 5,
            height: 5,
            data: (0..25).collect(),
        }
    }

    #[test]
    fn rotate_by_90_degrees_matches_the_exact_quarter_turn() {
        let img = square();
        let labels = square_labels();
        for (deg, k) in [(90.0, 1), (180.0, 2), (-90.0, 3), (0.0, 0)] {
            let a = rotate(&img, deg);
            let b = rotate_90(&img, k);
            for (x, y) in a.data.iter().zip(&b.data) {
                assert!((x - y).abs() < 1e-5, "{deg}°: {:?} vs {:?}", a.data, b.data);
            }
            assert_eq!(rotate(&labels, deg), rotate_90(&labels, k), "{deg}°");
        }
    }

    #[test]
    fn full_crop_is_the_identity() {
        let img = square();
        let out = crop_resize(&img, 0.0, 0.0, 5.0, 5.0);
        for (x, y) in out.data.iter().zip(&img.data) {
            assert!((x - y).abs() < 1e-6);
        }
        let labels = square_labels();
        assert_eq!(crop_resize(&labels, 0.0, 0.0, 5.0, 5.0), labels);
    }

    #[test]
    fn flips_are_involutions() {
        let img = square();
        assert_eq!(flip_horizontal(&flip_horizontal(&img)), img);
        assert_eq!(flip_vertical(&flip_vertical(&img)), img);
        assert_eq!(rotate_90(&rotate_90(&img, 1), 3), img);
        let labels = square_labels();
        assert_eq!(flip_horizontal(&flip_horizontal(&labels)), labels);
        assert_eq!(rotate_90(&rotate_90(&labels, 1), 3), labels);
    }
}
