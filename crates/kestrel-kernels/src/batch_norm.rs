//! Batch norm forward with a fused activation: training (batch statistics) and
//! inference (given statistics).

use rayon::prelude::*;

use crate::activation::Activation;
use crate::channel_groups::{Planes, channel_groups, channels_per_task};
use crate::error::{KernelError, check_len};
use crate::norm_loops::{
    Normalize, channel_stats, normalize_channel, normalize_planes, scale_gradient,
};
use crate::norm_shape::BatchNormShape;

/// Training forward of a batch norm and its activation on `x` (`[batch, channels,
/// plane]`, see [`BatchNormShape`]): per channel the mean and the biased variance
/// (divided by `batch * plane`) over the batch and the plane, then
/// `out = act(gamma * (x - mean) / sqrt(variance + epsilon) + beta)`.
///
/// Overwrites `out` (like `x`), `mean` and `variance` (`channels` each, like `gamma`
/// and `beta`). The statistics come from one pass of sums of `x - K` and `(x - K)^2`,
/// `K` the mean of the channel's first plane (so a mean far from 0 costs no accuracy), in f32 lanes added into f64 every few thousand values; the element loop
/// is `act(x * scale + shift)` with per-channel `scale` and `shift`. Parallel over tasks
/// of consecutive channels, each reading a channel twice (statistics, then the
/// normalisation, which goes through the planes backwards to find the last ones still
/// in cache).
///
/// `epsilon` should be positive (typically `1e-5`): with 0 a constant channel gives
/// NaN, as in any batch norm.
#[allow(clippy::too_many_arguments)]
pub fn batch_norm_train(
    shape: &BatchNormShape,
    x: &[f32],
    gamma: &[f32],
    beta: &[f32],
    epsilon: f32,
    activation: Activation,
    out: &mut [f32],
    mean: &mut [f32],
    variance: &mut [f32],
) -> Result<(), KernelError> {
    shape.validate()?;
    check_len("x", x.len(), shape.len())?;
    check_len("gamma", gamma.len(), shape.channels)?;
    check_len("beta", beta.len(), shape.channels)?;
    check_len("out", out.len(), shape.len())?;
    check_len("mean", mean.len(), shape.channels)?;
    check_len("variance", variance.len(), shape.channels)?;
    let per_task = channels_per_task(shape);
    let plane = shape.plane;
    let stats = mean
        .par_chunks_mut(per_task)
        .zip(variance.par_chunks_mut(per_task));
    channel_groups(out, shape, per_task)
        .into_par_iter()
        .zip(stats)
        .enumerate()
        .for_each(|(task, (mut pieces, (mean, variance)))| {
            for (j, (mean, variance)) in mean.iter_mut().zip(variance).enumerate() {
                let c = task * per_task + j;
                let planes = Planes::of(shape, c);
                let [mu, var] = channel_stats(x, planes);
                *mean = mu as f32;
                *variance = var as f32;
                let scale = f64::from(gamma[c]) / (var + f64::from(epsilon)).sqrt();
                let shift = f64::from(beta[c]) - mu * scale;
                let job = Normalize {
                    planes,
                    scale: scale as f32,
                    shift: shift as f32,
                    out: &mut pieces,
                    offset: j * plane,
                };
                normalize_channel(x, job, activation);
            }
        });
    Ok(())
}

/// Whole planes per parallel task of [`batch_norm_inference`] come to at least this many
/// elements.
const INFERENCE_CHUNK: usize = 16 * 1024;

/// Inference forward of a batch norm and its activation with given statistics:
/// `out = act(gamma * (x - mean) / sqrt(variance + epsilon) + beta)`, computed as one
/// multiply-add per element with per-channel `scale` and `shift` (precomputed in f64).
///
/// `x` and `out` are `[batch, channels, plane]` (see [`BatchNormShape`]); `gamma`,
/// `beta`, `mean` and `variance` hold `channels` values each. Overwrites `out`.
/// Parallel over the planes.
#[allow(clippy::too_many_arguments)]
pub fn batch_norm_inference(
    shape: &BatchNormShape,
    x: &[f32],
    gamma: &[f32],
    beta: &[f32],
    mean: &[f32],
    variance: &[f32],
    epsilon: f32,
    activation: Activation,
    out: &mut [f32],
) -> Result<(), KernelError> {
    shape.validate()?;
    check_len("x", x.len(), shape.len())?;
    check_len("gamma", gamma.len(), shape.channels)?;
    check_len("beta", beta.len(), shape.channels)?;
    check_len("mean", mean.len(), shape.channels)?;
    check_len("variance", variance.len(), shape.channels)?;
    check_len("out", out.len(), shape.len())?;
    let (scale, shift) = batch_norm_scale_shift(gamma, beta, mean, variance, epsilon)?;
    let coefficients: Vec<(f32, f32)> = scale.into_iter().zip(shift).collect();
    let plane = shape.plane;
    let planes_per_task = INFERENCE_CHUNK.div_ceil(plane);
    let chunk = planes_per_task * plane;
    out.par_chunks_mut(chunk)
        .zip(x.par_chunks(chunk))
        .enumerate()
        .for_each(|(task, (out, x))| {
            let first = task * planes_per_task;
            normalize_planes(x, out, plane, first, &coefficients, activation);
        });
    Ok(())
}

/// The batch norm with fixed statistics as one multiply-add per channel:
/// `scale = gamma / sqrt(variance + epsilon)` and `shift = beta - mean * scale` (computed
/// in f64), so that `bn(x) = x * scale + shift`. These fold a batch norm into the
/// [`Epilogue`](crate::Epilogue) of the convolution before it.
///
/// All four slices must have the same length (that of `gamma`).
pub fn batch_norm_scale_shift(
    gamma: &[f32],
    beta: &[f32],
    mean: &[f32],
    variance: &[f32],
    epsilon: f32,
) -> Result<(Vec<f32>, Vec<f32>), KernelError> {
    let channels = gamma.len();
    check_len("beta", beta.len(), channels)?;
    check_len("mean", mean.len(), channels)?;
    check_len("variance", variance.len(), channels)?;
    Ok((0..channels)
        .map(|c| {
            let var = f64::from(variance[c]) + f64::from(epsilon);
            let scale = f64::from(gamma[c]) / var.sqrt();
            let shift = f64::from(beta[c]) - f64::from(mean[c]) * scale;
            (scale as f32, shift as f32)
        })
        .unzip())
}

/// Backward of [`batch_norm_inference`] with respect to its input (the running statistics
/// are constants): `dx = dout * act'(out) * scale[c]`, with `out` the forward's output
/// (see [`Activation`] for where the activation passes gradient) and `scale` from
/// [`batch_norm_scale_shift`]. The gradients of gamma and beta are not computed: this is
/// for frozen layers. `out`, `dout` and `dx` are `[batch, channels, plane]`; overwrites
/// `dx`. Parallel over the planes.
pub fn batch_norm_inference_backward(
    shape: &BatchNormShape,
    out: &[f32],
    dout: &[f32],
    scale: &[f32],
    activation: Activation,
    dx: &mut [f32],
) -> Result<(), KernelError> {
    shape.validate()?;
    check_len("out", out.len(), shape.len())?;
    check_len("dout", dout.len(), shape.len())?;
    check_len("scale", scale.len(), shape.channels)?;
    check_len("dx", dx.len(), shape.len())?;
    let plane = shape.plane;
    let planes_per_task = INFERENCE_CHUNK.div_ceil(plane);
    let chunk = planes_per_task * plane;
    dx.par_chunks_mut(chunk)
        .zip(out.par_chunks(chunk).zip(dout.par_chunks(chunk)))
        .enumerate()
        .for_each(|(task, (dx, (out, dout)))| {
            let first = task * planes_per_task;
            let planes = dx
                .chunks_mut(plane)
                .zip(out.chunks(plane).zip(dout.chunks(plane)));
            for (i, (dx, (out, dout))) in planes.enumerate() {
                let s = scale[(first + i) % scale.len()];
                scale_gradient(out, dout, s, activation, dx);
            }
        });
    Ok(())
}
