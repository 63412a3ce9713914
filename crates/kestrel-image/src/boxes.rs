//! Object boxes in image coordinates: axis-aligned boxes and rotated rectangles, and their
//! scaling along with a resized image.
//!
//! The coordinates are described at [`AxisBox`].

use serde::{Deserialize, Serialize};

use crate::polygon::{convex_intersection_area, polygon_area};

/// An axis-aligned box from `(x1, y1)` (top-left corner, inclusive) to `(x2, y2)`
/// (bottom-right corner, exclusive).
///
/// # Coordinates
///
/// Boxes, rectangles and their augmentation, scaling and suppression use continuous pixel
/// coordinates with `(0, 0)` at the top-left corner of the top-left pixel: pixel `(x, y)`
/// covers `[x, x + 1) x [y, y + 1)`, x is the column (to the right) and y the row
/// (downwards), so a box covering a whole `w x h` image is `(0, 0) - (w, h)`. This is the
/// convention of `kestrel-data`'s instances and of COCO (`bbox [x, y, width, height]` is
/// `x1 = x, y1 = y, x2 = x + width, y2 = y + height`); HALCON puts integer coordinates at
/// pixel centres, so a HALCON coordinate is ours minus 0.5. `kestrel-data`'s
/// `BoxAnnotation { row1, col1, row2, col2 }` is
/// `AxisBox { x1: col1, y1: row1, x2: col2, y2: row2 }`, and its `RotatedBox` has the same
/// fields, in `f64`, as [`RotatedRect`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AxisBox {
    /// Left edge (column).
    pub x1: f32,
    /// Top edge (row).
    pub y1: f32,
    /// Right edge (column), `x2 - x1` is the width.
    pub x2: f32,
    /// Bottom edge (row), `y2 - y1` is the height.
    pub y2: f32,
}

impl AxisBox {
    /// `x2 - x1`, 0 for an inverted box.
    pub fn width(&self) -> f32 {
        (self.x2 - self.x1).max(0.0)
    }

    /// `y2 - y1`, 0 for an inverted box.
    pub fn height(&self) -> f32 {
        (self.y2 - self.y1).max(0.0)
    }

    /// Width times height (0 for an empty or inverted box).
    pub fn area(&self) -> f32 {
        self.width() * self.height()
    }

    /// Intersection over union with `other`, in `[0, 1]`; 0 when either box has no area.
    pub fn iou(&self, other: &AxisBox) -> f32 {
        let inter = AxisBox {
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
            x2: self.x2.min(other.x2),
            y2: self.y2.min(other.y2),
        }
        .area();
        let union = self.area() + other.area() - inter;
        if union > 0.0 {
            (inter / union).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// Whether all four coordinates are finite.
    pub fn is_finite(&self) -> bool {
        [self.x1, self.y1, self.x2, self.y2]
            .iter()
            .all(|v| v.is_finite())
    }
}

/// A rotated rectangle, HALCON `rectangle2` style: centre `(row, col)`, `phi` the angle
/// in radians of the `length1` axis measured counter-clockwise as seen on screen (rows
/// pointing down) from the column axis, so that axis points to
/// `(col + cos phi, row - sin phi)`; `length1` and `length2` are *half* the side lengths
/// along that axis and the perpendicular one. Coordinates as for [`AxisBox`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RotatedRect {
    /// Row (y) of the centre.
    pub row: f32,
    /// Column (x) of the centre.
    pub col: f32,
    /// Angle of the `length1` axis, radians, counter-clockwise from the column axis.
    pub phi: f32,
    /// Half the side length along `phi`.
    pub length1: f32,
    /// Half the side length perpendicular to `phi`.
    pub length2: f32,
}

impl RotatedRect {
    /// The four corners as `(x, y)` = `(col, row)`, in order around the rectangle.
    pub fn corners(&self) -> [(f32, f32); 4] {
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
    pub fn area(&self) -> f32 {
        4.0 * self.length1.max(0.0) * self.length2.max(0.0)
    }

    /// The smallest axis-aligned box holding the rectangle.
    pub fn bounding_box(&self) -> AxisBox {
        bounding_box(self.corners())
    }

    /// Whether all five values are finite.
    pub fn is_finite(&self) -> bool {
        [self.row, self.col, self.phi, self.length1, self.length2]
            .iter()
            .all(|v| v.is_finite())
    }

    /// Intersection over union with `other`, in `[0, 1]`, by clipping one rectangle with
    /// the other (exact for these convex polygons, computed in `f64`). Rectangles without
    /// area, or with a non-finite value, give 0.
    pub fn iou(&self, other: &RotatedRect) -> f32 {
        if !self.is_finite() || !other.is_finite() {
            return 0.0;
        }
        if self.area() <= 0.0 || other.area() <= 0.0 {
            return 0.0;
        }
        let wide = |r: &RotatedRect| r.corners().map(|(x, y)| (f64::from(x), f64::from(y)));
        let (a, b) = (wide(self), wide(other));
        // Areas from the same corners as the intersection, so identical rectangles give 1.
        let (area_a, area_b) = (polygon_area(&a), polygon_area(&b));
        let inter = convex_intersection_area(&a, &b).min(area_a).min(area_b);
        let union = area_a + area_b - inter;
        if union > 0.0 {
            (inter / union).clamp(0.0, 1.0) as f32
        } else {
            0.0
        }
    }
}

/// The smallest axis-aligned box holding `points` (`(x, y)`).
pub(crate) fn bounding_box(points: [(f32, f32); 4]) -> AxisBox {
    let mut b = AxisBox {
        x1: f32::INFINITY,
        y1: f32::INFINITY,
        x2: f32::NEG_INFINITY,
        y2: f32::NEG_INFINITY,
    };
    for (x, y) in points {
        b.x1 = b.x1.min(x);
        b.y1 = b.y1.min(y);
        b.x2 = b.x2.max(x);
        b.y2 = b.y2.max(y);
    }
    b
}

/// The box of `b`'s corners mapped by the affine `map` (`(x, y)` → `(x, y)`), i.e. the
/// axis-aligned box around the mapped box: exact for maps that keep axes parallel
/// (mirrors, quarter turns, scaling), larger than the object for other rotations.
pub(crate) fn map_axis_box(b: &AxisBox, map: impl Fn(f32, f32) -> (f32, f32)) -> AxisBox {
    bounding_box([
        map(b.x1, b.y1),
        map(b.x2, b.y1),
        map(b.x2, b.y2),
        map(b.x1, b.y2),
    ])
}

/// `r` mapped by the affine `map` (`(x, y)` → `(x, y)`): the centre is mapped, `phi`
/// follows the mapped `length1` axis, and `length1` scales with it. A map that is not a
/// similarity turns the rectangle into a parallelogram; it is replaced by the rectangle
/// along the mapped `length1` axis with the parallelogram's area (exact for
/// similarities: mirrors, rotations, uniform scaling). `phi` comes out in `(-π, π]`, so
/// the direction of the `length1` axis is kept.
pub(crate) fn map_rotated_rect(
    r: &RotatedRect,
    map: impl Fn(f32, f32) -> (f32, f32),
) -> RotatedRect {
    let (col, row) = map(r.col, r.row);
    // The linear part, from points a long way off the centre: f32 rounding of the mapped
    // positions then hardly disturbs the directions.
    let reach = 1.0 + r.col.abs() + r.row.abs();
    let axis = |ux: f32, uy: f32| {
        let (x, y) = map(r.col + reach * ux, r.row + reach * uy);
        ((x - col) / reach, (y - row) / reach)
    };
    let (sin, cos) = r.phi.sin_cos();
    let a = axis(cos, -sin);
    let b = axis(sin, cos);
    let norm_a = a.0.hypot(a.1);
    let cross = (a.0 * b.1 - a.1 * b.0).abs();
    RotatedRect {
        row,
        col,
        phi: normalize_angle((-a.1).atan2(a.0)),
        length1: r.length1 * norm_a,
        length2: if norm_a > 0.0 {
            r.length2 * cross / norm_a
        } else {
            0.0
        },
    }
}

/// `phi` shifted by a multiple of 2π into `(-π, π]`.
pub(crate) fn normalize_angle(phi: f32) -> f32 {
    use std::f32::consts::{PI, TAU};
    let p = phi.rem_euclid(TAU);
    if p > PI { p - TAU } else { p }
}

/// The boxes of an image of `from_w x from_h` pixels moved onto the same image resized
/// to `to_w x to_h`, as [`crate::load_resized`] and [`crate::resize_dynamic`] resize: they
/// stretch the whole image onto the target (no letterboxing, no cropping; edges onto
/// edges, pixel centres onto pixel centres), so `x` scales by `to_w / from_w` and `y` by
/// `to_h / from_h`. Boxes are neither clipped nor dropped: the output is parallel to the
/// input. A zero `from` size gives non-finite coordinates.
pub fn scale_boxes(
    boxes: &[AxisBox],
    from_w: u32,
    from_h: u32,
    to_w: u32,
    to_h: u32,
) -> Vec<AxisBox> {
    let (sx, sy) = scale_factors(from_w, from_h, to_w, to_h);
    boxes
        .iter()
        .map(|b| AxisBox {
            x1: b.x1 * sx,
            y1: b.y1 * sy,
            x2: b.x2 * sx,
            y2: b.y2 * sy,
        })
        .collect()
}

/// [`scale_boxes`] for rotated rectangles: the centre scales like a point; when the
/// aspect ratio changes (`to_w / from_w != to_h / from_h`) a turned rectangle becomes a
/// parallelogram and is replaced by the rectangle along its scaled `length1` axis with
/// the same area (exact for rectangles whose axes are parallel to the image's). Rectangles
/// are neither clipped nor dropped; `phi` comes out in `(-π, π]`.
pub fn scale_rotated_rects(
    rects: &[RotatedRect],
    from_w: u32,
    from_h: u32,
    to_w: u32,
    to_h: u32,
) -> Vec<RotatedRect> {
    let (sx, sy) = scale_factors(from_w, from_h, to_w, to_h);
    rects
        .iter()
        .map(|r| map_rotated_rect(r, |x, y| (x * sx, y * sy)))
        .collect()
}

fn scale_factors(from_w: u32, from_h: u32, to_w: u32, to_h: u32) -> (f32, f32) {
    (to_w as f32 / from_w as f32, to_h as f32 / from_h as f32)
}
