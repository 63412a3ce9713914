//! Counting evaluation over images: count errors and position precision, recall and F1.

use serde::Serialize;

use super::matching::match_points;
use crate::MetricsError;

/// One image's ground truth and result.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CountingImage {
    /// The true object positions `(row, col)`; their number is the true count.
    pub truth: Vec<(f64, f64)>,
    /// The positions found `(row, col)`.
    pub predicted: Vec<(f64, f64)>,
    /// The count found; may differ from `predicted.len()` (a density integrated, say).
    pub predicted_count: f64,
    /// How far a found position may be from a true point to match it: half the example
    /// size of the image.
    pub match_radius: f64,
}

/// One image's measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountingImageResult {
    /// The number of true points.
    pub true_count: usize,
    /// The count found.
    pub predicted_count: f64,
    /// `|predicted_count - true_count|`.
    pub abs_error: f64,
    /// `abs_error / true_count`; `None` (JSON `null`) when the true count is 0.
    pub relative_error: Option<f64>,
    /// The number of positions found.
    pub num_predicted: usize,
    /// Found positions matched to a true point (one-to-one, within the radius).
    pub matched: usize,
    /// `matched / num_predicted`; 1 when nothing was found.
    pub precision: f64,
    /// `matched / true_count`; 1 when there is nothing to find.
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
}

/// The result of [`evaluate_counting`] (serialized with exactly these keys).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountingEvaluation {
    /// Number of images evaluated.
    pub num_images: usize,
    /// Mean absolute count error over all images.
    pub mae: f64,
    /// Root mean squared count error over all images.
    pub rmse: f64,
    /// Mean relative count error `|predicted - true| / true` over the images whose true
    /// count is above 0 (an image without objects has no relative error; its absolute
    /// error still counts in `mae` and `rmse`); `None` when no image has objects.
    pub relative_mae: Option<f64>,
    /// The images `relative_mae` averages over (true count above 0).
    pub relative_mae_images: usize,
    /// True points over all images.
    pub num_truth: usize,
    /// Positions found over all images.
    pub num_predicted: usize,
    /// Matched positions over all images.
    pub matched: usize,
    /// Micro precision over all images: `matched / num_predicted` (1 when nothing found).
    pub precision: f64,
    /// Micro recall over all images: `matched / num_truth` (1 when nothing to find).
    pub recall: f64,
    /// Harmonic mean of the micro precision and recall.
    pub f1: f64,
    /// Per image, in input order.
    pub per_image: Vec<CountingImageResult>,
}

/// Evaluates counting on `images`: per image the count error and the positions matched
/// one-to-one to the true points within the image's `match_radius` by a maximum matching
/// ([`match_points`]); then MAE, RMSE, relative MAE and micro precision, recall and F1
/// (see [`CountingEvaluation`] for how images without objects enter).
///
/// Fails on no images ([`MetricsError::Empty`]), a point or count that is not finite
/// ([`MetricsError::NonFinite`], naming `images[i].truth` and the like), and a negative
/// `predicted_count` or a `match_radius` that is not positive and finite
/// ([`MetricsError::InvalidArgument`]).
pub fn evaluate_counting(images: &[CountingImage]) -> Result<CountingEvaluation, MetricsError> {
    if images.is_empty() {
        return Err(MetricsError::Empty("no images".into()));
    }
    for (i, image) in images.iter().enumerate() {
        check_image(i, image)?;
    }
    let per_image: Vec<CountingImageResult> = images.iter().map(image_result).collect();
    let n = per_image.len() as f64;
    let mae = per_image.iter().map(|r| r.abs_error).sum::<f64>() / n;
    let rmse = (per_image.iter().map(|r| r.abs_error.powi(2)).sum::<f64>() / n).sqrt();
    let relative: Vec<f64> = per_image.iter().filter_map(|r| r.relative_error).collect();
    let relative_mae =
        (!relative.is_empty()).then(|| relative.iter().sum::<f64>() / relative.len() as f64);
    let num_truth = per_image.iter().map(|r| r.true_count).sum();
    let num_predicted = per_image.iter().map(|r| r.num_predicted).sum();
    let matched = per_image.iter().map(|r| r.matched).sum();
    let (precision, recall, f1) = precision_recall_f1(matched, num_predicted, num_truth);
    Ok(CountingEvaluation {
        num_images: per_image.len(),
        mae,
        rmse,
        relative_mae,
        relative_mae_images: relative.len(),
        num_truth,
        num_predicted,
        matched,
        precision,
        recall,
        f1,
        per_image,
    })
}

/// The measures of one (checked) image.
fn image_result(image: &CountingImage) -> CountingImageResult {
    let true_count = image.truth.len();
    let abs_error = (image.predicted_count - true_count as f64).abs();
    let matched = match_points(&image.truth, &image.predicted, image.match_radius).len();
    let (precision, recall, f1) = precision_recall_f1(matched, image.predicted.len(), true_count);
    CountingImageResult {
        true_count,
        predicted_count: image.predicted_count,
        abs_error,
        relative_error: (true_count > 0).then(|| abs_error / true_count as f64),
        num_predicted: image.predicted.len(),
        matched,
        precision,
        recall,
        f1,
    }
}

/// Precision (1 without predictions), recall (1 without truth) and their harmonic mean.
fn precision_recall_f1(matched: usize, predicted: usize, truth: usize) -> (f64, f64, f64) {
    let ratio = |den: usize| {
        if den == 0 {
            1.0
        } else {
            matched as f64 / den as f64
        }
    };
    let (p, r) = (ratio(predicted), ratio(truth));
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f1)
}

/// The error of image `i`'s first value that cannot be evaluated.
fn check_image(i: usize, image: &CountingImage) -> Result<(), MetricsError> {
    for (what, points) in [("truth", &image.truth), ("predicted", &image.predicted)] {
        if let Some(index) = points
            .iter()
            .position(|p| !(p.0.is_finite() && p.1.is_finite()))
        {
            return Err(MetricsError::NonFinite {
                what: format!("images[{i}].{what}"),
                index,
            });
        }
    }
    if !image.predicted_count.is_finite() {
        return Err(MetricsError::NonFinite {
            what: "images[].predicted_count".into(),
            index: i,
        });
    }
    if image.predicted_count < 0.0 {
        return Err(MetricsError::InvalidArgument(format!(
            "images[{i}].predicted_count {} is negative",
            image.predicted_count
        )));
    }
    if !(image.match_radius.is_finite() && image.match_radius > 0.0) {
        return Err(MetricsError::InvalidArgument(format!(
            "images[{i}].match_radius {} is not a positive number",
            image.match_radius
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(truth: &[(f64, f64)], predicted: &[(f64, f64)], count: f64) -> CountingImage {
        CountingImage {
            truth: truth.to_vec(),
            predicted: predicted.to_vec(),
            predicted_count: count,
            match_radius: 2.0,
        }
    }

    #[test]
    fn counts_positions_and_images_without_objects() {
        let images = [
            // 4 true, 3 found (2 near a true point), count 3: error 1, relative 0.25.
            image(
                &[(0.0, 0.0), (10.0, 0.0), (20.0, 0.0), (30.0, 0.0)],
                &[(1.0, 0.0), (10.0, 1.5), (50.0, 50.0)],
                3.0,
            ),
            // Nothing to find, 2 found (a density says 0.5): no relative error.
            image(&[], &[(1.0, 1.0), (5.0, 5.0)], 0.5),
            // Nothing to find and nothing found: perfect.
            image(&[], &[], 0.0),
        ];
        let e = evaluate_counting(&images).unwrap();
        assert_eq!(e.num_images, 3);
        assert!((e.mae - 1.5 / 3.0).abs() < 1e-12);
        assert!((e.rmse - (1.25f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(e.relative_mae, Some(0.25));
        assert_eq!(e.relative_mae_images, 1);
        assert_eq!((e.num_truth, e.num_predicted, e.matched), (4, 5, 2));
        assert!((e.precision - 0.4).abs() < 1e-12 && (e.recall - 0.5).abs() < 1e-12);
        assert!((e.f1 - 2.0 * 0.4 * 0.5 / 0.9).abs() < 1e-12);
        let first = &e.per_image[0];
        assert_eq!(
            (first.true_count, first.matched, first.num_predicted),
            (4, 2, 3)
        );
        assert!((first.precision - 2.0 / 3.0).abs() < 1e-12 && first.recall == 0.5);
        let second = &e.per_image[1];
        assert_eq!(second.relative_error, None);
        assert_eq!(
            (second.precision, second.recall, second.f1),
            (0.0, 1.0, 0.0)
        );
        let third = &e.per_image[2];
        assert_eq!((third.precision, third.recall, third.f1), (1.0, 1.0, 1.0));
        assert_eq!(third.abs_error, 0.0);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["relative_mae"], 0.25);
        assert!(json["per_image"][1]["relative_error"].is_null());
        assert_eq!(json["per_image"][0]["matched"], 2);
    }

    #[test]
    fn no_image_with_objects_has_no_relative_mae() {
        let e = evaluate_counting(&[image(&[], &[], 1.0)]).unwrap();
        assert_eq!((e.relative_mae, e.relative_mae_images), (None, 0));
        assert_eq!(e.mae, 1.0);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(matches!(
            evaluate_counting(&[]),
            Err(MetricsError::Empty(_))
        ));
        let e = evaluate_counting(&[image(&[(0.0, f64::NAN)], &[], 0.0)])
            .unwrap_err()
            .to_string();
        assert_eq!(e, "images[0].truth[0] is not a finite number");
        let mut bad = image(&[], &[], -1.0);
        let e = evaluate_counting(&[bad.clone()]).unwrap_err().to_string();
        assert!(e.contains("predicted_count -1 is negative"), "{e}");
        bad.predicted_count = 0.0;
        bad.match_radius = 0.0;
        let e = evaluate_counting(&[bad]).unwrap_err().to_string();
        assert!(
            e.contains("images[0].match_radius 0 is not a positive number"),
            "{e}"
        );
    }
}
