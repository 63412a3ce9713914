//! The XYZ image of gripping samples: written scenes lifted as depth and as range, errors
//! naming the sample and field, and a Cornell scene from `../shared` (when
//! `KESTREL_SHARED` is set).

use kestrel_3d::sample_xyz;
use kestrel_data::{CornellOptions, Dataset, DepthKind, Sample, import_cornell};

/// A dataset in `dir` with one sample whose 8 x 6 depth PNG holds 1000 everywhere.
fn scene(dir: &std::path::Path, kind: Option<DepthKind>) -> Dataset {
    image::ImageBuffer::<image::Luma<u16>, Vec<u16>>::from_pixel(8, 6, image::Luma([1000]))
        .save(dir.join("d.png"))
        .unwrap();
    Dataset {
        image_dir: dir.display().to_string(),
        samples: vec![Sample {
            image_id: 4,
            image_file_name: "r.png".into(),
            depth_file_name: Some("d.png".into()),
            depth_scale: Some(0.5),
            depth_kind: kind,
            cam_k: Some([10.0, 0.0, 4.0, 0.0, 10.0, 3.0, 0.0, 0.0, 1.0]),
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[test]
fn depth_and_range_samples_lift_to_their_points() {
    let dir = tempfile::tempdir().unwrap();
    let ds = scene(dir.path(), None);
    let xyz = sample_xyz(&ds, &ds.samples[0]).unwrap();
    // Depth 1000 * 0.5 along the axis: pixel (0, 3) is 4 px left of the centre.
    assert_eq!(xyz.get(4, 3), Some([0.0, 0.0, 500.0]));
    assert_eq!(xyz.get(0, 3), Some([-200.0, 0.0, 500.0]));
    let ds = scene(dir.path(), Some(DepthKind::Range));
    let xyz = sample_xyz(&ds, &ds.samples[0]).unwrap();
    let p = xyz.get(0, 3).unwrap();
    let range = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
    assert!((range - 500.0).abs() < 1e-3 && p[2] < 500.0, "{p:?}");
}

#[test]
fn missing_camera_depth_or_bad_scale_name_the_sample_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut ds = scene(dir.path(), None);
    ds.samples[0].cam_k = None;
    let e = sample_xyz(&ds, &ds.samples[0]).unwrap_err().to_string();
    assert!(
        e.contains("image_id 4, field cam_K") && e.contains("missing"),
        "{e}"
    );
    ds.samples[0].depth_scale = Some(-1.0);
    let e = sample_xyz(&ds, &ds.samples[0]).unwrap_err().to_string();
    assert!(e.contains("field depth_scale"), "{e}");
    ds.samples[0].depth_file_name = None;
    let e = sample_xyz(&ds, &ds.samples[0]).unwrap_err().to_string();
    assert!(e.contains("field depth_file_name"), "{e}");
}

#[test]
fn a_cornell_scene_lifts_as_ranges() {
    let Some(shared) = kestrel_data::shared_data_dir() else {
        eprintln!("skipped: KESTREL_SHARED not set");
        return;
    };
    let src = shared.join("data/cornell-grasp");
    let ds = import_cornell(&src, &CornellOptions::default())
        .unwrap()
        .dataset;
    let s = &ds.samples[0];
    let xyz = sample_xyz(&ds, s).unwrap();
    assert_eq!((xyz.width(), xyz.height()), (640, 480));
    // Every point's distance from the camera is the PNG's value at its pixel.
    let png = image::open(ds.depth_path(s).unwrap())
        .unwrap()
        .into_luma16();
    for (x, y) in [(0, 0), (320, 240), (639, 479), (100, 400)] {
        let p = xyz.get(x, y).unwrap();
        let range = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
        let want = f32::from(png.get_pixel(x, y).0[0]);
        assert!(
            (range - want).abs() < 1e-4 * want,
            "({x}, {y}): {range} vs {want}"
        );
    }
}
