//! The input pipeline: decodes (through the on-disk cache), augments and normalises images
//! on rayon worker threads, a few batches ahead of the network.

use crate::error::Result;
use kestrel_image::{
    AugmentParams, AugmentPlan, ImageF32, PreprocessParams, ResizedImage, SampleCache,
    load_resized_image, normalize_chw, seeded_rng,
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
    /// What was done to each image, for placing its target the same way.
    pub images: Vec<LoadedImage>,
}

/// What the loader did to one image: resized it from its file's size to the model's, then
/// augmented it.
#[derive(Debug, Clone)]
pub struct LoadedImage {
    /// The width of the image file.
    pub original_width: u32,
    /// The height of the image file.
    pub original_height: u32,
    /// The augmentation it got (identity without augmentation).
    pub plan: AugmentPlan,
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

    /// The augmentation of one image, drawn from a generator seeded by the loader's seed
    /// and `key` (epoch and image), so a run is reproducible.
    fn draw_plan(&self, image: &ImageF32, key: u64) -> AugmentPlan {
        match &self.augment {
            Some((params, seed)) if params.percentage > 0.0 => {
                let mut rng = seeded_rng(seed ^ key.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                AugmentPlan::draw(params, image.width, image.height, image.channels, &mut rng)
            }
            _ => AugmentPlan::identity(),
        }
    }

    /// Loads one image, resized, augmented if configured (seeded by `key`), normalised;
    /// returns its values and what was done to it.
    fn load_one(&self, path: &std::path::Path, key: u64) -> Result<(Vec<f32>, LoadedImage)> {
        let resized: ResizedImage = match &self.cache {
            Some(cache) => cache.load_resized_image(path, &self.preprocess)?,
            None => load_resized_image(path, &self.preprocess)?,
        };
        let plan = self.draw_plan(&resized.image, key);
        let image = plan.apply(&resized.image);
        let loaded = LoadedImage {
            original_width: resized.original_width,
            original_height: resized.original_height,
            plan,
        };
        Ok((
            normalize_chw(&image, &self.preprocess.normalization),
            loaded,
        ))
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
                let images: Result<Vec<(Vec<f32>, LoadedImage)>> = chunk
                    .par_iter()
                    .map(|&i| loader.load_one(&paths[i], (epoch_key << 32) ^ i as u64))
                    .collect();
                let batch = images.map(|loaded| {
                    let (values, images): (Vec<Vec<f32>>, Vec<LoadedImage>) =
                        loaded.into_iter().unzip();
                    let p = &loader.preprocess;
                    let shape = [
                        values.len(),
                        p.num_channels as usize,
                        p.height as usize,
                        p.width as usize,
                    ];
                    Batch {
                        indices: chunk.to_vec(),
                        values: values.concat(),
                        shape,
                        images,
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
