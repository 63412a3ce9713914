//! Polygon areas and the intersection of convex polygons (Sutherland–Hodgman).
//!
//! Points are `(x, y)`; either orientation is accepted.

/// A point `(x, y)` = `(column, row)` in image pixels.
pub type Point = (f64, f64);

/// The signed area (shoelace), positive when the points run counter-clockwise in the
/// `(x, y)` frame with y pointing up (clockwise as displayed with y pointing down).
pub fn signed_area(p: &[Point]) -> f64 {
    let n = p.len();
    (0..n)
        .map(|i| {
            let (a, b) = (p[i], p[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum::<f64>()
        / 2.0
}

/// The area of a simple polygon (0 for fewer than three points).
pub fn polygon_area(p: &[Point]) -> f64 {
    if p.len() < 3 {
        0.0
    } else {
        signed_area(p).abs()
    }
}

/// The points with positive signed area (reversed if needed).
fn positively_oriented(p: &[Point]) -> Vec<Point> {
    let mut v = p.to_vec();
    if signed_area(&v) < 0.0 {
        v.reverse();
    }
    v
}

/// `subject` clipped by the convex polygon `clipper` (Sutherland–Hodgman; both in either
/// orientation): exact for a convex subject, where the result is the intersection.
/// Empty when they do not overlap.
pub fn clip_convex(subject: &[Point], clipper: &[Point]) -> Vec<Point> {
    clip(&positively_oriented(subject), &positively_oriented(clipper))
}

/// Sutherland–Hodgman with a positively oriented `clipper`.
fn clip(subject: &[Point], clipper: &[Point]) -> Vec<Point> {
    let mut out = subject.to_vec();
    for i in 0..clipper.len() {
        if out.is_empty() {
            break;
        }
        let (e0, e1) = (clipper[i], clipper[(i + 1) % clipper.len()]);
        // >= 0: on the inner (left) side of the edge e0 -> e1 of a positive polygon.
        let side = |p: Point| (e1.0 - e0.0) * (p.1 - e0.1) - (e1.1 - e0.1) * (p.0 - e0.0);
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

/// The area of the intersection of two convex polygons. Polygons without area (fewer
/// than three points, or all on a line) give 0.
pub fn convex_intersection_area(a: &[Point], b: &[Point]) -> f64 {
    if polygon_area(a) <= 0.0 || polygon_area(b) <= 0.0 {
        return 0.0;
    }
    polygon_area(&clip_convex(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, side: f64) -> Vec<Point> {
        vec![(x, y), (x + side, y), (x + side, y + side), (x, y + side)]
    }

    #[test]
    fn areas_and_intersections() {
        let a = square(0.0, 0.0, 2.0);
        assert_eq!(polygon_area(&a), 4.0);
        let mut reversed = a.clone();
        reversed.reverse();
        assert_eq!(polygon_area(&reversed), 4.0);
        assert_eq!(signed_area(&a), -signed_area(&reversed));
        // Overlap [1, 2] x [1, 2].
        let b = square(1.0, 1.0, 2.0);
        assert!((convex_intersection_area(&a, &b) - 1.0).abs() < 1e-12);
        assert!((convex_intersection_area(&reversed, &b) - 1.0).abs() < 1e-12);
        // Contained, disjoint, degenerate.
        let inner = square(0.5, 0.5, 1.0);
        assert!((convex_intersection_area(&a, &inner) - 1.0).abs() < 1e-12);
        assert_eq!(convex_intersection_area(&a, &square(5.0, 5.0, 1.0)), 0.0);
        assert!(clip_convex(&a, &square(5.0, 5.0, 1.0)).is_empty());
        assert_eq!(convex_intersection_area(&a, &square(1.0, 1.0, 0.0)), 0.0);
        assert_eq!(convex_intersection_area(&a, &[(0.0, 0.0), (1.0, 1.0)]), 0.0);
        // The diamond through the square's edge midpoints lies inside it: area 2.
        let diamond = vec![(1.0, 0.0), (2.0, 1.0), (1.0, 2.0), (0.0, 1.0)];
        assert!((convex_intersection_area(&a, &diamond) - 2.0).abs() < 1e-12);
    }
}
