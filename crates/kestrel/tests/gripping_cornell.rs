//! 3D gripping point detection on the 60 Cornell scenes in `../shared`: trained on the 45
//! train scenes (split by scene, seed 42, `import_cornell`'s default) from the shipped
//! ImageNet MobileNetV2, evaluated on the 15 test scenes with the Cornell rectangle metric
//! and point precision; then the 3D poses of the test scenes' points are checked against
//! the XYZ image and an independent plane fit of the surface around each point.
//!
//! A long recipe, outside the default test run (see the README's "Long recipes"):
//! `KESTREL_SHARED=../shared cargo test --release -p kestrel --test gripping_cornell -- --ignored`.

mod common;

use kestrel::Model;
use kestrel::data::{CornellOptions, Split, import_cornell};
use kestrel::gripping::{gripping_params, scene_xyz};
use kestrel::nn::BackboneKind;
use kestrel::pretrained::{TransferOptions, shipped_model_path, transfer_model};
use kestrel::train::train;
use kestrel_3d::least_squares_plane;
use kestrel_3d::linalg::angle_between;

/// Half the side of the window of XYZ points the reference plane is fitted to.
const PLANE_RADIUS: i64 = 4;

#[test]
#[ignore = "long recipe (250 epochs, about 15 min on 2 cores): run with --ignored"]
fn grips_cornell_test_scenes_with_poses_along_the_surface() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dataset = import_cornell(
        &shared.join("data/cornell-grasp"),
        &CornellOptions::default(),
    )
    .unwrap()
    .dataset;
    assert_eq!(dataset.samples_in(Split::Train).len(), 45);
    let pretrained = Model::load(&shipped_model_path("mobilenet_v2").unwrap()).unwrap();
    let params = gripping_params(BackboneKind::MobileNetV2);
    let options = TransferOptions {
        freeze_backbone: false,
        backbone_learning_rate_factor: 1.0,
    };
    let mut model = transfer_model(pretrained, params, options).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let summary = train(
        &mut model,
        &dataset,
        &common::options(dir.path().join("grip")),
    )
    .unwrap();
    eprintln!(
        "trained {} epochs in {:.0} s",
        summary.epochs, summary.seconds
    );

    let report = model.evaluate_gripping(&dataset, Split::Test, 8).unwrap();
    eprintln!("{}", kestrel::Report::summary(&report));
    assert_eq!(report.num_images, 15);
    let rectangle = report.rectangle.as_ref().unwrap();
    assert!(
        rectangle.accuracy >= 0.8 && report.points.top1_precision >= 0.9,
        "rectangle accuracy {:.3}, top-1 point precision {:.3}",
        rectangle.accuracy,
        report.points.top1_precision
    );

    // Every point's 3D position is the XYZ image at its pixel, and its approach axis is
    // the surface normal there: against the camera, along a plane fitted to the points
    // within 4 pixels.
    let test = dataset.samples_in(Split::Test);
    let results = model.find_gripping_points(&dataset, &test, 8).unwrap();
    let mut angles = Vec::new();
    for (sample, result) in test.iter().zip(&results) {
        let size = kestrel::image::image_size(&result.image).unwrap();
        let xyz = scene_xyz(&dataset, sample, size).unwrap();
        for point in &result.points {
            let Some(pose) = &point.pose else { continue };
            let [row, col] = pose.xyz_pixel;
            assert!(
                (f64::from(row) - point.row).abs() <= 5.5
                    && (f64::from(col) - point.col).abs() <= 5.5
            );
            let p = xyz.get(col, row).unwrap().map(f64::from);
            assert_eq!(pose.position, p, "{}", result.image.display());
            assert_eq!(pose.cam_t_g2c, p);
            let mut window = Vec::new();
            for dy in -PLANE_RADIUS..=PLANE_RADIUS {
                for dx in -PLANE_RADIUS..=PLANE_RADIUS {
                    let (x, y) = (i64::from(col) + dx, i64::from(row) + dy);
                    if let Some(q) = (x >= 0 && y >= 0)
                        .then(|| xyz.get(x as u32, y as u32))
                        .flatten()
                    {
                        window.push(q.map(f64::from));
                    }
                }
            }
            let plane = least_squares_plane(&window).unwrap();
            // The plane's normal, turned to the camera; the approach goes into the surface.
            let mut normal = plane.normal;
            if normal[2] > 0.0 {
                normal = normal.map(|v| -v);
            }
            let r = pose.cam_r_g2c;
            let approach = [r[2], r[5], r[8]];
            angles.push(angle_between(approach, normal.map(|v| -v)).to_degrees());
        }
    }
    angles.sort_by(f64::total_cmp);
    eprintln!(
        "{} poses: approach vs fitted normal median {:.2}°, 90th percentile {:.2}°, max {:.2}°",
        angles.len(),
        angles[angles.len() / 2],
        angles[angles.len() * 9 / 10],
        angles[angles.len() - 1]
    );
    assert!(angles.len() >= 15);
    assert!(
        angles[angles.len() / 2] <= 5.0 && angles[angles.len() * 9 / 10] <= 10.0,
        "{angles:?}"
    );
}
