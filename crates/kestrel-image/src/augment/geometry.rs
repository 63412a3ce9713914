//! Geometric transforms of [`ImageF32`]: mirroring, 90° rotation, rotation, cropping.

use crate::ImageF32;

/// Builds an image of `w x h` (same channels as `src`) whose pixel `(x, y)` is
/// `src`'s pixel `f(x, y)`.
fn remap(src: &ImageF32, w: u32, h: u32, f: impl Fn(u32, u32) -> (u32, u32)) -> ImageF32 {
    let c = src.channels as usize;
    let mut out = ImageF32::zeros(w, h, src.channels);
    for y in 0..h {
        for x in 0..w {
            let (sx, sy) = f(x, y);
            let (d, s) = (out.index(x, y, 0), src.index(sx, sy, 0));
            out.data[d..d + c].copy_from_slice(&src.data[s..s + c]);
        }
    }
    out
}

/// Left-right mirror.
pub fn flip_horizontal(img: &ImageF32) -> ImageF32 {
    let w = img.width;
    remap(img, w, img.height, |x, y| (w - 1 - x, y))
}

/// Top-bottom mirror.
pub fn flip_vertical(img: &ImageF32) -> ImageF32 {
    let h = img.height;
    remap(img, img.width, h, |x, y| (x, h - 1 - y))
}

/// Rotation by `quarter_turns * 90°` clockwise (as displayed, y pointing down).
/// Odd turns swap width and height.
pub fn rotate_90(img: &ImageF32, quarter_turns: u32) -> ImageF32 {
    let (w, h) = (img.width, img.height);
    match quarter_turns % 4 {
        0 => img.clone(),
        1 => remap(img, h, w, |x, y| (y, h - 1 - x)),
        2 => remap(img, w, h, |x, y| (w - 1 - x, h - 1 - y)),
        _ => remap(img, h, w, |x, y| (w - 1 - y, x)),
    }
}

/// Bilinear sample at `(sx, sy)` with coordinates clamped to the image (border
/// replicate), written to `out` (one value per channel).
fn sample_bilinear(img: &ImageF32, sx: f32, sy: f32, out: &mut [f32]) {
    let max_x = (img.width - 1) as f32;
    let max_y = (img.height - 1) as f32;
    let sx = sx.clamp(0.0, max_x);
    let sy = sy.clamp(0.0, max_y);
    let (x0, y0) = (sx.floor() as u32, sy.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(img.width - 1), (y0 + 1).min(img.height - 1));
    let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
    let c = img.channels as usize;
    let (i00, i10) = (img.index(x0, y0, 0), img.index(x1, y0, 0));
    let (i01, i11) = (img.index(x0, y1, 0), img.index(x1, y1, 0));
    for (ch, o) in out.iter_mut().enumerate().take(c) {
        let top = img.data[i00 + ch] * (1.0 - fx) + img.data[i10 + ch] * fx;
        let bottom = img.data[i01 + ch] * (1.0 - fx) + img.data[i11 + ch] * fx;
        *o = top * (1.0 - fy) + bottom * fy;
    }
}

/// Builds a same-size image whose pixel `(x, y)` is `src` sampled bilinearly at `f(x, y)`.
fn resample(src: &ImageF32, f: impl Fn(f32, f32) -> (f32, f32)) -> ImageF32 {
    let c = src.channels as usize;
    let mut out = ImageF32::zeros(src.width, src.height, src.channels);
    for y in 0..src.height {
        for x in 0..src.width {
            let (sx, sy) = f(x as f32, y as f32);
            let d = out.index(x, y, 0);
            sample_bilinear(src, sx, sy, &mut out.data[d..d + c]);
        }
    }
    out
}

/// Rotation by `degrees` (clockwise as displayed) about the image centre, bilinear,
/// border replicate; the output keeps the input's size.
pub fn rotate(img: &ImageF32, degrees: f32) -> ImageF32 {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let cx = (img.width as f32 - 1.0) / 2.0;
    let cy = (img.height as f32 - 1.0) / 2.0;
    resample(img, |x, y| {
        let (dx, dy) = (x - cx, y - cy);
        // Inverse rotation maps each output pixel back into the source.
        (cx + cos * dx + sin * dy, cy - sin * dx + cos * dy)
    })
}

/// Crops the rectangle at `(x0, y0)` of size `cw x ch` (pixels, fractional allowed) and
/// resizes it bilinearly back to the image's size.
pub fn crop_resize(img: &ImageF32, x0: f32, y0: f32, cw: f32, ch: f32) -> ImageF32 {
    let sx = cw / img.width as f32;
    let sy = ch / img.height as f32;
    resample(img, |x, y| {
        (x0 + (x + 0.5) * sx - 0.5, y0 + (y + 0.5) * sy - 0.5)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> ImageF32 {
        ImageF32 {
            width: 5,
            height: 5,
            channels: 1,
            data: (0..25).map(|i| i as f32 / 25.0).collect(),
        }
    }

    #[test]
    fn rotate_by_90_degrees_matches_the_exact_quarter_turn() {
        let img = square();
        for (deg, k) in [(90.0, 1), (180.0, 2), (-90.0, 3), (0.0, 0)] {
            let a = rotate(&img, deg);
            let b = rotate_90(&img, k);
            for (x, y) in a.data.iter().zip(&b.data) {
                assert!((x - y).abs() < 1e-5, "{deg}°: {:?} vs {:?}", a.data, b.data);
            }
        }
    }

    #[test]
    fn full_crop_is_the_identity() {
        let img = square();
        let out = crop_resize(&img, 0.0, 0.0, 5.0, 5.0);
        for (x, y) in out.data.iter().zip(&img.data) {
            assert!((x - y).abs() < 1e-6);
        }
    }

    #[test]
    fn flips_are_involutions() {
        let img = square();
        assert_eq!(flip_horizontal(&flip_horizontal(&img)), img);
        assert_eq!(flip_vertical(&flip_vertical(&img)), img);
        assert_eq!(rotate_90(&rotate_90(&img, 1), 3), img);
    }
}
