//! Transfer learning: a pretrained model's backbone with a new head for other classes.

use crate::anomaly::AnomalyNet;
use crate::error::{Error, Result};
use crate::model::{Model, Network};
use crate::params::ModelParams;
use burn::nn::LinearConfig;
use kestrel_nn::{DetectionNet, SegmentationNet};

/// How a pretrained model is retrained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransferOptions {
    /// Keep the backbone's weights fixed (and its batch norms in inference mode).
    pub freeze_backbone: bool,
    /// The backbone's learning rate relative to the head's (e.g. 0.1).
    pub backbone_learning_rate_factor: f64,
}

/// A model of `training.model_type` whose backbone (and preprocessing) is `pretrained`'s and
/// whose head is new (for a classifier: a new layer for `class_names`; for an anomaly
/// detector: an empty memory bank). The hyperparameters come from `training`, except the input
/// size, channels and normalisation, which stay the pretrained model's unless `training`
/// changed them from their defaults.
pub fn transfer_model(
    pretrained: Model,
    training: ModelParams,
    options: TransferOptions,
) -> Result<Model> {
    let device = crate::device::parse_device(&training.device)?;
    let mut params = training;
    params.backbone = pretrained.params.backbone.clone();
    params.image_num_channels = pretrained.params.image_num_channels;
    params.image_mean = pretrained.params.image_mean.clone();
    params.image_std = pretrained.params.image_std.clone();
    params.image_range_min = pretrained.params.image_range_min;
    params.image_range_max = pretrained.params.image_range_max;
    params.freeze_backbone = options.freeze_backbone;
    params.backbone_learning_rate_factor = options.backbone_learning_rate_factor;
    params.validate()?;
    let Network::Classification(mut net) = pretrained.network else {
        return Err(Error::Dataset(format!(
            "a pretrained {} model has no classifier backbone to transfer",
            pretrained.params.model_type
        )));
    };
    device.seed(params.seed);
    let network = match params.model_type.as_str() {
        "segmentation" | "edge_extraction" => {
            let mut segmentation = SegmentationNet::new(
                params.backbone_kind()?,
                params.image_num_channels as usize,
                params.class_names.len(),
                &device,
            );
            segmentation.backbone = net.backbone;
            Network::Segmentation(segmentation)
        }
        "detection" => {
            let mut detection = DetectionNet::new(
                params.backbone_kind()?,
                params.image_num_channels as usize,
                params.detection_spec()?,
                &device,
            );
            detection.backbone = net.backbone;
            Network::Detection(detection)
        }
        "anomaly_detection" | "gc_anomaly_detection" => {
            let mut anomaly = AnomalyNet::new(
                params.backbone_kind()?,
                params.image_num_channels as usize,
                1,
                (params.model_type == "gc_anomaly_detection").then_some(1),
                &device,
            );
            anomaly.backbone = net.backbone;
            Network::AnomalyDetection(anomaly)
        }
        model_type => {
            net.fc = LinearConfig::new(net.backbone.num_features(), params.class_names.len())
                .init(&device);
            if model_type == "multi_label_classification" {
                Network::MultiLabelClassification(net)
            } else {
                Network::Classification(net)
            }
        }
    };
    Ok(Model { params, network })
}
