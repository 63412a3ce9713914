//! The on-disk sample cache: hits, misses and invalidation.

mod common;

use std::time::{Duration, SystemTime};

use common::*;

/// Bytes before the samples of a cache entry: magic, five `u32` sizes, bits per sample.
const HEADER: u64 = 4 + 5 * 4 + 1;
use kestrel_image::{SampleCache, load_resized, load_resized_image};

#[test]
fn second_load_hits_and_matches_a_fresh_decode() {
    let dir = tempfile::tempdir().unwrap();
    let img_path = dir.path().join("a.png");
    rgb8(9, 6).save(&img_path).unwrap();
    let cache = SampleCache::new(dir.path().join("cache")).unwrap();
    let p = params(4, 3, 3);

    let first = cache.load(&img_path, &p).unwrap();
    assert_eq!(
        (cache.hits(), cache.misses(), cache.len().unwrap()),
        (0, 1, 1)
    );
    let second = cache.load(&img_path, &p).unwrap();
    assert_eq!(
        (cache.hits(), cache.misses(), cache.len().unwrap()),
        (1, 1, 1)
    );
    assert_eq!(first, second);
    assert_eq!(first, load_resized(&img_path, &p).unwrap());

    // A new cache on the same directory reuses the entry.
    let reopened = SampleCache::new(dir.path().join("cache")).unwrap();
    assert_eq!(reopened.load(&img_path, &p).unwrap(), first);
    assert_eq!(reopened.hits(), 1);

    // A hit keeps the image file's size, as a fresh decode gives it.
    let hit = reopened.load_resized_image(&img_path, &p).unwrap();
    assert_eq!((hit.original_width, hit.original_height), (9, 6));
    assert_eq!(hit, load_resized_image(&img_path, &p).unwrap());
    assert_eq!(reopened.hits(), 2);
}

#[test]
fn changed_params_miss_but_normalization_does_not_matter() {
    let dir = tempfile::tempdir().unwrap();
    let img_path = dir.path().join("a.png");
    rgb8(9, 6).save(&img_path).unwrap();
    let cache = SampleCache::new(dir.path().join("cache")).unwrap();
    cache.load(&img_path, &params(4, 3, 3)).unwrap();
    cache.load(&img_path, &params(5, 3, 3)).unwrap();
    cache.load(&img_path, &params(4, 3, 1)).unwrap();
    assert_eq!((cache.misses(), cache.len().unwrap()), (3, 3));
    let mut other_norm = params(4, 3, 3);
    other_norm.normalization = kestrel_image::Normalization::imagenet();
    cache.load(&img_path, &other_norm).unwrap();
    assert_eq!((cache.hits(), cache.len().unwrap()), (1, 3));
}

#[test]
fn changed_file_misses_and_gives_new_pixels() {
    let dir = tempfile::tempdir().unwrap();
    let img_path = dir.path().join("a.png");
    let p = params(2, 2, 1);
    image::GrayImage::from_pixel(4, 4, image::Luma([10]))
        .save(&img_path)
        .unwrap();
    let cache = SampleCache::new(dir.path().join("cache")).unwrap();
    let before = cache.load(&img_path, &p).unwrap();

    // Same size on disk is possible, so also move the modification time on.
    image::GrayImage::from_pixel(4, 4, image::Luma([200]))
        .save(&img_path)
        .unwrap();
    let file = std::fs::File::options()
        .write(true)
        .open(&img_path)
        .unwrap();
    file.set_modified(SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    drop(file);

    let after = cache.load(&img_path, &p).unwrap();
    assert_eq!((cache.hits(), cache.misses()), (0, 2));
    assert_ne!(before, after);
    assert_eq!(after.data[0], 200.0 / 255.0);
}

#[test]
fn sixteen_bit_entries_keep_precision() {
    let dir = tempfile::tempdir().unwrap();
    let img_path = dir.path().join("a16.png");
    grey16(8, 8).save(&img_path).unwrap();
    let cache = SampleCache::new(dir.path().join("cache")).unwrap();
    let p = params(8, 8, 1);
    let fresh = cache.load(&img_path, &p).unwrap();
    let cached = cache.load(&img_path, &p).unwrap();
    assert_eq!(cache.hits(), 1);
    assert_eq!(fresh, cached);
    assert_eq!(cached.get(1, 0, 0).unwrap(), 1003.0 / 65535.0);
    // Header (magic, five sizes, bits per sample) plus 2 bytes a sample.
    let entry = std::fs::read_dir(cache.dir())
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(entry.metadata().unwrap().len(), HEADER + 8 * 8 * 2);
}

#[test]
fn corrupt_entry_is_a_miss_and_gets_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let img_path = dir.path().join("a.png");
    rgb8(5, 5).save(&img_path).unwrap();
    let cache = SampleCache::new(dir.path().join("cache")).unwrap();
    let p = params(5, 5, 3);
    let good = cache.load(&img_path, &p).unwrap();
    let entry = std::fs::read_dir(cache.dir())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert_eq!(std::fs::metadata(&entry).unwrap().len(), HEADER + 5 * 5 * 3);
    std::fs::write(&entry, b"KSC2 truncated").unwrap();
    assert_eq!(cache.load(&img_path, &p).unwrap(), good);
    assert_eq!((cache.hits(), cache.misses()), (0, 2));
    assert_eq!(cache.load(&img_path, &p).unwrap(), good);
    assert_eq!(cache.hits(), 1);
    // No temporary files are left behind.
    assert_eq!(std::fs::read_dir(cache.dir()).unwrap().count(), 1);
}

#[test]
fn missing_source_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let cache = SampleCache::new(dir.path().join("cache")).unwrap();
    let err = cache
        .load(&dir.path().join("nope.png"), &params(2, 2, 1))
        .unwrap_err();
    assert!(err.to_string().contains("nope.png"), "{err}");
}
