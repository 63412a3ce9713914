//! `kestrel dataset import|split|validate`.

use crate::cli::{DatasetCommand, DatasetKind, ImportFormat};
use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use kestrel::data::{
    Dataset, SplitSpec, edges_from_segmentation, import_coco_detection, import_coco_multilabel,
    import_coco_split_folders, import_filename, import_folder, import_idx, import_idx_dir,
    import_magnetic_tile_anomaly, import_magnetic_tile_segmentation, import_multilabel_csv,
    import_mvtec_ad, import_segmentation_folders, import_txt_boxes, import_voc,
    rotated_from_polygons, split, validate,
};
use std::path::{Path, PathBuf};

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
            if out.exists() && !force {
                bail!(
                    "{} already exists (pass --force to replace it)",
                    out.display()
                );
            }
            let source = Source {
                src: &src,
                labels: labels.as_deref(),
                images: images.as_deref(),
                split_file: split_file.as_deref(),
                class_names,
                images_out,
                out: &out,
            };
            let mut dataset = import(kind, format, source)?;
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
        DatasetCommand::Edges {
            dataset,
            labels_out,
            out,
            force,
        } => {
            if out.exists() && !force {
                bail!(
                    "{} already exists (pass --force to replace it)",
                    out.display()
                );
            }
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

/// Where an import reads from and writes to.
struct Source<'a> {
    src: &'a Path,
    labels: Option<&'a Path>,
    images: Option<&'a Path>,
    split_file: Option<&'a Path>,
    class_names: Option<Vec<String>>,
    images_out: Option<PathBuf>,
    out: &'a Path,
}

impl Source<'_> {
    /// `--images-out`, or `<out stem><suffix>` beside the dataset file.
    fn written_dir(&self, suffix: &str) -> PathBuf {
        self.images_out.clone().unwrap_or_else(|| {
            let stem = self.out.file_stem().unwrap_or_default().to_string_lossy();
            self.out.with_file_name(format!("{stem}{suffix}"))
        })
    }

    /// `--images`, or the folder of `--src`.
    fn image_dir(&self) -> PathBuf {
        self.images
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.src.parent().unwrap_or(Path::new(".")).to_path_buf())
    }
}

fn import(kind: DatasetKind, format: ImportFormat, s: Source) -> Result<Dataset> {
    use DatasetKind as K;
    use ImportFormat as F;
    Ok(match (kind, format) {
        (K::Classification, F::Folder) => import_folder(s.src)?,
        (K::Classification, F::Filename) => import_filename(s.src)?,
        (K::Classification, F::Idx) => {
            let images_out = s.written_dir("_images");
            if s.src.is_dir() {
                import_idx_dir(s.src, s.class_names, &images_out)?
            } else {
                let labels = s
                    .labels
                    .context("--format idx with an images file needs --labels")?;
                import_idx(s.src, labels, s.class_names, &images_out, None)?
            }
        }
        (K::Anomaly, F::Mvtec) => import_mvtec_ad(s.src)?,
        (K::Anomaly, F::MagneticTile) => import_magnetic_tile_anomaly(s.src, s.split_file)?,
        (K::MultiLabel, F::Csv) => import_multilabel_csv(s.src, &s.image_dir())?,
        (K::MultiLabel, F::Coco) if s.src.is_dir() => {
            import_coco_split_folders(s.src, import_coco_multilabel)?
        }
        (K::MultiLabel, F::Coco) => import_coco_multilabel(s.src, &s.image_dir())?,
        (K::Segmentation, F::MagneticTile) => {
            import_magnetic_tile_segmentation(s.src, &s.written_dir("_labels"))?
        }
        (K::Segmentation, F::MaskFolders) => {
            let labels = s
                .labels
                .context("--format mask-folders needs --labels (the label-image folder)")?;
            let names = s
                .class_names
                .context("--format mask-folders needs --class-names (ids 0, 1, …)")?;
            import_segmentation_folders(s.src, labels, names)?
        }
        (K::Detection, F::Coco) if s.src.is_dir() => {
            import_coco_split_folders(s.src, import_coco_detection)?
        }
        (K::Detection, F::Coco) => import_coco_detection(s.src, &s.image_dir())?,
        (K::Detection, F::Voc) => {
            let images = s
                .images
                .context("--format voc needs --images (the image folder)")?;
            import_voc(s.src, images)?
        }
        (K::Detection, F::Txt) => {
            let labels = s
                .labels
                .context("--format txt needs --labels (the folder of .txt box files)")?;
            let names = s
                .class_names
                .context("--format txt needs --class-names (ids 0, 1, …)")?;
            import_txt_boxes(s.src, labels, &names)?
        }
        (kind, format) => bail!(
            "--kind {} cannot be imported from --format {} (classification: folder, filename, \
             idx; multi-label: csv, coco; anomaly: mvtec, magnetic-tile; segmentation: \
             magnetic-tile, mask-folders; detection: coco, voc, txt)",
            kind.to_possible_value()
                .map_or("?".into(), |v| v.get_name().to_string()),
            format
                .to_possible_value()
                .map_or("?".into(), |v| v.get_name().to_string()),
        ),
    })
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
