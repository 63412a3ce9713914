//! MobileNetV2 (width 1.0) in torchvision's layout: `features.0` stem, 17 inverted
//! residual blocks, `features.18` 1x1 conv to 1280 channels.

use crate::conv_bn::{Activation, ConvBn, ConvBnSpec};
use burn::module::Module;
use burn::tensor::{Device, Tensor};

/// An inverted residual block: optional 1x1 expansion, 3x3 depthwise, 1x1 linear projection.
#[derive(Module, Debug)]
pub struct InvertedResidual {
    /// 1x1 expansion with ReLU6 (absent when the expansion ratio is 1).
    pub expand: Option<ConvBn>,
    /// 3x3 depthwise convolution with ReLU6 (carries the stride).
    pub depthwise: ConvBn,
    /// 1x1 linear projection.
    pub project: ConvBn,
    /// Whether the input is added to the output (stride 1 and equal channels).
    pub residual: bool,
}

impl InvertedResidual {
    fn new(in_c: usize, out_c: usize, stride: usize, expand_ratio: usize, device: &Device) -> Self {
        let hidden = in_c * expand_ratio;
        let expand = (expand_ratio != 1).then(|| {
            ConvBnSpec::new(in_c, hidden, 1, 1)
                .activation(Activation::Relu6)
                .init(device)
        });
        Self {
            expand,
            depthwise: ConvBnSpec::new(hidden, hidden, 3, stride)
                .groups(hidden)
                .activation(Activation::Relu6)
                .init(device),
            project: ConvBnSpec::new(hidden, out_c, 1, 1)
                .activation(Activation::Identity)
                .init(device),
            residual: stride == 1 && in_c == out_c,
        }
    }

    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let mut y = x.clone();
        if let Some(expand) = &self.expand {
            y = expand.forward(y);
        }
        let y = self.depthwise.forward(y);
        if self.residual {
            self.project.forward_add(y, x, Activation::Identity)
        } else {
            self.project.forward(y)
        }
    }
}

/// The MobileNetV2 feature extractor: stride-32 feature map with 1280 channels.
#[derive(Module, Debug)]
pub struct MobileNetV2 {
    /// 3x3 stride-2 stem to 32 channels.
    pub stem: ConvBn,
    /// The 17 inverted residual blocks.
    pub blocks: Vec<InvertedResidual>,
    /// 1x1 conv to 1280 channels.
    pub head: ConvBn,
}

/// (expansion t, channels c, repeats n, first stride s) per stage, as in the paper.
const SETTINGS: [(usize, usize, usize, usize); 7] = [
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
];

impl MobileNetV2 {
    /// Creates the network for `in_channels` input channels.
    pub fn new(in_channels: usize, device: &Device) -> Self {
        let stem = ConvBnSpec::new(in_channels, 32, 3, 2)
            .activation(Activation::Relu6)
            .init(device);
        let mut blocks = Vec::new();
        let mut in_c = 32;
        for (t, c, n, s) in SETTINGS {
            for i in 0..n {
                let stride = if i == 0 { s } else { 1 };
                blocks.push(InvertedResidual::new(in_c, c, stride, t, device));
                in_c = c;
            }
        }
        let head = ConvBnSpec::new(in_c, 1280, 1, 1)
            .activation(Activation::Relu6)
            .init(device);
        Self { stem, blocks, head }
    }

    /// The stride-32 feature map `[B, 1280, H/32, W/32]`.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let mut x = self.stem.forward(x);
        for block in &self.blocks {
            x = block.forward(x);
        }
        self.head.forward(x)
    }

    /// The stride-4 and -8 maps (24 and 32 channels): the outputs of blocks 2 and 5, without
    /// computing deeper blocks.
    pub fn fine_pyramid(&self, x: Tensor<4>) -> [Tensor<4>; 2] {
        let mut x = self.stem.forward(x);
        let mut stride4 = None;
        for (i, block) in self.blocks.iter().enumerate().take(6) {
            x = block.forward(x);
            if i == 2 {
                stride4 = Some(x.clone());
            }
        }
        [stride4.expect("MobileNetV2 has 17 blocks"), x]
    }

    /// The stride-4, -8 and -16 maps (24, 32 and 96 channels): the outputs of blocks 2, 5
    /// and 12.
    pub fn pyramid(&self, x: Tensor<4>) -> [Tensor<4>; 3] {
        let [stride4, stride8] = self.fine_pyramid(x);
        let mut x = stride8.clone();
        for block in &self.blocks[6..13] {
            x = block.forward(x);
        }
        [stride4, stride8, x]
    }

    /// The stride-4, -8, -16 and -32 maps (24, 32, 96 and 320 channels): the outputs of
    /// blocks 2, 5, 12 and 16.
    pub fn feature_pyramid(&self, x: Tensor<4>) -> [Tensor<4>; 4] {
        let [stride4, stride8, stride16] = self.pyramid(x);
        let mut x = stride16.clone();
        for block in &self.blocks[13..] {
            x = block.forward(x);
        }
        [stride4, stride8, stride16, x]
    }

    /// The stride-8 and stride-16 maps: the outputs of blocks 5 and 12 (torchvision's
    /// `features[6]`, 32 channels, and `features[13]`, 96 channels).
    pub fn mid_level_features(&self, x: Tensor<4>) -> [Tensor<4>; 2] {
        let mut x = self.stem.forward(x);
        let mut stride8 = None;
        for (i, block) in self.blocks.iter().enumerate().take(13) {
            x = block.forward(x);
            if i == 5 {
                stride8 = Some(x.clone());
            }
        }
        [stride8.expect("MobileNetV2 has 17 blocks"), x]
    }

    /// Channels of the feature map.
    pub fn num_features(&self) -> usize {
        1280
    }
}
