//! Classification evaluation: top-k errors, per class precision/recall/F1.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::confusion::ratio;
use crate::{ConfusionMatrix, MetricsError};

/// The k of the top-k errors reported (those with `k <= num_classes`).
const TOP_K: [usize; 3] = [1, 3, 5];

/// Precision, recall and F1 of one class.
///
/// Undefined values are reported as 0: precision when the class was never predicted,
/// recall when it has no ground truth images, F1 when precision + recall is 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    /// The class's name.
    pub class_name: String,
    /// Correct predictions of the class / all predictions of it.
    pub precision: f64,
    /// Correct predictions of the class / its ground truth images.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Number of ground truth images of the class.
    pub support: u64,
}

/// The result of evaluating a classifier on a set of images (serialized with exactly these
/// keys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassificationEvaluation {
    /// Number of images evaluated.
    pub num_images: usize,
    /// Class names, in class index order.
    pub class_names: Vec<String>,
    /// Share of images whose best prediction is wrong.
    pub top1_error: f64,
    /// Share of images whose ground truth is not among the k best predictions, keyed
    /// `"top1"`, `"top3"`, `"top5"` for each k no larger than the number of classes.
    pub top_k_error: BTreeMap<String, f64>,
    /// Confusion counts, oriented as `confusion_matrix_orientation` says.
    pub confusion_matrix: Vec<Vec<u64>>,
    /// Always `"rows = ground truth, columns = predicted"`.
    pub confusion_matrix_orientation: String,
    /// Per class metrics, in class index order.
    pub per_class: Vec<ClassMetrics>,
    /// Unweighted mean of the per class precisions (over all classes).
    pub macro_precision: f64,
    /// Unweighted mean of the per class recalls (over all classes).
    pub macro_recall: f64,
    /// Unweighted mean of the per class F1 scores (over all classes).
    pub macro_f1: f64,
}

/// Evaluates a classifier from ground truth indices and, per image, class indices ranked
/// by confidence (best first; at least one per image, more for top-k errors).
///
/// Fails on length mismatches, empty inputs and class indices out of range.
pub fn evaluate_classification(
    class_names: &[String],
    ground_truth: &[usize],
    ranked_predictions: &[Vec<usize>],
) -> Result<ClassificationEvaluation, MetricsError> {
    let n = class_names.len();
    if n == 0 {
        return Err(MetricsError::Empty("no class names".into()));
    }
    if ground_truth.len() != ranked_predictions.len() {
        return Err(MetricsError::LengthMismatch {
            what: "ranked_predictions".into(),
            expected: ground_truth.len(),
            got: ranked_predictions.len(),
        });
    }
    if ground_truth.is_empty() {
        return Err(MetricsError::Empty("no images".into()));
    }
    let mut cm = ConfusionMatrix::new(n);
    let ks: Vec<usize> = TOP_K.into_iter().filter(|&k| k <= n).collect();
    let mut top_k_misses = vec![0u64; ks.len()];
    for (i, (&gt, ranked)) in ground_truth.iter().zip(ranked_predictions).enumerate() {
        check_index(gt, n, || format!("ground_truth[{i}]"))?;
        let Some(&best) = ranked.first() else {
            return Err(MetricsError::Empty(format!(
                "ranked_predictions[{i}] is empty"
            )));
        };
        for &p in ranked {
            check_index(p, n, || format!("ranked_predictions[{i}]"))?;
        }
        cm.add(gt, best)?;
        for (miss, &k) in top_k_misses.iter_mut().zip(&ks) {
            if !ranked.iter().take(k).any(|&p| p == gt) {
                *miss += 1;
            }
        }
    }
    let num_images = ground_truth.len();
    let top_k_error = ks
        .iter()
        .zip(&top_k_misses)
        .map(|(k, &m)| (format!("top{k}"), ratio(m, num_images as u64)))
        .collect();
    let per_class: Vec<ClassMetrics> = class_names
        .iter()
        .enumerate()
        .map(|(c, name)| class_metrics(&cm, c, name))
        .collect();
    let mean = |f: fn(&ClassMetrics) -> f64| per_class.iter().map(f).sum::<f64>() / n as f64;
    Ok(ClassificationEvaluation {
        num_images,
        class_names: class_names.to_vec(),
        top1_error: 1.0 - cm.accuracy(),
        top_k_error,
        confusion_matrix_orientation: ConfusionMatrix::ORIENTATION.to_string(),
        macro_precision: mean(|m| m.precision),
        macro_recall: mean(|m| m.recall),
        macro_f1: mean(|m| m.f1),
        per_class,
        confusion_matrix: cm.counts,
    })
}

fn check_index(
    index: usize,
    num_classes: usize,
    what: impl FnOnce() -> String,
) -> Result<(), MetricsError> {
    if index < num_classes {
        Ok(())
    } else {
        Err(MetricsError::ClassOutOfRange {
            what: what(),
            index,
            num_classes,
        })
    }
}

/// Precision, recall and F1 of class `c` (0 where undefined).
fn class_metrics(cm: &ConfusionMatrix, c: usize, name: &str) -> ClassMetrics {
    let tp = cm.true_positives(c);
    let precision = ratio(tp, cm.predicted(c));
    let recall = ratio(tp, cm.support(c));
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    ClassMetrics {
        class_name: name.to_string(),
        precision,
        recall,
        f1,
        support: cm.support(c),
    }
}
