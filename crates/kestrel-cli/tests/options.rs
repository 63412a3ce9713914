//! Options and parameters that do not fit the model are refused, not ignored: picture and
//! `--top-k` options of other methods, backbone options without `--pretrained`, `model set`
//! values its weights do not fit, and a dataset of other classes given to `evaluate`.

mod common;

use common::{fails, ok, trained_model};

#[test]
fn options_of_other_methods_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    trained_model(dir);
    let image = "images/Bag";
    for option in ["--heat-maps", "--label-images", "--overlays"] {
        let err = fails(
            dir,
            &[
                "infer", "--model", "m.kmodel", image, "--out", "r.json", option, "pics",
            ],
        );
        assert!(
            err.contains(&format!("{option} does not apply")) && err.contains("no pictures"),
            "{err}"
        );
    }
    assert!(!dir.join("pics").exists() && !dir.join("r.json").exists());
    ok(
        dir,
        &[
            "infer", "--model", "m.kmodel", image, "--out", "r.json", "--top-k", "2",
        ],
    );
    for option in ["--freeze-backbone", "--backbone-lr-factor=0.1"] {
        let err = fails(
            dir,
            &[
                "train",
                "--dataset",
                "dataset.json",
                "--epochs",
                "1",
                "--out",
                "n.kmodel",
                option,
            ],
        );
        assert!(err.contains("apply with --pretrained"), "{err}");
    }
}

#[test]
fn model_set_refuses_what_the_weights_do_not_fit_and_sets_what_belongs_together() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    trained_model(dir);
    let set = |assignments: &[&str]| {
        let mut args = vec!["model", "set", "m.kmodel"];
        args.extend(assignments);
        args.extend(["--out", "s.kmodel", "--force"]);
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let refused = |assignments: &[&str]| {
        let args = set(assignments);
        fails(dir, &args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    for structural in [
        "backbone=resnet18",
        "image_num_channels=3",
        "model_type=object_detection",
        "class_names=[\"a\",\"b\"]",
    ] {
        let err = refused(&[structural]);
        assert!(err.contains("error:"), "{structural}: {err}");
        assert!(!dir.join("s.kmodel").exists(), "{structural} wrote a model");
    }
    let err = refused(&["image_mean=[0.5]"]);
    assert!(err.contains("image_std"), "{err}");
    let args = set(&["image_mean=[0.5]", "image_std=[0.25]"]);
    ok(dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    let info = ok(dir, &["model", "info", "s.kmodel"]);
    assert!(info.contains("0.25"), "{info}");
    // Renaming the classes keeps their number, so the weights fit.
    let names: Vec<String> = (0..10).map(|i| format!("\"c{i}\"")).collect();
    let rename = format!("class_names=[{}]", names.join(","));
    let args = set(&[rename.as_str()]);
    ok(dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    let info = ok(dir, &["model", "info", "s.kmodel"]);
    assert!(info.contains("c9"), "{info}");
}

#[test]
fn evaluate_refuses_a_dataset_of_other_classes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    trained_model(dir);
    std::fs::rename(dir.join("images/Bag"), dir.join("images/Handbag")).unwrap();
    ok(
        dir,
        &[
            "dataset",
            "import",
            "--format",
            "folder",
            "--src",
            "images",
            "--out",
            "other.json",
        ],
    );
    ok(dir, &["dataset", "split", "other.json"]);
    let err = fails(
        dir,
        &[
            "evaluate",
            "--model",
            "m.kmodel",
            "--dataset",
            "other.json",
            "--out",
            "e.json",
        ],
    );
    assert!(err.contains("Handbag") && err.contains("not the"), "{err}");
    assert!(!dir.join("e.json").exists());
}
