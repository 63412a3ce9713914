//! Semantic segmentation and edge extraction on magnetic tile (5 defect classes +
//! background, split 70/15/15 stratified by defect type, seed 42): a frozen pretrained
//! MobileNetV2 encoder with a feature-pyramid decoder, trained briefly (the full-length runs
//! are in `docs/RESULTS.md`).

mod common;

use kestrel::data::{
    Dataset, Split, SplitSpec, edges_from_segmentation, import_magnetic_tile_segmentation, split,
};
use kestrel::nn::BackboneKind;
use kestrel::pretrained::{TransferOptions, shipped_model_path, transfer_model};
use kestrel::train::train;
use kestrel::{Model, ModelParams};
use std::path::{Path, PathBuf};

/// Epochs of the short runs.
const EPOCHS: usize = 4;

/// Test mean IoU the short segmentation run must reach (it measured 0.479).
const MIN_MEAN_IOU: f64 = 0.42;

/// Test edge F1 (2 px tolerance) the short edge run must reach (it measured 0.420).
const MIN_EDGE_F1: f64 = 0.35;

/// The magnetic-tile segmentation dataset, label images written under `tmp`, split.
fn magnetic_tile(shared: &Path, tmp: &Path) -> Dataset {
    let mut dataset =
        import_magnetic_tile_segmentation(&shared.join("data/magnetic-tile"), &tmp.join("labels"))
            .unwrap();
    let spec = SplitSpec {
        train: 70.0,
        validation: 15.0,
        test: 15.0,
        seed: 42,
    };
    split(&mut dataset, &spec, false).unwrap();
    dataset
}

/// `params` on the shipped MobileNetV2 with a frozen encoder, trained on `dataset`; the
/// best model read back.
fn trained(mut params: ModelParams, dataset: &Dataset, out: PathBuf) -> Model {
    params.class_ids = dataset.class_ids.clone();
    params.epochs = EPOCHS;
    params.learning_rate = 0.002;
    let pretrained = Model::load(&shipped_model_path("mobilenet_v2").unwrap()).unwrap();
    let options = TransferOptions {
        freeze_backbone: true,
        backbone_learning_rate_factor: 0.0,
    };
    let mut model = transfer_model(pretrained, params, options).unwrap();
    let summary = train(&mut model, dataset, &common::options(out)).unwrap();
    eprintln!("trained in {:.1}s", summary.seconds);
    Model::load(summary.best_model.as_ref().unwrap()).unwrap()
}

#[test]
fn decoder_on_pretrained_encoder_segments_magnetic_tile_defects() {
    let Some(shared) = common::shared() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dataset = magnetic_tile(&shared, tmp.path());
    let params = ModelParams::segmentation(BackboneKind::MobileNetV2, dataset.class_names.clone());
    let model = trained(params, &dataset, tmp.path().join("seg.kmodel"));
    let report = model
        .evaluate_segmentation(&dataset, Split::Test, 8)
        .unwrap();
    let m = &report.measures;
    eprintln!(
        "mean IoU {:.4}, pixel accuracy {:.4}, per class {:?}",
        m.mean_iou,
        m.pixel_accuracy,
        m.per_class
            .iter()
            .map(|c| (c.class_name.clone(), c.iou))
            .collect::<Vec<_>>()
    );
    assert_eq!(report.num_images, 201);
    assert!(m.mean_iou >= MIN_MEAN_IOU, "mean IoU {}", m.mean_iou);
    assert!(m.pixel_accuracy > 0.95);
    let written = report.write(&tmp.path().join("eval.json"), &model).unwrap();
    assert!(written.iter().all(|p| p.exists()));

    // Inference gives the same labels as the evaluation for a test image.
    let worst = &report.images[0];
    let segmented = model
        .segment(std::slice::from_ref(&worst.image), 1)
        .unwrap();
    assert_eq!(segmented[0].labels.data.len(), 224 * 224);
}

#[test]
fn edge_extraction_finds_defect_borders() {
    let Some(shared) = common::shared() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let segmentation = magnetic_tile(&shared, tmp.path());
    let edges = edges_from_segmentation(&segmentation, &tmp.path().join("edges")).unwrap();
    let params = ModelParams::edge_extraction(BackboneKind::MobileNetV2);
    let model = trained(params, &edges, tmp.path().join("edges.kmodel"));
    let report = model.evaluate_segmentation(&edges, Split::Test, 8).unwrap();
    let edge = report
        .edge_f1
        .clone()
        .expect("edge extraction reports edge F1");
    eprintln!(
        "edge F1 {:.4} (precision {:.4}, recall {:.4}), mean IoU {:.4}",
        edge.f1, edge.precision, edge.recall, report.measures.mean_iou
    );
    assert!(edge.f1 >= MIN_EDGE_F1, "edge F1 {}", edge.f1);
}
