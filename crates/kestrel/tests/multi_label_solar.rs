//! Multi-label classification on solar-panel COCO (each image labelled with the fault
//! classes its polygons carry): a frozen pretrained MobileNetV2 with a new sigmoid head
//! beats the training-frequency baseline in mean AP and macro F1 on the test split.

mod common;

use kestrel::data::{
    Dataset, Split, SplitSpec, import_coco_multilabel, import_coco_split_folders, split,
};
use kestrel::multi_label::MultiLabelParams;
use kestrel::nn::BackboneKind;
use kestrel::pretrained::{TransferOptions, shipped_model_path, transfer_model};
use kestrel::train::train;
use kestrel::{Model, ModelParams};
use std::path::Path;

/// The train folder split 85/15 into train/validation, the test folder as test.
fn solar_panels(root: &Path) -> Dataset {
    let mut dataset = import_coco_split_folders(root, import_coco_multilabel).unwrap();
    let spec = SplitSpec {
        train: 85.0,
        validation: 15.0,
        test: 0.0,
        seed: 42,
    };
    split(&mut dataset, &spec, true).unwrap();
    dataset
}

#[test]
fn frozen_mobilenet_beats_the_frequency_baseline_on_solar_panels() {
    let Some(shared) = common::shared() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dataset = solar_panels(&shared.join("data/solar-panel-coco"));
    assert_eq!(dataset.samples_in(Split::Test).len(), 221);

    let pretrained = Model::load(&shipped_model_path("mobilenet_v2").unwrap()).unwrap();
    let mut params = ModelParams::multi_label_classification(
        BackboneKind::MobileNetV2,
        dataset.class_names.clone(),
    );
    params.class_ids = dataset.class_ids.clone();
    params.epochs = 12;
    params.batch_size = 16;
    params.learning_rate = 1e-3;
    params.set("weight_rare_classes", "true").unwrap();
    let options = TransferOptions {
        freeze_backbone: true,
        backbone_learning_rate_factor: 0.0,
    };
    let mut model = transfer_model(pretrained, params, options).unwrap();
    let out = tmp.path().join("solar.kmodel");
    let summary = train(&mut model, &dataset, &common::options(out.clone())).unwrap();
    eprintln!("trained in {:.1}s", summary.seconds);

    let model = Model::load(summary.best_model.as_ref().unwrap()).unwrap();
    let thresholds = model
        .params
        .section::<MultiLabelParams>()
        .unwrap()
        .min_confidence
        .expect("chosen on validation");
    assert_eq!(thresholds.len(), dataset.class_names.len());
    let report = model
        .evaluate_multi_label(&dataset, Split::Test, 32)
        .unwrap();
    let m = &report.measures;
    let b = &report.frequency_baseline;
    eprintln!(
        "mean AP {:.4} (baseline {:.4}), macro F1 {:.4} (baseline {:.4}), micro F1 {:.4}, exact {:.4}, hamming {:.4}",
        m.mean_average_precision.unwrap(),
        b.mean_average_precision.unwrap(),
        m.macro_f1,
        b.macro_f1,
        m.micro_f1,
        m.exact_match_ratio,
        m.hamming_loss
    );
    for c in &m.per_class {
        eprintln!(
            "  {:<20} AP {:.4} P {:.4} R {:.4} F1 {:.4} support {}",
            c.class_name,
            c.average_precision.unwrap_or(f64::NAN),
            c.precision,
            c.recall,
            c.f1,
            c.support
        );
    }
    assert!(m.mean_average_precision.unwrap() > b.mean_average_precision.unwrap() + 0.2);
    assert!(m.macro_f1 > b.macro_f1 + 0.1);

    // Inference reports the same classes as the evaluation.
    let first = &report.images[0];
    let found = model
        .label_images(std::slice::from_ref(&first.image), 1)
        .unwrap();
    let mut classes = found[0].classes.clone();
    classes.sort();
    let mut predicted = first.predicted.clone();
    predicted.sort();
    assert_eq!(classes, predicted);
}
