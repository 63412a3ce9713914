//! Feature extractors: each maps an image batch `[B, C, H, W]` to a feature map
//! `[B, F, H', W']` with [`Backbone::num_features`] channels.

mod compact;
mod mobilenet_v2;
mod resnet;

pub use compact::Compact;
pub use mobilenet_v2::{InvertedResidual, MobileNetV2};
pub use resnet::{BasicBlock, Bottleneck, ResNet, ResNetBlock};

use burn::module::Module;
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
