//! Segmentation importers: Magnetic-Tile masks to label images, and paired folders.

mod common;

use std::path::Path;

use common::{read_grey, write_bmp, write_grey, write_jpg, write_png};
use kestrel_data::{
    DataError, import_magnetic_tile_segmentation, import_segmentation_folders, validate,
};

/// The mask used for defect images: first row 255, one soft value 130, one 127, rest 0.
fn mask() -> Vec<u8> {
    let mut m = vec![0u8; 20];
    m[..5].fill(255);
    m[5] = 130;
    m[6] = 127;
    m
}

fn magnetic(root: &Path) {
    write_jpg(&root.join("MT_Free/Imgs/f1.jpg"), 5, 4);
    write_grey(&root.join("MT_Free/Imgs/f1.png"), 5, 4, &[255; 20]);
    write_jpg(&root.join("MT_Free/Imgs/f2.jpg"), 5, 4);
    for (class, name) in [("Crack", "c1"), ("Fray", "r1"), ("Uneven", "u1")] {
        write_jpg(&root.join(format!("MT_{class}/Imgs/{name}.jpg")), 5, 4);
        write_grey(
            &root.join(format!("MT_{class}/Imgs/{name}.png")),
            5,
            4,
            &mask(),
        );
    }
}

#[test]
fn magnetic_tile_segmentation_writes_label_images() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("mt");
    magnetic(&root);
    let labels = dir.path().join("labels");
    let ds = import_magnetic_tile_segmentation(&root, &labels).unwrap();
    assert_eq!(
        ds.class_names,
        vec!["background", "Blowhole", "Break", "Crack", "Fray", "Uneven"]
    );
    assert_eq!(ds.class_ids, vec![0, 1, 2, 3, 4, 5]);
    assert_eq!(ds.class_ids_background, vec![0]);
    assert_eq!(
        ds.segmentation_dir.as_deref(),
        Some(labels.to_str().unwrap())
    );
    let got: Vec<_> = ds
        .samples
        .iter()
        .map(|s| {
            (
                s.image_file_name.as_str(),
                s.image_label_id.unwrap(),
                s.segmentation_file_name.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("MT_Crack/Imgs/c1.jpg", 3, "MT_Crack/c1.png"),
            ("MT_Fray/Imgs/r1.jpg", 4, "MT_Fray/r1.png"),
            ("MT_Free/Imgs/f1.jpg", 0, "MT_Free/f1.png"),
            ("MT_Free/Imgs/f2.jpg", 0, "MT_Free/f2.png"),
            ("MT_Uneven/Imgs/u1.jpg", 5, "MT_Uneven/u1.png"),
        ]
    );
    let (w, h, px) = read_grey(&labels.join("MT_Fray/r1.png"));
    assert_eq!((w, h), (5, 4));
    let mut want = vec![0u8; 20];
    want[..6].fill(4);
    assert_eq!(px, want);
    // MT_Free is background whatever its mask says.
    assert_eq!(read_grey(&labels.join("MT_Free/f1.png")).2, vec![0; 20]);
    assert_eq!(
        ds.segmentation_path(&ds.samples[0]).unwrap(),
        labels.join("MT_Crack/c1.png")
    );
    // No temporary files are left behind.
    let names: Vec<_> = std::fs::read_dir(labels.join("MT_Free"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn magnetic_tile_segmentation_reports_every_bad_mask() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("mt");
    magnetic(&root);
    std::fs::remove_file(root.join("MT_Crack/Imgs/c1.png")).unwrap();
    write_grey(&root.join("MT_Fray/Imgs/r1.png"), 4, 4, &[0; 16]);
    write_jpg(&root.join("MT_Scratch/Imgs/s1.jpg"), 5, 4);
    let err = import_magnetic_tile_segmentation(&root, &dir.path().join("labels")).unwrap_err();
    let msg = err.to_string();
    // The class and missing-mask problems are found before anything is written.
    assert!(msg.contains("MT_Scratch"), "{msg}");
    assert!(msg.contains("MT_Crack/Imgs/c1.png"), "{msg}");
    assert!(!dir.path().join("labels").exists());

    std::fs::remove_dir_all(root.join("MT_Scratch")).unwrap();
    write_grey(&root.join("MT_Crack/Imgs/c1.png"), 5, 4, &mask());
    write_png(&root.join("MT_Uneven/Imgs/u1.png"), 5, 4);
    std::fs::write(root.join("MT_Uneven/Imgs/u1.png"), b"broken").unwrap();
    let err = import_magnetic_tile_segmentation(&root, &dir.path().join("labels")).unwrap_err();
    let DataError::Problems { problems, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(problems.len(), 2, "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("MT_Fray/Imgs/r1.png") && msg.contains("4 x 4"),
        "{msg}"
    );
    assert!(
        msg.contains("MT_Uneven/Imgs/u1.png") && msg.contains("decode"),
        "{msg}"
    );
}

#[test]
fn segmentation_folders_pair_by_stem() {
    let dir = tempfile::tempdir().unwrap();
    let (img, lab) = (dir.path().join("img"), dir.path().join("lab"));
    write_png(&img.join("a.png"), 3, 2);
    write_jpg(&img.join("sub/b.jpg"), 3, 2);
    write_grey(&lab.join("a.png"), 3, 2, &[0, 1, 2, 0, 1, 2]);
    write_grey(&lab.join("sub/b.png"), 3, 2, &[0; 6]);
    let names = vec!["bg".to_string(), "x".into(), "y".into()];
    let ds = import_segmentation_folders(&img, &lab, names).unwrap();
    assert_eq!(ds.class_ids, vec![0, 1, 2]);
    assert_eq!(ds.segmentation_dir.as_deref(), Some(lab.to_str().unwrap()));
    let got: Vec<_> = ds
        .samples
        .iter()
        .map(|s| {
            (
                s.image_id,
                s.image_file_name.as_str(),
                s.segmentation_file_name.as_deref().unwrap(),
                s.image_label_id,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (0, "a.png", "a.png", None),
            (1, "sub/b.jpg", "sub/b.png", None)
        ]
    );
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn segmentation_folders_report_every_unpaired_file() {
    let dir = tempfile::tempdir().unwrap();
    let (img, lab) = (dir.path().join("img"), dir.path().join("lab"));
    write_png(&img.join("a.png"), 3, 2);
    write_png(&img.join("only_image.png"), 3, 2);
    write_bmp(&img.join("twice.bmp"));
    write_png(&img.join("twice.png"), 3, 2);
    write_grey(&lab.join("a.png"), 3, 2, &[0; 6]);
    write_grey(&lab.join("twice.png"), 3, 2, &[0; 6]);
    write_grey(&lab.join("only_label.png"), 3, 2, &[0; 6]);
    let err = import_segmentation_folders(&img, &lab, vec!["bg".into()]).unwrap_err();
    let DataError::Problems { problems, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(problems.len(), 3, "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("only_image.png") && msg.contains("no label image"),
        "{msg}"
    );
    assert!(
        msg.contains("only_label.png") && msg.contains("no image"),
        "{msg}"
    );
    assert!(
        msg.contains("twice.png") && msg.contains("ambiguous"),
        "{msg}"
    );

    let empty = tempfile::tempdir().unwrap();
    let err = import_segmentation_folders(empty.path(), empty.path(), vec![]).unwrap_err();
    assert!(matches!(err, DataError::NoImages { .. }), "{err}");
}
