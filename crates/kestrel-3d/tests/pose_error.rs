//! Pose errors against hand-worked cases.

use std::f64::consts::{FRAC_PI_2, PI};

use kestrel_3d::bop::{ContinuousSymmetry, ModelInfo};
use kestrel_3d::pose_error::{
    ADD_THRESHOLD, MSPD_THRESHOLDS, MSSD_THRESHOLDS, add, add_s, average_recall, mspd, mssd,
    rotation_error_deg, translation_error,
};
use kestrel_3d::{Intrinsics, Pose, Vec3};

/// A cross in the xy plane (±100 mm along x, ±50 mm along y): symmetric under a half
/// turn about z.
fn cross_points() -> Vec<Vec3> {
    vec![
        [100.0, 0.0, 0.0],
        [-100.0, 0.0, 0.0],
        [0.0, 50.0, 0.0],
        [0.0, -50.0, 0.0],
    ]
}

fn camera() -> Intrinsics {
    Intrinsics::new(500.0, 500.0, 320.0, 240.0, 640, 480).unwrap()
}

#[test]
fn identical_poses_have_zero_errors() {
    let pts = cross_points();
    let pose = Pose::from_axis_angle([1.0, 2.0, 3.0], 0.7, [10.0, -20.0, 800.0]).unwrap();
    let syms = [Pose::IDENTITY];
    assert_eq!(add(&pts, &pose, &pose).unwrap(), 0.0);
    assert_eq!(add_s(&pts, &pose, &pose).unwrap(), 0.0);
    assert_eq!(mssd(&pts, &pose, &pose, &syms).unwrap(), 0.0);
    assert_eq!(mspd(&pts, &camera(), &pose, &pose, &syms).unwrap(), 0.0);
    assert!(rotation_error_deg(&pose, &pose) < 1e-6);
    assert_eq!(translation_error(&pose, &pose), 0.0);
}

#[test]
fn a_known_rotation() {
    // Estimate = truth turned by 90° about z (model frame), both 1 m in front of the camera.
    let pts = cross_points();
    let truth = Pose::from_translation([0.0, 0.0, 1000.0]);
    let estimate =
        truth.compose(&Pose::from_axis_angle([0.0, 0.0, 1.0], FRAC_PI_2, [0.0; 3]).unwrap());
    // (100, 0) -> (0, 100): distance sqrt(100² + 100²); (0, 50) -> (-50, 0): sqrt(50² + 50²).
    let expected_add = (2.0 * 100f64.hypot(100.0) + 2.0 * 50f64.hypot(50.0)) / 4.0;
    assert!((add(&pts, &estimate, &truth).unwrap() - expected_add).abs() < 1e-9);
    // Nearest truth points: (0, 100) is 50 from (0, 50); (-50, 0) is 50 from (-100, 0).
    assert!((add_s(&pts, &estimate, &truth).unwrap() - 50.0).abs() < 1e-9);
    let syms = [Pose::IDENTITY];
    assert!((mssd(&pts, &estimate, &truth, &syms).unwrap() - 100f64.hypot(100.0)).abs() < 1e-9);
    // At z = 1000 with f = 500 a 100 mm offset is 50 px: the largest is sqrt(50² + 50²).
    assert!(
        (mspd(&pts, &camera(), &estimate, &truth, &syms).unwrap() - 50f64.hypot(50.0)).abs() < 1e-9
    );
    assert!((rotation_error_deg(&estimate, &truth) - 90.0).abs() < 1e-9);
    let shifted = Pose::from_translation([3.0, 4.0, 1000.0]);
    assert!((translation_error(&shifted, &truth) - 5.0).abs() < 1e-12);
}

#[test]
fn a_symmetric_object_has_zero_add_s_but_not_add() {
    // The cross turned by 180° about z covers itself.
    let pts = cross_points();
    let truth = Pose::from_axis_angle([0.3, 1.0, 0.0], 0.4, [50.0, 0.0, 900.0]).unwrap();
    let half_turn = Pose::from_axis_angle([0.0, 0.0, 1.0], PI, [0.0; 3]).unwrap();
    let estimate = truth.compose(&half_turn);
    assert!(add_s(&pts, &estimate, &truth).unwrap() < 1e-9);
    // Every point lands on its opposite: ADD is the mean of the distances 200, 200, 100, 100.
    assert!((add(&pts, &estimate, &truth).unwrap() - 150.0).abs() < 1e-9);
    // With the symmetry declared, MSSD and MSPD are 0; without it, they are not.
    let syms = [Pose::IDENTITY, half_turn];
    assert!(mssd(&pts, &estimate, &truth, &syms).unwrap() < 1e-9);
    assert!(mspd(&pts, &camera(), &estimate, &truth, &syms).unwrap() < 1e-9);
    assert!((mssd(&pts, &estimate, &truth, &[Pose::IDENTITY]).unwrap() - 200.0).abs() < 1e-9);
}

#[test]
fn recalls_at_the_usual_thresholds() {
    // Diameter 100: ADD below 10 counts.
    let errors = [5.0, 9.99, 10.0, 50.0];
    let diameters = [100.0; 4];
    assert_eq!(
        average_recall(&errors, &diameters, &[ADD_THRESHOLD]).unwrap(),
        0.5
    );
    // MSSD: 12 mm of a 100 mm object is below 7 of the 10 thresholds (15 .. 50 mm).
    let r = average_recall(&[12.0], &[100.0], &MSSD_THRESHOLDS).unwrap();
    assert!((r - 0.8).abs() < 1e-12, "{r}");
    // MSPD on a 1280-wide image: thresholds doubled, 15 px is below 10 .. 100 except 10.
    let r = average_recall(&[15.0], &[1280.0 / 640.0], &MSPD_THRESHOLDS).unwrap();
    assert!((r - 0.9).abs() < 1e-12, "{r}");
    assert!(average_recall(&[], &[], &MSSD_THRESHOLDS).is_err());
    assert!(average_recall(&[1.0], &[1.0, 2.0], &MSSD_THRESHOLDS).is_err());
}

#[test]
fn empty_inputs_are_errors() {
    let p = Pose::IDENTITY;
    assert!(add(&[], &p, &p).is_err());
    assert!(mssd(&cross_points(), &p, &p, &[]).is_err());
}

#[test]
fn continuous_symmetries_are_sampled() {
    // A ring of radius 100 mm about the z axis through (10, 0, 0).
    let info = ModelInfo {
        diameter: 200.0,
        min: [-90.0, -100.0, 0.0],
        size: [200.0, 200.0, 0.0],
        symmetries_discrete: vec![],
        symmetries_continuous: vec![ContinuousSymmetry {
            axis: [0.0, 0.0, 1.0],
            offset: [10.0, 0.0, 0.0],
        }],
    };
    // ceil(pi / 0.01) = 315 rotations, the first one the identity.
    let syms = info.symmetry_transforms(0.01).unwrap();
    assert_eq!(syms.len(), 315);
    assert!(syms[0].rotation().max_abs_diff(&kestrel_3d::Mat3::IDENTITY) < 1e-12);
    // Each keeps the axis point in place.
    assert!(
        syms.iter().all(|s| kestrel_3d::linalg::distance(
            s.apply([10.0, 0.0, 5.0]),
            [10.0, 0.0, 5.0]
        ) < 1e-9)
    );
    let ring: Vec<Vec3> = (0..360)
        .map(|i| {
            let a = f64::from(i).to_radians();
            [10.0 + 100.0 * a.cos(), 100.0 * a.sin(), 0.0]
        })
        .collect();
    let truth = Pose::from_translation([0.0, 0.0, 1000.0]);
    let spin = Pose::from_axis_angle([0.0, 0.0, 1.0], 1.0, [0.0; 3]).unwrap();
    let about_axis = Pose::from_translation([10.0, 0.0, 0.0])
        .compose(&spin)
        .compose(&Pose::from_translation([-10.0, 0.0, 0.0]));
    let estimate = truth.compose(&about_axis);
    // The nearest sampled rotation is at most half a step (pi / 315) away: a chord of
    // at most 100 * pi / 315 mm.
    let error = mssd(&ring, &estimate, &truth, &syms).unwrap();
    assert!(error <= 100.0 * PI / 315.0 + 1e-9, "{error}");
    assert!(mssd(&ring, &estimate, &truth, &[Pose::IDENTITY]).unwrap() > 90.0);
    assert!(info.symmetry_transforms(0.0).is_err());
    // A step so small, or so many symmetries, that the transforms would not fit in memory
    // (before: 200 x 200 x 315 poses, 1.2 GB, from a few kilobytes of models_info.json).
    assert!(info.symmetry_transforms(1e-300).is_err());
    let many = kestrel_3d::bop::ModelInfo {
        symmetries_discrete: vec![Pose::IDENTITY; 200],
        symmetries_continuous: vec![info.symmetries_continuous[0]; 200],
        ..info.clone()
    };
    let err = many.symmetry_transforms(0.01).unwrap_err().to_string();
    assert!(err.contains("12663000 transforms"), "{err}");
}
