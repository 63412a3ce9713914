//! `validate` and `validate_with` on OCR datasets: words, alphabet, word boxes.

mod common;

use common::write_png;
use kestrel_data::{
    DONT_CARE_TEXT, Dataset, Problem, RotatedBox, Sample, ValidateOptions, ValidationReport,
    WordAnnotation, validate, validate_with,
};

/// The messages of sample `index`'s problems with `field`.
fn of(r: &ValidationReport, index: usize, field: &str) -> Vec<String> {
    r.problems
        .iter()
        .filter(|p: &&Problem| p.sample_index == Some(index) && p.field == field)
        .map(|p| p.message.clone())
        .collect()
}

fn crop(id: u64, word: Option<&str>) -> Sample {
    Sample {
        image_id: id,
        image_file_name: "c.png".into(),
        word: word.map(String::from),
        ..Default::default()
    }
}

#[test]
fn recognition_words_and_alphabet() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("c.png"), 30, 10);
    let ds = Dataset {
        image_dir: ".".into(),
        samples: vec![
            crop(0, Some("Kestrel 7")),
            crop(1, Some("")),
            crop(2, Some("  ")),
            crop(3, Some("Zoë?ë")),
            crop(4, None),
        ],
        base_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    let report = validate(&ds);
    assert!(of(&report, 0, "word").is_empty(), "{report}");
    assert_eq!(of(&report, 1, "word"), ["empty word"]);
    assert!(of(&report, 2, "word")[0].contains("only white space"));
    assert!(of(&report, 3, "word").is_empty(), "{report}");
    assert_eq!(
        of(&report, 4, "word"),
        ["missing label: other samples have a word"]
    );
    assert_eq!(report.problems.len(), 3, "{report}");

    let alphabet: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    let options = ValidateOptions {
        alphabet: Some(&alphabet),
    };
    let report = validate_with(&ds, &options);
    assert_eq!(
        of(&report, 0, "word"),
        ["word \"Kestrel 7\" has characters not in the alphabet: ' '"]
    );
    assert_eq!(
        of(&report, 3, "word"),
        ["word \"Zoë?ë\" has characters not in the alphabet: 'ë', '?'"]
    );
    // The empty words are reported once, as empty.
    assert_eq!(of(&report, 1, "word"), ["empty word"]);
    assert_eq!(report.problems.len(), 5, "{report}");
}

fn word(col: f64, text: &str, dont_care: bool) -> WordAnnotation {
    WordAnnotation {
        label_id: 0,
        rect: RotatedBox {
            row: 5.0,
            col,
            phi: 0.0,
            length1: 4.0,
            length2: 2.0,
        },
        text: text.into(),
        dont_care,
    }
}

#[test]
fn detection_words_boxes_and_lengths() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("i.png"), 40, 10);
    let sample = |id: u64, words: &[WordAnnotation]| {
        let mut s = Sample {
            image_id: id,
            image_file_name: "i.png".into(),
            ..Default::default()
        };
        s.set_word_boxes(words);
        s
    };
    let s0 = sample(
        0,
        &[
            word(10.0, "ok", false),
            word(20.0, "", false),
            word(30.0, DONT_CARE_TEXT, true),
            word(30.0, "", true),
            // Centre far outside the 40 x 10 image.
            word(60.0, "out", false),
        ],
    );
    let mut s1 = sample(1, &[word(10.0, "a", false), word(20.0, "b", false)]);
    s1.words = Some(vec!["a".into()]);
    s1.words_dont_care = Some(vec![false, false, true]);
    let s2 = Sample {
        image_id: 2,
        image_file_name: "i.png".into(),
        words_dont_care: Some(vec![]),
        ..Default::default()
    };
    let mut s3 = sample(3, &[word(10.0, "a", false)]);
    s3.words = None;
    let ds = Dataset {
        class_names: vec!["word".into()],
        class_ids: vec![0],
        image_dir: ".".into(),
        samples: vec![s0, s1, s2, s3],
        base_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    let alphabet: Vec<char> = ('a'..='z').collect();
    let report = validate_with(
        &ds,
        &ValidateOptions {
            alphabet: Some(&alphabet),
        },
    );
    // Don't-care words are neither empty nor outside the alphabet.
    assert_eq!(of(&report, 0, "words"), ["object 1: empty word"]);
    assert_eq!(of(&report, 0, "bbox_col").len(), 1, "{report}");
    assert!(of(&report, 0, "bbox_col")[0].starts_with("object 4: rotated box centre"));
    assert_eq!(
        of(&report, 1, "words"),
        ["1 entries but bbox_label_id has 2"]
    );
    assert_eq!(
        of(&report, 1, "words_dont_care"),
        ["3 entries but bbox_label_id has 2"]
    );
    assert_eq!(
        of(&report, 2, "bbox_label_id"),
        [
            "missing, but words_dont_care is set (objects need their class ids)",
            "missing label: other samples have a bbox_label_id"
        ]
    );
    assert_eq!(
        of(&report, 2, "words"),
        ["missing label: other samples have a words"]
    );
    assert_eq!(
        of(&report, 3, "words"),
        ["missing label: other samples have a words"]
    );
    assert_eq!(report.problems.len(), 8, "{report}");
}
