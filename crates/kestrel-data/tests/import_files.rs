//! Folder-per-class and label-in-file-name importers.

mod common;

use common::{write_bmp, write_bytes, write_png};
use kestrel_data::{DataError, import_filename, import_folder, label_from_file_name, validate};

#[test]
fn folder_import_labels_by_subfolder_recursively_and_sorted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_png(&root.join("dog/b.png"), 2, 2);
    write_png(&root.join("dog/a.PNG"), 2, 2);
    write_png(&root.join("dog/deep/c.png"), 2, 2);
    write_bmp(&root.join("cat/x.bmp"));
    write_bytes(&root.join("cat/notes.txt"), b"ignored");
    write_png(&root.join("top_level.png"), 2, 2);
    write_png(&root.join(".hidden/h.png"), 2, 2);
    std::fs::create_dir_all(root.join("empty")).unwrap();

    let ds = import_folder(root).unwrap();
    assert_eq!(ds.class_names, vec!["cat", "dog"]);
    assert_eq!(ds.class_ids, vec![0, 1]);
    assert!(std::path::Path::new(&ds.image_dir).is_absolute());
    let files: Vec<_> = ds
        .samples
        .iter()
        .map(|s| s.image_file_name.as_str())
        .collect();
    assert_eq!(
        files,
        vec!["cat/x.bmp", "dog/a.PNG", "dog/b.png", "dog/deep/c.png"]
    );
    let labels: Vec<_> = ds.samples.iter().map(|s| s.image_label_id).collect();
    assert_eq!(labels, vec![Some(0), Some(1), Some(1), Some(1)]);
    let ids: Vec<_> = ds.samples.iter().map(|s| s.image_id).collect();
    assert_eq!(ids, vec![0, 1, 2, 3]);
    assert!(ds.samples.iter().all(|s| s.split.is_none()));
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn folder_import_without_images_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write_bytes(&dir.path().join("a/readme.txt"), b"x");
    let err = import_folder(dir.path()).unwrap_err();
    assert!(matches!(err, DataError::NoImages { .. }), "{err}");
    let err = import_folder(&dir.path().join("missing")).unwrap_err();
    assert!(matches!(err, DataError::Io { .. }), "{err}");
    assert!(err.to_string().contains("missing"));
}

#[test]
fn label_rule_follows_halcon() {
    assert_eq!(label_from_file_name("apple_01.png"), Some("apple"));
    assert_eq!(
        label_from_file_name("rolled-in_scale_12.jpg"),
        Some("rolled-in_scale")
    );
    assert_eq!(label_from_file_name("crazing_1.jpg"), Some("crazing"));
    assert_eq!(label_from_file_name("sub/dir/cat7.bmp"), Some("cat"));
    assert_eq!(label_from_file_name("pear.tif"), Some("pear"));
    assert_eq!(label_from_file_name("123.png"), None);
    assert_eq!(label_from_file_name("_5.png"), None);
}

#[test]
fn filename_import_recursive_sorted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_png(&root.join("pear_2.png"), 2, 2);
    write_png(&root.join("apple_01.png"), 2, 2);
    write_png(&root.join("more/apple_02.jpeg.png"), 2, 2);
    write_png(&root.join("rolled-in_scale_12.png"), 2, 2);
    let ds = import_filename(root).unwrap();
    assert_eq!(ds.class_names, vec!["apple", "pear", "rolled-in_scale"]);
    let got: Vec<_> = ds
        .samples
        .iter()
        .map(|s| (s.image_file_name.as_str(), s.image_label_id.unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("apple_01.png", 0),
            ("more/apple_02.jpeg.png", 0),
            ("pear_2.png", 1),
            ("rolled-in_scale_12.png", 2),
        ]
    );
    assert!(validate(&ds).is_ok());
}

#[test]
fn filename_import_rejects_unlabelled_names_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("apple_1.png"), 2, 2);
    write_png(&dir.path().join("0042.png"), 2, 2);
    let err = import_filename(dir.path()).unwrap_err();
    assert!(matches!(err, DataError::Format { .. }));
    assert!(err.to_string().contains("0042.png"), "{err}");
}
