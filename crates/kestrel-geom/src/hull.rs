//! Convex hulls and minimum-area enclosing rectangles.
//!
//! Points are `(x, y)` = `(col, row)` in image pixels, y pointing down.

use crate::polygon::Point;
use crate::rotated::RotatedBox;

/// The convex hull of `points` (Andrew's monotone chain), counter-clockwise in a y-up
/// frame, without collinear points; fewer than three points when they are all on a line.
pub fn convex_hull(points: &[Point]) -> Vec<Point> {
    let mut p: Vec<Point> = points.to_vec();
    p.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    p.dedup();
    if p.len() < 3 {
        return p;
    }
    let cross =
        |o: Point, a: Point, b: Point| (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0);
    // Lower chain left to right, then upper chain right to left.
    let mut hull: Vec<Point> = Vec::with_capacity(2 * p.len());
    for chain in [p.clone(), p.iter().rev().copied().collect()] {
        let start = hull.len();
        for q in chain {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], q) <= 0.0
            {
                hull.pop();
            }
            hull.push(q);
        }
        // The last point of each chain is the first of the other.
        hull.pop();
    }
    hull
}

/// The minimum-area rectangle enclosing `points`, as a HALCON `rectangle2` with
/// `length1 >= length2` and `phi` in `(-pi/2, pi/2]`; `None` when the points are all on
/// one line (or fewer than three).
///
/// Uses the rotating-calipers theorem: the optimal rectangle has a side on an edge of
/// the convex hull, so every hull edge direction is tried (`O(h^2)` for `h` hull points,
/// plenty for annotation polygons).
pub fn min_area_rect(points: &[Point]) -> Option<RotatedBox> {
    let hull = convex_hull(points);
    if hull.len() < 3 {
        return None;
    }
    let mut best: Option<(f64, RotatedBox)> = None;
    for i in 0..hull.len() {
        let (a, b) = (hull[i], hull[(i + 1) % hull.len()]);
        let len = (b.0 - a.0).hypot(b.1 - a.1);
        if len == 0.0 {
            continue;
        }
        // Unit vectors along the edge (u) and perpendicular to it (v).
        let u = ((b.0 - a.0) / len, (b.1 - a.1) / len);
        let v = (-u.1, u.0);
        let (mut u_lo, mut u_hi, mut v_lo, mut v_hi) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for p in &hull {
            let pu = p.0 * u.0 + p.1 * u.1;
            let pv = p.0 * v.0 + p.1 * v.1;
            u_lo = u_lo.min(pu);
            u_hi = u_hi.max(pu);
            v_lo = v_lo.min(pv);
            v_hi = v_hi.max(pv);
        }
        let area = (u_hi - u_lo) * (v_hi - v_lo);
        if best.as_ref().is_some_and(|(a, _)| *a <= area) {
            continue;
        }
        let (cu, cv) = ((u_lo + u_hi) / 2.0, (v_lo + v_hi) / 2.0);
        let (half_u, half_v) = ((u_hi - u_lo) / 2.0, (v_hi - v_lo) / 2.0);
        let centre = (cu * u.0 + cv * v.0, cu * u.1 + cv * v.1);
        // The long axis and its angle, counter-clockwise on screen (y down).
        let (axis, length1, length2) = if half_u >= half_v {
            (u, half_u, half_v)
        } else {
            (v, half_v, half_u)
        };
        let rect = RotatedBox {
            row: centre.1,
            col: centre.0,
            phi: normalize_phi((-axis.1).atan2(axis.0)),
            length1,
            length2,
        };
        best = Some((area, rect));
    }
    best.map(|(_, rect)| rect)
}

/// `phi` moved into `(-pi/2, pi/2]` by multiples of pi (an axis has no direction).
fn normalize_phi(phi: f64) -> f64 {
    use std::f64::consts::{FRAC_PI_2, PI};
    let mut p = phi;
    while p > FRAC_PI_2 {
        p -= PI;
    }
    while p <= -FRAC_PI_2 {
        p += PI;
    }
    // No negative zero.
    p + 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn hull_drops_inner_and_collinear_points() {
        let pts = [
            (0.0, 0.0),
            (1.0, 0.0),
            (2.0, 0.0),
            (2.0, 2.0),
            (0.0, 2.0),
            (1.0, 1.0),
            (0.0, 0.0),
        ];
        let hull = convex_hull(&pts);
        assert_eq!(hull.len(), 4, "{hull:?}");
        assert!(convex_hull(&[(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)]).len() < 3);
    }

    #[test]
    fn min_rect_of_axis_aligned_and_rotated_rectangles() {
        // 4 wide, 2 high, centre (2, 1).
        let r =
            min_area_rect(&[(0.0, 0.0), (4.0, 0.0), (4.0, 2.0), (0.0, 2.0), (1.0, 1.0)]).unwrap();
        assert!(close(r.col, 2.0) && close(r.row, 1.0), "{r:?}");
        assert!(close(r.length1, 2.0) && close(r.length2, 1.0), "{r:?}");
        assert!(close(r.phi, 0.0), "{r:?}");
        // The same rectangle rotated by 30 degrees counter-clockwise on screen, about (5, 5).
        let rot = RotatedBox {
            row: 5.0,
            col: 5.0,
            phi: 30f64.to_radians(),
            length1: 2.0,
            length2: 1.0,
        };
        let r = min_area_rect(&rot.corners()).unwrap();
        assert!(close(r.col, 5.0) && close(r.row, 5.0), "{r:?}");
        assert!(close(r.length1, 2.0) && close(r.length2, 1.0), "{r:?}");
        assert!(close(r.phi, 30f64.to_radians()), "{r:?}");
        // A triangle: the best rectangle lies on one of its sides.
        let r = min_area_rect(&[(0.0, 0.0), (4.0, 0.0), (0.0, 3.0)]).unwrap();
        assert!(close(4.0 * r.length1 * r.length2, 12.0), "{r:?}");
        assert!(min_area_rect(&[(0.0, 0.0), (1.0, 1.0)]).is_none());
        assert!(close(normalize_phi(std::f64::consts::PI), 0.0));
    }
}
