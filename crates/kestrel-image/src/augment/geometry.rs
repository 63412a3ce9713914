//! Geometric transforms: mirroring, 90° rotation, rotation, cropping.
//!
//! Each transform only computes where an output pixel comes from; [`Raster`] fetches the
//! pixel, so images (bilinear) and label images (nearest neighbour) share this code and
//! move identically. Next to each of these sampling maps (output → source) lives its
//! forward map (source → output), which moves points such as box corners the same way.
//!
//! All coordinates here have pixel centres at integer positions: pixel `(x, y)` covers
//! `[x - 0.5, x + 0.5) x [y - 0.5, y + 0.5)`.

use std::ops::Sub;

use super::raster::Raster;

/// The source of position `v` under a mirror along an axis whose last pixel is `last`
/// (`size - 1`). A mirror is its own inverse, so this is also its forward map.
pub(crate) fn mirrored<T: Sub<Output = T>>(last: T, v: T) -> T {
    last - v
}

/// The source of output position `(x, y)` under a rotation by `quarter_turns * 90°`
/// clockwise of an image whose last column and row are `last_x` and `last_y`.
fn quarter_turn_source<T: Copy + Sub<Output = T>>(
    quarter_turns: u32,
    last_x: T,
    last_y: T,
    x: T,
    y: T,
) -> (T, T) {
    match quarter_turns % 4 {
        0 => (x, y),
        1 => (y, last_y - x),
        2 => (last_x - x, last_y - y),
        _ => (last_x - y, x),
    }
}

/// Where source point `(x, y)` of a `width x height` image lands under a rotation by
/// `quarter_turns * 90°` clockwise: the inverse of `k` turns is `4 - k` turns of the
/// output (whose width and height are swapped for odd `k`).
pub(crate) fn quarter_turn_forward(
    quarter_turns: u32,
    width: f32,
    height: f32,
    x: f32,
    y: f32,
) -> (f32, f32) {
    let k = quarter_turns % 4;
    let (ow, oh) = if k % 2 == 1 {
        (height, width)
    } else {
        (width, height)
    };
    quarter_turn_source(4 - k, ow - 1.0, oh - 1.0, x, y)
}

/// Left-right mirror.
pub(crate) fn flip_horizontal<R: Raster>(img: &R) -> R {
    let w = img.width();
    img.remap(w, img.height(), |x, y| (mirrored(w - 1, x), y))
}

/// Top-bottom mirror.
pub(crate) fn flip_vertical<R: Raster>(img: &R) -> R {
    let h = img.height();
    img.remap(img.width(), h, |x, y| (x, mirrored(h - 1, y)))
}

/// Rotation by `quarter_turns * 90°` clockwise (as displayed, y pointing down).
/// Odd turns swap width and height.
pub(crate) fn rotate_90<R: Raster>(img: &R, quarter_turns: u32) -> R {
    let (w, h) = (img.width(), img.height());
    match quarter_turns % 4 {
        0 => img.clone(),
        k => {
            let (ow, oh) = if k % 2 == 1 { (h, w) } else { (w, h) };
            img.remap(ow, oh, |x, y| quarter_turn_source(k, w - 1, h - 1, x, y))
        }
    }
}

/// A rotation by some degrees (clockwise as displayed) about the centre of a
/// `width x height` image.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rotation {
    sin: f32,
    cos: f32,
    cx: f32,
    cy: f32,
}

impl Rotation {
    /// The rotation by `degrees` of a `width x height` image.
    pub(crate) fn new(width: u32, height: u32, degrees: f32) -> Self {
        let (sin, cos) = degrees.to_radians().sin_cos();
        Self {
            sin,
            cos,
            cx: (width as f32 - 1.0) / 2.0,
            cy: (height as f32 - 1.0) / 2.0,
        }
    }

    /// Where output point `(x, y)` comes from (the inverse rotation).
    fn source(&self, x: f32, y: f32) -> (f32, f32) {
        let (dx, dy) = (x - self.cx, y - self.cy);
        let (sin, cos) = (self.sin, self.cos);
        (self.cx + cos * dx + sin * dy, self.cy - sin * dx + cos * dy)
    }

    /// Where source point `(x, y)` lands.
    pub(crate) fn forward(&self, x: f32, y: f32) -> (f32, f32) {
        let (dx, dy) = (x - self.cx, y - self.cy);
        let (sin, cos) = (self.sin, self.cos);
        (self.cx + cos * dx - sin * dy, self.cy + sin * dx + cos * dy)
    }
}

/// Rotation by `degrees` (clockwise as displayed) about the image centre, border
/// replicate; the output keeps the input's size.
pub(crate) fn rotate<R: Raster>(img: &R, degrees: f32) -> R {
    let rotation = Rotation::new(img.width(), img.height(), degrees);
    img.resample(|x, y| rotation.source(x, y))
}

/// The crop of the rectangle at `(x0, y0)` of size `cw x ch` (pixels, fractional allowed;
/// `(x0, y0)` is the rectangle's top-left corner, i.e. pixel edges at half-integers
/// shifted by it) out of a `width x height` image, resized back to `width x height` with
/// pixel centres mapped onto pixel centres.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CropMap {
    x0: f32,
    y0: f32,
    sx: f32,
    sy: f32,
}

impl CropMap {
    /// The crop `(x0, y0, cw, ch)` of a `width x height` image.
    pub(crate) fn new(width: u32, height: u32, x0: f32, y0: f32, cw: f32, ch: f32) -> Self {
        Self {
            x0,
            y0,
            sx: cw / width as f32,
            sy: ch / height as f32,
        }
    }

    /// Where output point `(x, y)` comes from.
    fn source(&self, x: f32, y: f32) -> (f32, f32) {
        (
            self.x0 + (x + 0.5) * self.sx - 0.5,
            self.y0 + (y + 0.5) * self.sy - 0.5,
        )
    }

    /// Where source point `(x, y)` lands.
    pub(crate) fn forward(&self, x: f32, y: f32) -> (f32, f32) {
        (
            (x + 0.5 - self.x0) / self.sx - 0.5,
            (y + 0.5 - self.y0) / self.sy - 0.5,
        )
    }
}

/// Crops the rectangle at `(x0, y0)` of size `cw x ch` (pixels, fractional allowed) and
/// resizes it back to the image's size (pixel centres mapped onto pixel centres).
pub(crate) fn crop_resize<R: Raster>(img: &R, x0: f32, y0: f32, cw: f32, ch: f32) -> R {
    let crop = CropMap::new(img.width(), img.height(), x0, y0, cw, ch);
    img.resample(|x, y| crop.source(x, y))
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

    fn close(a: (f32, f32), b: (f32, f32)) -> bool {
        (a.0 - b.0).abs() < 1e-4 && (a.1 - b.1).abs() < 1e-4
    }

    #[test]
    fn forward_maps_invert_the_sampling_maps() {
        let points = [(0.0, 0.0), (3.25, 1.5), (-0.5, 4.5), (6.0, -2.0)];
        for (w, h) in [(5u32, 5u32), (7, 4)] {
            let (wf, hf) = (w as f32, h as f32);
            for k in 0..4 {
                let (ow, oh) = if k % 2 == 1 { (h, w) } else { (w, h) };
                for &(x, y) in &points {
                    let out = quarter_turn_forward(k, wf, hf, x, y);
                    let back = quarter_turn_source(k, wf - 1.0, hf - 1.0, out.0, out.1);
                    assert_eq!(back, (x, y), "{k} turns of {w}x{h}");
                }
                // Pixels land where the forward map sends their centres.
                let labels = LabelImage {
                    width: w,
                    height: h,
                    data: (0..(w * h) as u8).collect(),
                };
                let turned = rotate_90(&labels, k);
                assert_eq!((turned.width, turned.height), (ow, oh));
                for y in 0..h {
                    for x in 0..w {
                        let (tx, ty) = quarter_turn_forward(k, wf, hf, x as f32, y as f32);
                        assert_eq!(
                            turned.get(tx as u32, ty as u32),
                            labels.get(x, y),
                            "{k} turns of {w}x{h}"
                        );
                    }
                }
            }
            let rotation = Rotation::new(w, h, 12.5);
            let crop = CropMap::new(w, h, 0.75, 0.25, 3.5, 2.5);
            for &(x, y) in &points {
                let r = rotation.forward(x, y);
                assert!(close(rotation.source(r.0, r.1), (x, y)));
                let c = crop.forward(x, y);
                assert!(close(crop.source(c.0, c.1), (x, y)));
                assert_eq!(mirrored(wf - 1.0, mirrored(wf - 1.0, x)), x);
            }
        }
    }
}
