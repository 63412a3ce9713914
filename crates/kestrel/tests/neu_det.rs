//! NEU-DET as 6-class classification (class = file-name prefix): a compact network trained
//! from scratch beats 90 % top-1 accuracy on a held-out split.

mod common;

use kestrel::data::{Split, SplitSpec, import_filename, split};
use kestrel::nn::BackboneKind;
use kestrel::train::train;
use kestrel::{Model, ModelParams, SolverType};

#[test]
fn compact_network_beats_90_percent_on_neu_det() {
    let Some(shared) = common::shared() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut dataset = import_filename(&shared.join("data/neu-det/IMAGES")).unwrap();
    assert_eq!(dataset.class_names.len(), 6);
    split(
        &mut dataset,
        &SplitSpec {
            train: 70.0,
            validation: 15.0,
            test: 15.0,
            seed: 42,
        },
        false,
    )
    .unwrap();

    let mut params =
        ModelParams::classification(BackboneKind::Compact, dataset.class_names.clone());
    params.class_ids = dataset.class_ids.clone();
    params.image_width = 64;
    params.image_height = 64;
    params.solver_type = SolverType::Sgd;
    params.learning_rate = 0.05;
    params.batch_size = 32;
    params.epochs = 15;
    params.augmentation = kestrel::image::AugmentParams::moderate();
    let mut model = Model::new(params).unwrap();
    train(
        &mut model,
        &dataset,
        &common::options(tmp.path().join("neu.kmodel")),
    )
    .unwrap();

    let evaluation = model
        .evaluate_classification(&dataset, Split::Test, 64)
        .unwrap();
    let accuracy = 1.0 - evaluation.measures.top1_error;
    eprintln!(
        "NEU-DET held-out top-1 accuracy: {accuracy:.4} on {} images",
        evaluation.measures.num_images
    );
    assert!(accuracy > 0.90, "top-1 accuracy {accuracy:.4} <= 0.90");
}
