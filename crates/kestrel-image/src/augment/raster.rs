//! Pixel access the geometric transforms need, for images (bilinear) and label images
//! (nearest neighbour).
//!
//! The transforms in [`super::geometry`] only compute coordinates; how a pixel is fetched
//! from those coordinates is the one thing that differs between an [`ImageF32`] and a
//! [`LabelImage`], and lives here.

use crate::{ImageF32, LabelImage};

/// An image the geometric transforms can move pixels of.
pub(crate) trait Raster: Clone {
    /// Width in pixels.
    fn width(&self) -> u32;
    /// Height in pixels.
    fn height(&self) -> u32;
    /// An image of `w x h` whose pixel `(x, y)` is this image's pixel `f(x, y)` (exact
    /// moves: mirrors, quarter turns). `f` must stay inside the image.
    fn remap(&self, w: u32, h: u32, f: impl Fn(u32, u32) -> (u32, u32)) -> Self;
    /// A same-size image whose pixel `(x, y)` is this image sampled at the continuous
    /// position `f(x, y)` (pixel centres at integer coordinates), clamped to the image
    /// (border replicate).
    fn resample(&self, f: impl Fn(f32, f32) -> (f32, f32)) -> Self;
}

impl Raster for ImageF32 {
    fn width(&self) -> u32 {
        self.width
    }

    fn height(&self) -> u32 {
        self.height
    }

    fn remap(&self, w: u32, h: u32, f: impl Fn(u32, u32) -> (u32, u32)) -> Self {
        let c = self.channels as usize;
        let mut out = ImageF32::zeros(w, h, self.channels);
        for y in 0..h {
            for x in 0..w {
                let (sx, sy) = f(x, y);
                let (d, s) = (out.index(x, y, 0), self.index(sx, sy, 0));
                out.data[d..d + c].copy_from_slice(&self.data[s..s + c]);
            }
        }
        out
    }

    /// Bilinear interpolation.
    fn resample(&self, f: impl Fn(f32, f32) -> (f32, f32)) -> Self {
        let c = self.channels as usize;
        let mut out = ImageF32::zeros(self.width, self.height, self.channels);
        for y in 0..self.height {
            for x in 0..self.width {
                let (sx, sy) = f(x as f32, y as f32);
                let d = out.index(x, y, 0);
                sample_bilinear(self, sx, sy, &mut out.data[d..d + c]);
            }
        }
        out
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

impl Raster for LabelImage {
    fn width(&self) -> u32 {
        self.width
    }

    fn height(&self) -> u32 {
        self.height
    }

    fn remap(&self, w: u32, h: u32, f: impl Fn(u32, u32) -> (u32, u32)) -> Self {
        let mut out = LabelImage::zeros(w, h);
        for y in 0..h {
            for x in 0..w {
                let (sx, sy) = f(x, y);
                let d = out.index(x, y);
                out.data[d] = self.data[self.index(sx, sy)];
            }
        }
        out
    }

    /// Nearest neighbour: the pixel whose centre is closest to the clamped position, so
    /// class ids are never blended.
    fn resample(&self, f: impl Fn(f32, f32) -> (f32, f32)) -> Self {
        let mut out = LabelImage::zeros(self.width, self.height);
        let max_x = (self.width - 1) as f32;
        let max_y = (self.height - 1) as f32;
        for y in 0..self.height {
            for x in 0..self.width {
                let (sx, sy) = f(x as f32, y as f32);
                let sx = sx.clamp(0.0, max_x).round() as u32;
                let sy = sy.clamp(0.0, max_y).round() as u32;
                let d = out.index(x, y);
                out.data[d] = self.data[self.index(sx, sy)];
            }
        }
        out
    }
}
