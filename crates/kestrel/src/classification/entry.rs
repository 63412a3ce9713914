//! Classification's entry in the method registry.

use super::{Classification, NAME};
use crate::error::Result;
use crate::method::{InferOptions, Method, NetworkInit, Report, Results};
use crate::model::Model;
use crate::network::Network;
use crate::params::ModelParams;
use crate::train::{TrainOptions, TrainSummary, train_network};
use burn::tensor::Device;
use kestrel_data::{Dataset, Split};
use kestrel_nn::{BackboneKind, ClassifierNet};
use std::path::PathBuf;

/// The tensor-name prefix of classifiers in model files.
const PREFIX: &str = "Classification";

/// A classifier for the model's classes, on a pretrained backbone when `init` has one;
/// its tensors are named `<prefix>.…`.
pub(crate) fn classifier_network(
    prefix: &'static str,
    params: &ModelParams,
    device: &Device,
    init: NetworkInit<'_>,
) -> Result<Network> {
    let classes = params.class_names.len();
    let net = match init.backbone {
        Some(backbone) => ClassifierNet::with_backbone(backbone, classes, device),
        None => ClassifierNet::new(
            params.backbone_kind()?,
            params.image_num_channels as usize,
            classes,
            device,
        ),
    };
    Ok(Network::new(prefix, net))
}

/// Image classification: one class per image.
pub struct ClassificationMethod;

impl Method for ClassificationMethod {
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
        "one class per image (softmax, cross-entropy)"
    }

    fn default_params(&self, backbone: BackboneKind, dataset: &Dataset) -> ModelParams {
        let mut params = ModelParams::classification(backbone, dataset.class_names.clone());
        params.class_ids = dataset.class_ids.clone();
        params
    }

    fn init_network(
        &self,
        params: &ModelParams,
        device: &Device,
        init: NetworkInit<'_>,
    ) -> Result<Network> {
        classifier_network(PREFIX, params, device, init)
    }

    fn train(
        &self,
        model: &mut Model,
        dataset: &Dataset,
        options: &TrainOptions,
    ) -> Result<TrainSummary> {
        let method = Classification {
            class_ids: model.params.class_ids.clone(),
            class_names: model.params.class_names.clone(),
        };
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
            model.evaluate_classification(dataset, split, batch_size)?,
        ))
    }

    fn infer(
        &self,
        model: &Model,
        paths: &[PathBuf],
        options: &InferOptions,
    ) -> Result<Box<dyn Results>> {
        Ok(Box::new(model.classify(
            paths,
            options.batch_size,
            options.top_k,
        )?))
    }
}
