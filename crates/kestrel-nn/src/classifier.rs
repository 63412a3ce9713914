//! The classification network: a backbone, global average pooling and a linear layer.

use crate::backbone::{Backbone, BackboneKind};
use burn::module::Module;
use burn::nn::{Linear, LinearConfig};
use burn::tensor::{Device, Tensor};

/// Backbone + global average pool + fully connected layer to one logit per class.
#[derive(Module, Debug)]
pub struct ClassifierNet {
    /// The feature extractor.
    pub backbone: Backbone,
    /// The class logits from pooled features.
    pub fc: Linear,
}

impl ClassifierNet {
    /// Creates a classifier with fresh weights.
    pub fn new(
        kind: BackboneKind,
        in_channels: usize,
        num_classes: usize,
        device: &Device,
    ) -> Self {
        Self::with_backbone(kind.init(in_channels, device), num_classes, device)
    }

    /// A classifier on a given (e.g. pretrained) backbone with a fresh linear layer.
    pub fn with_backbone(backbone: Backbone, num_classes: usize, device: &Device) -> Self {
        let fc = LinearConfig::new(backbone.num_features(), num_classes).init(device);
        Self { backbone, fc }
    }

    /// Class logits `[B, num_classes]` for an image batch `[B, C, H, W]`.
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        let features = self.backbone.forward(images);
        let pooled = features.mean_dim(3).mean_dim(2).flatten::<2>(1, 3);
        self.fc.forward(pooled)
    }
}
