//! Times the max pooling kernels on ResNet's stem pool (3x3, stride 2, padding 1 on
//! 64 channels of 112x112) at batch 16: the inference forward, the training forward with
//! indices and the backward (median of several runs after a warm-up), against a
//! parallel copy of the input as a bandwidth yardstick and a direct per-window scalar
//! loop (the scheme of burn-flex's pool, parallel over planes) as the baseline.
//!
//! `cargo run --release -p kestrel-kernels --example max_pool_speed [runs]`

mod common;

use common::{data, median};

use kestrel_kernels::{Pool2dShape, max_pool2d, max_pool2d_backward, max_pool2d_with_indices};
use rayon::prelude::*;

const BATCH: usize = 16;

/// The direct loop: per output, a scan of its window with a NaN check, parallel over
/// planes.
fn naive(s: &Pool2dShape, x: &[f32], out: &mut [f32], indices: &mut [u32]) {
    let (h, w) = (s.in_height, s.in_width);
    let (oh, ow) = (s.out_height(), s.out_width());
    out.par_chunks_mut(oh * ow)
        .zip(indices.par_chunks_mut(oh * ow))
        .zip(x.par_chunks(h * w))
        .for_each(|((out, indices), x)| {
            for (o, (out, index)) in out.iter_mut().zip(indices.iter_mut()).enumerate() {
                let (r, c) = (o / ow, o % ow);
                let (mut best, mut at) = (f32::NEG_INFINITY, u32::MAX);
                for ky in 0..s.kernel[0] {
                    let iy = (r * s.stride[0] + ky * s.dilation[0]).wrapping_sub(s.padding[0]);
                    for kx in 0..s.kernel[1] {
                        let ix = (c * s.stride[1] + kx * s.dilation[1]).wrapping_sub(s.padding[1]);
                        if iy < h && ix < w {
                            let v = x[iy * w + ix];
                            if at == u32::MAX || v > best || (v.is_nan() && !best.is_nan()) {
                                best = v;
                                at = (iy * w + ix) as u32;
                            }
                        }
                    }
                }
                *out = best;
                *index = at;
            }
        });
}

fn main() {
    let runs = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(21usize)
        .max(1);
    let s = Pool2dShape {
        batch: BATCH,
        channels: 64,
        in_height: 112,
        in_width: 112,
        kernel: [3, 3],
        stride: [2, 2],
        padding: [1, 1],
        dilation: [1, 1],
    };
    let x = data(s.input_len(), 2.0);
    let mut out = vec![0.0f32; s.output_len()];
    let mut indices = vec![0u32; s.output_len()];
    let dout = data(s.output_len(), 2.0);
    let mut dx = vec![0.0f32; s.input_len()];

    let forward = median(runs, || max_pool2d(&s, &x, &mut out).unwrap());
    let with_indices = median(runs, || {
        max_pool2d_with_indices(&s, &x, &mut out, &mut indices).unwrap()
    });
    let backward = median(runs, || {
        max_pool2d_backward(&s, &indices, &dout, &mut dx).unwrap()
    });
    let copy = median(runs, || {
        dx.par_chunks_mut(16 * 1024)
            .zip(x.par_chunks(16 * 1024))
            .for_each(|(d, s)| d.copy_from_slice(s))
    });
    let (mut naive_out, mut naive_indices) = (out.clone(), indices.clone());
    let direct = median(runs.min(5), || {
        naive(&s, &x, &mut naive_out, &mut naive_indices)
    });
    assert_eq!(naive_out, out);
    assert_eq!(naive_indices, indices);

    println!(
        "max pool 3x3 s2 p1, {BATCH} x 64 x 112 x 112 -> 56 x 56, {} rayon threads, \
         median of {runs} runs (ms)",
        rayon::current_num_threads()
    );
    for (name, t) in [
        ("forward (inference)", forward),
        ("forward with indices", with_indices),
        ("backward", backward),
        ("copy of the input", copy),
        ("direct scalar loop", direct),
    ] {
        let ms = t.as_secs_f64() * 1e3;
        println!("{name:<22} {ms:>8.2}  ({:.3} per image)", ms / BATCH as f64);
    }
}
