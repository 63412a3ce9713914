//! A batch norm and its activation after a convolution, the unit every backbone is built
//! from, routed to Kestrel's kernels where the tensors allow.

use super::batch_norm;
use super::route::{Route, route};
use burn::nn::BatchNorm;
use burn::tensor::Tensor;
use burn::tensor::activation::{relu, relu6};
use kestrel_kernels::Activation;

/// `activation(bn(x))`: fused on flex `f32` tensors (batch statistics when `bn` trains
/// under autodiff; running statistics without autodiff, or under autodiff for a frozen
/// layer), burn's ops otherwise.
pub fn batch_norm_activation(bn: &BatchNorm, activation: Activation, x: Tensor<4>) -> Tensor<4> {
    let fused = match route(&x) {
        Route::Plain => batch_norm::inference(bn, activation, &x),
        Route::Tracked if bn.training.is_enabled() => batch_norm::train(bn, activation, &x),
        Route::Tracked => batch_norm::frozen(bn, activation, &x),
        Route::Other => None,
    };
    fused.unwrap_or_else(|| activate(activation, bn.forward(x)))
}

/// `activation(x)` with burn's ops.
pub(crate) fn activate(activation: Activation, x: Tensor<4>) -> Tensor<4> {
    match activation {
        Activation::Identity => x,
        Activation::Relu => relu(x),
        Activation::Relu6 => relu6(x),
    }
}
