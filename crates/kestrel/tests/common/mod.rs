//! Shared helpers for the library's integration tests.

#![allow(dead_code)] // each test file uses a different part

use kestrel::data::{Dataset, Split, SplitSpec, import_folder, import_ocr_tags, split};
use rand::seq::SliceRandom;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// The bundled fashion-mini dataset, split 60/20/20.
pub fn fashion_mini() -> Dataset {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/fashion-mini");
    let mut ds = import_folder(&src).unwrap();
    split(
        &mut ds,
        &SplitSpec {
            train: 60.0,
            validation: 20.0,
            test: 20.0,
            seed: 7,
        },
        false,
    )
    .unwrap();
    ds
}

/// Training options writing to `out`, quiet.
pub fn options(out: PathBuf) -> kestrel::train::TrainOptions {
    kestrel::train::TrainOptions {
        cache_dir: Some(out.with_extension("cache")),
        out,
        resume: false,
        overwrite: false,
        progress: false,
        stop: Arc::new(AtomicBool::new(false)),
    }
}

/// The shared data folder, or `None` after saying the test is skipped.
pub fn shared() -> Option<PathBuf> {
    let dir = kestrel::data::shared_data_dir();
    if dir.is_none() {
        eprintln!("skipped: KESTREL_SHARED not set");
    }
    dir
}

/// IIIT5K's 2,000 training words, 75 % train and 25 % validation (seed 42); `limit`
/// keeps the first words of each part (for a quick run).
pub fn iiit5k_words(shared: &Path, limit: Option<usize>) -> Dataset {
    let mut dataset = import_ocr_tags(&shared.join("data/iiit5k-train/train.tags")).unwrap();
    let mut order: Vec<usize> = (0..dataset.samples.len()).collect();
    order.shuffle(&mut kestrel::image::seeded_rng(42));
    let train_count = dataset.samples.len() * 3 / 4;
    for (rank, &i) in order.iter().enumerate() {
        dataset.samples[i].split = Some(if rank < train_count {
            Split::Train
        } else {
            Split::Validation
        });
    }
    if let Some(n) = limit {
        let mut kept = [0, 0];
        dataset.samples.retain(|s| {
            let k = usize::from(s.split == Some(Split::Validation));
            kept[k] += 1;
            kept[k] <= n
        });
    }
    dataset
}
