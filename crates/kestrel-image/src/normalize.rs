//! Mapping `[0, 1]` HWC samples to a network's planar input.

use crate::{ImageF32, Normalization};

/// Maps `[0, 1]` samples to the model's range and returns planar CHW `f32`
/// (channel 0's plane first), the layout a network consumes.
///
/// For [`Normalization::MeanStd`], a channel without its own mean/std uses the last value
/// given (so a single value applies to all channels); an empty list means mean 0 / std 1.
/// Call [`Normalization::validate`] first to reject such parameters instead.
pub fn normalize_chw(img: &ImageF32, norm: &Normalization) -> Vec<f32> {
    let c = img.channels as usize;
    let plane = img.width as usize * img.height as usize;
    let mut out = vec![0.0f32; c * plane];
    if c == 0 {
        return out;
    }
    match norm {
        Normalization::Range { min, max } => {
            for (p, px) in img.data.chunks_exact(c).take(plane).enumerate() {
                for (ch, v) in px.iter().enumerate() {
                    out[ch * plane + p] = v * (max - min) + min;
                }
            }
        }
        Normalization::MeanStd { mean, std } => {
            let m: Vec<f32> = (0..c).map(|ch| pick(mean, ch, 0.0)).collect();
            let s: Vec<f32> = (0..c).map(|ch| pick(std, ch, 1.0)).collect();
            for (p, px) in img.data.chunks_exact(c).take(plane).enumerate() {
                for (ch, v) in px.iter().enumerate() {
                    out[ch * plane + p] = (v - m[ch]) / s[ch];
                }
            }
        }
    }
    out
}

fn pick(values: &[f32], ch: usize, default: f32) -> f32 {
    values.get(ch).or(values.last()).copied().unwrap_or(default)
}
