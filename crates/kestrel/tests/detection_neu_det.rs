//! Object detection on NEU-DET (VOC boxes, 6 defect classes; split 70/15/15 stratified by
//! the classes in each image, seed 42): the FCOS-style detector on the shipped MobileNetV2,
//! frozen, trained briefly (the full-length run is in `docs/RESULTS.md`).

mod common;

use kestrel::data::{Split, SplitSpec, import_voc, split};
use kestrel::nn::BackboneKind;
use kestrel::pretrained::{TransferOptions, shipped_model_path, transfer_model};
use kestrel::train::train;
use kestrel::{Model, ModelParams};

/// Epochs of the short run.
const EPOCHS: usize = 4;

/// Test box AP50 the short run must reach (it measured 0.411).
const MIN_AP50: f64 = 0.33;

#[test]
fn fcos_on_pretrained_backbone_finds_neu_det_defects() {
    let Some(shared) = common::shared() else {
        return;
    };
    let root = shared.join("data/neu-det");
    let mut dataset = import_voc(&root.join("ANNOTATIONS"), &root.join("IMAGES")).unwrap();
    assert_eq!(dataset.samples.len(), 1770);
    let spec = SplitSpec {
        train: 70.0,
        validation: 15.0,
        test: 15.0,
        seed: 42,
    };
    split(&mut dataset, &spec, false).unwrap();

    let mut params = ModelParams::detection(BackboneKind::MobileNetV2, dataset.class_names.clone());
    params.class_ids = dataset.class_ids.clone();
    params.image_width = 224;
    params.image_height = 224;
    params.set("capacity", "low").unwrap();
    params.epochs = EPOCHS;
    let pretrained = Model::load(&shipped_model_path("mobilenet_v2").unwrap()).unwrap();
    let options = TransferOptions {
        freeze_backbone: true,
        backbone_learning_rate_factor: 0.0,
    };
    let mut model = transfer_model(pretrained, params, options).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let summary = train(
        &mut model,
        &dataset,
        &common::options(tmp.path().join("neu.kmodel")),
    )
    .unwrap();
    eprintln!("trained in {:.1}s", summary.seconds);
    let best = Model::load(summary.best_model.as_ref().unwrap()).unwrap();

    let report = best.evaluate_detection(&dataset, Split::Test, 16).unwrap();
    let e = &report.boxes;
    eprintln!(
        "NEU-DET test: AP {:?}, AP50 {:?}, AP75 {:?}, per class {:?}",
        e.ap,
        e.ap50,
        e.ap75,
        e.per_class
            .iter()
            .map(|c| (c.name.clone(), c.ap50))
            .collect::<Vec<_>>()
    );
    assert_eq!(report.num_images, 264);
    let ap50 = e.ap50.unwrap();
    assert!(ap50 >= MIN_AP50, "test AP50 {ap50:.4} < {MIN_AP50}");

    // Inference on the files gives the evaluated objects, in the images' pixels.
    let first = dataset.samples_in(Split::Test)[0];
    let found = best.detect(&[dataset.image_path(first)], 1).unwrap();
    assert_eq!((found[0].width, found[0].height), (200, 200));
    for o in &found[0].objects {
        assert!(o.confidence >= 0.5);
        assert!(o.bbox_col1 >= 0.0 && o.bbox_col2 <= 200.0 && o.bbox_col1 < o.bbox_col2);
    }
}
