//! Fast f32 CPU kernels for 2D convolution on contiguous NCHW slices, free of any tensor
//! library: the forward pass ([`conv2d`]) and the gradients with respect to the input
//! ([`conv2d_backward_input`]), the weight ([`conv2d_backward_weight`]) and the bias
//! ([`conv2d_backward_bias`]), for any stride, symmetric padding, dilation and groups
//! described by a [`Conv2dShape`].
//!
//! Around them, the memory-bound layers of a CNN: batch norm with a fused activation
//! ([`Activation`]: identity, ReLU, ReLU6) in training ([`batch_norm_train`], with its
//! backward [`batch_norm_train_backward`]) and inference ([`batch_norm_inference`], with
//! the input gradient of a frozen layer [`batch_norm_inference_backward`]) on a
//! [`BatchNormShape`], and a residual add with activation ([`add_activation`], backward
//! [`activation_backward`]). Each reads its inputs at most twice (batch norm statistics
//! or gradient sums, then the element pass) instead of the ten-odd tensor ops a tensor
//! library composes them from.
//!
//! For inference, [`conv2d_fused`] applies an [`Epilogue`] to each output band while it
//! is in the cache: a per-channel scale and shift (a batch norm folded with
//! [`batch_norm_scale_shift`]), a residual add and the activation, so a ResNet block's
//! conv + batch norm + add + ReLU is one pass over its output.
//!
//! Pooling: max pooling on a [`Pool2dShape`] (any kernel, stride, padding up to half the
//! kernel, and dilation) for inference ([`max_pool2d`]) and training
//! ([`max_pool2d_with_indices`], which also writes the flat index of each maximum within
//! its input plane, and [`max_pool2d_backward`], which scatters the output gradient
//! there). A window holding a NaN gives NaN, as in PyTorch; among equal maxima (or
//! NaNs) the first in the window wins.
//!
//! # Algorithms
//!
//! - General convolutions: per image and group, im2col into a per-thread buffer (in
//!   L2-sized bands of output rows) and one `gemm` call: `out = W * col` forward,
//!   `col = W^T * dy` then col2im for the input gradient, `dW += dy * col^T` (a GEMM of
//!   depth `out_height * out_width`) for the weight gradient. A 1x1 kernel with stride 1
//!   and no padding uses the NCHW data itself as the column matrix. With a column stride
//!   above 1 the input rows are first split into column phases, so that im2col and
//!   col2im only make contiguous copies.
//! - Depthwise convolutions (one input channel per group, at most 4 outputs each): direct
//!   kernels on a zero-padded, phase-split copy of each plane, where every kernel tap is
//!   one contiguous loop over the whole plane (see `depthwise_layout.rs`); no GEMM.
//! - Max pooling: separable, per output row a vertical maximum of the window rows into
//!   a padded row buffer, then the maximum of the kernel's taps along it, the buffer
//!   split into column phases first when the stride is above 1 so that every tap is a
//!   contiguous slice; both steps keep blocks of columns in SIMD registers over all rows
//!   or taps (see `pool_loops.rs`). The backward zeroes each input plane and adds the
//!   output gradient at the stored indices.
//!
//! # Threads
//!
//! Everything runs on rayon's current pool. With at least two images-times-groups per
//! thread, those run in parallel with single-threaded GEMMs (the weight gradient sums
//! per-thread partial gradients); otherwise each GEMM, im2col and col2im uses all
//! threads. Depthwise kernels run in parallel over planes (forward, input gradient) and
//! over images or channels (weight gradient). The training batch norm kernels run in
//! parallel over tasks of consecutive channels, the inference batch norm and the
//! element-wise kernels over chunks of planes or values, the pooling kernels over tasks
//! of whole planes. Each thread keeps one scratch buffer of the largest size it needed,
//! reused by later calls.
//!
//! # Numerics and `unsafe`
//!
//! Sums are f32, except that the depthwise weight gradient and the bias gradient add
//! their per-plane partial sums in f64, and the batch norm statistics and gradient sums
//! add f32 lane sums into f64 every 2048 values or so (the variance from sums shifted by
//! the mean of the channel's first plane). The only `unsafe` is the call into `gemm`
//! (behind a bounds-checked wrapper) and the call of loops compiled for AVX2 after
//! checking the CPU has it; those loops do the same arithmetic as the baseline build, so
//! results do not depend on the CPU.

#![warn(missing_docs)]

mod activation;
mod backward_bias;
mod backward_input;
mod backward_weight;
mod batch_norm;
mod batch_norm_backward;
mod channel_groups;
mod depthwise;
mod depthwise_layout;
mod epilogue;
mod error;
mod forward;
mod gemm;
mod im2col;
mod lane_sums;
mod max_pool;
mod norm_loops;
mod norm_shape;
mod plan;
mod pool_loops;
mod pool_shape;
mod scratch;
mod shape;
mod strided;
mod vecops;

pub use activation::{Activation, activation_backward, add_activation};
pub use backward_bias::conv2d_backward_bias;
pub use backward_input::conv2d_backward_input;
pub use backward_weight::conv2d_backward_weight;
pub use batch_norm::{
    batch_norm_inference, batch_norm_inference_backward, batch_norm_scale_shift, batch_norm_train,
};
pub use batch_norm_backward::batch_norm_train_backward;
pub use epilogue::Epilogue;
pub use error::KernelError;
pub use forward::{conv2d, conv2d_fused};
pub use max_pool::{max_pool2d, max_pool2d_backward, max_pool2d_with_indices};
pub use norm_shape::BatchNormShape;
pub use pool_shape::Pool2dShape;
pub use shape::Conv2dShape;
