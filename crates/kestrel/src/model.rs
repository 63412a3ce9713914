//! [`Model`]: a method, a backbone and a head, with its named parameters; created fresh,
//! read from and written to one model file.

use crate::anomaly::AnomalyNet;
use crate::classification::Classification;
use crate::device::parse_device;
use crate::error::{Error, Result};
use crate::model_file::{read_model_file, write_model_file};
use crate::params::ModelParams;
use crate::weights::{collect_tensors, load_tensors};
use burn::module::Module;
use burn::tensor::Device;
use kestrel_nn::{ClassifierNet, DetectionNet, SegmentationNet};
use std::path::Path;

/// The network of a model, one variant per method.
// One per model, never moved in hot code.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Network {
    /// A classifier.
    Classification(ClassifierNet),
    /// A multi-label classifier (one sigmoid output per class).
    MultiLabelClassification(ClassifierNet),
    /// A segmentation or edge-extraction network (per-pixel classes).
    Segmentation(SegmentationNet),
    /// An anomaly detector (backbone and memory bank).
    AnomalyDetection(AnomalyNet),
    /// An object detector (boxes, rotated boxes or instance masks).
    Detection(DetectionNet),
}

/// The memory-bank tensor's name in a model file.
const MEMORY_BANK: &str = "AnomalyDetection.memory_bank";

/// The global-context descriptors' tensor name in a model file.
const GLOBAL_DESCRIPTORS: &str = "AnomalyDetection.global.descriptors";

/// A model: parameters plus network weights.
#[derive(Debug, Clone)]
pub struct Model {
    /// The model's named parameters.
    pub params: ModelParams,
    /// The network.
    pub network: Network,
}

impl Model {
    /// Creates a model with fresh weights from validated parameters, on the device its
    /// `device` parameter names.
    pub fn new(params: ModelParams) -> Result<Self> {
        params.validate()?;
        let device = parse_device(&params.device)?;
        let network = Self::init_network(&params, &device, 1, 1)?;
        Ok(Self { params, network })
    }

    /// A fresh network; `bank_rows` and `global_images` size an anomaly detector's memory
    /// bank and global-context descriptors.
    fn init_network(
        params: &ModelParams,
        device: &Device,
        bank_rows: usize,
        global_images: usize,
    ) -> Result<Network> {
        device.seed(params.seed);
        match params.model_type.as_str() {
            "classification" => Ok(Network::Classification(ClassifierNet::new(
                params.backbone_kind()?,
                params.image_num_channels as usize,
                params.class_names.len(),
                device,
            ))),
            "multi_label_classification" => {
                Ok(Network::MultiLabelClassification(ClassifierNet::new(
                    params.backbone_kind()?,
                    params.image_num_channels as usize,
                    params.class_names.len(),
                    device,
                )))
            }
            "segmentation" | "edge_extraction" => Ok(Network::Segmentation(SegmentationNet::new(
                params.backbone_kind()?,
                params.image_num_channels as usize,
                params.class_names.len(),
                device,
            ))),
            "detection" => Ok(Network::Detection(DetectionNet::new(
                params.backbone_kind()?,
                params.image_num_channels as usize,
                params.detection_spec()?,
                device,
            ))),
            "anomaly_detection" | "gc_anomaly_detection" => {
                let global = (params.model_type == "gc_anomaly_detection").then_some(global_images);
                Ok(Network::AnomalyDetection(AnomalyNet::new(
                    params.backbone_kind()?,
                    params.image_num_channels as usize,
                    bank_rows,
                    global,
                    device,
                )))
            }
            other => Err(Error::BadParam {
                name: "model_type".into(),
                message: format!("'{other}' is not a known method"),
            }),
        }
    }

    /// Reads a model file onto the device its `device` parameter names.
    pub fn load(path: &Path) -> Result<Self> {
        let (params, tensors) = read_model_file(path)?;
        let device = parse_device(&params.device)?;
        let bank_rows = tensors.get(MEMORY_BANK).map_or(1, |t| t.shape[0]);
        let global_images = tensors.get(GLOBAL_DESCRIPTORS).map_or(1, |t| t.shape[0]);
        let network = Self::init_network(&params, &device, bank_rows, global_images)?;
        let (network, report) = load_tensors(network, &tensors);
        if !report.is_ok() {
            return Err(Error::ModelFile {
                path: path.into(),
                message: report.to_string(),
            });
        }
        Ok(Self { params, network })
    }

    /// Writes the model file; refuses to replace an existing file unless `overwrite`.
    pub fn save(&self, path: &Path, overwrite: bool) -> Result<()> {
        write_model_file(
            path,
            &self.params,
            &collect_tensors(&self.network),
            overwrite,
        )
    }

    /// The classification method and network, for a classification model.
    pub fn classifier(&self) -> Option<(Classification, &ClassifierNet)> {
        match &self.network {
            Network::Classification(net) => Some((
                Classification {
                    class_ids: self.params.class_ids.clone(),
                    class_names: self.params.class_names.clone(),
                },
                net,
            )),
            _ => None,
        }
    }

    /// Moves the model to another device and records it in the `device` parameter.
    pub fn set_device(&mut self, name: &str) -> Result<()> {
        let device = parse_device(name)?;
        self.network = self.network.clone().to_device(&device);
        self.params.device = name.to_string();
        Ok(())
    }

    /// Number of trainable scalars.
    pub fn num_parameters(&self) -> usize {
        self.network.num_params()
    }
}
