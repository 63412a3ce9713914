//! Times the training batch norm (forward and backward, with ReLU6) on a few
//! MobileNetV2 shapes at batch 16 (median of several runs after a warm-up), against a
//! parallel copy of the same tensor as a bandwidth yardstick, then sums forward and
//! backward over all 52 batch norms of MobileNetV2 (224x224 input).
//!
//! GB/s counts the least traffic each kernel needs: the forward reads `x` and writes
//! `out` (2 tensors), the backward reads `x`, `out`, `dout` and writes `dx` (4), the
//! copy reads and writes one (2).
//!
//! `cargo run --release -p kestrel-kernels --example batch_norm_speed [runs]`

use std::time::Duration;

mod common;

use common::{data, median};

use kestrel_kernels::{
    Activation, BatchNormShape, batch_norm_inference, batch_norm_train, batch_norm_train_backward,
};
use rayon::prelude::*;

const BATCH: usize = 16;
const EPSILON: f32 = 1e-5;

/// A batch norm of `channels` planes of `size x size` at batch [`BATCH`].
fn shape(channels: usize, size: usize) -> BatchNormShape {
    BatchNormShape {
        batch: BATCH,
        channels,
        plane: size * size,
    }
}

/// The 52 batch norms of MobileNetV2 on 224x224 images (one after each convolution),
/// with their activation: ReLU6 except after the projections.
fn mobilenet_v2() -> Vec<(BatchNormShape, Activation)> {
    let mut norms = vec![(shape(32, 112), Activation::Relu6)];
    let (mut channels, mut size) = (32, 112);
    for (t, c, n, s) in [
        (1, 16, 1, 1),
        (6, 24, 2, 2),
        (6, 32, 3, 2),
        (6, 64, 4, 2),
        (6, 96, 3, 1),
        (6, 160, 3, 2),
        (6, 320, 1, 1),
    ] {
        for block in 0..n {
            let stride = if block == 0 { s } else { 1 };
            let hidden = channels * t;
            if t != 1 {
                norms.push((shape(hidden, size), Activation::Relu6));
            }
            size = size.div_ceil(stride);
            norms.push((shape(hidden, size), Activation::Relu6));
            norms.push((shape(c, size), Activation::Identity));
            channels = c;
        }
    }
    norms.push((shape(1280, size), Activation::Relu6));
    norms
}

/// Median times of the training forward, its backward (with `dx`), the inference
/// forward and a parallel copy of `s`.
fn time_norm(s: &BatchNormShape, activation: Activation, runs: usize) -> [Duration; 4] {
    let c = s.channels;
    let x = data(s.len(), 2.0);
    let dout: Vec<f32> = x.iter().rev().copied().collect();
    let gamma = vec![1.5f32; c];
    let beta = vec![0.5f32; c];
    let (mut out, mut dx) = (vec![0.0f32; s.len()], vec![0.0f32; s.len()]);
    let (mut mean, mut var) = (vec![0.0f32; c], vec![0.0f32; c]);
    let (mut dgamma, mut dbeta) = (vec![0.0f32; c], vec![0.0f32; c]);
    let forward = median(runs, || {
        batch_norm_train(
            s, &x, &gamma, &beta, EPSILON, activation, &mut out, &mut mean, &mut var,
        )
        .unwrap()
    });
    let backward = median(runs, || {
        batch_norm_train_backward(
            s,
            &x,
            &out,
            &dout,
            &gamma,
            &mean,
            &var,
            EPSILON,
            activation,
            Some(&mut dx),
            &mut dgamma,
            &mut dbeta,
        )
        .unwrap()
    });
    let inference = median(runs, || {
        batch_norm_inference(
            s, &x, &gamma, &beta, &mean, &var, EPSILON, activation, &mut dx,
        )
        .unwrap()
    });
    let copy = median(runs, || {
        dx.par_chunks_mut(16 * 1024)
            .zip(x.par_chunks(16 * 1024))
            .for_each(|(d, s)| d.copy_from_slice(s))
    });
    [forward, backward, inference, copy]
}

fn main() {
    let runs = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(9usize)
        .max(1);
    println!(
        "batch {BATCH}, ReLU6, {} rayon threads, median of {runs} runs (ms and GB/s)",
        rayon::current_num_threads()
    );
    println!(
        "{:<16} {:>8} {:>6}  {:>8} {:>6}  {:>8} {:>6}  {:>8} {:>6}",
        "layer", "train", "GB/s", "backward", "GB/s", "infer", "GB/s", "copy", "GB/s"
    );
    for (channels, size) in [(32, 112), (96, 112), (144, 56), (576, 14), (1280, 7)] {
        let s = shape(channels, size);
        let gb = (s.len() * 4) as f64 / 1e9;
        print!("{:<16}", format!("{channels} ch {size}x{size}"));
        let tensors = [2.0, 4.0, 2.0, 2.0];
        for (t, tensors) in time_norm(&s, Activation::Relu6, runs)
            .into_iter()
            .zip(tensors)
        {
            let secs = t.as_secs_f64();
            print!(" {:>8.2} {:>6.1} ", secs * 1e3, tensors * gb / secs);
        }
        println!();
    }

    let norms = mobilenet_v2();
    let mut sums = [0.0f64; 4];
    for (s, activation) in &norms {
        for (sum, t) in sums.iter_mut().zip(time_norm(s, *activation, runs.min(3))) {
            *sum += t.as_secs_f64() * 1e3;
        }
    }
    println!(
        "\nMobileNetV2, all {} batch norms at batch {BATCH} (ms, summed medians): \
         train {:.1}, backward {:.1}, train + backward {:.1}, inference {:.1}, copy {:.1}",
        norms.len(),
        sums[0],
        sums[1],
        sums[0] + sums[1],
        sums[2],
        sums[3]
    );
}
