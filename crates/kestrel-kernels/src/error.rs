//! Why a kernel refused its arguments.

/// A kernel was called with an invalid geometry or wrongly sized slices.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KernelError {
    /// The [`Conv2dShape`](crate::Conv2dShape),
    /// [`BatchNormShape`](crate::BatchNormShape) or [`Pool2dShape`](crate::Pool2dShape)
    /// itself is invalid (zero size, channels not divisible by the groups, kernel larger
    /// than the padded input, pooling padding above half the kernel, sizes overflowing
    /// `usize`, …).
    #[error("invalid shape: {0}")]
    InvalidShape(String),
    /// A slice argument does not have the length the shape asks for (for the
    /// element-wise kernels without a shape, the length of their first slice).
    #[error("`{argument}` has {actual} elements, but the shape needs {expected}")]
    WrongLength {
        /// The name of the argument as in the kernel's signature (`x`, `w`, `out`, `dy`,
        /// `gamma`, …).
        argument: &'static str,
        /// The length the shape asks for.
        expected: usize,
        /// The length of the slice that was passed.
        actual: usize,
    },
    /// An index given to [`max_pool2d_backward`](crate::max_pool2d_backward) lies
    /// outside the input plane.
    #[error("index {index} lies outside the input plane of {plane} elements")]
    IndexOutOfRange {
        /// The offending index.
        index: u32,
        /// Elements of an input plane, `in_height * in_width`.
        plane: usize,
    },
}

/// Checks that the slice `argument` holds exactly `expected` elements.
pub(crate) fn check_len(
    argument: &'static str,
    actual: usize,
    expected: usize,
) -> Result<(), KernelError> {
    if actual == expected {
        Ok(())
    } else {
        Err(KernelError::WrongLength {
            argument,
            expected,
            actual,
        })
    }
}
