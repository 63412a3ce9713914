//! A convolution, its batch norm, an optional residual add and the activation: at
//! inference on flex one [`kestrel_kernels::conv2d_fused`] call with the batch norm folded
//! into the epilogue, otherwise the separate fast ops.

use super::add_act::add_activation;
use super::batch_norm::folded;
use super::conv::{conv2d, output_dims, shape_of};
use super::flex::{self, contiguous, tensor, values};
use super::norm_act::batch_norm_activation;
use super::route::{Route, route};
use burn::backend::Flex;
use burn::nn::BatchNorm;
use burn::nn::conv::Conv2d;
use burn::tensor::Tensor;
use kestrel_kernels::{Activation, Epilogue};

/// `activation(bn(conv(x)))`.
pub fn conv_bn_activation(
    conv: &Conv2d,
    bn: &BatchNorm,
    activation: Activation,
    x: Tensor<4>,
) -> Tensor<4> {
    fused(conv, bn, &x, None, activation)
        .unwrap_or_else(|| batch_norm_activation(bn, activation, conv2d(conv, x)))
}

/// `activation(bn(conv(x)) + residual)`: a residual block's last convolution, its batch
/// norm, the shortcut's add and the activation after it.
pub fn conv_bn_add_activation(
    conv: &Conv2d,
    bn: &BatchNorm,
    x: Tensor<4>,
    residual: Tensor<4>,
    activation: Activation,
) -> Tensor<4> {
    fused(conv, bn, &x, Some(&residual), activation).unwrap_or_else(|| {
        let y = batch_norm_activation(bn, Activation::Identity, conv2d(conv, x));
        add_activation(y, residual, activation)
    })
}

/// The whole layer in one kernel call when `x`, the weights and the residual are plain
/// `f32` flex tensors (inference), the geometry suits the kernels and the residual has
/// the output's shape; `None` otherwise.
fn fused(
    conv: &Conv2d,
    bn: &BatchNorm,
    x: &Tensor<4>,
    residual: Option<&Tensor<4>>,
    activation: Activation,
) -> Option<Tensor<4>> {
    let weight = conv.weight.val();
    if route(x) != Route::Plain || route(&weight) != Route::Plain {
        return None;
    }
    let shape = shape_of(conv, x.dims())?;
    let dims = output_dims(&shape);
    let residual = match residual {
        Some(r) if r.dims() == dims => Some(contiguous(&flex::plain(r.clone())?)),
        Some(_) => return None,
        None => None,
    };
    let (scale, mut shift) = folded(bn)?;
    if let Some(bias) = &conv.bias {
        // bn(conv + bias) = conv * scale + (shift + bias * scale).
        let bias = bias.val().into_data().try_to_vec::<f32>().ok()?;
        for ((s, b), k) in shift.iter_mut().zip(bias).zip(&scale) {
            *s += b * k;
        }
    }
    let x = contiguous(&flex::plain(x.clone())?);
    let weight = contiguous(&flex::plain(weight)?);
    let epilogue = Epilogue {
        scale: Some(&scale),
        shift: Some(&shift),
        residual: residual.as_ref().map(values),
        activation,
    };
    let mut out = vec![0f32; shape.output_len()];
    kestrel_kernels::conv2d_fused(&shape, values(&x), values(&weight), &epilogue, &mut out).ok()?;
    Some(Tensor::from_primitive::<Flex>(tensor(out, dims)))
}
