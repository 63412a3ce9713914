//! The model file round-trips exactly and protects existing files.

mod common;

use kestrel::nn::BackboneKind;
use kestrel::{Model, ModelParams};

#[test]
fn saved_models_load_with_identical_predictions_and_params() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = common::fashion_mini();
    let images: Vec<_> = ds
        .samples
        .iter()
        .take(8)
        .map(|s| ds.image_path(s))
        .collect();
    for backbone in [BackboneKind::Compact, BackboneKind::MobileNetV2] {
        let mut params = ModelParams::classification(backbone, ds.class_names.clone());
        params.image_width = 32;
        params.image_height = 32;
        params.image_num_channels = 3;
        let model = Model::new(params).unwrap();
        let path = tmp.path().join(format!("{backbone}.kmodel"));
        model.save(&path, false).unwrap();
        let loaded = Model::load(&path).unwrap();
        assert_eq!(loaded.params, model.params);
        let a = model.classify(&images, 4, 0).unwrap();
        let b = loaded.classify(&images, 4, 0).unwrap();
        assert_eq!(a, b, "{backbone}: predictions differ after a round trip");
        let err = model.save(&path, false).unwrap_err().to_string();
        assert!(err.contains("already exists"), "{err}");
    }
}

#[test]
fn every_backbone_builds_and_classifies() {
    let ds = common::fashion_mini();
    let images: Vec<_> = ds
        .samples
        .iter()
        .take(2)
        .map(|s| ds.image_path(s))
        .collect();
    for backbone in BackboneKind::ALL {
        let mut params = ModelParams::classification(backbone, ds.class_names.clone());
        params.image_width = 64;
        params.image_height = 64;
        let model = Model::new(params).unwrap();
        let out = model.classify(&images, 2, 3).unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].classes.len(), 3, "{backbone}: top-3");
    }
}

/// The model file at `path` rewritten with `edit` applied to its metadata and to the values
/// of its tensors (name, values).
fn rewritten(
    path: &std::path::Path,
    out: &std::path::Path,
    edit_meta: impl Fn(&mut std::collections::HashMap<String, String>),
    edit_values: impl Fn(&str, &mut Vec<f32>),
) {
    let bytes = std::fs::read(path).unwrap();
    let (_, meta) = safetensors::SafeTensors::read_metadata(&bytes).unwrap();
    let mut metadata = meta.metadata().clone().unwrap_or_default();
    edit_meta(&mut metadata);
    let tensors = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let mut owned = Vec::new();
    for (name, view) in tensors.tensors() {
        let mut values: Vec<f32> = view
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        edit_values(&name, &mut values);
        let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        owned.push((name, view.shape().to_vec(), data));
    }
    let views: Vec<(String, safetensors::tensor::TensorView<'_>)> = owned
        .iter()
        .map(|(name, shape, data)| {
            let view =
                safetensors::tensor::TensorView::new(safetensors::Dtype::F32, shape.clone(), data)
                    .unwrap();
            (name.clone(), view)
        })
        .collect();
    safetensors::serialize_to_file(views, Some(metadata), out).unwrap();
}

#[test]
fn models_from_a_newer_format_or_with_broken_weights_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = common::fashion_mini();
    let model = Model::new(ModelParams::classification(
        BackboneKind::Compact,
        ds.class_names.clone(),
    ))
    .unwrap();
    let path = tmp.path().join("m.kmodel");
    model.save(&path, false).unwrap();

    let same = tmp.path().join("same.kmodel");
    rewritten(&path, &same, |_| {}, |_, _| {});
    assert!(Model::load(&same).is_ok(), "an unchanged rewrite loads");

    let newer = tmp.path().join("newer.kmodel");
    rewritten(
        &path,
        &newer,
        |m| {
            m.insert("format_version".into(), "99".into());
        },
        |_, _| {},
    );
    let err = Model::load(&newer).unwrap_err().to_string();
    assert!(
        err.contains("newer.kmodel") && err.contains("version 99"),
        "{err}"
    );

    let broken = tmp.path().join("nan.kmodel");
    rewritten(
        &path,
        &broken,
        |_| {},
        |name, values| {
            if name.ends_with("weight") {
                values[0] = f32::NAN;
            }
        },
    );
    let err = Model::load(&broken).unwrap_err().to_string();
    assert!(
        err.contains("nan.kmodel") && err.contains("not numbers"),
        "{err}"
    );
}
