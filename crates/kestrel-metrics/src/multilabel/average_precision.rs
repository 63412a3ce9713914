//! Average precision: the area under the precision-recall curve, as a step sum.

use crate::MetricsError;
use crate::ranking::Ranked;

/// Average precision of `scores` (higher = more likely positive) for `labels`, exactly as
/// scikit-learn's `average_precision_score`: AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ over the distinct
/// scores in descending order (tied scores form one threshold), with R₀ = 0 and Pₙ, Rₙ
/// the precision and recall of "positive when score >= n-th threshold". No
/// interpolation.
///
/// Fails on length mismatch, NaN or infinite scores, and when no label is positive
/// (scikit-learn warns and returns 0 there).
pub fn average_precision(scores: &[f32], labels: &[bool]) -> Result<f64, MetricsError> {
    let ranked = Ranked::binary(scores, labels)?;
    let (positives, _) = ranked.binary_totals();
    if positives == 0 {
        return Err(MetricsError::Undefined(
            "average precision needs at least one positive label".into(),
        ));
    }
    let mut sum = 0.0;
    let mut prev_tp = 0u64;
    for step in ranked.binary_steps() {
        if step.tp > prev_tp {
            let precision = step.tp as f64 / (step.tp + step.fp) as f64;
            sum += (step.tp - prev_tp) as f64 * precision;
        }
        prev_tp = step.tp;
    }
    Ok(sum / positives as f64)
}
