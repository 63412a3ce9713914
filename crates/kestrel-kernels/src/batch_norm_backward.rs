//! Backward of the training batch norm and its fused activation.

use rayon::prelude::*;

use crate::activation::Activation;
use crate::channel_groups::{Planes, channel_groups, channels_per_task};
use crate::error::{KernelError, check_len};
use crate::norm_loops::{GradInput, grad_input, grad_sums};
use crate::norm_shape::BatchNormShape;

/// Backward of [`batch_norm_train`](crate::batch_norm_train) (batch statistics) through
/// its activation.
///
/// Takes the forward's input `x`, its output `out` (which tells where the activation
/// passed gradient: see [`Activation`], gradient 0 at exactly 0 and 6), the output
/// gradient `dout` (all `[batch, channels, plane]`), and `gamma` with the forward's
/// `mean` and `variance` (`channels` each). With `dy = dout * act'(out)`,
/// `xhat = (x - mean) * invstd`, `invstd = 1 / sqrt(variance + epsilon)` and
/// `N = batch * plane`, overwrites
///
/// - `dbeta = Σ dy` and `dgamma = Σ dy * xhat` (sums over batch and plane, `channels`
///   each), and
/// - `dx = gamma * invstd / N * (N * dy - dbeta - xhat * dgamma)` when `dx` is given;
///   `None` (the input needs no gradient) skips it.
///
/// Sums run in f32 lanes added into f64 every few thousand values. Parallel over tasks
/// of consecutive channels: one pass over `x`, `out` and `dout` for the sums (`out` is
/// not read with the identity), and a second one writing `dx`, which goes through the
/// planes backwards to find the last ones still in cache.
#[allow(clippy::too_many_arguments)]
pub fn batch_norm_train_backward(
    shape: &BatchNormShape,
    x: &[f32],
    out: &[f32],
    dout: &[f32],
    gamma: &[f32],
    mean: &[f32],
    variance: &[f32],
    epsilon: f32,
    activation: Activation,
    dx: Option<&mut [f32]>,
    dgamma: &mut [f32],
    dbeta: &mut [f32],
) -> Result<(), KernelError> {
    shape.validate()?;
    let (len, channels) = (shape.len(), shape.channels);
    check_len("x", x.len(), len)?;
    check_len("out", out.len(), len)?;
    check_len("dout", dout.len(), len)?;
    check_len("gamma", gamma.len(), channels)?;
    check_len("mean", mean.len(), channels)?;
    check_len("variance", variance.len(), channels)?;
    if let Some(dx) = &dx {
        check_len("dx", dx.len(), len)?;
    }
    check_len("dgamma", dgamma.len(), channels)?;
    check_len("dbeta", dbeta.len(), channels)?;

    let per_task = channels_per_task(shape);
    let plane = shape.plane;
    let count = shape.per_channel() as f64;
    let dx_groups = match dx {
        Some(dx) => channel_groups(dx, shape, per_task),
        None => (0..channels.div_ceil(per_task))
            .map(|_| Vec::new())
            .collect(),
    };
    let grads = dgamma
        .par_chunks_mut(per_task)
        .zip(dbeta.par_chunks_mut(per_task));
    dx_groups.into_par_iter().zip(grads).enumerate().for_each(
        |(task, (mut pieces, (dgamma, dbeta)))| {
            for (j, (dgamma, dbeta)) in dgamma.iter_mut().zip(dbeta).enumerate() {
                let c = task * per_task + j;
                let planes = Planes::of(shape, c);
                let sums = grad_sums(x, out, dout, planes, mean[c], activation);
                let invstd = 1.0 / (f64::from(variance[c]) + f64::from(epsilon)).sqrt();
                let (sum_dy, sum_dy_xhat) = (sums[0], sums[1] * invstd);
                *dbeta = sum_dy as f32;
                *dgamma = sum_dy_xhat as f32;
                // dx = a * dy + b * (x - mean) + c.
                let a = f64::from(gamma[c]) * invstd;
                let coefficients = [
                    a as f32,
                    (-a * invstd * sum_dy_xhat / count) as f32,
                    (-a * sum_dy / count) as f32,
                ];
                if !pieces.is_empty() {
                    let job = GradInput {
                        planes,
                        mean: mean[c],
                        coefficients,
                        dx: &mut pieces,
                        offset: j * plane,
                    };
                    grad_input(x, out, dout, job, activation);
                }
            }
        },
    );
    Ok(())
}
