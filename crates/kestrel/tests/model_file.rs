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
