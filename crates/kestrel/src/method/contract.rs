//! [`Method`]: the one trait a method implements to plug into Kestrel.

use crate::error::Result;
use crate::method::{Report, Results};
use crate::model::Model;
use crate::network::Network;
use crate::params::ModelParams;
use crate::train::{TrainOptions, TrainSummary};
use crate::weights::NamedTensor;
use burn::tensor::Device;
use kestrel_data::{Dataset, Split};
use kestrel_nn::{Backbone, BackboneKind};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What a fresh network starts from.
#[derive(Default)]
pub struct NetworkInit<'a> {
    /// The tensors of the model file being read, for sizes that depend on the data (an
    /// anomaly detector's memory bank); `None` for a new model.
    pub stored: Option<&'a BTreeMap<String, NamedTensor>>,
    /// A pretrained backbone to start from (transfer learning).
    pub backbone: Option<Backbone>,
}

/// How inference runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InferOptions {
    /// Images per forward pass.
    pub batch_size: usize,
    /// Classification: keep this many best classes per image (all when 0).
    pub top_k: usize,
}

impl Default for InferOptions {
    fn default() -> Self {
        Self {
            batch_size: 16,
            top_k: 0,
        }
    }
}

/// One deep-learning method (HALCON's `type` of a model): how its models are made, trained
/// or fitted, evaluated and applied. The model, trainer, evaluator and CLI reach a method
/// only through this trait; [`crate::registry`] lists the methods.
pub trait Method: Send + Sync + 'static {
    /// The `model_type` parameter's value (HALCON's name in snake case, e.g.
    /// `multi_label_classification`).
    fn name(&self) -> &'static str;

    /// One line saying what the method does.
    fn description(&self) -> &'static str;

    /// Default parameters for a new model of this method on `dataset` (its classes), with
    /// `backbone`.
    fn default_params(&self, backbone: BackboneKind, dataset: &Dataset) -> ModelParams;

    /// The method's own parameters beyond the common ones, with their defaults: stored in
    /// [`ModelParams::method_params`] and read and set by name like the others.
    fn extra_params(&self) -> Map<String, Value> {
        Map::new()
    }

    /// Whether the method's networks are built on one of Kestrel's backbones (so the
    /// `backbone` parameter must name one); methods whose networks come whole from
    /// elsewhere (an ONNX graph) say no.
    fn has_backbone(&self) -> bool {
        true
    }

    /// Whether the method is useful only on a pretrained backbone (it compares the
    /// backbone's features and does not train them), so a model of it is made from
    /// `--pretrained`.
    fn needs_pretrained(&self) -> bool {
        false
    }

    /// The `kestrel infer` option that asks for this method's pictures (`overlays`,
    /// `heat-maps` or `label-images`), or `None` when its results draw none; the other
    /// picture options are refused for its models.
    fn picture_option(&self) -> Option<&'static str> {
        Some("overlays")
    }

    /// Whether inference ranks classes per image, so that [`InferOptions::top_k`] applies.
    fn ranks_classes(&self) -> bool {
        false
    }

    /// Checks the parameters only this method uses; the first bad one is reported.
    fn validate_params(&self, _params: &ModelParams) -> Result<()> {
        Ok(())
    }

    /// A fresh network for `params` on `device` (seeded by the caller).
    fn init_network(
        &self,
        params: &ModelParams,
        device: &Device,
        init: NetworkInit<'_>,
    ) -> Result<Network>;

    /// Trains (or, for methods fitted in one pass, fits) `model` on the dataset's `train`
    /// split, validating on its `validation` split, and writes the models `options` names.
    fn train(
        &self,
        model: &mut Model,
        dataset: &Dataset,
        options: &TrainOptions,
    ) -> Result<TrainSummary>;

    /// The method's measures of `model` on the dataset's `split`.
    fn evaluate(
        &self,
        model: &Model,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<Box<dyn Report>>;

    /// Applies `model` to image files.
    fn infer(
        &self,
        model: &Model,
        paths: &[PathBuf],
        options: &InferOptions,
    ) -> Result<Box<dyn Results>>;
}
