//! Building the memory bank ("training" an anomaly-detection model).

use crate::anomaly::coreset::greedy_coreset;
use crate::anomaly::detect::{RawScores, anomaly_images, branch_scales, raw_scores};
use crate::anomaly::global::GlobalBranch;
use crate::anomaly::net::AnomalyNet;
use crate::anomaly::params::AnomalyParams;
use crate::anomaly::thresholds::{Thresholds, estimate_thresholds};
use crate::error::{Error, Result};
use crate::loader::Loader;
use crate::model::Model;
use crate::network::Network;
use crate::train::{TrainOptions, TrainSummary};
use burn::module::{Module, Param};
use burn::tensor::{Tensor, TensorData};
use indicatif::{ProgressBar, ProgressStyle};
use kestrel_data::{AnomalyLabel, Dataset, Sample, Split};
use kestrel_image::{SampleCache, read_mask};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// Builds the memory bank from the `ok` images of the dataset's train split and sets the
/// thresholds the user left unset (from the validation split, or else from the training
/// images scored against the bank without their own entries). Writes the model to
/// `options.out`.
pub fn fit(model: &mut Model, dataset: &Dataset, options: &TrainOptions) -> Result<TrainSummary> {
    if !options.overwrite && options.out.exists() {
        return Err(Error::AlreadyExists {
            path: options.out.clone(),
        });
    }
    let net = model.network.expect::<AnomalyNet>()?;
    let started = Instant::now();
    if !dataset.samples.iter().any(|s| s.anomaly_label.is_some()) {
        return Err(Error::Dataset(format!(
            "{}: no sample has an anomaly_label, so this is not an anomaly dataset (import one with `kestrel dataset import --kind anomaly`)",
            dataset.base_dir.display()
        )));
    }
    let train: Vec<&Sample> = dataset
        .samples_in(Split::Train)
        .into_iter()
        .filter(|s| s.anomaly_label != Some(AnomalyLabel::Nok))
        .collect();
    if train.is_empty() {
        return Err(Error::Dataset(format!(
            "{}: no defect-free (anomaly_label \"ok\") samples with split \"train\"",
            dataset.base_dir.display()
        )));
    }
    let skipped = dataset.samples_in(Split::Train).len() - train.len();
    if skipped > 0 {
        tracing::warn!("{skipped} defective training images are left out of the memory bank");
    }
    let params = model.params.clone();
    let section: AnomalyParams = params.section()?;
    let cache = match &options.cache_dir {
        Some(dir) => Some(Arc::new(SampleCache::new(dir.clone())?)),
        None => None,
    };
    let loader = Loader {
        preprocess: params.preprocess(),
        cache,
        augment: None,
    };
    let paths: Arc<Vec<PathBuf>> = Arc::new(train.iter().map(|s| dataset.image_path(s)).collect());

    let bar = progress(options.progress, paths.len() as u64, "features");
    let device = crate::device::devices_of(net);
    let mut features = Vec::new();
    let mut descriptors = Vec::new();
    let mut patches_per_image = 0;
    let mut dim = 0;
    let order: Vec<usize> = (0..paths.len()).collect();
    for batch in loader.batches(paths.clone(), order, params.batch_size, 0) {
        let batch = batch?;
        let n = batch.indices.len();
        let images = Tensor::<4>::from_data(TensorData::new(batch.values, batch.shape), &device);
        let embeddings = net.embed(images);
        let [_, d, h, w] = embeddings.dims();
        (patches_per_image, dim) = (h * w, d);
        if net.global.is_some() {
            let described = GlobalBranch::describe(embeddings.clone());
            descriptors.extend(
                described
                    .into_data()
                    .convert::<f32>()
                    .try_into_vec::<f32>()
                    .map_err(|e| Error::Dataset(format!("reading features: {e:?}")))?,
            );
        }
        let values = embeddings
            .permute([0, 2, 3, 1])
            .into_data()
            .convert::<f32>()
            .try_into_vec::<f32>()
            .map_err(|e| Error::Dataset(format!("reading features: {e:?}")))?;
        features.extend_from_slice(&values);
        bar.inc(n as u64);
    }
    bar.finish_and_clear();
    let feature_seconds = started.elapsed().as_secs_f64();

    let rows = features.len() / dim;
    let count = ((rows as f64 * section.coreset_fraction).round() as usize).clamp(1, rows);
    let coreset_started = Instant::now();
    let chosen = greedy_coreset(&features, dim, count, params.seed);
    let mut bank = Vec::with_capacity(count * dim);
    for &row in &chosen {
        bank.extend_from_slice(&features[row * dim..(row + 1) * dim]);
    }
    drop(features);
    let bank_image: Vec<usize> = chosen.iter().map(|&r| r / patches_per_image).collect();
    eprintln!(
        "memory bank: {count} of {rows} patch features ({} images, {:.1}s features, {:.1}s coreset)",
        paths.len(),
        feature_seconds,
        coreset_started.elapsed().as_secs_f64()
    );
    let mut fitted = net.clone();
    fitted.memory_bank = Param::from_tensor(Tensor::<2>::from_data(
        TensorData::new(bank, [count, dim]),
        &device,
    ))
    .set_require_grad(false);
    if let Some(global) = &mut fitted.global {
        let width = descriptors.len() / paths.len();
        global.descriptors = Param::from_tensor(Tensor::<2>::from_data(
            TensorData::new(std::mem::take(&mut descriptors), [paths.len(), width]),
            &device,
        ))
        .set_require_grad(false);
    }

    // Training images scored against the bank without their own entries (and, for the
    // global branch, without themselves): the typical scores of defect-free images.
    let mut own: Vec<Vec<usize>> = vec![Vec::new(); paths.len()];
    for (row, &image) in bank_image.iter().enumerate() {
        own[image].push(row);
    }
    let exclude = move |image: usize| own[image].clone();
    let needs_training_scores =
        fitted.global.is_some() || dataset.samples_in(Split::Validation).is_empty();
    let training_scores = if needs_training_scores {
        raw_scores(
            &fitted,
            &loader,
            paths.clone(),
            params.batch_size,
            Some(&exclude),
        )?
    } else {
        Vec::new()
    };
    if let Some(global) = &mut fitted.global {
        let highest = |pick: &dyn Fn(&RawScores) -> f32| {
            training_scores
                .iter()
                .map(pick)
                .fold(f32::MIN_POSITIVE, f32::max)
        };
        let local = highest(&|r| r.local.iter().copied().fold(0.0, f32::max));
        let global_max = highest(&|r| {
            r.global
                .as_ref()
                .map_or(0.0, |g| g.iter().copied().fold(0.0, f32::max))
        });
        global.scales = Param::from_tensor(Tensor::<1>::from_data(
            TensorData::new(vec![local, global_max], [2]),
            &device,
        ))
        .set_require_grad(false);
    }

    let thresholds = thresholds(&fitted, model, dataset, &loader, &training_scores)?;
    eprintln!(
        "thresholds: classification {:.4}, segmentation {:.4} ({})",
        thresholds.classification, thresholds.segmentation, thresholds.method
    );
    let mut section: AnomalyParams = model.params.section()?;
    section
        .anomaly_classification_threshold
        .get_or_insert(thresholds.classification);
    section
        .anomaly_segmentation_threshold
        .get_or_insert(thresholds.segmentation);
    model.params.set_section(&section);
    model.network = Network::new(model.network.prefix(), fitted.no_grad());
    model.save(&options.out, options.overwrite)?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(TrainSummary {
        epochs: 1,
        best_error: None,
        best_epoch: None,
        final_model: options.out.clone(),
        best_model: None,
        images_per_second: train.len() as f64 / seconds,
        seconds,
        one_pass: true,
    })
}

/// Thresholds from the validation split, or from the training images' scores against the
/// model without themselves.
fn thresholds(
    net: &AnomalyNet,
    model: &Model,
    dataset: &Dataset,
    loader: &Loader,
    training_scores: &[RawScores],
) -> Result<Thresholds> {
    let sigma = model
        .params
        .section::<AnomalyParams>()?
        .anomaly_smoothing_sigma;
    let batch = model.params.batch_size;
    let validation = dataset.samples_in(Split::Validation);
    if !validation.is_empty() {
        let paths: Vec<PathBuf> = validation.iter().map(|s| dataset.image_path(s)).collect();
        let images = anomaly_images(net, loader, Arc::new(paths), batch, sigma)?;
        let nok: Vec<bool> = validation
            .iter()
            .map(|s| s.anomaly_label == Some(AnomalyLabel::Nok))
            .collect();
        let (w, h) = (loader.preprocess.width, loader.preprocess.height);
        let masks = validation
            .iter()
            .map(|s| {
                dataset
                    .anomaly_path(s)
                    .map(|p| read_mask(&p, w, h, 128))
                    .transpose()
            })
            .collect::<std::result::Result<Vec<_>, _>>()?;
        return estimate_thresholds(&images, &nok, &masks);
    }
    let scales = branch_scales(net)?;
    let (w, h) = (
        loader.preprocess.width as usize,
        loader.preprocess.height as usize,
    );
    let images: Vec<_> = training_scores
        .iter()
        .map(|raw| raw.compose(scales, w, h, sigma))
        .collect();
    let mut thresholds = estimate_thresholds(&images, &vec![false; images.len()], &[])?;
    thresholds.method = format!(
        "highest score of the {} training images, each scored without its own bank entries",
        images.len()
    );
    Ok(thresholds)
}

fn progress(show: bool, len: u64, what: &str) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {per_sec} ETA {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix(what.to_string());
    bar
}
