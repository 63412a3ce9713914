//! Synthetic word crops for training a recogniser: words drawn in the font that ships with
//! Kestrel (DejaVu Sans) over pieces of real photos, with random size, spacing, weight,
//! colour and resolution, written as a dataset of word crops.

use crate::error::{Error, Result};
use image::imageops::{FilterType, resize};
use image::{Rgb, RgbImage};
use kestrel_data::{Dataset, Sample, Split};
use kestrel_image::{TextStyle, read_image, text_coverage};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Background photos are scaled down to at most this side when loaded (bounded memory).
const BACKGROUND_SIDE: u32 = 512;

/// At most this many background photos are loaded.
const MAX_BACKGROUNDS: usize = 200;

/// What synthetic word crops are made of.
#[derive(Debug, Clone)]
pub struct SyntheticWords {
    /// Photos that pieces of background are cut from.
    pub backgrounds: Vec<RgbImage>,
    /// Words drawn half of the time (the rest are random strings of letters and digits).
    pub vocabulary: Vec<String>,
    /// Seed: crop `i` depends only on it and `i`.
    pub seed: u64,
}

impl SyntheticWords {
    /// Loads the background photos of `folders` (every image below them, at most
    /// `MAX_BACKGROUNDS` in name order, each scaled down to `BACKGROUND_SIDE`); fails when
    /// there is none or one cannot be read.
    pub fn with_backgrounds(folders: &[PathBuf], vocabulary: Vec<String>, seed: u64) -> Result<Self> {
        let mut paths = Vec::new();
        for folder in folders {
            let found = kestrel_data::scan::find_images(folder)?;
            paths.extend(found.into_iter().map(|f| folder.join(f)));
        }
        paths.truncate(MAX_BACKGROUNDS);
        if paths.is_empty() {
            return Err(Error::Dataset(format!(
                "no background images in {}",
                folders.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ")
            )));
        }
        let backgrounds = paths
            .par_iter()
            .map(|p| {
                let img = read_image(p)?;
                Ok(img.thumbnail(BACKGROUND_SIDE, BACKGROUND_SIDE).to_rgb8())
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            backgrounds,
            vocabulary,
            seed,
        })
    }

    /// Crop `index`: its word and its picture.
    pub fn crop(&self, index: u64) -> (String, RgbImage) {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let word = if !self.vocabulary.is_empty() && rng.random_bool(0.5) {
            self.vocabulary[rng.random_range(0..self.vocabulary.len())].clone()
        } else {
            random_word(&mut rng)
        };
        let style = TextStyle {
            size: rng.random_range(28.0..56.0),
            spacing: rng.random_range(-0.04..0.12),
            bold: rng.random_bool(0.3),
        };
        let font = kestrel_metrics::embedded_font();
        let (tw, th, ink) = text_coverage(font, &word, style).expect("the embedded font draws any word");
        let margin_x = (style.size * rng.random_range(0.05..0.3)) as usize;
        let (top, bottom) = (
            (style.size * rng.random_range(0.0..0.15)) as usize,
            (style.size * rng.random_range(0.0..0.15)) as usize,
        );
        let (w, h) = (tw + 2 * margin_x, th + top + bottom);
        let background = self.background(&mut rng, w as u32, h as u32);
        let mean = mean_luminance(&background);
        let colour = text_colour(&mut rng, mean);
        let opacity = rng.random_range(0.75..1.0f32);
        let mut out = background;
        for y in 0..th {
            for x in 0..tw {
                let a = ink[y * tw + x] * opacity;
                if a <= 0.0 {
                    continue;
                }
                let p = out.get_pixel_mut((x + margin_x) as u32, (y + top) as u32);
                for (v, c) in p.0.iter_mut().zip(colour) {
                    *v = (f32::from(*v) * (1.0 - a) + c * a).round() as u8;
                }
            }
        }
        // A random final resolution: small crops are as blurry as far-away words.
        let height = rng.random_range(20..48u32);
        let width = ((w as f32 * height as f32 / h as f32).round() as u32).max(1);
        (word, resize(&out, width, height, FilterType::Triangle))
    }

    /// A `w` x `h` piece of a random photo (a random region, scaled), or a flat colour.
    fn background(&self, rng: &mut ChaCha8Rng, w: u32, h: u32) -> RgbImage {
        if rng.random_bool(0.15) {
            let c: [u8; 3] = std::array::from_fn(|_| rng.random_range(0..=255));
            return RgbImage::from_pixel(w, h, Rgb(c));
        }
        let photo = &self.backgrounds[rng.random_range(0..self.backgrounds.len())];
        let scale: f32 = rng.random_range(0.3..1.5);
        let cw = ((w as f32 * scale) as u32).clamp(1, photo.width());
        let ch = ((h as f32 * scale) as u32).clamp(1, photo.height());
        let x = rng.random_range(0..=photo.width() - cw);
        let y = rng.random_range(0..=photo.height() - ch);
        let piece = image::imageops::crop_imm(photo, x, y, cw, ch).to_image();
        resize(&piece, w, h, FilterType::Triangle)
    }
}

/// A random word of letters and digits: upper case, capitalised or lower case.
fn random_word(rng: &mut ChaCha8Rng) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let len = rng.random_range(1..=10);
    let case = rng.random_range(0..20);
    (0..len)
        .map(|i| {
            if rng.random_bool(0.15) {
                char::from(b'0' + rng.random_range(0..10u8))
            } else {
                let c = char::from(LETTERS[rng.random_range(0..LETTERS.len())]);
                match case {
                    0..11 => c,
                    11..16 if i == 0 => c,
                    _ => c.to_ascii_lowercase(),
                }
            }
        })
        .collect()
}

/// Mean luminance of a picture, 0 to 255.
fn mean_luminance(img: &RgbImage) -> f32 {
    let sum: f32 = img
        .pixels()
        .map(|p| 0.299 * f32::from(p.0[0]) + 0.587 * f32::from(p.0[1]) + 0.114 * f32::from(p.0[2]))
        .sum();
    sum / (img.width() * img.height()).max(1) as f32
}

/// A text colour that stands out from a background of mean luminance `mean`: darker on
/// light backgrounds, lighter on dark ones, slightly tinted.
fn text_colour(rng: &mut ChaCha8Rng, mean: f32) -> [f32; 3] {
    let grey = if mean > 128.0 {
        rng.random_range(0.0..(mean - 90.0).max(1.0))
    } else {
        rng.random_range((mean + 90.0).min(254.0)..255.0)
    };
    std::array::from_fn(|_| (grey + rng.random_range(-30.0..30.0f32)).clamp(0.0, 255.0))
}

/// Writes `count` synthetic word crops (see [`SyntheticWords::crop`]) as PNGs into
/// `images_dir`, in the train split of a dataset that also holds every sample of `base`
/// (with its split; its image paths made absolute). Every crop is written (atomically),
/// also over a file of the same name: one left by a run with another seed or vocabulary
/// would show another word than its label. The dataset is returned, not saved.
pub fn write_synthetic_words(
    words: &SyntheticWords,
    count: u64,
    base: Option<&Dataset>,
    images_dir: &Path,
) -> Result<Dataset> {
    std::fs::create_dir_all(images_dir).map_err(crate::error::io_error(images_dir))?;
    let mut samples = Vec::new();
    if let Some(base) = base {
        for s in &base.samples {
            let path = std::path::absolute(base.image_path(s)).map_err(crate::error::io_error(base.image_path(s)))?;
            samples.push(Sample {
                image_id: samples.len() as u64,
                image_file_name: path.to_string_lossy().into_owned(),
                ..s.clone()
            });
        }
    }
    let first_id = samples.len() as u64;
    let synthetic = (0..count)
        .into_par_iter()
        .map(|i| {
            let name = format!("{i:07}.png");
            let path = images_dir.join(&name);
            let (word, img) = words.crop(i);
            kestrel_image::save_png(&path, &img)?;
            Ok(Sample {
                image_id: first_id + i,
                image_file_name: name,
                word: Some(word),
                split: Some(Split::Train),
                ..Default::default()
            })
        })
        .collect::<Result<Vec<_>>>()?;
    samples.extend(synthetic);
    let image_dir = std::path::absolute(images_dir).map_err(crate::error::io_error(images_dir))?;
    Ok(Dataset {
        image_dir: image_dir.to_string_lossy().into_owned(),
        samples,
        ..base.cloned().map(|b| Dataset { samples: Vec::new(), ..b }).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> SyntheticWords {
        let photo = RgbImage::from_fn(200, 100, |x, y| Rgb([(x % 256) as u8, (y * 2) as u8, 90]));
        SyntheticWords {
            backgrounds: vec![photo],
            vocabulary: vec!["KESTREL".into()],
            seed: 3,
        }
    }

    #[test]
    fn crops_are_seeded_and_show_their_word() {
        let w = words();
        let (a, img_a) = w.crop(7);
        let (b, img_b) = w.crop(7);
        assert_eq!(a, b);
        assert_eq!(img_a, img_b);
        let mut seen_vocabulary = false;
        for i in 0..40 {
            let (word, img) = w.crop(i);
            assert!(!word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric()));
            assert!((20..48).contains(&img.height()), "{}", img.height());
            // Longer words give wider crops (about half a height per character at least).
            assert!(img.width() as usize >= word.len() * img.height() as usize / 3, "{word}: {}x{}", img.width(), img.height());
            seen_vocabulary |= word == "KESTREL";
        }
        assert!(seen_vocabulary);
    }

    #[test]
    fn a_rerun_with_another_seed_replaces_the_crops() {
        let dir = tempfile::tempdir().unwrap();
        write_synthetic_words(&words(), 2, None, dir.path()).unwrap();
        let other = SyntheticWords { seed: 4, ..words() };
        let dataset = write_synthetic_words(&other, 2, None, dir.path()).unwrap();
        let on_disk = image::open(dataset.image_path(&dataset.samples[0])).unwrap().to_rgb8();
        assert_eq!(on_disk, other.crop(0).1);
        assert_eq!(dataset.samples[0].word.as_deref(), Some(other.crop(0).0.as_str()));
    }

    #[test]
    fn text_contrasts_with_its_background() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for mean in [10.0, 100.0, 140.0, 250.0] {
            let c = text_colour(&mut rng, mean);
            let grey = c.iter().sum::<f32>() / 3.0;
            assert!((grey - mean).abs() > 50.0, "{mean}: {c:?}");
        }
    }
}
