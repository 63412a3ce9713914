//! Detection importers on the shared real data (NEU-DET Pascal VOC, solar-panel COCO);
//! they run when `KESTREL_SHARED` is set and say that they were skipped otherwise.

use std::path::PathBuf;

use kestrel_data::{Dataset, import_coco_detection, import_voc, rotated_from_polygons, validate};

/// The shared folder, or `None` (after saying so) when `KESTREL_SHARED` is not set.
fn shared() -> Option<PathBuf> {
    let dir = kestrel_data::shared_data_dir();
    if dir.is_none() {
        eprintln!("skipped: KESTREL_SHARED not set");
    }
    dir
}

fn num_boxes(ds: &Dataset) -> usize {
    ds.samples.iter().map(|s| s.num_instances()).sum()
}

/// Number of images with each class id, by box, in `class_ids` order.
fn boxes_per_class(ds: &Dataset) -> Vec<usize> {
    let mut counts = vec![0; ds.class_ids.len()];
    for s in &ds.samples {
        for &label in s.bbox_label_id.iter().flatten() {
            counts[ds.class_index(label).unwrap()] += 1;
        }
    }
    counts
}

#[test]
fn neu_det_voc() {
    let Some(shared) = shared() else { return };
    let root = shared.join("data/neu-det");
    let classes = [
        "crazing",
        "inclusion",
        "patches",
        "pitted_surface",
        "rolled-in_scale",
        "scratches",
    ];
    let ds = import_voc(&root.join("ANNOTATIONS"), &root.join("IMAGES")).unwrap();
    assert_eq!(ds.class_names, classes);
    assert_eq!(ds.samples.len(), 1770);
    assert_eq!(num_boxes(&ds), 4126);
    assert_eq!(boxes_per_class(&ds), [678, 1001, 866, 423, 620, 538]);
    // 170 files name their image without ".jpg"; they are found with it.
    assert!(
        ds.samples
            .iter()
            .all(|s| s.image_file_name.ends_with(".jpg"))
    );
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");

    let val = import_voc(
        &root.join("Validation_Annotations"),
        &root.join("Validation_Images"),
    )
    .unwrap();
    assert_eq!(val.class_names, classes);
    assert_eq!(val.samples.len(), 30);
    assert_eq!(num_boxes(&val), 63);
    let report = validate(&val);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn solar_panel_coco_boxes_masks_and_rotated_boxes() {
    let Some(shared) = shared() else { return };
    let root = shared.join("data/solar-panel-coco");
    let names = [
        "bird-drop",
        "dusty",
        "electrical-damage",
        "physical-damage",
        "snow-covered",
    ];
    for (part, images, boxes, empty, per_class) in [
        ("train", 569, 1604, 145, [212, 412, 215, 149, 616]),
        ("test", 221, 836, 47, [559, 129, 29, 5, 114]),
    ] {
        let dir = root.join(part);
        let mut ds = import_coco_detection(&dir.join("_annotations.coco.json"), &dir).unwrap();
        assert_eq!(ds.class_ids, [1, 2, 3, 4, 5], "{part}");
        assert_eq!(ds.class_names, names, "{part}");
        assert_eq!(ds.samples.len(), images, "{part}");
        assert_eq!(num_boxes(&ds), boxes, "{part}");
        assert_eq!(boxes_per_class(&ds), per_class, "{part}");
        let report = validate(&ds);
        assert!(!report.has_errors(), "{report}");
        // Images without faults are reported as warnings, one each.
        assert_eq!(report.problems.len(), empty, "{part}");

        assert_eq!(rotated_from_polygons(&mut ds).unwrap(), boxes, "{part}");
        for s in &ds.samples {
            for (b, r) in s.boxes().unwrap().iter().zip(s.rotated_boxes().unwrap()) {
                // A rotated box is never larger than the axis-aligned one (the polygon's
                // bounding box, up to the rounding of the annotation tool).
                let rotated_area = 4.0 * r.rect.length1 * r.rect.length2;
                let area = (b.row2 - b.row1) * (b.col2 - b.col1);
                assert!(rotated_area <= area * 1.01 + 1.0, "{part} {s:?}");
                assert!(r.rect.length1 >= r.rect.length2 && r.rect.length2 > 0.0);
            }
        }
        let report = validate(&ds);
        assert!(!report.has_errors(), "{report}");
    }
}

#[test]
fn solar_panel_split_folders_merge_into_one_dataset() {
    let Some(shared) = kestrel_data::shared_data_dir() else {
        eprintln!("skipped: KESTREL_SHARED not set");
        return;
    };
    let root = shared.join("data/solar-panel-coco");
    let ds = kestrel_data::import_coco_split_folders(&root, kestrel_data::import_coco_multilabel)
        .unwrap();
    assert_eq!(ds.samples_in(kestrel_data::Split::Train).len(), 569);
    assert_eq!(ds.samples_in(kestrel_data::Split::Test).len(), 221);
    assert_eq!(ds.class_ids, vec![1, 2, 3, 4, 5]);
    let ids: std::collections::BTreeSet<u64> = ds.samples.iter().map(|s| s.image_id).collect();
    assert_eq!(ids.len(), ds.samples.len());
    assert!(ds.samples.iter().all(|s| ds.image_path(s).is_file()));
}
