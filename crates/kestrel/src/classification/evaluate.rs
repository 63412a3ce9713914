//! Classification measures from predictions: delegates to `kestrel-metrics`.

use super::ClassPrediction;
use crate::error::Result;
use kestrel_metrics::{ClassificationEvaluation, evaluate_classification};

/// Top-k error, confusion matrix and per-class precision/recall/F1 of `predictions` against
/// ground-truth class indices.
pub fn evaluate_predictions(
    class_names: &[String],
    ground_truth: &[usize],
    predictions: &[ClassPrediction],
) -> Result<ClassificationEvaluation> {
    let ranked: Vec<Vec<usize>> = predictions
        .iter()
        .map(|p| p.class_indices.clone())
        .collect();
    Ok(evaluate_classification(class_names, ground_truth, &ranked)?)
}
