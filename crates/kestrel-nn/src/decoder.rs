//! The light feature-pyramid decoder dense-prediction networks share: laterals summed top
//! down, and bilinear resizing.

use crate::conv_bn::ConvBn;
use burn::tensor::Tensor;
use burn::tensor::module::interpolate;
use burn::tensor::ops::{InterpolateMode, InterpolateOptions};

/// The top-down sum of pyramid `levels` (finest first): each level projected by its
/// lateral (same order), the coarser sum upsampled bilinearly and added; returns the sum at
/// the finest level.
pub fn top_down_sum(levels: [Tensor<4>; 3], laterals: &[ConvBn]) -> Tensor<4> {
    let mut top: Option<Tensor<4>> = None;
    for (level, lateral) in levels.into_iter().zip(laterals).rev() {
        let projected = lateral.forward(level);
        let [_, _, lh, lw] = projected.dims();
        top = Some(match top {
            None => projected,
            Some(coarse) => projected + resize_bilinear(coarse, lh, lw),
        });
    }
    top.expect("three pyramid levels")
}

/// Bilinear resize (pixel-centre aligned) of a feature map to `h x w`; the map itself when
/// it has that size.
pub fn resize_bilinear(x: Tensor<4>, h: usize, w: usize) -> Tensor<4> {
    let [_, _, xh, xw] = x.dims();
    if (xh, xw) == (h, w) {
        return x;
    }
    interpolate(
        x,
        InterpolateOptions::new(InterpolateMode::Bilinear)
            .with_align_corners(false)
            .with_output_size([h, w]),
    )
}
