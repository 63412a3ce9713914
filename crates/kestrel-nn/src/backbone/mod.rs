//! Feature extractors: each maps an image batch `[B, C, H, W]` to a feature map
//! `[B, F, H', W']` with [`Backbone::num_features`] channels.

mod compact;
mod mobilenet_v2;
mod resnet;

pub use compact::Compact;
pub use mobilenet_v2::{InvertedResidual, MobileNetV2};
pub use resnet::{BasicBlock, Bottleneck, ResNet, ResNetBlock};

use crate::conv_bn::ConvBn;
use burn::module::{Module, ParamGroup};
use burn::tensor::{Device, Tensor};
use std::fmt;
use std::str::FromStr;

/// Which backbone a model uses, by its user-facing name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BackboneKind {
    /// A fast three-stage CNN for small (e.g. 28x28 grey) images.
    Compact,
    /// ResNet-18 (torchvision layout).
    ResNet18,
    /// ResNet-50 (torchvision layout).
    ResNet50,
    /// MobileNetV2 (torchvision layout, width 1.0).
    MobileNetV2,
}

/// The error for a backbone name Kestrel does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown backbone '{0}' (known: compact, resnet18, resnet50, mobilenet_v2)")]
pub struct UnknownBackbone(pub String);

impl BackboneKind {
    /// All backbones, in the order the CLI lists them.
    pub const ALL: [BackboneKind; 4] = [
        BackboneKind::Compact,
        BackboneKind::ResNet18,
        BackboneKind::ResNet50,
        BackboneKind::MobileNetV2,
    ];

    /// The user-facing name (`compact`, `resnet18`, `resnet50`, `mobilenet_v2`).
    pub fn name(self) -> &'static str {
        match self {
            BackboneKind::Compact => "compact",
            BackboneKind::ResNet18 => "resnet18",
            BackboneKind::ResNet50 => "resnet50",
            BackboneKind::MobileNetV2 => "mobilenet_v2",
        }
    }

    /// Channels of the three [`Backbone::pyramid`] maps.
    pub fn pyramid_channels(self) -> [usize; 3] {
        match self {
            BackboneKind::Compact => [32, 64, 128],
            BackboneKind::ResNet18 => [64, 128, 256],
            BackboneKind::ResNet50 => [256, 512, 1024],
            BackboneKind::MobileNetV2 => [24, 32, 96],
        }
    }

    /// Channels of the four [`Backbone::feature_pyramid`] maps (strides 4, 8, 16, 32).
    pub fn feature_pyramid_channels(self) -> [usize; 4] {
        match self {
            BackboneKind::Compact => [128; 4],
            BackboneKind::ResNet18 => [64, 128, 256, 512],
            BackboneKind::ResNet50 => [256, 512, 1024, 2048],
            BackboneKind::MobileNetV2 => [24, 32, 96, 320],
        }
    }

    /// The input size must be a multiple of this for [`Backbone::pyramid`] levels to align.
    pub fn pyramid_stride(self) -> usize {
        match self {
            BackboneKind::Compact => 4,
            _ => 16,
        }
    }

    /// Creates the backbone with freshly initialised weights for `in_channels` input channels.
    pub fn init(self, in_channels: usize, device: &Device) -> Backbone {
        match self {
            BackboneKind::Compact => Backbone::Compact(Compact::new(in_channels, device)),
            BackboneKind::ResNet18 => Backbone::ResNet(ResNet::resnet18(in_channels, device)),
            BackboneKind::ResNet50 => Backbone::ResNet(ResNet::resnet50(in_channels, device)),
            BackboneKind::MobileNetV2 => {
                Backbone::MobileNetV2(MobileNetV2::new(in_channels, device))
            }
        }
    }
}

impl fmt::Display for BackboneKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for BackboneKind {
    type Err = UnknownBackbone;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let normal = s.to_ascii_lowercase().replace('-', "_");
        BackboneKind::ALL
            .into_iter()
            .find(|k| k.name() == normal || k.name().replace('_', "") == normal)
            .ok_or_else(|| UnknownBackbone(s.to_string()))
    }
}

/// A feature extractor of any supported kind.
// Built once per model; the variants are never moved in hot code.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Backbone {
    /// See [`Compact`].
    Compact(Compact),
    /// See [`ResNet`].
    ResNet(ResNet),
    /// See [`MobileNetV2`].
    MobileNetV2(MobileNetV2),
}

impl Backbone {
    /// The feature map of an image batch.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        match self {
            Backbone::Compact(b) => b.forward(x),
            Backbone::ResNet(b) => b.forward(x),
            Backbone::MobileNetV2(b) => b.forward(x),
        }
    }

    /// Three feature maps, each at half the resolution of the one before (for dense
    /// prediction): strides 4, 8 and 16 for ResNet and MobileNetV2, 1, 2 and 4 for the
    /// compact network. Their channels are [`BackboneKind::pyramid_channels`].
    pub fn pyramid(&self, x: Tensor<4>) -> [Tensor<4>; 3] {
        match self {
            Backbone::Compact(b) => b.pyramid(x),
            Backbone::ResNet(b) => b.pyramid(x),
            Backbone::MobileNetV2(b) => b.pyramid(x),
        }
    }

    /// The first two maps of [`Backbone::pyramid`], without computing the third.
    pub fn fine_pyramid(&self, x: Tensor<4>) -> [Tensor<4>; 2] {
        match self {
            Backbone::Compact(b) => b.fine_pyramid(x),
            Backbone::ResNet(b) => b.fine_pyramid(x),
            Backbone::MobileNetV2(b) => b.fine_pyramid(x),
        }
    }

    /// Four feature maps at strides 4, 8, 16 and 32 (pyramid levels 2 to 5, for object
    /// detection); their channels are [`BackboneKind::feature_pyramid_channels`].
    pub fn feature_pyramid(&self, x: Tensor<4>) -> [Tensor<4>; 4] {
        match self {
            Backbone::Compact(b) => b.feature_pyramid(x),
            Backbone::ResNet(b) => b.feature_pyramid(x),
            Backbone::MobileNetV2(b) => b.feature_pyramid(x),
        }
    }

    /// The parameters of the stages that compute pyramid levels up to `level` (stride
    /// `2^level`): the high-resolution part of the backbone, where a backward pass costs
    /// most. MobileNetV2: the stem and blocks 0-2 (level 2), 3-5 (level 3), 6-12 (level 4),
    /// 13-16 (level 5); ResNet: `conv1` and `layer1` (level 2) to `layer4` (level 5); the
    /// compact network (strides 1, 2, 4): its stages of stride up to `2^level`.
    pub fn stage_params(&self, level: usize) -> ParamGroup {
        match self {
            Backbone::Compact(b) => {
                let stages = [&b.stage1, &b.stage2, &b.stage3];
                let keep: Vec<ConvBn> = stages.into_iter().take(level + 1).cloned().collect();
                ParamGroup::ids_from_module(keep)
            }
            Backbone::ResNet(b) => {
                if level < 2 {
                    return ParamGroup::ids_from_module(Vec::<ConvBn>::new());
                }
                let layers = [&b.layer1, &b.layer2, &b.layer3, &b.layer4];
                let blocks: Vec<_> = layers
                    .into_iter()
                    .take(level.saturating_sub(1))
                    .flatten()
                    .cloned()
                    .collect();
                ParamGroup::ids_from_module(b.conv1.clone())
                    .fuse(&ParamGroup::ids_from_module(blocks))
            }
            Backbone::MobileNetV2(b) => {
                let last_block = match level {
                    0 | 1 => return ParamGroup::ids_from_module(Vec::<ConvBn>::new()),
                    2 => 2,
                    3 => 5,
                    4 => 12,
                    _ => b.blocks.len() - 1,
                };
                let blocks = b.blocks[..=last_block].to_vec();
                ParamGroup::ids_from_module(b.stem.clone())
                    .fuse(&ParamGroup::ids_from_module(blocks))
            }
        }
    }

    /// Two mid-level feature maps, the second at half the resolution of the first (for
    /// patch-feature methods such as anomaly detection): stride 8 and 16 for ResNet and
    /// MobileNetV2, stride 2 and 4 for the compact network.
    pub fn mid_level_features(&self, x: Tensor<4>) -> [Tensor<4>; 2] {
        match self {
            Backbone::Compact(b) => b.mid_level_features(x),
            Backbone::ResNet(b) => b.mid_level_features(x),
            Backbone::MobileNetV2(b) => b.mid_level_features(x),
        }
    }

    /// Channels of the feature map.
    pub fn num_features(&self) -> usize {
        match self {
            Backbone::Compact(b) => b.num_features(),
            Backbone::ResNet(b) => b.num_features(),
            Backbone::MobileNetV2(b) => b.num_features(),
        }
    }
}
