//! The input pipeline: decodes (through the on-disk cache), augments and normalises images
//! on rayon worker threads, a few batches ahead of the network.

use crate::error::Result;
use kestrel_image::{
    AugmentParams, ImageF32, PreprocessParams, SampleCache, SeededRng, augment, load_resized,
    normalize_chw, seeded_rng,
};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, sync_channel};

/// Batches prepared ahead of the consumer.
const PREFETCH: usize = 3;

/// One batch of network input.
#[derive(Debug)]
pub struct Batch {
    /// Positions of the batch's images in the list given to [`Loader::batches`].
    pub indices: Vec<usize>,
    /// Planar `[B, C, H, W]` values.
    pub values: Vec<f32>,
    /// `[B, C, H, W]`.
    pub shape: [usize; 4],
}

/// Where images come from and how they are prepared.
#[derive(Clone)]
pub struct Loader {
    /// How images are resized and normalised.
    pub preprocess: PreprocessParams,
    /// The cache of resized images; `None` decodes every time.
    pub cache: Option<Arc<SampleCache>>,
    /// Augmentation with its seed (training only).
    pub augment: Option<(AugmentParams, u64)>,
}

impl Loader {
    /// A loader for evaluation and inference: no cache, no augmentation.
    pub fn plain(preprocess: PreprocessParams) -> Self {
        Self {
            preprocess,
            cache: None,
            augment: None,
        }
    }

    /// The augmentation and its generator for image `index` of epoch `epoch_key`, exactly
    /// as [`Loader::batches`] uses them (`None` without augmentation), so a method can move
    /// its target (e.g. a label image) with the image.
    pub fn augment_rng(&self, epoch_key: u64, index: usize) -> Option<(&AugmentParams, SeededRng)> {
        self.augment_rng_for_key((epoch_key << 32) ^ index as u64)
    }

    fn augment_rng_for_key(&self, key: u64) -> Option<(&AugmentParams, SeededRng)> {
        match &self.augment {
            Some((params, seed)) if params.percentage > 0.0 => Some((
                params,
                seeded_rng(seed ^ key.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
            )),
            _ => None,
        }
    }

    /// Loads one image, resized, augmented if configured (seeded by `key`), in `[0,1]`.
    fn load_one(&self, path: &std::path::Path, key: u64) -> Result<Vec<f32>> {
        let image: ImageF32 = match &self.cache {
            Some(cache) => cache.load(path, &self.preprocess)?,
            None => load_resized(path, &self.preprocess)?,
        };
        let image = match self.augment_rng_for_key(key) {
            Some((params, mut rng)) => augment(&image, params, &mut rng),
            None => image,
        };
        Ok(normalize_chw(&image, &self.preprocess.normalization))
    }

    /// Prepares the images `paths[order[..]]` in batches of `batch_size`, on a background
    /// thread. `epoch_key` varies augmentation from epoch to epoch. Dropping the receiver
    /// stops the producer.
    pub fn batches(
        &self,
        paths: Arc<Vec<PathBuf>>,
        order: Vec<usize>,
        batch_size: usize,
        epoch_key: u64,
    ) -> Receiver<Result<Batch>> {
        let (tx, rx) = sync_channel(PREFETCH);
        let loader = self.clone();
        std::thread::spawn(move || {
            for chunk in order.chunks(batch_size.max(1)) {
                let images: Result<Vec<Vec<f32>>> = chunk
                    .par_iter()
                    .map(|&i| loader.load_one(&paths[i], (epoch_key << 32) ^ i as u64))
                    .collect();
                let batch = images.map(|images| {
                    let p = &loader.preprocess;
                    let shape = [
                        images.len(),
                        p.num_channels as usize,
                        p.height as usize,
                        p.width as usize,
                    ];
                    Batch {
                        indices: chunk.to_vec(),
                        values: images.concat(),
                        shape,
                    }
                });
                let failed = batch.is_err();
                if tx.send(batch).is_err() || failed {
                    break;
                }
            }
        });
        rx
    }
}
