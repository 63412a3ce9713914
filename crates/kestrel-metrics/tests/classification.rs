//! Classification metrics against hand-worked examples.

use kestrel_metrics::{ConfusionMatrix, MetricsError, evaluate_classification};

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn hand_worked_three_class_example() {
    // Classes: 0 = cat, 1 = dog, 2 = bird. Ten images:
    //   gt:   0 0 0 0 1 1 1 2 2 2
    //   pred: 0 0 1 2 1 1 0 2 2 1
    let gt = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
    let pred = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1];
    let ranked: Vec<Vec<usize>> = pred.iter().map(|&p| vec![p]).collect();
    let eval = evaluate_classification(&names(&["cat", "dog", "bird"]), &gt, &ranked).unwrap();

    // Rows = ground truth, columns = predicted:
    //   cat:  2 1 1   (support 4)
    //   dog:  1 2 0   (support 3)
    //   bird: 0 1 2   (support 3)
    // column sums (predicted): 3 4 3
    assert_eq!(
        eval.confusion_matrix,
        vec![vec![2, 1, 1], vec![1, 2, 0], vec![0, 1, 2]]
    );
    assert_eq!(
        eval.confusion_matrix_orientation,
        "rows = ground truth, columns = predicted"
    );
    assert_eq!(eval.num_images, 10);
    // Correct: 2 + 2 + 2 = 6 of 10.
    assert!(close(eval.top1_error, 0.4));
    assert!(close(eval.top_k_error["top1"], 0.4));
    assert_eq!(
        eval.top_k_error.len(),
        2,
        "top1 and top3 only for 3 classes"
    );

    // precision = tp / predicted, recall = tp / support, f1 = 2pr / (p + r)
    let expected = [
        ("cat", 2.0 / 3.0, 2.0 / 4.0, 4),
        ("dog", 2.0 / 4.0, 2.0 / 3.0, 3),
        ("bird", 2.0 / 3.0, 2.0 / 3.0, 3),
    ];
    for (m, (name, p, r, support)) in eval.per_class.iter().zip(expected) {
        assert_eq!(m.class_name, name);
        assert!(close(m.precision, p), "{name} precision {}", m.precision);
        assert!(close(m.recall, r), "{name} recall {}", m.recall);
        assert!(close(m.f1, 2.0 * p * r / (p + r)), "{name} f1 {}", m.f1);
        assert_eq!(m.support, support);
    }
    // cat f1 = 2 * (2/3) * (1/2) / (7/6) = 4/7; dog f1 = 4/7; bird f1 = 2/3.
    assert!(close(eval.per_class[0].f1, 4.0 / 7.0));
    assert!(close(
        eval.macro_precision,
        (2.0 / 3.0 + 0.5 + 2.0 / 3.0) / 3.0
    ));
    assert!(close(
        eval.macro_recall,
        (0.5 + 2.0 / 3.0 + 2.0 / 3.0) / 3.0
    ));
    assert!(close(
        eval.macro_f1,
        (4.0 / 7.0 + 4.0 / 7.0 + 2.0 / 3.0) / 3.0
    ));
}

#[test]
fn top_k_errors_use_the_ranking() {
    let classes = names(&["a", "b", "c", "d", "e", "f"]);
    let gt = [0, 1, 2, 3];
    let ranked = vec![
        vec![0, 1, 2, 3, 4, 5], // rank 1
        vec![0, 2, 1, 3, 4, 5], // rank 3
        vec![0, 1, 3, 4, 2, 5], // rank 5
        vec![0, 1, 2, 4, 5, 3], // rank 6
    ];
    let eval = evaluate_classification(&classes, &gt, &ranked).unwrap();
    assert!(close(eval.top_k_error["top1"], 0.75));
    assert!(close(eval.top_k_error["top3"], 0.5));
    assert!(close(eval.top_k_error["top5"], 0.25));
    assert!(close(eval.top1_error, 0.75));
    let keys: Vec<_> = eval.top_k_error.keys().cloned().collect();
    assert_eq!(keys, ["top1", "top3", "top5"]);

    // Two classes: only top1.
    let eval =
        evaluate_classification(&names(&["a", "b"]), &[0, 1], &[vec![0, 1], vec![0, 1]]).unwrap();
    assert_eq!(eval.top_k_error.keys().collect::<Vec<_>>(), ["top1"]);
}

#[test]
fn undefined_precision_recall_and_f1_are_zero() {
    // Class 2 is never predicted (precision undefined) and class 1 has no images
    // (recall undefined).
    let eval = evaluate_classification(
        &names(&["a", "b", "c"]),
        &[0, 0, 2],
        &[vec![0], vec![1], vec![0]],
    )
    .unwrap();
    let b = &eval.per_class[1];
    assert_eq!((b.precision, b.recall, b.f1, b.support), (0.0, 0.0, 0.0, 0));
    let c = &eval.per_class[2];
    assert_eq!((c.precision, c.recall, c.f1, c.support), (0.0, 0.0, 0.0, 1));
    let a = &eval.per_class[0];
    assert!(close(a.precision, 0.5) && close(a.recall, 0.5) && close(a.f1, 0.5));
    assert!(eval.macro_f1.is_finite());
}

#[test]
fn bad_inputs_are_typed_errors() {
    let classes = names(&["a", "b"]);
    let err = evaluate_classification(&classes, &[0, 1], &[vec![0]]).unwrap_err();
    assert!(
        matches!(
            err,
            MetricsError::LengthMismatch {
                expected: 2,
                got: 1,
                ..
            }
        ),
        "{err:?}"
    );
    let err = evaluate_classification(&classes, &[0, 2], &[vec![0], vec![1]]).unwrap_err();
    assert!(
        matches!(err, MetricsError::ClassOutOfRange { index: 2, .. }),
        "{err:?}"
    );
    let err = evaluate_classification(&classes, &[0], &[vec![0, 7]]).unwrap_err();
    assert!(
        matches!(err, MetricsError::ClassOutOfRange { index: 7, .. }),
        "{err:?}"
    );
    let err = evaluate_classification(&classes, &[0], &[vec![]]).unwrap_err();
    assert!(matches!(err, MetricsError::Empty(_)), "{err:?}");
    assert!(matches!(
        evaluate_classification(&classes, &[], &[]),
        Err(MetricsError::Empty(_))
    ));
    assert!(matches!(
        evaluate_classification(&[], &[0], &[vec![0]]),
        Err(MetricsError::Empty(_))
    ));
}

#[test]
fn json_keys_are_exactly_the_documented_ones() {
    let eval = evaluate_classification(&names(&["a", "b"]), &[0, 1], &[vec![0], vec![0]]).unwrap();
    let json: serde_json::Value = serde_json::to_value(&eval).unwrap();
    let mut keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "class_names",
            "confusion_matrix",
            "confusion_matrix_orientation",
            "macro_f1",
            "macro_precision",
            "macro_recall",
            "num_images",
            "per_class",
            "top1_error",
            "top_k_error"
        ]
    );
    let class_keys: Vec<_> = json["per_class"][0]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(class_keys.len(), 5);
    let back: kestrel_metrics::ClassificationEvaluation = serde_json::from_value(json).unwrap();
    assert_eq!(back, eval);
}

#[test]
fn confusion_matrix_basics() {
    let mut cm = ConfusionMatrix::new(3);
    assert_eq!((cm.total(), cm.accuracy()), (0, 0.0));
    for (g, p) in [(0, 0), (1, 1), (1, 2), (2, 2)] {
        cm.add(g, p).unwrap();
    }
    assert_eq!(cm.total(), 4);
    assert!(close(cm.accuracy(), 0.75));
    assert_eq!(
        cm.counts[1][2], 1,
        "rows = ground truth, columns = predicted"
    );
    assert!(cm.add(3, 0).is_err());
    assert!(cm.add(0, 3).is_err());
    assert_eq!(cm.total(), 4);
    assert!(ConfusionMatrix::from_counts(vec![vec![1, 2], vec![3]]).is_err());
    let json = serde_json::to_string(&cm).unwrap();
    assert_eq!(serde_json::from_str::<ConfusionMatrix>(&json).unwrap(), cm);
}
