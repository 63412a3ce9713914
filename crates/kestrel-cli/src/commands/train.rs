//! `kestrel train`.

use super::checked::checked_dataset;
use crate::cli::{Solver, TrainArgs};
use anyhow::{Context, Result, bail};
use kestrel::data::Dataset;
use kestrel::nn::BackboneKind;
use kestrel::pretrained::{TransferOptions, transfer_model};
use kestrel::train::{RunFiles, TrainOptions, TrainSummary};
use kestrel::{Model, ModelParams, ParamOverrides, SolverType, parse_assignment, parse_image_size};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Builds the model's parameters from the dataset and the options, then trains.
pub fn run(args: &TrainArgs) -> Result<TrainSummary> {
    let dataset = checked_dataset(&args.dataset, "training")?;
    let mut model = if args.resume {
        let files = RunFiles::new(&args.out);
        let params = Model::load(&files.checkpoint_model())
            .with_context(|| format!("cannot resume {}", args.out.display()))?
            .params;
        Model::new(params)?
    } else if let Some(name) = &args.pretrained {
        let pretrained = super::load_pretrained(name)?;
        if !pretrained.method().has_backbone() {
            whole_model(args, pretrained)?
        } else {
            let params = params_from_args(args, &dataset, pretrained.params.backbone_kind()?)?;
            let options = TransferOptions {
                freeze_backbone: args.freeze_backbone,
                backbone_learning_rate_factor: args.backbone_lr_factor,
            };
            transfer_model(pretrained, params, options)?
        }
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
    let summary = model.train(&dataset, &options)?;
    println!("{}", summary.describe());
    if !summary.one_pass {
        println!("training log and curve: {}", files.dir.display());
    }
    Ok(summary)
}

/// A pretrained model whose network comes whole (deep OCR's imported graphs), trained on
/// as it is with the options applied to its parameters.
fn whole_model(args: &TrainArgs, mut model: Model) -> Result<Model> {
    if model.params.model_type != args.model_type {
        bail!(
            "--pretrained is a {} model; train it with --model-type {}",
            model.params.model_type,
            model.params.model_type
        );
    }
    overrides_from_args(args)?.apply(&mut model.params)?;
    Ok(model)
}

/// The model's parameters: the method's defaults for the dataset, then the options.
fn params_from_args(
    args: &TrainArgs,
    dataset: &Dataset,
    backbone: BackboneKind,
) -> Result<ModelParams> {
    let mut params = args.model_type.method().default_params(backbone, dataset);
    overrides_from_args(args)?.apply(&mut params)?;
    Ok(params)
}

/// The training options as parameter overrides.
fn overrides_from_args(args: &TrainArgs) -> Result<ParamOverrides> {
    let overrides = ParamOverrides {
        epochs: args.epochs,
        batch_size: args.batch_size,
        learning_rate: args.learning_rate,
        solver_type: args.solver.map(|s| match s {
            Solver::Sgd => SolverType::Sgd,
            Solver::Adam => SolverType::Adam,
        }),
        momentum: args.momentum,
        weight_prior: args.weight_prior,
        image_size: args
            .image_size
            .as_deref()
            .map(parse_image_size)
            .transpose()
            .context("--image-size")?,
        image_num_channels: args.channels,
        learning_rate_schedule: args
            .lr_schedule
            .as_deref()
            .map(str::parse)
            .transpose()
            .context("--lr-schedule")?,
        warmup_epochs: args.warmup_epochs,
        augment: args.augment,
        device: args.device.clone(),
        set: args
            .set
            .iter()
            .map(|a| parse_assignment(a))
            .collect::<kestrel::Result<_>>()
            .context("--set")?,
    };
    Ok(overrides)
}
