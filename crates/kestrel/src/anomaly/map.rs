//! Turning patch distances into an anomaly image: bilinear upsampling to the input size and
//! Gaussian smoothing.

/// A per-pixel anomaly score image at the model's input size, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct AnomalyImage {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height` scores, higher = more anomalous.
    pub scores: Vec<f32>,
}

impl AnomalyImage {
    /// The patch-distance grid `grid` (`gh x gw`) upsampled to `width x height` and smoothed
    /// with a Gaussian of `sigma` pixels (none when `sigma <= 0`).
    pub fn from_patch_grid(
        grid: &[f32],
        gw: usize,
        gh: usize,
        width: usize,
        height: usize,
        sigma: f32,
    ) -> Self {
        let scores = upsample_bilinear(grid, gw, gh, width, height);
        let scores = if sigma > 0.0 {
            gaussian_blur(&scores, width, height, sigma)
        } else {
            scores
        };
        Self {
            width,
            height,
            scores,
        }
    }

    /// The image's anomaly score: its highest pixel score.
    pub fn max_score(&self) -> f32 {
        self.scores
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max)
    }
}

/// Bilinear resampling with pixel-centre alignment (PyTorch `align_corners=False`).
pub(crate) fn upsample_bilinear(
    src: &[f32],
    sw: usize,
    sh: usize,
    dw: usize,
    dh: usize,
) -> Vec<f32> {
    let axis = |d: usize, s: usize| -> Vec<(usize, usize, f32)> {
        (0..d)
            .map(|i| {
                let x = ((i as f32 + 0.5) * s as f32 / d as f32 - 0.5).max(0.0);
                let x0 = (x.floor() as usize).min(s - 1);
                let x1 = (x0 + 1).min(s - 1);
                (x0, x1, x - x0 as f32)
            })
            .collect()
    };
    let xs = axis(dw, sw);
    let ys = axis(dh, sh);
    let mut out = Vec::with_capacity(dw * dh);
    for &(y0, y1, fy) in &ys {
        for &(x0, x1, fx) in &xs {
            let top = src[y0 * sw + x0] * (1.0 - fx) + src[y0 * sw + x1] * fx;
            let bottom = src[y1 * sw + x0] * (1.0 - fx) + src[y1 * sw + x1] * fx;
            out.push(top * (1.0 - fy) + bottom * fy);
        }
    }
    out
}

/// Separable Gaussian blur, kernel radius `4 sigma`, borders mirrored (scipy's `reflect`).
fn gaussian_blur(src: &[f32], w: usize, h: usize, sigma: f32) -> Vec<f32> {
    let radius = (4.0 * sigma).round() as isize;
    let mut kernel: Vec<f32> = (-radius..=radius)
        .map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp())
        .collect();
    let total: f32 = kernel.iter().sum();
    kernel.iter_mut().for_each(|k| *k /= total);
    let reflect = |i: isize, n: usize| -> usize {
        let n = n as isize;
        let period = 2 * n;
        let mut i = i.rem_euclid(period);
        if i >= n {
            i = period - 1 - i;
        }
        i as usize
    };
    let mut rows = vec![0.0; w * h];
    for y in 0..h {
        for x in 0..w {
            rows[y * w + x] = kernel
                .iter()
                .enumerate()
                .map(|(k, kv)| kv * src[y * w + reflect(x as isize + k as isize - radius, w)])
                .sum();
        }
    }
    let mut out = vec![0.0; w * h];
    for y in 0..h {
        for x in 0..w {
            out[y * w + x] = kernel
                .iter()
                .enumerate()
                .map(|(k, kv)| kv * rows[reflect(y as isize + k as isize - radius, h) * w + x])
                .sum();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upsampling_keeps_constants_and_interpolates() {
        let up = upsample_bilinear(&[1.0, 3.0], 2, 1, 4, 1);
        // Output centres 0.5, 1.5, 2.5, 3.5 map to source -0.25 (clamped 0), 0.25, 0.75, 1.25.
        assert_eq!(up, vec![1.0, 1.5, 2.5, 3.0]);
    }

    #[test]
    fn blur_preserves_the_sum_of_a_centred_spike_and_is_symmetric() {
        let mut src = vec![0.0; 41 * 41];
        src[20 * 41 + 20] = 1.0;
        let out = gaussian_blur(&src, 41, 41, 2.0);
        let sum: f32 = out.iter().sum();
        assert!((sum - 1.0).abs() < 1e-4, "{sum}");
        assert!((out[20 * 41 + 18] - out[20 * 41 + 22]).abs() < 1e-7);
        assert!((out[18 * 41 + 20] - out[20 * 41 + 18]).abs() < 1e-7);
        assert!(out[20 * 41 + 20] > out[20 * 41 + 21]);
    }
}
