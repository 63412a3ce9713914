//! Objects from a score map: local maxima above the minimum score, then non-maximum
//! suppression of example-sized boxes.

use std::collections::HashMap;

/// A found object's centre (image pixels) and score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Peak {
    /// Row (y) of the centre.
    pub row: f64,
    /// Column (x) of the centre.
    pub column: f64,
    /// The score (relative to the examples).
    pub score: f32,
    /// The object's size relative to the examples' (the scale that scored best).
    pub scale: f32,
}

/// A score map: `height x width` cells, each `cell_height x cell_width` image pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreMap {
    /// Columns of cells.
    pub width: usize,
    /// Rows of cells.
    pub height: usize,
    /// Image pixels per cell along x.
    pub cell_width: f64,
    /// Image pixels per cell along y.
    pub cell_height: f64,
    /// `height * width` scores, row by row.
    pub values: Vec<f32>,
    /// Per cell, the object size (relative to the examples') whose score it holds.
    pub scales: Vec<f32>,
}

impl ScoreMap {
    /// The map at twice the resolution, bilinear (cell centres aligned as in an image
    /// resize), so peaks are placed to half a cell.
    pub fn upsampled(&self) -> Self {
        let (w, h) = (self.width * 2, self.height * 2);
        let sample = |pos: usize, len: usize| {
            let f = ((pos as f64 + 0.5) / 2.0 - 0.5).clamp(0.0, (len - 1) as f64);
            let i0 = f.floor() as usize;
            (i0, (i0 + 1).min(len - 1), (f - i0 as f64) as f32)
        };
        let mut values = Vec::with_capacity(w * h);
        let mut scales = Vec::with_capacity(w * h);
        for row in 0..h {
            let (r0, r1, ty) = sample(row, self.height);
            for col in 0..w {
                let (c0, c1, tx) = sample(col, self.width);
                let at = |r: usize, c: usize| self.values[r * self.width + c];
                let top = at(r0, c0) * (1.0 - tx) + at(r0, c1) * tx;
                let bottom = at(r1, c0) * (1.0 - tx) + at(r1, c1) * tx;
                values.push(top * (1.0 - ty) + bottom * ty);
                scales.push(self.scales[row / 2 * self.width + col / 2]);
            }
        }
        Self {
            width: w,
            height: h,
            cell_width: self.cell_width / 2.0,
            cell_height: self.cell_height / 2.0,
            values,
            scales,
        }
    }

    /// Per cell of this map, the best of `others`' scores there (bilinear), with its scale.
    pub fn take_best_of(&mut self, others: &[ScoreMap]) {
        for row in 0..self.height {
            let y = (row as f64 + 0.5) * self.cell_height;
            for col in 0..self.width {
                let x = (col as f64 + 0.5) * self.cell_width;
                let i = row * self.width + col;
                for other in others {
                    let v = other.at(y, x);
                    if v > self.values[i] {
                        self.values[i] = v;
                        self.scales[i] = other.scales[0];
                    }
                }
            }
        }
    }

    /// The cells at least as high as their 8 neighbours and at least `min_score`, as
    /// centres in image pixels, best first.
    pub fn local_maxima(&self, min_score: f32) -> Vec<Peak> {
        let (w, h) = (self.width as isize, self.height as isize);
        let mut peaks = Vec::new();
        for row in 0..h {
            for col in 0..w {
                let v = self.values[(row * w + col) as usize];
                if v < min_score || v.is_nan() {
                    continue;
                }
                let highest = (-1..=1).all(|dy| {
                    (-1..=1).all(|dx| {
                        let (r, c) = (row + dy, col + dx);
                        r < 0 || c < 0 || r >= h || c >= w || self.values[(r * w + c) as usize] <= v
                    })
                });
                if highest {
                    peaks.push(Peak {
                        row: (row as f64 + 0.5) * self.cell_height,
                        column: (col as f64 + 0.5) * self.cell_width,
                        score: v,
                        scale: self.scales[(row * w + col) as usize],
                    });
                }
            }
        }
        peaks.sort_by(|a, b| b.score.total_cmp(&a.score));
        peaks
    }
}

/// Keeps the best of `peaks` (sorted best first) whose boxes, `box_width x box_height`
/// times the peak's scale and centred on it, overlap no kept box by more than
/// `max_overlap` (IoU); at most `max_count`.
pub fn suppress(peaks: &[Peak], box_width: f64, box_height: f64, max_overlap: f32, max_count: usize) -> Vec<Peak> {
    let largest = peaks.iter().map(|p| f64::from(p.scale)).fold(1.0, f64::max);
    let cell = (box_width.max(box_height) * largest).max(1e-6);
    let key = |p: &Peak| ((p.column / cell).floor() as i64, (p.row / cell).floor() as i64);
    let size = |p: &Peak| (box_width * f64::from(p.scale), box_height * f64::from(p.scale));
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    let mut kept: Vec<Peak> = Vec::new();
    for peak in peaks {
        if kept.len() >= max_count {
            break;
        }
        let (gx, gy) = key(peak);
        let (w, h) = size(peak);
        let overlapping = (-1..=1).any(|dy| {
            (-1..=1).any(|dx| {
                grid.get(&(gx + dx, gy + dy)).is_some_and(|ids| {
                    ids.iter().any(|&i| {
                        let other = &kept[i];
                        let (ow, oh) = size(other);
                        let dx = (other.column - peak.column).abs();
                        let dy = (other.row - peak.row).abs();
                        let iw = ((w + ow) / 2.0 - dx).min(w).min(ow).max(0.0);
                        let ih = ((h + oh) / 2.0 - dy).min(h).min(oh).max(0.0);
                        let inter = iw * ih;
                        inter / (w * h + ow * oh - inter) > f64::from(max_overlap)
                    })
                })
            })
        });
        if !overlapping {
            grid.entry((gx, gy)).or_default().push(kept.len());
            kept.push(*peak);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(width: usize, height: usize, values: Vec<f32>) -> ScoreMap {
        let scales = vec![1.0; values.len()];
        ScoreMap { width, height, cell_width: 4.0, cell_height: 4.0, values, scales }
    }

    #[test]
    fn maxima_are_found_above_the_minimum_best_first() {
        #[rustfmt::skip]
        let m = map(5, 3, vec![
            0.1, 0.9, 0.2, 0.1, 0.1,
            0.1, 0.3, 0.2, 0.6, 0.1,
            0.1, 0.1, 0.1, 0.1, 0.4,
        ]);
        let peaks = m.local_maxima(0.5);
        assert_eq!(peaks.len(), 2);
        assert_eq!((peaks[0].row, peaks[0].column, peaks[0].score), (2.0, 6.0, 0.9));
        assert_eq!((peaks[1].row, peaks[1].column), (6.0, 14.0));
    }

    #[test]
    fn upsampling_keeps_a_constant_map_and_halves_the_cells() {
        let up = map(3, 2, vec![0.5; 6]).upsampled();
        assert_eq!((up.width, up.height, up.cell_width), (6, 4, 2.0));
        assert!(up.values.iter().all(|v| (v - 0.5).abs() < 1e-6));
    }

    #[test]
    fn suppression_drops_overlapping_boxes_and_keeps_touching_ones() {
        let peak = |column: f64, score: f32| Peak { row: 10.0, column, score, scale: 1.0 };
        // Boxes 10 wide: 2 px apart overlap by IoU 8/12; 10 px apart only touch.
        let peaks = [peak(10.0, 0.9), peak(12.0, 0.8), peak(20.0, 0.7), peak(31.0, 0.6)];
        let kept = suppress(&peaks, 10.0, 10.0, 0.3, 100);
        let columns: Vec<f64> = kept.iter().map(|p| p.column).collect();
        assert_eq!(columns, vec![10.0, 20.0, 31.0]);
        assert_eq!(suppress(&peaks, 10.0, 10.0, 0.3, 2).len(), 2);
        assert_eq!(suppress(&peaks, 10.0, 10.0, 0.7, 100).len(), 4);
    }

    #[test]
    fn suppression_uses_each_peaks_scale() {
        // A box twice the size (20 x 20) centred 8 px away overlaps the small one by 7 x 10:
        // IoU 70 / 430 = 0.16.
        let big = Peak { row: 10.0, column: 10.0, score: 0.9, scale: 2.0 };
        let small = Peak { row: 10.0, column: 18.0, score: 0.8, scale: 1.0 };
        assert_eq!(suppress(&[big, small], 10.0, 10.0, 0.3, 100).len(), 2);
        assert_eq!(suppress(&[big, small], 10.0, 10.0, 0.15, 100).len(), 1);
    }

    #[test]
    fn the_best_of_several_scales_is_kept_with_its_scale() {
        let mut base = map(2, 1, vec![0.5, 0.2]);
        let mut other = map(1, 1, vec![0.4]);
        other.cell_width = 8.0;
        other.cell_height = 4.0;
        other.scales = vec![0.7];
        base.take_best_of(&[other]);
        assert_eq!(base.values, vec![0.5, 0.4]);
        assert_eq!(base.scales, vec![1.0, 0.7]);
    }
}
