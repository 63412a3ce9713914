//! The input gradient: GEMM with the transposed weight, then col2im.

use rayon::prelude::*;

use crate::depthwise;
use crate::error::{KernelError, check_len};
use crate::gemm::{MatMut, MatRef, matmul};
use crate::im2col::{col2im, merge_input, split_columns};
use crate::plan::{Mode, band_rows, is_pointwise};
use crate::scratch::with_scratch;
use crate::shape::Conv2dShape;

/// Gradient of the convolution with respect to its input: given the output gradient
/// `dy` (`[batch, out_channels, out_height, out_width]`) and the weight `w`, overwrites
/// `dx` (`[batch, in_channels, in_height, in_width]`).
pub fn conv2d_backward_input(
    shape: &Conv2dShape,
    dy: &[f32],
    w: &[f32],
    dx: &mut [f32],
) -> Result<(), KernelError> {
    shape.validate()?;
    check_len("dy", dy.len(), shape.output_len())?;
    check_len("w", w.len(), shape.weight_len())?;
    check_len("dx", dx.len(), shape.input_len())?;
    if shape.is_depthwise() {
        depthwise::backward_input(shape, dy, w, dx);
        return Ok(());
    }
    let groups = shape.groups;
    let (cin, cout) = (shape.in_per_group(), shape.out_per_group());
    let (in_len, out_len) = (cin * shape.in_plane(), cout * shape.out_plane());
    let w_len = cout * shape.col_rows();
    let mode = Mode::for_tasks(shape.batch * groups);
    let task = |(t, dx): (usize, &mut [f32])| {
        let g = t % groups;
        input_grad_group(
            shape,
            &dy[t * out_len..(t + 1) * out_len],
            &w[g * w_len..(g + 1) * w_len],
            dx,
            mode,
        );
    };
    match mode {
        Mode::Tasks => dx.par_chunks_mut(in_len).enumerate().for_each(task),
        Mode::Inner => dx.chunks_mut(in_len).enumerate().for_each(task),
    }
    Ok(())
}

/// The input gradient of one image and group: `col [K x HW] = w^T [K x cout] *
/// dy [cout x HW]`, scattered back into `dx` by col2im.
fn input_grad_group(shape: &Conv2dShape, dy: &[f32], w: &[f32], dx: &mut [f32], mode: Mode) {
    let (m, k, hw) = (shape.out_per_group(), shape.col_rows(), shape.out_plane());
    let wt = MatRef::rows(w, m, k, k).t();
    if is_pointwise(shape) {
        let dy = MatRef::rows(dy, m, hw, hw);
        matmul(MatMut::rows(dx, k, hw, hw), wt, dy, false, mode.gemm());
        return;
    }
    let (ho, wo) = (shape.out_height(), shape.out_width());
    let band = band_rows(shape, mode);
    let col_len = k * band * wo;
    let split_len = if split_columns(shape) { dx.len() } else { 0 };
    with_scratch(col_len + split_len, |buf| {
        let (col, dxs) = buf.split_at_mut(col_len);
        // col2im adds into `dx`, or into its column-phase form `dxs`, merged at the end.
        let target = if split_len > 0 { &mut *dxs } else { &mut *dx };
        target.fill(0.0);
        for first in (0..ho).step_by(band) {
            let rows = first..(first + band).min(ho);
            let n = rows.len() * wo;
            let col = &mut col[..k * n];
            let dy = MatRef::rows(&dy[first * wo..], m, n, hw);
            matmul(MatMut::rows(col, k, n, n), wt, dy, false, mode.gemm());
            col2im(shape, col, rows, target, mode.parallel_copies());
        }
        if split_len > 0 {
            merge_input(shape, dxs, dx, mode.parallel_copies());
        }
    });
}
