//! Pose errors of an estimated against a ground-truth pose, and recalls over many.
//!
//! The definitions follow Hinterstoisser et al. 2012 (ADD, ADD-S) and the BOP benchmark
//! (MSSD, MSPD, Hodaň et al. 2020); `points` are model points (e.g. mesh vertices) in
//! millimetres, and the symmetry transforms come from
//! [`ModelInfo::symmetry_transforms`](crate::bop::ModelInfo::symmetry_transforms) with
//! the identity among them.

use rayon::prelude::*;

use crate::camera::Intrinsics;
use crate::error::Error3d;
use crate::linalg::{self, Vec3};
use crate::pose::Pose;

/// BOP's MSSD thresholds as fractions of the object diameter: 0.05, 0.10, ..., 0.50.
pub const MSSD_THRESHOLDS: [f64; 10] = [0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50];

/// BOP's MSPD thresholds in pixels for a 640-pixel-wide image (scale by `width / 640`):
/// 5, 10, ..., 50.
pub const MSPD_THRESHOLDS: [f64; 10] = [5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0];

/// The usual ADD(-S) threshold as a fraction of the object diameter.
pub const ADD_THRESHOLD: f64 = 0.1;

fn check_points(points: &[Vec3]) -> Result<(), Error3d> {
    if points.is_empty() {
        return Err(Error3d::invalid("pose error", "no model points"));
    }
    Ok(())
}

fn check_symmetries(symmetries: &[Pose]) -> Result<(), Error3d> {
    if symmetries.is_empty() {
        return Err(Error3d::invalid(
            "pose error",
            "no symmetry transforms (the identity at least)",
        ));
    }
    Ok(())
}

/// ADD: the mean distance between each model point under the estimated and under the
/// true pose (millimetres).
pub fn add(points: &[Vec3], estimate: &Pose, truth: &Pose) -> Result<f64, Error3d> {
    check_points(points)?;
    let sum: f64 = points
        .iter()
        .map(|&p| linalg::distance(estimate.apply(p), truth.apply(p)))
        .sum();
    Ok(sum / points.len() as f64)
}

/// ADD-S (ADI): the mean, over the model points under the estimated pose, of the distance
/// to the nearest model point under the true pose (millimetres). Exact nearest neighbours
/// (all pairs, on the rayon thread pool): use a few thousand points.
pub fn add_s(points: &[Vec3], estimate: &Pose, truth: &Pose) -> Result<f64, Error3d> {
    check_points(points)?;
    let est: Vec<Vec3> = points.iter().map(|&p| estimate.apply(p)).collect();
    let gt: Vec<Vec3> = points.iter().map(|&p| truth.apply(p)).collect();
    let sum: f64 = est
        .par_iter()
        .map(|&e| {
            gt.iter()
                .map(|&g| {
                    let d = linalg::sub(e, g);
                    linalg::dot(d, d)
                })
                .fold(f64::INFINITY, f64::min)
                .sqrt()
        })
        .sum();
    Ok(sum / points.len() as f64)
}

/// MSSD: the smallest, over the symmetries `S`, of the largest distance between a model
/// point under the estimated pose and under `truth ∘ S` (millimetres).
pub fn mssd(
    points: &[Vec3],
    estimate: &Pose,
    truth: &Pose,
    symmetries: &[Pose],
) -> Result<f64, Error3d> {
    check_points(points)?;
    check_symmetries(symmetries)?;
    let est: Vec<Vec3> = points.iter().map(|&p| estimate.apply(p)).collect();
    Ok(symmetries
        .par_iter()
        .map(|s| {
            let sym = truth.compose(s);
            points
                .iter()
                .zip(&est)
                .map(|(&p, &e)| linalg::distance(e, sym.apply(p)))
                .fold(0.0, f64::max)
        })
        .reduce(|| f64::INFINITY, f64::min))
}

/// MSPD: the smallest, over the symmetries `S`, of the largest distance in pixels between
/// the projections by `camera` of a model point under the estimated pose and under
/// `truth ∘ S`. Points are projected as BOP does, without checking that they are in front
/// of the camera.
pub fn mspd(
    points: &[Vec3],
    camera: &Intrinsics,
    estimate: &Pose,
    truth: &Pose,
    symmetries: &[Pose],
) -> Result<f64, Error3d> {
    check_points(points)?;
    check_symmetries(symmetries)?;
    let project = |p: Vec3| {
        [
            camera.fx * p[0] / p[2] + camera.cx,
            camera.fy * p[1] / p[2] + camera.cy,
        ]
    };
    let est: Vec<[f64; 2]> = points.iter().map(|&p| project(estimate.apply(p))).collect();
    Ok(symmetries
        .par_iter()
        .map(|s| {
            let sym = truth.compose(s);
            points
                .iter()
                .zip(&est)
                .map(|(&p, e)| {
                    let g = project(sym.apply(p));
                    (e[0] - g[0]).hypot(e[1] - g[1])
                })
                .fold(0.0, f64::max)
        })
        .reduce(|| f64::INFINITY, f64::min))
}

/// The angle of the rotation between the two poses, in degrees (0 to 180).
pub fn rotation_error_deg(estimate: &Pose, truth: &Pose) -> f64 {
    let relative = estimate.rotation().mul(&truth.rotation().transpose());
    ((relative.trace() - 1.0) / 2.0)
        .clamp(-1.0, 1.0)
        .acos()
        .to_degrees()
}

/// The distance between the two translations, in millimetres.
pub fn translation_error(estimate: &Pose, truth: &Pose) -> f64 {
    linalg::distance(estimate.translation(), truth.translation())
}

/// The fraction of `errors` below their limit `scale[i] * threshold`, averaged over
/// `thresholds`: with one threshold the plain recall. For ADD(-S) pass the diameters
/// and `[ADD_THRESHOLD]`; for BOP's MSSD recall the diameters and [`MSSD_THRESHOLDS`];
/// for MSPD `width / 640` per image and [`MSPD_THRESHOLDS`]. An error for no errors,
/// lengths that differ or no thresholds.
pub fn average_recall(errors: &[f64], scales: &[f64], thresholds: &[f64]) -> Result<f64, Error3d> {
    if errors.is_empty() || thresholds.is_empty() {
        return Err(Error3d::invalid("recall", "no errors or no thresholds"));
    }
    if errors.len() != scales.len() {
        return Err(Error3d::invalid(
            "recall",
            format!("{} errors but {} scales", errors.len(), scales.len()),
        ));
    }
    let per_threshold = thresholds.iter().map(|&t| {
        let hits = errors
            .iter()
            .zip(scales)
            .filter(|&(&e, &s)| e < s * t)
            .count();
        hits as f64 / errors.len() as f64
    });
    Ok(per_threshold.sum::<f64>() / thresholds.len() as f64)
}
