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
    if args.pretrained.is_none() && (args.freeze_backbone || args.backbone_lr_factor != 1.0) {
        bail!(
            "--freeze-backbone and --backbone-lr-factor apply with --pretrained: a new network has no trained backbone to keep"
        );
    }
    if let Some(kind) = args.model_type.filter(|k| k.method().needs_pretrained())
        && !args.resume
        && args.pretrained.is_none()
    {
        bail!(
            "--model-type {kind} compares the features of a pretrained backbone and does not train them: give --pretrained (mobilenet_v2, resnet18, resnet50 or a model file)"
        );
    }
    let dataset = checked_dataset(&args.dataset, "training")?;
    let mut model = if args.resume {
        resumed_model(args)?
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
        let backbone = args.backbone.as_deref().unwrap_or("compact");
        Model::new(params_from_args(args, &dataset, backbone.parse()?)?)?
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
    // Ctrl-C, SIGTERM or SIGHUP stop training after the batch; a second one while stopping
    // ends the process at once.
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("\nstopping after this batch (the checkpoints of finished epochs are kept)");
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

/// The interrupted run's model, with the parameters its checkpoint holds. `--resume`
/// continues the run as it was started: options that would change it are refused, except
/// a larger `--epochs`, which trains on, and `--device`.
fn resumed_model(args: &TrainArgs) -> Result<Model> {
    if args.pretrained.is_some() || args.freeze_backbone {
        bail!(
            "--pretrained and --freeze-backbone start a new run; --resume continues the run in --out as it was started"
        );
    }
    let files = RunFiles::new(&args.out);
    let cannot = || format!("cannot resume {}", args.out.display());
    let epochs_done = files.load_state().with_context(cannot)?.epochs_done;
    let params = Model::load(&files.resume_model()?)
        .with_context(cannot)?
        .params;
    let mut wanted = params.clone();
    overrides_from_args(args)?.apply(&mut wanted)?;
    let mut changed = changed_params(&params, &wanted);
    if let Some(kind) = args.model_type.filter(|k| *k != params.model_type) {
        changed.push(format!("model_type {} -> {kind}", params.model_type));
    }
    if let Some(backbone) = args.backbone.as_deref().filter(|b| *b != params.backbone) {
        changed.push(format!("backbone {} -> {backbone}", params.backbone));
    }
    if !changed.is_empty() {
        bail!(
            "--resume continues the run as it was started, and these options differ from it: {} (leave them out, or start a new run with another --out)",
            changed.join(", ")
        );
    }
    if wanted.epochs < epochs_done {
        bail!(
            "--epochs {} is fewer than the {epochs_done} epochs already trained",
            wanted.epochs
        );
    }
    if wanted.epochs != params.epochs {
        println!(
            "training on to {} epochs (the run was started for {})",
            wanted.epochs, params.epochs
        );
    }
    Ok(Model::new(wanted)?)
}

/// The parameters whose values differ, as `name old -> new`; not `epochs` (a run may train
/// on) nor `device` (the run may go on elsewhere).
fn changed_params(old: &ModelParams, new: &ModelParams) -> Vec<String> {
    let as_map = |p: &ModelParams| match serde_json::to_value(p) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let (old, new) = (as_map(old), as_map(new));
    new.iter()
        .filter(|(name, value)| {
            !["epochs", "device"].contains(&name.as_str()) && old.get(*name) != Some(value)
        })
        .map(|(name, value)| {
            let before = old.get(name).map_or("-".into(), |v| v.to_string());
            format!("{name} {before} -> {value}")
        })
        .collect()
}

/// A pretrained model whose network comes whole (deep OCR's imported graphs), trained on
/// as it is with the options applied to its parameters.
fn whole_model(args: &TrainArgs, mut model: Model) -> Result<Model> {
    if let Some(kind) = args.model_type.filter(|k| *k != model.params.model_type) {
        bail!(
            "--pretrained is a {} model, not a {kind} one (leave --model-type out to train it as it is)",
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
    let kind = match args.model_type {
        Some(kind) => kind,
        None => "classification".parse().map_err(anyhow::Error::msg)?,
    };
    let mut params = kind.method().default_params(backbone, dataset);
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
