//! Training: epochs over shuffled batches with SGD or Adam, a learning-rate schedule,
//! validation every few epochs, best and final models, a checkpoint each epoch, a progress
//! bar, a JSONL log and a PNG training curve.

pub(crate) mod checkpoint;
mod lock;
pub(crate) mod optimizer;
pub(crate) mod param_ids;
pub(crate) mod schedule;

pub use checkpoint::{RunFiles, TrainState};
pub use lock::RunLock;
pub use schedule::learning_rate_at;

use crate::error::{Error, Result};
use crate::loader::Loader;
use crate::method::GradientMethod;
use crate::model::Model;
use crate::network::Network;
use crate::predict::predict_with_targets;
use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::{Tensor, TensorData};
use indicatif::{ProgressBar, ProgressStyle};
use kestrel_data::{Dataset, Sample, Split};
use kestrel_image::SampleCache;
use kestrel_metrics::EpochRecord;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// How to run training (the hyperparameters are the model's parameters).
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Where the final model goes; the best model and the run folder go beside it.
    pub out: PathBuf,
    /// Continue the run whose checkpoint is beside `out`.
    pub resume: bool,
    /// Replace existing output files.
    pub overwrite: bool,
    /// Show a progress bar.
    pub progress: bool,
    /// Folder for the cache of resized images (`None`: no cache).
    pub cache_dir: Option<PathBuf>,
    /// Set to stop training after the current batch (e.g. from a Ctrl-C handler).
    pub stop: Arc<AtomicBool>,
}

/// What a training run achieved.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TrainSummary {
    /// Epochs completed in all (including resumed ones).
    pub epochs: usize,
    /// Best validation error and its epoch, when there was a validation split.
    pub best_error: Option<f64>,
    /// The epoch of the best validation error.
    pub best_epoch: Option<usize>,
    /// The final model file.
    pub final_model: PathBuf,
    /// The best model file (when validated).
    pub best_model: Option<PathBuf>,
    /// Training images per second (forward + backward + update, including loading).
    pub images_per_second: f64,
    /// Training seconds in all.
    pub seconds: f64,
    /// The model was fitted in one pass (no epochs, no log or curve), as an anomaly
    /// detector's memory bank is.
    pub one_pass: bool,
}

impl TrainSummary {
    /// The outcome for a person to read, one or more lines.
    pub fn describe(&self) -> String {
        let mut lines = vec![if self.one_pass {
            format!(
                "fitted in {:.1}s ({:.1} images/s)",
                self.seconds, self.images_per_second
            )
        } else {
            format!(
                "trained {} epochs in {:.1}s ({:.0} images/s)",
                self.epochs, self.seconds, self.images_per_second
            )
        }];
        if let (Some(err), Some(epoch), Some(best)) =
            (self.best_error, self.best_epoch, &self.best_model)
        {
            lines.push(format!(
                "best validation error {err:.4} at epoch {epoch}: {}",
                best.display()
            ));
        }
        lines.push(format!("final model: {}", self.final_model.display()));
        lines.join("\n")
    }
}

/// Trains `model` on the dataset's `train` split, validating on its `validation` split, as
/// its method does (see [`Model::train`]).
pub fn train(model: &mut Model, dataset: &Dataset, options: &TrainOptions) -> Result<TrainSummary> {
    model.train(dataset, options)
}

/// The images and annotations of one split.
pub struct SplitData<T> {
    /// The image files, in dataset order.
    pub paths: Arc<Vec<PathBuf>>,
    /// Their annotations.
    pub annotations: Vec<T>,
}

/// The annotations and image paths of a split (empty when it has no samples).
pub fn split_data<M: GradientMethod>(
    method: &M,
    dataset: &Dataset,
    split: Split,
) -> Result<SplitData<M::Annotation>> {
    let samples: Vec<&Sample> = dataset.samples_in(split);
    let annotations = samples
        .iter()
        .map(|s| method.encode_target(dataset, s))
        .collect::<Result<Vec<_>>>()?;
    let paths = samples.iter().map(|s| dataset.image_path(s)).collect();
    Ok(SplitData {
        paths: Arc::new(paths),
        annotations,
    })
}

/// Trains the network of `model` (of `method`'s type) by gradient descent: epochs over
/// shuffled, augmented batches, validation, best and final model files, a checkpoint each
/// epoch (continued with `options.resume`), progress, log and curve. On return
/// `model.network` holds the final network.
pub fn train_network<M: GradientMethod>(
    method: &M,
    model: &mut Model,
    dataset: &Dataset,
    options: &TrainOptions,
) -> Result<TrainSummary>
where
    M::Net: 'static,
{
    if options.resume {
        model.network = Model::load(&RunFiles::new(&options.out).resume_model()?)?.network;
    }
    let prefix = model.network.prefix();
    let wrap = |net: M::Net| Network::new(prefix, net);
    // Ids from the parameters' paths: the optimiser state a checkpoint saves is keyed by
    // them, and a network read back from a file would otherwise get fresh ones.
    let net: M::Net = param_ids::path_param_ids(model.network.expect::<M::Net>()?.clone());
    let params = model.params.clone();
    let files = RunFiles::new(&options.out);
    files.check_new(options)?;
    let train_data = split_data(method, dataset, Split::Train)?;
    let val_data = split_data(method, dataset, Split::Validation)?;
    if train_data.annotations.is_empty() {
        return Err(Error::Dataset(format!(
            "{}: no samples with split \"train\" (run `kestrel dataset split` first)",
            dataset.base_dir.display()
        )));
    }

    let mut state = TrainState::default();
    let mut optim = optimizer::build(&params, method.backbone_params(&net));
    if options.resume {
        state = files.load_state()?;
        optim = optimizer::load(optim, &files.checkpoint_optimizer(state.epochs_done))?;
        tracing::info!("resuming after epoch {}", state.epochs_done);
    }

    let device = crate::device::parse_device(&params.device)?;
    let mut net = net.to_device(&device.clone().autodiff()).train();
    if params.freeze_backbone {
        let backbone = method.backbone_params(&net);
        net = net.freeze_group(backbone);
    } else if let Some(part) = method.partly_frozen_params(&net) {
        net = net.freeze_group(part);
    }
    let cache = match &options.cache_dir {
        Some(dir) => Some(Arc::new(SampleCache::new(dir.clone())?)),
        None => None,
    };
    let train_loader = Loader {
        preprocess: params.preprocess(),
        cache: cache.clone(),
        augment: Some((params.augmentation.clone(), params.seed)),
    };
    let eval_loader = Loader {
        augment: None,
        ..train_loader.clone()
    };
    std::fs::create_dir_all(&files.dir).map_err(crate::error::io_error(&files.dir))?;

    let n_train = train_data.annotations.len();
    let steps_per_epoch = n_train.div_ceil(params.batch_size);
    for epoch in state.epochs_done..params.epochs {
        let started = Instant::now();
        let mut order: Vec<usize> = (0..n_train).collect();
        let mut rng =
            rand_chacha::ChaCha8Rng::seed_from_u64(params.seed ^ ((epoch as u64 + 1) * 0x51_7CC1));
        order.shuffle(&mut rng);
        let bar = progress_bar(options.progress, steps_per_epoch, epoch, params.epochs);
        let mut loss_sum = 0.0;
        let mut loss_count = 0usize;
        let mut lr = 0.0;
        let batches = train_loader.batches(
            train_data.paths.clone(),
            order,
            params.batch_size,
            epoch as u64,
        );
        let mut input_wait = 0.0;
        let mut batches = batches.into_iter().enumerate();
        loop {
            let waiting = Instant::now();
            let Some((step, batch)) = batches.next() else {
                break;
            };
            input_wait += waiting.elapsed().as_secs_f64();
            if options.stop.load(Ordering::SeqCst) {
                bar.abandon();
                return Err(Error::Interrupted {
                    epoch: state.epochs_done,
                });
            }
            let batch = batch?;
            let targets: Vec<M::Target> = batch
                .indices
                .iter()
                .zip(&batch.images)
                .map(|(&i, image)| method.place_target(&train_data.annotations[i], image))
                .collect::<Result<_>>()?;
            let images = Tensor::<4>::from_data(
                TensorData::new(batch.values, batch.shape),
                &device.clone().autodiff(),
            );
            let loss = method.loss(&net, images, &targets);
            let loss_value = loss.clone().into_scalar::<f32>() as f64;
            if !loss_value.is_finite() {
                return Err(Error::Dataset(format!(
                    "the loss became {loss_value} at epoch {} step {step}: lower learning_rate",
                    epoch + 1
                )));
            }
            let grads = GradientsParams::from_grads(loss.backward(), &net);
            lr = learning_rate_at(&params, epoch as f64 + step as f64 / steps_per_epoch as f64);
            net = optim.step(lr, net, grads);
            loss_sum += loss_value * targets.len() as f64;
            loss_count += targets.len();
            state.images += targets.len() as u64;
            bar.set_message(format!("loss {:.4}", loss_sum / loss_count as f64));
            bar.inc(1);
        }
        let epoch_seconds = started.elapsed().as_secs_f64();
        state.seconds += epoch_seconds;
        let train_loss = loss_sum / loss_count.max(1) as f64;
        let validate = !val_data.annotations.is_empty()
            && ((epoch + 1) % params.evaluation_interval_epochs == 0 || epoch + 1 == params.epochs);
        let valid_net = net.valid();
        let validation_error = if validate {
            let (predictions, targets): (Vec<_>, Vec<_>) = predict_with_targets(
                method,
                &valid_net,
                &eval_loader,
                val_data.paths.clone(),
                &val_data.annotations,
                params.batch_size,
            )?
            .into_iter()
            .unzip();
            Some(method.error(&predictions, &targets))
        } else {
            None
        };
        let throughput = loss_count as f64 / epoch_seconds;
        bar.finish_and_clear();
        eprintln!(
            "epoch {:>3}/{}  loss {:.4}  {}  lr {:.2e}  {:.0} img/s  {:.1}s ({:.0}% waiting for input)",
            epoch + 1,
            params.epochs,
            train_loss,
            validation_error.map_or("validation -".into(), |e| format!(
                "validation error {:.4}",
                e
            )),
            lr,
            throughput,
            epoch_seconds,
            100.0 * input_wait / epoch_seconds.max(1e-9)
        );
        let mut snapshot = model.clone();
        snapshot.network = wrap(valid_net.clone());
        let record = EpochRecord {
            epoch: epoch + 1,
            train_loss,
            validation_error,
            learning_rate: lr,
        };
        files.end_epoch(&mut state, record, &snapshot, &optim)?;
    }

    model.network = wrap(net.valid());
    model.save(&files.final_model, true)?;
    let summary = TrainSummary {
        epochs: state.epochs_done,
        best_error: state.best_error,
        best_epoch: state.best_epoch,
        final_model: files.final_model.clone(),
        best_model: state.best_error.map(|_| files.best_model.clone()),
        images_per_second: state.images as f64 / state.seconds.max(1e-9),
        seconds: state.seconds,
        one_pass: false,
    };
    Ok(summary)
}

fn progress_bar(show: bool, steps: usize, epoch: usize, epochs: usize) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(steps as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "epoch {prefix} [{bar:30}] {pos}/{len} {msg} {per_sec} ETA {eta}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_prefix(format!("{}/{}", epoch + 1, epochs));
    bar
}

/// Does the run folder beside `out` hold a checkpoint to resume from?
pub fn can_resume(out: &Path) -> bool {
    RunFiles::new(out).state().exists()
}
