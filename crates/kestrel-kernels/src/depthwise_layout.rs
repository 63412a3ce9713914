//! The zero-padded, phase-split layout of the depthwise kernels.
//!
//! With strides `(sy, sx)` an input plane becomes `sy * sx` phase planes, phase
//! `(ry, rx)` holding the padded input at rows `ry, ry + sy, …` and columns `rx,
//! rx + sx, …`, all with `cols` columns (`out_width` plus the largest horizontal tap
//! shift). Kernel tap `(ky, kx)` then reads phase `((ky dy) % sy, (kx dx) % sx)` shifted
//! by `((ky dy) / sy, (kx dx) / sx)`, and an output plane stored with row length `cols`
//! is a sum of shifted phase planes.

use std::ops::Range;

use crate::shape::{Conv2dShape, valid_range};
use crate::strided::{deinterleave, gather, interleave, scatter, zero, zero_edges};
use crate::vecops::BLOCK;

/// The phase-split layout of one padded input plane and where each tap reads it.
pub(crate) struct Layout {
    /// Rows of a phase plane: `out_height` plus the largest vertical tap shift.
    rows: usize,
    /// Columns of a phase plane and row length of the output buffers: `out_width` plus
    /// the largest horizontal tap shift.
    pub(crate) cols: usize,
    /// `rows * cols`.
    plane: usize,
    /// `plane` rounded up to whole blocks of [`BLOCK`]: the stride between phase planes
    /// of an input gradient.
    pub(crate) padded_plane: usize,
    /// `out_height * cols` rounded up to whole blocks of [`BLOCK`]: the length of an
    /// output plane stored with row length `cols` (plus zeros or scratch).
    pub(crate) out_len: usize,
    /// Number of phase planes, `stride[0] * stride[1]`.
    pub(crate) phases: usize,
    /// Largest horizontal tap shift.
    shift_x: usize,
    /// `out_height`.
    rows_out: usize,
    /// Largest tap shift within a phase plane, `shift_y * cols + shift_x`.
    pub(crate) max_shift: usize,
    /// The kernel taps (row-major indices) sorted by phase plane.
    order: Vec<usize>,
    /// The inverse permutation of `order`: tap `t` is `order[inverse[t]]`.
    inverse: Vec<usize>,
    /// For each phase plane, its taps: a range of `order`.
    pub(crate) phase_taps: Vec<Range<usize>>,
    /// Per tap of `order`: where its window starts in a phase-split input.
    pub(crate) starts: Vec<usize>,
    /// Per tap of `order`: where its window starts in an output-gradient plane stored
    /// after `max_shift` zeros (the transposed shift).
    pub(crate) back_starts: Vec<usize>,
}

impl Layout {
    /// The layout of the planes of `shape` (a valid shape).
    pub(crate) fn new(shape: &Conv2dShape) -> Self {
        let [sy, sx] = shape.stride;
        let [dy, dx] = shape.dilation;
        let shift_y = (shape.kernel_height - 1) * dy / sy;
        let shift_x = (shape.kernel_width - 1) * dx / sx;
        let rows = shape.out_height() + shift_y;
        let cols = shape.out_width() + shift_x;
        let plane = rows * cols;
        let max_shift = shift_y * cols + shift_x;
        // (phase, shift) of every tap.
        let taps: Vec<(usize, usize)> = (0..shape.kernel_height)
            .flat_map(|ky| (0..shape.kernel_width).map(move |kx| (ky * dy, kx * dx)))
            .map(|(y, x)| ((y % sy) * sx + x % sx, (y / sy) * cols + x / sx))
            .collect();
        let mut order: Vec<usize> = (0..taps.len()).collect();
        order.sort_by_key(|&t| taps[t].0);
        let mut inverse = vec![0; order.len()];
        for (k, &t) in order.iter().enumerate() {
            inverse[t] = k;
        }
        let phase_taps = (0..sy * sx)
            .map(|p| {
                let start = order.partition_point(|&t| taps[t].0 < p);
                let end = order.partition_point(|&t| taps[t].0 <= p);
                start..end
            })
            .collect();
        let starts = order
            .iter()
            .map(|&t| taps[t].0 * plane + taps[t].1)
            .collect();
        let back_starts = order.iter().map(|&t| max_shift - taps[t].1).collect();
        Self {
            rows,
            cols,
            plane,
            padded_plane: plane.next_multiple_of(BLOCK),
            out_len: (shape.out_height() * cols).next_multiple_of(BLOCK),
            phases: sy * sx,
            shift_x,
            rows_out: shape.out_height(),
            max_shift,
            order,
            inverse,
            phase_taps,
            starts,
            back_starts,
        }
    }

    /// Length of a phase-split input: all phase planes plus a tail of zeros, so that
    /// every tap's window of `out_len` elements fits. A window of `out_height * cols`
    /// elements ends at most `shift_x` past the planes, and `out_len` rounds it up.
    pub(crate) fn split_len(&self) -> usize {
        self.phases * self.plane + self.shift_x + self.out_len - self.rows_out * self.cols
    }

    /// Where weight element `i` (row-major, any channel) sits once each channel's taps
    /// are in the order of `order`.
    pub(crate) fn position(&self, i: usize) -> usize {
        let taps = self.order.len();
        i - i % taps + self.inverse[i % taps]
    }

    /// The weights with each channel's taps in the order of `order`.
    pub(crate) fn permute(&self, w: &[f32]) -> Vec<f32> {
        w.chunks_exact(self.order.len())
            .flat_map(|w| self.order.iter().map(|&t| w[t]))
            .collect()
    }

    /// Fills `dst` (`split_len` elements) with the zero-padded, phase-split `plane`.
    pub(crate) fn split(&self, shape: &Conv2dShape, plane: &[f32], dst: &mut [f32]) {
        let (h, w) = (shape.in_height, shape.in_width);
        let [sy, sx] = shape.stride;
        let [py, px] = shape.padding;
        let (planes, tail) = dst.split_at_mut(self.phases * self.plane);
        zero(tail);
        let cols = |rx: usize| valid_range(self.cols, w, sx, rx as isize - px as isize);
        for (ry, block) in planes.chunks_exact_mut(sx * self.plane).enumerate() {
            // Row j of the phase planes (ry, _) comes from input row `j * sy + ry - py`.
            let rows = valid_range(self.rows, h, sy, ry as isize - py as isize);
            let src = |j: usize| {
                rows.contains(&j)
                    .then(|| &plane[(j * sy + ry - py) * w..][..w])
            };
            if sx == 2 {
                // Both phases of a row in one pass over the input row.
                let (p0, p1) = block.split_at_mut(self.plane);
                let (c0, c1) = (cols(0), cols(1));
                let rows0 = p0.chunks_exact_mut(self.cols);
                let rows1 = p1.chunks_exact_mut(self.cols);
                for (j, (d0, d1)) in rows0.zip(rows1).enumerate() {
                    let Some(src) = src(j) else {
                        d0.fill(0.0);
                        d1.fill(0.0);
                        continue;
                    };
                    let (m0, m1) = (zero_edges(d0, &c0), zero_edges(d1, &c1));
                    // Phase rx holds the input columns of parity (rx + px) % 2, from the
                    // first one on.
                    if px % 2 == 0 {
                        deinterleave(src, m0, m1);
                    } else {
                        deinterleave(src, m1, m0);
                    }
                }
            } else {
                for (rx, phase) in block.chunks_exact_mut(self.plane).enumerate() {
                    let cols = cols(rx);
                    let first_x = (cols.start * sx + rx).saturating_sub(px);
                    for (j, d) in phase.chunks_exact_mut(self.cols).enumerate() {
                        match src(j) {
                            Some(src) => gather(zero_edges(d, &cols), &src[first_x..], sx),
                            None => d.fill(0.0),
                        }
                    }
                }
            }
        }
    }

    /// Writes the input gradient `plane` from its phase-split form `src` (the transpose
    /// of [`split`](Self::split): padding positions are dropped, input positions no tap
    /// reads get zero).
    pub(crate) fn merge(&self, shape: &Conv2dShape, src: &[f32], plane: &mut [f32]) {
        let w = shape.in_width;
        let [sy, sx] = shape.stride;
        let [py, px] = shape.padding;
        let cols = |rx: usize| valid_range(self.cols, w, sx, rx as isize - px as isize);
        // Input columns that no tap reads get no gradient: zero them first, unless the
        // phases cover every column.
        let covered: usize = (0..sx).map(|rx| cols(rx).len()).sum();
        for (iy, dst) in plane.chunks_exact_mut(w).enumerate() {
            if covered < w {
                dst.fill(0.0);
            }
            let (ry, j) = ((iy + py) % sy, (iy + py) / sy);
            if j >= self.rows {
                dst.fill(0.0);
                continue;
            }
            let row = |rx: usize| {
                let start = (ry * sx + rx) * self.padded_plane + j * self.cols;
                &src[start..start + self.cols][cols(rx)]
            };
            if sx == 2 {
                if px % 2 == 0 {
                    interleave(dst, row(0), row(1));
                } else {
                    interleave(dst, row(1), row(0));
                }
            } else {
                for rx in 0..sx {
                    let cols = cols(rx);
                    if !cols.is_empty() {
                        scatter(&mut dst[cols.start * sx + rx - px..], row(rx), sx);
                    }
                }
            }
        }
    }

    /// Writes an output-gradient plane into `dst` with row length `cols`, zero in the
    /// extra columns and rows.
    pub(crate) fn spread(&self, shape: &Conv2dShape, dy: &[f32], dst: &mut [f32]) {
        let wo = shape.out_width();
        let mut rows = dst.chunks_mut(self.cols);
        for (src, dst) in dy.chunks_exact(wo).zip(&mut rows) {
            let (data, extra) = dst.split_at_mut(wo);
            data.copy_from_slice(src);
            zero(extra);
        }
        for dst in rows {
            dst.fill(0.0);
        }
    }
}
