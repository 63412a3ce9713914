//! Deep OCR with PaddleOCR's PP-OCRv4 recogniser imported from ONNX: it reads the 2,000
//! IIIT5K training words with ONNX Runtime's word accuracy (0.977, case-insensitive over
//! letters and digits, `../shared/README.md`), survives a model file round trip, and
//! refuses what it cannot do with clear errors.

mod common;

use kestrel::data::{Dataset, Split, import_ocr_tags};
use kestrel::ocr::{OnnxOcrFiles, ocr_model_from_onnx, read_alphabet};
use kestrel::{Model, ModelParams};
use std::path::Path;

/// Words of the 2,000 that ONNX Runtime reads right (0.977).
const ONNX_RUNTIME_CORRECT: usize = 1954;

/// The imported recogniser.
fn pp_ocr_v4(shared: &Path) -> Model {
    let models = shared.join("models/ocr");
    let alphabet = read_alphabet(&models.join("ppocrv4_rec_keys.txt"), true).unwrap();
    assert_eq!(alphabet.len(), 6624, "6,623 keys and the space");
    let recognizer = models.join("ch_PP-OCRv4_rec_infer.onnx");
    let files = OnnxOcrFiles {
        recognizer: Some(&recognizer),
        alphabet,
        detector: None,
        height: 48,
        width: 320,
    };
    ocr_model_from_onnx(&files).unwrap()
}

#[test]
fn reads_iiit5k_like_onnx_runtime() {
    let Some(shared) = common::shared() else {
        return;
    };
    let model = pp_ocr_v4(&shared);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ppocrv4.kmodel");
    model.save(&file, false).unwrap();
    let mut model = Model::load(&file).unwrap();
    // The reference protocol squeezes words wider than 320 pixels (at height 48).
    model
        .params
        .set("recognition_image_width_max", "320")
        .unwrap();
    let mut dataset: Dataset =
        import_ocr_tags(&shared.join("data/iiit5k-train/train.tags")).unwrap();
    for s in &mut dataset.samples {
        s.split = Some(Split::Test);
    }
    let report = model.evaluate_ocr(&dataset, Split::Test, 32).unwrap();
    let r = &report.recognition;
    let correct = (r.word_accuracy_normalized * r.num_words as f64).round() as usize;
    eprintln!(
        "IIIT5K train, 2,000 words: {correct} read right (normalised accuracy {:.4}, exact {:.4}, CER {:.4}), {:.1} words/s",
        r.word_accuracy_normalized,
        r.word_accuracy,
        r.character_error_rate,
        report.words_per_second
    );
    assert_eq!(r.num_words, 2000);
    assert!(
        correct >= ONNX_RUNTIME_CORRECT,
        "{correct} words read right, ONNX Runtime reads {ONNX_RUNTIME_CORRECT}"
    );
    // The report writes its JSON and the picture of the worst words beside it.
    let written = kestrel::Report::write(&report, &dir.path().join("eval.json"), &model).unwrap();
    assert_eq!(written, vec![dir.path().join("eval.worst_words.png")]);
    assert!(!r.worst.is_empty());
    let picture = image::open(&written[0]).unwrap();
    assert!(picture.width() > 0 && picture.height() > 0);
}

#[test]
fn candidates_and_scores_come_with_each_word() {
    let Some(shared) = common::shared() else {
        return;
    };
    let model = pp_ocr_v4(&shared);
    let dataset = import_ocr_tags(&shared.join("data/iiit5k-train/train.tags")).unwrap();
    let paths: Vec<_> = dataset
        .samples
        .iter()
        .take(4)
        .map(|s| dataset.image_path(s))
        .collect();
    let words = model.read_words(&paths, 2).unwrap();
    for (w, s) in words.iter().zip(&dataset.samples) {
        assert_eq!(
            w.characters.len(),
            w.word.chars().count(),
            "{}",
            s.image_file_name
        );
        assert!(w.score > 0.0 && w.score <= 1.0);
        for c in &w.characters {
            assert_eq!(c.candidates.len(), 3);
            assert_eq!(
                c.candidates[0].0, c.character,
                "the character read is the best candidate"
            );
            assert!(
                c.candidates.windows(2).all(|p| p[0].1 >= p[1].1),
                "candidates sorted"
            );
        }
    }
}

#[test]
fn bad_inputs_give_clear_errors() {
    let Some(shared) = common::shared() else {
        return;
    };
    let model = pp_ocr_v4(&shared);
    let dir = tempfile::tempdir().unwrap();
    let not_image = dir.path().join("word.png");
    std::fs::write(&not_image, b"not a picture").unwrap();
    let err = model
        .read_words(std::slice::from_ref(&not_image), 1)
        .unwrap_err()
        .to_string();
    assert!(err.contains("word.png"), "{err}");

    let keys = dir.path().join("keys.txt");
    std::fs::write(&keys, "a\nbc\n").unwrap();
    let err = read_alphabet(&keys, true).unwrap_err().to_string();
    assert!(err.contains("line 2"), "{err}");

    let files = OnnxOcrFiles {
        recognizer: Some(&not_image),
        alphabet: vec!["a".into()],
        detector: None,
        height: 48,
        width: 320,
    };
    let err = ocr_model_from_onnx(&files).unwrap_err().to_string();
    assert!(err.contains("word.png"), "{err}");

    let classifier = Model::new(ModelParams::classification(
        kestrel::nn::BackboneKind::Compact,
        vec!["a".into(), "b".into()],
    ))
    .unwrap();
    let err = classifier
        .read_words(&[not_image], 1)
        .unwrap_err()
        .to_string();
    assert!(err.contains("read words"), "{err}");
    let ocr_params = model.params.clone();
    assert!(
        Model::new(ocr_params).is_ok(),
        "a deep-OCR model can be rebuilt from its parameters"
    );
}
