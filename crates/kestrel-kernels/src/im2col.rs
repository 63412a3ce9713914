//! im2col and col2im on NCHW planes, for a band of output rows.
//!
//! The column matrix of one group has `in_per_group * kernel_height * kernel_width` rows,
//! ordered like the weight (channel, then kernel row, then kernel column), and one
//! column per output position of the band (output row-major).
//!
//! With a column stride above 1 the input planes must first be split into column phases
//! ([`split_input`]; col2im writes in that layout, [`merge_input`] undoes it), so that
//! every copy is contiguous.

use std::ops::Range;

use rayon::prelude::*;

use crate::shape::{Conv2dShape, valid_range};
use crate::strided::{merge_rows, phase_start, split_rows, zero};
use crate::vecops::add_assign;

/// Whether the input planes are split into column phases (column stride above 1).
pub(crate) fn split_columns(shape: &Conv2dShape) -> bool {
    shape.stride[1] > 1
}

/// Copies the input planes `x` of one group into `dst` with every row split into its
/// column phases.
pub(crate) fn split_input(shape: &Conv2dShape, x: &[f32], dst: &mut [f32], parallel: bool) {
    split_rows(x, dst, shape.in_width, shape.stride[1], parallel);
}

/// Writes the input-gradient planes `dx` of one group from their column-phase form.
pub(crate) fn merge_input(shape: &Conv2dShape, src: &[f32], dx: &mut [f32], parallel: bool) {
    merge_rows(src, dx, shape.in_width, shape.stride[1], parallel);
}

/// Fills `col` (`col_rows x band` with `band = rows.len() * out_width`) from the input
/// planes `x` (`in_per_group` planes, split into column phases when
/// [`split_columns`]) of one group; padding reads as zero. With `parallel`, the channels
/// are spread over rayon's threads.
pub(crate) fn im2col(
    shape: &Conv2dShape,
    x: &[f32],
    rows: Range<usize>,
    col: &mut [f32],
    parallel: bool,
) {
    let chunk = shape.taps() * rows.len() * shape.out_width();
    let plane = shape.in_plane();
    let one = |(c, col): (usize, &mut [f32])| {
        im2col_channel(shape, &x[c * plane..(c + 1) * plane], rows.clone(), col);
    };
    if parallel {
        col.par_chunks_mut(chunk).enumerate().for_each(one);
    } else {
        col.chunks_mut(chunk).enumerate().for_each(one);
    }
}

/// Adds the column matrix `col` of a band of output rows into the input-gradient planes
/// `dx` of one group (the transpose of [`im2col`], in the same layout). With `parallel`,
/// the channels are spread over rayon's threads.
pub(crate) fn col2im(
    shape: &Conv2dShape,
    col: &[f32],
    rows: Range<usize>,
    dx: &mut [f32],
    parallel: bool,
) {
    let chunk = shape.taps() * rows.len() * shape.out_width();
    let plane = shape.in_plane();
    let one = |(c, dx): (usize, &mut [f32])| {
        col2im_channel(shape, &col[c * chunk..(c + 1) * chunk], rows.clone(), dx);
    };
    if parallel {
        dx.par_chunks_mut(plane).enumerate().for_each(one);
    } else {
        dx.chunks_mut(plane).enumerate().for_each(one);
    }
}

/// One kernel column: output columns `out` read a contiguous run of an input row (in
/// column phases when [`split_columns`]) from `start` on.
struct WidthTap {
    out: Range<usize>,
    start: usize,
}

impl WidthTap {
    /// The tap at kernel column `kx`.
    fn new(shape: &Conv2dShape, kx: usize) -> Self {
        let (w, sx) = (shape.in_width, shape.stride[1]);
        let offset = shape.tap_offset(1, kx);
        let out = valid_range(shape.out_width(), w, sx, offset);
        // In range for a non-empty `out`; unused (and kept in bounds) for an empty one.
        let start = if out.is_empty() {
            0
        } else {
            // The first input column read; the next ones follow `sx` apart, in one phase.
            let x0 = (out.start as isize * sx as isize + offset) as usize;
            phase_start(w, sx, x0 % sx) + x0 / sx
        };
        Self { out, start }
    }
}

/// The input row that output row `oy` reads at kernel row `ky`, if it is not padding.
fn input_row(shape: &Conv2dShape, oy: usize, ky: usize) -> Option<usize> {
    let iy = (oy * shape.stride[0]) as isize + shape.tap_offset(0, ky);
    (iy >= 0 && (iy as usize) < shape.in_height).then_some(iy as usize)
}

/// [`im2col`] for one input channel: `col` holds its `kernel_height * kernel_width` rows.
fn im2col_channel(shape: &Conv2dShape, plane: &[f32], rows: Range<usize>, col: &mut [f32]) {
    let (w, wo) = (shape.in_width, shape.out_width());
    let band = rows.len() * wo;
    for (tap, col_row) in col.chunks_exact_mut(band).enumerate() {
        let (ky, kx) = (tap / shape.kernel_width, tap % shape.kernel_width);
        let t = WidthTap::new(shape, kx);
        for (oy, seg) in rows.clone().zip(col_row.chunks_exact_mut(wo)) {
            let Some(iy) = input_row(shape, oy, ky) else {
                seg.fill(0.0);
                continue;
            };
            let src = &plane[iy * w..(iy + 1) * w];
            let (left, rest) = seg.split_at_mut(t.out.start);
            let (mid, right) = rest.split_at_mut(t.out.len());
            zero(left);
            zero(right);
            mid.copy_from_slice(&src[t.start..t.start + mid.len()]);
        }
    }
}

/// [`col2im`] for one input channel.
fn col2im_channel(shape: &Conv2dShape, col: &[f32], rows: Range<usize>, plane: &mut [f32]) {
    let (w, wo) = (shape.in_width, shape.out_width());
    let band = rows.len() * wo;
    for (tap, col_row) in col.chunks_exact(band).enumerate() {
        let (ky, kx) = (tap / shape.kernel_width, tap % shape.kernel_width);
        let t = WidthTap::new(shape, kx);
        for (oy, seg) in rows.clone().zip(col_row.chunks_exact(wo)) {
            let Some(iy) = input_row(shape, oy, ky) else {
                continue;
            };
            let dst = &mut plane[iy * w..(iy + 1) * w];
            let src = &seg[t.out.clone()];
            add_assign(&mut dst[t.start..t.start + src.len()], src);
        }
    }
}
