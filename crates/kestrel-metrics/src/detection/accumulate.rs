//! Precision and recall over all images, a port of `COCOeval.accumulate`.

use super::matching::ImageEval;

/// Interpolated precision `[T][R]` and final recall `[T]` of one category, area range
/// and maximum number of detections per image, from its per-image results (in image id
/// order); `None` when there is no ground truth that is not ignored (COCO's -1).
pub(crate) fn accumulate(
    evals: &[&ImageEval],
    max_dets: usize,
    num_thresholds: usize,
    recall_thresholds: &[f64],
) -> Option<(Vec<f64>, Vec<f64>)> {
    let npig = evals
        .iter()
        .flat_map(|e| &e.gt_ignored)
        .filter(|&&ignored| !ignored)
        .count();
    if npig == 0 {
        return None;
    }
    // (score, image, detection) of each image's best max_dets detections, concatenated in
    // image order, then stably sorted by descending score (mergesort on -score).
    let mut dets: Vec<(f64, usize, usize)> = Vec::new();
    for (i, e) in evals.iter().enumerate() {
        for (d, &s) in e.scores.iter().take(max_dets).enumerate() {
            dets.push((s, i, d));
        }
    }
    dets.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    let nd = dets.len();
    let r_len = recall_thresholds.len();
    let mut precision = vec![0.0; num_thresholds * r_len];
    let mut recall = vec![0.0; num_thresholds];
    let eps = f64::EPSILON; // np.spacing(1)
    for t in 0..num_thresholds {
        let (mut tp, mut fp) = (0.0f64, 0.0f64);
        let mut rc = Vec::with_capacity(nd);
        let mut pr = Vec::with_capacity(nd);
        for &(_, i, d) in &dets {
            let e = evals[i];
            let k = t * e.scores.len() + d;
            if !e.ignored[k] {
                if e.matched[k] {
                    tp += 1.0;
                } else {
                    fp += 1.0;
                }
            }
            rc.push(tp / npig as f64);
            pr.push(tp / (fp + tp + eps));
        }
        recall[t] = rc.last().copied().unwrap_or(0.0);
        // Precision envelope: each value the best precision at that recall or beyond.
        for i in (1..nd).rev() {
            if pr[i] > pr[i - 1] {
                pr[i - 1] = pr[i];
            }
        }
        // np.searchsorted(rc, recall_thresholds, side="left"); thresholds beyond the last
        // recall keep precision 0.
        for (r, &threshold) in recall_thresholds.iter().enumerate() {
            let index = rc.partition_point(|&v| v < threshold);
            if index >= nd {
                break;
            }
            precision[t * r_len + r] = pr[index];
        }
    }
    Some((precision, recall))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_envelope_and_recall() {
        // One image, 2 ground truth; detections best first: TP, FP, TP.
        let e = ImageEval {
            scores: vec![0.9, 0.8, 0.7],
            matched: vec![true, false, true],
            ignored: vec![false; 3],
            gt_ignored: vec![false, false],
        };
        let r = [0.0, 0.5, 0.6, 1.0];
        let (p, rec) = accumulate(&[&e], 100, 1, &r).unwrap();
        assert_eq!(rec, [1.0]);
        // rc = [0.5, 0.5, 1.0], pr = [1, 0.5, 0.667] -> envelope [1, 0.667, 0.667]
        // (precision is tp / (tp + fp + eps), as in COCOeval: 1 - 2^-52 for 1 / 1).
        let one = 1.0 / (1.0 + f64::EPSILON);
        assert_eq!(p[..2], [one, one]);
        assert!((p[2] - 2.0 / 3.0).abs() < 1e-12);
        assert!((p[3] - 2.0 / 3.0).abs() < 1e-12);
        // With max_dets 1 only the first detection counts: recall 0.5, precision 0 above.
        let (p, rec) = accumulate(&[&e], 1, 1, &r).unwrap();
        assert_eq!(rec, [0.5]);
        assert_eq!(p, [one, one, 0.0, 0.0]);
        let none = ImageEval {
            gt_ignored: vec![true],
            ..Default::default()
        };
        assert!(accumulate(&[&none], 100, 1, &r).is_none());
    }
}
