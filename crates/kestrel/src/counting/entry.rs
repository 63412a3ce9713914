//! Deep counting's entry in the method registry.

use crate::counting::examples::LoadedExamples;
use crate::counting::net::CountingNet;
use crate::counting::params::CountingParams;
use crate::counting::NAME;
use crate::error::{Error, Result};
use crate::method::{InferOptions, Method, MethodKind, NetworkInit, Report, Results};
use crate::model::Model;
use crate::network::Network;
use crate::params::{ModelParams, section_fields};
use crate::train::{TrainOptions, TrainSummary};
use burn::tensor::Device;
use kestrel_data::{COUNTING_CLASS, Dataset, Split};
use kestrel_nn::BackboneKind;
use serde_json::{Map, Value};
use std::path::PathBuf;
use std::time::Instant;

/// The tensor-name prefix of counting networks in model files.
const PREFIX: &str = "DeepCounting";

/// The templates' tensor name in a model file.
const TEMPLATES: &str = "DeepCounting.templates";

/// Deep counting: objects like a few example boxes, found by comparing the examples'
/// pretrained features with the image's; prepared, not trained.
pub struct CountingMethod;

/// Default parameters for deep counting with `backbone` (ImageNet normalisation; the
/// image size is not used: images are scaled by their examples' size).
pub fn counting_params(backbone: BackboneKind) -> ModelParams {
    let mut params = ModelParams {
        model_type: MethodKind::of(&CountingMethod),
        epochs: 1,
        ..ModelParams::classification(backbone, vec![COUNTING_CLASS.into()])
    };
    params.complete_method_params();
    params
}

impl Method for CountingMethod {
    fn name(&self) -> &'static str {
        NAME
    }

    fn description(&self) -> &'static str {
        "counts objects like a few example boxes, without training (pretrained features)"
    }

    /// Patch features of a randomly initialised backbone are no measure of anything.
    fn needs_pretrained(&self) -> bool {
        true
    }

    fn default_params(&self, backbone: BackboneKind, _dataset: &Dataset) -> ModelParams {
        counting_params(backbone)
    }

    fn extra_params(&self) -> Map<String, Value> {
        section_fields(&CountingParams::default())
    }

    fn validate_params(&self, params: &ModelParams) -> Result<()> {
        params.section::<CountingParams>()?.validate()
    }

    /// A network with as many templates as the model file stores (one otherwise).
    fn init_network(&self, params: &ModelParams, device: &Device, init: NetworkInit<'_>) -> Result<Network> {
        let rows = init.stored.and_then(|t| t.get(TEMPLATES)).map_or(1, |t| t.shape[0]);
        let mut net = CountingNet::new(params.backbone_kind()?, params.image_num_channels as usize, rows, device);
        if let Some(backbone) = init.backbone {
            net.backbone = backbone;
        }
        Ok(Network::new(PREFIX, net))
    }

    /// Prepares the model with the example boxes of the train split (of every sample when
    /// no sample has a split) and writes it; there is nothing to train.
    fn train(&self, model: &mut Model, dataset: &Dataset, options: &TrainOptions) -> Result<TrainSummary> {
        if !options.overwrite && options.out.exists() {
            return Err(Error::AlreadyExists {
                path: options.out.clone(),
            });
        }
        let started = Instant::now();
        let mut samples = dataset.samples_in(Split::Train);
        if samples.is_empty() {
            samples = dataset.samples.iter().collect();
        }
        let loaded = LoadedExamples::from_samples(dataset, &samples)?;
        let images = LoadedExamples::borrowed(&loaded);
        let prepared = model.prepare_counting(&images)?;
        eprintln!(
            "prepared {} examples from {} images (mean size {:.1} x {:.1} px)",
            prepared.templates.len(),
            images.len(),
            prepared.width,
            prepared.height
        );
        model.save(&options.out, options.overwrite)?;
        let seconds = started.elapsed().as_secs_f64();
        Ok(TrainSummary {
            epochs: 1,
            best_error: None,
            best_epoch: None,
            final_model: options.out.clone(),
            best_model: None,
            images_per_second: images.len() as f64 / seconds.max(1e-9),
            seconds,
            one_pass: true,
        })
    }

    fn evaluate(&self, model: &Model, dataset: &Dataset, split: Split, _batch_size: usize) -> Result<Box<dyn Report>> {
        Ok(Box::new(model.evaluate_counting(dataset, split)?))
    }

    fn infer(&self, model: &Model, paths: &[PathBuf], _options: &InferOptions) -> Result<Box<dyn Results>> {
        Ok(Box::new(model.count_image_files(paths)?))
    }
}
