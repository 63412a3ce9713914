//! Measures of a mesh: bounding box, diameter, vertex normals, surface sampling.

use rand::{RngExt, SeedableRng};
use rayon::prelude::*;

use super::Mesh;
use crate::linalg::{self, Vec3};

/// An axis-aligned box in model coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    /// The smallest coordinate along each axis.
    pub min: Vec3,
    /// The largest coordinate along each axis.
    pub max: Vec3,
}

impl BoundingBox {
    /// The box's extent along each axis (BOP's `size_x`, `size_y`, `size_z`).
    pub fn size(&self) -> Vec3 {
        linalg::sub(self.max, self.min)
    }
}

impl Mesh {
    /// The axis-aligned bounding box of the vertices (all zero for a mesh without any).
    pub fn bounding_box(&self) -> BoundingBox {
        let mut min = [f64::INFINITY; 3];
        let mut max = [f64::NEG_INFINITY; 3];
        for v in &self.vertices {
            for k in 0..3 {
                min[k] = min[k].min(f64::from(v[k]));
                max[k] = max[k].max(f64::from(v[k]));
            }
        }
        if self.vertices.is_empty() {
            return BoundingBox {
                min: [0.0; 3],
                max: [0.0; 3],
            };
        }
        BoundingBox { min, max }
    }

    /// The largest distance between two vertices (BOP's `diameter`), computed exactly
    /// over all pairs on the rayon thread pool.
    pub fn diameter(&self) -> f64 {
        let v = &self.vertices;
        (0..v.len())
            .into_par_iter()
            .map(|i| {
                let a = v[i];
                v[i + 1..]
                    .iter()
                    .map(|b| {
                        let d = [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
                        d[0] * d[0] + d[1] * d[1] + d[2] * d[2]
                    })
                    .fold(0.0f32, f32::max)
            })
            .reduce(|| 0.0, f32::max)
            .sqrt()
            .into()
    }

    /// The total area of the triangles.
    pub fn surface_area(&self) -> f64 {
        self.faces
            .iter()
            .map(|f| triangle_area(self.corners(f)))
            .sum()
    }

    /// `count` points drawn uniformly on the surface (a triangle is chosen with
    /// probability proportional to its area, then a uniform point in it); reproducible
    /// for a `seed`. Empty when the mesh has no area.
    pub fn sample_surface(&self, count: usize, seed: u64) -> Vec<Vec3> {
        let mut cumulative = Vec::with_capacity(self.faces.len());
        let mut total = 0.0;
        for f in &self.faces {
            total += triangle_area(self.corners(f));
            cumulative.push(total);
        }
        if !total.is_finite() || total <= 0.0 {
            return Vec::new();
        }
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        (0..count)
            .map(|_| {
                let target = rng.random::<f64>() * total;
                let face = cumulative
                    .partition_point(|&c| c < target)
                    .min(self.faces.len() - 1);
                let [a, b, c] = self.corners(&self.faces[face]);
                let (mut u, mut v) = (rng.random::<f64>(), rng.random::<f64>());
                if u + v > 1.0 {
                    (u, v) = (1.0 - u, 1.0 - v);
                }
                linalg::add(
                    a,
                    linalg::add(
                        linalg::scale(linalg::sub(b, a), u),
                        linalg::scale(linalg::sub(c, a), v),
                    ),
                )
            })
            .collect()
    }

    /// The three corners of a face.
    fn corners(&self, f: &[u32; 3]) -> [Vec3; 3] {
        f.map(|i| self.vertices[i as usize].map(f64::from))
    }
}

fn triangle_area([a, b, c]: [Vec3; 3]) -> f64 {
    0.5 * linalg::norm(linalg::cross(linalg::sub(b, a), linalg::sub(c, a)))
}

/// Unit vertex normals as the area-weighted mean of the adjacent faces' normals
/// (counter-clockwise faces give outward normals); `[0, 0, 0]` for a vertex without faces.
pub(super) fn vertex_normals(vertices: &[[f32; 3]], faces: &[[u32; 3]]) -> Vec<[f32; 3]> {
    let mut sums = vec![[0.0f64; 3]; vertices.len()];
    for f in faces {
        let [a, b, c] = f.map(|i| vertices[i as usize].map(f64::from));
        // The cross product's length is twice the area: area weighting for free.
        let n = linalg::cross(linalg::sub(b, a), linalg::sub(c, a));
        for &i in f {
            sums[i as usize] = linalg::add(sums[i as usize], n);
        }
    }
    sums.into_iter()
        .map(|s| linalg::normalize(s).unwrap_or([0.0; 3]).map(|v| v as f32))
        .collect()
}
