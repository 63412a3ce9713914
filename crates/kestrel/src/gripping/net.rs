//! The gripping network: a pretrained colour encoder, a geometry stem on the depth, and
//! per-pixel grasp maps at the input resolution.

use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::tensor::{Device, Tensor};
use kestrel_nn::conv_bn::{ConvBn, ConvBnSpec};
use kestrel_nn::decoder::{resize_bilinear, top_down_sum};
use kestrel_nn::{Backbone, BackboneKind};

/// Channels of the colour decoder.
const DECODER_CHANNELS: usize = 64;

/// Channels of the geometry stem's output.
const GEOMETRY_CHANNELS: usize = 32;

/// Channels of the geometry input: height above the scene's median depth, and validity.
pub const GEOMETRY_INPUTS: usize = 2;

/// The network's outputs per pixel: the gripping-map logit, `cos 2θ`, `sin 2θ` and the
/// opening width (over `max_opening_width`).
pub const OUTPUTS: usize = 4;

/// Colour encoder + top-down decoder (as segmentation's: each pyramid level projected to
/// 64 channels and added to the upsampled coarser sum), a geometry stem (three 3x3
/// convolutions, two of stride 2) reaching the finest level's stride 4, both fused by a 3x3
/// convolution, refined, and mapped to [`OUTPUTS`] channels upsampled bilinearly to the
/// input size.
#[derive(Module, Debug)]
pub struct GrippingNet {
    /// The colour encoder (pretrained).
    pub backbone: Backbone,
    /// 1x1 projections of the encoder's three pyramid levels, finest first.
    pub laterals: Vec<ConvBn>,
    /// The geometry stem.
    pub geometry: Vec<ConvBn>,
    /// 3x3 fusion of decoder and geometry features.
    pub fuse: ConvBn,
    /// 3x3 refinement.
    pub refine: ConvBn,
    /// 1x1 convolution to the outputs.
    pub head: Conv2d,
}

impl GrippingNet {
    /// A network with fresh weights for `in_channels` colour channels.
    pub fn new(kind: BackboneKind, in_channels: usize, device: &Device) -> Self {
        let laterals = kind
            .pyramid_channels()
            .iter()
            .map(|&c| ConvBnSpec::new(c, DECODER_CHANNELS, 1, 1).init(device))
            .collect();
        let geometry = vec![
            ConvBnSpec::new(GEOMETRY_INPUTS, 16, 3, 2).init(device),
            ConvBnSpec::new(16, GEOMETRY_CHANNELS, 3, 2).init(device),
            ConvBnSpec::new(GEOMETRY_CHANNELS, GEOMETRY_CHANNELS, 3, 1).init(device),
        ];
        Self {
            backbone: kind.init(in_channels, device),
            laterals,
            geometry,
            fuse: ConvBnSpec::new(DECODER_CHANNELS + GEOMETRY_CHANNELS, DECODER_CHANNELS, 3, 1)
                .init(device),
            refine: ConvBnSpec::new(DECODER_CHANNELS, DECODER_CHANNELS, 3, 1).init(device),
            head: Conv2dConfig::new([DECODER_CHANNELS, OUTPUTS], [1, 1]).init(device),
        }
    }

    /// The raw maps `[B, OUTPUTS, H, W]` for images `[B, C, H, W]` and their geometry
    /// `[B, GEOMETRY_INPUTS, H, W]`.
    pub fn forward(&self, images: Tensor<4>, geometry: Tensor<4>) -> Tensor<4> {
        let [_, _, h, w] = images.dims();
        let colour = top_down_sum(self.backbone.pyramid(images), &self.laterals);
        let [_, _, fh, fw] = colour.dims();
        let mut depth = geometry;
        for layer in &self.geometry {
            depth = layer.forward(depth);
        }
        let fused = self
            .fuse
            .forward(Tensor::cat(vec![colour, resize_bilinear(depth, fh, fw)], 1));
        let fine = self.refine.forward(fused);
        resize_bilinear(kestrel_nn::fast::conv2d(&self.head, fine), h, w)
    }
}
