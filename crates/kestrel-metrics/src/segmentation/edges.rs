//! Edge maps compared with a distance tolerance (BSDS-style boundary F1).

use serde::{Deserialize, Serialize};

use crate::MetricsError;
use crate::confusion::ratio;
use crate::ranking::check_len;

/// Precision, recall and F1 of a predicted edge map against a ground truth one.
///
/// Rates are 0 where undefined (no predicted or no true edge pixel); the counts tell
/// those cases apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdgeF1 {
    /// Matched predicted pixels / predicted pixels.
    pub precision: f64,
    /// Matched true pixels / true pixels.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Predicted edge pixels.
    pub predicted_pixels: u64,
    /// Predicted edge pixels with a true edge pixel within the tolerance.
    pub matched_predicted: u64,
    /// True edge pixels.
    pub truth_pixels: u64,
    /// True edge pixels with a predicted edge pixel within the tolerance.
    pub matched_truth: u64,
    /// The tolerance used, in pixels.
    pub tolerance_px: u32,
}

/// Compares a predicted edge map with the ground truth one (both row-major
/// `width x height`, `true` = edge pixel) with a tolerance of `tolerance_px` pixels.
///
/// A predicted pixel is matched when some true edge pixel lies within Euclidean distance
/// `tolerance_px` of it (`dx² + dy² <= tolerance²`; 0 = same pixel only); a true pixel is
/// matched when some predicted pixel lies within that distance. Matching is not
/// one-to-one (unlike the BSDS benchmark's bipartite assignment), so one predicted pixel
/// may match several true ones and a thick prediction is not penalised for doubling.
///
/// O(pixels · (2 · tolerance + 1)) at worst. Fails when a map's length is not
/// `width * height`.
pub fn edge_f1(
    pred: &[bool],
    truth: &[bool],
    width: usize,
    height: usize,
    tolerance_px: u32,
) -> Result<EdgeF1, MetricsError> {
    let pixels = width.saturating_mul(height);
    check_len("pred", pixels, pred.len())?;
    check_len("truth", pixels, truth.len())?;
    let near_truth = Proximity::new(truth, width, height, tolerance_px);
    let near_pred = Proximity::new(pred, width, height, tolerance_px);
    let count = |mask: &[bool]| mask.iter().filter(|&&e| e).count() as u64;
    let matched = |mask: &[bool], other: &Proximity| {
        mask.iter()
            .enumerate()
            .filter(|&(i, &e)| e && other.is_near(i % width, i / width))
            .count() as u64
    };
    let (predicted_pixels, truth_pixels) = (count(pred), count(truth));
    let matched_predicted = matched(pred, &near_truth);
    let matched_truth = matched(truth, &near_pred);
    Ok(EdgeF1::from_counts(
        predicted_pixels,
        matched_predicted,
        truth_pixels,
        matched_truth,
        tolerance_px,
    ))
}

impl EdgeF1 {
    /// The measures from pixel counts.
    pub fn from_counts(
        predicted_pixels: u64,
        matched_predicted: u64,
        truth_pixels: u64,
        matched_truth: u64,
        tolerance_px: u32,
    ) -> Self {
        let precision = ratio(matched_predicted, predicted_pixels);
        let recall = ratio(matched_truth, truth_pixels);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        EdgeF1 {
            precision,
            recall,
            f1,
            predicted_pixels,
            matched_predicted,
            truth_pixels,
            matched_truth,
            tolerance_px,
        }
    }

    /// The measures over several images: their pixel counts added.
    pub fn total(parts: &[EdgeF1], tolerance_px: u32) -> Self {
        let sum = |f: fn(&EdgeF1) -> u64| parts.iter().map(f).sum();
        EdgeF1::from_counts(
            sum(|e| e.predicted_pixels),
            sum(|e| e.matched_predicted),
            sum(|e| e.truth_pixels),
            sum(|e| e.matched_truth),
            tolerance_px,
        )
    }
}

/// Answers "is a set pixel of the mask within the tolerance of (x, y)?" exactly for the
/// Euclidean disk: the disk is a stack of horizontal runs, and each row knows every
/// pixel's horizontal distance to the row's nearest set pixel.
struct Proximity {
    width: usize,
    height: usize,
    /// Per pixel, horizontal distance to the nearest set pixel of its row (`u64::MAX`:
    /// none).
    row_distance: Vec<u64>,
    /// `half_width[dy]`: largest `dx` with `dx² + dy² <= tolerance²`, for `dy` up to the
    /// tolerance (or the image height).
    half_width: Vec<u64>,
}

impl Proximity {
    fn new(mask: &[bool], width: usize, height: usize, tolerance: u32) -> Self {
        let mut row_distance = vec![u64::MAX; mask.len()];
        for y in 0..height {
            let row = y * width..(y + 1) * width;
            let (m, d) = (&mask[row.clone()], &mut row_distance[row]);
            let mut last: Option<usize> = None;
            for x in 0..width {
                if m[x] {
                    last = Some(x);
                }
                if let Some(l) = last {
                    d[x] = (x - l) as u64;
                }
            }
            last = None;
            for x in (0..width).rev() {
                if m[x] {
                    last = Some(x);
                }
                if let Some(l) = last {
                    d[x] = d[x].min((l - x) as u64);
                }
            }
        }
        let r2 = u64::from(tolerance).pow(2);
        let max_dy = u64::from(tolerance).min(height as u64);
        let half_width = (0..=max_dy).map(|dy| (r2 - dy * dy).isqrt()).collect();
        Self {
            width,
            height,
            row_distance,
            half_width,
        }
    }

    fn is_near(&self, x: usize, y: usize) -> bool {
        let reach = self.half_width.len() - 1;
        let lo = y.saturating_sub(reach);
        let hi = (y + reach).min(self.height - 1);
        (lo..=hi)
            .any(|ny| self.row_distance[ny * self.width + x] <= self.half_width[ny.abs_diff(y)])
    }
}
