//! What a forward convolution does to its sums before storing them: a per-channel scale
//! and shift (a bias, or a batch norm folded with its running statistics), a residual
//! added, and an activation, all while the output band is still in the cache.

use std::ops::Range;

use crate::activation::Activation;
use crate::error::{KernelError, check_len};
use crate::shape::Conv2dShape;
use crate::vecops::dispatch;

/// The element-wise work fused after a convolution's sums:
/// `out = activation(sum * scale[c] + shift[c] + residual)`, with `c` the output channel.
///
/// `Epilogue::default()` stores the plain sums; [`Epilogue::bias`] adds a bias.
#[derive(Debug, Clone, Copy, Default)]
pub struct Epilogue<'a> {
    /// A factor per output channel (a batch norm's `gamma / sqrt(variance + epsilon)`);
    /// `None` multiplies by 1.
    pub scale: Option<&'a [f32]>,
    /// A value added per output channel after the scale (a bias, or a batch norm's
    /// `beta - mean * scale`); `None` adds 0.
    pub shift: Option<&'a [f32]>,
    /// A tensor of the output's shape added before the activation (a residual
    /// connection's shortcut); `None` adds nothing.
    pub residual: Option<&'a [f32]>,
    /// The activation applied last.
    pub activation: Activation,
}

impl<'a> Epilogue<'a> {
    /// Adds `bias` (one value per output channel) and nothing else.
    pub fn bias(bias: Option<&'a [f32]>) -> Self {
        Self {
            shift: bias,
            ..Self::default()
        }
    }

    /// Checks the slices' lengths against the convolution's output.
    pub(crate) fn check(&self, shape: &Conv2dShape) -> Result<(), KernelError> {
        if let Some(scale) = self.scale {
            check_len("scale", scale.len(), shape.out_channels)?;
        }
        if let Some(shift) = self.shift {
            check_len("shift", shift.len(), shape.out_channels)?;
        }
        if let Some(residual) = self.residual {
            check_len("residual", residual.len(), shape.output_len())?;
        }
        Ok(())
    }

    /// The epilogue of a part of the output: output channels `channels`, whose values
    /// sit at `values` of the whole output (and so of the residual).
    pub(crate) fn part(&self, channels: Range<usize>, values: Range<usize>) -> Self {
        Self {
            scale: self.scale.map(|s| &s[channels.clone()]),
            shift: self.shift.map(|s| &s[channels]),
            residual: self.residual.map(|r| &r[values]),
            activation: self.activation,
        }
    }

    /// Applies the epilogue (of a part made by [`Epilogue::part`]) to the columns `cols`
    /// of `out`, whose row `c` holds the `plane` values of the part's channel `c`.
    pub(crate) fn apply(&self, out: &mut [f32], plane: usize, cols: Range<usize>) {
        if self.scale.is_none()
            && self.shift.is_none()
            && self.residual.is_none()
            && self.activation == Activation::Identity
        {
            return;
        }
        for (c, row) in out.chunks_exact_mut(plane).enumerate() {
            let scale = self.scale.map_or(1.0, |s| s[c]);
            let shift = self.shift.map_or(0.0, |s| s[c]);
            let residual = self
                .residual
                .map(|r| &r[c * plane..(c + 1) * plane][cols.clone()]);
            finish(
                &mut row[cols.clone()],
                residual,
                scale,
                shift,
                self.activation,
            );
        }
    }
}

dispatch! {
    /// `values = act(values * scale + shift + residual)`.
    fn finish(values: &mut [f32], residual: Option<&[f32]>, scale: f32, shift: f32, act: Activation) {
        match residual {
            Some(residual) => {
                let n = values.len().min(residual.len());
                for (v, &r) in values[..n].iter_mut().zip(&residual[..n]) {
                    *v = act.apply(*v * scale + shift + r);
                }
            }
            None => {
                for v in values.iter_mut() {
                    *v = act.apply(*v * scale + shift);
                }
            }
        }
    }
}
