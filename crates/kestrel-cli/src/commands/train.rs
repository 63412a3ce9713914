//! `kestrel train`.

use crate::cli::{Solver, TrainArgs};
use anyhow::{Context, Result, bail};
use kestrel::data::{Dataset, validate};
use kestrel::nn::BackboneKind;
use kestrel::train::{RunFiles, TrainOptions, TrainSummary, train};
use kestrel::{LearningRateSchedule, Model, ModelParams, SolverType};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Builds the model's parameters from the dataset and the options, then trains.
pub fn run(args: &TrainArgs) -> Result<TrainSummary> {
    let dataset = Dataset::load(&args.dataset)?;
    let report = validate(&dataset);
    if !report.problems.is_empty() {
        for p in &report.problems {
            eprintln!("  {p}");
        }
        bail!(
            "{}: {} problem(s); fix them (see `kestrel dataset validate`) before training",
            args.dataset.display(),
            report.problems.len()
        );
    }
    let params = if args.resume {
        let files = RunFiles::new(&args.out);
        Model::load(&files.checkpoint_model())
            .with_context(|| format!("cannot resume {}", args.out.display()))?
            .params
    } else {
        params_from_args(args, &dataset)?
    };
    let mut model = Model::new(params)?;
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
    println!(
        "trained {} epochs in {:.1}s ({:.0} images/s)",
        summary.epochs, summary.seconds, summary.images_per_second
    );
    if let (Some(err), Some(epoch), Some(best)) =
        (summary.best_error, summary.best_epoch, &summary.best_model)
    {
        println!(
            "best validation error {err:.4} at epoch {epoch}: {}",
            best.display()
        );
    }
    println!("final model: {}", summary.final_model.display());
    println!("training log and curve: {}", files.dir.display());
    Ok(summary)
}

fn params_from_args(args: &TrainArgs, dataset: &Dataset) -> Result<ModelParams> {
    let backbone: BackboneKind = args.backbone.parse()?;
    let mut p = ModelParams::classification(backbone, dataset.class_names.clone());
    p.class_ids = dataset.class_ids.clone();
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
        let (w, h) = size
            .split_once(['x', 'X'])
            .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
            .with_context(|| format!("--image-size '{size}': expected WxH, e.g. 224x224"))?;
        p.image_width = w;
        p.image_height = h;
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
        p.augmentation.percentage = 50.0;
        p.augmentation.mirror = kestrel::image::Mirror::Horizontal;
        p.augmentation.rotation_range_deg = 10.0;
        p.augmentation.brightness = 0.1;
        p.augmentation.contrast = 0.1;
        p.augmentation.crop_percentage = 10.0;
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
