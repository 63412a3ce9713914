//! Times anomaly detection on magnetic tile with the fixed split: building the memory bank
//! from the 666 good training images, and inference (loading, network, scoring) on the 678
//! test images, for `anomaly_detection` and `gc_anomaly_detection`.
//!
//! `KESTREL_SHARED=../shared cargo run --release -p kestrel-bench --bin anomaly-bench`
//! Thread count: `RAYON_NUM_THREADS` (the CPU backend's pool).

use kestrel::data::{Dataset, Split, import_magnetic_tile_anomaly, shared_data_dir};
use kestrel::nn::BackboneKind;
use kestrel::pretrained::{TransferOptions, shipped_model_path, transfer_model};
use kestrel::train::{TrainOptions, train};
use kestrel::{Model, ModelParams};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let shared = shared_data_dir().ok_or("set KESTREL_SHARED to the shared data folder")?;
    let dataset = import_magnetic_tile_anomaly(
        &shared.join("data/magnetic-tile"),
        Some(&shared.join("splits/magnetic_tile.json")),
    )?;
    let tmp = std::env::temp_dir().join(format!("kestrel-anomaly-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    println!(
        "| model | build (666 images) | build images/s | inference images/s (678 images, batch 16) |"
    );
    println!("|---|---|---|---|");
    for params in [
        ModelParams::anomaly_detection(BackboneKind::MobileNetV2),
        ModelParams::gc_anomaly_detection(BackboneKind::MobileNetV2),
    ] {
        let name = params.model_type;
        let (build, inference) = measure(params, &dataset, tmp.join(format!("{name}.kmodel")))?;
        println!(
            "| `{name}` | {build:.1} s | {:.1} | {inference:.1} |",
            666.0 / build
        );
    }
    std::fs::remove_dir_all(&tmp)?;
    Ok(())
}

/// Seconds to build the model, and inference images per second.
fn measure(
    params: ModelParams,
    dataset: &Dataset,
    out: PathBuf,
) -> Result<(f64, f64), Box<dyn std::error::Error>> {
    let pretrained = Model::load(&shipped_model_path("mobilenet_v2")?)?;
    let transfer = TransferOptions {
        freeze_backbone: true,
        backbone_learning_rate_factor: 0.0,
    };
    let mut model = transfer_model(pretrained, params, transfer)?;
    let options = TrainOptions {
        out: out.clone(),
        resume: false,
        overwrite: true,
        progress: false,
        cache_dir: None,
        stop: Arc::new(AtomicBool::new(false)),
    };
    let started = Instant::now();
    train(&mut model, dataset, &options)?;
    let build = started.elapsed().as_secs_f64();
    let model = Model::load(&out)?;
    let paths: Vec<PathBuf> = dataset
        .samples_in(Split::Test)
        .iter()
        .map(|s| dataset.image_path(s))
        .collect();
    let started = Instant::now();
    model.detect_anomalies(&paths, 16)?;
    Ok((build, paths.len() as f64 / started.elapsed().as_secs_f64()))
}
