//! Object detection's entry in the method registry.

use super::{DetectionParams, EVALUATION_MIN_CONFIDENCE, NAME};
use crate::error::Result;
use crate::method::{InferOptions, Method, NetworkInit, Report, Results};
use crate::model::Model;
use crate::network::Network;
use crate::params::{ModelParams, section_fields};
use crate::train::{TrainOptions, TrainSummary, train_network};
use burn::tensor::Device;
use kestrel_data::{Dataset, Split};
use kestrel_nn::{BackboneKind, DetectionNet};
use serde_json::{Map, Value};
use std::path::PathBuf;

/// The tensor-name prefix of detectors in model files.
const PREFIX: &str = "Detection";

/// Object detection: boxes, rotated boxes or instance masks.
pub struct DetectionMethod;

impl Method for DetectionMethod {
    fn name(&self) -> &'static str {
        NAME
    }

    fn description(&self) -> &'static str {
        "objects as boxes, rotated boxes or instance masks (anchor-free, FCOS-style)"
    }

    fn default_params(&self, backbone: BackboneKind, dataset: &Dataset) -> ModelParams {
        let mut params = ModelParams::detection(backbone, dataset.class_names.clone());
        params.class_ids = dataset.class_ids.clone();
        params
    }

    fn extra_params(&self) -> Map<String, Value> {
        section_fields(&DetectionParams::default())
    }

    fn validate_params(&self, params: &ModelParams) -> Result<()> {
        params.section::<DetectionParams>()?.validate(params)
    }

    fn init_network(
        &self,
        params: &ModelParams,
        device: &Device,
        init: NetworkInit<'_>,
    ) -> Result<Network> {
        let mut net = DetectionNet::new(
            params.backbone_kind()?,
            params.image_num_channels as usize,
            params
                .section::<DetectionParams>()?
                .spec(params.class_names.len()),
            device,
        );
        if let Some(backbone) = init.backbone {
            net.backbone = backbone;
        }
        Ok(Network::new(PREFIX, net))
    }

    /// Trains with validation by mean AP, which needs the low-confidence detections too.
    fn train(
        &self,
        model: &mut Model,
        dataset: &Dataset,
        options: &TrainOptions,
    ) -> Result<TrainSummary> {
        let (mut method, _) = model
            .detection()
            .ok_or_else(|| model.wrong_method("be trained as a detector"))?;
        method.decode.min_confidence = vec![EVALUATION_MIN_CONFIDENCE; method.class_names.len()];
        train_network(&method, model, dataset, options)
    }

    fn evaluate(
        &self,
        model: &Model,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<Box<dyn Report>> {
        Ok(Box::new(
            model.evaluate_detection(dataset, split, batch_size)?,
        ))
    }

    fn infer(
        &self,
        model: &Model,
        paths: &[PathBuf],
        options: &InferOptions,
    ) -> Result<Box<dyn Results>> {
        Ok(Box::new(model.detect(paths, options.batch_size)?))
    }
}
