//! The shipped pretrained models work from the command line on a fresh clone.

mod common;

use common::{fails, ok, repo_root};
use serde_json::Value;

#[test]
fn shipped_compact_model_classifies_fashion_images() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(
        dir,
        &[
            "model",
            "create",
            "--pretrained",
            "compact",
            "--out",
            "c.kmodel",
        ],
    );
    let images = repo_root().join("examples/fashion-mini");
    let images = images.to_string_lossy();
    ok(
        dir,
        &["infer", "--model", "c.kmodel", &images, "--out", "p.json"],
    );
    let predictions: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.join("p.json")).unwrap()).unwrap();
    assert_eq!(predictions.len(), 800);
    let correct = predictions
        .iter()
        .filter(|p| {
            let folder = std::path::Path::new(p["image"].as_str().unwrap())
                .parent()
                .and_then(|d| d.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap();
            p["classes"][0] == folder.as_str()
        })
        .count();
    // The shipped model reaches 0.88 on the Fashion-MNIST test set; these 800 are
    // training images.
    assert!(correct as f64 / 800.0 > 0.85, "{correct} of 800 correct");
}

#[test]
fn shipped_mobilenet_v2_and_unknown_names() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let out = ok(
        dir,
        &[
            "model",
            "create",
            "--pretrained",
            "mobilenet_v2",
            "--out",
            "m.kmodel",
        ],
    );
    assert!(out.contains("1000 classes"), "{out}");
    let err = fails(
        dir,
        &[
            "model",
            "create",
            "--pretrained",
            "vgg99",
            "--out",
            "x.kmodel",
        ],
    );
    assert!(
        err.contains("vgg99") && err.contains("mobilenet_v2"),
        "{err}"
    );
}
