//! Word detection evaluation: precision, recall and F1 of rotated word boxes, and
//! end-to-end word accuracy.

use kestrel_geom::RotatedBox;
use serde::{Deserialize, Serialize};

use super::edit::edit_distance;
use super::matching::match_words;
use super::text::same_word_normalized;
use super::worst::{Recognition, worst};
use crate::MetricsError;
use crate::confusion::ratio;

/// The IoU a predicted word box needs with a true one to count as found (ICDAR).
pub const OCR_IOU_THRESHOLD: f64 = 0.5;

/// A true word on an image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthWord {
    /// Its box.
    pub rect: RotatedBox,
    /// Its text (not read for a don't-care word).
    pub text: String,
    /// A don't-care region (illegible text, ICDAR `###`): not a miss when not found, and
    /// the prediction matched to it is not a false positive.
    pub dont_care: bool,
}

/// A word found on an image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictedWord {
    /// Its box.
    pub rect: RotatedBox,
    /// The text read, `None` when only detection was run.
    pub text: Option<String>,
}

/// One image's true and predicted words.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OcrImage {
    /// The true words.
    pub truth: Vec<TruthWord>,
    /// The predicted words.
    pub predictions: Vec<PredictedWord>,
}

/// One image's counts (don't-care words and the predictions matched to them left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImageWordCounts {
    /// Predictions matched to a true word.
    pub true_positives: usize,
    /// Predictions matched to no word.
    pub false_positives: usize,
    /// True words matched by no prediction.
    pub false_negatives: usize,
    /// True words whose matched prediction reads the same text (case-insensitive over
    /// letters and digits).
    pub end_to_end_correct: usize,
}

/// The result of evaluating word detection (and reading) on images (serialized with
/// exactly these keys). Undefined ratios (no prediction, no true word) are 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WordDetectionEvaluation {
    /// Number of images evaluated.
    pub num_images: usize,
    /// The IoU a match needs.
    pub iou_threshold: f64,
    /// True words, don't-care ones left out.
    pub num_truth: usize,
    /// Don't-care true words.
    pub num_dont_care: usize,
    /// All predictions.
    pub num_predictions: usize,
    /// Predictions matched to a don't-care word: neither right nor wrong.
    pub ignored_predictions: usize,
    /// Predictions matched to a true word.
    pub true_positives: usize,
    /// Predictions matched to no word.
    pub false_positives: usize,
    /// True words matched by no prediction.
    pub false_negatives: usize,
    /// `true_positives / (num_predictions - ignored_predictions)`.
    pub precision: f64,
    /// `true_positives / num_truth`.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// True words whose matched prediction reads the same text (case-insensitive over
    /// letters and digits, [`normalize_word`](crate::normalize_word)).
    pub end_to_end_correct: usize,
    /// `end_to_end_correct / num_truth`; `None` when no prediction has a text (detection
    /// only).
    pub end_to_end_accuracy: Option<f64>,
    /// Per image counts, in input order.
    pub per_image: Vec<ImageWordCounts>,
    /// The worst readings of found words, largest edit distance first (`sample` is the
    /// image, `word` the true word; a prediction without text reads as empty).
    pub worst: Vec<Recognition>,
}

/// Evaluates word detection on `images`: in each image the predictions are matched
/// one-to-one to the true words, greedily by rotated IoU ([`match_words`], at least
/// `iou_threshold`, [`OCR_IOU_THRESHOLD`] in the ICDAR protocol), don't-care words
/// included. A don't-care word counts neither as a miss nor, when matched, makes its
/// prediction a false positive (see [`WordDetectionEvaluation`]). `worst` keeps up to
/// `max_worst` wrong readings of found words.
///
/// Fails when `iou_threshold` is not in `(0, 1]` ([`MetricsError::InvalidArgument`]),
/// on no images ([`MetricsError::Empty`]) and on a box with a non-finite value
/// ([`MetricsError::NonFinite`]).
pub fn evaluate_word_detection(
    images: &[OcrImage],
    iou_threshold: f64,
    max_worst: usize,
) -> Result<WordDetectionEvaluation, MetricsError> {
    if !(iou_threshold > 0.0 && iou_threshold <= 1.0) {
        return Err(MetricsError::InvalidArgument(format!(
            "iou_threshold {iou_threshold} is not in (0, 1]"
        )));
    }
    if images.is_empty() {
        return Err(MetricsError::Empty("no images".into()));
    }
    check_finite(images)?;
    let mut per_image = Vec::with_capacity(images.len());
    let (mut num_truth, mut num_dont_care, mut num_predictions, mut ignored) = (0, 0, 0, 0);
    let mut wrong = Vec::new();
    for (i, image) in images.iter().enumerate() {
        let (counts, image_ignored) = image_counts(i, image, iou_threshold, &mut wrong);
        let dont_care = image.truth.iter().filter(|t| t.dont_care).count();
        num_dont_care += dont_care;
        num_truth += image.truth.len() - dont_care;
        num_predictions += image.predictions.len();
        ignored += image_ignored;
        per_image.push(counts);
    }
    let sum = |f: fn(&ImageWordCounts) -> usize| per_image.iter().map(f).sum::<usize>();
    let true_positives = sum(|c| c.true_positives);
    let end_to_end_correct = sum(|c| c.end_to_end_correct);
    let precision = ratio(true_positives as u64, (num_predictions - ignored) as u64);
    let recall = ratio(true_positives as u64, num_truth as u64);
    let read_any = images
        .iter()
        .any(|im| im.predictions.iter().any(|p| p.text.is_some()));
    Ok(WordDetectionEvaluation {
        num_images: images.len(),
        iou_threshold,
        num_truth,
        num_dont_care,
        num_predictions,
        ignored_predictions: ignored,
        true_positives,
        false_positives: sum(|c| c.false_positives),
        false_negatives: sum(|c| c.false_negatives),
        precision,
        recall,
        f1: if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        },
        end_to_end_correct,
        end_to_end_accuracy: read_any.then(|| ratio(end_to_end_correct as u64, num_truth as u64)),
        per_image,
        worst: worst(wrong, max_worst),
    })
}

/// Image `index`'s counts and number of ignored predictions; wrong readings of found
/// words are added to `wrong`.
fn image_counts(
    index: usize,
    image: &OcrImage,
    iou_threshold: f64,
    wrong: &mut Vec<Recognition>,
) -> (ImageWordCounts, usize) {
    let truth: Vec<RotatedBox> = image.truth.iter().map(|t| t.rect).collect();
    let predictions: Vec<RotatedBox> = image.predictions.iter().map(|p| p.rect).collect();
    let matches = match_words(&truth, &predictions, iou_threshold);
    let mut counts = ImageWordCounts::default();
    let mut ignored = 0;
    for m in &matches {
        let t = &image.truth[m.truth];
        if t.dont_care {
            ignored += 1;
            continue;
        }
        counts.true_positives += 1;
        let read = image.predictions[m.prediction]
            .text
            .as_deref()
            .unwrap_or("");
        if same_word_normalized(&t.text, read) {
            counts.end_to_end_correct += 1;
        }
        let d = edit_distance(&t.text, read);
        if d > 0 {
            wrong.push(Recognition {
                sample: index,
                word: Some(m.truth),
                truth: t.text.clone(),
                read: read.to_string(),
                edit_distance: d,
            });
        }
    }
    let cared = image.truth.iter().filter(|t| !t.dont_care).count();
    counts.false_negatives = cared - counts.true_positives;
    counts.false_positives = image.predictions.len() - matches.len();
    (counts, ignored)
}

/// [`MetricsError::NonFinite`] for the first box with a non-finite value.
fn check_finite(images: &[OcrImage]) -> Result<(), MetricsError> {
    for (i, image) in images.iter().enumerate() {
        let truth = image.truth.iter().map(|t| &t.rect);
        let predictions = image.predictions.iter().map(|p| &p.rect);
        for (what, rects) in [
            ("truth", truth.collect::<Vec<_>>()),
            ("predictions", predictions.collect()),
        ] {
            if let Some(j) = rects.iter().position(|r| !r.is_finite()) {
                return Err(MetricsError::NonFinite {
                    what: format!("images[{i}].{what}"),
                    index: j,
                });
            }
        }
    }
    Ok(())
}
