//! Anomaly detection's and global-context anomaly detection's entries in the method
//! registry.

use super::{AnomalyNet, AnomalyParams, GLOBAL_NAME, NAME, fit};
use crate::error::Result;
use crate::method::{InferOptions, Method, NetworkInit, Report, Results};
use crate::model::Model;
use crate::network::Network;
use crate::params::{ModelParams, section_fields};
use crate::train::{TrainOptions, TrainSummary};
use burn::tensor::Device;
use kestrel_data::{Dataset, Split};
use kestrel_nn::BackboneKind;
use serde_json::{Map, Value};
use std::path::PathBuf;

/// The tensor-name prefix of anomaly detectors in model files.
const PREFIX: &str = "AnomalyDetection";

/// The memory bank's tensor name in a model file.
const MEMORY_BANK: &str = "AnomalyDetection.memory_bank";

/// The global-context descriptors' tensor name in a model file.
const GLOBAL_DESCRIPTORS: &str = "AnomalyDetection.global.descriptors";

/// Anomaly detection (PatchCore-style memory bank), fitted in one pass over defect-free
/// images; with `global`, also the global-context branch for logical anomalies.
pub struct AnomalyMethod {
    /// Global-context anomaly detection.
    pub global: bool,
}

impl Method for AnomalyMethod {
    fn name(&self) -> &'static str {
        if self.global { GLOBAL_NAME } else { NAME }
    }

    fn picture_option(&self) -> Option<&'static str> {
        Some("heat-maps")
    }

    fn description(&self) -> &'static str {
        if self.global {
            "defects and logical anomalies (memory bank plus global context), from good images only"
        } else {
            "defects as deviations from good images (memory bank of patch features)"
        }
    }

    /// Patch features of a randomly initialised backbone are no measure of anything.
    fn needs_pretrained(&self) -> bool {
        true
    }

    fn default_params(&self, backbone: BackboneKind, _dataset: &Dataset) -> ModelParams {
        if self.global {
            ModelParams::gc_anomaly_detection(backbone)
        } else {
            ModelParams::anomaly_detection(backbone)
        }
    }

    fn extra_params(&self) -> Map<String, Value> {
        section_fields(&AnomalyParams::default())
    }

    fn validate_params(&self, params: &ModelParams) -> Result<()> {
        params.section::<AnomalyParams>()?.validate()
    }

    /// A network sized by the stored bank and descriptors when reading a model file, else
    /// with an empty bank.
    fn init_network(
        &self,
        params: &ModelParams,
        device: &Device,
        init: NetworkInit<'_>,
    ) -> Result<Network> {
        let rows = |name: &str| {
            init.stored
                .and_then(|t| t.get(name))
                .map_or(1, |t| t.shape[0])
        };
        let mut net = AnomalyNet::new(
            params.backbone_kind()?,
            params.image_num_channels as usize,
            rows(MEMORY_BANK),
            self.global.then(|| rows(GLOBAL_DESCRIPTORS)),
            device,
        );
        if let Some(backbone) = init.backbone {
            net.backbone = backbone;
        }
        Ok(Network::new(PREFIX, net))
    }

    /// Builds the memory bank; there are no epochs, so `resume` has nothing to continue.
    fn train(
        &self,
        model: &mut Model,
        dataset: &Dataset,
        options: &TrainOptions,
    ) -> Result<TrainSummary> {
        fit(model, dataset, options)
    }

    fn evaluate(
        &self,
        model: &Model,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<Box<dyn Report>> {
        Ok(Box::new(
            model.evaluate_anomaly(dataset, split, batch_size)?,
        ))
    }

    fn infer(
        &self,
        model: &Model,
        paths: &[PathBuf],
        options: &InferOptions,
    ) -> Result<Box<dyn Results>> {
        Ok(Box::new(model.detect_anomalies(paths, options.batch_size)?))
    }
}
