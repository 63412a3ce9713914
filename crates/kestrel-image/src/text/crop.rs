//! Cutting a rotated rectangle out of an image as an upright crop.

use image::{Rgb, RgbImage};

use crate::{ImageError, RotatedRect};

/// The largest crop side [`rectified_crop`] makes, in pixels.
pub const MAX_CROP_SIDE: u32 = 1 << 15;

/// The part of `image` under `rect`, turned upright: `round(2 * length1)` pixels wide and
/// `round(2 * length2)` high (at least 1), the crop's x axis along `phi` (the reading
/// direction) and its y axis along `(sin phi, cos phi)` in `(x, y)`, i.e. a quarter turn
/// clockwise on screen from it. The crop's top-left, top-right, bottom-right and
/// bottom-left corners are `rect.corners()[2]`, `[3]`, `[0]` and `[1]` of `kestrel-geom`'s
/// [`RotatedBox::corners`](kestrel_geom::RotatedBox::corners).
///
/// Every crop pixel samples the image bilinearly at its centre's position (crate
/// coordinates: pixel centres at `+0.5`); positions outside the image take the nearest
/// edge pixel. The crop is not turned further when it comes out taller than wide (PaddleOCR
/// turns crops with height / width >= 1.5 by a quarter); that is the caller's decision.
///
/// Fails with [`ImageError::InvalidInput`] for an image without pixels, a rectangle with
/// a non-finite or negative value, or a crop side above [`MAX_CROP_SIDE`].
pub fn rectified_crop(image: &RgbImage, rect: &RotatedRect) -> Result<RgbImage, ImageError> {
    let (iw, ih) = image.dimensions();
    if iw == 0 || ih == 0 {
        return Err(ImageError::InvalidInput(format!(
            "cannot crop from an empty {iw}x{ih} image"
        )));
    }
    if !rect.is_finite() || rect.length1 < 0.0 || rect.length2 < 0.0 {
        return Err(ImageError::InvalidInput(format!(
            "cannot crop the rectangle {rect:?}"
        )));
    }
    let (l1, l2) = (f64::from(rect.length1), f64::from(rect.length2));
    let side = |half: f64| (2.0 * half).round().max(1.0);
    let (cw, ch) = (side(l1), side(l2));
    if cw > f64::from(MAX_CROP_SIDE) || ch > f64::from(MAX_CROP_SIDE) {
        return Err(ImageError::InvalidInput(format!(
            "a crop of {cw} x {ch} pixels is larger than {MAX_CROP_SIDE} a side"
        )));
    }
    // Crop pixel centre (i + 0.5, j + 0.5) -> offsets (du, dv) along u and v from the
    // rectangle's centre; the crop's sides span the rectangle's exactly.
    let (su, sv) = (2.0 * l1 / cw, 2.0 * l2 / ch);
    let (sin, cos) = f64::from(rect.phi).sin_cos();
    let (u, v) = ((cos, -sin), (sin, cos));
    let (col, row) = (f64::from(rect.col), f64::from(rect.row));
    Ok(RgbImage::from_fn(cw as u32, ch as u32, |i, j| {
        let du = (f64::from(i) + 0.5) * su - l1;
        let dv = (f64::from(j) + 0.5) * sv - l2;
        let x = col + du * u.0 + dv * v.0;
        let y = row + du * u.1 + dv * v.1;
        bilinear(image, x, y)
    }))
}

/// `image` at the continuous position `(x, y)` (pixel centres at `+0.5`), interpolated
/// bilinearly between the four nearest pixel centres, positions outside clamped to the
/// edge pixels.
fn bilinear(image: &RgbImage, x: f64, y: f64) -> Rgb<u8> {
    let (w, h) = image.dimensions();
    let (px, py) = (x - 0.5, y - 0.5);
    let (fx, fy) = (px.floor(), py.floor());
    let (tx, ty) = (px - fx, py - fy);
    // Saturating casts and clamping keep far-off positions on the edge.
    let clamp = |v: f64, n: u32| (v as i64).clamp(0, i64::from(n) - 1) as u32;
    let (x0, x1) = (clamp(fx, w), clamp(fx + 1.0, w));
    let (y0, y1) = (clamp(fy, h), clamp(fy + 1.0, h));
    let (a, b) = (image.get_pixel(x0, y0).0, image.get_pixel(x1, y0).0);
    let (c, d) = (image.get_pixel(x0, y1).0, image.get_pixel(x1, y1).0);
    Rgb(std::array::from_fn(|k| {
        let top = f64::from(a[k]) * (1.0 - tx) + f64::from(b[k]) * tx;
        let bottom = f64::from(c[k]) * (1.0 - tx) + f64::from(d[k]) * tx;
        (top * (1.0 - ty) + bottom * ty).round().clamp(0.0, 255.0) as u8
    }))
}
