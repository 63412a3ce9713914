//! OCR importers on the shared real data (IIIT5K training crops); they run when
//! `KESTREL_SHARED` is set and say that they were skipped otherwise.

use std::path::PathBuf;

use kestrel_data::{ValidateOptions, import_ocr_tags, validate_with};

/// The shared folder, or `None` (after saying so) when `KESTREL_SHARED` is not set.
fn shared() -> Option<PathBuf> {
    let dir = kestrel_data::shared_data_dir();
    if dir.is_none() {
        eprintln!("skipped: KESTREL_SHARED not set");
    }
    dir
}

#[test]
fn iiit5k_train_tags() {
    let Some(shared) = shared() else { return };
    let ds = import_ocr_tags(&shared.join("data/iiit5k-train/train.tags")).unwrap();
    assert_eq!(ds.samples.len(), 2000);
    for s in &ds.samples {
        let word = s.word.as_deref().unwrap();
        assert!(!word.is_empty(), "sample {}: empty word", s.image_id);
        assert!(ds.image_path(s).is_file(), "{}", s.image_file_name);
    }
    assert_eq!(ds.samples[0].image_file_name, "train/1009_2.png");
    assert_eq!(ds.samples[0].word.as_deref(), Some("You"));
    // IIIT5K words are letters and digits; headers read, all images decodable.
    let alphabet: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    let report = validate_with(
        &ds,
        &ValidateOptions {
            alphabet: Some(&alphabet),
        },
    );
    assert!(report.is_ok(), "{report}");
}
