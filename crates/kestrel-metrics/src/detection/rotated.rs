//! IoU of rotated rectangles (HALCON `rectangle2`) by convex polygon clipping.

use serde::{Deserialize, Serialize};

/// A rotated rectangle, HALCON `rectangle2` style: centre `(row, col)` (y down, x right),
/// `phi` the angle in radians of the `length1` axis counter-clockwise (as seen on screen)
/// from the column axis, and the half side lengths `length1` (along `phi`) and `length2`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RotatedBox {
    /// Row (y) of the centre.
    pub row: f64,
    /// Column (x) of the centre.
    pub col: f64,
    /// Angle of the `length1` axis, radians, counter-clockwise from the column axis.
    pub phi: f64,
    /// Half the side length along `phi`.
    pub length1: f64,
    /// Half the side length perpendicular to `phi`.
    pub length2: f64,
}

impl RotatedBox {
    /// The corners as `(x, y)`, in order around the rectangle.
    pub fn corners(&self) -> [(f64, f64); 4] {
        let (sin, cos) = self.phi.sin_cos();
        // Axis vectors (x, y); y points down, so counter-clockwise on screen is -y.
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

    /// The area, `4 * length1 * length2` (0 for non-positive lengths).
    pub fn area(&self) -> f64 {
        4.0 * self.length1.max(0.0) * self.length2.max(0.0)
    }
}

/// Intersection over union of two rotated rectangles, in `[0, 1]`: the intersection is
/// found by clipping one rectangle with the other (Sutherland–Hodgman, exact for convex
/// polygons) and measured with the shoelace formula. Rectangles without area, or with a
/// non-finite value, give 0.
pub fn rotated_iou(a: RotatedBox, b: RotatedBox) -> f64 {
    let (area_a, area_b) = (a.area(), b.area());
    let finite = [a, b].iter().all(|r| {
        [r.row, r.col, r.phi, r.length1, r.length2]
            .iter()
            .all(|v| v.is_finite())
    });
    if !finite || area_a <= 0.0 || area_b <= 0.0 {
        return 0.0;
    }
    let clipped = clip(
        &counter_clockwise(a.corners()),
        &counter_clockwise(b.corners()),
    );
    let inter = polygon_area(&clipped).min(area_a).min(area_b);
    let union = area_a + area_b - inter;
    if union <= 0.0 {
        0.0
    } else {
        (inter / union).clamp(0.0, 1.0)
    }
}

/// The corners ordered counter-clockwise in the (x, y) frame (positive signed area).
fn counter_clockwise(corners: [(f64, f64); 4]) -> Vec<(f64, f64)> {
    let mut c = corners.to_vec();
    if signed_area(&c) < 0.0 {
        c.reverse();
    }
    c
}

/// The signed area of a polygon (shoelace), positive when counter-clockwise.
fn signed_area(p: &[(f64, f64)]) -> f64 {
    let n = p.len();
    (0..n)
        .map(|i| {
            let (a, b) = (p[i], p[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum::<f64>()
        / 2.0
}

/// The unsigned area of a polygon.
fn polygon_area(p: &[(f64, f64)]) -> f64 {
    if p.len() < 3 {
        0.0
    } else {
        signed_area(p).abs()
    }
}

/// Sutherland–Hodgman: `subject` clipped by the convex, counter-clockwise `clipper`.
fn clip(subject: &[(f64, f64)], clipper: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = subject.to_vec();
    for i in 0..clipper.len() {
        if out.is_empty() {
            break;
        }
        let (e0, e1) = (clipper[i], clipper[(i + 1) % clipper.len()]);
        // > 0: left of the edge e0 -> e1, inside a counter-clockwise polygon.
        let side = |p: (f64, f64)| (e1.0 - e0.0) * (p.1 - e0.1) - (e1.1 - e0.1) * (p.0 - e0.0);
        let input = std::mem::take(&mut out);
        for j in 0..input.len() {
            let (p, q) = (input[j], input[(j + 1) % input.len()]);
            let (sp, sq) = (side(p), side(q));
            if sp >= 0.0 {
                out.push(p);
            }
            if (sp >= 0.0) != (sq >= 0.0) {
                let t = sp / (sp - sq);
                out.push((p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::{FRAC_PI_4, FRAC_PI_6, SQRT_2};

    fn rect(row: f64, col: f64, phi: f64, length1: f64, length2: f64) -> RotatedBox {
        RotatedBox {
            row,
            col,
            phi,
            length1,
            length2,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn identical_and_disjoint() {
        let a = rect(3.0, 4.0, 0.7, 2.0, 1.0);
        assert!(close(rotated_iou(a, a), 1.0));
        let far = rect(30.0, 40.0, 0.7, 2.0, 1.0);
        assert_eq!(rotated_iou(a, far), 0.0);
        assert_eq!(rotated_iou(a, rect(3.0, 4.0, 0.0, 0.0, 1.0)), 0.0);
        assert_eq!(rotated_iou(a, rect(f64::NAN, 4.0, 0.0, 1.0, 1.0)), 0.0);
        // The same rectangle described with the other axis as length1.
        let swapped = rect(3.0, 4.0, 0.7 + std::f64::consts::FRAC_PI_2, 1.0, 2.0);
        assert!(close(rotated_iou(a, swapped), 1.0));
    }

    #[test]
    fn square_and_its_45_degree_rotation() {
        // A unit square (half lengths 1/2) and the same square turned 45 degrees about its
        // centre intersect in a regular octagon: the square minus 4 corner triangles. A
        // corner lies sqrt(2)/2 from the centre along the diagonal, the turned square's
        // side 1/2 from it, so each cut-off triangle is right-angled and isosceles with
        // height h = sqrt(2)/2 - 1/2 and hypotenuse 2h, area h^2.
        // intersection = 1 - 4 h^2 = 1 - (sqrt(2) - 1)^2 = 1 - (3 - 2 sqrt(2))
        //              = 2 sqrt(2) - 2 = 2 (sqrt(2) - 1) ~ 0.828427
        // union        = 1 + 1 - intersection = 4 - 2 sqrt(2) ~ 1.171573
        // IoU          = (2 sqrt(2) - 2) / (4 - 2 sqrt(2))
        //              = (sqrt(2) - 1) / (sqrt(2) (sqrt(2) - 1)) = 1 / sqrt(2) ~ 0.707107
        let a = rect(0.0, 0.0, 0.0, 0.5, 0.5);
        let b = rect(0.0, 0.0, FRAC_PI_4, 0.5, 0.5);
        assert!(
            close(rotated_iou(a, b), 1.0 / SQRT_2),
            "{}",
            rotated_iou(a, b)
        );
        assert!(close(rotated_iou(b, a), 1.0 / SQRT_2));
    }

    #[test]
    fn half_overlap_shift() {
        // 2 x 1 rectangles shifted by 1 along their long axis: intersection 1 x 1 = 1,
        // union 2 + 2 - 1 = 3, IoU 1/3; the same when both are turned by 30 degrees and
        // shifted along the turned axis (cos 30, -sin 30 in (x, y)).
        let a = rect(0.0, 0.0, 0.0, 1.0, 0.5);
        assert!(close(
            rotated_iou(a, rect(0.0, 1.0, 0.0, 1.0, 0.5)),
            1.0 / 3.0
        ));
        let (s, c) = FRAC_PI_6.sin_cos();
        let a = rect(5.0, 5.0, FRAC_PI_6, 1.0, 0.5);
        let b = rect(5.0 - s, 5.0 + c, FRAC_PI_6, 1.0, 0.5);
        assert!(close(rotated_iou(a, b), 1.0 / 3.0), "{}", rotated_iou(a, b));
    }

    #[test]
    fn axis_aligned_cases_equal_box_iou() {
        let cases = [
            ([0.0, 0.0, 4.0, 2.0], [1.0, 1.0, 4.0, 4.0]),
            ([0.0, 0.0, 4.0, 2.0], [1.0, 0.5, 1.0, 1.0]),
            ([2.5, 1.0, 3.0, 7.0], [0.0, 0.0, 4.0, 4.0]),
        ];
        for (p, q) in cases {
            let to_rect = |b: [f64; 4]| {
                rect(
                    b[1] + b[3] / 2.0,
                    b[0] + b[2] / 2.0,
                    0.0,
                    b[2] / 2.0,
                    b[3] / 2.0,
                )
            };
            let expected = super::super::iou::box_iou(p, q, false);
            assert!((rotated_iou(to_rect(p), to_rect(q)) - expected).abs() < 1e-12);
        }
    }
}
