//! The semantic-segmentation network: an encoder (any backbone's three-level pyramid), a
//! light feature-pyramid decoder with skip connections, and per-pixel class logits at the
//! input resolution.

use crate::backbone::{Backbone, BackboneKind};
use crate::conv_bn::{ConvBn, ConvBnSpec};
use crate::decoder::{resize_bilinear, top_down_sum};
use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::tensor::{Device, Tensor};

/// Channels of the decoder.
const DECODER_CHANNELS: usize = 64;

/// Encoder + top-down decoder: each pyramid level is projected to 64 channels (1x1 conv,
/// batch norm, ReLU), the coarser sum upsampled and added (the skip connections), refined by
/// a 3x3 conv at the finest level, classified by a 1x1 conv and upsampled bilinearly to the
/// input size.
#[derive(Module, Debug)]
pub struct SegmentationNet {
    /// The encoder.
    pub backbone: Backbone,
    /// 1x1 projections of the three pyramid levels, finest first.
    pub laterals: Vec<ConvBn>,
    /// 3x3 refinement at the finest level.
    pub refine: ConvBn,
    /// 1x1 convolution to one logit per class.
    pub classifier: Conv2d,
}

impl SegmentationNet {
    /// A network with fresh weights.
    pub fn new(
        kind: BackboneKind,
        in_channels: usize,
        num_classes: usize,
        device: &Device,
    ) -> Self {
        let laterals = kind
            .pyramid_channels()
            .iter()
            .map(|&c| ConvBnSpec::new(c, DECODER_CHANNELS, 1, 1).init(device))
            .collect();
        Self {
            backbone: kind.init(in_channels, device),
            laterals,
            refine: ConvBnSpec::new(DECODER_CHANNELS, DECODER_CHANNELS, 3, 1).init(device),
            classifier: Conv2dConfig::new([DECODER_CHANNELS, num_classes], [1, 1]).init(device),
        }
    }

    /// Per-pixel class logits `[B, classes, H, W]` for an image batch `[B, C, H, W]`.
    pub fn forward(&self, images: Tensor<4>) -> Tensor<4> {
        let [_, _, h, w] = images.dims();
        let top = top_down_sum(self.backbone.pyramid(images), &self.laterals);
        let fine = self.refine.forward(top);
        resize_bilinear(crate::fast::conv2d(&self.classifier, fine), h, w)
    }
}
