//! The activations fused after a batch norm or a residual add, and the element-wise
//! kernels `act(a + b)` and its gradient.

use rayon::prelude::*;

use crate::error::{KernelError, check_len};
use crate::norm_loops::{add_activate, mask_gradient};

/// The activation fused after a batch norm (or a residual add).
///
/// NaN inputs stay NaN. The gradient uses the forward's output `y` to decide where the
/// activation passed gradient, with the subgradient 0 at the kinks (the convention of
/// burn's and PyTorch's clamp): `Relu` passes it where `y > 0`, `Relu6` where
/// `0 < y < 6`, `Identity` everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Activation {
    /// `y = x`.
    #[default]
    Identity,
    /// `y = max(x, 0)`.
    Relu,
    /// `y = min(max(x, 0), 6)`.
    Relu6,
}

impl Activation {
    /// The activation of one value.
    #[inline(always)]
    pub(crate) fn apply(self, x: f32) -> f32 {
        match self {
            Activation::Identity => x,
            Activation::Relu => relu(x),
            Activation::Relu6 => relu6(x),
        }
    }
}

/// `max(x, 0)`, NaN staying NaN; compiles to one `max` instruction.
#[inline(always)]
pub(crate) fn relu(x: f32) -> f32 {
    if x < 0.0 { 0.0 } else { x }
}

/// `min(max(x, 0), 6)`, NaN staying NaN.
#[inline(always)]
pub(crate) fn relu6(x: f32) -> f32 {
    let y = relu(x);
    if y > 6.0 { 6.0 } else { y }
}

/// `d` where the activation passed gradient at output `y` (see [`Activation`]), else 0.
#[inline(always)]
pub(crate) fn relu_grad(y: f32, d: f32) -> f32 {
    if y > 0.0 { d } else { 0.0 }
}

/// `d` where `0 < y < 6`, else 0.
#[inline(always)]
pub(crate) fn relu6_grad(y: f32, d: f32) -> f32 {
    if y > 0.0 && y < 6.0 { d } else { 0.0 }
}

/// Elements per parallel task of the element-wise kernels (64 KiB of f32 per slice).
const CHUNK: usize = 16 * 1024;

/// `out = act(a + b)` element-wise, parallel over chunks: a residual block's add and
/// activation in one pass. All three slices must have the same length (empty is fine).
pub fn add_activation(
    a: &[f32],
    b: &[f32],
    activation: Activation,
    out: &mut [f32],
) -> Result<(), KernelError> {
    check_len("b", b.len(), a.len())?;
    check_len("out", out.len(), a.len())?;
    out.par_chunks_mut(CHUNK)
        .zip(a.par_chunks(CHUNK).zip(b.par_chunks(CHUNK)))
        .for_each(|(out, (a, b))| add_activate(a, b, activation, out));
    Ok(())
}

/// Backward of [`add_activation`] (or of any activation, given its output): writes
/// `grad = dout * act'(out)`, with the mask convention of [`Activation`]. For
/// `out = act(a + b)` this is the gradient of both `a` and `b`. All three slices must
/// have the same length (empty is fine).
pub fn activation_backward(
    out: &[f32],
    dout: &[f32],
    activation: Activation,
    grad: &mut [f32],
) -> Result<(), KernelError> {
    check_len("dout", dout.len(), out.len())?;
    check_len("grad", grad.len(), out.len())?;
    grad.par_chunks_mut(CHUNK)
        .zip(out.par_chunks(CHUNK).zip(dout.par_chunks(CHUNK)))
        .for_each(|(grad, (out, dout))| mask_gradient(out, dout, activation, grad));
    Ok(())
}
