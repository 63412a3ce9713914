//! Direct kernels for depthwise convolutions (one input channel per group, as in
//! MobileNet), with no GEMM.
//!
//! Every input plane is first copied into the zero-padded, phase-split [`Layout`], where
//! each kernel tap is one long contiguous loop over a whole plane, with no padding
//! checks and no strided access: the output is a sum of shifted phase planes
//! ([`shifted_sum`]), the input gradient the same sum transposed (each gradient phase
//! plane is a sum of shifted output-gradient planes), and the weight gradient one dot
//! product per tap ([`shifted_dots`]).

use rayon::prelude::*;

use crate::depthwise_layout::Layout;
use crate::epilogue::Epilogue;
use crate::scratch::with_scratch;
use crate::shape::Conv2dShape;
use crate::vecops::{shifted_dots, shifted_sum};

/// Depthwise forward, parallel over the input planes (each feeds its `multiplier`
/// output planes): `out[n, co] = epilogue(x[n, co / multiplier] ⋆ w[co])`.
pub(crate) fn forward(
    shape: &Conv2dShape,
    x: &[f32],
    w: &[f32],
    epilogue: &Epilogue<'_>,
    out: &mut [f32],
) {
    let layout = Layout::new(shape);
    let w = layout.permute(w);
    let (cin, mult) = (shape.in_channels, shape.out_per_group());
    let (hw_in, hw_out, taps) = (shape.in_plane(), shape.out_plane(), shape.taps());
    let (split_len, out_len) = (layout.split_len(), layout.out_len);
    let wo = shape.out_width();
    out.par_chunks_mut(mult * hw_out)
        .enumerate()
        .for_each(|(t, out)| {
            let ci = t % cin;
            with_scratch(split_len + out_len, |buf| {
                let (xs, acc) = buf.split_at_mut(split_len);
                layout.split(shape, &x[t * hw_in..(t + 1) * hw_in], xs);
                for (j, out) in out.chunks_exact_mut(hw_out).enumerate() {
                    let co = ci * mult + j;
                    let w = &w[co * taps..(co + 1) * taps];
                    shifted_sum(acc, 0.0, false, xs, &layout.starts, w);
                    for (dst, src) in out.chunks_exact_mut(wo).zip(acc.chunks(layout.cols)) {
                        dst.copy_from_slice(&src[..wo]);
                    }
                    let plane = (t - ci) * mult + co;
                    epilogue
                        .part(co..co + 1, plane * hw_out..(plane + 1) * hw_out)
                        .apply(out, hw_out, 0..hw_out);
                }
            });
        });
}

/// Depthwise input gradient, parallel over the input planes: each sums the transposed
/// convolutions of its `multiplier` output-gradient planes.
pub(crate) fn backward_input(shape: &Conv2dShape, dy: &[f32], w: &[f32], dx: &mut [f32]) {
    let layout = Layout::new(shape);
    let w = layout.permute(w);
    let (cin, mult) = (shape.in_channels, shape.out_per_group());
    let (hw_out, taps) = (shape.out_plane(), shape.taps());
    let plane = layout.padded_plane;
    // The output gradient sits after `max_shift` zeros, so that every tap's window
    // (which starts `shift` before the element it feeds) stays inside the buffer.
    let dy_len = layout.max_shift + plane;
    let split_len = layout.phases * plane;
    dx.par_chunks_mut(shape.in_plane())
        .enumerate()
        .for_each(|(t, dx)| {
            let ci = t % cin;
            with_scratch(dy_len + split_len, |buf| {
                let (dys, dxs) = buf.split_at_mut(dy_len);
                dys[..layout.max_shift].fill(0.0);
                for (j, co) in (ci * mult..(ci + 1) * mult).enumerate() {
                    let start = ((t - ci) * mult + co) * hw_out;
                    let body = &mut dys[layout.max_shift..];
                    layout.spread(shape, &dy[start..start + hw_out], body);
                    let w = &w[co * taps..(co + 1) * taps];
                    for (dst, taps) in dxs.chunks_exact_mut(plane).zip(&layout.phase_taps) {
                        let starts = &layout.back_starts[taps.clone()];
                        shifted_sum(dst, 0.0, j > 0, dys, starts, &w[taps.clone()]);
                    }
                }
                layout.merge(shape, dxs, dx);
            });
        });
}

/// Depthwise weight gradient. With at least two images per thread, each thread sums a
/// run of images (reading `x` and `dy` in memory order) into its own partial gradient;
/// otherwise the input channels (each owning the weights of its `multiplier` output
/// channels) run in parallel, each summing over the batch.
pub(crate) fn backward_weight(shape: &Conv2dShape, x: &[f32], dy: &[f32], dw: &mut [f32]) {
    let layout = Layout::new(shape);
    let threads = rayon::current_num_threads();
    let per_channel = shape.out_per_group() * shape.taps();
    if shape.batch >= 2 * threads {
        let chunks = threads;
        let sums: Vec<Vec<f64>> = (0..chunks)
            .into_par_iter()
            .map(|c| {
                let mut sums = vec![0.0f64; dw.len()];
                let images = c * shape.batch / chunks..(c + 1) * shape.batch / chunks;
                for n in images {
                    for (ci, sums) in sums.chunks_exact_mut(per_channel).enumerate() {
                        weight_grad_plane(shape, &layout, x, dy, n, ci, sums);
                    }
                }
                sums
            })
            .collect();
        for (i, d) in dw.iter_mut().enumerate() {
            let k = layout.position(i);
            *d = sums.iter().map(|s| s[k]).sum::<f64>() as f32;
        }
    } else {
        dw.par_chunks_mut(per_channel)
            .enumerate()
            .for_each(|(ci, dw)| {
                let mut sums = vec![0.0f64; per_channel];
                for n in 0..shape.batch {
                    weight_grad_plane(shape, &layout, x, dy, n, ci, &mut sums);
                }
                for (i, d) in dw.iter_mut().enumerate() {
                    *d = sums[layout.position(i)] as f32;
                }
            });
    }
}

/// Adds the weight gradient of image `n`, input channel `ci` (its `multiplier` output
/// channels) into `sums` (`multiplier * taps`, in weight order).
fn weight_grad_plane(
    shape: &Conv2dShape,
    layout: &Layout,
    x: &[f32],
    dy: &[f32],
    n: usize,
    ci: usize,
    sums: &mut [f64],
) {
    let (cin, cout, mult) = (shape.in_channels, shape.out_channels, shape.out_per_group());
    let (hw_in, hw_out, taps) = (shape.in_plane(), shape.out_plane(), shape.taps());
    let (split_len, out_len) = (layout.split_len(), layout.out_len);
    with_scratch(split_len + out_len, |buf| {
        let (xs, dys) = buf.split_at_mut(split_len);
        let x_start = (n * cin + ci) * hw_in;
        layout.split(shape, &x[x_start..x_start + hw_in], xs);
        // The sums in the order of `layout.order`.
        for (j, sums) in sums.chunks_exact_mut(taps).enumerate() {
            let dy_start = (n * cout + ci * mult + j) * hw_out;
            layout.spread(shape, &dy[dy_start..dy_start + hw_out], dys);
            shifted_dots(dys, xs, &layout.starts, sums);
        }
    });
}
