//! Loads real images from the shared data folder; runs only when `KESTREL_SHARED` is set.

use std::path::PathBuf;

use kestrel_image::{Normalization, PreprocessParams, SampleCache, load_resized, normalize_chw};

fn shared() -> Option<PathBuf> {
    let dir = kestrel_data::shared_data_dir();
    if dir.is_none() {
        eprintln!("skipped: KESTREL_SHARED not set");
    }
    dir
}

#[test]
fn neu_det_and_magnetic_tile_load_as_224x224x3() {
    let Some(root) = shared() else { return };
    let params = PreprocessParams {
        width: 224,
        height: 224,
        num_channels: 3,
        normalization: Normalization::imagenet(),
    };
    let neu = root.join("data/neu-det/IMAGES/crazing_1.jpg");
    let tile_dir = root.join("data/magnetic-tile/MT_Blowhole/Imgs");
    let tile = std::fs::read_dir(&tile_dir)
        .unwrap_or_else(|e| panic!("{}: {e}", tile_dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jpg"))
        .min()
        .expect("a magnetic-tile jpg");
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = SampleCache::new(cache_dir.path().to_path_buf()).unwrap();
    for path in [neu, tile] {
        let img = load_resized(&path, &params).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((img.width, img.height, img.channels), (224, 224, 3));
        assert!(img.data.iter().all(|v| (0.0..=1.0).contains(v)));
        let mean = img.data.iter().sum::<f32>() / img.data.len() as f32;
        assert!(
            mean > 0.05 && mean < 0.95,
            "{}: mean {mean}",
            path.display()
        );
        // These are grey scans: the three channels agree closely.
        let spread = img
            .data
            .chunks_exact(3)
            .map(|p| p[0].max(p[1]).max(p[2]) - p[0].min(p[1]).min(p[2]))
            .fold(0.0f32, f32::max);
        assert!(spread < 0.1, "{}: channel spread {spread}", path.display());
        let chw = normalize_chw(&img, &params.normalization);
        assert_eq!(chw.len(), 3 * 224 * 224);
        assert_eq!(cache.load(&path, &params).unwrap(), img);
        assert_eq!(cache.load(&path, &params).unwrap(), img);
    }
    assert_eq!((cache.hits(), cache.misses()), (2, 2));
}
