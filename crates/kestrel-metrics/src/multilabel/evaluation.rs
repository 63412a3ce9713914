//! Multi-label evaluation at fixed per class thresholds.

use serde::{Deserialize, Serialize};

use super::{average_precision, check_inputs, column};
use crate::confusion::ratio;
use crate::ranking::check_len;
use crate::{BinaryCounts, MetricsError};

/// Metrics of one class (label) of a multi-label classifier.
///
/// Precision, recall and F1 are 0 where undefined (no prediction, no positive, or both),
/// like scikit-learn's `zero_division=0`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelMetrics {
    /// The class's name.
    pub class_name: String,
    /// The class is predicted when its score is `>=` this.
    pub threshold: f32,
    /// tp / (tp + fp).
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// 2 tp / (2 tp + fp + fn).
    pub f1: f64,
    /// Average precision of the class's scores (threshold-free; see
    /// [`average_precision`]); `None` when the class has no positive sample.
    pub average_precision: Option<f64>,
    /// Samples with the class, predicted.
    pub tp: u64,
    /// Samples without the class, predicted.
    pub fp: u64,
    /// Samples with the class, not predicted (serialized as `"fn"`).
    #[serde(rename = "fn")]
    pub fn_: u64,
    /// Samples without the class, not predicted.
    pub tn: u64,
    /// Samples with the class (tp + fn).
    pub support: u64,
}

/// The result of evaluating a multi-label classifier (serialized with exactly these keys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MultiLabelEvaluation {
    /// Number of samples evaluated.
    pub num_samples: usize,
    /// Class names, in class index order.
    pub class_names: Vec<String>,
    /// Per class metrics, in class index order.
    pub per_class: Vec<LabelMetrics>,
    /// Mean of the per class average precisions over the classes with at least one
    /// positive sample; `None` when no class has one.
    pub mean_average_precision: Option<f64>,
    /// Precision of all (sample, class) decisions pooled: Σ tp / Σ (tp + fp).
    pub micro_precision: f64,
    /// Recall of all decisions pooled: Σ tp / Σ (tp + fn).
    pub micro_recall: f64,
    /// F1 of all decisions pooled: 2 Σ tp / (2 Σ tp + Σ fp + Σ fn).
    pub micro_f1: f64,
    /// Unweighted mean of the per class precisions over all classes.
    pub macro_precision: f64,
    /// Unweighted mean of the per class recalls over all classes.
    pub macro_recall: f64,
    /// Unweighted mean of the per class F1 scores over all classes.
    pub macro_f1: f64,
    /// Share of samples whose predicted label set equals the true one (subset accuracy).
    pub exact_match_ratio: f64,
    /// Share of wrong (sample, class) decisions: Σ (fp + fn) / (samples x classes).
    pub hamming_loss: f64,
}

/// Evaluates multi-label predictions. Inputs are dense and sample-major: `scores[i][c]` is
/// sample `i`'s confidence for class `c` (higher = more likely), `truth[i][c]` whether
/// sample `i` has class `c`, one value per class in class order in every row. Class `c`
/// is predicted for a sample when its score is `>= thresholds[c]`.
///
/// Macro averages run over all classes, a class with no positive and no prediction
/// counting 0 (scikit-learn's `zero_division=0`). Fails on empty input, inconsistent
/// lengths, NaN or infinite scores or thresholds.
pub fn evaluate_multilabel(
    class_names: &[String],
    scores: &[Vec<f32>],
    truth: &[Vec<bool>],
    thresholds: &[f32],
) -> Result<MultiLabelEvaluation, MetricsError> {
    let num_classes = class_names.len();
    check_inputs(scores, truth, num_classes)?;
    check_len("thresholds", num_classes, thresholds.len())?;
    if let Some(c) = thresholds.iter().position(|t| !t.is_finite()) {
        return Err(MetricsError::InvalidArgument(format!(
            "thresholds[{c}] is not a finite number"
        )));
    }
    let num_samples = scores.len();
    let mut counts = vec![BinaryCounts::default(); num_classes];
    let mut exact_matches = 0u64;
    for (row, labels) in scores.iter().zip(truth) {
        let mut all_right = true;
        for (c, count) in counts.iter_mut().enumerate() {
            let predicted = row[c] >= thresholds[c];
            count.add(predicted, labels[c]);
            all_right &= predicted == labels[c];
        }
        exact_matches += u64::from(all_right);
    }
    let mut per_class = Vec::with_capacity(num_classes);
    for (c, (name, k)) in class_names.iter().zip(&counts).enumerate() {
        let average_precision = if k.tp + k.fn_ > 0 {
            let (s, t) = column(scores, truth, c);
            Some(average_precision(&s, &t)?)
        } else {
            None
        };
        per_class.push(LabelMetrics {
            class_name: name.clone(),
            threshold: thresholds[c],
            precision: k.precision(),
            recall: k.recall(),
            f1: k.f1(),
            average_precision,
            tp: k.tp,
            fp: k.fp,
            fn_: k.fn_,
            tn: k.tn,
            support: k.tp + k.fn_,
        });
    }
    let pooled = counts
        .iter()
        .fold(BinaryCounts::default(), |a, k| BinaryCounts {
            tp: a.tp + k.tp,
            fp: a.fp + k.fp,
            fn_: a.fn_ + k.fn_,
            tn: a.tn + k.tn,
        });
    let aps: Vec<f64> = per_class
        .iter()
        .filter_map(|m| m.average_precision)
        .collect();
    let mean =
        |f: fn(&LabelMetrics) -> f64| per_class.iter().map(f).sum::<f64>() / num_classes as f64;
    Ok(MultiLabelEvaluation {
        num_samples,
        class_names: class_names.to_vec(),
        mean_average_precision: (!aps.is_empty())
            .then(|| aps.iter().sum::<f64>() / aps.len() as f64),
        micro_precision: pooled.precision(),
        micro_recall: pooled.recall(),
        micro_f1: pooled.f1(),
        macro_precision: mean(|m| m.precision),
        macro_recall: mean(|m| m.recall),
        macro_f1: mean(|m| m.f1),
        exact_match_ratio: ratio(exact_matches, num_samples as u64),
        hamming_loss: ratio(pooled.fp + pooled.fn_, pooled.total()),
        per_class,
    })
}
