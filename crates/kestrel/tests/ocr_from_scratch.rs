//! Deep OCR's own recogniser (a small CRNN) trained from scratch: on synthetic words it
//! trains and is written whole, an alphabet it was not made for is refused, and on
//! IIIT5K's training words plus synthetic ones (a long recipe) it reads the held-out
//! quarter of IIIT5K.

mod common;

use kestrel::data::{Dataset, Split};
use kestrel::nn::BackboneKind;
use kestrel::ocr::{SyntheticWords, write_synthetic_words};
use kestrel::train::{RunFiles, TrainState};
use kestrel::{MethodKind, Model};
use std::path::Path;

/// A new deep-OCR model for `dataset` (the CRNN, its alphabet from the words), trained
/// for `epochs` at batch 32.
fn new_recognizer(dataset: &Dataset, epochs: usize) -> Model {
    let kind: MethodKind = "deep_ocr".parse().unwrap();
    let mut params = kind.method().default_params(BackboneKind::Compact, dataset);
    params.epochs = epochs;
    params.batch_size = 32;
    Model::new(params).unwrap()
}

/// Synthetic crops over generated backgrounds: `validation` of them (seed 2) held out,
/// `train` others (seed 1) to train on.
fn synthetic(dir: &Path, train: u64, validation: u64) -> Dataset {
    let backgrounds: Vec<_> = (0..4u32)
        .map(|k| {
            image::RgbImage::from_fn(160, 120, |x, y| {
                let v = ((x * (k + 1) + y * (3 - k.min(2))) % 256) as u8;
                image::Rgb([v, v.wrapping_mul(3), 255 - v])
            })
        })
        .collect();
    let words = |seed| SyntheticWords {
        backgrounds: backgrounds.clone(),
        vocabulary: Vec::new(),
        seed,
    };
    let mut held_out =
        write_synthetic_words(&words(2), validation, None, &dir.join("validation")).unwrap();
    for s in &mut held_out.samples {
        s.split = Some(Split::Validation);
    }
    write_synthetic_words(&words(1), train, Some(&held_out), &dir.join("train")).unwrap()
}

/// A new CRNN reads none of 64 synthetic words; two epochs on 320 others lower its CTC
/// loss a lot (it learns where characters are before it learns which), and the model file
/// it writes reads the held-out words exactly as the trained network did.
#[test]
fn a_new_recogniser_trains_and_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let dataset = synthetic(dir.path(), 320, 64);
    let mut model = new_recognizer(&dataset, 2);
    let before = model.evaluate_ocr(&dataset, Split::Validation, 32).unwrap();
    assert!(before.recognition.word_accuracy < 0.05);
    let options = common::options(dir.path().join("crnn.kmodel"));
    let summary = model.train(&dataset, &options).unwrap();
    let state: TrainState =
        serde_json::from_slice(&std::fs::read(RunFiles::new(&options.out).state()).unwrap())
            .unwrap();
    let losses: Vec<f64> = state.records.iter().map(|r| r.train_loss).collect();
    eprintln!(
        "losses {losses:?}, {:.0} crops/s",
        summary.images_per_second
    );
    assert!(losses[1] < losses[0] * 0.8, "{losses:?}");
    let after = model.evaluate_ocr(&dataset, Split::Validation, 32).unwrap();
    let reloaded = Model::load(&summary.final_model).unwrap();
    let again = reloaded
        .evaluate_ocr(&dataset, Split::Validation, 32)
        .unwrap();
    assert_eq!(
        again.recognition.character_error_rate,
        after.recognition.character_error_rate
    );
}

/// A recogniser told to read another alphabet than the one its network was made for is
/// refused with the reason, in training and in reading, instead of training on targets
/// its classes cannot hold.
#[test]
fn an_alphabet_the_network_was_not_made_for_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let dataset = synthetic(dir.path(), 8, 0);
    let mut model = new_recognizer(&dataset, 1);
    // Every character of the words, and one more: 63 entries for a network of 63 classes.
    let mut alphabet: Vec<String> = ('0'..='9')
        .chain('A'..='Z')
        .chain('a'..='z')
        .map(String::from)
        .collect();
    alphabet.push("é".into());
    let alphabet = serde_json::to_string(&alphabet).unwrap();
    model.params.set("recognition_alphabet", &alphabet).unwrap();
    let options = common::options(dir.path().join("m.kmodel"));
    let err = model.train(&dataset, &options).unwrap_err().to_string();
    assert!(
        err.contains("recognition_alphabet") && err.contains("63 classes"),
        "{err}"
    );
    let crop = dataset.image_path(&dataset.samples[0]);
    let err = model.read_words(&[crop], 1).unwrap_err().to_string();
    assert!(err.contains("63 classes"), "{err}");
}

/// Long recipe: a new CRNN trained on IIIT5K's 1,500 training words (split 75/25, seed
/// 42) plus 12,000 synthetic words over the photos of `../shared/data/images` (half of
/// them IIIT5K's training words), 8 epochs with text augmentation, reads the 500
/// held-out words (case-insensitive letters and digits, the IIIT5K protocol): 0.430
/// when this was written (exact 0.390, CER 0.281; PP-OCRv4 pretrained reads 0.976).
#[test]
#[ignore = "long recipe: about 18 min"]
fn a_new_recogniser_reads_held_out_iiit5k_words() {
    let Some(shared) = common::shared() else {
        return;
    };
    let real = common::iiit5k_words(&shared, None);
    let vocabulary = real
        .samples_in(Split::Train)
        .iter()
        .filter_map(|s| s.word.clone())
        .collect();
    let words =
        SyntheticWords::with_backgrounds(&[shared.join("data/images")], vocabulary, 42).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dataset =
        write_synthetic_words(&words, 12_000, Some(&real), &dir.path().join("crops")).unwrap();
    let mut model = new_recognizer(&dataset, 8);
    for (name, value) in [
        ("augmentation.percentage", "50"),
        ("augmentation.rotation_range_deg", "3"),
        ("augmentation.blur", "1"),
        ("augmentation.contrast", "0.2"),
        ("augmentation.brightness", "0.1"),
    ] {
        model.params.set(name, value).unwrap();
    }
    let options = common::options(dir.path().join("crnn.kmodel"));
    let summary = model.train(&dataset, &options).unwrap();
    let report = model.evaluate_ocr(&dataset, Split::Validation, 32).unwrap();
    let r = &report.recognition;
    eprintln!(
        "{} held-out IIIT5K words: case-insensitive {:.4}, exact {:.4}, CER {:.4}; {} epochs in {:.0} s ({:.0} crops/s)",
        r.num_words,
        r.word_accuracy_normalized,
        r.word_accuracy,
        r.character_error_rate,
        summary.epochs,
        summary.seconds,
        summary.images_per_second
    );
    assert!(
        r.word_accuracy_normalized >= 0.38,
        "{}",
        r.word_accuracy_normalized
    );
}
