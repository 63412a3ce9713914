//! Example templates cut from a feature map, and the map of how much each cell's
//! neighbourhood looks like them (normalised cross-correlation).

use crate::counting::features::{FeatureMap, Scaling};
use crate::counting::net::TEMPLATE_CELLS;
use rayon::prelude::*;

/// Samples per template cell and axis when a box is pooled (RoIAlign's sampling ratio).
const SAMPLES: usize = 2;

/// The feature template of the box `[row1, col1, row2, col2]` (image pixels): the map
/// pooled over the box into `TEMPLATE_CELLS x TEMPLATE_CELLS` cells (bilinear samples,
/// RoIAlign), cell by cell with channels innermost, scaled to unit length.
pub fn template(map: &FeatureMap, scaling: Scaling, bbox: [f64; 4]) -> Vec<f32> {
    let s = map.stride as f64;
    let (y1, x1) = (bbox[0] * scaling.sy / s, bbox[1] * scaling.sx / s);
    let (y2, x2) = (bbox[2] * scaling.sy / s, bbox[3] * scaling.sx / s);
    let (bin_h, bin_w) = ((y2 - y1) / TEMPLATE_CELLS as f64, (x2 - x1) / TEMPLATE_CELLS as f64);
    let c = map.channels;
    let mut out = vec![0.0f32; TEMPLATE_CELLS * TEMPLATE_CELLS * c];
    let weight = 1.0 / (SAMPLES * SAMPLES) as f32;
    for ty in 0..TEMPLATE_CELLS {
        for tx in 0..TEMPLATE_CELLS {
            let cell = &mut out[(ty * TEMPLATE_CELLS + tx) * c..][..c];
            for sy in 0..SAMPLES {
                for sx in 0..SAMPLES {
                    let y = y1 + (ty as f64 + (sy as f64 + 0.5) / SAMPLES as f64) * bin_h;
                    let x = x1 + (tx as f64 + (sx as f64 + 0.5) / SAMPLES as f64) * bin_w;
                    add_bilinear(map, y, x, weight, cell);
                }
            }
        }
    }
    let norm = out.iter().map(|v| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        out.iter_mut().for_each(|v| *v /= norm);
    }
    out
}

/// Adds `weight` times the map's bilinear value at continuous cell coordinates `(y, x)`
/// (cell `(r, c)` spans `[r, r + 1) x [c, c + 1)`) to `out`.
fn add_bilinear(map: &FeatureMap, y: f64, x: f64, weight: f32, out: &mut [f32]) {
    let fy = (y - 0.5).clamp(0.0, (map.height - 1) as f64);
    let fx = (x - 0.5).clamp(0.0, (map.width - 1) as f64);
    let (r0, c0) = (fy.floor() as usize, fx.floor() as usize);
    let (r1, c1) = ((r0 + 1).min(map.height - 1), (c0 + 1).min(map.width - 1));
    let (ty, tx) = ((fy - r0 as f64) as f32, (fx - c0 as f64) as f32);
    for (r, c, w) in [
        (r0, c0, (1.0 - ty) * (1.0 - tx)),
        (r0, c1, (1.0 - ty) * tx),
        (r1, c0, ty * (1.0 - tx)),
        (r1, c1, ty * tx),
    ] {
        for (o, v) in out.iter_mut().zip(map.cell(r, c)) {
            *o += weight * w * v;
        }
    }
}

/// Per cell, the mean over `templates` of the cosine similarity between the template and
/// the cell's `TEMPLATE_CELLS x TEMPLATE_CELLS` neighbourhood (zero outside the map);
/// `height * width` values, row by row.
pub fn similarity_map(map: &FeatureMap, templates: &[Vec<f32>]) -> Vec<f32> {
    let (h, w, c) = (map.height, map.width, map.channels);
    let half = (TEMPLATE_CELLS / 2) as isize;
    let squares: Vec<f32> = map
        .data
        .chunks_exact(c)
        .map(|cell| cell.iter().map(|v| v * v).sum())
        .collect();
    let mut out = vec![0.0f32; h * w];
    out.par_chunks_mut(w).enumerate().for_each(|(row, out_row)| {
        let mut sums = vec![0.0f32; templates.len()];
        for (col, value) in out_row.iter_mut().enumerate() {
            sums.iter_mut().for_each(|s| *s = 0.0);
            let mut energy = 0.0f32;
            for dy in -half..=half {
                let r = row as isize + dy;
                if r < 0 || r >= h as isize {
                    continue;
                }
                for dx in -half..=half {
                    let cc = col as isize + dx;
                    if cc < 0 || cc >= w as isize {
                        continue;
                    }
                    let (r, cc) = (r as usize, cc as usize);
                    energy += squares[r * w + cc];
                    let cell = map.cell(r, cc);
                    let offset = ((dy + half) as usize * TEMPLATE_CELLS + (dx + half) as usize) * c;
                    for (sum, t) in sums.iter_mut().zip(templates) {
                        *sum += dot(cell, &t[offset..offset + c]);
                    }
                }
            }
            *value = if energy > 0.0 {
                sums.iter().sum::<f32>() / (templates.len() as f32 * energy.sqrt())
            } else {
                0.0
            };
        }
    });
    out
}

/// The dot product of two equally long slices.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A map of `w x h` cells, 2 channels, with a distinctive 3x3 pattern at `(row, col)`
    /// (centre) on a flat background.
    fn map_with_pattern(w: usize, h: usize, at: &[(usize, usize)]) -> FeatureMap {
        let mut data = vec![0.0f32; w * h * 2];
        for &(row, col) in at {
            for dy in 0..3 {
                for dx in 0..3 {
                    let i = ((row + dy - 1) * w + col + dx - 1) * 2;
                    data[i] = (dy * 3 + dx) as f32 + 1.0;
                    data[i + 1] = 9.0 - (dy * 3 + dx) as f32;
                }
            }
        }
        FeatureMap { channels: 2, height: h, width: w, stride: 8, data }
    }

    #[test]
    fn a_template_finds_its_copies_best() {
        let map = map_with_pattern(12, 10, &[(2, 2), (6, 8)]);
        let scaling = Scaling { width: 96, height: 80, sx: 1.0, sy: 1.0 };
        // The box of the first pattern: cells 1..4 in both axes = pixels 8..32.
        let t = template(&map, scaling, [8.0, 8.0, 32.0, 32.0]);
        assert!((t.iter().map(|v| v * v).sum::<f32>() - 1.0).abs() < 1e-5);
        let sim = similarity_map(&map, &[t]);
        let (first, second) = (sim[2 * 12 + 2], sim[6 * 12 + 8]);
        // Bilinear pooling blurs the template a little, so the copies score just below 1.
        assert!(first > 0.9 && (first - second).abs() < 1e-5, "{first} {second}");
        let others = sim
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != 2 * 12 + 2 && i != 6 * 12 + 8)
            .map(|(_, v)| *v)
            .fold(f32::MIN, f32::max);
        assert!(others < first - 0.05, "best elsewhere {others}, at the copies {first}");
    }

    #[test]
    fn an_empty_map_has_zero_similarity() {
        let map = FeatureMap { channels: 2, height: 4, width: 4, stride: 8, data: vec![0.0; 32] };
        let scaling = Scaling { width: 32, height: 32, sx: 1.0, sy: 1.0 };
        let t = template(&map, scaling, [0.0, 0.0, 24.0, 24.0]);
        assert!(similarity_map(&map, &[t]).iter().all(|v| *v == 0.0));
    }
}
