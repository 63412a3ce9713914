//! Greedy coreset (k-centre) selection: picks rows of a feature matrix so that every row
//! is close to a picked one, as PatchCore subsamples its memory bank.

use rand::{RngExt, SeedableRng};
use rayon::prelude::*;

/// Rows are compared in a random projection to this many dimensions (Johnson–Lindenstrauss),
/// which keeps distances nearly and the selection fast.
const PROJECTED_DIM: usize = 32;

/// Rows per parallel work item.
const CHUNK_ROWS: usize = 4096;

/// Indices of `count` rows of `features` (`rows x dim`, row-major) chosen greedily: each
/// next row is the one farthest from all rows chosen so far. Starts at row 0; deterministic
/// for a given `seed` (which seeds the projection).
pub fn greedy_coreset(features: &[f32], dim: usize, count: usize, seed: u64) -> Vec<usize> {
    let rows = features.len() / dim.max(1);
    let count = count.min(rows);
    if count == 0 {
        return Vec::new();
    }
    let (projected, pdim) = project(features, dim, seed);
    let mut nearest = vec![f32::INFINITY; rows];
    let mut chosen = Vec::with_capacity(count);
    let mut next = 0usize;
    for _ in 0..count {
        chosen.push(next);
        let centre = projected[next * pdim..(next + 1) * pdim].to_vec();
        let (_, far) = nearest
            .par_chunks_mut(CHUNK_ROWS)
            .zip(projected.par_chunks(CHUNK_ROWS * pdim))
            .enumerate()
            .map(|(chunk, (nearest, points))| {
                let mut best = (f32::NEG_INFINITY, 0usize);
                for (i, (near, point)) in nearest.iter_mut().zip(points.chunks(pdim)).enumerate() {
                    let d: f32 = point
                        .iter()
                        .zip(&centre)
                        .map(|(a, b)| (a - b) * (a - b))
                        .sum();
                    if d < *near {
                        *near = d;
                    }
                    if *near > best.0 {
                        best = (*near, chunk * CHUNK_ROWS + i);
                    }
                }
                best
            })
            .reduce(
                || (f32::NEG_INFINITY, 0),
                |a, b| if b.0 > a.0 { b } else { a },
            );
        next = far;
    }
    chosen
}

/// The rows projected to [`PROJECTED_DIM`] dimensions with a random ±1 matrix (Achlioptas),
/// or the rows themselves when they are no wider than that.
fn project(features: &[f32], dim: usize, seed: u64) -> (Vec<f32>, usize) {
    if dim <= PROJECTED_DIM {
        return (features.to_vec(), dim);
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let scale = 1.0 / (PROJECTED_DIM as f32).sqrt();
    let matrix: Vec<f32> = (0..dim * PROJECTED_DIM)
        .map(|_| if rng.random::<bool>() { scale } else { -scale })
        .collect();
    let matrix = &matrix;
    let projected = features
        .par_chunks(dim)
        .flat_map_iter(|row| {
            (0..PROJECTED_DIM).map(move |j| {
                row.iter()
                    .enumerate()
                    .map(|(k, v)| v * matrix[k * PROJECTED_DIM + j])
                    .sum::<f32>()
            })
        })
        .collect();
    (projected, PROJECTED_DIM)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_farthest_points_first() {
        // Points on a line: 0, 1, 2, 10. From 0 the farthest is 10, then 2 (dist 8 from
        // 10, 2 from 0) ... nearest distances after {0,10}: 1 -> 1, 2 -> 2, so 2 next.
        let features = [0.0, 1.0, 2.0, 10.0];
        assert_eq!(greedy_coreset(&features, 1, 3, 0), vec![0, 3, 2]);
        assert_eq!(greedy_coreset(&features, 1, 9, 0).len(), 4);
    }
}
