//! Moving between flex tensors and `f32` slices without copies where the layout allows.

use burn::backend::autodiff::ops::NodeGuard;
use burn::backend::flex::FlexTensor;
use burn::backend::{Autodiff, Flex};
use burn::tensor::{Tensor, TensorData};

/// The flex primitive of a tensor without autodiff; `None` when it is not one.
pub(crate) fn plain<const D: usize>(tensor: Tensor<D>) -> Option<FlexTensor> {
    tensor.try_into_primitive::<Flex>().ok()
}

/// The flex primitive of a tensor under autodiff and its graph node; `None` when it is not
/// on autodiff flex.
pub(crate) fn tracked<const D: usize>(tensor: Tensor<D>) -> Option<(FlexTensor, NodeGuard)> {
    Some(
        tensor
            .try_into_primitive::<Autodiff<Flex>>()
            .ok()?
            .into_parts(),
    )
}

/// The values of `tensor` in row-major order: borrowed when it is contiguous, else copied
/// once into a contiguous tensor.
pub(crate) fn contiguous(tensor: &FlexTensor) -> FlexTensor {
    if tensor.is_contiguous() && tensor.as_slice::<f32>().is_some() {
        tensor.clone()
    } else {
        tensor.to_contiguous()
    }
}

/// The `f32` values of a contiguous tensor made by [`contiguous`].
pub(crate) fn values(tensor: &FlexTensor) -> &[f32] {
    tensor
        .as_slice::<f32>()
        .expect("a contiguous f32 flex tensor has a slice")
}

/// A flex tensor holding `values` with `shape` (no copy).
pub(crate) fn tensor(values: Vec<f32>, shape: [usize; 4]) -> FlexTensor {
    FlexTensor::from_data(TensorData::new(values, shape))
}

/// A flex tensor holding `values` as a vector (no copy).
pub(crate) fn vector(values: Vec<f32>) -> FlexTensor {
    let len = values.len();
    FlexTensor::from_data(TensorData::new(values, [len]))
}
