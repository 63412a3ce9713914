//! Intensity transforms of [`ImageF32`]: brightness, contrast, saturation, blur.

use crate::ImageF32;

/// Rec. 709 luminance weights (the ones `image` uses for RGB→grey).
const LUMA: [f32; 3] = [0.2126, 0.7152, 0.0722];

/// Adds `delta` to every sample, clamping to `[0, 1]`.
pub fn adjust_brightness(img: &mut ImageF32, delta: f32) {
    for v in &mut img.data {
        *v = (*v + delta).clamp(0.0, 1.0);
    }
}

/// Scales deviations from the image mean by `factor`, clamping to `[0, 1]`.
pub fn adjust_contrast(img: &mut ImageF32, factor: f32) {
    if img.data.is_empty() {
        return;
    }
    let mean = img.data.iter().map(|&v| f64::from(v)).sum::<f64>() / img.data.len() as f64;
    let mean = mean as f32;
    for v in &mut img.data {
        *v = ((*v - mean) * factor + mean).clamp(0.0, 1.0);
    }
}

/// Scales each RGB pixel's deviation from its luminance by `factor`, clamping to
/// `[0, 1]`. Images without exactly 3 channels are left unchanged.
pub fn adjust_saturation(img: &mut ImageF32, factor: f32) {
    if img.channels != 3 {
        return;
    }
    for px in img.data.chunks_exact_mut(3) {
        let grey: f32 = px.iter().zip(LUMA).map(|(v, w)| v * w).sum();
        for v in px {
            *v = ((*v - grey) * factor + grey).clamp(0.0, 1.0);
        }
    }
}

/// Blurs every channel with a Gaussian of standard deviation `sigma` pixels (separable,
/// kernel radius `ceil(3 sigma)`, borders replicated). Below 0.1 pixels it does nothing.
pub fn gaussian_blur(img: &mut ImageF32, sigma: f32) {
    if sigma.is_nan() || sigma < 0.1 || !img.is_consistent() || img.data.is_empty() {
        return;
    }
    let radius = (3.0 * sigma).ceil() as i64;
    let weights: Vec<f32> = (-radius..=radius)
        .map(|d| (-((d * d) as f32) / (2.0 * sigma * sigma)).exp())
        .collect();
    let total: f32 = weights.iter().sum();
    let kernel: Vec<f32> = weights.iter().map(|w| w / total).collect();
    let (w, h, c) = (img.width as i64, img.height as i64, img.channels as i64);
    let at = |x: i64, y: i64, ch: i64| ((y * w + x) * c + ch) as usize;
    let mut rows = vec![0.0f32; img.data.len()];
    for y in 0..h {
        for x in 0..w {
            for ch in 0..c {
                rows[at(x, y, ch)] = kernel
                    .iter()
                    .enumerate()
                    .map(|(k, kw)| {
                        kw * img.data[at((x + k as i64 - radius).clamp(0, w - 1), y, ch)]
                    })
                    .sum();
            }
        }
    }
    for y in 0..h {
        for x in 0..w {
            for ch in 0..c {
                img.data[at(x, y, ch)] = kernel
                    .iter()
                    .enumerate()
                    .map(|(k, kw)| kw * rows[at(x, (y + k as i64 - radius).clamp(0, h - 1), ch)])
                    .sum();
            }
        }
    }
}
