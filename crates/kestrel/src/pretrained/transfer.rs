//! Transfer learning: a pretrained model's backbone with a new head for other classes.

use crate::error::{Error, Result};
use crate::method::NetworkInit;
use crate::model::Model;
use crate::params::ModelParams;

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
    let backbone = pretrained
        .classifier()
        .map(|(_, net)| net.backbone.clone())
        .ok_or_else(|| {
            Error::Dataset(format!(
                "a pretrained {} model has no classifier backbone to transfer",
                pretrained.params.model_type
            ))
        })?;
    params.complete_method_params();
    let init = NetworkInit {
        stored: None,
        backbone: Some(backbone),
    };
    let network = crate::device::seeded(&device, params.seed, || {
        params
            .model_type
            .method()
            .init_network(&params, &device, init)
    })?;
    Ok(Model { params, network })
}
