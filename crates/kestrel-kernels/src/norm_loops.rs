//! The element loops of the batch norm and activation kernels, written to vectorise
//! (independent accumulators, activation chosen outside the loop) and compiled for the
//! baseline and for AVX2 like [`crate::vecops`]. Each batch norm loop handles all the
//! planes of one channel, so that small planes (7x7) cost no call per plane.
//!
//! Reductions accumulate in [`Sums`].

use crate::activation::{Activation, relu, relu_grad, relu6, relu6_grad};
use crate::channel_groups::Planes;
use crate::lane_sums::{LANES, STAT_BLOCK, Sums, for_blocks};
use crate::vecops::{BLOCK, dispatch};

/// Adds the `N` values of `x` to the lanes.
#[inline(always)]
fn add_values<const N: usize>([lanes]: &mut [[f32; N]; 1], x: &[f32]) {
    let x = &x[..N];
    for i in 0..N {
        lanes[i] += x[i];
    }
}

/// Sum of the plane's values.
#[inline(always)]
fn plane_sum(plane: &[f32]) -> f64 {
    let mut sums = Sums::<1>::new();
    for block in plane.chunks(STAT_BLOCK) {
        for_blocks!(sums, block.len(), |lanes, i, N| add_values::<N>(
            lanes,
            &block[i..]
        ));
    }
    sums.finish()[0]
}

/// Adds `x - shift` and `(x - shift)^2` of the `N` values of `x` to the lanes.
#[inline(always)]
fn add_shifted<const N: usize>([sums, squares]: &mut [[f32; N]; 2], x: &[f32], shift: f32) {
    let x = &x[..N];
    for i in 0..N {
        let d = x[i] - shift;
        sums[i] += d;
        squares[i] += d * d;
    }
}

/// `[Σ (x - shift), Σ (x - shift)^2]` over the channel `planes` of `x`.
#[inline(always)]
fn shifted_sums(x: &[f32], planes: Planes, shift: f32) -> [f64; 2] {
    let mut sums = Sums::<2>::new();
    for n in 0..planes.count {
        for block in planes.get(x, n).chunks(STAT_BLOCK) {
            for_blocks!(sums, block.len(), |lanes, i, N| add_shifted::<N>(
                lanes,
                &block[i..],
                shift
            ));
        }
    }
    sums.finish()
}

dispatch! {
    /// `[mean, biased variance]` of the channel `planes` of `x`, in f64.
    ///
    /// One pass of shifted sums: with `K` the mean of the first plane,
    /// `variance = Σ (x - K)^2 / N - (Σ (x - K) / N)^2`. The first plane's share of the
    /// channel's spread bounds `(mean - K)^2 <= batch * variance`, so the subtraction
    /// loses at most a factor `1 + batch` of relative accuracy (none at batch 1), not the
    /// catastrophic `mean^2 / variance` of unshifted sums.
    fn channel_stats(x: &[f32], planes: Planes) -> [f64; 2] {
        let count = (planes.count * planes.len) as f64;
        let shift = plane_sum(planes.get(x, 0)) / planes.len as f64;
        let [sum, squares] = shifted_sums(x, planes, shift as f32);
        let offset = sum / count;
        let variance = (squares / count - offset * offset).max(0.0);
        [f64::from(shift as f32) + offset, variance]
    }
}

/// `out[i] = f(x[i])` over the common length.
#[inline(always)]
fn map_into(x: &[f32], out: &mut [f32], f: impl Fn(f32) -> f32) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = f(v);
    }
}

/// One channel's normalisation, `out = act(x * scale + shift)`, written to
/// `out[n][offset..offset + planes.len]` for image `n`.
pub(crate) struct Normalize<'a, 'b> {
    /// Where the channel lies in `x`.
    pub planes: Planes,
    /// The factor of `x`.
    pub scale: f32,
    /// The term added.
    pub shift: f32,
    /// Per image, the part of the output that holds the channel at `offset`.
    pub out: &'a mut [&'b mut [f32]],
    /// Offset of the channel in each part of `out`.
    pub offset: usize,
}

/// `out = f(x * scale + shift)` over the channel of `job`, last plane first (the planes
/// the statistics pass read last are the likeliest to be still in cache).
#[inline(always)]
fn normalize_with(x: &[f32], job: Normalize<'_, '_>, f: impl Fn(f32) -> f32) {
    let Normalize {
        planes,
        scale,
        shift,
        out,
        offset,
    } = job;
    for (n, piece) in out.iter_mut().enumerate().take(planes.count).rev() {
        let out = &mut piece[offset..offset + planes.len];
        map_into(planes.get(x, n), out, |v| f(v * scale + shift));
    }
}

dispatch! {
    /// Normalises the channel of `job` with the activation `act`.
    ///
    /// Panics if a plane leaves `x` or its part of the output.
    fn normalize_channel(x: &[f32], job: Normalize<'_, '_>, act: Activation) {
        match act {
            Activation::Identity => normalize_with(x, job, |v| v),
            Activation::Relu => normalize_with(x, job, relu),
            Activation::Relu6 => normalize_with(x, job, relu6),
        }
    }
}

dispatch! {
    /// `out = act(x * scale + shift)` over consecutive planes of `plane` values, the
    /// `i`-th with `coefficients[(first + i) % coefficients.len()] = (scale, shift)`.
    ///
    /// Panics if `coefficients` is empty.
    fn normalize_planes(
        x: &[f32],
        out: &mut [f32],
        plane: usize,
        first: usize,
        coefficients: &[(f32, f32)],
        act: Activation
    ) {
        let planes = out.chunks_mut(plane).zip(x.chunks(plane));
        for (i, (out, x)) in planes.enumerate() {
            let (scale, shift) = coefficients[(first + i) % coefficients.len()];
            match act {
                Activation::Identity => map_into(x, out, |v| v * scale + shift),
                Activation::Relu => map_into(x, out, |v| relu(v * scale + shift)),
                Activation::Relu6 => map_into(x, out, |v| relu6(v * scale + shift)),
            }
        }
    }
}

dispatch! {
    /// `out = act(a + b)`.
    fn add_activate(a: &[f32], b: &[f32], act: Activation, out: &mut [f32]) {
        let n = out.len().min(a.len()).min(b.len());
        let (a, b, out) = (&a[..n], &b[..n], &mut out[..n]);
        for ((o, &a), &b) in out.iter_mut().zip(a).zip(b) {
            *o = act.apply(a + b);
        }
    }
}

/// `grad[i] = g(y[i], dout[i])`.
#[inline(always)]
fn mask_into(y: &[f32], dout: &[f32], grad: &mut [f32], g: impl Fn(f32, f32) -> f32) {
    for ((o, &y), &d) in grad.iter_mut().zip(y).zip(dout) {
        *o = g(y, d);
    }
}

dispatch! {
    /// `grad = dout * act'(y) * scale` with `y` the activation's output.
    fn scale_gradient(y: &[f32], dout: &[f32], scale: f32, act: Activation, grad: &mut [f32]) {
        match act {
            Activation::Identity => {
                for (g, &d) in grad.iter_mut().zip(dout) {
                    *g = d * scale;
                }
            }
            Activation::Relu => mask_into(y, dout, grad, |y, d| relu_grad(y, d * scale)),
            Activation::Relu6 => mask_into(y, dout, grad, |y, d| relu6_grad(y, d * scale)),
        }
    }
}

dispatch! {
    /// `grad = dout * act'(y)` with `y` the activation's output.
    ///
    /// Panics if `grad` and `dout` differ in length with the identity.
    fn mask_gradient(y: &[f32], dout: &[f32], act: Activation, grad: &mut [f32]) {
        match act {
            Activation::Identity => grad.copy_from_slice(dout),
            Activation::Relu => mask_into(y, dout, grad, relu_grad),
            Activation::Relu6 => mask_into(y, dout, grad, relu6_grad),
        }
    }
}

/// Adds `dy = g(y, dout)` and `dy * (x - mean)` of the `N` values from `start` to the
/// lanes.
#[inline(always)]
fn add_grads<const N: usize>(
    [sums, products]: &mut [[f32; N]; 2],
    [x, y, dout]: [&[f32]; 3],
    start: usize,
    mean: f32,
    g: &impl Fn(f32, f32) -> f32,
) {
    let (x, y, dout) = (
        &x[start..start + N],
        &y[start..start + N],
        &dout[start..start + N],
    );
    for i in 0..N {
        let dy = g(y[i], dout[i]);
        sums[i] += dy;
        products[i] += dy * (x[i] - mean);
    }
}

/// `[Σ dy, Σ dy * (x - mean)]` over the channel `planes`, `dy = g(y, dout)`.
#[inline(always)]
fn grad_sums_with(
    [x, y, dout]: [&[f32]; 3],
    planes: Planes,
    mean: f32,
    g: impl Fn(f32, f32) -> f32,
) -> [f64; 2] {
    let mut sums = Sums::<2>::new();
    for n in 0..planes.count {
        let (x, y, dout) = (planes.get(x, n), planes.get(y, n), planes.get(dout, n));
        for start in (0..planes.len).step_by(STAT_BLOCK) {
            let end = (start + STAT_BLOCK).min(planes.len);
            let block = [&x[start..end], &y[start..end], &dout[start..end]];
            for_blocks!(sums, end - start, |lanes, i, N| add_grads::<N>(
                lanes, block, i, mean, &g
            ));
        }
    }
    sums.finish()
}

dispatch! {
    /// `[Σ dy, Σ dy * (x - mean)]` over the channel `planes` of `x`, `y` (the forward's
    /// output) and `dout`, with `dy = dout * act'(y)`.
    fn grad_sums(x: &[f32], y: &[f32], dout: &[f32], planes: Planes, mean: f32, act: Activation) -> [f64; 2] {
        match act {
            // `y` unused: pass `dout` so that no third stream is read.
            Activation::Identity => grad_sums_with([x, dout, dout], planes, mean, |_, d| d),
            Activation::Relu => grad_sums_with([x, y, dout], planes, mean, relu_grad),
            Activation::Relu6 => grad_sums_with([x, y, dout], planes, mean, relu6_grad),
        }
    }
}

/// The input gradient of one channel, `dx = a * dy + b * (x - mean) + c` with
/// `coefficients = [a, b, c]`, written to `dx[n][offset..offset + planes.len]` for
/// image `n`.
pub(crate) struct GradInput<'a, 'b> {
    /// Where the channel lies in `x`, `y` and `dout`.
    pub planes: Planes,
    /// The channel's mean.
    pub mean: f32,
    /// `[a, b, c]`.
    pub coefficients: [f32; 3],
    /// Per image, the part of `dx` that holds the channel at `offset`.
    pub dx: &'a mut [&'b mut [f32]],
    /// Offset of the channel in each part of `dx`.
    pub offset: usize,
}

/// Writes the input gradient `job` with `dy = g(y, dout)`, last plane first.
#[inline(always)]
fn grad_input_with([x, y, dout]: [&[f32]; 3], job: GradInput<'_, '_>, g: impl Fn(f32, f32) -> f32) {
    let GradInput {
        planes,
        mean,
        coefficients: [a, b, c],
        dx,
        offset,
    } = job;
    for (n, piece) in dx.iter_mut().enumerate().take(planes.count).rev() {
        let (x, y, dout) = (planes.get(x, n), planes.get(y, n), planes.get(dout, n));
        let dx = &mut piece[offset..offset + planes.len];
        for (((o, &x), &y), &d) in dx.iter_mut().zip(x).zip(y).zip(dout) {
            *o = a * g(y, d) + b * (x - mean) + c;
        }
    }
}

dispatch! {
    /// Writes the input gradient `job` from `x`, `y` (the forward's output) and `dout`,
    /// with `dy = dout * act'(y)`.
    ///
    /// Panics if a plane leaves its slice.
    fn grad_input(x: &[f32], y: &[f32], dout: &[f32], job: GradInput<'_, '_>, act: Activation) {
        match act {
            // `y` unused: pass `dout` so that no third stream is read.
            Activation::Identity => grad_input_with([x, dout, dout], job, |_, d| d),
            Activation::Relu => grad_input_with([x, y, dout], job, relu_grad),
            Activation::Relu6 => grad_input_with([x, y, dout], job, relu6_grad),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_of_shifted_values() {
        // 3 planes of 1700 values around 1000 whose spread is 0.06: unshifted f32 sums
        // of squares would lose every digit of the variance.
        let x: Vec<f32> = (0..5100)
            .map(|i| 1000.0 + (i % 7) as f32 * 0.01 + (i / 1700) as f32 * 0.02)
            .collect();
        let planes = Planes {
            first: 0,
            step: 1700,
            count: 3,
            len: 1700,
        };
        let [mean, variance] = channel_stats(&x, planes);
        let want_mean: f64 = x.iter().map(|&v| f64::from(v)).sum::<f64>() / 5100.0;
        let want_var: f64 = x
            .iter()
            .map(|&v| (f64::from(v) - want_mean).powi(2))
            .sum::<f64>()
            / 5100.0;
        assert!(
            (mean - want_mean).abs() < 1e-7 * want_mean,
            "{mean} {want_mean}"
        );
        assert!(
            (variance - want_var).abs() < 1e-4 * want_var,
            "{variance} {want_var}"
        );
    }
}
