//! Per class decision thresholds chosen on data.

use super::{check_inputs, column};
use crate::{MetricsError, best_f1_threshold};

/// Threshold used for a class without any positive sample.
const FALLBACK_THRESHOLD: f32 = 0.5;

/// Per class, the threshold maximising F1 on the given samples (`scores[i][c]`,
/// `truth[i][c]`: sample `i`, class `c`, as in [`evaluate_multilabel`](crate::evaluate_multilabel); see
/// [`best_f1_threshold`]): it is one of the class's scores, the lowest one called
/// positive (decisions are `score >= threshold`), the highest such on a tie. A class
/// without any positive sample gets 0.5.
///
/// The number of classes is the length of the first row. Fails on empty input, rows of
/// different lengths and NaN or infinite scores.
pub fn best_f1_thresholds(
    scores: &[Vec<f32>],
    truth: &[Vec<bool>],
) -> Result<Vec<f32>, MetricsError> {
    let num_classes = scores.first().map_or(0, Vec::len);
    check_inputs(scores, truth, num_classes)?;
    (0..num_classes)
        .map(|c| {
            let (s, t) = column(scores, truth, c);
            if t.contains(&true) {
                best_f1_threshold(&s, &t).map(|(threshold, _)| threshold)
            } else {
                Ok(FALLBACK_THRESHOLD)
            }
        })
        .collect()
}
