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
