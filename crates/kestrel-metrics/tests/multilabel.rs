//! Multi-label metrics against hand-worked examples and scikit-learn 1.9.1 values.

use kestrel_metrics::{
    MetricsError, MultiLabelEvaluation, average_precision, best_f1_thresholds, evaluate_multilabel,
};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

#[test]
fn average_precision_of_the_scikit_learn_doc_example() {
    // average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.8333…
    // Descending: .8 (T) P 1 R 1/2;  .4 (F) P 1/2 R 1/2;  .35 (T) P 2/3 R 1;  .1 (F).
    //   AP = (1/2 − 0)·1 + (1/2 − 1/2)·1/2 + (1 − 1/2)·2/3 = 1/2 + 1/3 = 5/6
    let ap = average_precision(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]).unwrap();
    assert!(close(ap, 5.0 / 6.0), "{ap}");
}

#[test]
fn average_precision_treats_ties_as_one_threshold() {
    // labels 0 1 0 1 1 0, scores .2 .5 .5 .9 .2 .1 (3 positives)
    //   .9: tp 1 fp 0 → P 1,   R 1/3
    //   .5: tp 2 fp 1 → P 2/3, R 2/3
    //   .2: tp 3 fp 2 → P 3/5, R 1
    //   AP = 1/3 · (1 + 2/3 + 3/5) = 34/45 = 0.7555…  (scikit-learn: 0.7555555555555555)
    let labels = [false, true, false, true, true, false];
    let ap = average_precision(&[0.2, 0.5, 0.5, 0.9, 0.2, 0.1], &labels).unwrap();
    assert!(close(ap, 34.0 / 45.0), "{ap}");
}

#[test]
fn average_precision_matches_scikit_learn_on_random_data() {
    // Same generator and data as in tests/anomaly.rs.
    let mut x = 42u64;
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        x >> 33
    };
    let raw: Vec<f32> = (0..2000).map(|_| (next() % 97) as f32 / 64.0).collect();
    let labels: Vec<bool> = (0..2000).map(|_| next().is_multiple_of(3)).collect();
    let scores: Vec<f32> = raw
        .iter()
        .zip(&labels)
        .map(|(&s, &l)| if l { s + 0.25 } else { s })
        .collect();
    let ap = average_precision(&scores, &labels).unwrap();
    assert!((ap - 0.507_486_559_032_181_9).abs() < 1e-12, "{ap}");
}

#[test]
fn average_precision_rejects_bad_input() {
    let err = average_precision(&[0.1, 0.2], &[false, false]).unwrap_err();
    assert!(matches!(err, MetricsError::Undefined(_)), "{err:?}");
    let err = average_precision(&[0.1, f32::INFINITY], &[true, false]).unwrap_err();
    assert!(matches!(err, MetricsError::NonFinite { .. }), "{err:?}");
    let err = average_precision(&[0.1], &[true, false]).unwrap_err();
    assert!(
        matches!(err, MetricsError::LengthMismatch { .. }),
        "{err:?}"
    );
}

/// Three samples, classes a, b, c, all thresholds 0.5:
///   sample  truth    scores          predicted
///   0       1 0 1    .9  .2  .6      1 0 1   (exact match)
///   1       0 1 0    .3  .8  .7      0 1 1   (c wrong)
///   2       1 1 0    .4  .55 .1      0 1 0   (a wrong)
fn three_by_three() -> (Vec<Vec<f32>>, Vec<Vec<bool>>) {
    let scores = vec![
        vec![0.9, 0.2, 0.6],
        vec![0.3, 0.8, 0.7],
        vec![0.4, 0.55, 0.1],
    ];
    let truth = [[1, 0, 1], [0, 1, 0], [1, 1, 0]]
        .iter()
        .map(|row| row.iter().map(|&v| v == 1).collect())
        .collect();
    (scores, truth)
}

#[test]
fn hand_worked_three_by_three_example() {
    let (scores, truth) = three_by_three();
    let eval = evaluate_multilabel(&names(&["a", "b", "c"]), &scores, &truth, &[0.5; 3]).unwrap();
    assert_eq!(eval.num_samples, 3);
    // Per class (truth column vs predicted column):
    //   a: truth 1 0 1, pred 1 0 0 → tp 1 fp 0 fn 1 tn 1: P 1,   R 1/2, F1 2/3
    //   b: truth 0 1 1, pred 0 1 1 → tp 2 fp 0 fn 0 tn 1: P 1,   R 1,   F1 1
    //   c: truth 1 0 0, pred 1 1 0 → tp 1 fp 1 fn 0 tn 1: P 1/2, R 1,   F1 2/3
    let expected = [
        ("a", (1, 0, 1, 1), 1.0, 0.5, 2.0 / 3.0),
        ("b", (2, 0, 0, 1), 1.0, 1.0, 1.0),
        ("c", (1, 1, 0, 1), 0.5, 1.0, 2.0 / 3.0),
    ];
    for (m, (name, counts, p, r, f1)) in eval.per_class.iter().zip(expected) {
        assert_eq!(m.class_name, name);
        assert_eq!((m.tp, m.fp, m.fn_, m.tn), counts, "{name}");
        assert_eq!(m.support, counts.0 + counts.2);
        assert_eq!(m.threshold, 0.5);
        assert!(
            close(m.precision, p) && close(m.recall, r) && close(m.f1, f1),
            "{m:?}"
        );
    }
    // Average precision per class:
    //   a: scores .9 (T) .4 (T) .3 (F)  → 1/2·1 + 1/2·1         = 1
    //   b: scores .8 (T) .55 (T) .2 (F) → 1
    //   c: scores .7 (F) .6 (T) .1 (F)  → at .6: P 1/2, R 1      = 1/2
    let aps: Vec<f64> = eval
        .per_class
        .iter()
        .map(|m| m.average_precision.unwrap())
        .collect();
    assert_eq!(aps, [1.0, 1.0, 0.5]);
    assert!(close(eval.mean_average_precision.unwrap(), 2.5 / 3.0));
    // Micro: Σtp 4, Σfp 1, Σfn 1 → P = R = F1 = 4/5.
    assert!(close(eval.micro_precision, 0.8));
    assert!(close(eval.micro_recall, 0.8));
    assert!(close(eval.micro_f1, 0.8));
    // Macro: P (1 + 1 + 1/2)/3 = 5/6, R (1/2 + 1 + 1)/3 = 5/6, F1 (2/3 + 1 + 2/3)/3 = 7/9:
    // unlike micro F1 (0.8), macro F1 is not the F1 of the averaged P and R.
    assert!(close(eval.macro_precision, 5.0 / 6.0));
    assert!(close(eval.macro_recall, 5.0 / 6.0));
    assert!(close(eval.macro_f1, 7.0 / 9.0));
    // Exact match: sample 0 only → 1/3. Hamming loss: 2 wrong of 3·3 decisions → 2/9.
    assert!(close(eval.exact_match_ratio, 1.0 / 3.0));
    assert!(close(eval.hamming_loss, 2.0 / 9.0));

    let json = serde_json::to_value(&eval).unwrap();
    assert_eq!(json["per_class"][0]["fn"], 1);
    let back: MultiLabelEvaluation = serde_json::from_value(json).unwrap();
    assert_eq!(back, eval);
}

#[test]
fn a_class_without_positives() {
    // The 3x3 example plus class d, never true, never predicted (scores .1 .2 .3 < .5):
    // P = R = F1 = 0 (zero_division = 0), no AP. Macro averages divide by 4, mAP by 3.
    let (mut scores, mut truth) = three_by_three();
    for (i, (s, t)) in scores.iter_mut().zip(truth.iter_mut()).enumerate() {
        s.push(0.1 * (i + 1) as f32);
        t.push(false);
    }
    let classes = names(&["a", "b", "c", "d"]);
    let eval = evaluate_multilabel(&classes, &scores, &truth, &[0.5; 4]).unwrap();
    let d = &eval.per_class[3];
    assert_eq!((d.tp, d.fp, d.fn_, d.tn, d.support), (0, 0, 0, 3, 0));
    assert_eq!((d.precision, d.recall, d.f1), (0.0, 0.0, 0.0));
    assert_eq!(d.average_precision, None);
    assert!(close(eval.macro_f1, (2.0 / 3.0 + 1.0 + 2.0 / 3.0) / 4.0));
    assert!(close(eval.mean_average_precision.unwrap(), 2.5 / 3.0));
    // Micro counts are unchanged (d adds only true negatives); hamming 2/12.
    assert!(close(eval.micro_f1, 0.8));
    assert!(close(eval.hamming_loss, 2.0 / 12.0));
    assert!(close(eval.exact_match_ratio, 1.0 / 3.0));
}

#[test]
fn best_f1_thresholds_per_class() {
    // F1 = 2 tp / (tp + fp + P) at each distinct score, highest first:
    //   a: .9 (T) → 2/3;  .4 (T) → 4/4 = 1;   .3 (F) → 4/5          → .4
    //   b: .8 (T) → 2/3;  .55 (T) → 1;        .2 (F) → 4/5          → .55
    //   c: .7 (F) → 0;    .6 (T) → 2/3;       .1 (F) → 2/4          → .6
    //   d: no positive                                              → 0.5
    let (mut scores, mut truth) = three_by_three();
    for (s, t) in scores.iter_mut().zip(truth.iter_mut()) {
        s.push(0.9);
        t.push(false);
    }
    let thresholds = best_f1_thresholds(&scores, &truth).unwrap();
    assert_eq!(thresholds, [0.4, 0.55, 0.6, 0.5]);
    // With those thresholds every class with positives reaches its best F1.
    let classes = names(&["a", "b", "c", "d"]);
    let eval = evaluate_multilabel(&classes, &scores, &truth, &thresholds).unwrap();
    let f1s: Vec<f64> = eval.per_class.iter().map(|m| m.f1).collect();
    assert!(close(f1s[0], 1.0) && close(f1s[1], 1.0) && close(f1s[2], 2.0 / 3.0));
}

#[test]
fn multilabel_rejects_bad_input() {
    let (scores, truth) = three_by_three();
    let classes = names(&["a", "b", "c"]);
    let err = evaluate_multilabel(&classes, &scores, &truth, &[0.5; 2]).unwrap_err();
    assert!(
        matches!(err, MetricsError::LengthMismatch { .. }),
        "{err:?}"
    );
    let err = evaluate_multilabel(&classes, &scores, &truth[..2], &[0.5; 3]).unwrap_err();
    assert!(
        matches!(err, MetricsError::LengthMismatch { .. }),
        "{err:?}"
    );
    let mut ragged = scores.clone();
    ragged[1].pop();
    let err = evaluate_multilabel(&classes, &ragged, &truth, &[0.5; 3]).unwrap_err();
    assert!(err.to_string().contains("scores[1]"), "{err}");
    assert!(best_f1_thresholds(&ragged, &truth).is_err());
    let mut nan = scores.clone();
    nan[2][1] = f32::NAN;
    let err = evaluate_multilabel(&classes, &nan, &truth, &[0.5; 3]).unwrap_err();
    assert!(
        matches!(err, MetricsError::NonFinite { index: 1, .. }),
        "{err:?}"
    );
    for bad in [f32::NAN, f32::INFINITY] {
        let err = evaluate_multilabel(&classes, &scores, &truth, &[0.5, bad, 0.5]).unwrap_err();
        assert!(matches!(err, MetricsError::InvalidArgument(_)), "{err:?}");
    }
    let err = evaluate_multilabel(&classes, &[], &[], &[0.5; 3]).unwrap_err();
    assert!(matches!(err, MetricsError::Empty(_)), "{err:?}");
    assert!(matches!(
        best_f1_thresholds(&[], &[]).unwrap_err(),
        MetricsError::Empty(_)
    ));
}
