//! `kestrel train`.

use crate::cli::{ModelType, Solver, TrainArgs};
use anyhow::{Context, Result, bail};
use kestrel::data::{Dataset, validate};
use kestrel::nn::BackboneKind;
use kestrel::pretrained::{TransferOptions, transfer_model};
use kestrel::train::{RunFiles, TrainOptions, TrainSummary, train};
use kestrel::{LearningRateSchedule, Model, ModelParams, SolverType};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Builds the model's parameters from the dataset and the options, then trains.
pub fn run(args: &TrainArgs) -> Result<TrainSummary> {
    let dataset = Dataset::load(&args.dataset)?;
    let report = validate(&dataset);
    let warnings = report.problems.iter().filter(|p| p.is_warning()).count();
    if warnings > 0 {
        eprintln!(
            "{}: {warnings} warning(s) (see `kestrel dataset validate`)",
            args.dataset.display()
        );
    }
    if report.has_errors() {
        for p in report.problems.iter().filter(|p| !p.is_warning()) {
            eprintln!("  {p}");
        }
        bail!(
            "{}: {} error(s); fix them (see `kestrel dataset validate`) before training",
            args.dataset.display(),
            report.problems.len() - warnings
        );
    }
    let mut model = if args.resume {
        let files = RunFiles::new(&args.out);
        let params = Model::load(&files.checkpoint_model())
            .with_context(|| format!("cannot resume {}", args.out.display()))?
            .params;
        Model::new(params)?
    } else if let Some(name) = &args.pretrained {
        let pretrained = super::load_pretrained(name)?;
        let params = params_from_args(args, &dataset, pretrained.params.backbone_kind()?)?;
        let options = TransferOptions {
            freeze_backbone: args.freeze_backbone,
            backbone_learning_rate_factor: args.backbone_lr_factor,
        };
        transfer_model(pretrained, params, options)?
    } else {
        Model::new(params_from_args(args, &dataset, args.backbone.parse()?)?)?
    };
    println!(
        "training a {} {} ({} parameters) on {} images, {} epochs",
        model.params.backbone,
        model.params.model_type,
        model.num_parameters(),
        dataset.samples_in(kestrel::data::Split::Train).len(),
        model.params.epochs
    );
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    // A second Ctrl-C while stopping ends the process at once.
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!(
            "\nstopping after this batch; the last epoch's checkpoint is kept (resume with --resume)"
        );
    });
    let files = RunFiles::new(&args.out);
    let options = TrainOptions {
        out: args.out.clone(),
        resume: args.resume,
        overwrite: args.force,
        progress: true,
        cache_dir: Some(files.dir.join("cache")),
        stop,
    };
    let summary = train(&mut model, &dataset, &options)?;
    if model.anomaly_net().is_some() {
        println!(
            "memory bank built in {:.1}s ({:.1} images/s)",
            summary.seconds, summary.images_per_second
        );
    } else {
        println!(
            "trained {} epochs in {:.1}s ({:.0} images/s)",
            summary.epochs, summary.seconds, summary.images_per_second
        );
    }
    if let (Some(err), Some(epoch), Some(best)) =
        (summary.best_error, summary.best_epoch, &summary.best_model)
    {
        println!(
            "best validation error {err:.4} at epoch {epoch}: {}",
            best.display()
        );
    }
    println!("final model: {}", summary.final_model.display());
    if model.anomaly_net().is_none() {
        println!("training log and curve: {}", files.dir.display());
    }
    Ok(summary)
}

fn params_from_args(
    args: &TrainArgs,
    dataset: &Dataset,
    backbone: BackboneKind,
) -> Result<ModelParams> {
    let mut p = match args.model_type {
        ModelType::Classification => {
            let mut p = ModelParams::classification(backbone, dataset.class_names.clone());
            p.class_ids = dataset.class_ids.clone();
            p
        }
        ModelType::MultiLabelClassification => {
            let mut p =
                ModelParams::multi_label_classification(backbone, dataset.class_names.clone());
            p.class_ids = dataset.class_ids.clone();
            p
        }
        ModelType::Detection => {
            let mut p = ModelParams::detection(backbone, dataset.class_names.clone());
            p.class_ids = dataset.class_ids.clone();
            p
        }
        ModelType::AnomalyDetection => ModelParams::anomaly_detection(backbone),
        ModelType::GcAnomalyDetection => ModelParams::gc_anomaly_detection(backbone),
        ModelType::Segmentation | ModelType::EdgeExtraction => {
            let mut p = if args.model_type == ModelType::Segmentation {
                ModelParams::segmentation(backbone, dataset.class_names.clone())
            } else {
                ModelParams::edge_extraction(backbone)
            };
            p.class_names = dataset.class_names.clone();
            p.class_ids = dataset.class_ids.clone();
            p.ignore_class_ids = dataset.ignore_class_ids.clone();
            p.class_ids_background = dataset.class_ids_background.clone();
            p
        }
    };
    if let Some(v) = args.epochs {
        p.epochs = v;
    }
    if let Some(v) = args.batch_size {
        p.batch_size = v;
    }
    if let Some(v) = args.learning_rate {
        p.learning_rate = v;
    }
    if let Some(v) = args.solver {
        p.solver_type = match v {
            Solver::Sgd => SolverType::Sgd,
            Solver::Adam => SolverType::Adam,
        };
    }
    if let Some(v) = args.momentum {
        p.momentum = v;
    }
    if let Some(v) = args.weight_prior {
        p.weight_prior = v;
    }
    if let Some(size) = &args.image_size {
        (p.image_width, p.image_height) = super::parse_image_size(size)?;
    }
    if let Some(c) = args.channels {
        p.image_num_channels = c;
        if c == 1 {
            p.image_mean = p
                .image_mean
                .as_ref()
                .map(|m| vec![m.iter().sum::<f32>() / m.len() as f32]);
            p.image_std = p
                .image_std
                .as_ref()
                .map(|s| vec![s.iter().sum::<f32>() / s.len() as f32]);
        }
    }
    if let Some(s) = &args.lr_schedule {
        p.learning_rate_schedule = parse_schedule(s)?;
    }
    if let Some(v) = args.warmup_epochs {
        p.warmup_epochs = v;
    }
    if args.augment {
        p.augmentation = kestrel::image::AugmentParams::moderate();
    }
    if let Some(d) = &args.device {
        p.device = d.clone();
    }
    p.validate()?;
    for assignment in &args.set {
        let (name, value) = assignment
            .split_once('=')
            .with_context(|| format!("--set '{assignment}': expected NAME=VALUE"))?;
        p.set(name.trim(), value.trim())?;
    }
    Ok(p)
}

fn parse_schedule(text: &str) -> Result<LearningRateSchedule> {
    Ok(match text {
        "constant" => LearningRateSchedule::Constant,
        "cosine" => LearningRateSchedule::Cosine,
        _ => {
            let Some(list) = text.strip_prefix("steps:") else {
                bail!("--lr-schedule '{text}': expected constant, cosine or steps:E=F,E=F");
            };
            let steps = list
                .split(',')
                .map(|pair| {
                    let (e, f) = pair.split_once('=')?;
                    Some((e.trim().parse().ok()?, f.trim().parse().ok()?))
                })
                .collect::<Option<Vec<(f64, f64)>>>()
                .with_context(|| format!("--lr-schedule '{text}': each step is EPOCH=FACTOR"))?;
            LearningRateSchedule::Steps { steps }
        }
    })
}
