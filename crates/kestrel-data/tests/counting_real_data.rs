//! Counting importers on the shared real data (the 16 dot-annotated photos and BCCD);
//! they run when `KESTREL_SHARED` is set and say that they were skipped otherwise.

use std::path::PathBuf;

use kestrel_data::{Dataset, import_counting_dots, import_counting_voc, validate};

/// The shared folder, or `None` (after saying so) when `KESTREL_SHARED` is not set.
fn shared() -> Option<PathBuf> {
    let dir = kestrel_data::shared_data_dir();
    if dir.is_none() {
        eprintln!("skipped: KESTREL_SHARED not set");
    }
    dir
}

/// The number of dot pixels (a non-zero colour channel) of a dot map.
fn dot_pixels(path: &std::path::Path) -> usize {
    let map = image::open(path).unwrap().into_rgba8();
    map.pixels()
        .filter(|p| p.0[..3].iter().any(|&v| v != 0))
        .count()
}

/// Asserts that every sample has `want` example boxes (fewer when it has fewer objects)
/// inside its image, and that the dataset validates without errors.
fn assert_examples_inside(ds: &Dataset, want: usize) {
    for s in &ds.samples {
        let (w, h) = image::image_dimensions(ds.image_path(s)).unwrap();
        let boxes = s.exemplar_boxes().unwrap();
        assert_eq!(
            boxes.len(),
            want.min(s.true_count().unwrap()),
            "{}",
            s.image_file_name
        );
        for b in boxes {
            assert!(
                b[0] >= 0.0 && b[1] >= 0.0 && b[2] <= f64::from(h) && b[3] <= f64::from(w),
                "{}: {b:?} outside {w} x {h}",
                s.image_file_name
            );
            assert!(b[2] - b[0] >= 4.0 && b[3] - b[1] >= 4.0, "{b:?}");
        }
    }
    let report = validate(ds);
    assert!(!report.has_errors(), "{report}");
}

#[test]
fn dot_maps_of_the_counting_photos() {
    let Some(shared) = shared() else { return };
    let root = shared.join("data/counting");
    let ds = import_counting_dots(&root.join("images"), &root.join("dots"), None).unwrap();
    assert_eq!(ds.samples.len(), 16);
    assert_eq!(ds.class_names, ["object"]);
    let mut counts = Vec::new();
    for s in &ds.samples {
        let stem = s.image_file_name.trim_end_matches(".png");
        let dots = root.join("dots").join(format!("{stem}_gt.png"));
        assert_eq!(s.true_count().unwrap(), dot_pixels(&dots), "{stem}");
        counts.push(s.true_count().unwrap());
    }
    assert_eq!(counts.iter().min(), Some(&40));
    assert_eq!(counts.iter().max(), Some(&877));
    assert_examples_inside(&ds, 3);
    // The rule is deterministic: a second import gives the same examples.
    let again = import_counting_dots(&root.join("images"), &root.join("dots"), None).unwrap();
    assert_eq!(again, ds);
}

#[test]
fn bccd_red_cells_and_platelets() {
    let Some(shared) = shared() else { return };
    let root = shared.join("data/bccd");
    let (xml, images) = (root.join("Annotations"), root.join("JPEGImages"));
    let e = import_counting_voc(&xml, &images, None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("several classes (Platelets, RBC, WBC)"), "{e}");
    for (class, total) in [("RBC", 4155), ("Platelets", 361)] {
        let ds = import_counting_voc(&xml, &images, Some(class)).unwrap();
        assert_eq!(ds.samples.len(), 364);
        assert_eq!(ds.class_names, [class]);
        let sum: usize = ds.samples.iter().map(|s| s.true_count().unwrap()).sum();
        assert_eq!(sum, total, "{class}");
        assert_examples_inside(&ds, 3);
    }
}
