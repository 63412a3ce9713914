//! The Cornell importer on scenes written in the test: good scenes, and bad ones whose
//! problems are all reported at once, each naming its file and line.

use std::path::Path;

use kestrel_data::{
    CORNELL_CAM_K, CornellOptions, DataError, DatasetKind, DepthKind, ImportFormat, ImportRequest,
    NanRectangles, Split, import, import_cornell, validate,
};

/// Writes scene `pcd{id}` with a `w x h` RGB image, a `dw x dh` 16-bit depth image and
/// the two rectangle files.
fn scene(dir: &Path, id: u32, (w, h): (u32, u32), (dw, dh): (u32, u32), pos: &str, neg: &str) {
    image::RgbImage::new(w, h)
        .save(dir.join(format!("pcd{id:04}r.png")))
        .unwrap();
    image::ImageBuffer::<image::Luma<u16>, Vec<u16>>::from_pixel(dw, dh, image::Luma([800]))
        .save(dir.join(format!("pcd{id:04}d.png")))
        .unwrap();
    std::fs::write(dir.join(format!("pcd{id:04}cpos.txt")), pos).unwrap();
    std::fs::write(dir.join(format!("pcd{id:04}cneg.txt")), neg).unwrap();
}

const RECT: &str = "10 20\n50 20\n50 30\n10 30\n";

#[test]
fn good_scenes_import_with_depth_camera_grasps_and_a_split() {
    let dir = tempfile::tempdir().unwrap();
    for id in 0..8 {
        scene(dir.path(), id, (64, 48), (64, 48), RECT, &RECT.repeat(2));
    }
    let request = ImportRequest {
        kind: "gripping".parse().unwrap(),
        format: "cornell".parse().unwrap(),
        src: dir.path().to_path_buf(),
        labels: None,
        images: None,
        split_file: None,
        class_names: None,
        images_out: None,
        out: dir.path().join("grip.json"),
    };
    assert_eq!(request.kind, DatasetKind::Gripping);
    assert_eq!(request.format, ImportFormat::Cornell);
    let ds = import(&request).unwrap();
    assert_eq!(ds.samples.len(), 8);
    let s = &ds.samples[3];
    assert_eq!(s.image_id, 3);
    assert_eq!(s.image_file_name, "pcd0003r.png");
    assert_eq!(s.depth_file_name.as_deref(), Some("pcd0003d.png"));
    assert_eq!(
        (s.depth_scale, s.depth_kind),
        (Some(1.0), Some(DepthKind::Range))
    );
    assert_eq!(s.cam_k, Some(CORNELL_CAM_K));
    let grasps = s.grasps().unwrap();
    let positive: Vec<bool> = grasps.iter().map(|g| g.positive).collect();
    assert_eq!(positive, [true, false, false]);
    assert_eq!(grasps[0].opening_width(), 40.0);
    assert_eq!(grasps[0].jaw_size(), 10.0);
    // A quarter of the scenes (2 of 8) are test scenes.
    let test = ds.samples.iter().filter(|s| s.split == Some(Split::Test));
    assert_eq!(test.count(), 2);
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");
    // Without a seed, no split.
    let options = CornellOptions {
        split_seed: None,
        ..Default::default()
    };
    let ds = import_cornell(dir.path(), &options).unwrap().dataset;
    assert!(ds.samples.iter().all(|s| s.split.is_none()));
}

#[test]
fn bad_scenes_report_every_problem_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    // Depth of another size; three corners; a NaN corner; a missing negative file.
    scene(dir.path(), 1, (64, 48), (32, 48), RECT, "");
    scene(dir.path(), 2, (64, 48), (64, 48), "1 2\n3 4\n5 6\n", "");
    scene(
        dir.path(),
        3,
        (64, 48),
        (64, 48),
        "NaN NaN\n1 1\n5 1\n5 3\n",
        "",
    );
    scene(dir.path(), 4, (64, 48), (64, 48), RECT, "");
    std::fs::remove_file(dir.path().join("pcd0004cneg.txt")).unwrap();
    std::fs::remove_file(dir.path().join("pcd0004d.png")).unwrap();
    let options = CornellOptions {
        nan_rectangles: NanRectangles::Error,
        ..Default::default()
    };
    let e = import_cornell(dir.path(), &options).unwrap_err();
    let DataError::Problems { problems, .. } = &e else {
        panic!("expected every problem, got {e}");
    };
    let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
    assert_eq!(problems.len(), 5, "{problems:#?}");
    assert!(
        has("pcd0001d.png: depth image is 32 x 48 but its image pcd0001r.png is 64 x 48"),
        "{problems:#?}"
    );
    assert!(
        has("pcd0002cpos.txt: line 1: 3 corner lines, not a multiple of 4"),
        "{problems:#?}"
    );
    assert!(
        has("pcd0003cpos.txt: rectangle 1 (lines 1-4) has non-finite corners on line(s) 1"),
        "{problems:#?}"
    );
    assert!(
        has("pcd0004cneg.txt: rectangle file missing"),
        "{problems:#?}"
    );
    assert!(has("pcd0004d.png: file missing"), "{problems:#?}");
    // Skipping NaN rectangles (the default) leaves the others.
    let e = import_cornell(dir.path(), &CornellOptions::default()).unwrap_err();
    assert!(!e.to_string().contains("pcd0003"), "{e}");
}

#[test]
fn validation_reports_gripping_problems() {
    let dir = tempfile::tempdir().unwrap();
    scene(dir.path(), 1, (64, 48), (64, 48), RECT, "");
    let mut ds = import_cornell(dir.path(), &CornellOptions::default())
        .unwrap()
        .dataset;
    let s = &mut ds.samples[0];
    s.cam_k = None;
    s.depth_scale = Some(0.0);
    s.grasp_length2 = Some(vec![-1.0]);
    s.gripping_file_name = Some("missing_map.png".into());
    let report = validate(&ds);
    let fields: Vec<&str> = report.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "grasp_length1",
            "depth_scale",
            "cam_K",
            "gripping_file_name"
        ],
        "{report}"
    );
    assert!(
        report.to_string().contains("gripping map not found"),
        "{report}"
    );
}
