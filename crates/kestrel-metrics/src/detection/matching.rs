//! Per image and category matching of detections to ground truth, a port of
//! `COCOeval.evaluateImg`.

/// A ground-truth object as the matching sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GtInfo {
    /// Area for the area range.
    pub(crate) area: f64,
    /// Crowd region.
    pub(crate) crowd: bool,
}

/// The matching result of one image, category and area range (`evalImgs` entry).
#[derive(Debug, Clone, Default)]
pub(crate) struct ImageEval {
    /// Scores of the detections, best first (at most the largest `maxDets`).
    pub(crate) scores: Vec<f64>,
    /// `matched[t * D + d]`: detection `d` matched a ground truth at threshold `t`.
    pub(crate) matched: Vec<bool>,
    /// `ignored[t * D + d]`: detection `d` is ignored at threshold `t` (matched an
    /// ignored ground truth, or unmatched and outside the area range).
    pub(crate) ignored: Vec<bool>,
    /// Per ground truth (ignored ones last): ignored (crowd or outside the area range).
    pub(crate) gt_ignored: Vec<bool>,
}

/// Matches detections (already sorted best first and cut to `maxDets`, with their
/// areas and scores) to `gts` (in file order) for one area range `[lo, hi]`, greedily by
/// score as `evaluateImg` does: each detection takes the unmatched (or crowd) ground
/// truth of highest IoU at least the threshold, preferring ground truth that is not
/// ignored. `ious[d * G + g]` holds the IoU of detection `d` and ground truth `g` (file
/// order).
pub(crate) fn evaluate_image(
    gts: &[GtInfo],
    dt_areas: &[f64],
    dt_scores: &[f64],
    ious: &[f64],
    (lo, hi): (f64, f64),
    thresholds: &[f64],
) -> ImageEval {
    let ignore: Vec<bool> = gts
        .iter()
        .map(|g| g.crowd || g.area < lo || g.area > hi)
        .collect();
    // Stable sort: ground truth that is not ignored first (mergesort in COCOeval).
    let mut order: Vec<usize> = (0..gts.len()).collect();
    order.sort_by_key(|&g| ignore[g]);
    let gt_ignored: Vec<bool> = order.iter().map(|&g| ignore[g]).collect();
    let crowd: Vec<bool> = order.iter().map(|&g| gts[g].crowd).collect();
    let (n_gt, n_dt) = (gts.len(), dt_scores.len());
    let mut matched = vec![false; thresholds.len() * n_dt];
    let mut ignored = vec![false; thresholds.len() * n_dt];
    if n_gt > 0 {
        for (t, &threshold) in thresholds.iter().enumerate() {
            let mut gt_matched = vec![false; n_gt];
            for d in 0..n_dt {
                let mut best_iou = threshold.min(1.0 - 1e-10);
                let mut m: Option<usize> = None;
                for g in 0..n_gt {
                    // Already matched and not a crowd: skip.
                    if gt_matched[g] && !crowd[g] {
                        continue;
                    }
                    // Matched to a regular ground truth and reached the ignored ones: stop.
                    if m.is_some_and(|m| !gt_ignored[m]) && gt_ignored[g] {
                        break;
                    }
                    let iou = ious[d * n_gt + order[g]];
                    if iou < best_iou {
                        continue;
                    }
                    best_iou = iou;
                    m = Some(g);
                }
                if let Some(m) = m {
                    ignored[t * n_dt + d] = gt_ignored[m];
                    matched[t * n_dt + d] = true;
                    gt_matched[m] = true;
                }
            }
        }
    }
    // Unmatched detections outside the area range are ignored.
    for t in 0..thresholds.len() {
        for (d, &area) in dt_areas.iter().enumerate() {
            let i = t * n_dt + d;
            if !matched[i] && (area < lo || area > hi) {
                ignored[i] = true;
            }
        }
    }
    ImageEval {
        scores: dt_scores.to_vec(),
        matched,
        ignored,
        gt_ignored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: (f64, f64) = (0.0, 1e10);

    #[test]
    fn greedy_by_score_and_crowd_absorbs_many() {
        let gts = [
            GtInfo {
                area: 100.0,
                crowd: false,
            },
            GtInfo {
                area: 100.0,
                crowd: true,
            },
        ];
        // Three detections, best first: d0 and d1 both overlap gt 0; d1, d2 the crowd.
        let ious = [0.9, 0.0, 0.8, 0.7, 0.0, 0.95];
        let e = evaluate_image(&gts, &[100.0; 3], &[0.9, 0.8, 0.7], &ious, ALL, &[0.5]);
        assert_eq!(e.matched, [true, true, true]);
        // d1 loses gt 0 to d0 and falls back on the crowd region: ignored, like d2.
        assert_eq!(e.ignored, [false, true, true]);
        assert_eq!(e.gt_ignored, [false, true]);
        // At a threshold above 0.8, d1 has no match at all.
        let e = evaluate_image(&gts, &[100.0; 3], &[0.9, 0.8, 0.7], &ious, ALL, &[0.85]);
        assert_eq!(e.matched, [true, false, true]);
    }

    #[test]
    fn area_range_ignores_ground_truth_and_unmatched_detections() {
        let gts = [GtInfo {
            area: 5000.0,
            crowd: false,
        }];
        let small = (0.0, 1024.0);
        let e = evaluate_image(
            &gts,
            &[5000.0, 10.0],
            &[0.9, 0.8],
            &[0.9, 0.0],
            small,
            &[0.5],
        );
        // The large ground truth is ignored; the detection matching it is too; the small
        // unmatched detection is a false positive.
        assert_eq!(e.gt_ignored, [true]);
        assert_eq!(e.matched, [true, false]);
        assert_eq!(e.ignored, [true, false]);
    }
}
