//! Choosing `anomaly_classification_threshold` and `anomaly_segmentation_threshold` from
//! validation images when the user sets none.

use crate::anomaly::map::AnomalyImage;
use crate::error::Result;
use kestrel_metrics::best_f1_threshold;
use serde::Serialize;

/// The two decision thresholds and how they were found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Thresholds {
    /// An image with a score at or above this is `nok`.
    pub classification: f32,
    /// A pixel with a score at or above this belongs to the defect region.
    pub segmentation: f32,
    /// How they were estimated.
    pub method: String,
}

/// Estimates both thresholds from anomaly images of validation samples.
///
/// With defective (`nok`) images among them, the classification threshold maximises the F1
/// of the image decision and the segmentation threshold the F1 over pixels of the given
/// defect masks (or equals the classification threshold without masks). With defect-free
/// images only, both are the highest score seen, so no validation image raises an alarm.
pub fn estimate_thresholds(
    images: &[AnomalyImage],
    nok: &[bool],
    masks: &[Option<Vec<bool>>],
) -> Result<Thresholds> {
    let scores: Vec<f32> = images.iter().map(AnomalyImage::max_score).collect();
    if !nok.iter().any(|&n| n) {
        let highest = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        return Ok(Thresholds {
            classification: highest,
            segmentation: highest,
            method: format!("highest score of {} defect-free images", images.len()),
        });
    }
    let (classification, _) = best_f1_threshold(&scores, nok)?;
    let mut pixel_scores = Vec::new();
    let mut pixel_labels = Vec::new();
    for ((image, &is_nok), mask) in images.iter().zip(nok).zip(masks) {
        match (is_nok, mask) {
            (_, Some(mask)) => pixel_labels.extend_from_slice(mask),
            (false, None) => pixel_labels.extend(std::iter::repeat_n(false, image.scores.len())),
            (true, None) => continue,
        }
        pixel_scores.extend_from_slice(&image.scores);
    }
    let segmentation = if pixel_labels.iter().any(|&p| p) {
        best_f1_threshold(&pixel_scores, &pixel_labels)?.0
    } else {
        classification
    };
    Ok(Thresholds {
        classification,
        segmentation,
        method: format!(
            "best F1 on {} validation images ({} defective)",
            images.len(),
            nok.iter().filter(|&&n| n).count()
        ),
    })
}
