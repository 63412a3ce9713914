//! Anomaly heat maps over images.

use image::RgbImage;

use super::colormap::turbo;
use super::convert::{blend, pixel_rgb};
use crate::ImageF32;

/// Weight of the colour map in [`heat_overlay`] (the image gets `1 - HEAT_ALPHA`).
pub const HEAT_ALPHA: f32 = 0.5;

/// Colour of region outlines drawn by [`heat_overlay`] (white: absent from Turbo).
pub const OUTLINE_COLOUR: [u8; 3] = [255, 255, 255];

/// Blends `image` with the [`turbo`] colour of its per-pixel scores and optionally outlines
/// a region (e.g. the ground-truth defect).
///
/// `scores` holds one score per pixel of `image`, row by row (`width * height` values, the
/// image already at the scores' size). A score is normalised to
/// `(score - score_min) / (score_max - score_min)`, clamped to `[0, 1]`; when
/// `score_max <= score_min` (or either is not finite) scores above `score_min` map to 1 and
/// the others to 0. Each pixel becomes `(1 - HEAT_ALPHA) * image + HEAT_ALPHA * colour`;
/// pixels without a score (short `scores`) or with a NaN score keep the plain image.
///
/// `region` (`width * height` flags, missing ones `false`) is drawn as its outline in
/// [`OUTLINE_COLOUR`]: see [`region_outline`]. Grey images are shown grey, RGB in colour
/// (see [`super::image_to_rgb`]).
pub fn heat_overlay(
    image: &ImageF32,
    scores: &[f32],
    score_min: f32,
    score_max: f32,
    region: Option<&[bool]>,
) -> RgbImage {
    let (w, h) = (image.width, image.height);
    let outline = region.map(|r| region_outline(r, w, h));
    let span = score_max - score_min;
    let normal = span.is_finite() && span > 0.0;
    RgbImage::from_fn(w, h, |x, y| {
        let i = y as usize * w as usize + x as usize;
        if outline.as_ref().is_some_and(|o| o[i]) {
            return image::Rgb(OUTLINE_COLOUR);
        }
        let base = pixel_rgb(image, x, y);
        let rgb = match scores.get(i) {
            Some(s) if !s.is_nan() => {
                let t = if normal {
                    (s - score_min) / span
                } else if *s > score_min {
                    1.0
                } else {
                    0.0
                };
                blend(base, turbo(t), HEAT_ALPHA)
            }
            _ => base,
        };
        image::Rgb(rgb)
    })
}

/// The outline of a region given as `width * height` flags (row by row; missing flags are
/// `false`): the region's pixels with at least one 4-neighbour outside the region. The
/// image border counts as outside, so a region touching it gets a closed outline.
pub fn region_outline(region: &[bool], width: u32, height: u32) -> Vec<bool> {
    let (w, h) = (width as usize, height as usize);
    let inside = |x: usize, y: usize| region.get(y * w + x).copied().unwrap_or(false);
    let mut out = vec![false; w * h];
    for y in 0..h {
        for x in 0..w {
            if !inside(x, y) {
                continue;
            }
            let border = x == 0 || y == 0 || x + 1 == w || y + 1 == h;
            out[y * w + x] = border
                || !inside(x - 1, y)
                || !inside(x + 1, y)
                || !inside(x, y - 1)
                || !inside(x, y + 1);
        }
    }
    out
}
