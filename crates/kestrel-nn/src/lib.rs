//! Network building blocks for Kestrel: backbones (a compact CNN, ResNet-18/50,
//! MobileNetV2) and the heads that turn their feature maps into method outputs.
//!
//! Every network here is a burn [`Module`](burn::module::Module) and runs on whatever
//! device its tensors live on (burn's dispatch device: flex CPU by default, CUDA or
//! LibTorch when built with those features).

pub mod backbone;
pub mod classifier;
pub mod conv_bn;
pub mod decoder;
pub mod detection;
pub mod fast;
pub mod graph;
pub mod segmentation;

pub use backbone::{Backbone, BackboneKind, UnknownBackbone};
pub use burn;
pub use classifier::ClassifierNet;
pub use detection::{DetectionNet, DetectionOutput, DetectionSpec};
pub use graph::{GraphError, GraphNet, GraphOutput};
pub use segmentation::SegmentationNet;
