//! Load and shape errors.

mod common;

use std::path::Path;

use kestrel_onnx::{OnnxError, OnnxModel};

/// Asserts `result` is a `Load` error whose path and message name `path`.
fn assert_load_error(result: Result<OnnxModel, OnnxError>, path: &Path) {
    match result {
        Err(e @ OnnxError::Load { .. }) => {
            let OnnxError::Load { path: p, .. } = &e else {
                unreachable!()
            };
            assert_eq!(p, path);
            let text = e.to_string();
            assert!(
                text.contains(&path.display().to_string()),
                "message does not name the file: {text}"
            );
        }
        other => panic!("expected OnnxError::Load, got {other:?}"),
    }
}

#[test]
fn missing_file_is_a_load_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no_such_model.onnx");
    assert_load_error(OnnxModel::load(&path, Some(&[1, 3, 224, 224])), &path);
}

#[test]
fn corrupt_file_is_a_load_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corrupt.onnx");
    std::fs::write(&path, b"this is not a protobuf \xff\xfe\x00\x01 model").unwrap();
    assert_load_error(OnnxModel::load(&path, None), &path);
}

#[test]
fn truncated_model_is_a_load_error_naming_it() {
    let Some(shared) = common::shared() else {
        return;
    };
    let bytes = std::fs::read(shared.join("models/segmentation/selfie_segmentation.onnx")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("truncated.onnx");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    assert_load_error(OnnxModel::load(&path, None), &path);
}

#[test]
fn dynamic_shape_without_input_shape_is_an_error() {
    let Some(shared) = common::shared() else {
        return;
    };
    let path = shared.join("models/imagenet/mobilenet_v2_torchvision.onnx");
    let err = OnnxModel::load(&path, None).unwrap_err();
    assert!(matches!(err, OnnxError::Shape { .. }), "{err:?}");
    assert!(
        err.to_string().contains("mobilenet_v2_torchvision.onnx"),
        "{err}"
    );
}

#[test]
fn wrong_input_shape_or_length_is_a_shape_error() {
    let Some(shared) = common::shared() else {
        return;
    };
    let path = shared.join("models/segmentation/selfie_segmentation.onnx");
    let model = OnnxModel::load(&path, None).unwrap();
    assert_eq!(model.input_shape(), vec![1, 256, 256, 3]);
    let input = vec![0.5f32; 256 * 256 * 3];
    let err = model.run(&input, &[1, 128, 512, 3]).unwrap_err();
    assert!(matches!(err, OnnxError::Shape { .. }), "{err:?}");
    let err = model.run(&input[1..], &[1, 256, 256, 3]).unwrap_err();
    assert!(matches!(err, OnnxError::Shape { .. }), "{err:?}");
}
