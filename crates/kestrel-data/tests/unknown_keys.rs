//! Unknown keys of a dataset file: the file still loads, and validation names each key,
//! the first sample that has it, and the known key it most likely means.

mod common;

use common::write_png;
use kestrel_data::{Dataset, InstanceMask, Sample, Split, validate};

#[test]
fn misspelled_keys_are_reported_with_sample_and_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..4 {
        write_png(&dir.path().join(format!("img/{i}.png")), 4, 4);
    }
    let text = r#"{
      "class_names": ["a", "b"], "class_ids": [0, 1], "image_dir": "img",
      "ignore_class_id": [1],
      "dlsample_dir": "x",
      "samples": [
        {"image_id": 10, "image_file_name": "0.png", "image_label_id": 0},
        {"image_file_name": "1.png", "image_lable_id": 1, "image_id": 11, "splt": "train"},
        {"image_id": 12, "image_file_name": "2.png", "image_lable_id": 1},
        {"image_id": 13, "image_file_name": "3.png", "image_label_id": 1,
         "dlsample_file_name": "3.hdict"}
      ]
    }"#;
    let path = dir.path().join("ds.json");
    std::fs::write(&path, text).unwrap();
    // Loading keeps working: unknown keys are not errors of the file format.
    let ds = Dataset::load(&path).unwrap();
    assert_eq!(ds.samples.len(), 4);
    let report = validate(&ds);
    let text = report.to_string();
    let find = |field: &str| {
        let found: Vec<_> = report
            .problems
            .iter()
            .filter(|p| p.field == field)
            .collect();
        assert_eq!(found.len(), 1, "{field}: {text}");
        found[0].clone()
    };
    let top = find("ignore_class_id");
    assert_eq!(top.sample_index, None);
    assert!(!top.is_warning());
    assert!(
        top.message.contains("did you mean \"ignore_class_ids\""),
        "{text}"
    );
    let foreign = find("dlsample_dir");
    assert!(foreign.is_warning(), "{text}");
    assert!(!foreign.message.contains("did you mean"), "{text}");
    // Reported once, at the first sample that has it, with the count.
    let label = find("image_lable_id");
    assert_eq!(label.sample_index, Some(1));
    assert_eq!(label.image_id, Some(11));
    assert!(!label.is_warning());
    assert!(
        label.message.contains("did you mean \"image_label_id\""),
        "{text}"
    );
    assert!(label.message.contains("2 samples have it"), "{text}");
    assert!(label.to_string().contains("1.png"), "{text}");
    let split = find("splt");
    assert!(split.message.contains("did you mean \"split\""), "{text}");
    let hdict = find("dlsample_file_name");
    assert_eq!(hdict.sample_index, Some(3));
    assert!(hdict.is_warning(), "{text}");
    // The misspelled label also leaves the samples without one: still reported.
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.sample_index == Some(2) && p.field == "image_label_id"),
        "{text}"
    );
}

#[test]
fn every_key_kestrel_writes_is_known() {
    let dir = tempfile::tempdir().unwrap();
    let sample = Sample {
        image_id: 1,
        image_file_name: "a.png".into(),
        image_label_id: Some(0),
        split: Some(Split::Test),
        image_label_ids: Some(vec![0]),
        anomaly_file_name: Some("m.png".into()),
        segmentation_file_name: Some("s.png".into()),
        bbox_label_id: Some(vec![0]),
        bbox_row1: Some(vec![0.0]),
        bbox_row: Some(vec![0.0]),
        mask_polygons: Some(vec![InstanceMask::Polygons(vec![vec![0.0; 6]])]),
        word: Some("w".into()),
        words: Some(vec!["w".into()]),
        words_dont_care: Some(vec![false]),
        point_row: Some(vec![1.0]),
        exemplar_row1: Some(vec![1.0]),
        pose_cam_r_m2c: Some(vec![[0.0; 9]]),
        pose_cam_t_m2c: Some(vec![[0.0; 3]]),
        pose_visib_fract: Some(vec![1.0]),
        cam_k: Some([0.0; 9]),
        depth_file_name: Some("d.png".into()),
        depth_scale: Some(1.0),
        grasp_row: Some(vec![1.0]),
        grasp_positive: Some(vec![true]),
        gripping_file_name: Some("g.png".into()),
        ..Default::default()
    };
    let ds = Dataset {
        class_names: vec!["a".into()],
        class_ids: vec![0],
        image_dir: "img".into(),
        anomaly_dir: Some("m".into()),
        segmentation_dir: Some("s".into()),
        ignore_class_ids: vec![0],
        class_ids_background: vec![0],
        models_dir: Some("models".into()),
        samples: vec![sample],
        ..Default::default()
    };
    let path = dir.path().join("ds.json");
    ds.save(&path, false).unwrap();
    let loaded = Dataset::load(&path).unwrap();
    assert!(loaded.unknown_keys.is_empty(), "{:?}", loaded.unknown_keys);
    assert_eq!(loaded.samples, ds.samples);
}

#[test]
fn unknown_keys_are_bounded() {
    let mut text =
        String::from(r#"{"class_names": [], "class_ids": [], "image_dir": ".", "samples": ["#);
    for i in 0..1000 {
        if i > 0 {
            text.push(',');
        }
        // A distinct long key per sample, plus one shared by all.
        text.push_str(&format!(
            r#"{{"image_id": {i}, "image_file_name": "x", "k{i}{}": [1, 2, 3], "shared": 1}}"#,
            "x".repeat(1000)
        ));
    }
    text.push_str("]}");
    let ds = Dataset::from_json(&text, std::path::Path::new("d/ds.json")).unwrap();
    let keys = &ds.unknown_keys;
    assert_eq!(keys.keys.len(), kestrel_data::keys::MAX_UNKNOWN_KEYS);
    assert_eq!(
        keys.omitted,
        1000 + 1 - kestrel_data::keys::MAX_UNKNOWN_KEYS
    );
    assert!(
        keys.keys
            .iter()
            .all(|k| k.key.len() <= kestrel_data::keys::MAX_KEY_CHARS + 3)
    );
    let shared = keys.keys.iter().find(|k| k.key == "shared").unwrap();
    assert_eq!(shared.count, 1000);
    assert_eq!(shared.image_id, Some(0));
}
