//! Instance segmentation and rotated boxes on the solar-panel COCO export (polygons; its
//! own `test` folder, 15 % of `train` held out for validation, seed 42): the FCOS-style
//! detector on the shipped MobileNetV2, frozen, trained briefly (the full-length runs are
//! in `docs/RESULTS.md`). Long recipes, outside the default test run (see the README):
//! `KESTREL_SHARED=../shared cargo test --release -p kestrel --test detection_solar -- --ignored`.

mod common;

use kestrel::data::{
    Dataset, Split, SplitSpec, import_coco_detection, import_coco_split_folders,
    rotated_from_polygons, split,
};
use kestrel::nn::BackboneKind;
use kestrel::pretrained::{TransferOptions, shipped_model_path, transfer_model};
use kestrel::train::train;
use kestrel::{Model, ModelParams};
use std::path::Path;

/// Epochs of the short runs.
const EPOCHS: usize = 5;

// Solar-panel detection is hard for this short, frozen run (see `docs/RESULTS.md`: most
// test objects are small bird drops, a class with 23 training images), so these bounds only
// show that the run learned: a head trained one epoch on 24 images scores 0.000 on all three.

/// Test mask AP50 the short instance-segmentation run must reach (it measured 0.011).
const MIN_MASK_AP50: f64 = 0.005;

/// Test box AP50 of the same run (it measured 0.022).
const MIN_BOX_AP50: f64 = 0.01;

/// Test rotated-box AP50 the short rotated run must reach (it measured 0.0073).
const MIN_ROTATED_AP50: f64 = 0.003;

/// The solar-panel dataset with its test folder kept and a validation part.
fn solar(shared: &Path) -> Dataset {
    let mut dataset =
        import_coco_split_folders(&shared.join("data/solar-panel-coco"), import_coco_detection)
            .unwrap();
    let spec = SplitSpec {
        train: 85.0,
        validation: 15.0,
        test: 0.0,
        seed: 42,
    };
    split(&mut dataset, &spec, true).unwrap();
    dataset
}

/// A detection model of `instance_type` trained on `dataset`; the best one read back.
fn trained(dataset: &Dataset, instance_type: &str, out: &Path) -> Model {
    let mut params = ModelParams::detection(BackboneKind::MobileNetV2, dataset.class_names.clone());
    params.class_ids = dataset.class_ids.clone();
    params.image_width = 256;
    params.image_height = 256;
    params.epochs = EPOCHS;
    params.set("capacity", "low").unwrap();
    params.set("instance_type", instance_type).unwrap();
    params.set("ignore_direction", "true").unwrap();
    let pretrained = Model::load(&shipped_model_path("mobilenet_v2").unwrap()).unwrap();
    let options = TransferOptions {
        freeze_backbone: true,
        backbone_learning_rate_factor: 0.0,
    };
    let mut model = transfer_model(pretrained, params, options).unwrap();
    let summary = train(&mut model, dataset, &common::options(out.to_path_buf())).unwrap();
    eprintln!("{instance_type}: trained in {:.1}s", summary.seconds);
    Model::load(summary.best_model.as_ref().unwrap()).unwrap()
}

#[test]
#[ignore = "long recipe (about 2 min on 2 cores, both tests 4.5 min): run with --ignored"]
fn instance_masks_on_solar_panels() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dataset = solar(&shared);
    let tmp = tempfile::tempdir().unwrap();
    let model = trained(&dataset, "mask", &tmp.path().join("mask.kmodel"));
    let report = model.evaluate_detection(&dataset, Split::Test, 16).unwrap();
    assert_eq!(report.num_images, 221);
    assert_eq!(report.num_objects, 836);
    let masks = report.masks.as_ref().unwrap();
    eprintln!(
        "solar test: box AP {:?} AP50 {:?}; mask AP {:?} AP50 {:?}",
        report.boxes.ap, report.boxes.ap50, masks.ap, masks.ap50
    );
    let (box_ap50, mask_ap50) = (report.boxes.ap50.unwrap(), masks.ap50.unwrap());
    assert!(
        box_ap50 >= MIN_BOX_AP50,
        "box AP50 {box_ap50:.4} < {MIN_BOX_AP50}"
    );
    assert!(
        mask_ap50 >= MIN_MASK_AP50,
        "mask AP50 {mask_ap50:.4} < {MIN_MASK_AP50}"
    );
}

#[test]
#[ignore = "long recipe (about 2 min on 2 cores, both tests 4.5 min): run with --ignored"]
fn rotated_boxes_on_solar_panels() {
    let Some(shared) = common::shared() else {
        return;
    };
    let mut dataset = solar(&shared);
    assert_eq!(rotated_from_polygons(&mut dataset).unwrap(), 2440);
    let tmp = tempfile::tempdir().unwrap();
    let model = trained(&dataset, "rectangle2", &tmp.path().join("rot.kmodel"));
    let report = model.evaluate_detection(&dataset, Split::Test, 16).unwrap();
    assert_eq!(report.boxes.iou_type, kestrel::metrics::IouType::Rotated);
    eprintln!(
        "solar test, rotated boxes: AP {:?} AP50 {:?}",
        report.boxes.ap, report.boxes.ap50
    );
    let ap50 = report.boxes.ap50.unwrap();
    assert!(
        ap50 >= MIN_ROTATED_AP50,
        "rotated AP50 {ap50:.4} < {MIN_ROTATED_AP50}"
    );
}
