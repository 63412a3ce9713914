//! Shared helpers for the library's integration tests.

#![allow(dead_code)] // each test file uses a different part

use kestrel::data::{Dataset, SplitSpec, import_folder, split};
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
