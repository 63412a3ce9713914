//! The bias gradient: per-channel sums of the output gradient.

use rayon::prelude::*;

use crate::error::{KernelError, check_len};
use crate::shape::Conv2dShape;
use crate::vecops::sum;

/// Gradient of the convolution with respect to its bias: overwrites `dbias`
/// (`out_channels` elements) with the sum of `dy` (`[batch, out_channels, out_height,
/// out_width]`) over the batch and all output positions of each channel.
pub fn conv2d_backward_bias(
    shape: &Conv2dShape,
    dy: &[f32],
    dbias: &mut [f32],
) -> Result<(), KernelError> {
    shape.validate()?;
    check_len("dy", dy.len(), shape.output_len())?;
    check_len("dbias", dbias.len(), shape.out_channels)?;
    let (channels, hw) = (shape.out_channels, shape.out_plane());
    dbias.par_iter_mut().enumerate().for_each(|(c, db)| {
        let total: f64 = (0..shape.batch)
            .map(|n| {
                let start = (n * channels + c) * hw;
                f64::from(sum(&dy[start..start + hw]))
            })
            .sum();
        *db = total as f32;
    });
    Ok(())
}
