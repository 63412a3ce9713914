//! Domain randomisation of a rendered picture: per-object colour gains, contrast and
//! brightness, Gaussian blur and pixel noise.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::config::Randomization;
use super::sample::uniform;
use crate::linalg::Vec3;
use crate::render::Light;

/// What one image draws from [`Randomization`] (besides its background).
#[derive(Debug, Clone)]
pub(super) struct Look {
    /// The light.
    pub light: Light,
    /// Per placed shape (in placement order), factors on its red, green and blue.
    pub gains: Vec<[f32; 3]>,
    /// Contrast factor about 128.
    pub contrast: f32,
    /// Brightness offset.
    pub brightness: f32,
    /// Blur sigma, pixels.
    pub blur_sigma: f32,
    /// Noise sigma, grey values.
    pub noise_sigma: f32,
    /// Seed of the noise's own generator.
    pub noise_seed: u64,
}

impl Look {
    /// Draws the look of an image with `shapes` placed shapes.
    pub(super) fn draw(rng: &mut ChaCha8Rng, r: &Randomization, shapes: usize) -> Look {
        let angle = uniform(rng, r.light_angle_deg).to_radians();
        let around = uniform(rng, [0.0, std::f64::consts::TAU]);
        let direction: Vec3 = [
            angle.sin() * around.cos(),
            angle.sin() * around.sin(),
            -angle.cos(),
        ];
        let light = Light {
            direction,
            ambient: uniform(rng, r.ambient) as f32,
            diffuse: uniform(rng, r.diffuse) as f32,
        };
        let gains = (0..shapes)
            .map(|_| {
                let b = uniform(rng, r.object_brightness);
                std::array::from_fn(|_| {
                    (b * (1.0 + uniform(rng, [-r.object_color, r.object_color]))) as f32
                })
            })
            .collect();
        Look {
            light,
            gains,
            contrast: uniform(rng, r.contrast) as f32,
            brightness: uniform(rng, r.brightness) as f32,
            blur_sigma: uniform(rng, r.blur_sigma) as f32,
            noise_sigma: uniform(rng, r.noise_sigma) as f32,
            noise_seed: rng.random(),
        }
    }

    /// The final picture: pixels of shape `k` (render id `ids[k]`, as listed in
    /// `shape_of_id`: `shape_of_id[id - 1]` is the placed shape of render id `id`)
    /// multiplied by its gains, then contrast and brightness, blur and noise on the whole
    /// image, rounded once at the end.
    pub(super) fn apply(
        &self,
        rgb: &image::RgbImage,
        ids: &[u16],
        shape_of_id: &[usize],
    ) -> image::RgbImage {
        let (w, h) = (rgb.width() as usize, rgb.height() as usize);
        let mut data: Vec<f32> = rgb.as_raw().iter().map(|&v| f32::from(v)).collect();
        for (pixel, &id) in data.chunks_exact_mut(3).zip(ids) {
            if id > 0 {
                let g = self.gains[shape_of_id[usize::from(id) - 1]];
                for k in 0..3 {
                    pixel[k] *= g[k];
                }
            }
        }
        let offset = 128.0 - 128.0 * self.contrast + self.brightness;
        for v in &mut data {
            *v = *v * self.contrast + offset;
        }
        if self.blur_sigma >= 0.3 {
            blur(&mut data, w, h, self.blur_sigma);
        }
        if self.noise_sigma > 0.0 {
            add_noise(&mut data, self.noise_sigma, self.noise_seed);
        }
        let bytes = data
            .iter()
            .map(|v| v.round().clamp(0.0, 255.0) as u8)
            .collect();
        image::RgbImage::from_raw(w as u32, h as u32, bytes).expect("same size")
    }
}

/// Separable Gaussian blur of an interleaved RGB `f32` image, radius `ceil(3 sigma)`,
/// edges repeated.
fn blur(data: &mut [f32], w: usize, h: usize, sigma: f32) {
    let radius = (3.0 * sigma).ceil() as isize;
    let mut kernel: Vec<f32> = (-radius..=radius)
        .map(|i| (-((i * i) as f32) / (2.0 * sigma * sigma)).exp())
        .collect();
    let sum: f32 = kernel.iter().sum();
    kernel.iter_mut().for_each(|k| *k /= sum);
    let mut tmp = vec![0.0f32; data.len()];
    // Along rows.
    for y in 0..h {
        for x in 0..w {
            let mut acc = [0.0f32; 3];
            for (k, &wk) in kernel.iter().enumerate() {
                let xx = (x as isize + k as isize - radius).clamp(0, w as isize - 1) as usize;
                let i = 3 * (y * w + xx);
                for c in 0..3 {
                    acc[c] += wk * data[i + c];
                }
            }
            tmp[3 * (y * w + x)..3 * (y * w + x) + 3].copy_from_slice(&acc);
        }
    }
    // Along columns.
    for y in 0..h {
        for x in 0..w {
            let mut acc = [0.0f32; 3];
            for (k, &wk) in kernel.iter().enumerate() {
                let yy = (y as isize + k as isize - radius).clamp(0, h as isize - 1) as usize;
                let i = 3 * (yy * w + x);
                for c in 0..3 {
                    acc[c] += wk * tmp[i + c];
                }
            }
            data[3 * (y * w + x)..3 * (y * w + x) + 3].copy_from_slice(&acc);
        }
    }
}

/// Adds noise of standard deviation `sigma` to every value: the sum of four uniform
/// 16-bit draws from one 64-bit random number, centred and scaled (close to normal, and
/// four times cheaper than Box–Muller).
fn add_noise(data: &mut [f32], sigma: f32, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Four uniforms on [0, 1) have mean 2 and variance 4/12.
    let scale = sigma / (4.0f32 / 12.0).sqrt();
    for v in data {
        let r: u64 = rng.random();
        let sum = (r & 0xffff) + ((r >> 16) & 0xffff) + ((r >> 32) & 0xffff) + (r >> 48);
        let u = sum as f32 / 65536.0 - 2.0;
        *v += u * scale;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blur_keeps_a_constant_image_and_spreads_an_impulse() {
        let (w, h) = (9, 7);
        let mut flat = vec![100.0f32; 3 * w * h];
        blur(&mut flat, w, h, 1.0);
        assert!(flat.iter().all(|v| (v - 100.0).abs() < 1e-3));
        let mut dot = vec![0.0f32; 3 * w * h];
        dot[3 * (3 * w + 4)] = 1000.0;
        blur(&mut dot, w, h, 1.0);
        let total: f32 = dot.iter().sum();
        assert!((total - 1000.0).abs() < 1e-2, "{total}");
        assert!(dot[3 * (3 * w + 4)] < 200.0);
        assert!(dot[3 * (3 * w + 5)] > 50.0);
    }

    #[test]
    fn noise_has_the_asked_spread() {
        let mut data = vec![0.0f32; 100_000];
        add_noise(&mut data, 5.0, 1);
        let n = data.len() as f32;
        let mean = data.iter().sum::<f32>() / n;
        let sd = (data.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n).sqrt();
        assert!(mean.abs() < 0.1, "{mean}");
        assert!((sd - 5.0).abs() < 0.1, "{sd}");
    }
}
