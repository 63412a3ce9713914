//! Which path a tensor takes: Kestrel's kernels on flex (plain or under autodiff), or
//! burn's own ops.

use burn::backend::{
    BackendTensor, DispatchAutodiffContext, DispatchTensorKind, GradientCheckpointingStrategy,
};
use burn::tensor::{DType, Tensor};
use std::sync::OnceLock;

/// The environment variable that, set to `off`, sends every operation to burn's own
/// path: to compare Kestrel's kernels with burn on the same run.
pub const KERNELS_VARIABLE: &str = "KESTREL_KERNELS";

/// Whether Kestrel's kernels may be used (read once per process).
fn kernels_enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var(KERNELS_VARIABLE).map_or(true, |v| v != "off"))
}

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

/// The route of `tensor`; always [`Route::Other`] with `KESTREL_KERNELS=off`.
pub(crate) fn route<const D: usize>(tensor: &Tensor<D>) -> Route {
    if tensor.dtype() != DType::F32 || !kernels_enabled() {
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
