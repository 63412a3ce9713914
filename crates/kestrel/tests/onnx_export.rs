//! Kestrel classifiers exported to ONNX and read back through the ONNX path (tract) give
//! the same logits as Kestrel's own engine, within 1e-4.

mod common;

use burn::tensor::{Tensor, TensorData};
use kestrel::nn::BackboneKind;
use kestrel::onnx::{OnnxClassifier, export_onnx};
use kestrel::pretrained::shipped_model_path;
use kestrel::train::train;
use kestrel::{Model, ModelParams};
use kestrel_image::{load_resized, normalize_chw};
use std::path::Path;

/// Kestrel's and the exported ONNX model's logits for `image`: the largest difference,
/// relative to max(1, |logit|).
fn max_difference(model: &Model, onnx_path: &Path, image: &Path) -> f32 {
    let pre = model.params.preprocess();
    let input = normalize_chw(&load_resized(image, &pre).unwrap(), &pre.normalization);
    let shape = [
        1,
        pre.num_channels as usize,
        pre.height as usize,
        pre.width as usize,
    ];
    let (_, net) = model.classifier().expect("a classifier");
    let device = kestrel::device::devices_of(net);
    let ours: Vec<f32> = net
        .forward(Tensor::<4>::from_data(
            TensorData::new(input.clone(), shape),
            &device,
        ))
        .into_data()
        .convert::<f32>()
        .try_into_vec()
        .unwrap();
    let onnx = OnnxClassifier::load(onnx_path, None).unwrap();
    assert_eq!(
        onnx.params, model.params,
        "parameters travel in the ONNX metadata"
    );
    let theirs = onnx.logits(&input).unwrap();
    assert_eq!(ours.len(), theirs.len());
    ours.iter()
        .zip(&theirs)
        .map(|(a, b)| (a - b).abs() / a.abs().max(1.0))
        .fold(0.0, f32::max)
}

#[test]
fn exported_imagenet_mobilenet_v2_matches_kestrel() {
    let tmp = tempfile::tempdir().unwrap();
    let model = Model::load(&shipped_model_path("mobilenet_v2").unwrap()).unwrap();
    let path = tmp.path().join("mobilenet_v2.onnx");
    export_onnx(&model, &path, false).unwrap();
    let image =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/fashion-mini/Bag/bag_001.png");
    let diff = max_difference(&model, &path, &image);
    assert!(diff < 1e-4, "largest logit difference {diff}");
    let err = export_onnx(&model, &path, false).unwrap_err().to_string();
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn exported_trained_compact_and_resnet18_match_kestrel() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = common::fashion_mini();
    let image = ds.image_path(&ds.samples[0]);
    // Compact, trained one epoch so its batch norms hold real statistics.
    let mut params = ModelParams::classification(BackboneKind::Compact, ds.class_names.clone());
    params.epochs = 1;
    let mut compact = Model::new(params).unwrap();
    train(
        &mut compact,
        &ds,
        &common::options(tmp.path().join("c.kmodel")),
    )
    .unwrap();
    let path = tmp.path().join("compact.onnx");
    export_onnx(&compact, &path, false).unwrap();
    let diff = max_difference(&compact, &path, &image);
    assert!(diff < 1e-4, "compact: largest logit difference {diff}");

    // ResNet-18 (residual blocks with projection shortcuts), fresh weights, small input.
    let mut params = ModelParams::classification(BackboneKind::ResNet18, ds.class_names.clone());
    params.image_width = 64;
    params.image_height = 64;
    let resnet = Model::new(params).unwrap();
    let path = tmp.path().join("resnet18.onnx");
    export_onnx(&resnet, &path, false).unwrap();
    let diff = max_difference(&resnet, &path, &image);
    assert!(diff < 1e-4, "resnet18: largest logit difference {diff}");
}
