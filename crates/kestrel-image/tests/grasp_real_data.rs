//! Grasp targets of the Cornell scenes in `../shared/data/cornell-grasp`; runs when
//! `KESTREL_SHARED` is set and says that it was skipped otherwise.

use kestrel_data::{CornellOptions, import_cornell};
use kestrel_image::{GraspTargetParams, ImageTransform, RotatedRect, grasp_targets};

#[test]
fn every_positive_rectangle_centre_is_marked_with_its_angle_and_width() {
    let Some(shared) = kestrel_data::shared_data_dir() else {
        eprintln!("skipped: KESTREL_SHARED not set");
        return;
    };
    let src = shared.join("data/cornell-grasp");
    let ds = import_cornell(&src, &CornellOptions::default())
        .unwrap()
        .dataset;
    let (mut centres, mut marked) = (0, 0usize);
    for s in &ds.samples {
        let positives: Vec<RotatedRect> = s
            .grasps()
            .unwrap()
            .iter()
            .filter(|g| g.positive)
            .map(|g| g.rect.cast())
            .collect();
        let maps = grasp_targets(&positives, 640, 480, &GraspTargetParams::default());
        for r in &positives {
            let (x, y) = (r.col.floor() as u32, r.row.floor() as u32);
            assert_eq!(maps.quality[y as usize * 640 + x as usize], 1.0, "{s:?}");
            centres += 1;
        }
        marked += maps.quality.iter().filter(|&&q| q > 0.0).count();
        // Turned by 20° about the image centre, each lone rectangle's map holds its angle
        // plus 20° at its moved centre.
        let turn = ImageTransform {
            rotation: 20f32.to_radians(),
            centre: (320.0, 240.0),
            ..Default::default()
        };
        for r in &positives {
            let moved = turn.apply(&[*r])[0];
            let maps = grasp_targets(&[moved], 640, 480, &GraspTargetParams::default());
            let (x, y) = turn.map_point(r.col, r.row);
            let a = maps.angle_at(x as u32, y as u32).unwrap();
            let d = (a - r.phi - 20f32.to_radians()).rem_euclid(std::f32::consts::PI);
            assert!(d.min(std::f32::consts::PI - d) < 1e-4, "{a} vs {}", r.phi);
        }
    }
    eprintln!(
        "cornell targets: {centres} positive centres marked; {:.2} % of the pixels have quality 1",
        100.0 * marked as f64 / (640.0 * 480.0 * ds.samples.len() as f64)
    );
    assert_eq!(centres, 291);
}
