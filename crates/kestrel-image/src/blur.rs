//! Gaussian blur of one-channel maps (and, through it, of [`ImageF32`] channels).

use crate::ImageF32;

/// A separable Gaussian blur of a `w x h` map: kernel radius `ceil(3 sigma)`, borders
/// replicated; `sigma` 0 copies it.
pub fn gaussian_blur(values: &[f32], w: usize, h: usize, sigma: f32) -> Vec<f32> {
    if sigma <= 0.0 {
        return values.to_vec();
    }
    let radius = (3.0 * sigma).ceil() as isize;
    let kernel: Vec<f32> = (-radius..=radius)
        .map(|d| (-(d * d) as f32 / (2.0 * sigma * sigma)).exp())
        .collect();
    let total: f32 = kernel.iter().sum();
    let kernel: Vec<f32> = kernel.iter().map(|k| k / total).collect();
    let pass = |src: &[f32], horizontal: bool| -> Vec<f32> {
        let mut out = vec![0f32; w * h];
        for y in 0..h {
            for x in 0..w {
                let mut acc = 0.0;
                for (k, d) in kernel.iter().zip(-radius..=radius) {
                    let (sx, sy) = if horizontal {
                        ((x as isize + d).clamp(0, w as isize - 1) as usize, y)
                    } else {
                        (x, (y as isize + d).clamp(0, h as isize - 1) as usize)
                    };
                    acc += k * src[sy * w + sx];
                }
                out[y * w + x] = acc;
            }
        }
        out
    };
    pass(&pass(values, true), false)
}

/// Blurs every channel of `img` with [`gaussian_blur`] (`sigma` in pixels); below 0.1
/// pixels, or for an inconsistent image, it does nothing.
pub fn blur_image(img: &mut ImageF32, sigma: f32) {
    if sigma.is_nan() || sigma < 0.1 || !img.is_consistent() || img.data.is_empty() {
        return;
    }
    let (w, h, c) = (
        img.width as usize,
        img.height as usize,
        img.channels as usize,
    );
    for ch in 0..c {
        let plane: Vec<f32> = img.data.iter().skip(ch).step_by(c).copied().collect();
        let blurred = gaussian_blur(&plane, w, h, sigma);
        for (dst, v) in img.data.iter_mut().skip(ch).step_by(c).zip(blurred) {
            *dst = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoothing_keeps_the_sum_and_spreads_a_peak() {
        let mut v = vec![0.0; 81];
        v[40] = 1.0;
        let s = gaussian_blur(&v, 9, 9, 1.0);
        assert!((s.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        assert!(s[40] < 0.2 && s[40] > s[41] && s[41] > 0.0);
        assert_eq!(gaussian_blur(&v, 9, 9, 0.0), v);
    }

    #[test]
    fn each_channel_is_blurred_alone() {
        let mut img = ImageF32::zeros(9, 9, 2);
        let centre = img.index(4, 4, 0);
        img.data[centre] = 1.0;
        blur_image(&mut img, 1.0);
        let first: f32 = img.data.iter().step_by(2).sum();
        let second: f32 = img.data.iter().skip(1).step_by(2).sum();
        assert!((first - 1.0).abs() < 1e-4 && second == 0.0);
    }
}
