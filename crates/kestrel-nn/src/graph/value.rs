//! The values flowing through a graph: float tensors of any rank up to [`MAX_RANK`],
//! integer vectors (shapes and axes, computed on the host) and float scalars.

use burn::tensor::{Device, Tensor, TensorData};

/// The highest tensor rank a graph may use. Tensors are held as rank-`MAX_RANK` burn
/// tensors with leading dimensions of 1, which is exactly NumPy's broadcasting rule, so
/// element-wise operators broadcast as ONNX says.
pub(crate) const MAX_RANK: usize = 6;

/// A float tensor of logical rank `rank`, stored with `MAX_RANK - rank` leading 1s.
#[derive(Clone, Debug)]
pub(crate) struct Dense {
    /// The values.
    pub tensor: Tensor<MAX_RANK>,
    /// The logical rank.
    pub rank: usize,
}

/// A value in the graph.
// Nearly every value is `Dense`; boxing it would allocate once per operation.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub(crate) enum Value {
    /// A float tensor.
    Dense(Dense),
    /// Integers with their shape (shapes, axes, indices).
    Ints {
        /// The dimensions.
        shape: Vec<usize>,
        /// The values, row-major.
        values: Vec<i64>,
    },
    /// A float constant with one element (and the rank it had).
    Scalar(f32, usize),
}

impl Dense {
    /// Wraps a tensor of logical rank `rank` whose dims are `dims` (padding them).
    pub fn reshaped(tensor: Tensor<MAX_RANK>, dims: &[usize]) -> Self {
        Dense {
            tensor: tensor.reshape(padded(dims)),
            rank: dims.len(),
        }
    }

    /// A tensor holding `values` with `dims` on `device`.
    pub fn from_values(values: Vec<f32>, dims: &[usize], device: &Device) -> Self {
        let tensor = Tensor::<MAX_RANK>::from_data(TensorData::new(values, padded(dims)), device);
        Dense {
            tensor,
            rank: dims.len(),
        }
    }

    /// From a rank-4 tensor.
    pub fn from4(tensor: Tensor<4>) -> Self {
        let dims = tensor.dims();
        Dense {
            tensor: tensor.reshape(padded(&dims)),
            rank: 4,
        }
    }

    /// The logical dimensions.
    pub fn dims(&self) -> Vec<usize> {
        self.tensor.dims()[MAX_RANK - self.rank..].to_vec()
    }

    /// The tensor as rank 4 (lower ranks get leading 1s); `None` above rank 4.
    pub fn to4(&self) -> Option<Tensor<4>> {
        if self.rank > 4 {
            return None;
        }
        let d = self.tensor.dims();
        Some(self.tensor.clone().reshape([d[2], d[3], d[4], d[5]]))
    }

    /// The burn dimension of logical axis `axis` (negative counts from the end), if valid.
    pub fn axis(&self, axis: i64) -> Option<usize> {
        normalize_axis(axis, self.rank).map(|a| a + MAX_RANK - self.rank)
    }
}

/// `dims` with leading 1s up to [`MAX_RANK`].
pub(crate) fn padded(dims: &[usize]) -> [usize; MAX_RANK] {
    let mut out = [1; MAX_RANK];
    out[MAX_RANK - dims.len()..].copy_from_slice(dims);
    out
}

/// An ONNX axis (negative counts from the end) as an index below `rank`.
pub(crate) fn normalize_axis(axis: i64, rank: usize) -> Option<usize> {
    let rank = rank as i64;
    let a = if axis < 0 { axis + rank } else { axis };
    (0..rank).contains(&a).then_some(a as usize)
}
