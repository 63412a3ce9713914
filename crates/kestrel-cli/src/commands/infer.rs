//! `kestrel infer`: the model's method decides what is written per image.

use crate::cli::InferArgs;
use anyhow::{Result, bail};
use kestrel::Model;
use kestrel::data::scan::find_images;
use kestrel::onnx::{OnnxClassifier, imagenet_style_params};
use kestrel::pretrained::read_class_names;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Lines printed per run; the rest are only in the JSON.
const SHOWN: usize = 10;

/// Objects named per image in the printed lines.
const SHOWN_OBJECTS: usize = 5;

/// Applies the model to images and folders of images; writes one JSON entry per image.
pub fn run(args: &InferArgs) -> Result<()> {
    let paths = input_images(&args.inputs)?;
    let is_onnx = args
        .model
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("onnx"));
    if is_onnx {
        let started = Instant::now();
        let results = onnx_classifier(args)?.classify(&paths, args.top_k)?;
        let lines = results
            .iter()
            .map(|r| top_class(&r.image, &r.classes, &r.confidences));
        return report(lines, &results, started, &args.out);
    }
    let mut model = Model::load(&args.model)?;
    if let Some(device) = &args.device {
        model.set_device(device)?;
    }
    if model.anomaly_net().is_some() {
        anomaly(args, &model, &paths)
    } else if model.multi_label().is_some() {
        multi_label(args, &model, &paths)
    } else if model.segmentation().is_some() {
        segmentation(args, &model, &paths)
    } else if model.detection().is_some() {
        detection(args, &model, &paths)
    } else {
        let started = Instant::now();
        let results = model.classify(&paths, args.batch_size, args.top_k)?;
        let lines = results
            .iter()
            .map(|r| top_class(&r.image, &r.classes, &r.confidences));
        report(lines, &results, started, &args.out)
    }
}

/// The image files named by `inputs` (files, and the images in folders).
fn input_images(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for input in inputs {
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
    Ok(paths)
}

/// `image: best class (confidence)`.
fn top_class(image: &Path, classes: &[String], confidences: &[f32]) -> String {
    format!(
        "{}: {} ({:.3})",
        image.display(),
        classes.first().map_or("-", String::as_str),
        confidences.first().copied().unwrap_or(0.0)
    )
}

/// Prints the first lines and the speed, and writes the results as JSON.
fn report<T: Serialize>(
    lines: impl Iterator<Item = String>,
    results: &[T],
    started: Instant,
    out: &Path,
) -> Result<()> {
    let seconds = started.elapsed().as_secs_f64();
    for line in lines.take(SHOWN) {
        println!("{line}");
    }
    if results.len() > SHOWN {
        println!("… and {} more", results.len() - SHOWN);
    }
    kestrel::model_file::write_atomic(out, &serde_json::to_vec_pretty(results)?)?;
    println!(
        "{} images in {:.2}s ({:.1} images/s) -> {}",
        results.len(),
        seconds,
        results.len() as f64 / seconds,
        out.display()
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

/// The file stem of an image, for naming the pictures written for it.
fn stem(image: &Path) -> String {
    image
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Anomaly scores and decisions per image; heat maps with `--heat-maps`.
fn anomaly(args: &InferArgs, model: &Model, paths: &[PathBuf]) -> Result<()> {
    let started = Instant::now();
    let results = model.detect_anomalies(paths, args.batch_size)?;
    let elapsed = started.elapsed();
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
            let path = folder.join(format!("{}.png", stem(&r.image)));
            kestrel::image::save_png(&path, &picture)?;
        }
        println!("heat maps: {}", folder.display());
    }
    let lines = results.iter().map(|r| {
        format!(
            "{}: {} (score {:.4})",
            r.image.display(),
            r.anomaly_class,
            r.anomaly_score
        )
    });
    report(lines, &results, Instant::now() - elapsed, &args.out)
}

/// The classes each image shows, with their confidences.
fn multi_label(args: &InferArgs, model: &Model, paths: &[PathBuf]) -> Result<()> {
    let started = Instant::now();
    let results = model.label_images(paths, args.batch_size)?;
    let lines = results.iter().map(|r| {
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
        format!("{}: {found}", r.image.display())
    });
    report(lines, &results, started, &args.out)
}

/// Per-class pixel counts per image; label PNGs and overlays with `--label-images`.
fn segmentation(args: &InferArgs, model: &Model, paths: &[PathBuf]) -> Result<()> {
    let started = Instant::now();
    let results = model.segment(paths, args.batch_size)?;
    let elapsed = started.elapsed();
    if let Some(folder) = &args.label_images {
        std::fs::create_dir_all(folder)?;
        let palette = kestrel::image::default_palette(model.params.class_names.len());
        let preprocess = model.params.preprocess();
        for r in &results {
            let stem = stem(&r.image);
            kestrel::image::write_label_png(&folder.join(format!("{stem}.png")), &r.labels)?;
            let image = kestrel::image::load_resized(&r.image, &preprocess)?;
            let overlay = kestrel::image::label_overlay(&image, &r.labels, &palette, 0.5, &[0]);
            kestrel::image::save_png(&folder.join(format!("{stem}.overlay.png")), &overlay)?;
        }
        println!("label images: {}", folder.display());
    }
    let lines = results.iter().map(|r| {
        let counts: Vec<String> = r
            .class_pixels
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        format!("{}: {}", r.image.display(), counts.join(", "))
    });
    report(lines, &results, Instant::now() - elapsed, &args.out)
}

/// Objects per image (JSON with boxes, classes, confidences and masks as RLE); pictures
/// with `--overlays`.
fn detection(args: &InferArgs, model: &Model, paths: &[PathBuf]) -> Result<()> {
    let started = Instant::now();
    let results = model.detect(paths, args.batch_size)?;
    let elapsed = started.elapsed();
    if let Some(folder) = &args.overlays {
        std::fs::create_dir_all(folder)?;
        for r in &results {
            r.draw(model, &folder.join(format!("{}.png", stem(&r.image))))?;
        }
        println!("pictures: {}", folder.display());
    }
    let lines = results.iter().map(|r| {
        let found: Vec<String> = r
            .objects
            .iter()
            .take(SHOWN_OBJECTS)
            .map(|o| format!("{} ({:.3})", o.class, o.confidence))
            .collect();
        let more = r.objects.len().saturating_sub(SHOWN_OBJECTS);
        format!(
            "{}: {} object(s){}{}{}",
            r.image.display(),
            r.objects.len(),
            if found.is_empty() { "" } else { ": " },
            found.join(", "),
            if more > 0 {
                format!(", … {more} more")
            } else {
                String::new()
            }
        )
    });
    report(lines, &results, Instant::now() - elapsed, &args.out)
}
