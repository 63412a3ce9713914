//! Anomaly detection on magnetic-tile with the fixed split (666 defect-free training
//! images; 286 defect-free + 392 defective test images with masks): a memory bank of
//! pretrained MobileNetV2 patch features beats 0.90 image AUROC (the PyTorch PatchCore-style
//! reference in `../shared/README.md` reached 0.860), and the pixel measures are sound.

mod common;

use kestrel::anomaly::AnomalyParams;
use kestrel::data::{AnomalyLabel, Dataset, Split, import_magnetic_tile_anomaly};
use kestrel::nn::BackboneKind;
use kestrel::pretrained::{TransferOptions, shipped_model_path, transfer_model};
use kestrel::train::train;
use kestrel::{Model, ModelParams};
use std::path::{Path, PathBuf};

/// The magnetic-tile dataset with the fixed split.
fn magnetic_tile(shared: &Path) -> Dataset {
    let dataset = import_magnetic_tile_anomaly(
        &shared.join("data/magnetic-tile"),
        Some(&shared.join("splits/magnetic_tile.json")),
    )
    .unwrap();
    assert_eq!(dataset.samples_in(Split::Train).len(), 666);
    dataset
}

/// A model with `params` on the shipped MobileNetV2, trained on `dataset`, read back.
fn trained(params: ModelParams, dataset: &Dataset, out: PathBuf) -> Model {
    let pretrained = Model::load(&shipped_model_path("mobilenet_v2").unwrap()).unwrap();
    let options = TransferOptions {
        freeze_backbone: true,
        backbone_learning_rate_factor: 0.0,
    };
    let mut model = transfer_model(pretrained, params, options).unwrap();
    let summary = train(&mut model, dataset, &common::options(out.clone())).unwrap();
    eprintln!(
        "memory bank in {:.1}s ({:.1} images/s)",
        summary.seconds, summary.images_per_second
    );
    Model::load(&out).unwrap()
}

#[test]
fn patch_memory_bank_beats_090_image_auroc_on_magnetic_tile() {
    let Some(shared) = common::shared() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dataset = magnetic_tile(&shared);
    let params = ModelParams::anomaly_detection(BackboneKind::MobileNetV2);
    let model = trained(params, &dataset, tmp.path().join("anomaly.kmodel"));
    let (classification, segmentation) = model
        .params
        .section::<AnomalyParams>()
        .unwrap()
        .thresholds()
        .unwrap();
    assert!(classification > 0.0 && segmentation > 0.0);
    let e = model.evaluate_anomaly(&dataset, Split::Test, 16).unwrap();
    eprintln!(
        "image AUROC {:.4}, pixel AUROC {:?}, PRO {:?}, F1 {:.4} at {:.4}, {:.1} images/s, per class {:?}",
        e.image_auroc,
        e.pixel_auroc,
        e.pro_auc_30,
        e.image_f1,
        e.classification_threshold,
        e.images_per_second,
        e.per_class_image_auroc
    );
    assert_eq!((e.num_ok, e.num_nok), (286, 392));
    assert!(e.image_auroc >= 0.90, "image AUROC {}", e.image_auroc);
    let pixel = e.pixel_auroc.expect("masks give a pixel AUROC");
    assert!(pixel >= 0.78, "pixel AUROC {pixel}");
    assert!(e.pro_auc_30.expect("masks give PRO") > 0.3);
    assert_eq!(e.per_class_image_auroc.len(), 5);

    // Inference agrees with evaluation on a defective image.
    let nok = dataset
        .samples_in(Split::Test)
        .into_iter()
        .find(|s| s.anomaly_label == Some(AnomalyLabel::Nok))
        .unwrap();
    let path = dataset.image_path(nok);
    let result = &model
        .detect_anomalies(std::slice::from_ref(&path), 1)
        .unwrap()[0];
    let evaluated = e.images.iter().find(|i| i.image == path).unwrap();
    assert!((result.anomaly_score - evaluated.anomaly_score).abs() < 1e-4);
    let written = e.write(&tmp.path().join("eval.json"), &model).unwrap();
    assert!(written.iter().all(|p| p.exists()) && written.len() > 1);
}

#[test]
fn global_context_branch_keeps_image_auroc_and_raises_pixel_auroc() {
    let Some(shared) = common::shared() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dataset = magnetic_tile(&shared);
    let params = ModelParams::gc_anomaly_detection(BackboneKind::MobileNetV2);
    let model = trained(params, &dataset, tmp.path().join("gc.kmodel"));
    assert!(model.anomaly_net().unwrap().global.is_some());
    let e = model.evaluate_anomaly(&dataset, Split::Test, 16).unwrap();
    eprintln!(
        "gc: image AUROC {:.4}, pixel AUROC {:?}, PRO {:?}",
        e.image_auroc, e.pixel_auroc, e.pro_auc_30
    );
    assert!(e.image_auroc >= 0.90, "image AUROC {}", e.image_auroc);
    let pixel = e.pixel_auroc.unwrap();
    assert!(pixel >= 0.83, "pixel AUROC {pixel}");
}
