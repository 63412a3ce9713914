//! Segmentation metrics against hand-worked examples.

use kestrel_metrics::{
    MetricsError, SegmentationAccumulator, SegmentationEvaluation, edge_f1, image_mean_iou,
};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

/// Twelve pixels, classes 0 = road, 1 = car, 2 = tree, 255 = void (ignored):
///   index  0 1 2 3 4 5 6 7 8 9   10  11
///   truth  0 0 0 0 1 1 1 2 2 255 255 0
///   pred   0 0 1 0 1 1 2 2 0 1   7   0
const TRUTH: [u8; 12] = [0, 0, 0, 0, 1, 1, 1, 2, 2, 255, 255, 0];
const PRED: [u32; 12] = [0, 0, 1, 0, 1, 1, 2, 2, 0, 1, 7, 0];

#[test]
fn hand_worked_three_class_example() {
    let mut acc = SegmentationAccumulator::new(3, &[255]).unwrap();
    acc.add(&PRED, &TRUTH).unwrap();
    let eval = acc.finish(&names(&["road", "car", "tree"])).unwrap();

    // Pixels 9 and 10 are void: skipped whatever their prediction (7 is out of range).
    // Rows = truth, columns = predicted:
    //   road (0, 1, 2, 3, 11): pred 0 0 1 0 0 → 4 1 0
    //   car  (4, 5, 6):        pred 1 1 2     → 0 2 1
    //   tree (7, 8):           pred 2 0       → 1 0 1
    assert_eq!(
        eval.confusion_matrix,
        vec![vec![4, 1, 0], vec![0, 2, 1], vec![1, 0, 1]]
    );
    assert_eq!((eval.counted_pixels, eval.skipped_pixels), (10, 2));
    // intersection = diagonal, union = row sum + column sum − diagonal:
    //   road: ∩ 4, truth 5, predicted 4+0+1 = 5, ∪ 5+5−4 = 6 → IoU 4/6 = 2/3, acc 4/5
    //   car:  ∩ 2, truth 3, predicted 1+2+0 = 3, ∪ 3+3−2 = 4 → IoU 2/4 = 1/2, acc 2/3
    //   tree: ∩ 1, truth 2, predicted 0+1+1 = 2, ∪ 2+2−1 = 3 → IoU 1/3,       acc 1/2
    let expected = [
        ("road", 4, 5, 5, 6, 2.0 / 3.0, 4.0 / 5.0),
        ("car", 2, 3, 3, 4, 1.0 / 2.0, 2.0 / 3.0),
        ("tree", 1, 2, 2, 3, 1.0 / 3.0, 1.0 / 2.0),
    ];
    for (m, (name, i, t, p, u, iou, acc)) in eval.per_class.iter().zip(expected) {
        assert_eq!(m.class_name, name);
        assert_eq!(
            (m.intersection, m.truth_pixels, m.predicted_pixels, m.union),
            (i, t, p, u)
        );
        assert!(close(m.iou.unwrap(), iou), "{name} IoU {:?}", m.iou);
        assert!(
            close(m.accuracy.unwrap(), acc),
            "{name} acc {:?}",
            m.accuracy
        );
        assert!(!m.ignored);
    }
    // Pixel accuracy: (4 + 2 + 1) / 10.
    assert!(close(eval.pixel_accuracy, 0.7));
    // Mean IoU: (2/3 + 1/2 + 1/3) / 3 = 1/2.
    assert!(close(eval.mean_iou, 0.5));
    // Mean class accuracy: (4/5 + 2/3 + 1/2) / 3 = (24 + 20 + 15)/30/3 = 59/90.
    assert!(close(eval.mean_class_accuracy, 59.0 / 90.0));
    // Frequency weighted IoU: 5/10·2/3 + 3/10·1/2 + 2/10·1/3 = (20 + 9 + 4)/60 = 0.55.
    assert!(close(eval.frequency_weighted_iou, 0.55));
    assert!(close(acc.mean_iou().unwrap(), 0.5));

    let json = serde_json::to_string(&eval).unwrap();
    let back: SegmentationEvaluation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, eval);
}

#[test]
fn merging_partial_accumulators_gives_the_same_counts() {
    let mut whole = SegmentationAccumulator::new(3, &[255]).unwrap();
    whole.add(&PRED, &TRUTH).unwrap();
    let mut a = SegmentationAccumulator::new(3, &[255]).unwrap();
    let mut b = SegmentationAccumulator::new(3, &[255, 255]).unwrap();
    a.add(&PRED[..6], &TRUTH[..6]).unwrap();
    b.add(&PRED[6..], &TRUTH[6..]).unwrap();
    a.merge(&b).unwrap();
    assert_eq!(a, whole);
    assert_eq!(a.confusion_matrix(), whole.confusion_matrix());
    let other = SegmentationAccumulator::new(3, &[]).unwrap();
    assert!(matches!(
        a.merge(&other).unwrap_err(),
        MetricsError::InvalidArgument(_)
    ));
    let other = SegmentationAccumulator::new(4, &[255]).unwrap();
    assert!(a.merge(&other).is_err());
}

#[test]
fn ignored_and_absent_classes_leave_the_means() {
    // Same pixels, 4 classes (3 = "sky", absent everywhere), class 1 ignored as well:
    // the three car pixels are skipped too (5 skipped, 7 counted).
    //   road: truth 0 0 0 0 0 → pred 0 0 1 0 0 → 4 1 0 0
    //   tree: truth 2 2       → pred 2 0       → 1 0 1 0
    //   road: ∩ 4, truth 5, predicted 4+1 = 5, ∪ 6 → 2/3
    //   tree: ∩ 1, truth 2, predicted 1,       ∪ 2 → 1/2
    //   car: ignored (no IoU, although predicted once); sky: absent → no IoU
    //   mean IoU = (2/3 + 1/2)/2 = 7/12; pixel accuracy 5/7
    let mut acc = SegmentationAccumulator::new(4, &[1, 255]).unwrap();
    acc.add(&PRED, &TRUTH).unwrap();
    let eval = acc.finish(&names(&["road", "car", "tree", "sky"])).unwrap();
    assert_eq!((eval.counted_pixels, eval.skipped_pixels), (7, 5));
    assert!(eval.per_class[1].ignored);
    assert_eq!(eval.per_class[1].iou, None);
    assert_eq!(eval.per_class[1].predicted_pixels, 1);
    assert_eq!(
        (eval.per_class[3].iou, eval.per_class[3].accuracy),
        (None, None)
    );
    assert!(close(eval.mean_iou, 7.0 / 12.0));
    assert!(close(eval.pixel_accuracy, 5.0 / 7.0));
    assert!(close(
        eval.mean_class_accuracy,
        (4.0 / 5.0 + 1.0 / 2.0) / 2.0
    ));
    // 5/7·2/3 + 2/7·1/2 = 10/21 + 3/21 = 13/21
    assert!(close(eval.frequency_weighted_iou, 13.0 / 21.0));
}

#[test]
fn per_image_mean_iou() {
    // truth 0 0 1 1, pred 0 1 1 1 (3 classes, class 2 absent):
    //   class 0: ∩ 1, ∪ 2 → 1/2;  class 1: ∩ 2, ∪ 3 → 2/3;  mean 7/12
    let miou = image_mean_iou(&[0u8, 1, 1, 1], &[0u8, 0, 1, 1], 3, &[]).unwrap();
    assert!(close(miou.unwrap(), 7.0 / 12.0));
    // All pixels void: no IoU.
    assert_eq!(
        image_mean_iou(&[0u8, 1], &[255u8, 255], 3, &[255]).unwrap(),
        None
    );
}

#[test]
fn segmentation_rejects_bad_input() {
    let mut acc = SegmentationAccumulator::new(3, &[255]).unwrap();
    let err = acc.add(&PRED[..5], &TRUTH).unwrap_err();
    assert!(
        matches!(err, MetricsError::LengthMismatch { .. }),
        "{err:?}"
    );
    // A prediction out of range on a counted pixel: nothing is counted.
    let err = acc.add(&[0u8, 3], &[0u8, 1]).unwrap_err();
    assert!(
        matches!(err, MetricsError::ClassOutOfRange { index: 3, .. }),
        "{err:?}"
    );
    assert_eq!(acc.counted_pixels() + acc.skipped_pixels(), 0);
    assert!(matches!(
        acc.finish(&names(&["a", "b", "c"])).unwrap_err(),
        MetricsError::Empty(_)
    ));
    acc.add(&[0u8], &[0u8]).unwrap();
    assert!(matches!(
        acc.finish(&names(&["a", "b"])).unwrap_err(),
        MetricsError::LengthMismatch { .. }
    ));
    assert!(SegmentationAccumulator::new(0, &[]).is_err());
}

/// A 5x5 map with `true` at the given (x, y).
fn edges(points: &[(usize, usize)]) -> Vec<bool> {
    let mut m = vec![false; 25];
    for &(x, y) in points {
        m[y * 5 + x] = true;
    }
    m
}

#[test]
fn edge_f1_with_a_tolerance() {
    // Truth: the column x = 2 (5 pixels). Prediction: column x = 3 for y = 0..=3, and a
    // stray pixel at (0, 4).
    let truth = edges(&[(2, 0), (2, 1), (2, 2), (2, 3), (2, 4)]);
    let pred = edges(&[(3, 0), (3, 1), (3, 2), (3, 3), (0, 4)]);

    // Tolerance 1: (3, y) is 1 from (2, y) → 4 of 5 predicted matched; (0, 4) is 2 from
    // (2, 4). Truth (2, y ≤ 3) matched; (2, 4) is √2 > 1 from (3, 3) (Euclidean, not
    // Chebyshev) and 2 from (0, 4) → 4 of 5. P = R = F1 = 0.8.
    let e = edge_f1(&pred, &truth, 5, 5, 1).unwrap();
    assert_eq!((e.matched_predicted, e.predicted_pixels), (4, 5));
    assert_eq!((e.matched_truth, e.truth_pixels), (4, 5));
    assert!(close(e.precision, 0.8) && close(e.recall, 0.8) && close(e.f1, 0.8));
    assert_eq!(e.tolerance_px, 1);

    // Tolerance 2: (0, 4) is 2 from (2, 4), (2, 4) is √2 from (3, 3): everything matched.
    let e = edge_f1(&pred, &truth, 5, 5, 2).unwrap();
    assert!(close(e.f1, 1.0));

    // Tolerance 0: exact pixels only, none shared.
    let e = edge_f1(&pred, &truth, 5, 5, 0).unwrap();
    assert_eq!((e.matched_predicted, e.matched_truth), (0, 0));
    assert_eq!(e.f1, 0.0);

    // No prediction: precision undefined, reported 0.
    let e = edge_f1(&[false; 25], &truth, 5, 5, 3).unwrap();
    assert_eq!((e.precision, e.recall, e.f1), (0.0, 0.0, 0.0));
    assert!(edge_f1(&pred, &truth[..20], 5, 5, 1).is_err());
}

#[test]
fn edge_f1_matches_brute_force_on_random_maps() {
    let (w, h) = (23, 17);
    let mut x = 3u64;
    let mut next = move || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        x >> 33
    };
    for density in [2, 10, 40] {
        let pred: Vec<bool> = (0..w * h).map(|_| next() % 100 < density).collect();
        let truth: Vec<bool> = (0..w * h).map(|_| next() % 100 < density).collect();
        for tol in [0u32, 1, 2, 3, 5, 40] {
            let near = |a: usize, other: &[bool]| {
                let (ax, ay) = ((a % w) as i64, (a / w) as i64);
                other.iter().enumerate().any(|(b, &e)| {
                    let (bx, by) = ((b % w) as i64, (b / w) as i64);
                    e && (ax - bx).pow(2) + (ay - by).pow(2) <= i64::from(tol).pow(2)
                })
            };
            let matched = |m: &[bool], other: &[bool]| {
                (0..w * h).filter(|&i| m[i] && near(i, other)).count() as u64
            };
            let e = edge_f1(&pred, &truth, w, h, tol).unwrap();
            assert_eq!(
                e.matched_predicted,
                matched(&pred, &truth),
                "{density} {tol}"
            );
            assert_eq!(e.matched_truth, matched(&truth, &pred), "{density} {tol}");
        }
    }
}
