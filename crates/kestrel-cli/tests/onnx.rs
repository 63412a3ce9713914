//! `kestrel export onnx` and `kestrel infer` on the exported file give the predictions of
//! the Kestrel model.

mod common;

use common::{ok, small_dataset};
use serde_json::Value;

fn predictions(dir: &std::path::Path, file: &str) -> Vec<Value> {
    serde_json::from_slice(&std::fs::read(dir.join(file)).unwrap()).unwrap()
}

#[test]
fn exported_onnx_infers_like_the_model() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    small_dataset(dir, 5);
    ok(
        dir,
        &[
            "train",
            "--dataset",
            "dataset.json",
            "--epochs",
            "1",
            "--out",
            "m.kmodel",
        ],
    );
    ok(dir, &["export", "onnx", "m.kmodel", "--out", "m.onnx"]);
    ok(
        dir,
        &["infer", "--model", "m.kmodel", "images", "--out", "a.json"],
    );
    ok(
        dir,
        &["infer", "--model", "m.onnx", "images", "--out", "b.json"],
    );
    let (a, b) = (predictions(dir, "a.json"), predictions(dir, "b.json"));
    assert_eq!(a.len(), 50);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x["image"], y["image"]);
        assert_eq!(x["classes"][0], y["classes"][0]);
        let (cx, cy) = (
            x["confidences"][0].as_f64().unwrap(),
            y["confidences"][0].as_f64().unwrap(),
        );
        assert!((cx - cy).abs() < 1e-4, "{cx} vs {cy}");
    }
    let err = common::fails(dir, &["export", "onnx", "m.kmodel", "--out", "m.onnx"]);
    assert!(err.contains("already exists"), "{err}");
}
