//! Fine-tuning the word recogniser on a dataset's word crops with CTC: the graph's
//! weights trained by gradient descent (the model's `solver_type`, `learning_rate`,
//! `batch_size`, `epochs`), validated by word accuracy, best and final model written.
//! Crops are augmented with the model's `augmentation` (rotation, crop, brightness,
//! contrast, blur; never mirrored).

use super::recognize::{crop_batch, scale_crop};
use super::{OcrNet, OcrParams};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::network::Network;
use crate::train::checkpoint::{RunFiles, TrainState};
use crate::train::schedule::learning_rate_at;
use crate::train::{TrainOptions, TrainSummary, optimizer, param_ids};
use burn::module::{Module, Param, ParamGroup};
use burn::nn::loss::CTCLossConfig;
use burn::optim::GradientsParams;
use burn::tensor::activation::log_softmax;
use burn::tensor::{Int, Tensor, TensorData};
use kestrel_data::{Dataset, Split};
use image::DynamicImage;
use kestrel_image::{AugmentParams, ImageF32, augment, image_to_rgb, read_image, seeded_rng};
use kestrel_metrics::EpochRecord;
use kestrel_nn::GraphNet;
use kestrel_onnx::GraphSpec;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Instant;

/// A word crop and its classes (alphabet index + 1).
type Labelled = (PathBuf, Vec<i64>);

/// The value before the recogniser's final softmax (the logits CTC needs).
fn logits_value(spec: &GraphSpec, section: &OcrParams) -> String {
    if !section.recognition_output_is_probability {
        return section.recognition_output.clone();
    }
    spec.nodes
        .iter()
        .find(|n| n.op == "Softmax" && n.outputs.first() == Some(&section.recognition_output))
        .and_then(|n| n.inputs.first().cloned())
        .unwrap_or_else(|| section.recognition_output.clone())
}

/// The word crops of `split` with their classes; every sample whose word is missing or
/// has characters outside the alphabet is reported at once.
fn labelled_crops(dataset: &Dataset, split: Split, alphabet: &[String]) -> Result<Vec<Labelled>> {
    let index: HashMap<&str, i64> = alphabet
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i as i64 + 1))
        .collect();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for s in dataset.samples_in(split) {
        let Some(word) = s.word.as_deref().filter(|w| !w.is_empty()) else {
            problems.push(format!("sample {} ({}): no word", s.image_id, s.image_file_name));
            continue;
        };
        let mut classes = Vec::new();
        for c in word.chars() {
            match index.get(c.to_string().as_str()) {
                Some(&k) => classes.push(k),
                None => problems.push(format!(
                    "sample {} ({}): word {word:?}: {c:?} is not in the recognition_alphabet",
                    s.image_id, s.image_file_name
                )),
            }
        }
        out.push((dataset.image_path(s), classes));
    }
    if !problems.is_empty() {
        return Err(Error::Dataset(format!(
            "{} problem(s) in split {split}:\n  {}",
            problems.len(),
            problems.join("\n  ")
        )));
    }
    Ok(out)
}

/// Fine-tunes the recogniser of `model` on the dataset's train split, with a checkpoint
/// after each epoch that `options.resume` continues from.
pub(crate) fn fine_tune(model: &mut Model, dataset: &Dataset, options: &TrainOptions) -> Result<TrainSummary> {
    let section: OcrParams = model.params.section()?;
    let spec = section.recognition_network.clone().ok_or_else(|| Error::BadParam {
        name: "recognition_network".into(),
        message: "the model has no recogniser to train: import one (`kestrel model import-ocr`), or train a new one on a dataset of word crops".into(),
    })?;
    let files = RunFiles::new(&options.out);
    files.check_new(options)?;
    let mut state = TrainState::default();
    if options.resume {
        state = files.load_state()?;
        *model = Model::load(&files.resume_model()?)?;
    }
    let logits = logits_value(&spec, &section);
    let train = labelled_crops(dataset, Split::Train, &section.recognition_alphabet)?;
    let validation = labelled_crops(dataset, Split::Validation, &section.recognition_alphabet)?;
    if train.is_empty() {
        return Err(Error::Dataset("no samples with split \"train\" (run `kestrel dataset split` first)".into()));
    }
    let net: &OcrNet = model.ocr_net().ok_or_else(|| model.wrong_method("be fine-tuned as deep OCR"))?;
    let params = model.params.clone();
    let device = crate::device::parse_device(&params.device)?;
    let autodiff = device.clone().autodiff();
    // Ids from the parameters' paths, so the optimiser state of a checkpoint finds them.
    let recognizer = net.recognizer.clone().expect("checked above: the spec is there");
    let mut rec: GraphNet = param_ids::path_param_ids(recognizer)
        .to_device(&autodiff)
        .train();
    // Fine-tuning keeps the batch norms on their running statistics: batches of a few
    // crops would give noisy ones, and the pretrained statistics fit word crops already.
    if section.recognition_batch_norm_frozen {
        for norm in &mut rec.norms {
            norm.training = Param::from_bool(false);
        }
    }
    let mut optim = optimizer::build(&params, ParamGroup::from_paths(Vec::<String>::new()));
    if options.resume {
        optim = optimizer::load(optim, &files.checkpoint_optimizer(state.epochs_done))?;
    }
    let ctc = CTCLossConfig::new().with_zero_infinity(true).init();
    std::fs::create_dir_all(&files.dir).map_err(crate::error::io_error(&files.dir))?;
    let (height, min_width) = (params.image_height, params.image_width as usize);
    let steps = train.len().div_ceil(params.batch_size);
    for epoch in state.epochs_done..params.epochs {
        let started = Instant::now();
        let mut order: Vec<usize> = (0..train.len()).collect();
        order.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(params.seed ^ (epoch as u64 + 1)));
        let (mut loss_sum, mut lr) = (0.0, 0.0);
        for (step, chunk) in order.chunks(params.batch_size).enumerate() {
            if options.stop.load(Ordering::SeqCst) {
                return Err(Error::Interrupted {
                    epoch: state.epochs_done,
                });
            }
            let crops = chunk
                .par_iter()
                .map(|&i| {
                    let (path, _) = &train[i];
                    let crop = augmented(read_image(path)?, &params.augmentation, params.seed, epoch, i);
                    scale_crop(&crop, height, section.recognition_image_width_max, path)
                })
                .collect::<Result<Vec<_>>>()?;
            let x = Tensor::<4>::from_data(crop_batch(&crops, height as usize, min_width), &autodiff);
            let out = rec.forward_named(vec![x], &[logits.as_str()])?.remove(0);
            let scores = out.into_rank::<3>().ok_or_else(|| Error::Dataset(format!("the recogniser's value {logits} is not [batch, positions, classes]")))?;
            let [batch, positions, classes] = scores.dims();
            section.check_classes(classes)?;
            let log_probs = log_softmax(scores, 2).swap_dims(0, 1);
            let longest = chunk.iter().map(|&i| train[i].1.len()).max().unwrap_or(1).max(1);
            let mut targets = vec![0i64; batch * longest];
            let mut lengths = Vec::with_capacity(batch);
            for (b, &i) in chunk.iter().enumerate() {
                let classes = &train[i].1;
                targets[b * longest..b * longest + classes.len()].copy_from_slice(classes);
                lengths.push(classes.len() as i64);
            }
            let targets = Tensor::<2, Int>::from_data(TensorData::new(targets, [batch, longest]), &autodiff);
            let input_lengths = Tensor::<1, Int>::from_data(TensorData::new(vec![positions as i64; batch], [batch]), &autodiff);
            let target_lengths = Tensor::<1, Int>::from_data(TensorData::new(lengths, [batch]), &autodiff);
            let loss = ctc.forward(log_probs, targets, input_lengths, target_lengths).mean();
            let value = loss.clone().into_scalar::<f32>() as f64;
            if !value.is_finite() {
                return Err(Error::Dataset(format!(
                    "the loss became {value} at epoch {} step {step}: lower learning_rate",
                    epoch + 1
                )));
            }
            loss_sum += value;
            let grads = GradientsParams::from_grads(loss.backward(), &rec);
            lr = learning_rate_at(&params, epoch as f64 + step as f64 / steps as f64);
            rec = optim.step(lr, rec, grads);
        }
        state.seconds += started.elapsed().as_secs_f64();
        state.images += train.len() as u64;
        let snapshot = with_recognizer(model, rec.valid());
        let error = if validation.is_empty() {
            None
        } else {
            let report = snapshot.evaluate_ocr(dataset, Split::Validation, params.batch_size)?;
            Some(1.0 - report.recognition.word_accuracy_normalized)
        };
        let train_loss = loss_sum / steps as f64;
        tracing::info!("epoch {}: loss {train_loss:.4}, validation word error {error:?}", epoch + 1);
        let record = EpochRecord {
            epoch: epoch + 1,
            train_loss,
            validation_error: error,
            learning_rate: lr,
        };
        files.end_epoch(&mut state, record, &snapshot, &optim)?;
        *model = snapshot;
    }
    model.save(&files.final_model, true)?;
    Ok(TrainSummary {
        epochs: state.epochs_done,
        best_error: state.best_error,
        best_epoch: state.best_epoch,
        final_model: files.final_model.clone(),
        best_model: state.best_error.map(|_| files.best_model.clone()),
        images_per_second: state.images as f64 / state.seconds.max(1e-9),
        seconds: state.seconds,
        one_pass: false,
    })
}

/// A training crop augmented as `augmentation` says (no mirrors or 90° turns: see
/// `validate_params`), drawn from the seed, the epoch and the crop's index, so a resumed
/// run draws what the interrupted one would have.
fn augmented(crop: DynamicImage, augmentation: &AugmentParams, seed: u64, epoch: usize, index: usize) -> DynamicImage {
    if augmentation.percentage <= 0.0 {
        return crop;
    }
    let key = ((epoch as u64) << 32) ^ index as u64;
    let mut rng = seeded_rng(seed ^ key.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let out = augment(&ImageF32::from_rgb8(&crop.to_rgb8()), augmentation, &mut rng);
    DynamicImage::ImageRgb8(image_to_rgb(&out))
}

/// `model` with `recognizer` in place of its recogniser.
fn with_recognizer(model: &Model, recognizer: GraphNet) -> Model {
    let detector = model.ocr_net().and_then(|n| n.detector.clone());
    Model {
        params: model.params.clone(),
        network: Network::new(
            super::PREFIX,
            OcrNet {
                recognizer: Some(recognizer),
                detector,
            },
        ),
    }
}
