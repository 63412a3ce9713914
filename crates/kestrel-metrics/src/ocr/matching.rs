//! One-to-one greedy matching of predicted and true word boxes by rotated IoU.

use kestrel_geom::RotatedBox;
use serde::{Deserialize, Serialize};

/// A predicted box matched to a true one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WordMatch {
    /// Index of the prediction.
    pub prediction: usize,
    /// Index of the true box.
    pub truth: usize,
    /// Their rotated IoU.
    pub iou: f64,
}

/// Matches `predictions` to `truth` one-to-one, greedily by IoU: of all pairs with a
/// rotated IoU of at least `iou_threshold`, the one with the highest IoU is matched
/// first, then the highest among the pairs whose boxes are both still free, and so on
/// (ties go to the lower prediction index, then the lower truth index). Returns the
/// matches in that order.
///
/// Boxes without area or with a non-finite value match nothing (their IoU is 0).
pub fn match_words(
    truth: &[RotatedBox],
    predictions: &[RotatedBox],
    iou_threshold: f64,
) -> Vec<WordMatch> {
    let mut pairs: Vec<WordMatch> = Vec::new();
    for (p, pred) in predictions.iter().enumerate() {
        for (t, gt) in truth.iter().enumerate() {
            let iou = pred.iou(gt);
            if iou >= iou_threshold && iou > 0.0 {
                pairs.push(WordMatch {
                    prediction: p,
                    truth: t,
                    iou,
                });
            }
        }
    }
    pairs.sort_by(|a, b| {
        b.iou
            .total_cmp(&a.iou)
            .then(a.prediction.cmp(&b.prediction))
            .then(a.truth.cmp(&b.truth))
    });
    let mut truth_taken = vec![false; truth.len()];
    let mut prediction_taken = vec![false; predictions.len()];
    let mut matches = Vec::new();
    for m in pairs {
        if !truth_taken[m.truth] && !prediction_taken[m.prediction] {
            truth_taken[m.truth] = true;
            prediction_taken[m.prediction] = true;
            matches.push(m);
        }
    }
    matches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(col: f64, length1: f64) -> RotatedBox {
        RotatedBox {
            row: 0.0,
            col,
            phi: 0.0,
            length1,
            length2: 1.0,
        }
    }

    #[test]
    fn greedy_by_iou_one_to_one() {
        let truth = [rect(0.0, 10.0), rect(3.0, 10.0)];
        // Prediction 1 and truth 0 overlap most (IoU 19.8 / 20.2), then prediction 0 and
        // truth 1 (19.5 / 20.5); prediction 2 overlaps nothing.
        let predictions = [rect(2.5, 10.0), rect(0.2, 10.0), rect(100.0, 1.0)];
        let m = match_words(&truth, &predictions, 0.5);
        let pairs: Vec<(usize, usize)> = m.iter().map(|m| (m.prediction, m.truth)).collect();
        assert_eq!(pairs, [(1, 0), (0, 1)], "{m:?}");
        assert!((m[0].iou - 19.8 / 20.2).abs() < 1e-9 && m[0].iou > m[1].iou);
        // Greedy, not optimal: prediction 0 takes truth 0 (IoU 19.5 / 20.5, its IoU with
        // truth 1 is 18.5 / 21.5), so prediction 1, which reaches 0.5 only with truth 0
        // (15 / 25; 13 / 27 with truth 1), stays unmatched.
        let truth = [rect(0.0, 10.0), rect(2.0, 10.0)];
        let predictions = [rect(0.5, 10.0), rect(-5.0, 10.0)];
        let m = match_words(&truth, &predictions, 0.5);
        assert_eq!(m.len(), 1, "{m:?}");
        // A stricter threshold keeps only the close pairs.
        assert_eq!(match_words(&truth, &predictions, 0.99).len(), 0);
        assert!(match_words(&truth, &[], 0.5).is_empty());
    }
}
