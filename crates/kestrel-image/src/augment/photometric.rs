//! Intensity transforms of [`ImageF32`]: brightness, contrast, saturation.

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
