//! `kestrel demo`: the whole workflow on the small dataset bundled in the repository
//! (`examples/fashion-mini`: 800 Fashion-MNIST images, 10 classes, folder per class).

use crate::cli::{EvaluateArgs, InferArgs, TrainArgs};
use anyhow::{Context, Result};
use kestrel::data::{Dataset, SplitSpec, import_folder, split};
use std::path::{Path, PathBuf};

/// The bundled dataset, found from the working directory or the source tree.
fn bundled_dataset() -> Result<PathBuf> {
    let candidates = [
        PathBuf::from("examples/fashion-mini"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/fashion-mini"),
    ];
    candidates
        .into_iter()
        .find(|p| p.is_dir())
        .context("the bundled dataset examples/fashion-mini was not found (run the demo from the repository root)")
}

/// Imports, splits, trains, evaluates and infers, printing each step.
pub fn run(out: &Path, epochs: usize) -> Result<()> {
    let src = bundled_dataset()?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let dataset_path = out.join("dataset.json");

    println!(
        "== 1. import {} (folder per class) and split 70/15/15",
        src.display()
    );
    let mut dataset = import_folder(&src)?;
    let report = split(
        &mut dataset,
        &SplitSpec {
            train: 70.0,
            validation: 15.0,
            test: 15.0,
            seed: 42,
        },
        false,
    )?;
    dataset.save(&dataset_path, true)?;
    println!("{report}");

    println!("== 2. train the compact network ({epochs} epochs)");
    let model = out.join("model.kmodel");
    super::train::run(&TrainArgs {
        dataset: dataset_path.clone(),
        model_type: None,
        backbone: None,
        pretrained: None,
        freeze_backbone: false,
        backbone_lr_factor: 1.0,
        epochs: Some(epochs),
        batch_size: Some(32),
        learning_rate: Some(0.05),
        solver: None,
        momentum: None,
        weight_prior: None,
        image_size: None,
        channels: None,
        lr_schedule: None,
        warmup_epochs: None,
        augment: false,
        set: Vec::new(),
        device: None,
        resume: false,
        force: true,
        out: model.clone(),
    })?;

    println!("\n== 3. evaluate on the test split");
    super::evaluate::run(&EvaluateArgs {
        model: model.clone(),
        dataset: dataset_path.clone(),
        split: "test".into(),
        batch_size: 64,
        out: out.join("evaluation.json"),
        force: true,
    })?;

    println!("\n== 4. infer on the test images");
    let dataset = Dataset::load(&dataset_path)?;
    let images: Vec<PathBuf> = dataset
        .samples_in(kestrel::data::Split::Test)
        .iter()
        .take(20)
        .map(|s| dataset.image_path(s))
        .collect();
    super::infer::run(&InferArgs {
        model,
        inputs: images,
        top_k: 3,
        batch_size: 16,
        device: None,
        image_size: None,
        class_names: None,
        heat_maps: None,
        label_images: None,
        overlays: None,
        out: out.join("predictions.json"),
        force: true,
    })?;
    println!("\nall outputs are in {}", out.display());
    Ok(())
}
