//! The weight gradient: `dw += dy * col^T` per image and group, a GEMM of depth
//! `out_height * out_width`, summed over the batch.

use rayon::prelude::*;

use crate::depthwise;
use crate::error::{KernelError, check_len};
use crate::gemm::{MatMut, MatRef, matmul};
use crate::im2col::{im2col, split_columns, split_input};
use crate::plan::{Mode, band_rows, is_pointwise};
use crate::scratch::with_scratch;
use crate::shape::Conv2dShape;
use crate::vecops::add_assign;

/// Gradient of the convolution with respect to its weight: given the input `x`
/// (`[batch, in_channels, in_height, in_width]`) and the output gradient `dy`
/// (`[batch, out_channels, out_height, out_width]`), overwrites `dw`
/// (`[out_channels, in_channels / groups, kernel_height, kernel_width]`) with the sum over
/// the batch.
pub fn conv2d_backward_weight(
    shape: &Conv2dShape,
    x: &[f32],
    dy: &[f32],
    dw: &mut [f32],
) -> Result<(), KernelError> {
    shape.validate()?;
    check_len("x", x.len(), shape.input_len())?;
    check_len("dy", dy.len(), shape.output_len())?;
    check_len("dw", dw.len(), shape.weight_len())?;
    if shape.is_depthwise() {
        depthwise::backward_weight(shape, x, dy, dw);
        return Ok(());
    }
    let tasks = shape.batch * shape.groups;
    let mode = Mode::for_tasks(tasks);
    match mode {
        Mode::Inner => {
            dw.fill(0.0);
            (0..tasks).for_each(|t| weight_grad_task(shape, x, dy, t, dw, mode));
        }
        Mode::Tasks => {
            // One contiguous run of tasks per thread, each summing into its own copy of
            // the gradient (the first one into `dw` itself), reduced at the end.
            let chunks = rayon::current_num_threads().min(tasks);
            let mut partials = vec![vec![0.0f32; dw.len()]; chunks - 1];
            let mut sums: Vec<&mut [f32]> = Vec::with_capacity(chunks);
            sums.push(dw);
            sums.extend(partials.iter_mut().map(Vec::as_mut_slice));
            sums.par_iter_mut().enumerate().for_each(|(c, sum)| {
                if c == 0 {
                    // The partials start zeroed; `dw` holds whatever the caller passed.
                    sum.fill(0.0);
                }
                for t in c * tasks / chunks..(c + 1) * tasks / chunks {
                    weight_grad_task(shape, x, dy, t, sum, mode);
                }
            });
            if let Some((dw, rest)) = sums.split_first_mut() {
                for partial in rest {
                    add_assign(dw, partial);
                }
            }
        }
    }
    Ok(())
}

/// Adds the weight gradient of task `t` (image `t / groups`, group `t % groups`) into
/// the group's block of `dw`.
fn weight_grad_task(
    shape: &Conv2dShape,
    x: &[f32],
    dy: &[f32],
    t: usize,
    dw: &mut [f32],
    mode: Mode,
) {
    let g = t % shape.groups;
    let (m, k, hw) = (shape.out_per_group(), shape.col_rows(), shape.out_plane());
    let in_len = shape.in_per_group() * shape.in_plane();
    let x = &x[t * in_len..(t + 1) * in_len];
    let dy = &dy[t * m * hw..(t + 1) * m * hw];
    let dw = &mut dw[g * m * k..(g + 1) * m * k];
    if is_pointwise(shape) {
        let xt = MatRef::rows(x, k, hw, hw).t();
        let dy = MatRef::rows(dy, m, hw, hw);
        matmul(MatMut::rows(dw, m, k, k), dy, xt, true, mode.gemm());
        return;
    }
    let (ho, wo) = (shape.out_height(), shape.out_width());
    let band = band_rows(shape, mode);
    let col_len = k * band * wo;
    let split_len = if split_columns(shape) { x.len() } else { 0 };
    with_scratch(col_len + split_len, |buf| {
        let (col, xs) = buf.split_at_mut(col_len);
        let x = if split_len > 0 {
            split_input(shape, x, xs, mode.parallel_copies());
            &*xs
        } else {
            x
        };
        for first in (0..ho).step_by(band) {
            let rows = first..(first + band).min(ho);
            let n = rows.len() * wo;
            let col = &mut col[..k * n];
            im2col(shape, x, rows, col, mode.parallel_copies());
            let dy = MatRef::rows(&dy[first * wo..], m, n, hw);
            let colt = MatRef::rows(col, k, n, n).t();
            matmul(MatMut::rows(dw, m, k, k), dy, colt, true, mode.gemm());
        }
    });
}
