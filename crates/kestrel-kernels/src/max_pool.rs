//! 2D max pooling: forward without and with indices, and the backward from the indices.

use rayon::prelude::*;

use crate::error::{KernelError, check_len};
use crate::pool_loops::{PlanePool, max_pool_planes, max_pool_planes_with_indices, scatter_planes};
use crate::pool_shape::Pool2dShape;

/// Whole planes per parallel task come to at least this many input elements, unless that
/// would leave fewer than [`TASKS_PER_THREAD`] tasks per thread.
const TASK_ELEMENTS: usize = 16 * 1024;

/// Parallel tasks per rayon thread wanted at least.
const TASKS_PER_THREAD: usize = 4;

/// Planes per parallel task of `shape` (validated) on rayon's current pool.
fn planes_per_task(shape: &Pool2dShape) -> usize {
    let by_size = TASK_ELEMENTS.div_ceil(shape.in_plane());
    let by_count = shape
        .planes()
        .div_ceil(TASKS_PER_THREAD * rayon::current_num_threads());
    by_size.min(by_count).max(1)
}

/// Max pooling forward for inference: `out[n, c, oh, ow]` is the maximum of the window
/// of output `(oh, ow)` in plane `(n, c)` of `x`, NaN if the window holds a NaN.
///
/// `x` is `[batch, channels, in_height, in_width]` and `out` `[batch, channels,
/// out_height, out_width]`, contiguous (see [`Pool2dShape`]); `out` is overwritten.
/// Parallel over tasks of whole planes; each output row takes the vertical maximum of
/// its window rows into a padded row buffer, then the maximum of the kernel's columns
/// along it, both as vectorised loops.
pub fn max_pool2d(shape: &Pool2dShape, x: &[f32], out: &mut [f32]) -> Result<(), KernelError> {
    shape.validate()?;
    check_len("x", x.len(), shape.input_len())?;
    check_len("out", out.len(), shape.output_len())?;
    let pool = PlanePool::new(shape);
    let per_task = planes_per_task(shape);
    out.par_chunks_mut(per_task * pool.out_plane())
        .zip(x.par_chunks(per_task * pool.in_plane()))
        .for_each(|(out, x)| max_pool_planes(&pool, x, out));
    Ok(())
}

/// Max pooling forward for training: [`max_pool2d`], and in `indices` (shaped like
/// `out`) the flat index within the input plane, `ih * in_width + iw`, of each chosen
/// maximum, as burn stores them for the backward ([`max_pool2d_backward`]).
///
/// Among equal maxima the first in the window's row-major order wins. A window holding a
/// NaN gives NaN, with the index of its first NaN (PyTorch's CPU kernel and burn-flex
/// point at the last one). Padding is never chosen, even over an input of negative
/// infinity. Asks for at most `2^32` elements per input plane.
pub fn max_pool2d_with_indices(
    shape: &Pool2dShape,
    x: &[f32],
    out: &mut [f32],
    indices: &mut [u32],
) -> Result<(), KernelError> {
    shape.validate_for_indices()?;
    check_len("x", x.len(), shape.input_len())?;
    check_len("out", out.len(), shape.output_len())?;
    check_len("indices", indices.len(), shape.output_len())?;
    let pool = PlanePool::new(shape);
    let per_task = planes_per_task(shape);
    let outputs = per_task * pool.out_plane();
    out.par_chunks_mut(outputs)
        .zip(indices.par_chunks_mut(outputs))
        .zip(x.par_chunks(per_task * pool.in_plane()))
        .for_each(|((out, indices), x)| max_pool_planes_with_indices(&pool, x, out, indices));
    Ok(())
}

/// Max pooling backward: overwrites `dx` (shaped like the input) with zeros, then adds
/// each `dout[n, c, oh, ow]` to `dx[n, c]` at the flat index `indices[n, c, oh, ow]`
/// within the plane, as written by [`max_pool2d_with_indices`]; where windows overlap,
/// the gradients of all the outputs that chose an element add up.
///
/// `indices` and `dout` are shaped like the output. Parallel over tasks of whole
/// planes. An index outside the input plane gives [`KernelError::IndexOutOfRange`],
/// with `dx` partly written.
pub fn max_pool2d_backward(
    shape: &Pool2dShape,
    indices: &[u32],
    dout: &[f32],
    dx: &mut [f32],
) -> Result<(), KernelError> {
    shape.validate_for_indices()?;
    check_len("indices", indices.len(), shape.output_len())?;
    check_len("dout", dout.len(), shape.output_len())?;
    check_len("dx", dx.len(), shape.input_len())?;
    let pool = PlanePool::new(shape);
    let per_task = planes_per_task(shape);
    let outputs = per_task * pool.out_plane();
    dx.par_chunks_mut(per_task * pool.in_plane())
        .zip(indices.par_chunks(outputs).zip(dout.par_chunks(outputs)))
        .try_for_each(|(dx, (indices, dout))| scatter_planes(&pool, indices, dout, dx))
        .map_err(|index| KernelError::IndexOutOfRange {
            index,
            plane: pool.in_plane(),
        })
}
