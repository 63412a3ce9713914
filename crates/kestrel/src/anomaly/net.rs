//! [`AnomalyNet`]: a pretrained backbone whose mid-level patch features are compared with a
//! memory bank of features of defect-free images.

use crate::anomaly::global::GlobalBranch;
use burn::module::{Module, Param};
use burn::tensor::module::{avg_pool2d, interpolate};
use burn::tensor::ops::{AvgPoolOptions, InterpolateMode, InterpolateOptions};
use burn::tensor::{Device, Tensor};
use kestrel_nn::{Backbone, BackboneKind};

/// The anomaly-detection network: backbone plus memory bank `[M, D]`.
#[derive(Module, Debug)]
pub struct AnomalyNet {
    /// The (pretrained, frozen) feature extractor.
    pub backbone: Backbone,
    /// Patch features of defect-free training images, one row per patch.
    pub memory_bank: Param<Tensor<2>>,
    /// The global-context branch (`gc_anomaly_detection` only).
    pub global: Option<GlobalBranch>,
}

/// Channels of the patch embedding for a backbone (its two mid-level maps concatenated).
pub fn embedding_dim(kind: BackboneKind) -> usize {
    match kind {
        BackboneKind::Compact => 64 + 128,
        BackboneKind::ResNet18 => 128 + 256,
        BackboneKind::ResNet50 => 512 + 1024,
        BackboneKind::MobileNetV2 => 32 + 96,
    }
}

impl AnomalyNet {
    /// A network with fresh backbone weights, an all-zero memory bank of `bank_rows` rows
    /// and, with `global_images`, an empty global branch for that many training images.
    pub fn new(
        kind: BackboneKind,
        in_channels: usize,
        bank_rows: usize,
        global_images: Option<usize>,
        device: &Device,
    ) -> Self {
        let dim = embedding_dim(kind);
        let bank = Tensor::<2>::zeros([bank_rows.max(1), dim], device);
        Self {
            backbone: kind.init(in_channels, device),
            memory_bank: Param::from_tensor(bank).set_require_grad(false),
            global: global_images.map(|n| GlobalBranch::new(n, dim, device)),
        }
    }

    /// Patch embeddings `[B, D, H/s, W/s]` of a normalised image batch: each mid-level map
    /// averaged over 3x3 neighbourhoods (so a patch sees its surroundings), the coarser one
    /// upsampled bilinearly to the finer one's size, both concatenated along channels.
    pub fn embed(&self, images: Tensor<4>) -> Tensor<4> {
        let [fine, coarse] = self.backbone.mid_level_features(images);
        let pool = |x: Tensor<4>| {
            avg_pool2d(
                x,
                AvgPoolOptions::new([3, 3])
                    .with_stride([1, 1])
                    .with_padding([1, 1]),
            )
        };
        let fine = pool(fine);
        let [_, _, h, w] = fine.dims();
        let coarse = interpolate(
            pool(coarse),
            InterpolateOptions::new(InterpolateMode::Bilinear)
                .with_align_corners(false)
                .with_output_size([h, w]),
        );
        Tensor::cat(vec![fine, coarse], 1)
    }

    /// Euclidean distance of every patch of `embeddings` (`[B, D, h, w]`) to its nearest
    /// memory-bank row, as `[B, h, w]`. `excluded` (`[B, 1, M]`, added to squared distances)
    /// can rule out bank rows per image, e.g. those that came from the image itself.
    pub fn nearest_distances(
        &self,
        embeddings: Tensor<4>,
        excluded: Option<Tensor<3>>,
    ) -> Tensor<3> {
        let [b, d, h, w] = embeddings.dims();
        let bank = self.memory_bank.val();
        let m = bank.dims()[0];
        let queries = embeddings.permute([0, 2, 3, 1]).reshape([b * h * w, d]);
        let q2 = queries.clone().powi_scalar(2).sum_dim(1);
        let b2 = bank.clone().powi_scalar(2).sum_dim(1).reshape([1, m]);
        let dot = queries.matmul(bank.transpose());
        let squared = (q2 + b2 - dot.mul_scalar(2.0)).reshape([b, h * w, m]);
        let squared = match excluded {
            Some(penalty) => squared + penalty,
            None => squared,
        };
        squared.min_dim(2).clamp_min(0.0).sqrt().reshape([b, h, w])
    }
}
