//! An interrupted training run resumes where it stopped, with exactly the losses of a run
//! that was never interrupted (shuffling and augmentation are drawn from the seed and the
//! epoch, and the checkpoint holds the weights and the optimiser's state).

mod common;

use kestrel::nn::BackboneKind;
use kestrel::train::{RunFiles, TrainState, train};
use kestrel::{Error, Model, ModelParams};
use std::sync::atomic::Ordering;

#[test]
fn interrupted_training_resumes_after_the_last_checkpoint() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = common::fashion_mini();
    let mut params = ModelParams::classification(BackboneKind::Compact, ds.class_names.clone());
    params.epochs = 3;
    params.batch_size = 32;
    let out = tmp.path().join("m.kmodel");
    let files = RunFiles::new(&out);

    // Stop as soon as the first epoch's checkpoint is written.
    let options = common::options(out.clone());
    let stop = options.stop.clone();
    let state_file = files.state();
    let watcher = std::thread::spawn(move || {
        while !state_file.exists() {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        stop.store(true, Ordering::SeqCst);
    });
    let mut model = Model::new(params.clone()).unwrap();
    let err = train(&mut model, &ds, &options).unwrap_err();
    watcher.join().unwrap();
    let Error::Interrupted { epoch } = err else {
        panic!("expected an interruption, got {err}")
    };
    assert_eq!(epoch, 1);
    assert!(!out.exists(), "no final model after an interruption");

    let mut resumed_options = common::options(out.clone());
    resumed_options.resume = true;
    let mut model = Model::new(params.clone()).unwrap();
    let summary = train(&mut model, &ds, &resumed_options).unwrap();
    assert_eq!(summary.epochs, 3);
    let state: TrainState = serde_json::from_slice(&std::fs::read(files.state()).unwrap()).unwrap();
    let epochs: Vec<usize> = state.records.iter().map(|r| r.epoch).collect();
    assert_eq!(epochs, vec![1, 2, 3], "each epoch trained once");
    assert!(out.exists() && files.best_model.exists());
    Model::load(&out).unwrap();

    let straight_out = tmp.path().join("straight.kmodel");
    let mut model = Model::new(params).unwrap();
    train(&mut model, &ds, &common::options(straight_out.clone())).unwrap();
    let straight: TrainState =
        serde_json::from_slice(&std::fs::read(RunFiles::new(&straight_out).state()).unwrap())
            .unwrap();
    let losses = |s: &TrainState| -> Vec<(f64, Option<f64>)> {
        s.records
            .iter()
            .map(|r| (r.train_loss, r.validation_error))
            .collect()
    };
    assert_eq!(
        losses(&state),
        losses(&straight),
        "resumed vs uninterrupted"
    );
}
