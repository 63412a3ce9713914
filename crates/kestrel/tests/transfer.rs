//! Transfer learning from the shipped ImageNet MobileNetV2: a new head for the dataset's
//! classes, the backbone kept (and, when frozen, left exactly as it was).

mod common;

use kestrel::pretrained::{TransferOptions, shipped_model_path, transfer_model};
use kestrel::train::train;
use kestrel::{Model, ModelParams};

#[test]
fn frozen_backbone_stays_fixed_while_the_new_head_learns() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ds = common::fashion_mini();
    // Keep the run short: 3 images per class for training and validation.
    let mut seen = std::collections::HashMap::new();
    ds.samples.retain(|s| {
        let n = seen.entry((s.image_label_id, s.split)).or_insert(0);
        *n += 1;
        *n <= 3
    });
    let pretrained = Model::load(&shipped_model_path("mobilenet_v2").unwrap()).unwrap();
    let before = pretrained.network.tensors();

    let mut params = ModelParams::classification(
        pretrained.params.backbone_kind().unwrap(),
        ds.class_names.clone(),
    );
    params.class_ids = ds.class_ids.clone();
    params.image_width = 64;
    params.image_height = 64;
    params.epochs = 2;
    params.batch_size = 10;
    let options = TransferOptions {
        freeze_backbone: true,
        backbone_learning_rate_factor: 1.0,
    };
    let mut model = transfer_model(pretrained, params, options).unwrap();
    assert_eq!(model.params.image_num_channels, 3);
    assert_eq!(model.params.image_mean, Some(vec![0.485, 0.456, 0.406]));
    let head_before = model.network.tensors()["Classification.fc.weight"].clone();
    assert_eq!(
        head_before.shape,
        vec![1280, 10],
        "a new head for the 10 classes"
    );

    train(
        &mut model,
        &ds,
        &common::options(tmp.path().join("t.kmodel")),
    )
    .unwrap();
    let after = model.network.tensors();
    let mut compared = 0;
    for (name, tensor) in &before {
        if name.contains(".backbone.") {
            assert_eq!(&after[name], tensor, "{name} changed although frozen");
            compared += 1;
        }
    }
    assert!(compared > 250, "backbone tensors compared: {compared}");
    assert_ne!(
        after["Classification.fc.weight"], head_before,
        "the head trained"
    );
}
