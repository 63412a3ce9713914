//! Real-data tests on the shared folder; they run when `KESTREL_SHARED` is set and say
//! that they were skipped otherwise.

use std::path::PathBuf;

use kestrel_data::{
    AnomalyLabel, Split, import_coco_multilabel, import_filename, import_idx_dir,
    import_magnetic_tile_anomaly, import_magnetic_tile_segmentation, validate,
};

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

#[test]
fn magnetic_tile_anomaly_with_reference_split() {
    let Some(shared) = shared() else { return };
    let root = shared.join("data/magnetic-tile");
    let split_file = shared.join("splits/magnetic_tile.json");
    let ds = import_magnetic_tile_anomaly(&root, Some(&split_file)).unwrap();
    assert_eq!(
        ds.class_names,
        vec!["Free", "Blowhole", "Break", "Crack", "Fray", "Uneven"]
    );
    assert_eq!(ds.samples.len(), 1_344);
    let train = ds.samples_in(Split::Train);
    let test = ds.samples_in(Split::Test);
    assert_eq!(train.len(), 666);
    assert!(
        train
            .iter()
            .all(|s| s.anomaly_label == Some(AnomalyLabel::Ok))
    );
    let ok = test
        .iter()
        .filter(|s| s.anomaly_label == Some(AnomalyLabel::Ok))
        .count();
    let nok: Vec<_> = test
        .iter()
        .filter(|s| s.anomaly_label == Some(AnomalyLabel::Nok))
        .collect();
    assert_eq!((ok, nok.len()), (286, 392));
    for s in &nok {
        let mask = ds.anomaly_path(s).unwrap();
        assert!(mask.is_file(), "{}", mask.display());
    }
    let per_type: Vec<usize> = (1..6)
        .map(|id| nok.iter().filter(|s| s.image_label_id == Some(id)).count())
        .collect();
    assert_eq!(per_type, vec![115, 85, 57, 32, 103]);
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn magnetic_tile_segmentation_labels() {
    let Some(shared) = shared() else { return };
    let labels = tempfile::tempdir().unwrap();
    let ds = import_magnetic_tile_segmentation(&shared.join("data/magnetic-tile"), labels.path())
        .unwrap();
    assert_eq!(ds.samples.len(), 1_344);
    let per_class: Vec<usize> = (0..6)
        .map(|id| {
            ds.samples
                .iter()
                .filter(|s| s.image_label_id == Some(id))
                .count()
        })
        .collect();
    assert_eq!(per_class, vec![952, 115, 85, 57, 32, 103]);
    for s in &ds.samples {
        assert!(ds.segmentation_path(s).unwrap().is_file());
    }
    // A crack image's label holds background and crack pixels only, and some of each.
    let crack = ds
        .samples
        .iter()
        .find(|s| s.image_label_id == Some(3))
        .unwrap();
    let label = image::open(ds.segmentation_path(crack).unwrap())
        .unwrap()
        .into_luma8();
    assert_eq!(
        label.dimensions(),
        image::image_dimensions(ds.image_path(crack)).unwrap()
    );
    assert!(label.pixels().all(|p| p.0[0] == 0 || p.0[0] == 3));
    assert!(label.pixels().any(|p| p.0[0] == 3));
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn solar_panel_coco_multilabel() {
    let Some(shared) = shared() else { return };
    let root = shared.join("data/solar-panel-coco");
    let names = vec![
        "bird-drop",
        "dusty",
        "electrical-damage",
        "physical-damage",
        "snow-covered",
    ];
    for (part, images, annotated) in [("train", 569, 424), ("test", 221, 174)] {
        let dir = root.join(part);
        let ds = import_coco_multilabel(&dir.join("_annotations.coco.json"), &dir).unwrap();
        assert_eq!(ds.samples.len(), images, "{part}");
        // The unused parent category 0 is dropped.
        assert_eq!(ds.class_ids, vec![1, 2, 3, 4, 5], "{part}");
        assert_eq!(ds.class_names, names, "{part}");
        let with_labels = ds
            .samples
            .iter()
            .filter(|s| !s.image_label_ids.as_ref().unwrap().is_empty())
            .count();
        assert_eq!(with_labels, annotated, "{part}");
        let report = validate(&ds);
        assert!(report.is_ok(), "{part}: {report}");
    }
}
