//! Rotated rectangles (HALCON `rectangle2`) and their IoU.

use serde::{Deserialize, Serialize};

use crate::aabb::AxisBox;
use crate::polygon::{convex_intersection_area, polygon_area};
use crate::scalar::Scalar;

/// A rotated rectangle, HALCON `rectangle2` style: centre `(row, col)` (y down, x right),
/// `phi` the angle in radians of the `length1` axis measured counter-clockwise as seen on
/// screen (rows pointing down) from the column axis, so that axis points to
/// `(col + cos phi, row - sin phi)`; `length1` and `length2` are *half* the side lengths
/// along that axis and the perpendicular one. `f64` by default; images and networks use
/// `RotatedBox<f32>`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct RotatedBox<T = f64> {
    /// Row (y) of the centre.
    pub row: T,
    /// Column (x) of the centre.
    pub col: T,
    /// Angle of the `length1` axis, radians, counter-clockwise from the column axis.
    pub phi: T,
    /// Half the side length along `phi`.
    pub length1: T,
    /// Half the side length perpendicular to `phi`.
    pub length2: T,
}

impl<T: Scalar> RotatedBox<T> {
    /// The four corners as `(x, y)` = `(col, row)`, in order around the rectangle.
    pub fn corners(&self) -> [(T, T); 4] {
        let (sin, cos) = self.phi.sin_cos();
        // Half-side vectors (x, y); y points down, so counter-clockwise on screen is -y.
        let a = (cos * self.length1, -sin * self.length1);
        let b = (sin * self.length2, cos * self.length2);
        let (x, y) = (self.col, self.row);
        [
            (x + a.0 + b.0, y + a.1 + b.1),
            (x - a.0 + b.0, y - a.1 + b.1),
            (x - a.0 - b.0, y - a.1 - b.1),
            (x + a.0 - b.0, y + a.1 - b.1),
        ]
    }

    /// `4 * length1 * length2` (0 for non-positive lengths).
    pub fn area(&self) -> T {
        T::FOUR * self.length1.max(T::ZERO) * self.length2.max(T::ZERO)
    }

    /// The smallest axis-aligned box holding the rectangle.
    pub fn bounding_box(&self) -> AxisBox<T> {
        AxisBox::around(self.corners())
    }

    /// Whether all five values are finite.
    pub fn is_finite(&self) -> bool {
        [self.row, self.col, self.phi, self.length1, self.length2]
            .iter()
            .all(|v| v.is_finite())
    }

    /// Intersection over union with `other`, in `[0, 1]`, by clipping one rectangle with
    /// the other (Sutherland–Hodgman, exact for these convex polygons, computed in `f64`
    /// from the corners). Rectangles without area, or with a non-finite value, give 0.
    pub fn iou(&self, other: &Self) -> T {
        if !self.is_finite() || !other.is_finite() {
            return T::ZERO;
        }
        if self.area() <= T::ZERO || other.area() <= T::ZERO {
            return T::ZERO;
        }
        let wide = |r: &Self| r.corners().map(|(x, y)| (x.to_f64(), y.to_f64()));
        let (a, b) = (wide(self), wide(other));
        // Areas from the same corners as the intersection, so identical rectangles give 1.
        let (area_a, area_b) = (polygon_area(&a), polygon_area(&b));
        let inter = convex_intersection_area(&a, &b).min(area_a).min(area_b);
        let union = area_a + area_b - inter;
        if union > 0.0 {
            T::from_f64((inter / union).clamp(0.0, 1.0))
        } else {
            T::ZERO
        }
    }

    /// The rectangle in another coordinate type (`f32` <-> `f64`; rounding towards `f32`).
    pub fn cast<U: Scalar>(&self) -> RotatedBox<U> {
        let c = |v: T| U::from_f64(v.to_f64());
        RotatedBox {
            row: c(self.row),
            col: c(self.col),
            phi: c(self.phi),
            length1: c(self.length1),
            length2: c(self.length2),
        }
    }
}

/// [`RotatedBox::iou`] of two `f64` rectangles, by value.
pub fn rotated_iou(a: RotatedBox, b: RotatedBox) -> f64 {
    a.iou(&b)
}
