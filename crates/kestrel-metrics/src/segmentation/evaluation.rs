//! Segmentation scores from the accumulated pixel confusion matrix.

use serde::{Deserialize, Serialize};

use super::SegmentationAccumulator;
use crate::ConfusionMatrix;
use crate::confusion::ratio;

/// Pixel metrics of one class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentationClassMetrics {
    /// The class's name.
    pub class_name: String,
    /// Whether the class is in the ignore list (then it has no IoU or accuracy).
    pub ignored: bool,
    /// Intersection / union of the true and predicted pixels of the class; `None` when
    /// ignored or when it occurs in neither.
    pub iou: Option<f64>,
    /// Share of the class's true pixels predicted as it (its recall); `None` when ignored
    /// or when it has no true pixel.
    pub accuracy: Option<f64>,
    /// Counted pixels whose ground truth is the class.
    pub truth_pixels: u64,
    /// Counted pixels predicted as the class.
    pub predicted_pixels: u64,
    /// Pixels both true and predicted as the class.
    pub intersection: u64,
    /// Pixels true or predicted as the class.
    pub union: u64,
}

/// The result of evaluating a segmentation model (serialized with exactly these keys).
///
/// Means leave out ignored classes; only counted pixels (ground truth not ignored) enter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentationEvaluation {
    /// Pixels counted.
    pub counted_pixels: u64,
    /// Pixels skipped (ground truth ignored or out of range).
    pub skipped_pixels: u64,
    /// Class names, in class index order.
    pub class_names: Vec<String>,
    /// Per class metrics, in class index order.
    pub per_class: Vec<SegmentationClassMetrics>,
    /// Correctly predicted pixels / counted pixels.
    pub pixel_accuracy: f64,
    /// Mean of the per class IoUs over the classes present in the ground truth or the
    /// prediction (classes absent from both have no IoU and are left out).
    pub mean_iou: f64,
    /// Mean of the per class accuracies over the classes present in the ground truth.
    pub mean_class_accuracy: f64,
    /// Σ_c (true pixels of c / counted pixels) · IoU_c.
    pub frequency_weighted_iou: f64,
    /// Pixel confusion counts, oriented as `confusion_matrix_orientation` says.
    pub confusion_matrix: Vec<Vec<u64>>,
    /// Always `"rows = ground truth, columns = predicted"`.
    pub confusion_matrix_orientation: String,
}

/// Computes the evaluation; the caller checked that some pixel was counted.
pub(super) fn evaluate(
    acc: &SegmentationAccumulator,
    class_names: &[String],
) -> SegmentationEvaluation {
    let total = acc.counted_pixels();
    let cm = acc.confusion_matrix();
    let per_class: Vec<SegmentationClassMetrics> = class_names
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let k = acc.class_counts(c);
            SegmentationClassMetrics {
                class_name: name.clone(),
                ignored: k.ignored,
                iou: k.iou(),
                accuracy: k.accuracy(),
                truth_pixels: k.truth,
                predicted_pixels: k.predicted,
                intersection: k.intersection,
                union: k.union,
            }
        })
        .collect();
    let mean = |values: Vec<f64>| {
        if values.is_empty() {
            0.0
        } else {
            values.iter().sum::<f64>() / values.len() as f64
        }
    };
    let frequency_weighted_iou = per_class
        .iter()
        .filter_map(|m| m.iou.map(|iou| ratio(m.truth_pixels, total) * iou))
        .sum();
    SegmentationEvaluation {
        counted_pixels: total,
        skipped_pixels: acc.skipped_pixels(),
        class_names: class_names.to_vec(),
        pixel_accuracy: cm.accuracy(),
        mean_iou: mean(per_class.iter().filter_map(|m| m.iou).collect()),
        mean_class_accuracy: mean(per_class.iter().filter_map(|m| m.accuracy).collect()),
        frequency_weighted_iou,
        per_class,
        confusion_matrix: cm.counts,
        confusion_matrix_orientation: ConfusionMatrix::ORIENTATION.to_string(),
    }
}
