//! Axis-aligned boxes.

use serde::{Deserialize, Serialize};

use crate::rotated::RotatedBox;
use crate::scalar::Scalar;

/// An axis-aligned box from `(x1, y1)` (top-left corner, inclusive) to `(x2, y2)`
/// (bottom-right corner, exclusive), in the crate's [coordinates](crate#coordinates).
/// `f64` by default; images and networks use `AxisBox<f32>`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct AxisBox<T = f64> {
    /// Left edge (column).
    pub x1: T,
    /// Top edge (row).
    pub y1: T,
    /// Right edge (column), `x2 - x1` is the width.
    pub x2: T,
    /// Bottom edge (row), `y2 - y1` is the height.
    pub y2: T,
}

impl<T: Scalar> AxisBox<T> {
    /// The box of a COCO `bbox` `[x, y, width, height]`.
    pub fn from_xywh([x, y, w, h]: [T; 4]) -> Self {
        AxisBox {
            x1: x,
            y1: y,
            x2: x + w,
            y2: y + h,
        }
    }

    /// The box as a COCO `bbox` `[x, y, width, height]` (negative sizes kept).
    pub fn to_xywh(&self) -> [T; 4] {
        [self.x1, self.y1, self.x2 - self.x1, self.y2 - self.y1]
    }

    /// The smallest box holding `points` (`(x, y)`); inverted (infinite) for no points.
    pub fn around(points: impl IntoIterator<Item = (T, T)>) -> Self {
        let mut b = AxisBox {
            x1: T::INFINITY,
            y1: T::INFINITY,
            x2: -T::INFINITY,
            y2: -T::INFINITY,
        };
        for (x, y) in points {
            b.x1 = b.x1.min(x);
            b.y1 = b.y1.min(y);
            b.x2 = b.x2.max(x);
            b.y2 = b.y2.max(y);
        }
        b
    }

    /// `x2 - x1`, 0 for an inverted box.
    pub fn width(&self) -> T {
        (self.x2 - self.x1).max(T::ZERO)
    }

    /// `y2 - y1`, 0 for an inverted box.
    pub fn height(&self) -> T {
        (self.y2 - self.y1).max(T::ZERO)
    }

    /// Width times height (0 for an empty or inverted box).
    pub fn area(&self) -> T {
        self.width() * self.height()
    }

    /// Intersection over union with `other`, in `[0, 1]`; 0 when either box has no area.
    pub fn iou(&self, other: &Self) -> T {
        let inter = AxisBox {
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
            x2: self.x2.min(other.x2),
            y2: self.y2.min(other.y2),
        }
        .area();
        let union = self.area() + other.area() - inter;
        if union > T::ZERO {
            (inter / union).max(T::ZERO).min(T::from_f64(1.0))
        } else {
            T::ZERO
        }
    }

    /// Whether all four coordinates are finite.
    pub fn is_finite(&self) -> bool {
        [self.x1, self.y1, self.x2, self.y2]
            .iter()
            .all(|v| v.is_finite())
    }

    /// The same box as a rotated rectangle with `phi = 0` (centre and half sizes).
    pub fn to_rotated(&self) -> RotatedBox<T> {
        RotatedBox {
            row: (self.y1 + self.y2) / T::TWO,
            col: (self.x1 + self.x2) / T::TWO,
            phi: T::ZERO,
            length1: (self.x2 - self.x1) / T::TWO,
            length2: (self.y2 - self.y1) / T::TWO,
        }
    }

    /// The box in another coordinate type (`f32` <-> `f64`; rounding towards `f32`).
    pub fn cast<U: Scalar>(&self) -> AxisBox<U> {
        let c = |v: T| U::from_f64(v.to_f64());
        AxisBox {
            x1: c(self.x1),
            y1: c(self.y1),
            x2: c(self.x2),
            y2: c(self.y2),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_iou_and_conversions() {
        let a: AxisBox = AxisBox::from_xywh([0.0, 0.0, 2.0, 2.0]);
        let b = AxisBox::from_xywh([1.0, 0.0, 2.0, 2.0]);
        assert_eq!(a.area(), 4.0);
        assert!((a.iou(&b) - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(a.iou(&b), b.iou(&a));
        assert_eq!(a.iou(&AxisBox::from_xywh([5.0, 5.0, 1.0, 1.0])), 0.0);
        let inverted = AxisBox {
            x1: 2.0,
            y1: 0.0,
            x2: 1.0,
            y2: 1.0,
        };
        assert_eq!(inverted.area(), 0.0);
        assert_eq!(inverted.iou(&inverted), 0.0);
        assert_eq!(b.to_xywh(), [1.0, 0.0, 2.0, 2.0]);
        let r = b.to_rotated();
        assert_eq!((r.col, r.row, r.length1, r.length2), (2.0, 1.0, 1.0, 1.0));
        assert_eq!(r.bounding_box(), b);
        let small: AxisBox<f32> = b.cast();
        assert_eq!(small.cast::<f64>(), b);
        let around = AxisBox::around([(1.0, 5.0), (-1.0, 2.0), (0.0, 3.0)]);
        assert_eq!(around.to_xywh(), [-1.0, 2.0, 2.0, 3.0]);
        assert!(!AxisBox::<f64>::around([]).is_finite());
    }
}
