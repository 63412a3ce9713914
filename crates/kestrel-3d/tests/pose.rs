//! Poses: composition, inverse, conversions, HALCON's convention, and matrices that are
//! not rotations.

use std::f64::consts::{FRAC_PI_2, PI};

use kestrel_3d::linalg::distance;
use kestrel_3d::{Error3d, Intrinsics, Mat3, Pose};

fn close(a: [f64; 3], b: [f64; 3]) -> bool {
    distance(a, b) < 1e-9
}

#[test]
fn compose_and_inverse() {
    let a = Pose::from_axis_angle([0.0, 0.0, 1.0], FRAC_PI_2, [10.0, 0.0, 0.0]).unwrap();
    let b = Pose::from_axis_angle([1.0, 0.0, 0.0], FRAC_PI_2, [0.0, 5.0, 0.0]).unwrap();
    // Rz(90°) maps x to y, then +10 in x.
    assert!(close(a.apply([1.0, 0.0, 0.0]), [10.0, 1.0, 0.0]));
    // a ∘ b applies b first: (0, 0, 1) -> Rx(90°) -> (0, -1, 0) + (0, 5, 0) = (0, 4, 0)
    // -> Rz(90°) -> (-4, 0, 0) + (10, 0, 0) = (6, 0, 0).
    assert!(close(a.compose(&b).apply([0.0, 0.0, 1.0]), [6.0, 0.0, 0.0]));
    let p = [3.0, -7.0, 11.0];
    assert!(close(a.inverse().apply(a.apply(p)), p));
    let id = a.compose(&a.inverse());
    assert!(
        id.rotation().max_abs_diff(&Mat3::IDENTITY) < 1e-12 && close(id.translation(), [0.0; 3])
    );
}

#[test]
fn axis_angle_and_quaternion_round_trip() {
    let axis = [1.0, -2.0, 0.5];
    let pose = Pose::from_axis_angle(axis, 2.5, [1.0, 2.0, 3.0]).unwrap();
    let (a, angle) = pose.axis_angle();
    let n = distance(axis, [0.0; 3]);
    assert!(
        close(a, axis.map(|v| v / n)) && (angle - 2.5).abs() < 1e-12,
        "{a:?} {angle}"
    );
    let q = pose.quaternion();
    // q = (cos(θ/2), sin(θ/2) · axis)
    assert!((q[0] - (1.25f64).cos()).abs() < 1e-12);
    let back = Pose::from_quaternion(q, pose.translation()).unwrap();
    assert!(back.rotation().max_abs_diff(pose.rotation()) < 1e-12);
    // Near 180° (trace close to -1) the conversion stays exact.
    let half_turn = Pose::from_axis_angle([0.0, 1.0, 1.0], PI - 1e-9, [0.0; 3]).unwrap();
    let again = Pose::from_quaternion(half_turn.quaternion(), [0.0; 3]).unwrap();
    assert!(again.rotation().max_abs_diff(half_turn.rotation()) < 1e-9);
    assert_eq!(Pose::IDENTITY.axis_angle().1, 0.0);
}

#[test]
fn halcon_pose_convention() {
    // HALCON [tx, ty, tz (m), alpha, beta, gamma (deg), 0]: R = Rx(alpha) Ry(beta) Rz(gamma).
    let pose = Pose::from_halcon(&[0.1, -0.2, 0.5, 90.0, 0.0, 0.0, 0.0]).unwrap();
    assert!(close(pose.translation(), [100.0, -200.0, 500.0]));
    // Rx(90°) maps y to z.
    assert!(close(pose.rotate([0.0, 1.0, 0.0]), [0.0, 0.0, 1.0]));
    let gba = Pose::from_halcon(&[0.0, 0.0, 0.0, 30.0, 20.0, 10.0, 0.0]).unwrap();
    let expected = Mat3::rot_x(30f64.to_radians())
        .mul(&Mat3::rot_y(20f64.to_radians()))
        .mul(&Mat3::rot_z(10f64.to_radians()));
    assert!(gba.rotation().max_abs_diff(&expected) < 1e-12);
    let abg = Pose::from_halcon(&[0.0, 0.0, 0.0, 30.0, 20.0, 10.0, 2.0]).unwrap();
    let expected = Mat3::rot_z(10f64.to_radians())
        .mul(&Mat3::rot_y(20f64.to_radians()))
        .mul(&Mat3::rot_x(30f64.to_radians()));
    assert!(abg.rotation().max_abs_diff(&expected) < 1e-12);
    // Round trip through type 0, also from a type-2 pose.
    let h = abg.to_halcon();
    assert_eq!(h[6], 0.0);
    let back = Pose::from_halcon(&h).unwrap();
    assert!(back.rotation().max_abs_diff(abg.rotation()) < 1e-12);
    // Gimbal lock (beta = 90°) still round-trips the rotation.
    let lock = Pose::from_halcon(&[0.0, 0.0, 0.0, 40.0, 90.0, 15.0, 0.0]).unwrap();
    let back = Pose::from_halcon(&lock.to_halcon()).unwrap();
    assert!(back.rotation().max_abs_diff(lock.rotation()) < 1e-9);
    let err = Pose::from_halcon(&[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 16.0])
        .unwrap_err()
        .to_string();
    assert!(err.contains("type 16"), "{err}");
}

#[test]
fn projection_of_points() {
    let cam = Intrinsics::new(500.0, 400.0, 320.0, 240.0, 640, 480).unwrap();
    let pose = Pose::from_translation([0.0, 0.0, 1000.0]);
    let [u, v] = cam.project(pose.apply([100.0, 50.0, 0.0])).unwrap();
    assert!((u - 370.0).abs() < 1e-12 && (v - 260.0).abs() < 1e-12);
}

#[test]
fn matrices_that_are_not_rotations_are_errors() {
    let scaled = [2.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 2.0];
    let reflection = [-1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0];
    let sheared = [1.0, 0.5, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0];
    let nan = [f64::NAN, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0];
    for (m, needle) in [
        (scaled, "R^T R"),
        (reflection, "determinant -1"),
        (sheared, "R^T R"),
        (nan, "not finite"),
    ] {
        let err = Pose::from_row_major("scene_gt.json 3[0]", &m, &[0.0; 3]).unwrap_err();
        assert!(matches!(err, Error3d::NotRotation { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains("scene_gt.json 3[0]: not a rotation") && text.contains(needle),
            "{text}"
        );
    }
    let bad_row = [
        1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0,
    ];
    assert!(
        Pose::from_matrix4("symmetry", &bad_row)
            .unwrap_err()
            .to_string()
            .contains("0 0 0 1")
    );
    assert!(Pose::from_axis_angle([0.0; 3], 1.0, [0.0; 3]).is_err());
    assert!(Pose::from_quaternion([0.0; 4], [0.0; 3]).is_err());
    assert!(Pose::new("t", Mat3::IDENTITY, [f64::INFINITY, 0.0, 0.0]).is_err());
}
