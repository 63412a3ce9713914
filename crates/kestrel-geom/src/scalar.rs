//! The coordinate type of boxes: `f32` (images, networks) or `f64` (datasets, metrics).

use std::fmt::Debug;
use std::ops::{Add, Div, Mul, Neg, Sub};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A floating-point coordinate, `f32` or `f64` (sealed): the arithmetic the boxes need,
/// done in the type itself so `f32` boxes compute exactly as plain `f32` code would.
pub trait Scalar:
    sealed::Sealed
    + Copy
    + PartialOrd
    + Debug
    + Default
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// 0.
    const ZERO: Self;
    /// 2.
    const TWO: Self;
    /// 4.
    const FOUR: Self;
    /// Positive infinity.
    const INFINITY: Self;
    /// `(sin, cos)` of an angle in radians.
    fn sin_cos(self) -> (Self, Self);
    /// The larger value (the other one when either is NaN).
    fn max(self, other: Self) -> Self;
    /// The smaller value (the other one when either is NaN).
    fn min(self, other: Self) -> Self;
    /// Neither NaN nor infinite.
    fn is_finite(self) -> bool;
    /// The value as `f64` (exact).
    fn to_f64(self) -> f64;
    /// The nearest value to `v` (rounding for `f32`).
    fn from_f64(v: f64) -> Self;
}

macro_rules! impl_scalar {
    ($t:ty) => {
        impl Scalar for $t {
            const ZERO: Self = 0.0;
            const TWO: Self = 2.0;
            const FOUR: Self = 4.0;
            const INFINITY: Self = <$t>::INFINITY;
            fn sin_cos(self) -> (Self, Self) {
                <$t>::sin_cos(self)
            }
            fn max(self, other: Self) -> Self {
                <$t>::max(self, other)
            }
            fn min(self, other: Self) -> Self {
                <$t>::min(self, other)
            }
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
            fn to_f64(self) -> f64 {
                f64::from(self)
            }
            #[allow(clippy::cast_possible_truncation, clippy::unnecessary_cast)]
            fn from_f64(v: f64) -> Self {
                v as $t
            }
        }
    };
}

impl_scalar!(f32);
impl_scalar!(f64);
