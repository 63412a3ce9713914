//! The receiver operating characteristic: curve and area under it.

use serde::{Deserialize, Serialize};

use super::AnomalyMap;
use super::map::check_maps;
use crate::MetricsError;
use crate::ranking::Ranked;

/// A ROC curve: one point per distinct score, like scikit-learn's `roc_curve` with
/// `drop_intermediate=False`.
///
/// Point `i` is (`fpr[i]`, `tpr[i]`) when every score `>= thresholds[i]` is called
/// positive. The first point is (0, 0) with threshold `+inf` (nothing called positive;
/// written as `null` in JSON), the last is (1, 1) at the lowest score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RocCurve {
    /// False positive rates, non-decreasing from 0 to 1.
    pub fpr: Vec<f64>,
    /// True positive rates, non-decreasing from 0 to 1.
    pub tpr: Vec<f64>,
    /// Decision thresholds, decreasing; the first is `+inf`.
    #[serde(with = "infinite_as_null")]
    pub thresholds: Vec<f32>,
    /// Number of positive samples.
    pub positives: u64,
    /// Number of negative samples.
    pub negatives: u64,
}

impl RocCurve {
    /// Number of points.
    pub fn len(&self) -> usize {
        self.fpr.len()
    }

    /// Whether the curve has no point (never true for a computed curve).
    pub fn is_empty(&self) -> bool {
        self.fpr.is_empty()
    }

    /// Area under the points by the trapezoid rule; on a full curve this is
    /// [`roc_auc`] up to rounding.
    pub fn auc(&self) -> f64 {
        self.fpr
            .windows(2)
            .zip(self.tpr.windows(2))
            .map(|(x, y)| (x[1] - x[0]) * (y[1] + y[0]) / 2.0)
            .sum()
    }

    /// At most `max_points` (at least 2) of the points, for plotting: the first, the last
    /// and the last point of every step of `(fpr + tpr) / 2` of size
    /// `1 / (max_points - 2)`, so the chords between kept points stay within one step of
    /// the full curve.
    pub fn downsample(&self, max_points: usize) -> RocCurve {
        // Fields are public: never index past the shortest of them.
        let n = self
            .fpr
            .len()
            .min(self.tpr.len())
            .min(self.thresholds.len());
        if n <= max_points.max(2) {
            return self.clone();
        }
        let steps = max_points.saturating_sub(2) as f64;
        let bucket = |i: usize| ((self.fpr[i] + self.tpr[i]) / 2.0 * steps).floor();
        let keep: Vec<usize> = (0..n)
            .filter(|&i| i == 0 || i == n - 1 || bucket(i) != bucket(i + 1))
            .collect();
        let pick = |v: &[f64]| keep.iter().map(|&i| v[i]).collect();
        RocCurve {
            fpr: pick(&self.fpr),
            tpr: pick(&self.tpr),
            thresholds: keep.iter().map(|&i| self.thresholds[i]).collect(),
            positives: self.positives,
            negatives: self.negatives,
        }
    }
}

/// Area under the ROC curve of `scores` (higher = more likely positive) for `labels`
/// (`true` = positive), exactly as scikit-learn's `roc_auc_score`: the trapezoid rule over
/// the distinct scores, so tied scores form one diagonal step (equivalently: the chance
/// that a random positive scores higher than a random negative, ties counting half).
///
/// O(n log n); computed from integer counts, so it is exact up to the final division.
/// Fails on length mismatch, NaN or infinite scores, and when there is no positive or no
/// negative label.
pub fn roc_auc(scores: &[f32], labels: &[bool]) -> Result<f64, MetricsError> {
    auc_of(&Ranked::binary(scores, labels)?)
}

/// The full ROC curve of `scores` for `labels` (see [`RocCurve`]; same checks as
/// [`roc_auc`]). Use [`RocCurve::downsample`] before plotting millions of points.
pub fn roc_curve(scores: &[f32], labels: &[bool]) -> Result<RocCurve, MetricsError> {
    curve_of(&Ranked::binary(scores, labels)?)
}

/// Pixel-level ROC AUC over all pixels of all maps (defect pixels are the positives;
/// maps without a mask contribute only negatives). Same definition and checks as
/// [`roc_auc`]; fails when there are no maps.
pub fn pixel_roc_auc(maps: &[AnomalyMap<'_>]) -> Result<f64, MetricsError> {
    auc_of(&rank_pixels(maps)?)
}

/// Pixel-level ROC curve over all pixels of all maps (see [`pixel_roc_auc`]).
pub fn pixel_roc_curve(maps: &[AnomalyMap<'_>]) -> Result<RocCurve, MetricsError> {
    curve_of(&rank_pixels(maps)?)
}

fn rank_pixels(maps: &[AnomalyMap<'_>]) -> Result<Ranked, MetricsError> {
    let pixels = check_maps(maps)?;
    let pairs = maps.iter().flat_map(|m| {
        m.scores
            .iter()
            .enumerate()
            .map(move |(i, &s)| (s, u32::from(m.is_defect(i))))
    });
    Ranked::new(pairs, pixels, "pixel scores")
}

/// Positives and negatives, both non-zero.
fn totals(ranked: &Ranked) -> Result<(u64, u64), MetricsError> {
    let (p, n) = ranked.binary_totals();
    if p == 0 || n == 0 {
        return Err(MetricsError::Undefined(format!(
            "ROC needs positive and negative labels, got {p} positive and {n} negative"
        )));
    }
    Ok((p, n))
}

fn auc_of(ranked: &Ranked) -> Result<f64, MetricsError> {
    let (p, n) = totals(ranked)?;
    // Twice the area in units of one positive x one negative: sum of
    // (fp_i - fp_{i-1}) * (tp_i + tp_{i-1}).
    let mut twice_area: u128 = 0;
    let (mut prev_tp, mut prev_fp) = (0u64, 0u64);
    for step in ranked.binary_steps() {
        twice_area += u128::from(step.fp - prev_fp) * u128::from(step.tp + prev_tp);
        (prev_tp, prev_fp) = (step.tp, step.fp);
    }
    Ok(twice_area as f64 / (2.0 * p as f64 * n as f64))
}

fn curve_of(ranked: &Ranked) -> Result<RocCurve, MetricsError> {
    let (p, n) = totals(ranked)?;
    let mut curve = RocCurve {
        fpr: vec![0.0],
        tpr: vec![0.0],
        thresholds: vec![f32::INFINITY],
        positives: p,
        negatives: n,
    };
    for step in ranked.binary_steps() {
        curve.fpr.push(step.fp as f64 / n as f64);
        curve.tpr.push(step.tp as f64 / p as f64);
        curve.thresholds.push(step.threshold);
    }
    Ok(curve)
}

/// Serializes non-finite thresholds as `null` (JSON has no infinity) and reads `null`
/// back as `+inf`.
mod infinite_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(values: &[f32], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(values.iter().map(|&t| t.is_finite().then_some(t)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f32>, D::Error> {
        let values: Vec<Option<f32>> = Deserialize::deserialize(d)?;
        Ok(values
            .into_iter()
            .map(|t| t.unwrap_or(f32::INFINITY))
            .collect())
    }
}
