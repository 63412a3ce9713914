//! Multi-label classification's entry in the method registry.

use super::{MultiLabel, MultiLabelParams, NAME, calibrate_thresholds};
use crate::classification::classifier_network;
use crate::error::Result;
use crate::method::{InferOptions, Method, NetworkInit, Report, Results};
use crate::model::Model;
use crate::network::Network;
use crate::params::{ModelParams, section_fields};
use crate::train::{TrainOptions, TrainSummary, split_data, train_network};
use burn::tensor::Device;
use kestrel_data::{Dataset, Split};
use kestrel_nn::BackboneKind;
use serde_json::{Map, Value};
use std::path::PathBuf;

/// The tensor-name prefix of multi-label classifiers in model files.
const PREFIX: &str = "MultiLabelClassification";

/// Multi-label classification: every class an image shows.
pub struct MultiLabelMethod;

impl Method for MultiLabelMethod {
    fn name(&self) -> &'static str {
        NAME
    }

    fn picture_option(&self) -> Option<&'static str> {
        None
    }

    fn ranks_classes(&self) -> bool {
        true
    }

    fn description(&self) -> &'static str {
        "every class an image shows (one sigmoid per class, thresholds per class)"
    }

    fn default_params(&self, backbone: BackboneKind, dataset: &Dataset) -> ModelParams {
        let mut params =
            ModelParams::multi_label_classification(backbone, dataset.class_names.clone());
        params.class_ids = dataset.class_ids.clone();
        params
    }

    fn extra_params(&self) -> Map<String, Value> {
        section_fields(&MultiLabelParams::default())
    }

    fn validate_params(&self, params: &ModelParams) -> Result<()> {
        params
            .section::<MultiLabelParams>()?
            .validate(params.class_names.len())
    }

    fn init_network(
        &self,
        params: &ModelParams,
        device: &Device,
        init: NetworkInit<'_>,
    ) -> Result<Network> {
        classifier_network(PREFIX, params, device, init)
    }

    /// Trains, then chooses the per-class thresholds on the validation split for the final
    /// and the best model.
    fn train(
        &self,
        model: &mut Model,
        dataset: &Dataset,
        options: &TrainOptions,
    ) -> Result<TrainSummary> {
        let mut method = MultiLabel {
            class_ids: model.params.class_ids.clone(),
            class_names: model.params.class_names.clone(),
            positive_weights: vec![1.0; model.params.class_names.len()],
        };
        if model
            .params
            .section::<MultiLabelParams>()?
            .weight_rare_classes
        {
            let targets = split_data(&method, dataset, Split::Train)?.annotations;
            method.weight_rare_classes(&targets);
        }
        let summary = train_network(&method, model, dataset, options)?;
        let batch_size = model.params.batch_size;
        let how = calibrate_thresholds(model, dataset, batch_size)?;
        model.save(&summary.final_model, true)?;
        if let Some(best_path) = &summary.best_model {
            let mut best = Model::load(best_path)?;
            calibrate_thresholds(&mut best, dataset, batch_size)?;
            best.save(best_path, true)?;
        }
        eprintln!("class thresholds (min_confidence): {how}");
        Ok(summary)
    }

    fn evaluate(
        &self,
        model: &Model,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<Box<dyn Report>> {
        Ok(Box::new(
            model.evaluate_multi_label(dataset, split, batch_size)?,
        ))
    }

    fn infer(
        &self,
        model: &Model,
        paths: &[PathBuf],
        options: &InferOptions,
    ) -> Result<Box<dyn Results>> {
        Ok(Box::new(model.label_images(paths, options.batch_size)?))
    }
}
