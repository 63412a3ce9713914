//! `kestrel dataset synth-words` and a deep-OCR recogniser trained from scratch on its
//! crops, through the command line.

mod common;

use common::{fails, ok, small_image_folder};

#[test]
fn synthetic_words_make_a_dataset_a_new_recogniser_trains_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_image_folder(d, 2);
    let args = |n: &str, out: &str| {
        vec![
            "dataset",
            "synth-words",
            "--backgrounds",
            "images",
            "--num-words",
            n,
        ]
        .into_iter()
        .chain(["--out", out])
        .map(String::from)
        .collect::<Vec<_>>()
    };
    let run = |a: &[String]| ok(d, &a.iter().map(String::as_str).collect::<Vec<_>>());
    let stdout = run(&args("24", "a.json"));
    assert!(stdout.contains("24 synthetic word crops"), "{stdout}");
    assert_eq!(std::fs::read_dir(d.join("a_images")).unwrap().count(), 24);
    let a: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("a.json")).unwrap()).unwrap();
    let words: Vec<&str> = a["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s["split"], "train");
            s["word"].as_str().unwrap()
        })
        .collect();
    assert_eq!(words.len(), 24);

    // An existing dataset file is not replaced without --force.
    let again: Vec<String> = args("24", "a.json");
    let err = fails(d, &again.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(err.contains("already exists"), "{err}");

    // With --base, the base's samples come along (their image paths still valid).
    let mut with_base = args("8", "b.json");
    with_base.extend(["--base", "a.json", "--seed", "9"].map(String::from));
    run(&with_base);
    let stdout = ok(d, &["dataset", "validate", "b.json"]);
    assert!(stdout.contains("32 samples, no problems"), "{stdout}");

    // A folder without pictures is named.
    std::fs::create_dir(d.join("empty")).unwrap();
    let err = fails(
        d,
        &[
            "dataset",
            "synth-words",
            "--backgrounds",
            "empty",
            "--num-words",
            "3",
            "--out",
            "c.json",
        ],
    );
    assert!(err.contains("no background images in empty"), "{err}");

    // A new recogniser (no --pretrained) trains on the crops and reads a crop.
    ok(
        d,
        &[
            "train",
            "--model-type",
            "deep-ocr",
            "--dataset",
            "b.json",
            "--epochs",
            "1",
            "--out",
            "m.kmodel",
        ],
    );
    ok(
        d,
        &[
            "ocr",
            "--model",
            "m.kmodel",
            "--mode",
            "recognition",
            "a_images/0000000.png",
            "--out",
            "r.json",
        ],
    );
    let read: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("r.json")).unwrap()).unwrap();
    assert!(read.to_string().contains("0000000.png"), "{read}");
}
