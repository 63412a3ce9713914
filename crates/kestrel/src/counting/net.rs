//! [`CountingNet`]: a pretrained backbone and the prepared examples' feature templates.

use burn::module::{Module, Param};
use burn::tensor::module::avg_pool2d;
use burn::tensor::ops::AvgPoolOptions;
use burn::tensor::{Device, Tensor};
use kestrel_nn::{Backbone, BackboneKind};

/// Cells per side of an example's feature template.
pub const TEMPLATE_CELLS: usize = 3;

/// The deep-counting network: a (pretrained, frozen) backbone and the templates of the
/// prepared examples, one row of `TEMPLATE_CELLS² x channels` values per example (cell by
/// cell, channels innermost, each row of unit length).
#[derive(Module, Debug)]
pub struct CountingNet {
    /// The feature extractor.
    pub backbone: Backbone,
    /// The examples' feature templates `[examples, TEMPLATE_CELLS² * channels]`.
    pub templates: Param<Tensor<2>>,
}

/// Channels of the counting feature map for a backbone: its two finest pyramid levels.
pub fn feature_channels(kind: BackboneKind) -> usize {
    let [fine, coarse, _] = kind.pyramid_channels();
    fine + coarse
}

/// Image pixels per cell of the counting feature map: the second pyramid level's stride.
pub fn feature_stride(kind: BackboneKind) -> usize {
    kind.pyramid_stride() * 2
}

impl CountingNet {
    /// A network with fresh backbone weights and `examples` all-zero templates.
    pub fn new(kind: BackboneKind, in_channels: usize, examples: usize, device: &Device) -> Self {
        let width = TEMPLATE_CELLS * TEMPLATE_CELLS * feature_channels(kind);
        let templates = Tensor::<2>::zeros([examples.max(1), width], device);
        Self {
            backbone: kind.init(in_channels, device),
            templates: Param::from_tensor(templates).set_require_grad(false),
        }
    }

    /// The counting features `[B, C, H/s, W/s]` of a normalised image batch: the finest
    /// pyramid level averaged over 2x2 cells, beside the next level (stride `s`). The
    /// image sides must be multiples of `2 s`.
    pub fn features(&self, images: Tensor<4>) -> Tensor<4> {
        let [fine, coarse] = self.backbone.fine_pyramid(images);
        let fine = avg_pool2d(fine, AvgPoolOptions::new([2, 2]).with_stride([2, 2]));
        Tensor::cat(vec![fine, coarse], 1)
    }
}
