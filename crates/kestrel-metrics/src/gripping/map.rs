//! Gripping-map IoU, precision, recall and F1 against labelled regions, at a threshold,
//! pooled over images.

use serde::Serialize;

use crate::MetricsError;

/// Counts pixels over images: a pixel is predicted grippable when its score is at least
/// the threshold; NaN scores are not grippable.
#[derive(Debug, Clone, PartialEq)]
pub struct GrippingMapAccumulator {
    threshold: f32,
    true_positives: u64,
    false_positives: u64,
    false_negatives: u64,
    image_iou_sum: f64,
    num_images: usize,
}

/// Gripping-map measures at a threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrippingMapEvaluation {
    /// The score threshold.
    pub threshold: f32,
    /// The number of images.
    pub num_images: usize,
    /// Grippable pixels predicted grippable.
    pub true_positives: u64,
    /// Pixels predicted grippable that are not.
    pub false_positives: u64,
    /// Grippable pixels missed.
    pub false_negatives: u64,
    /// Pooled `tp / (tp + fp + fn)` (1 when neither truth nor prediction has a pixel).
    pub iou: f64,
    /// Pooled `tp / (tp + fp)` (1 when nothing was predicted).
    pub precision: f64,
    /// Pooled `tp / (tp + fn)` (1 when nothing is grippable).
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
    /// The mean over images of each image's IoU.
    pub mean_image_iou: f64,
}

/// `a / b`, or `empty` when `b` is 0.
fn ratio(a: u64, b: u64, empty: f64) -> f64 {
    if b == 0 { empty } else { a as f64 / b as f64 }
}

impl GrippingMapAccumulator {
    /// An empty accumulator for `threshold`.
    pub fn new(threshold: f32) -> Self {
        Self {
            threshold,
            true_positives: 0,
            false_positives: 0,
            false_negatives: 0,
            image_iou_sum: 0.0,
            num_images: 0,
        }
    }

    /// Adds one image: a score per pixel and the labelled region (`true` = grippable),
    /// both row by row; an error when their lengths differ.
    pub fn add(&mut self, scores: &[f32], truth: &[bool]) -> Result<(), MetricsError> {
        if scores.len() != truth.len() {
            return Err(MetricsError::LengthMismatch {
                what: format!("gripping map of image {}", self.num_images),
                expected: truth.len(),
                got: scores.len(),
            });
        }
        let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
        for (&s, &t) in scores.iter().zip(truth) {
            match (s >= self.threshold, t) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                (false, false) => {}
            }
        }
        self.true_positives += tp;
        self.false_positives += fp;
        self.false_negatives += fn_;
        self.image_iou_sum += ratio(tp, tp + fp + fn_, 1.0);
        self.num_images += 1;
        Ok(())
    }

    /// The measures so far; `None` before the first image.
    pub fn evaluation(&self) -> Option<GrippingMapEvaluation> {
        if self.num_images == 0 {
            return None;
        }
        let (tp, fp, fn_) = (
            self.true_positives,
            self.false_positives,
            self.false_negatives,
        );
        let precision = ratio(tp, tp + fp, 1.0);
        let recall = ratio(tp, tp + fn_, 1.0);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Some(GrippingMapEvaluation {
            threshold: self.threshold,
            num_images: self.num_images,
            true_positives: tp,
            false_positives: fp,
            false_negatives: fn_,
            iou: ratio(tp, tp + fp + fn_, 1.0),
            precision,
            recall,
            f1,
            mean_image_iou: self.image_iou_sum / self.num_images as f64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pooled_and_per_image_iou_precision_recall_f1() {
        let mut acc = GrippingMapAccumulator::new(0.5);
        assert!(acc.evaluation().is_none());
        // Image 1: tp 2, fp 1, fn 1 (the NaN score is not grippable).
        let scores = [0.9, 0.5, 0.7, 0.1, f32::NAN, 0.2];
        let truth = [true, true, false, false, true, false];
        acc.add(&scores, &truth).unwrap();
        // Image 2: nothing grippable, nothing predicted: IoU 1 for the image.
        acc.add(&[0.1, 0.2], &[false, false]).unwrap();
        let e = acc.evaluation().unwrap();
        assert_eq!(
            (e.true_positives, e.false_positives, e.false_negatives),
            (2, 1, 1)
        );
        assert_eq!(e.iou, 0.5);
        assert!((e.precision - 2.0 / 3.0).abs() < 1e-12);
        assert!((e.recall - 2.0 / 3.0).abs() < 1e-12);
        assert!((e.f1 - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(e.mean_image_iou, 0.75);
        let err = acc.add(&[0.1], &[true, false]).unwrap_err().to_string();
        assert!(
            err.contains("gripping map of image 2 has 1 entries, expected 2"),
            "{err}"
        );
    }
}
