//! The Cornell grasping scenes of the shared data (60 Kinect v1 depth images, which hold
//! the distance from the camera centre, not the depth along the axis): lifted to XYZ with
//! the nominal intrinsics, the table plane of each scene and how consistent its
//! normal is across the scenes, and normals. Runs when `KESTREL_SHARED` is set and says
//! that it was skipped otherwise.

mod common;

use kestrel_3d::linalg::{self, Vec3};
use kestrel_3d::{DepthImage, Intrinsics, NormalImage, RansacParams, XyzImage, fit_plane};

/// Kinect v1 nominal intrinsics (no published calibration; see shared/README.md).
fn kinect() -> Intrinsics {
    Intrinsics::new(585.0, 585.0, 320.0, 240.0, 640, 480).unwrap()
}

/// The table fit: 10 mm (Kinect v1 depth at 1.1-1.4 m is quantised in steps of 4-6 mm and
/// noisy beyond that).
fn params() -> RansacParams {
    RansacParams {
        inlier_distance: 10.0,
        ..RansacParams::default()
    }
}

/// One scene's table fit with the image lifted as ranges, and the share of inliers when
/// the same image is lifted as depths along the optical axis.
struct SceneFit {
    name: String,
    normal: Vec3,
    share: f64,
    rms: f64,
    share_as_z: f64,
}

/// The table plane of every scene pcd0100..pcd0159.
fn table_fits(dir: &std::path::Path) -> Vec<SceneFit> {
    (100..160)
        .map(|n| {
            let name = format!("pcd{n:04}");
            let depth = DepthImage::read(&dir.join(format!("{name}d.png")), 1.0).unwrap();
            let xyz = XyzImage::from_range(&depth, &kinect()).unwrap();
            assert_eq!(
                xyz.valid_points().len(),
                depth.valid_count(),
                "{name}: a point per valid depth"
            );
            let fit = fit_plane(&xyz.valid_points(), &params()).unwrap();
            let as_z = XyzImage::from_depth(&depth, &kinect()).unwrap();
            let fit_z = fit_plane(&as_z.valid_points(), &params()).unwrap();
            let valid = depth.valid_count() as f64;
            SceneFit {
                name,
                normal: fit.plane.normal,
                share: fit.inliers as f64 / valid,
                rms: fit.rms,
                share_as_z: fit_z.inliers as f64 / valid,
            }
        })
        .collect()
}

#[test]
fn table_plane_normal_is_consistent_across_scenes() {
    let Some(dir) = common::shared_data("cornell-grasp") else {
        return;
    };
    let fits = table_fits(&dir);
    let sum = fits.iter().fold([0.0; 3], |a, f| linalg::add(a, f.normal));
    let mean = linalg::normalize(sum).unwrap();
    let angles: Vec<f64> = fits
        .iter()
        .map(|f| linalg::angle_between(f.normal, mean).to_degrees())
        .collect();
    let max = angles.iter().copied().fold(0.0, f64::max);
    let rms = (angles.iter().map(|a| a * a).sum::<f64>() / angles.len() as f64).sqrt();
    let min_share = fits.iter().map(|f| f.share).fold(1.0, f64::min);
    let max_rms = fits.iter().map(|f| f.rms).fold(0.0, f64::max);
    eprintln!(
        "mean table normal {mean:.4?}; deviation from it: rms {rms:.2} deg, max {max:.2} deg; \
         inliers at least {:.1} % of the valid points; plane rms at most {max_rms:.2} mm",
        100.0 * min_share
    );
    for (f, a) in fits.iter().zip(&angles) {
        eprintln!(
            "{} normal {:.4?} deviation {a:.2} deg, inliers {:.1} % (as z: {:.1} %), rms {:.2} mm",
            f.name,
            f.normal,
            100.0 * f.share,
            100.0 * f.share_as_z,
            f.rms
        );
    }
    // The camera looks down onto the table; its normal points back up towards the camera.
    assert!(mean[2] < -0.5 && mean[1] < -0.5, "mean normal {mean:?}");
    assert!(
        max < 3.0 && rms < 0.5,
        "deviation rms {rms} deg, max {max} deg"
    );
    assert!(min_share > 0.3, "smallest inlier share {min_share}");
    // The images hold ranges: lifted as depths along the axis, the table is less flat.
    for f in &fits {
        assert!(
            f.share > f.share_as_z + 0.03,
            "{}: {} as range, {} as z",
            f.name,
            f.share,
            f.share_as_z
        );
    }
}

#[test]
fn normals_of_the_table_agree_with_its_plane() {
    let Some(dir) = common::shared_data("cornell-grasp") else {
        return;
    };
    let depth = DepthImage::read(&dir.join("pcd0100d.png"), 1.0).unwrap();
    let xyz = XyzImage::from_range(&depth, &kinect()).unwrap();
    let fit = fit_plane(&xyz.valid_points(), &params()).unwrap();
    let normals = NormalImage::from_xyz(&xyz, 2);
    // Pixels on the table (within 5 mm of its plane) have normals close to the plane's.
    let mut close = 0;
    let mut on_table = 0;
    for (p, n) in xyz.points().iter().zip(normals.normals()) {
        if p[2].is_nan() || n[0].is_nan() || fit.plane.distance(p.map(f64::from)).abs() > 5.0 {
            continue;
        }
        on_table += 1;
        if linalg::angle_between(n.map(f64::from), fit.plane.normal).to_degrees() < 10.0 {
            close += 1;
        }
    }
    let share = f64::from(close) / f64::from(on_table);
    eprintln!(
        "{on_table} table pixels with a normal, {:.1} % within 10 deg of the plane normal",
        100.0 * share
    );
    assert!(on_table > 50_000 && share > 0.9, "{close} of {on_table}");
}

#[test]
fn depth_of_the_wrong_size_is_an_error() {
    let Some(dir) = common::shared_data("cornell-grasp") else {
        return;
    };
    let depth = DepthImage::read(&dir.join("pcd0100d.png"), 1.0).unwrap();
    let small = Intrinsics::new(585.0, 585.0, 160.0, 120.0, 320, 240).unwrap();
    let err = XyzImage::from_depth(&depth, &small)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("640 x 480") && err.contains("320 x 240"),
        "{err}"
    );
}
