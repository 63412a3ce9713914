//! Which path a tensor takes: Kestrel's kernels on flex (plain or under autodiff), or
//! burn's own ops.

use burn::backend::{
    BackendTensor, DispatchAutodiffContext, DispatchTensorKind, GradientCheckpointingStrategy,
};
use burn::tensor::{DType, Tensor};

/// Where a tensor lives, as far as Kestrel's kernels care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// An `f32` flex tensor without autodiff (inference).
    Plain,
    /// An `f32` flex tensor under autodiff without gradient checkpointing (training).
    Tracked,
    /// Anything else: burn's own ops.
    Other,
}

/// The route of `tensor`.
pub(crate) fn route<const D: usize>(tensor: &Tensor<D>) -> Route {
    if tensor.dtype() != DType::F32 {
        return Route::Other;
    }
    let dispatch = tensor.clone().into_dispatch();
    match (&dispatch.autodiff, &dispatch.kind) {
        (DispatchAutodiffContext::Disabled, DispatchTensorKind::Flex(BackendTensor::Float(_))) => {
            Route::Plain
        }
        (
            DispatchAutodiffContext::Enabled(GradientCheckpointingStrategy::Disabled),
            DispatchTensorKind::Autodiff(inner),
        ) if matches!(
            **inner,
            DispatchTensorKind::Flex(BackendTensor::Autodiff(_))
        ) =>
        {
            Route::Tracked
        }
        _ => Route::Other,
    }
}
