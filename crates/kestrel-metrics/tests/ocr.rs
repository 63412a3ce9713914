//! OCR measures: recognition (edit distance, CER, word accuracy) and word detection
//! (precision, recall, F1, end-to-end accuracy with don't-care words).

use kestrel_metrics::{
    MetricsError, OCR_IOU_THRESHOLD, OcrImage, PredictedWord, RecognitionEvaluation, RotatedBox,
    TruthWord, WordDetectionEvaluation, edit_distance, evaluate_recognition,
    evaluate_word_detection,
};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn recognition_cer_accuracies_and_worst() {
    let truth = ["Kestrel", "HALCON", "42", "sale", "ab"];
    let read = ["Kestrel", "halcon", "4.2", "sole", "abcde"];
    let e = evaluate_recognition(&truth, &read, 2).unwrap();
    assert_eq!(e.num_words, 5);
    assert_eq!(e.num_truth_chars, 7 + 6 + 2 + 4 + 2);
    // 0 + 6 (case) + 1 + 1 + 3.
    assert_eq!(e.total_edit_distance, 11);
    assert!(close(e.character_error_rate, 11.0 / 21.0));
    assert!(close(e.word_accuracy, 1.0 / 5.0));
    // Case and the dot do not count: Kestrel, HALCON, 42.
    assert!(close(e.word_accuracy_normalized, 3.0 / 5.0));
    let worst: Vec<(usize, &str, &str, usize)> = e
        .worst
        .iter()
        .map(|r| (r.sample, r.truth.as_str(), r.read.as_str(), r.edit_distance))
        .collect();
    assert_eq!(
        worst,
        [(1, "HALCON", "halcon", 6), (4, "ab", "abcde", 3)],
        "{e:?}"
    );
    assert!(e.worst.iter().all(|r| r.word.is_none()));

    // Serialised with these keys, and back.
    let json = serde_json::to_value(&e).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "num_words",
        "num_truth_chars",
        "total_edit_distance",
        "character_error_rate",
        "word_accuracy",
        "word_accuracy_normalized",
        "worst",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    let back: RecognitionEvaluation = serde_json::from_value(json).unwrap();
    assert_eq!(back, e);
}

#[test]
fn recognition_errors() {
    assert!(matches!(
        evaluate_recognition(&["a"], &["a", "b"], 5),
        Err(MetricsError::LengthMismatch { .. })
    ));
    assert!(matches!(
        evaluate_recognition::<&str, &str>(&[], &[], 5),
        Err(MetricsError::Empty(_))
    ));
    assert!(matches!(
        evaluate_recognition(&[""], &["x"], 5),
        Err(MetricsError::Undefined(_))
    ));
}

/// An axis-aligned word box `[col - 10, col + 10] x [row - 5, row + 5]`.
fn rect(col: f64, row: f64) -> RotatedBox {
    RotatedBox {
        row,
        col,
        phi: 0.0,
        length1: 10.0,
        length2: 5.0,
    }
}

fn truth(col: f64, text: &str) -> TruthWord {
    TruthWord {
        rect: rect(col, 10.0),
        text: text.into(),
        dont_care: text == "###",
    }
}

fn found(col: f64, text: Option<&str>) -> PredictedWord {
    PredictedWord {
        rect: rect(col, 10.0),
        text: text.map(String::from),
    }
}

#[test]
fn detection_with_dont_care_and_end_to_end() {
    let images = vec![
        OcrImage {
            truth: vec![
                truth(20.0, "Hello"),
                truth(60.0, "World!"),
                truth(100.0, "###"),
                truth(140.0, "missed"),
            ],
            predictions: vec![
                // Shifted by 2: IoU 18 / 22, found and read right (case-insensitively).
                found(22.0, Some("HELLO")),
                found(60.0, Some("Wor1d")),
                // On the don't-care word: neither right nor wrong.
                found(100.0, Some("xx")),
                // A second prediction on the same word: a false positive.
                found(61.0, Some("World")),
                // Shifted by 8: IoU 12 / 28 is below 0.5, a false positive.
                found(148.0, Some("missed")),
            ],
        },
        OcrImage {
            truth: vec![],
            predictions: vec![found(10.0, None)],
        },
        OcrImage {
            truth: vec![truth(20.0, "###")],
            predictions: vec![],
        },
    ];
    let e = evaluate_word_detection(&images, OCR_IOU_THRESHOLD, 10).unwrap();
    assert_eq!(e.num_images, 3);
    assert_eq!(e.num_truth, 3);
    assert_eq!(e.num_dont_care, 2);
    assert_eq!(e.num_predictions, 6);
    assert_eq!(e.ignored_predictions, 1);
    assert_eq!(e.true_positives, 2);
    assert_eq!(e.false_positives, 3);
    assert_eq!(e.false_negatives, 1);
    assert!(close(e.precision, 2.0 / 5.0));
    assert!(close(e.recall, 2.0 / 3.0));
    assert!(close(e.f1, 2.0 * 0.4 * (2.0 / 3.0) / (0.4 + 2.0 / 3.0)));
    assert_eq!(e.end_to_end_correct, 1);
    assert_eq!(e.end_to_end_accuracy, Some(1.0 / 3.0));
    assert_eq!(e.per_image[0].true_positives, 2);
    assert_eq!(e.per_image[0].false_positives, 2);
    assert_eq!(e.per_image[1].false_positives, 1);
    assert_eq!(e.per_image[2], Default::default());
    // The worst readings of found words: "World!" read "Wor1d" (2), "Hello" read "HELLO"
    // (4, though right case-insensitively).
    let worst: Vec<(usize, Option<usize>, &str, usize)> = e
        .worst
        .iter()
        .map(|r| (r.sample, r.word, r.read.as_str(), r.edit_distance))
        .collect();
    assert_eq!(
        worst,
        [(0, Some(0), "HELLO", 4), (0, Some(1), "Wor1d", 2)],
        "{e:?}"
    );
    let json = serde_json::to_string(&e).unwrap();
    let back: WordDetectionEvaluation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, e);

    // Detection only: no end-to-end accuracy.
    let mut detection_only = images.clone();
    for image in &mut detection_only {
        for p in &mut image.predictions {
            p.text = None;
        }
    }
    let e = evaluate_word_detection(&detection_only, OCR_IOU_THRESHOLD, 10).unwrap();
    assert_eq!(e.end_to_end_accuracy, None);
    assert_eq!(e.true_positives, 2);
    // A missing text reads as empty in the worst list.
    assert!(e.worst.iter().all(|r| r.read.is_empty()));
}

#[test]
fn detection_edge_cases_and_errors() {
    // Nothing predicted, nothing true: every ratio 0.
    let e = evaluate_word_detection(&[OcrImage::default()], 0.5, 5).unwrap();
    assert_eq!((e.precision, e.recall, e.f1), (0.0, 0.0, 0.0));
    assert_eq!(e.end_to_end_accuracy, None);
    // Perfect.
    let image = OcrImage {
        truth: vec![truth(20.0, "a"), truth(60.0, "b")],
        predictions: vec![found(60.0, Some("b")), found(20.0, Some("a"))],
    };
    let e = evaluate_word_detection(std::slice::from_ref(&image), 0.5, 5).unwrap();
    assert_eq!((e.precision, e.recall, e.f1), (1.0, 1.0, 1.0));
    assert_eq!(e.end_to_end_accuracy, Some(1.0));
    assert!(e.worst.is_empty());

    for bad in [0.0, -0.5, 1.5, f64::NAN] {
        assert!(matches!(
            evaluate_word_detection(std::slice::from_ref(&image), bad, 5),
            Err(MetricsError::InvalidArgument(_))
        ));
    }
    assert!(matches!(
        evaluate_word_detection(&[], 0.5, 5),
        Err(MetricsError::Empty(_))
    ));
    let mut nan = image.clone();
    nan.predictions[1].rect.phi = f64::NAN;
    let e = evaluate_word_detection(&[image, nan], 0.5, 5).unwrap_err();
    assert!(
        matches!(&e, MetricsError::NonFinite { what, index: 1 } if what == "images[1].predictions"),
        "{e}"
    );
}

/// A small deterministic generator (xorshift64*), for the edit distance properties
/// (proptest is not a dependency of the workspace).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A text of 0 to 9 characters from a small alphabet (repeats likely), with a
    /// non-ASCII letter.
    fn text(&mut self) -> String {
        const CHARS: [char; 5] = ['a', 'b', 'c', 'ß', ' '];
        let len = (self.next() % 10) as usize;
        (0..len)
            .map(|_| CHARS[(self.next() % CHARS.len() as u64) as usize])
            .collect()
    }
}

/// The textbook full-matrix Levenshtein distance, as an oracle.
fn naive_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let substitution = d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = substitution.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
        }
    }
    d[a.len()][b.len()]
}

#[test]
fn edit_distance_properties() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let (a, b, c) = (rng.text(), rng.text(), rng.text());
        let ab = edit_distance(&a, &b);
        let (la, lb) = (a.chars().count(), b.chars().count());
        assert_eq!(ab, naive_distance(&a, &b), "{a:?} {b:?}");
        assert_eq!(edit_distance(&a, &a), 0, "{a:?}");
        assert_eq!(ab == 0, a == b, "{a:?} {b:?}");
        assert_eq!(ab, edit_distance(&b, &a), "{a:?} {b:?}");
        assert!(
            edit_distance(&a, &c) <= ab + edit_distance(&b, &c),
            "{a:?} {b:?} {c:?}"
        );
        assert!(la.abs_diff(lb) <= ab && ab <= la.max(lb), "{a:?} {b:?}");
    }
}
