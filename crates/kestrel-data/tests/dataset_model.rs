//! The task fields of the dataset model: JSON names, defaults, and mask / label paths.

use std::path::PathBuf;

use kestrel_data::{AnomalyLabel, Dataset, Sample, Split};

#[test]
fn task_fields_use_halcon_names_and_are_skipped_when_unset() {
    let plain = Sample {
        image_id: 1,
        image_file_name: "a.png".into(),
        image_label_id: Some(0),
        ..Default::default()
    };
    let json = serde_json::to_value(&plain).unwrap();
    let keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, vec!["image_file_name", "image_id", "image_label_id"]);

    let full = Sample {
        image_id: 2,
        image_file_name: "b.png".into(),
        split: Some(Split::Test),
        image_label_ids: Some(vec![]),
        anomaly_label: Some(AnomalyLabel::Nok),
        anomaly_file_name: Some("b_mask.png".into()),
        segmentation_file_name: Some("b_label.png".into()),
        ..Default::default()
    };
    let json = serde_json::to_value(&full).unwrap();
    assert_eq!(json["image_label_ids"], serde_json::json!([]));
    assert_eq!(json["anomaly_label"], "nok");
    assert_eq!(json["anomaly_file_name"], "b_mask.png");
    assert_eq!(json["segmentation_file_name"], "b_label.png");
    assert_eq!(serde_json::to_string(&AnomalyLabel::Ok).unwrap(), "\"ok\"");
    assert_eq!(AnomalyLabel::Nok.to_string(), "nok");
    let back: Sample = serde_json::from_value(json).unwrap();
    assert_eq!(back, full);

    let ds = Dataset {
        class_names: vec!["a".into()],
        class_ids: vec![0],
        image_dir: "img".into(),
        samples: vec![plain],
        ..Default::default()
    };
    let json = serde_json::to_value(&ds).unwrap();
    let keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        vec!["class_ids", "class_names", "image_dir", "samples"]
    );
    let ds = Dataset {
        anomaly_dir: Some("masks".into()),
        segmentation_dir: Some("labels".into()),
        ignore_class_ids: vec![0],
        class_ids_background: vec![0],
        ..ds
    };
    let json = serde_json::to_value(&ds).unwrap();
    assert_eq!(json["anomaly_dir"], "masks");
    assert_eq!(json["segmentation_dir"], "labels");
    assert_eq!(json["ignore_class_ids"], serde_json::json!([0]));
    assert_eq!(json["class_ids_background"], serde_json::json!([0]));
}

#[test]
fn classification_files_without_task_fields_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ds.json");
    std::fs::write(
        &path,
        r#"{"class_names": ["x"], "class_ids": [0], "image_dir": "i",
            "samples": [{"image_id": 0, "image_file_name": "a.png", "image_label_id": 0}]}"#,
    )
    .unwrap();
    let ds = Dataset::load(&path).unwrap();
    assert_eq!(ds.anomaly_dir, None);
    assert!(ds.ignore_class_ids.is_empty() && ds.class_ids_background.is_empty());
    let s = &ds.samples[0];
    assert_eq!(s.image_label_ids, None);
    assert_eq!(s.anomaly_label, None);
    assert_eq!(s.segmentation_file_name, None);
    // Saving writes back the same keys.
    let out = dir.path().join("again.json");
    ds.save(&out, false).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        !text.contains("anomaly") && !text.contains("segmentation"),
        "{text}"
    );
    assert!(!text.contains("ignore_class_ids") && !text.contains("background"));
}

#[test]
fn mask_and_label_paths() {
    let mut ds = Dataset {
        image_dir: "img".into(),
        base_dir: PathBuf::from("/data"),
        ..Default::default()
    };
    let mut s = Sample {
        image_file_name: "a.png".into(),
        ..Default::default()
    };
    assert_eq!(ds.anomaly_path(&s), None);
    assert_eq!(ds.segmentation_path(&s), None);
    s.anomaly_file_name = Some("m/a.png".into());
    s.segmentation_file_name = Some("a_label.png".into());
    // Without their own folder, masks and labels are relative to image_dir.
    assert_eq!(
        ds.anomaly_path(&s),
        Some(PathBuf::from("/data/img/m/a.png"))
    );
    assert_eq!(
        ds.segmentation_path(&s),
        Some(PathBuf::from("/data/img/a_label.png"))
    );
    ds.anomaly_dir = Some("masks".into());
    ds.segmentation_dir = Some("/abs/labels".into());
    assert_eq!(
        ds.anomaly_path(&s),
        Some(PathBuf::from("/data/masks/m/a.png"))
    );
    assert_eq!(
        ds.segmentation_path(&s),
        Some(PathBuf::from("/abs/labels/a_label.png"))
    );
    s.anomaly_file_name = Some("/x/y.png".into());
    assert_eq!(ds.anomaly_path(&s), Some(PathBuf::from("/x/y.png")));
    assert_eq!(ds.image_path(&s), PathBuf::from("/data/img/a.png"));
}
