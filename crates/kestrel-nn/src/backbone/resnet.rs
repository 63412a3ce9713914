//! ResNet-18 and ResNet-50 in torchvision's layout (`conv1`, `bn1`, `layer1`..`layer4`).

use crate::conv_bn::{Activation, ConvBn, ConvBnSpec};
use crate::fast::max_pool2d;
use burn::module::Module;
use burn::nn::PaddingConfig2d;
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::tensor::{Device, Tensor};

/// The two-conv residual block of ResNet-18/34.
#[derive(Module, Debug)]
pub struct BasicBlock {
    /// 3x3 conv (carries the stride), batch norm, ReLU.
    pub conv1: ConvBn,
    /// 3x3 conv, batch norm (ReLU after the sum).
    pub conv2: ConvBn,
    /// 1x1 projection of the shortcut where shape changes.
    pub downsample: Option<ConvBn>,
}

/// The three-conv bottleneck block of ResNet-50 and deeper.
#[derive(Module, Debug)]
pub struct Bottleneck {
    /// 1x1 reduce.
    pub conv1: ConvBn,
    /// 3x3 (carries the stride).
    pub conv2: ConvBn,
    /// 1x1 expand (no activation before the sum).
    pub conv3: ConvBn,
    /// 1x1 projection of the shortcut where shape changes.
    pub downsample: Option<ConvBn>,
}

/// A residual block of either kind.
// Built once per model; the variants are never moved in hot code.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum ResNetBlock {
    /// See [`BasicBlock`].
    Basic(BasicBlock),
    /// See [`Bottleneck`].
    Bottleneck(Bottleneck),
}

impl ResNetBlock {
    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        match self {
            ResNetBlock::Basic(b) => {
                let shortcut = match &b.downsample {
                    Some(d) => d.forward(x.clone()),
                    None => x.clone(),
                };
                b.conv2
                    .forward_add(b.conv1.forward(x), shortcut, Activation::Relu)
            }
            ResNetBlock::Bottleneck(b) => {
                let shortcut = match &b.downsample {
                    Some(d) => d.forward(x.clone()),
                    None => x.clone(),
                };
                let y = b.conv2.forward(b.conv1.forward(x));
                b.conv3.forward_add(y, shortcut, Activation::Relu)
            }
        }
    }
}

/// A ResNet feature extractor (no classifier): stride-32 feature map.
#[derive(Module, Debug)]
pub struct ResNet {
    /// 7x7 stride-2 stem with batch norm and ReLU.
    pub conv1: ConvBn,
    /// 3x3 stride-2 max pooling after the stem.
    pub maxpool: MaxPool2d,
    /// Stage 1 (stride 4).
    pub layer1: Vec<ResNetBlock>,
    /// Stage 2 (stride 8).
    pub layer2: Vec<ResNetBlock>,
    /// Stage 3 (stride 16).
    pub layer3: Vec<ResNetBlock>,
    /// Stage 4 (stride 32).
    pub layer4: Vec<ResNetBlock>,
    /// Channels of the last stage.
    pub out_channels: usize,
}

fn projection(in_c: usize, out_c: usize, stride: usize, device: &Device) -> Option<ConvBn> {
    (stride != 1 || in_c != out_c).then(|| {
        ConvBnSpec::new(in_c, out_c, 1, stride)
            .activation(Activation::Identity)
            .init(device)
    })
}

fn basic_stage(
    in_c: usize,
    out_c: usize,
    blocks: usize,
    stride: usize,
    device: &Device,
) -> Vec<ResNetBlock> {
    (0..blocks)
        .map(|i| {
            let (cin, s) = if i == 0 { (in_c, stride) } else { (out_c, 1) };
            ResNetBlock::Basic(BasicBlock {
                conv1: ConvBnSpec::new(cin, out_c, 3, s).init(device),
                conv2: ConvBnSpec::new(out_c, out_c, 3, 1)
                    .activation(Activation::Identity)
                    .init(device),
                downsample: projection(cin, out_c, s, device),
            })
        })
        .collect()
}

fn bottleneck_stage(
    in_c: usize,
    width: usize,
    blocks: usize,
    stride: usize,
    device: &Device,
) -> Vec<ResNetBlock> {
    let out_c = width * 4;
    (0..blocks)
        .map(|i| {
            let (cin, s) = if i == 0 { (in_c, stride) } else { (out_c, 1) };
            ResNetBlock::Bottleneck(Bottleneck {
                conv1: ConvBnSpec::new(cin, width, 1, 1).init(device),
                conv2: ConvBnSpec::new(width, width, 3, s).init(device),
                conv3: ConvBnSpec::new(width, out_c, 1, 1)
                    .activation(Activation::Identity)
                    .init(device),
                downsample: projection(cin, out_c, s, device),
            })
        })
        .collect()
}

impl ResNet {
    fn stem(in_channels: usize, device: &Device) -> (ConvBn, MaxPool2d) {
        let conv1 = ConvBnSpec::new(in_channels, 64, 7, 2).init(device);
        let maxpool = MaxPool2dConfig::new([3, 3])
            .with_strides([2, 2])
            .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
            .init();
        (conv1, maxpool)
    }

    /// ResNet-18: basic blocks [2, 2, 2, 2], 512 features.
    pub fn resnet18(in_channels: usize, device: &Device) -> Self {
        let (conv1, maxpool) = Self::stem(in_channels, device);
        Self {
            conv1,
            maxpool,
            layer1: basic_stage(64, 64, 2, 1, device),
            layer2: basic_stage(64, 128, 2, 2, device),
            layer3: basic_stage(128, 256, 2, 2, device),
            layer4: basic_stage(256, 512, 2, 2, device),
            out_channels: 512,
        }
    }

    /// ResNet-50: bottleneck blocks [3, 4, 6, 3], 2048 features.
    pub fn resnet50(in_channels: usize, device: &Device) -> Self {
        let (conv1, maxpool) = Self::stem(in_channels, device);
        Self {
            conv1,
            maxpool,
            layer1: bottleneck_stage(64, 64, 3, 1, device),
            layer2: bottleneck_stage(256, 128, 4, 2, device),
            layer3: bottleneck_stage(512, 256, 6, 2, device),
            layer4: bottleneck_stage(1024, 512, 3, 2, device),
            out_channels: 2048,
        }
    }

    /// The stride-32 feature map.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let mut x = max_pool2d(&self.maxpool, self.conv1.forward(x));
        for block in self
            .layer1
            .iter()
            .chain(&self.layer2)
            .chain(&self.layer3)
            .chain(&self.layer4)
        {
            x = block.forward(x);
        }
        x
    }

    /// The stride-4 and -8 maps: the outputs of `layer1` and `layer2`, without computing
    /// deeper layers.
    pub fn fine_pyramid(&self, x: Tensor<4>) -> [Tensor<4>; 2] {
        let mut x = max_pool2d(&self.maxpool, self.conv1.forward(x));
        for block in &self.layer1 {
            x = block.forward(x);
        }
        let stride4 = x.clone();
        for block in &self.layer2 {
            x = block.forward(x);
        }
        [stride4, x]
    }

    /// The stride-4, -8 and -16 maps: the outputs of `layer1`, `layer2` and `layer3`.
    pub fn pyramid(&self, x: Tensor<4>) -> [Tensor<4>; 3] {
        let [stride4, stride8] = self.fine_pyramid(x);
        let mut x = stride8.clone();
        for block in &self.layer3 {
            x = block.forward(x);
        }
        [stride4, stride8, x]
    }

    /// The stride-4, -8, -16 and -32 maps: the outputs of `layer1` to `layer4`.
    pub fn feature_pyramid(&self, x: Tensor<4>) -> [Tensor<4>; 4] {
        let [stride4, stride8, stride16] = self.pyramid(x);
        let mut x = stride16.clone();
        for block in &self.layer4 {
            x = block.forward(x);
        }
        [stride4, stride8, stride16, x]
    }

    /// The stride-8 and stride-16 maps: the outputs of `layer2` and `layer3`.
    pub fn mid_level_features(&self, x: Tensor<4>) -> [Tensor<4>; 2] {
        let mut x = max_pool2d(&self.maxpool, self.conv1.forward(x));
        for block in self.layer1.iter().chain(&self.layer2) {
            x = block.forward(x);
        }
        let stride8 = x.clone();
        for block in &self.layer3 {
            x = block.forward(x);
        }
        [stride8, x]
    }

    /// Channels of the feature map.
    pub fn num_features(&self) -> usize {
        self.out_channels
    }
}
