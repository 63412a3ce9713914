//! Kestrel's own CPU kernels inside burn's graph: on the flex backend with `f32` tensors,
//! convolutions run through [`kestrel_kernels`] (GEMM-based forward and both backward
//! passes, direct depthwise kernels) as custom operations, under autodiff as custom
//! backward nodes. Every other device, dtype or configuration takes burn's own path, so
//! results are the same everywhere within float tolerance.

mod batch_norm;
mod conv;
mod flex;
mod norm_act;
mod route;

pub use conv::conv2d;
pub use kestrel_kernels::Activation;
pub use norm_act::batch_norm_activation;

use burn::tensor::Tensor;

/// Whether operations on `tensor` run on Kestrel's kernels (an `f32` tensor on the flex
/// CPU device, with or without autodiff) rather than on burn's own.
pub fn runs_on_kernels<const D: usize>(tensor: &Tensor<D>) -> bool {
    route::route(tensor) != route::Route::Other
}
