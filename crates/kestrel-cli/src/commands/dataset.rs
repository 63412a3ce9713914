//! `kestrel dataset import|split|validate`.

use crate::cli::{DatasetCommand, ImportFormat};
use anyhow::{Context, Result, bail};
use kestrel::data::{
    Dataset, SplitSpec, import_filename, import_folder, import_idx, import_idx_dir, split, validate,
};
use std::path::{Path, PathBuf};

/// Runs a dataset command.
pub fn run(cmd: DatasetCommand) -> Result<()> {
    match cmd {
        DatasetCommand::Import {
            kind: _,
            format,
            src,
            labels,
            class_names,
            images_out,
            out,
            force,
        } => {
            if out.exists() && !force {
                bail!(
                    "{} already exists (pass --force to replace it)",
                    out.display()
                );
            }
            let dataset = import(
                format,
                &src,
                labels.as_deref(),
                class_names,
                images_out,
                &out,
            )?;
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
        DatasetCommand::Validate { dataset } => report_validation(&Dataset::load(&dataset)?),
    }
}

fn import(
    format: ImportFormat,
    src: &Path,
    labels: Option<&Path>,
    class_names: Option<Vec<String>>,
    images_out: Option<PathBuf>,
    out: &Path,
) -> Result<Dataset> {
    Ok(match format {
        ImportFormat::Folder => import_folder(src)?,
        ImportFormat::Filename => import_filename(src)?,
        ImportFormat::Idx => {
            let images_out = images_out.unwrap_or_else(|| {
                let stem = out.file_stem().unwrap_or_default().to_string_lossy();
                out.with_file_name(format!("{stem}_images"))
            });
            if src.is_dir() {
                import_idx_dir(src, class_names, &images_out)?
            } else {
                let labels = labels.context("--format idx with an images file needs --labels")?;
                import_idx(src, labels, class_names, &images_out, None)?
            }
        }
    })
}

fn report_validation(dataset: &Dataset) -> Result<()> {
    let report = validate(dataset);
    if report.problems.is_empty() {
        println!("dataset OK: {} samples, no problems", report.num_samples);
        return Ok(());
    }
    for problem in &report.problems {
        eprintln!("  {problem}");
    }
    bail!(
        "the dataset has {} problem(s) in {} samples (listed above)",
        report.problems.len(),
        report.num_samples
    )
}
