//! `kestrel dataset import|split|edges|synth-words|render|validate`.

use crate::cli::DatasetCommand;
use anyhow::{Result, bail};
use kestrel::data::{
    Dataset, DatasetKind, ImportFormat, ImportRequest, Split, SplitSpec, edges_from_segmentation,
    import, rotated_from_polygons, split, validate,
};
use kestrel::ocr::{SyntheticWords, write_synthetic_words};

/// Runs a dataset command.
pub fn run(cmd: DatasetCommand) -> Result<()> {
    match cmd {
        DatasetCommand::Import {
            kind,
            format,
            src,
            labels,
            images,
            split_file,
            rotated,
            class_names,
            images_out,
            out,
            force,
        } => {
            refuse_to_replace(&out, force)?;
            let request = ImportRequest {
                kind,
                format,
                src: src.clone(),
                labels,
                images,
                split_file,
                class_names,
                images_out,
                out: out.clone(),
            };
            let mut dataset = if (kind, format) == (DatasetKind::Pose, ImportFormat::Bop) {
                let models = request
                    .labels
                    .clone()
                    .unwrap_or_else(|| src.join("../../models"));
                kestrel_3d::import_bop(&src, &models)?
            } else {
                import(&request)?
            };
            if rotated {
                let n = rotated_from_polygons(&mut dataset)?;
                println!("derived {n} rotated boxes from the instance polygons");
            }
            dataset.save(&out, force)?;
            println!(
                "imported {} images in {} classes from {} -> {}",
                dataset.samples.len(),
                dataset.class_names.len(),
                src.display(),
                out.display()
            );
            report_validation(&Dataset::load(&out)?)
        }
        DatasetCommand::Split {
            dataset,
            train,
            val,
            test,
            seed,
            keep_test,
        } => {
            let mut ds = Dataset::load(&dataset)?;
            let spec = SplitSpec {
                train,
                validation: val,
                test,
                seed,
            };
            let report = split(&mut ds, &spec, keep_test)?;
            ds.save(&dataset, true)?;
            println!("{report}");
            println!("split written to {}", dataset.display());
            Ok(())
        }
        DatasetCommand::SynthWords {
            backgrounds,
            num_words,
            base,
            seed,
            images_out,
            out,
            force,
        } => {
            refuse_to_replace(&out, force)?;
            let base = base.map(|b| Dataset::load(&b)).transpose()?;
            let vocabulary = base
                .iter()
                .flat_map(|b| b.samples_in(Split::Train))
                .filter_map(|s| s.word.clone())
                .collect();
            let images_out = images_out.unwrap_or_else(|| {
                let stem = out.file_stem().unwrap_or_default().to_string_lossy();
                out.with_file_name(format!("{stem}_images"))
            });
            let words = SyntheticWords::with_backgrounds(&backgrounds, vocabulary, seed)?;
            let started = std::time::Instant::now();
            let dataset = write_synthetic_words(&words, num_words, base.as_ref(), &images_out)?;
            dataset.save(&out, force)?;
            println!(
                "{num_words} synthetic word crops in {} ({:.0} crops/s), {} samples -> {}",
                images_out.display(),
                num_words as f64 / started.elapsed().as_secs_f64().max(1e-9),
                dataset.samples.len(),
                out.display()
            );
            Ok(())
        }
        DatasetCommand::Render {
            config,
            num_images,
            out,
        } => super::render::run(&config, num_images, &out),
        DatasetCommand::Edges {
            dataset,
            labels_out,
            out,
            force,
        } => {
            refuse_to_replace(&out, force)?;
            let labels_out = labels_out.unwrap_or_else(|| {
                let stem = out.file_stem().unwrap_or_default().to_string_lossy();
                out.with_file_name(format!("{stem}_labels"))
            });
            let edges = edges_from_segmentation(&Dataset::load(&dataset)?, &labels_out)?;
            edges.save(&out, force)?;
            println!(
                "{} edge label images in {} -> {}",
                edges.samples.len(),
                labels_out.display(),
                out.display()
            );
            Ok(())
        }
        DatasetCommand::Validate { dataset } => report_validation(&Dataset::load(&dataset)?),
    }
}

fn report_validation(dataset: &Dataset) -> Result<()> {
    let report = validate(dataset);
    if report.problems.is_empty() {
        println!("dataset OK: {} samples, no problems", report.num_samples);
        return Ok(());
    }
    for problem in &report.problems {
        let kind = if problem.is_warning() {
            "warning"
        } else {
            "error"
        };
        eprintln!("  {kind}: {problem}");
    }
    let warnings = report.problems.iter().filter(|p| p.is_warning()).count();
    if !report.has_errors() {
        println!(
            "dataset OK: {} samples, {warnings} warning(s) (listed above)",
            report.num_samples
        );
        return Ok(());
    }
    bail!(
        "the dataset has {} error(s) and {warnings} warning(s) in {} samples (listed above)",
        report.problems.len() - warnings,
        report.num_samples
    )
}

/// Fails when `out` exists and `force` is not given.
fn refuse_to_replace(out: &std::path::Path, force: bool) -> Result<()> {
    if out.exists() && !force {
        bail!(
            "{} already exists (pass --force to replace it)",
            out.display()
        );
    }
    Ok(())
}
