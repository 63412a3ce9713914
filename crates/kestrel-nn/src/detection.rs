//! The object-detection network: an anchor-free, FCOS-style detector (Tian et al., 2019) on
//! a feature pyramid over any backbone.
//!
//! Every location of every pyramid level predicts, per class, whether an object's box
//! holds it (sigmoid logits), the distances from it to the box's four sides (in units of
//! the level's stride, as `exp` of the output), how central it lies in that box
//! (centre-ness), and optionally the box's angle (rotated boxes) and the coefficients of
//! its mask over shared prototype masks (instance segmentation, YOLACT-style).
//! Anchor-free means no `anchor_aspect_ratios` or `anchor_num_subscales` to tune: each
//! level takes the objects of one size range instead.

use crate::backbone::{Backbone, BackboneKind};
use crate::conv_bn::{Activation, ConvBn, ConvBnSpec};
use crate::fast;
use burn::module::{Module, Param};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{GroupNorm, GroupNormConfig, Initializer, PaddingConfig2d};
use burn::tensor::activation::{relu, tanh};
use burn::tensor::module::interpolate;
use burn::tensor::ops::{InterpolateMode, InterpolateOptions};
use burn::tensor::{Device, Tensor};

/// The lowest and highest pyramid levels the network supports (level `l` has stride `2^l`).
pub const LEVEL_RANGE: (usize, usize) = (2, 7);

/// The highest level the backbone itself provides; higher ones are extra stride-2 convs.
const BACKBONE_TOP_LEVEL: usize = 5;

/// Groups of the head's group normalisation.
const NORM_GROUPS: usize = 16;

/// Prior probability of an object at initialisation (sets the class-logit bias).
const PRIOR: f64 = 0.01;

/// The shape of a detection network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DetectionSpec {
    /// Object classes (one sigmoid output each).
    pub num_classes: usize,
    /// The finest pyramid level used (2: stride 4, 3: stride 8, ...).
    pub min_level: usize,
    /// The coarsest pyramid level used (up to 7: stride 128).
    pub max_level: usize,
    /// Channels of the pyramid and the head (a multiple of 16).
    pub channels: usize,
    /// Convolutions in each of the two head towers.
    pub depth: usize,
    /// Predict each box's angle (rotated boxes).
    pub angle: bool,
    /// Number of prototype masks (0: no masks).
    pub mask_prototypes: usize,
}

/// A 3x3 convolution with group normalisation and ReLU (a head tower layer; group
/// normalisation because the head's weights are shared by levels of different statistics).
#[derive(Module, Debug)]
pub struct HeadConv {
    /// The convolution.
    pub conv: Conv2d,
    /// The normalisation.
    pub norm: GroupNorm,
}

impl HeadConv {
    fn new(channels: usize, device: &Device) -> Self {
        Self {
            conv: head_conv(channels, channels, device),
            norm: GroupNormConfig::new(NORM_GROUPS, channels).init(device),
        }
    }

    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        relu(self.norm.forward(fast::conv2d(&self.conv, x)))
    }
}

/// The prototype masks: the stride-4 backbone map and the finest pyramid level, fused and
/// turned into `mask_prototypes` non-negative maps at stride 4.
#[derive(Module, Debug)]
pub struct PrototypeNet {
    /// 1x1 projection of the stride-4 backbone map.
    pub lateral: ConvBn,
    /// 3x3 refinement of the fused map.
    pub refine: ConvBn,
    /// 1x1 convolution to the prototypes.
    pub out: Conv2d,
}

/// The network's raw outputs for a batch: per location (all levels, finest first, each
/// row-major) along the last axis.
#[derive(Debug, Clone)]
pub struct DetectionOutput {
    /// Class logits `[B, classes, N]`.
    pub class_logits: Tensor<3>,
    /// Side distances `[B, 4, N]` (left, top, right, bottom) in strides, before `exp`.
    pub box_regression: Tensor<3>,
    /// Centre-ness logits `[B, 1, N]`.
    pub centerness: Tensor<3>,
    /// `[B, 2, N]` angle encodings (sine, cosine), for rotated boxes.
    pub angle: Option<Tensor<3>>,
    /// `[B, K, N]` mask coefficients in `[-1, 1]`, for instance masks.
    pub mask_coefficients: Option<Tensor<3>>,
    /// `[B, K, H/4, W/4]` prototype masks, for instance masks.
    pub prototypes: Option<Tensor<4>>,
    /// The levels in output order: `(level, height, width)`.
    pub levels: Vec<(usize, usize, usize)>,
}

/// Backbone, feature pyramid and shared detection head.
#[derive(Module, Debug)]
pub struct DetectionNet {
    /// The feature extractor.
    pub backbone: Backbone,
    /// 1x1 projections of the backbone levels used, finest first.
    pub laterals: Vec<ConvBn>,
    /// 3x3 convolutions after the top-down sums, one per backbone level used.
    pub smooth: Vec<ConvBn>,
    /// Stride-2 3x3 convolutions making the levels above the backbone's.
    pub extras: Vec<ConvBn>,
    /// The class tower.
    pub class_tower: Vec<HeadConv>,
    /// The box tower (boxes, centre-ness, angle, mask coefficients).
    pub box_tower: Vec<HeadConv>,
    /// Class logits.
    pub class_logits: Conv2d,
    /// Side distances.
    pub box_regression: Conv2d,
    /// Centre-ness.
    pub centerness: Conv2d,
    /// Angle (rotated boxes).
    pub angle: Option<Conv2d>,
    /// Mask coefficients (instance masks).
    pub mask_coefficients: Option<Conv2d>,
    /// Prototype masks (instance masks).
    pub prototypes: Option<PrototypeNet>,
    /// The finest level.
    #[module(skip)]
    pub min_level: usize,
}

impl DetectionNet {
    /// A network with fresh weights. `spec` must have been checked: levels within
    /// [`LEVEL_RANGE`], `min_level <= 5`, channels a multiple of 16.
    pub fn new(
        kind: BackboneKind,
        in_channels: usize,
        spec: DetectionSpec,
        device: &Device,
    ) -> Self {
        let c = spec.channels;
        let backbone_levels = spec.min_level..=spec.max_level.min(BACKBONE_TOP_LEVEL);
        let channels = kind.feature_pyramid_channels();
        let laterals = backbone_levels
            .clone()
            .map(|l| {
                ConvBnSpec::new(channels[l - 2], c, 1, 1)
                    .activation(Activation::Identity)
                    .init(device)
            })
            .collect();
        let smooth = backbone_levels
            .map(|_| ConvBnSpec::new(c, c, 3, 1).init(device))
            .collect();
        let extras = (BACKBONE_TOP_LEVEL + 1..=spec.max_level)
            .map(|_| ConvBnSpec::new(c, c, 3, 2).init(device))
            .collect();
        let mut class_logits = head_conv(c, spec.num_classes, device);
        let bias = -((1.0 - PRIOR) / PRIOR).ln();
        class_logits.bias = Some(Param::from_tensor(Tensor::full(
            [spec.num_classes],
            bias,
            device,
        )));
        let k = spec.mask_prototypes;
        Self {
            backbone: kind.init(in_channels, device),
            laterals,
            smooth,
            extras,
            class_tower: (0..spec.depth).map(|_| HeadConv::new(c, device)).collect(),
            box_tower: (0..spec.depth).map(|_| HeadConv::new(c, device)).collect(),
            class_logits,
            box_regression: head_conv(c, 4, device),
            centerness: head_conv(c, 1, device),
            angle: spec.angle.then(|| head_conv(c, 2, device)),
            mask_coefficients: (k > 0).then(|| head_conv(c, k, device)),
            prototypes: (k > 0).then(|| PrototypeNet {
                lateral: ConvBnSpec::new(channels[0], c, 1, 1)
                    .activation(Activation::Identity)
                    .init(device),
                refine: ConvBnSpec::new(c, c, 3, 1).init(device),
                out: Conv2dConfig::new([c, k], [1, 1]).init(device),
            }),
            min_level: spec.min_level,
        }
    }

    /// The raw outputs for an image batch `[B, C, H, W]`.
    pub fn forward(&self, images: Tensor<4>) -> DetectionOutput {
        let [c2, c3, c4, c5] = self.backbone.feature_pyramid(images);
        let backbone_maps = [c2.clone(), c3, c4, c5];
        let used = &backbone_maps[self.min_level - 2..self.min_level - 2 + self.laterals.len()];
        // Top-down: coarsest first, each upsampled and added to the next finer lateral.
        let mut tops: Vec<Tensor<4>> = Vec::with_capacity(used.len());
        for (map, lateral) in used.iter().zip(&self.laterals).rev() {
            let projected = lateral.forward(map.clone());
            let merged = match tops.last() {
                None => projected,
                Some(coarse) => {
                    let [_, _, h, w] = projected.dims();
                    projected + resize(coarse.clone(), h, w, InterpolateMode::Nearest)
                }
            };
            tops.push(merged);
        }
        tops.reverse();
        let mut levels: Vec<Tensor<4>> = tops
            .into_iter()
            .zip(&self.smooth)
            .map(|(t, s)| s.forward(t))
            .collect();
        for extra in &self.extras {
            let top = levels.last().expect("at least one backbone level").clone();
            levels.push(extra.forward(top));
        }

        let mut shapes = Vec::with_capacity(levels.len());
        let mut class_parts = Vec::new();
        let mut box_parts = Vec::new();
        let mut centre_parts = Vec::new();
        let mut angle_parts = Vec::new();
        let mut coefficient_parts = Vec::new();
        for (i, level) in levels.iter().enumerate() {
            let [_, _, h, w] = level.dims();
            shapes.push((self.min_level + i, h, w));
            let mut x = level.clone();
            for layer in &self.class_tower {
                x = layer.forward(x);
            }
            class_parts.push(flatten(fast::conv2d(&self.class_logits, x)));
            let mut x = level.clone();
            for layer in &self.box_tower {
                x = layer.forward(x);
            }
            box_parts.push(flatten(fast::conv2d(&self.box_regression, x.clone())));
            centre_parts.push(flatten(fast::conv2d(&self.centerness, x.clone())));
            if let Some(angle) = &self.angle {
                angle_parts.push(flatten(fast::conv2d(angle, x.clone())));
            }
            if let Some(coefficients) = &self.mask_coefficients {
                coefficient_parts.push(flatten(tanh(fast::conv2d(coefficients, x))));
            }
        }
        let prototypes = self.prototypes.as_ref().map(|p| {
            let fine = p.lateral.forward(c2);
            let [_, _, h, w] = fine.dims();
            let fused = fine + resize(levels[0].clone(), h, w, InterpolateMode::Bilinear);
            relu(fast::conv2d(&p.out, p.refine.forward(fused)))
        });
        let cat = |parts: Vec<Tensor<3>>| (!parts.is_empty()).then(|| Tensor::cat(parts, 2));
        DetectionOutput {
            class_logits: Tensor::cat(class_parts, 2),
            box_regression: Tensor::cat(box_parts, 2),
            centerness: Tensor::cat(centre_parts, 2),
            angle: cat(angle_parts),
            mask_coefficients: cat(coefficient_parts),
            prototypes,
            levels: shapes,
        }
    }
}

/// A 3x3 head convolution initialised as in FCOS: weights from N(0, 0.01²), zero bias.
fn head_conv(in_channels: usize, out_channels: usize, device: &Device) -> Conv2d {
    let mut conv = Conv2dConfig::new([in_channels, out_channels], [3, 3])
        .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
        .with_initializer(Initializer::Normal {
            mean: 0.0,
            std: 0.01,
        })
        .init(device);
    conv.bias = Some(Param::from_tensor(Tensor::zeros([out_channels], device)));
    conv
}

/// `[B, C, H, W]` to `[B, C, H * W]`.
fn flatten(x: Tensor<4>) -> Tensor<3> {
    let [b, c, h, w] = x.dims();
    x.reshape([b, c, h * w])
}

/// Resizes a feature map to `h x w` (pixel-centre aligned).
fn resize(x: Tensor<4>, h: usize, w: usize, mode: InterpolateMode) -> Tensor<4> {
    let [_, _, xh, xw] = x.dims();
    if (xh, xw) == (h, w) {
        return x;
    }
    interpolate(
        x,
        InterpolateOptions::new(mode)
            .with_align_corners(false)
            .with_output_size([h, w]),
    )
}
