//! The plane loops of the max pooling kernels, written to vectorise and compiled for the
//! baseline and for AVX2 like [`crate::vecops`].
//!
//! The window maximum is separable: for each output row, the vertical maximum over the
//! window's input rows goes into a row buffer of the padded width (negative infinity in
//! the padding), then each output is the maximum of its `kernel[1]` taps along that
//! buffer. With a column stride above 1 the buffer is first split into column phases
//! (phase `p` holds columns `p, p + stride, …`), so that every tap is a contiguous slice
//! of one phase. Both steps then go over blocks of columns (or outputs) held in SIMD
//! registers across all the rows (or taps) and stored once.
//!
//! With indices, the same two steps carry the flat index within the input plane of each
//! candidate. Both the vertical step (rows in increasing order, replacing only on a
//! strictly larger value) and the horizontal step (breaking ties by the smaller index)
//! keep, among equal maxima, the one with the smallest flat index, which is the first in
//! the window's row-major order; a NaN counts as larger than any number.

use crate::pool_shape::Pool2dShape;
use crate::vecops::dispatch;

/// Index of the padding columns of the row buffer: never chosen over an input element,
/// since padding is negative infinity and ties go to the smaller index.
const PADDING_INDEX: u32 = u32::MAX;

/// `max(a, b)`, NaN if either is NaN (`f32::max` drops NaNs): a `maxps` that keeps `a`
/// when the comparison is unordered, then `b` where `b` is NaN; three vector
/// instructions.
#[inline(always)]
fn max_nan(a: f32, b: f32) -> f32 {
    let m = if b > a { b } else { a };
    if b.is_nan() { b } else { m }
}

/// Whether candidate `v` beats the current maximum `m`: larger, or NaN where `m` is not.
///
/// Written as `!(v <= m)` (`v > m` or either NaN) and `m` not NaN: three vector
/// instructions.
#[inline(always)]
#[allow(clippy::neg_cmp_op_on_partial_ord)] // The unordered case is the point.
fn beats(v: f32, m: f32) -> bool {
    !(v <= m) & !m.is_nan()
}

/// Whether candidate `v` equals the current maximum `m` (two NaNs being equal).
#[inline(always)]
fn ties(v: f32, m: f32) -> bool {
    (v == m) | (v.is_nan() & m.is_nan())
}

/// The geometry of one plane's pooling, derived once per call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlanePool {
    /// Rows and columns of an input plane.
    in_size: [usize; 2],
    /// Rows and columns of an output plane.
    out_size: [usize; 2],
    /// As in [`Pool2dShape`].
    kernel: [usize; 2],
    /// As in [`Pool2dShape`].
    stride: [usize; 2],
    /// As in [`Pool2dShape`].
    padding: [usize; 2],
    /// As in [`Pool2dShape`].
    dilation: [usize; 2],
    /// Columns of the row buffer, `in_width + 2 * padding[1]`.
    padded_width: usize,
    /// Column phases of the row buffer: the column stride, at most `padded_width`.
    phases: usize,
    /// Columns per phase, `padded_width / stride[1]` rounded up.
    phase_len: usize,
}

impl PlanePool {
    /// The plane geometry of a shape that passed [`Pool2dShape::validate`].
    pub fn new(shape: &Pool2dShape) -> Self {
        let padded_width = shape.in_width + 2 * shape.padding[1];
        PlanePool {
            in_size: [shape.in_height, shape.in_width],
            out_size: [shape.out_height(), shape.out_width()],
            kernel: shape.kernel,
            stride: shape.stride,
            padding: shape.padding,
            dilation: shape.dilation,
            padded_width,
            phases: shape.stride[1].min(padded_width),
            phase_len: padded_width.div_ceil(shape.stride[1]),
        }
    }

    /// Elements of an input plane.
    pub fn in_plane(&self) -> usize {
        self.in_size[0] * self.in_size[1]
    }

    /// Elements of an output plane.
    pub fn out_plane(&self) -> usize {
        self.out_size[0] * self.out_size[1]
    }

    /// The input rows of the window of output row `oh`, in increasing order (at least
    /// one after validation).
    #[inline(always)]
    fn window_rows(&self, oh: usize) -> impl Iterator<Item = usize> {
        let (top, pad, height) = (oh * self.stride[0], self.padding[0], self.in_size[0]);
        let dilation = self.dilation[0];
        (0..self.kernel[0])
            .map(move |k| top + k * dilation)
            .filter(move |&r| r >= pad && r - pad < height)
            .map(move |r| r - pad)
    }

    /// `(phase, offset)` of tap `k` of the horizontal step: output `o` reads column
    /// `o * stride + k * dilation` of the row buffer, element `offset + o` of that phase.
    #[inline(always)]
    fn tap(&self, k: usize) -> (usize, usize) {
        let column = k * self.dilation[1];
        (column % self.stride[1], column / self.stride[1])
    }

    /// Row buffer plus phase buffer, in elements.
    fn buffer_len(&self) -> usize {
        self.padded_width + self.phases * self.phase_len
    }
}

/// Splits `row` into the phases of `pool` (phase `p` at `p * phase_len` of `phases`):
/// `phases[p][j] = row[j * stride + p]`. Returns the phase buffer, or `row` itself with
/// stride 1. Columns past the end of the row stay as they were.
#[inline(always)]
fn split_phases<'a, T: Copy>(pool: &PlanePool, row: &'a [T], phases: &'a mut [T]) -> &'a [T] {
    let (stride, len) = (pool.stride[1], pool.phase_len);
    match stride {
        1 => return row,
        2 => {
            let (even, odd) = phases.split_at_mut(len);
            let pairs = row.chunks_exact(2);
            if let [last] = pairs.remainder() {
                even[len - 1] = *last;
            }
            for ((e, o), pair) in even.iter_mut().zip(odd.iter_mut()).zip(pairs) {
                *e = pair[0];
                *o = pair[1];
            }
        }
        _ => {
            for (j, group) in row.chunks(stride).enumerate() {
                for (p, &v) in group.iter().enumerate() {
                    phases[p * len + j] = v;
                }
            }
        }
    }
    phases
}

/// Columns or outputs per wide register block: four AVX2 registers per value array.
const WIDE: usize = 32;

/// Columns or outputs per wide register block of the loops with indices: one AVX2
/// register per array, as [`LANES`] (blocks of 16 or 32 measured twice as slow).
const WIDE_INDEX: usize = LANES;

/// Columns or outputs per narrow register block: one AVX2 register.
const LANES: usize = 8;

/// Runs `$body` over the blocks of `0..$len` with `$i` the block's start and `$n` a
/// constant width (so the body unrolls into whole registers): blocks of `$wide`, then of
/// [`LANES`], then single elements.
macro_rules! in_blocks {
    ($wide:expr, $len:expr, |$i:ident, $n:ident| $body:expr) => {{
        let len: usize = $len;
        let mut $i = 0;
        while $i + $wide <= len {
            const $n: usize = $wide;
            $body;
            $i += $wide;
        }
        while $i + LANES <= len {
            const $n: usize = LANES;
            $body;
            $i += LANES;
        }
        while $i < len {
            const $n: usize = 1;
            $body;
            $i += 1;
        }
    }};
}

/// Vertical step for the `N` columns of the input plane `x` (rows of `width`) from
/// `column`: the maximum over the input `rows`, into `m`. Each block is held in
/// registers over all rows and stored once.
#[inline(always)]
fn column_max<const N: usize>(
    x: &[f32],
    rows: &[usize],
    width: usize,
    column: usize,
    m: &mut [f32],
) {
    let first = rows[0] * width + column;
    let mut best: [f32; N] = x[first..first + N].try_into().expect("N values");
    for &r in &rows[1..] {
        let start = r * width + column;
        let v = &x[start..start + N];
        for l in 0..N {
            best[l] = max_nan(best[l], v[l]);
        }
    }
    m[..N].copy_from_slice(&best);
}

/// Horizontal step for the `N` outputs from `o`: the maximum over the taps (element
/// `start + o` of the phase buffer for each `start` in `taps`), into `out`; in registers
/// like [`column_max`].
#[inline(always)]
fn tap_max<const N: usize>(phases: &[f32], taps: &[usize], o: usize, out: &mut [f32]) {
    let first = taps[0] + o;
    let mut best: [f32; N] = phases[first..first + N].try_into().expect("N values");
    for &t in &taps[1..] {
        let v = &phases[t + o..t + o + N];
        for l in 0..N {
            best[l] = max_nan(best[l], v[l]);
        }
    }
    out[o..o + N].copy_from_slice(&best);
}

/// Offsets in the phase buffer (or the row buffer with stride 1) of the kernel's column
/// taps for output 0.
fn tap_starts(pool: &PlanePool) -> Vec<usize> {
    (0..pool.kernel[1])
        .map(|k| {
            let (phase, offset) = pool.tap(k);
            phase * pool.phase_len + offset
        })
        .collect()
}

dispatch! {
    /// Max pooling of consecutive planes: `x` holds whole input planes, `out` the same
    /// number of output planes.
    ///
    /// Panics if their lengths are not whole planes of `pool`.
    fn max_pool_planes(pool: &PlanePool, x: &[f32], out: &mut [f32]) {
        let [_, width] = pool.in_size;
        let [_, out_width] = pool.out_size;
        let pad = pool.padding[1];
        let mut buffer = vec![f32::NEG_INFINITY; pool.buffer_len()];
        let (row, phases) = buffer.split_at_mut(pool.padded_width);
        let taps = tap_starts(pool);
        let mut rows = Vec::with_capacity(pool.kernel[0]);
        let planes = x.chunks_exact(pool.in_plane()).zip(out.chunks_exact_mut(pool.out_plane()));
        for (x, out) in planes {
            for (oh, out) in out.chunks_exact_mut(out_width).enumerate() {
                rows.clear();
                rows.extend(pool.window_rows(oh));
                assert!(!rows.is_empty(), "validated: a row in every window");
                let inner = &mut row[pad..pad + width];
                in_blocks!(WIDE, width, |c, N| column_max::<N>(x, &rows, width, c, &mut inner[c..]));
                let phases = split_phases(pool, row, phases);
                in_blocks!(WIDE, out_width, |o, N| tap_max::<N>(phases, &taps, o, out));
            }
        }
    }
}

/// Vertical step with indices for the `N` columns of the input plane `x` (rows of
/// `width`) from `column`: the maximum over the input `rows` (increasing) and its flat
/// index, into `m` and `mi`. Each block is held in registers over all rows and stored
/// once (updating `m` in place instead turns into masked stores that stall the loads
/// of the next row).
#[inline(always)]
fn column_argmax<const N: usize>(
    x: &[f32],
    rows: &[usize],
    width: usize,
    column: usize,
    m: &mut [f32],
    mi: &mut [u32],
) {
    let lane: [u32; N] = std::array::from_fn(|l| l as u32);
    let first = rows[0] * width + column;
    let mut best: [f32; N] = x[first..first + N].try_into().expect("N values");
    // Flat indices fit u32 (checked by `validate_for_indices`).
    let mut at = lane.map(|l| first as u32 + l);
    for &r in &rows[1..] {
        let start = r * width + column;
        let v = &x[start..start + N];
        for l in 0..N {
            let take = beats(v[l], best[l]);
            best[l] = if take { v[l] } else { best[l] };
            at[l] = if take { start as u32 + lane[l] } else { at[l] };
        }
    }
    m[..N].copy_from_slice(&best);
    mi[..N].copy_from_slice(&at);
}

/// Horizontal step with indices for the `N` outputs from `o`: the best over the taps
/// (element `start + o` of the phase buffers for each `start` in `taps`) by value, ties
/// going to the smaller index, into `out` and `indices`; in registers like
/// [`column_argmax`].
#[inline(always)]
fn tap_argmax<const N: usize>(
    phases: &[f32],
    index_phases: &[u32],
    taps: &[usize],
    o: usize,
    out: &mut [f32],
    indices: &mut [u32],
) {
    let first = taps[0] + o;
    let mut best: [f32; N] = phases[first..first + N].try_into().expect("N values");
    let mut at: [u32; N] = index_phases[first..first + N].try_into().expect("N values");
    for &t in &taps[1..] {
        let (v, vi) = (&phases[t + o..t + o + N], &index_phases[t + o..t + o + N]);
        for l in 0..N {
            let take = beats(v[l], best[l]) | (ties(v[l], best[l]) & (vi[l] < at[l]));
            best[l] = if take { v[l] } else { best[l] };
            at[l] = if take { vi[l] } else { at[l] };
        }
    }
    out[o..o + N].copy_from_slice(&best);
    indices[o..o + N].copy_from_slice(&at);
}

dispatch! {
    /// Max pooling of consecutive planes with the flat index within the input plane of
    /// each maximum: `x` holds whole input planes, `out` and `indices` the same number
    /// of output planes.
    ///
    /// Panics if their lengths are not whole planes of `pool`.
    fn max_pool_planes_with_indices(pool: &PlanePool, x: &[f32], out: &mut [f32], indices: &mut [u32]) {
        let [_, width] = pool.in_size;
        let [_, out_width] = pool.out_size;
        let pad = pool.padding[1];
        let mut buffer = vec![f32::NEG_INFINITY; pool.buffer_len()];
        let (row, phases) = buffer.split_at_mut(pool.padded_width);
        let mut index_buffer = vec![PADDING_INDEX; pool.buffer_len()];
        let (row_index, index_phases) = index_buffer.split_at_mut(pool.padded_width);
        let taps = tap_starts(pool);
        let mut rows = Vec::with_capacity(pool.kernel[0]);
        let planes = x
            .chunks_exact(pool.in_plane())
            .zip(out.chunks_exact_mut(pool.out_plane()))
            .zip(indices.chunks_exact_mut(pool.out_plane()));
        for ((x, out), indices) in planes {
            let out_rows = out.chunks_exact_mut(out_width).zip(indices.chunks_exact_mut(out_width));
            for (oh, (out, indices)) in out_rows.enumerate() {
                rows.clear();
                rows.extend(pool.window_rows(oh));
                assert!(!rows.is_empty(), "validated: a row in every window");
                let inner = &mut row[pad..pad + width];
                let inner_index = &mut row_index[pad..pad + width];
                in_blocks!(WIDE_INDEX, width, |c, N| column_argmax::<N>(
                    x,
                    &rows,
                    width,
                    c,
                    &mut inner[c..],
                    &mut inner_index[c..]
                ));
                let phases = split_phases(pool, row, phases);
                let index_phases = split_phases(pool, row_index, index_phases);
                in_blocks!(WIDE_INDEX, out_width, |o, N| tap_argmax::<N>(
                    phases,
                    index_phases,
                    &taps,
                    o,
                    out,
                    indices
                ));
            }
        }
    }
}

/// Gradient of consecutive planes: `dx` holds whole input planes, overwritten with the
/// sum of the `dout` values whose index points at each element; `indices` and `dout`
/// the same number of output planes. Returns the first index outside the input plane,
/// after which `dx` is partly written.
///
/// Panics if the lengths are not whole planes of `pool`.
pub(crate) fn scatter_planes(
    pool: &PlanePool,
    indices: &[u32],
    dout: &[f32],
    dx: &mut [f32],
) -> Result<(), u32> {
    let planes = dx
        .chunks_exact_mut(pool.in_plane())
        .zip(indices.chunks_exact(pool.out_plane()))
        .zip(dout.chunks_exact(pool.out_plane()));
    for ((dx, indices), dout) in planes {
        dx.fill(0.0);
        for (&i, &d) in indices.iter().zip(dout) {
            *dx.get_mut(i as usize).ok_or(i)? += d;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_nan_propagates_nan_from_either_side() {
        let nan = f32::NAN;
        for (a, b, want) in [
            (1.0, 2.0, 2.0),
            (2.0, 1.0, 2.0),
            (-3.0, -3.0, -3.0),
            (f32::NEG_INFINITY, -1.0, -1.0),
            (f32::INFINITY, 5.0, f32::INFINITY),
        ] {
            assert_eq!(max_nan(a, b), want);
        }
        for (a, b) in [(nan, 1.0), (1.0, nan), (nan, nan), (-nan, 1.0), (1.0, -nan)] {
            assert!(max_nan(a, b).is_nan(), "{a} {b}");
        }
        for (a, b) in [(nan, f32::INFINITY), (f32::NEG_INFINITY, nan)] {
            assert!(max_nan(a, b).is_nan() && max_nan(b, a).is_nan());
        }
        assert_eq!(max_nan(0.0, -0.0), 0.0);
    }

    #[test]
    fn phases_of_a_row() {
        let shape = Pool2dShape {
            batch: 1,
            channels: 1,
            in_height: 3,
            in_width: 5,
            kernel: [3, 3],
            stride: [1, 2],
            padding: [1, 1],
            dilation: [1, 1],
        };
        let pool = PlanePool::new(&shape);
        assert_eq!((pool.padded_width, pool.phases, pool.phase_len), (7, 2, 4));
        let row: Vec<u32> = (0..7).collect();
        let mut phases = vec![99; 8];
        assert_eq!(
            split_phases(&pool, &row, &mut phases),
            &[0, 2, 4, 6, 1, 3, 5, 99]
        );
        let pool = PlanePool {
            stride: [1, 3],
            phases: 3,
            phase_len: 3,
            ..pool
        };
        let mut phases = vec![99; 9];
        assert_eq!(
            split_phases(&pool, &row, &mut phases),
            &[0, 3, 6, 1, 4, 99, 2, 5, 99]
        );
        assert_eq!(pool.tap(2), (2, 0));
        assert_eq!(pool.window_rows(0).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(pool.window_rows(2).collect::<Vec<_>>(), [1, 2]);
    }
}
