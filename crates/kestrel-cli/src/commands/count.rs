//! `kestrel count`: a deep-counting model applied to images.

use super::infer::{input_images, inputs_of, report};
use super::output::check_output;
use super::unreadable::{fail_if_unreadable, merge_errors, set_aside_unreadable};
use crate::cli::CountArgs;
use anyhow::{Result, bail};
use kestrel::Model;
use kestrel::counting::LoadedExamples;
use kestrel::data::Dataset;
use std::time::Instant;

/// Counts the objects in the images; writes one JSON entry per image.
pub fn run(args: &CountArgs) -> Result<()> {
    let paths = input_images(&args.inputs)?;
    let mut inputs = inputs_of(&args.model, &paths);
    inputs.extend(args.examples.as_deref());
    check_output(&args.out, args.force, &inputs)?;
    let mut model = Model::load(&args.model)?;
    if model.params.model_type != kestrel::counting::NAME {
        bail!(
            "{} is a {} model, not a deep-counting one (make one with `kestrel train \
             --model-type deep_counting --pretrained mobilenet_v2 --dataset EXAMPLES.json`)",
            args.model.display(),
            model.params.model_type
        );
    }
    if let Some(score) = args.min_score {
        model.params.set("min_score", &score.to_string())?;
    }
    if let Some(file) = &args.examples {
        let dataset = Dataset::load(file)?;
        let samples: Vec<_> = dataset.samples.iter().collect();
        let loaded = LoadedExamples::from_samples(&dataset, &samples)?;
        model.prepare_counting(&LoadedExamples::borrowed(&loaded))?;
    }
    let total = paths.len();
    let (paths, unreadable) = set_aside_unreadable(paths)?;
    let started = Instant::now();
    let results = model.count_image_files(&paths)?;
    if let Some(folder) = &args.overlays {
        let written = kestrel::Results::draw(&results, &model, folder)?;
        println!("{} picture(s): {}", written.len(), folder.display());
    }
    report(
        kestrel::Results::lines(&results).into_iter(),
        &merge_errors(&kestrel::Results::to_json(&results), &unreadable)?,
        results.len(),
        started,
        &args.out,
    )?;
    fail_if_unreadable(&unreadable, total, &args.out)
}
