//! `kestrel ocr`: a deep-OCR model applied to images, in the mode asked for.

use super::infer::{input_images, inputs_of, report};
use super::output::check_output;
use super::unreadable::{fail_if_unreadable, merge_errors, set_aside_unreadable};
use crate::cli::OcrArgs;
use anyhow::{Result, bail};
use kestrel::Model;
use std::time::Instant;

/// Finds and/or reads the words of the images; writes one JSON entry per image.
pub fn run(args: &OcrArgs) -> Result<()> {
    let paths = input_images(&args.inputs)?;
    check_output(&args.out, args.force, &inputs_of(&args.model, &paths))?;
    let mut model = Model::load(&args.model)?;
    if model.params.model_type != kestrel::ocr::NAME {
        bail!(
            "{} is a {} model, not a deep-OCR one (make one with `kestrel model import-ocr`)",
            args.model.display(),
            model.params.model_type
        );
    }
    if let Some(mode) = &args.mode {
        model.params.set("mode", mode)?;
    }
    let total = paths.len();
    let (paths, unreadable) = set_aside_unreadable(paths)?;
    let started = Instant::now();
    let results = model.apply_ocr(&paths, args.batch_size)?;
    if let Some(folder) = &args.overlays {
        let written = results.draw(&model, folder)?;
        println!("{} picture(s): {}", written.len(), folder.display());
    }
    report(
        results.lines().into_iter(),
        &merge_errors(&results.to_json(), &unreadable)?,
        results.len(),
        started,
        &args.out,
    )?;
    fail_if_unreadable(&unreadable, total, &args.out)
}
