//! `kestrel infer`: the model's method decides what is written per image.

use super::output::check_output;
use super::unreadable::{fail_if_unreadable, merge_errors, set_aside_unreadable};
use crate::cli::InferArgs;
use anyhow::{Result, bail};
use kestrel::data::scan::find_images;
use kestrel::onnx::{OnnxClassifier, imagenet_style_params};
use kestrel::pretrained::read_class_names;
use kestrel::{InferOptions, Model};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Lines printed per run; the rest are only in the JSON.
const SHOWN: usize = 10;

/// Applies the model to images and folders of images; writes one JSON entry per image.
pub fn run(args: &InferArgs) -> Result<()> {
    let paths = input_images(&args.inputs)?;
    check_output(&args.out, args.force, &inputs_of(&args.model, &paths))?;
    let is_onnx = args
        .model
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("onnx"));
    if is_onnx {
        refuse_unused_options(args, "ONNX classifier", None, true)?;
        let started = Instant::now();
        let results = onnx_classifier(args)?.classify(&paths, args.top_k)?;
        let lines = results
            .iter()
            .map(|r| top_class(&r.image, &r.classes, &r.confidences));
        let json = serde_json::to_string_pretty(&results)?;
        return report(lines, &json, results.len(), started, &args.out);
    }
    let mut model = Model::load(&args.model)?;
    let method = model.method();
    refuse_unused_options(
        args,
        method.name(),
        method.picture_option(),
        method.ranks_classes(),
    )?;
    if let Some(device) = &args.device {
        model.set_device(device)?;
    }
    let total = paths.len();
    let (paths, unreadable) = set_aside_unreadable(paths)?;
    let started = Instant::now();
    let options = InferOptions {
        batch_size: args.batch_size,
        top_k: args.top_k,
    };
    let results = model.infer(&paths, &options)?;
    let elapsed = started.elapsed();
    let pictures = [&args.heat_maps, &args.label_images, &args.overlays];
    for folder in pictures.into_iter().flatten() {
        let written = results.draw(&model, folder)?;
        println!("{} picture(s): {}", written.len(), folder.display());
    }
    report(
        results.lines().into_iter(),
        &merge_errors(&results.to_json(), &unreadable)?,
        results.len(),
        Instant::now() - elapsed,
        &args.out,
    )?;
    fail_if_unreadable(&unreadable, total, &args.out)
}

/// Refuses the picture options other than `pictures` (the one a `kind` model draws, if
/// any) and `--top-k` when the model does not rank classes, rather than ignoring them.
fn refuse_unused_options(
    args: &InferArgs,
    kind: &str,
    pictures: Option<&str>,
    ranks_classes: bool,
) -> Result<()> {
    let given = [
        ("heat-maps", &args.heat_maps),
        ("label-images", &args.label_images),
        ("overlays", &args.overlays),
    ];
    for (option, folder) in given {
        if folder.is_some() && pictures != Some(option) {
            let instead = match pictures {
                Some(right) => format!("its pictures are written with --{right} DIR"),
                None => "it draws no pictures".into(),
            };
            bail!("--{option} does not apply to a {kind} model: {instead}");
        }
    }
    if args.top_k != 0 && !ranks_classes {
        bail!("--top-k applies to classifiers, not to a {kind} model");
    }
    Ok(())
}

/// The image files named by `inputs` (files, and the images in folders).
pub(crate) fn input_images(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for input in inputs {
        if input.is_dir() {
            paths.extend(find_images(input)?.into_iter().map(|name| input.join(name)));
        } else if input.is_file() {
            paths.push(input.clone());
        } else if input.exists() {
            bail!(
                "{}: not an image file or a folder (a pipe or device?)",
                input.display()
            );
        } else {
            bail!("{}: no such image or folder", input.display());
        }
    }
    if paths.is_empty() {
        bail!("no images (png, jpg, bmp, tif) found in the inputs");
    }
    Ok(paths)
}

/// The model and the images: what a command applying a model reads.
pub(crate) fn inputs_of<'a>(model: &'a Path, images: &'a [PathBuf]) -> Vec<&'a Path> {
    std::iter::once(model)
        .chain(images.iter().map(PathBuf::as_path))
        .collect()
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
pub(crate) fn report(
    lines: impl Iterator<Item = String>,
    json: &str,
    count: usize,
    started: Instant,
    out: &Path,
) -> Result<()> {
    let seconds = started.elapsed().as_secs_f64();
    for line in lines.take(SHOWN) {
        println!("{line}");
    }
    if count > SHOWN {
        println!("… and {} more", count - SHOWN);
    }
    kestrel::model_file::write_atomic(out, json.as_bytes())?;
    println!(
        "{} images in {:.2}s ({:.1} images/s) -> {}",
        count,
        seconds,
        count as f64 / seconds,
        out.display()
    );
    Ok(())
}

/// An ONNX classifier: preprocessing from its Kestrel metadata, or from the options.
fn onnx_classifier(args: &InferArgs) -> Result<OnnxClassifier> {
    let fallback = match (&args.image_size, &args.class_names) {
        (Some(size), Some(names)) => {
            let (w, h) = kestrel::parse_image_size(size)?;
            Some(imagenet_style_params(w, h, read_class_names(names)?))
        }
        (None, None) => None,
        _ => bail!(
            "an ONNX model without Kestrel metadata needs both --image-size and --class-names"
        ),
    };
    Ok(OnnxClassifier::load(&args.model, fallback)?)
}
