//! Multi-label classification: several independent yes/no labels per sample.
//!
//! Inputs are dense, sample-major: `scores[i][c]` is sample `i`'s confidence for class
//! `c` (higher = more likely), `truth[i][c]` whether sample `i` has class `c`; every row
//! holds one value per class, in class order.

mod average_precision;
mod evaluation;
mod thresholds;

pub use average_precision::average_precision;
pub use evaluation::{LabelMetrics, MultiLabelEvaluation, evaluate_multilabel};
pub use thresholds::best_f1_thresholds;

use crate::MetricsError;
use crate::ranking::check_len;

/// Checks that `scores` and `truth` have the same number of rows (at least one) of
/// `num_classes` values each, and that no score is NaN or infinite.
fn check_inputs(
    scores: &[Vec<f32>],
    truth: &[Vec<bool>],
    num_classes: usize,
) -> Result<(), MetricsError> {
    if scores.is_empty() {
        return Err(MetricsError::Empty("no samples".into()));
    }
    if num_classes == 0 {
        return Err(MetricsError::Empty("no classes".into()));
    }
    check_len("truth", scores.len(), truth.len())?;
    for (i, (s, t)) in scores.iter().zip(truth).enumerate() {
        check_len(&format!("scores[{i}]"), num_classes, s.len())?;
        check_len(&format!("truth[{i}]"), num_classes, t.len())?;
        if let Some(c) = s.iter().position(|v| !v.is_finite()) {
            return Err(MetricsError::NonFinite {
                what: format!("scores[{i}]"),
                index: c,
            });
        }
    }
    Ok(())
}

/// Class `c`'s scores and labels over all samples.
fn column(scores: &[Vec<f32>], truth: &[Vec<bool>], c: usize) -> (Vec<f32>, Vec<bool>) {
    (
        scores.iter().map(|row| row[c]).collect(),
        truth.iter().map(|row| row[c]).collect(),
    )
}
