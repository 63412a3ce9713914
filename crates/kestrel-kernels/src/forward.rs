//! The forward convolution: im2col + GEMM per image and group, then the fused
//! [`Epilogue`] on each band while it is in the cache.

use rayon::prelude::*;

use crate::depthwise;
use crate::epilogue::Epilogue;
use crate::error::{KernelError, check_len};
use crate::gemm::{MatMut, MatRef, matmul};
use crate::im2col::{im2col, split_columns, split_input};
use crate::plan::{Mode, band_rows, forward_plan, is_pointwise};
use crate::scratch::with_scratch;
use crate::shape::Conv2dShape;

/// Convolves `x` with `w` and adds `bias`: `out = conv(x, w) + bias`.
///
/// `x` is the input `[batch, in_channels, in_height, in_width]`, `w` the weight
/// `[out_channels, in_channels / groups, kernel_height, kernel_width]`, `bias` (if any)
/// has `out_channels` elements, and `out` (`[batch, out_channels, out_height,
/// out_width]`) is overwritten. All are contiguous NCHW.
pub fn conv2d(
    shape: &Conv2dShape,
    x: &[f32],
    w: &[f32],
    bias: Option<&[f32]>,
    out: &mut [f32],
) -> Result<(), KernelError> {
    if let Some(bias) = bias {
        check_len("bias", bias.len(), shape.out_channels)?;
    }
    conv2d_fused(shape, x, w, &Epilogue::bias(bias), out)
}

/// Convolves `x` with `w` and applies `epilogue` to every sum before storing it:
/// `out = activation(conv(x, w) * scale + shift + residual)` (see [`Epilogue`]).
///
/// With a batch norm's running statistics folded into the scale and shift this is a
/// whole inference-time conv + batch norm (+ residual add) + activation in one pass over
/// the output. Layouts as in [`conv2d`]; the residual has the output's layout.
pub fn conv2d_fused(
    shape: &Conv2dShape,
    x: &[f32],
    w: &[f32],
    epilogue: &Epilogue<'_>,
    out: &mut [f32],
) -> Result<(), KernelError> {
    shape.validate()?;
    check_len("x", x.len(), shape.input_len())?;
    check_len("w", w.len(), shape.weight_len())?;
    epilogue.check(shape)?;
    check_len("out", out.len(), shape.output_len())?;
    if shape.is_depthwise() {
        depthwise::forward(shape, x, w, epilogue, out);
        return Ok(());
    }
    let groups = shape.groups;
    let (cin, cout) = (shape.in_per_group(), shape.out_per_group());
    let (hw, k) = (shape.out_plane(), shape.col_rows());
    let (in_len, out_len) = (cin * shape.in_plane(), cout * hw);
    let w_len = cout * k;
    let (mode, blocks) = forward_plan(shape);
    let block = cout.div_ceil(blocks);
    // Output channels `block * j..` of image and group `t`, into `out`.
    let run = |t: usize, j: usize, out: &mut [f32]| {
        let g = t % groups;
        let channels = j * block..j * block + out.len() / hw;
        let w = &w[g * w_len..(g + 1) * w_len];
        forward_group(
            shape,
            &x[t * in_len..(t + 1) * in_len],
            &w[channels.start * k..channels.end * k],
            &epilogue.part(
                g * cout + channels.start..g * cout + channels.end,
                t * out_len + channels.start * hw..t * out_len + channels.end * hw,
            ),
            out,
            mode,
        );
    };
    match mode {
        Mode::Tasks => out
            .par_chunks_mut(out_len)
            .enumerate()
            .for_each(|(t, out)| {
                out.par_chunks_mut(block * hw)
                    .enumerate()
                    .for_each(|(j, out)| run(t, j, out));
            }),
        Mode::Inner => out
            .chunks_mut(out_len)
            .enumerate()
            .for_each(|(t, out)| run(t, 0, out)),
    }
    Ok(())
}

/// The forward pass of one image and group, or of a block of its output channels:
/// `out [m x HW] = w [m x K] * col [K x HW]`.
fn forward_group(
    shape: &Conv2dShape,
    x: &[f32],
    w: &[f32],
    epilogue: &Epilogue<'_>,
    out: &mut [f32],
    mode: Mode,
) {
    let (k, hw) = (shape.col_rows(), shape.out_plane());
    let m = out.len() / hw;
    let w = MatRef::rows(w, m, k, k);
    if is_pointwise(shape) {
        let col = MatRef::rows(x, k, hw, hw);
        matmul(MatMut::rows(out, m, hw, hw), w, col, false, mode.gemm());
        epilogue.apply(out, hw, 0..hw);
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
            let dst = MatMut::rows(&mut out[first * wo..], m, n, hw);
            matmul(dst, w, MatRef::rows(col, k, n, n), false, mode.gemm());
            epilogue.apply(out, hw, first * wo..first * wo + n);
        }
    });
}
