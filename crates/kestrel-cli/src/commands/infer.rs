//! `kestrel infer`.

use crate::cli::InferArgs;
use anyhow::{Result, bail};
use kestrel::Model;
use kestrel::data::scan::find_images;
use kestrel::onnx::{OnnxClassifier, imagenet_style_params};
use kestrel::pretrained::read_class_names;
use std::path::PathBuf;

/// Classifies images and folders of images; writes one JSON entry per image.
pub fn run(args: &InferArgs) -> Result<()> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for input in &args.inputs {
        if input.is_dir() {
            paths.extend(find_images(input)?.into_iter().map(|name| input.join(name)));
        } else if input.exists() {
            paths.push(input.clone());
        } else {
            bail!("{}: no such image or folder", input.display());
        }
    }
    if paths.is_empty() {
        bail!("no images (png, jpg, bmp, tif) found in the inputs");
    }
    let started = std::time::Instant::now();
    let is_onnx = args
        .model
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("onnx"));
    if !is_onnx {
        let model = Model::load(&args.model)?;
        if model.anomaly_net().is_some() {
            return anomaly(args, model, &paths);
        }
        if model.multi_label().is_some() {
            return multi_label(args, model, &paths);
        }
    }
    let results = if is_onnx {
        onnx_classifier(args)?.classify(&paths, args.top_k)?
    } else {
        let mut model = Model::load(&args.model)?;
        if let Some(device) = &args.device {
            model.set_device(device)?;
        }
        model.classify(&paths, args.batch_size, args.top_k)?
    };
    let seconds = started.elapsed().as_secs_f64();
    for r in results.iter().take(10) {
        println!(
            "{}: {} ({:.3})",
            r.image.display(),
            r.classes.first().map_or("-", String::as_str),
            r.confidences.first().copied().unwrap_or(0.0)
        );
    }
    if results.len() > 10 {
        println!("… and {} more", results.len() - 10);
    }
    kestrel::model_file::write_atomic(&args.out, &serde_json::to_vec_pretty(&results)?)?;
    println!(
        "{} images in {:.2}s ({:.1} images/s) -> {}",
        results.len(),
        seconds,
        results.len() as f64 / seconds,
        args.out.display()
    );
    Ok(())
}

/// An ONNX classifier: preprocessing from its Kestrel metadata, or from the options.
fn onnx_classifier(args: &InferArgs) -> Result<OnnxClassifier> {
    let fallback = match (&args.image_size, &args.class_names) {
        (Some(size), Some(names)) => {
            let (w, h) = super::parse_image_size(size)?;
            Some(imagenet_style_params(w, h, read_class_names(names)?))
        }
        (None, None) => None,
        _ => bail!(
            "an ONNX model without Kestrel metadata needs both --image-size and --class-names"
        ),
    };
    Ok(OnnxClassifier::load(&args.model, fallback)?)
}

/// Anomaly scores and decisions per image; heat maps with `--heat-maps`.
fn anomaly(args: &InferArgs, mut model: Model, paths: &[PathBuf]) -> Result<()> {
    if let Some(device) = &args.device {
        model.set_device(device)?;
    }
    let started = std::time::Instant::now();
    let results = model.detect_anomalies(paths, args.batch_size)?;
    let seconds = started.elapsed().as_secs_f64();
    for r in results.iter().take(10) {
        println!(
            "{}: {} (score {:.4})",
            r.image.display(),
            r.anomaly_class,
            r.anomaly_score
        );
    }
    if results.len() > 10 {
        println!("… and {} more", results.len() - 10);
    }
    if let Some(folder) = &args.heat_maps {
        std::fs::create_dir_all(folder)?;
        let (_, segmentation) = model.params.anomaly_thresholds()?;
        let preprocess = model.params.preprocess();
        for r in &results {
            let image = kestrel::image::load_resized(&r.image, &preprocess)?;
            let scores = &r.anomaly_image.scores;
            let region: Vec<bool> = scores.iter().map(|&s| s >= segmentation).collect();
            let picture = kestrel::image::heat_overlay(
                &image,
                scores,
                0.0,
                1.5 * segmentation,
                Some(&region),
            );
            let stem = r.image.file_stem().unwrap_or_default().to_string_lossy();
            kestrel::image::save_png(&folder.join(format!("{stem}.png")), &picture)?;
        }
        println!("heat maps: {}", folder.display());
    }
    kestrel::model_file::write_atomic(&args.out, &serde_json::to_vec_pretty(&results)?)?;
    println!(
        "{} images in {:.2}s ({:.1} images/s) -> {}",
        results.len(),
        seconds,
        results.len() as f64 / seconds,
        args.out.display()
    );
    Ok(())
}

/// The classes each image shows, with their confidences.
fn multi_label(args: &InferArgs, mut model: Model, paths: &[PathBuf]) -> Result<()> {
    if let Some(device) = &args.device {
        model.set_device(device)?;
    }
    let started = std::time::Instant::now();
    let results = model.label_images(paths, args.batch_size)?;
    let seconds = started.elapsed().as_secs_f64();
    for r in results.iter().take(10) {
        let found: Vec<String> = r
            .classes
            .iter()
            .zip(&r.confidences)
            .map(|(c, p)| format!("{c} ({p:.3})"))
            .collect();
        let found = if found.is_empty() {
            "none".to_string()
        } else {
            found.join(", ")
        };
        println!("{}: {found}", r.image.display());
    }
    if results.len() > 10 {
        println!("… and {} more", results.len() - 10);
    }
    kestrel::model_file::write_atomic(&args.out, &serde_json::to_vec_pretty(&results)?)?;
    println!(
        "{} images in {:.2}s ({:.1} images/s) -> {}",
        results.len(),
        seconds,
        results.len() as f64 / seconds,
        args.out.display()
    );
    Ok(())
}
