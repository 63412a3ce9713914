//! Real-data tests on the shared folder; they run when `KESTREL_SHARED` is set and say
//! that they were skipped otherwise.

use std::path::PathBuf;

use kestrel_data::{Split, import_filename, import_idx_dir, validate};

/// The shared folder, or `None` (after saying so) when `KESTREL_SHARED` is not set.
fn shared() -> Option<PathBuf> {
    let dir = kestrel_data::shared_data_dir();
    if dir.is_none() {
        eprintln!("skipped: KESTREL_SHARED not set");
    }
    dir
}

#[test]
fn fashion_mnist_idx_dir() {
    let Some(shared) = shared() else { return };
    let src = shared.join("data/fashion-mnist");
    let out = tempfile::tempdir().unwrap();
    let names: Vec<String> = [
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ]
    .map(String::from)
    .to_vec();
    let ds = import_idx_dir(&src, Some(names), out.path()).unwrap();
    assert_eq!(ds.class_names.len(), 10);
    assert_eq!(ds.class_ids, (0..10).collect::<Vec<u32>>());
    assert_eq!(ds.samples_in(Split::Train).len(), 20_000);
    assert_eq!(ds.samples_in(Split::Test).len(), 10_000);
    assert_eq!(ds.samples.len(), 30_000);
    // Every class occurs in both parts.
    for split in [Split::Train, Split::Test] {
        let mut seen = [false; 10];
        for s in ds.samples_in(split) {
            seen[s.image_label_id.unwrap() as usize] = true;
        }
        assert!(seen.iter().all(|&b| b), "{split}: a class is missing");
    }
    let first = image::image_dimensions(ds.image_path(&ds.samples[0])).unwrap();
    assert_eq!(first, (28, 28));
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn neu_det_file_names() {
    let Some(shared) = shared() else { return };
    let ds = import_filename(&shared.join("data/neu-det/IMAGES")).unwrap();
    assert_eq!(
        ds.class_names,
        vec![
            "crazing",
            "inclusion",
            "patches",
            "pitted_surface",
            "rolled-in_scale",
            "scratches"
        ]
    );
    let counts: Vec<usize> = ds
        .class_ids
        .iter()
        .map(|&id| {
            ds.samples
                .iter()
                .filter(|s| s.image_label_id == Some(id))
                .count()
        })
        .collect();
    assert_eq!(counts, vec![295, 296, 295, 294, 295, 295]);
    assert_eq!(ds.samples.len(), 1_770);
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");
}
