//! Kestrel's own CPU kernels inside burn's graph: on the flex backend with `f32` tensors,
//! convolutions run through [`kestrel_kernels`] (GEMM-based forward and both backward
//! passes, direct depthwise kernels) as custom operations, under autodiff as custom
//! backward nodes; batch norm with its activation, residual adds and max pooling likewise. At
//! inference a convolution, its batch norm (folded into a per-channel scale and shift),
//! a residual add and the activation run as one kernel call. Every other device, dtype or
//! configuration takes burn's own path, so results are the same everywhere within float
//! tolerance; `KESTREL_KERNELS=off` in the environment sends everything there.

mod add_act;
mod batch_norm;
mod conv;
mod conv_bn;
mod flex;
mod max_pool;
mod norm_act;
mod route;

pub use add_act::add_activation;
pub use conv::conv2d;
pub use conv_bn::{conv_bn_activation, conv_bn_add_activation};
pub use kestrel_kernels::Activation;
pub use max_pool::max_pool2d;
pub use norm_act::batch_norm_activation;
pub use route::KERNELS_VARIABLE;

use burn::tensor::Tensor;

/// Whether operations on `tensor` run on Kestrel's kernels (an `f32` tensor on the flex
/// CPU device, with or without autodiff) rather than on burn's own.
pub fn runs_on_kernels<const D: usize>(tensor: &Tensor<D>) -> bool {
    route::route(tensor) != route::Route::Other
}
