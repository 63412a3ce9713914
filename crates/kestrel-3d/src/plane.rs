//! Plane fitting: RANSAC for the inliers, then least squares on them.

use rand::{RngExt, SeedableRng};

use crate::error::Error3d;
use crate::linalg::{self, Mat3, Vec3};

/// A plane `normal · p = offset` with a unit normal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plane {
    /// Unit normal. [`fit_plane`] orients it towards the camera (the origin).
    pub normal: Vec3,
    /// Signed distance of the plane from the origin along `normal`.
    pub offset: f64,
}

impl Plane {
    /// The signed distance of `p` from the plane (positive on the side `normal` points to).
    pub fn distance(&self, p: Vec3) -> f64 {
        linalg::dot(self.normal, p) - self.offset
    }
}

/// How [`fit_plane`] searches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RansacParams {
    /// Number of random three-point hypotheses.
    pub iterations: usize,
    /// A point within this distance (millimetres) of a hypothesis supports it.
    pub inlier_distance: f64,
    /// Seed of the random generator (results are reproducible).
    pub seed: u64,
}

impl Default for RansacParams {
    /// 500 hypotheses, 5 mm, seed 0.
    fn default() -> Self {
        RansacParams {
            iterations: 500,
            inlier_distance: 5.0,
            seed: 0,
        }
    }
}

/// The result of [`fit_plane`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlaneFit {
    /// The least-squares plane of the inliers.
    pub plane: Plane,
    /// Number of points within `inlier_distance` of `plane`.
    pub inliers: usize,
    /// Root-mean-square distance of those inliers from `plane`, in millimetres.
    pub rms: f64,
}

/// At most this many points (evenly strided) score the RANSAC hypotheses.
const SCORED_POINTS: usize = 20_000;

/// The dominant plane of `points`: the three-point hypothesis with the most points within
/// `inlier_distance` (RANSAC, scored on at most 20,000 evenly strided points), refined by least squares on its inliers (twice, the second
/// time with the inliers of the refined plane). The normal points towards the origin.
/// An error when there are fewer than three points or no hypothesis spans a plane.
pub fn fit_plane(points: &[[f32; 3]], params: &RansacParams) -> Result<PlaneFit, Error3d> {
    if points.len() < 3 {
        return Err(Error3d::invalid(
            "plane fit",
            format!("{} points (at least 3 needed)", points.len()),
        ));
    }
    let pts: Vec<Vec3> = points.iter().map(|p| p.map(f64::from)).collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(params.seed);
    // Hypotheses are scored on at most SCORED_POINTS evenly strided points.
    let stride = pts.len().div_ceil(SCORED_POINTS);
    let scored: Vec<Vec3> = pts.iter().copied().step_by(stride).collect();
    let mut best: Option<(usize, Plane)> = None;
    for _ in 0..params.iterations {
        let pick = [0; 3].map(|_| pts[rng.random_range(0..pts.len())]);
        let n = linalg::cross(linalg::sub(pick[1], pick[0]), linalg::sub(pick[2], pick[0]));
        let Some(normal) = linalg::normalize(n) else {
            continue;
        };
        let plane = Plane {
            normal,
            offset: linalg::dot(normal, pick[0]),
        };
        let count = count_inliers(&scored, &plane, params.inlier_distance);
        if best.is_none_or(|(c, _)| count > c) {
            best = Some((count, plane));
        }
    }
    let Some((_, mut plane)) = best else {
        return Err(Error3d::invalid(
            "plane fit",
            "no three points span a plane",
        ));
    };
    for _ in 0..2 {
        let inliers: Vec<Vec3> = pts
            .iter()
            .copied()
            .filter(|&p| plane.distance(p).abs() <= params.inlier_distance)
            .collect();
        if let Some(refined) = least_squares_plane(&inliers) {
            plane = refined;
        }
    }
    if plane.offset > 0.0 {
        // The origin lies on the negative side: flip so the normal points towards it.
        plane = Plane {
            normal: linalg::scale(plane.normal, -1.0),
            offset: -plane.offset,
        };
    }
    let distances: Vec<f64> = pts
        .iter()
        .map(|&p| plane.distance(p))
        .filter(|d| d.abs() <= params.inlier_distance)
        .collect();
    let rms = (distances.iter().map(|d| d * d).sum::<f64>() / distances.len().max(1) as f64).sqrt();
    Ok(PlaneFit {
        plane,
        inliers: distances.len(),
        rms,
    })
}

/// The plane minimising the squared distances of `points` (through their centroid, normal
/// along the smallest principal axis); `None` for fewer than three points.
pub fn least_squares_plane(points: &[Vec3]) -> Option<Plane> {
    if points.len() < 3 {
        return None;
    }
    let n = points.len() as f64;
    let centroid = linalg::scale(
        points.iter().fold([0.0; 3], |a, &p| linalg::add(a, p)),
        1.0 / n,
    );
    let mut cov = [[0.0; 3]; 3];
    for &p in points {
        let d = linalg::sub(p, centroid);
        for i in 0..3 {
            for j in 0..3 {
                cov[i][j] += d[i] * d[j];
            }
        }
    }
    let (_, vectors) = Mat3(cov).symmetric_eigen();
    let normal = linalg::normalize(vectors[0])?;
    Some(Plane {
        normal,
        offset: linalg::dot(normal, centroid),
    })
}

fn count_inliers(points: &[Vec3], plane: &Plane, max_distance: f64) -> usize {
    points
        .iter()
        .filter(|&&p| plane.distance(p).abs() <= max_distance)
        .count()
}
