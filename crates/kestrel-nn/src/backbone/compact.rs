//! A compact CNN for small images: conv32-bn-relu-pool, conv64-bn-relu-pool, conv128-bn-relu.

use crate::conv_bn::{ConvBn, ConvBnSpec};
use crate::fast::max_pool2d;
use burn::module::Module;
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::tensor::{Device, Tensor};

/// Three 3x3 conv stages with max pooling after the first two; 128 output features at a
/// quarter of the input resolution.
#[derive(Module, Debug)]
pub struct Compact {
    /// 32 channels, full resolution.
    pub stage1: ConvBn,
    /// 64 channels, half resolution.
    pub stage2: ConvBn,
    /// 128 channels, quarter resolution.
    pub stage3: ConvBn,
    /// 2x2 max pooling.
    pub pool: MaxPool2d,
}

impl Compact {
    /// Creates the network for `in_channels` input channels.
    pub fn new(in_channels: usize, device: &Device) -> Self {
        Self {
            stage1: ConvBnSpec::new(in_channels, 32, 3, 1).init(device),
            stage2: ConvBnSpec::new(32, 64, 3, 1).init(device),
            stage3: ConvBnSpec::new(64, 128, 3, 1).init(device),
            pool: MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).init(),
        }
    }

    /// The feature map `[B, 128, H/4, W/4]`.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let x = max_pool2d(&self.pool, self.stage1.forward(x));
        let x = max_pool2d(&self.pool, self.stage2.forward(x));
        self.stage3.forward(x)
    }

    /// The stride-1 and -2 maps: the outputs of `stage1` and `stage2`.
    pub fn fine_pyramid(&self, x: Tensor<4>) -> [Tensor<4>; 2] {
        let stage1 = self.stage1.forward(x);
        let stage2 = self.stage2.forward(max_pool2d(&self.pool, stage1.clone()));
        [stage1, stage2]
    }

    /// The stride-1, -2 and -4 maps: the outputs of `stage1`, `stage2` and `stage3`.
    pub fn pyramid(&self, x: Tensor<4>) -> [Tensor<4>; 3] {
        let [stage1, stage2] = self.fine_pyramid(x);
        let stage3 = self.stage3.forward(max_pool2d(&self.pool, stage2.clone()));
        [stage1, stage2, stage3]
    }

    /// Four maps at strides 4, 8, 16 and 32 (128 channels each): `stage3` and its
    /// successive 2x2 max-pools. Only the first holds features of its own; the network is
    /// made for small images and has no deeper stages.
    pub fn feature_pyramid(&self, x: Tensor<4>) -> [Tensor<4>; 4] {
        let [_, _, stride4] = self.pyramid(x);
        let stride8 = max_pool2d(&self.pool, stride4.clone());
        let stride16 = max_pool2d(&self.pool, stride8.clone());
        let stride32 = max_pool2d(&self.pool, stride16.clone());
        [stride4, stride8, stride16, stride32]
    }

    /// The stride-2 and stride-4 maps: the outputs of `stage2` and `stage3`.
    pub fn mid_level_features(&self, x: Tensor<4>) -> [Tensor<4>; 2] {
        let x = max_pool2d(&self.pool, self.stage1.forward(x));
        let stage2 = self.stage2.forward(x);
        let stage3 = self.stage3.forward(max_pool2d(&self.pool, stage2.clone()));
        [stage2, stage3]
    }

    /// Channels of the feature map.
    pub fn num_features(&self) -> usize {
        128
    }
}
