//! Anomaly-detection importers: MVTec AD and Magnetic-Tile layouts.

mod common;

use std::path::Path;

use common::{write_bytes, write_grey, write_jpg, write_png};
use kestrel_data::{
    AnomalyLabel, DataError, Split, import_magnetic_tile_anomaly, import_mvtec_ad, validate,
};

/// A tiny MVTec AD category: 2 train/good, 1 test/good, 2 test/crack, 1 test/hole.
fn mvtec(root: &Path) {
    write_png(&root.join("train/good/000.png"), 4, 3);
    write_png(&root.join("train/good/001.png"), 4, 3);
    write_png(&root.join("test/good/000.png"), 4, 3);
    write_png(&root.join("test/crack/000.png"), 4, 3);
    write_png(&root.join("test/crack/001.png"), 4, 3);
    write_png(&root.join("test/hole/000.png"), 4, 3);
    for m in ["crack/000", "crack/001", "hole/000"] {
        write_grey(
            &root.join(format!("ground_truth/{m}_mask.png")),
            4,
            3,
            &[255; 12],
        );
    }
    write_bytes(&root.join("license.txt"), b"x");
}

#[test]
fn mvtec_ad_layout() {
    let dir = tempfile::tempdir().unwrap();
    mvtec(dir.path());
    let ds = import_mvtec_ad(dir.path()).unwrap();
    assert_eq!(ds.class_names, vec!["good", "crack", "hole"]);
    assert_eq!(ds.class_ids, vec![0, 1, 2]);
    assert!(Path::new(&ds.image_dir).is_absolute());
    let got: Vec<_> = ds
        .samples
        .iter()
        .map(|s| {
            (
                s.image_file_name.as_str(),
                s.image_label_id.unwrap(),
                s.split.unwrap(),
                s.anomaly_label.unwrap(),
                s.anomaly_file_name.as_deref(),
            )
        })
        .collect();
    use AnomalyLabel::{Nok, Ok};
    assert_eq!(
        got,
        vec![
            ("train/good/000.png", 0, Split::Train, Ok, None),
            ("train/good/001.png", 0, Split::Train, Ok, None),
            ("test/good/000.png", 0, Split::Test, Ok, None),
            (
                "test/crack/000.png",
                1,
                Split::Test,
                Nok,
                Some("ground_truth/crack/000_mask.png")
            ),
            (
                "test/crack/001.png",
                1,
                Split::Test,
                Nok,
                Some("ground_truth/crack/001_mask.png")
            ),
            (
                "test/hole/000.png",
                2,
                Split::Test,
                Nok,
                Some("ground_truth/hole/000_mask.png")
            ),
        ]
    );
    assert_eq!(
        ds.samples.iter().map(|s| s.image_id).collect::<Vec<_>>(),
        (0..6).collect::<Vec<_>>()
    );
    assert!(ds.anomaly_path(&ds.samples[5]).unwrap().is_file());
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn mvtec_ad_missing_masks_are_all_named() {
    let dir = tempfile::tempdir().unwrap();
    mvtec(dir.path());
    std::fs::remove_file(dir.path().join("ground_truth/crack/001_mask.png")).unwrap();
    std::fs::remove_file(dir.path().join("ground_truth/hole/000_mask.png")).unwrap();
    let err = import_mvtec_ad(dir.path()).unwrap_err();
    let DataError::Problems { problems, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(problems.len(), 2, "{err}");
    let msg = err.to_string();
    assert!(msg.contains("ground_truth/crack/001_mask.png"), "{msg}");
    assert!(msg.contains("ground_truth/hole/000_mask.png"), "{msg}");

    // One missing mask: the error is that file's own.
    write_grey(
        &dir.path().join("ground_truth/hole/000_mask.png"),
        4,
        3,
        &[0; 12],
    );
    let err = import_mvtec_ad(dir.path()).unwrap_err();
    assert!(matches!(err, DataError::Format { .. }), "{err}");
    assert!(err.to_string().contains("001_mask.png"), "{err}");
}

#[test]
fn mvtec_ad_rejects_unexpected_layouts() {
    let dir = tempfile::tempdir().unwrap();
    let err = import_mvtec_ad(dir.path()).unwrap_err();
    assert!(matches!(err, DataError::Io { .. }), "{err}");
    assert!(err.to_string().contains("train"), "{err}");
    mvtec(dir.path());
    write_png(&dir.path().join("train/crack/000.png"), 4, 3);
    let err = import_mvtec_ad(dir.path()).unwrap_err();
    assert!(err.to_string().contains("train/crack"), "{err}");
}

/// A tiny Magnetic-Tile folder: 3 Free, 2 Crack, 1 Blowhole (masks next to the images).
fn magnetic(root: &Path) {
    for name in ["f1", "f2", "f3"] {
        write_jpg(&root.join(format!("MT_Free/Imgs/{name}.jpg")), 5, 4);
        write_grey(
            &root.join(format!("MT_Free/Imgs/{name}.png")),
            5,
            4,
            &[0; 20],
        );
    }
    for (class, name) in [("Crack", "c1"), ("Crack", "c2"), ("Blowhole", "b1")] {
        write_jpg(&root.join(format!("MT_{class}/Imgs/{name}.jpg")), 5, 4);
        let mut mask = [0u8; 20];
        mask[..5].fill(255);
        mask[5] = 130;
        write_grey(
            &root.join(format!("MT_{class}/Imgs/{name}.png")),
            5,
            4,
            &mask,
        );
    }
    write_bytes(&root.join("README.md"), b"x");
}

#[test]
fn magnetic_tile_anomaly_without_split_file() {
    let dir = tempfile::tempdir().unwrap();
    magnetic(dir.path());
    let ds = import_magnetic_tile_anomaly(dir.path(), None).unwrap();
    assert_eq!(ds.class_names, vec!["Free", "Blowhole", "Crack"]);
    assert_eq!(ds.class_ids, vec![0, 1, 2]);
    let files: Vec<_> = ds
        .samples
        .iter()
        .map(|s| s.image_file_name.as_str())
        .collect();
    assert_eq!(
        files,
        vec![
            "MT_Free/Imgs/f1.jpg",
            "MT_Free/Imgs/f2.jpg",
            "MT_Free/Imgs/f3.jpg",
            "MT_Blowhole/Imgs/b1.jpg",
            "MT_Crack/Imgs/c1.jpg",
            "MT_Crack/Imgs/c2.jpg",
        ]
    );
    for s in &ds.samples {
        let free = s.image_file_name.starts_with("MT_Free");
        assert_eq!(s.image_label_id == Some(0), free);
        assert_eq!(
            s.anomaly_label,
            Some(if free {
                AnomalyLabel::Ok
            } else {
                AnomalyLabel::Nok
            })
        );
        assert_eq!(s.anomaly_file_name.is_some(), !free);
        assert_eq!(s.split, None);
    }
    assert_eq!(
        ds.samples[4].anomaly_file_name.as_deref(),
        Some("MT_Crack/Imgs/c1.png")
    );
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn magnetic_tile_anomaly_with_split_file() {
    let dir = tempfile::tempdir().unwrap();
    magnetic(dir.path());
    let split = dir.path().join("split.json");
    std::fs::write(
        &split,
        r#"{"root": "ignored", "train": ["MT_Free/Imgs/f1.jpg", "MT_Free/Imgs/f3.jpg"],
            "test_good": ["MT_Free/Imgs/f2.jpg"],
            "test_defect": ["MT_Crack/Imgs/c1.jpg", "MT_Blowhole/Imgs/b1.jpg"]}"#,
    )
    .unwrap();
    let ds = import_magnetic_tile_anomaly(dir.path(), Some(&split)).unwrap();
    let splits: Vec<_> = ds.samples.iter().map(|s| s.split).collect();
    use Split::{Test, Train};
    // c2 is in no list and keeps no split.
    assert_eq!(
        splits,
        vec![
            Some(Train),
            Some(Test),
            Some(Train),
            Some(Test),
            Some(Test),
            None
        ]
    );

    std::fs::write(
        &split,
        r#"{"train": ["MT_Free/Imgs/f1.jpg", "MT_Free/Imgs/nope.jpg"],
            "test_good": ["MT_Free/Imgs/f1.jpg", "MT_Crack/Imgs/c2.jpg"],
            "test_defect": ["MT_Free/Imgs/f2.jpg"]}"#,
    )
    .unwrap();
    let err = import_magnetic_tile_anomaly(dir.path(), Some(&split)).unwrap_err();
    let DataError::Problems { path, problems } = &err else {
        panic!("{err}")
    };
    assert_eq!(path, &split);
    assert_eq!(problems.len(), 4, "{err}");
    let msg = err.to_string();
    assert!(msg.contains("split.json"), "{msg}");
    assert!(
        msg.contains("train: MT_Free/Imgs/nope.jpg is not an image"),
        "{msg}"
    );
    assert!(msg.contains("also listed in train"), "{msg}");
    assert!(
        msg.contains("test_good: MT_Crack/Imgs/c2.jpg is nok"),
        "{msg}"
    );
    assert!(
        msg.contains("test_defect: MT_Free/Imgs/f2.jpg is ok"),
        "{msg}"
    );

    std::fs::write(&split, r#"{"train": []}"#).unwrap();
    let err = import_magnetic_tile_anomaly(dir.path(), Some(&split)).unwrap_err();
    assert!(matches!(err, DataError::Format { .. }), "{err}");
    assert!(err.to_string().contains("split.json"), "{err}");
}

#[test]
fn magnetic_tile_anomaly_missing_mask_and_empty_root() {
    let dir = tempfile::tempdir().unwrap();
    magnetic(dir.path());
    std::fs::remove_file(dir.path().join("MT_Crack/Imgs/c2.png")).unwrap();
    // A missing MT_Free mask does not matter.
    std::fs::remove_file(dir.path().join("MT_Free/Imgs/f1.png")).unwrap();
    let err = import_magnetic_tile_anomaly(dir.path(), None).unwrap_err();
    assert!(matches!(err, DataError::Format { .. }), "{err}");
    assert!(err.to_string().contains("MT_Crack/Imgs/c2.png"), "{err}");

    let empty = tempfile::tempdir().unwrap();
    let err = import_magnetic_tile_anomaly(empty.path(), None).unwrap_err();
    assert!(matches!(err, DataError::NoImages { .. }), "{err}");
}
