//! Class colours over images.

use image::RgbImage;

use super::convert::{blend, pixel_rgb, unit_alpha};
use crate::{ImageF32, LabelImage};

/// Colours every pixel of `labels` whose class is not in `background` over `image`:
/// `(1 - alpha) * image + alpha * palette[class]` (`alpha` clamped to `[0, 1]`, NaN as 0).
///
/// Classes beyond the end of `palette` take their colour from [`default_palette`], so an
/// empty palette means the default colours. Labels of another size than the image are
/// first resized to it with [`LabelImage::resize_nearest`]. The output has the image's
/// size; grey images are shown grey (see [`super::image_to_rgb`]).
pub fn label_overlay(
    image: &ImageF32,
    labels: &LabelImage,
    palette: &[[u8; 3]],
    alpha: f32,
    background: &[u8],
) -> RgbImage {
    let labels = labels.resize_nearest(image.width, image.height);
    let alpha = unit_alpha(alpha);
    let mut is_background = [false; 256];
    for &b in background {
        is_background[usize::from(b)] = true;
    }
    let fallback = default_palette(256);
    RgbImage::from_fn(image.width, image.height, |x, y| {
        let base = pixel_rgb(image, x, y);
        let class = labels.data[labels.index(x, y)];
        let k = usize::from(class);
        if is_background[k] {
            return image::Rgb(base);
        }
        let colour = palette.get(k).copied().unwrap_or(fallback[k]);
        image::Rgb(blend(base, colour, alpha))
    })
}

/// `n` distinct, saturated colours for classes `0..n`: hues advance by the golden ratio
/// (so neighbouring class ids get far-apart hues) and saturation and brightness alternate
/// between two levels. Deterministic; the first colours are the same for every `n`.
pub fn default_palette(n: usize) -> Vec<[u8; 3]> {
    /// 1 / golden ratio.
    const STEP: f64 = 0.618_033_988_749_895;
    (0..n)
        .map(|i| {
            let hue = (i as f64 * STEP).fract();
            let saturation = if i % 2 == 0 { 0.9 } else { 0.65 };
            let value = if (i / 2) % 2 == 0 { 1.0 } else { 0.8 };
            hsv_to_rgb(hue, saturation, value)
        })
        .collect()
}

/// HSV (all in `[0, 1]`) to RGB bytes.
fn hsv_to_rgb(h: f64, s: f64, v: f64) -> [u8; 3] {
    let h6 = h * 6.0;
    let sector = h6.floor();
    let f = h6 - sector;
    let (p, q, t) = (v * (1.0 - s), v * (1.0 - s * f), v * (1.0 - s * (1.0 - f)));
    let (r, g, b) = match sector as u32 % 6 {
        0 => (v, t, p),
        1 => (q, v, p),
        2 => (p, v, t),
        3 => (p, q, v),
        4 => (t, p, v),
        _ => (v, p, q),
    };
    [r, g, b].map(|c| (c * 255.0).round() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_palette_colours_are_distinct_and_stable() {
        let p = default_palette(256);
        let mut sorted = p.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 256);
        assert_eq!(default_palette(5), p[..5]);
        assert_eq!(p[0], [255, 25, 25]);
    }
}
