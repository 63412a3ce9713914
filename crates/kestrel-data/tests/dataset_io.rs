//! Dataset JSON: field names, save/load round trip, overwrite protection, error messages.

use std::path::{Path, PathBuf};

use kestrel_data::{DataError, Dataset, Sample, Split};

fn sample_dataset() -> Dataset {
    Dataset {
        class_names: vec!["good".into(), "bad".into()],
        class_ids: vec![3, 7],
        image_dir: "images".into(),
        samples: vec![
            Sample {
                image_id: 1,
                image_file_name: "a.png".into(),
                image_label_id: Some(3),
                split: Some(Split::Train),
                ..Default::default()
            },
            Sample {
                image_id: 2,
                image_file_name: "sub/b.png".into(),
                image_label_id: Some(7),
                split: Some(Split::Validation),
                ..Default::default()
            },
            Sample {
                image_id: 3,
                image_file_name: "c.png".into(),
                image_label_id: None,
                split: None,
                ..Default::default()
            },
        ],
        base_dir: PathBuf::new(),
        ..Default::default()
    }
}

#[test]
fn json_uses_halcon_names_and_skips_none() {
    let json = serde_json::to_value(sample_dataset()).unwrap();
    let s0 = &json["samples"][0];
    assert_eq!(s0["image_id"], 1);
    assert_eq!(s0["image_file_name"], "a.png");
    assert_eq!(s0["image_label_id"], 3);
    assert_eq!(s0["split"], "train");
    assert_eq!(json["samples"][1]["split"], "validation");
    let s2 = json["samples"][2].as_object().unwrap();
    assert!(!s2.contains_key("image_label_id") && !s2.contains_key("split"));
    assert!(json.get("base_dir").is_none());
    assert_eq!(serde_json::to_string(&Split::Test).unwrap(), "\"test\"");
}

#[test]
fn save_load_round_trip_sets_base_dir() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ds.json");
    let ds = sample_dataset();
    ds.save(&path, false).unwrap();
    let loaded = Dataset::load(&path).unwrap();
    assert_eq!(loaded.base_dir, dir.path());
    assert_eq!(loaded.samples, ds.samples);
    assert_eq!(loaded.class_ids, ds.class_ids);
    assert_eq!(
        loaded.image_path(&loaded.samples[1]),
        dir.path().join("images").join("sub/b.png")
    );
    // No temporary files are left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn save_refuses_to_overwrite_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ds.json");
    std::fs::write(&path, "keep me").unwrap();
    let err = sample_dataset().save(&path, false).unwrap_err();
    assert!(matches!(err, DataError::AlreadyExists { .. }));
    assert!(err.to_string().contains("ds.json"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
    sample_dataset().save(&path, true).unwrap();
    assert!(Dataset::load(&path).is_ok());
}

#[test]
fn save_creates_missing_folders_and_names_a_blocked_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new").join("ds.json");
    sample_dataset().save(&path, false).unwrap();
    assert!(Dataset::load(&path).is_ok());
    // A folder on the way that is a file: the error names the dataset file and that folder.
    let blocker = dir.path().join("nope");
    std::fs::write(&blocker, b"").unwrap();
    let path = blocker.join("ds.json");
    let err = sample_dataset().save(&path, false).unwrap_err();
    assert!(matches!(err, DataError::Io { .. }));
    let message = err.to_string();
    assert!(message.contains(&*path.to_string_lossy()), "{message}");
    let folder = format!("cannot create folder {}", blocker.display());
    assert!(message.contains(&folder), "{message}");
}

#[test]
fn load_malformed_json_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    std::fs::write(
        &path,
        "{\n  \"class_names\": [\"a\"],\n  \"class_ids\": [0],\n  \"image_dir\": \"x\",\n  \"samples\": [ { \"image_id\": \"oops\" } ]\n}\n",
    )
    .unwrap();
    let err = Dataset::load(&path).unwrap_err();
    assert!(matches!(err, DataError::Json { .. }));
    let msg = err.to_string();
    assert!(msg.contains("broken.json"), "{msg}");
    assert!(msg.contains("line 5"), "{msg}");

    std::fs::write(&path, "{ \"class_names\": [").unwrap();
    let msg = Dataset::load(&path).unwrap_err().to_string();
    assert!(
        msg.contains("broken.json") && msg.contains("line 1"),
        "{msg}"
    );
}

#[test]
fn load_missing_file_names_it() {
    let err = Dataset::load(Path::new("/definitely/not/here.json")).unwrap_err();
    assert!(matches!(err, DataError::Io { .. }));
    assert!(err.to_string().contains("/definitely/not/here.json"));
}

#[test]
fn helpers_find_classes_splits_and_paths() {
    let mut ds = sample_dataset();
    assert_eq!(ds.class_index(7), Some(1));
    assert_eq!(ds.class_index(4), None);
    assert_eq!(ds.samples_in(Split::Train).len(), 1);
    assert_eq!(ds.samples_in(Split::Test).len(), 0);
    ds.base_dir = PathBuf::from("/data");
    assert_eq!(
        ds.image_path(&ds.samples[0]),
        PathBuf::from("/data/images/a.png")
    );
    ds.image_dir = "/abs/imgs".into();
    assert_eq!(
        ds.image_path(&ds.samples[0]),
        PathBuf::from("/abs/imgs/a.png")
    );
    ds.samples[0].image_file_name = "/elsewhere/z.png".into();
    assert_eq!(
        ds.image_path(&ds.samples[0]),
        PathBuf::from("/elsewhere/z.png")
    );
}

#[cfg(unix)]
#[test]
fn a_device_or_folder_given_as_dataset_is_refused_not_read_without_end() {
    // Before: /dev/zero was read until the memory ran out.
    for path in [Path::new("/dev/zero"), Path::new("/")] {
        let err = Dataset::load(path).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
        assert!(err.contains(&path.display().to_string()), "{err}");
    }
}
