//! Binary decisions at a threshold: counts, rates, and the threshold with the best F1.

use serde::{Deserialize, Serialize};

use crate::MetricsError;
use crate::confusion::ratio;
use crate::ranking::{Ranked, check_len};

/// Outcome counts of binary decisions (positive = anomalous / has the label).
///
/// Derived rates are 0 where undefined (division by zero), like scikit-learn's
/// `zero_division=0`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BinaryCounts {
    /// True positives.
    pub tp: u64,
    /// False positives.
    pub fp: u64,
    /// False negatives (serialized as `"fn"`).
    #[serde(rename = "fn")]
    pub fn_: u64,
    /// True negatives.
    pub tn: u64,
}

impl BinaryCounts {
    /// tp / (tp + fp).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// tp / (tp + fn), the true positive rate.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// 2 tp / (2 tp + fp + fn), the harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }

    /// (tp + tn) / all.
    pub fn accuracy(&self) -> f64 {
        ratio(self.tp + self.tn, self.total())
    }

    /// fp / (fp + tn), the false positive rate.
    pub fn fpr(&self) -> f64 {
        ratio(self.fp, self.fp + self.tn)
    }

    /// Number of decisions counted.
    pub fn total(&self) -> u64 {
        self.tp + self.fp + self.fn_ + self.tn
    }

    /// Counts one decision.
    pub(crate) fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }
}

/// Counts decisions "positive when `score >= threshold`" against `labels`.
///
/// Fails on length mismatch and NaN or infinite scores.
pub fn binary_at_threshold(
    scores: &[f32],
    labels: &[bool],
    threshold: f32,
) -> Result<BinaryCounts, MetricsError> {
    check_len("labels", scores.len(), labels.len())?;
    let mut counts = BinaryCounts::default();
    for (index, (&s, &l)) in scores.iter().zip(labels).enumerate() {
        if !s.is_finite() {
            return Err(MetricsError::NonFinite {
                what: "scores".into(),
                index,
            });
        }
        counts.add(s >= threshold, l);
    }
    Ok(counts)
}

/// The threshold, among the scores themselves, whose decisions (`score >= threshold`)
/// have the highest F1, and that F1. On a tie the highest such threshold wins (fewest
/// positive calls). One sort and one sweep: O(n log n).
///
/// Fails on length mismatch, NaN or infinite scores, and when no label is positive (empty
/// input included; F1 would be 0 at every threshold).
pub fn best_f1_threshold(scores: &[f32], labels: &[bool]) -> Result<(f32, f64), MetricsError> {
    let ranked = Ranked::binary(scores, labels)?;
    let (positives, _) = ranked.binary_totals();
    if positives == 0 {
        return Err(MetricsError::Undefined(
            "best F1 threshold needs at least one positive label".into(),
        ));
    }
    let mut best: Option<(f32, f64)> = None;
    for step in ranked.binary_steps() {
        // fn = positives - tp, so 2 tp + fp + fn = tp + fp + positives.
        let f1 = ratio(2 * step.tp, step.tp + step.fp + positives);
        if best.is_none_or(|(_, b)| f1 > b) {
            best = Some((step.threshold, f1));
        }
    }
    best.ok_or_else(|| MetricsError::Empty("no scores".into()))
}
