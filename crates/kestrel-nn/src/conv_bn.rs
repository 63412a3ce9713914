//! Convolution followed by batch normalisation and an optional activation: the unit every
//! backbone here is built from.

use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, PaddingConfig2d};
use burn::tensor::{Device, Tensor};

/// The activation applied after a [`ConvBn`] (`Identity`, `Relu`, or `Relu6` as
/// MobileNetV2 uses).
pub use kestrel_kernels::Activation;

/// A bias-free convolution, batch norm and activation.
#[derive(Module, Debug)]
pub struct ConvBn {
    /// The convolution (no bias: the batch norm's beta takes its place).
    pub conv: Conv2d,
    /// The batch normalisation.
    pub bn: BatchNorm,
    /// The activation after the batch norm.
    #[module(skip)]
    pub activation: Activation,
}

/// The shape of a [`ConvBn`].
#[derive(Clone, Copy, Debug)]
pub struct ConvBnSpec {
    /// Input channels.
    pub in_channels: usize,
    /// Output channels.
    pub out_channels: usize,
    /// Square kernel size.
    pub kernel: usize,
    /// Stride in both directions.
    pub stride: usize,
    /// Convolution groups (`in_channels` for a depthwise convolution).
    pub groups: usize,
    /// Activation after the batch norm.
    pub activation: Activation,
}

impl ConvBnSpec {
    /// A plain convolution with `groups = 1`.
    pub fn new(in_channels: usize, out_channels: usize, kernel: usize, stride: usize) -> Self {
        Self {
            in_channels,
            out_channels,
            kernel,
            stride,
            groups: 1,
            activation: Activation::Relu,
        }
    }

    /// The same spec with another activation.
    pub fn activation(mut self, activation: Activation) -> Self {
        self.activation = activation;
        self
    }

    /// The same spec with `groups` convolution groups.
    pub fn groups(mut self, groups: usize) -> Self {
        self.groups = groups;
        self
    }

    /// Creates the layer with He-initialised weights on `device`.
    pub fn init(self, device: &Device) -> ConvBn {
        let pad = self.kernel / 2;
        let conv = Conv2dConfig::new([self.in_channels, self.out_channels], [self.kernel; 2])
            .with_stride([self.stride; 2])
            .with_groups(self.groups)
            .with_padding(PaddingConfig2d::Explicit(pad, pad, pad, pad))
            .with_bias(false)
            .with_initializer(burn::nn::Initializer::KaimingNormal {
                gain: 2f64.sqrt(),
                fan_out_only: true,
            })
            .init(device);
        ConvBn {
            conv,
            bn: BatchNormConfig::new(self.out_channels).init(device),
            activation: self.activation,
        }
    }
}

impl ConvBn {
    /// Convolution, batch norm, activation (on the CPU through Kestrel's kernels,
    /// [`crate::fast`]).
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        crate::fast::conv_bn_activation(&self.conv, &self.bn, self.activation, x)
    }

    /// `activation(self.forward(x) + residual)`: the end of a residual block, in one
    /// kernel call at inference when this layer's own activation is the identity.
    pub fn forward_add(
        &self,
        x: Tensor<4>,
        residual: Tensor<4>,
        activation: Activation,
    ) -> Tensor<4> {
        if self.activation == Activation::Identity {
            crate::fast::conv_bn_add_activation(&self.conv, &self.bn, x, residual, activation)
        } else {
            crate::fast::add_activation(self.forward(x), residual, activation)
        }
    }
}
