//! FCOS target assignment: which object, if any, each location of each pyramid level
//! learns, and the box it learns as distances to the sides.
//!
//! A location is positive for an object when it lies within 1.5 strides of the object's
//! centre (centre sampling, measured in the box's own frame, inside the box) and the
//! object's largest side distance from it falls in the level's size range (level `l`,
//! stride `s = 2^l`: `[4s, 8s]`, open below on the finest level and above on the
//! coarsest). Among several candidates the smallest box wins. Rotated boxes are handled
//! in their own frame, so one set of rules serves both box kinds.

use kestrel_image::RotatedRect;
use std::f32::consts::{FRAC_PI_2, PI};

/// Centre-sampling radius in strides.
const CENTRE_RADIUS: f32 = 1.5;

/// One location of the network's output: its centre in input pixels and its stride.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Location {
    /// Column of the location's centre.
    pub x: f32,
    /// Row of the location's centre.
    pub y: f32,
    /// The level's stride.
    pub stride: f32,
    /// Smallest largest-side-distance the level takes.
    pub min_size: f32,
    /// Largest largest-side-distance the level takes.
    pub max_size: f32,
}

/// All output locations for levels `(level, height, width)`, in output order.
pub fn locations(levels: &[(usize, usize, usize)]) -> Vec<Location> {
    let first = levels.first().map_or(0, |l| l.0);
    let last = levels.last().map_or(0, |l| l.0);
    let mut out = Vec::new();
    for &(level, h, w) in levels {
        let s = (1u32 << level) as f32;
        let min_size = if level == first { 0.0 } else { 4.0 * s };
        let max_size = if level == last {
            f32::INFINITY
        } else {
            8.0 * s
        };
        for row in 0..h {
            for col in 0..w {
                out.push(Location {
                    x: (col as f32 + 0.5) * s,
                    y: (row as f32 + 0.5) * s,
                    stride: s,
                    min_size,
                    max_size,
                });
            }
        }
    }
    out
}

/// A box in the form the network learns: `length1 >= length2` when the direction is
/// ignored, and the angle encoded as `(sin kφ, cos kφ)` with `k = 2` then (a box turned
/// by 180° is the same box) and `k = 1` otherwise.
pub fn canonical(rect: RotatedRect, ignore_direction: bool) -> RotatedRect {
    if !ignore_direction || rect.length1 >= rect.length2 {
        return rect;
    }
    RotatedRect {
        phi: rect.phi + FRAC_PI_2,
        length1: rect.length2,
        length2: rect.length1,
        ..rect
    }
}

/// The angle multiplier: 2 when the direction is ignored.
pub fn angle_factor(ignore_direction: bool) -> f32 {
    if ignore_direction { 2.0 } else { 1.0 }
}

/// The angle decoded from its encoding, in `(-π, π]` (`(-π/2, π/2]` when the direction
/// is ignored).
pub fn decode_angle(sin: f32, cos: f32, ignore_direction: bool) -> f32 {
    let phi = sin.atan2(cos) / angle_factor(ignore_direction);
    if phi <= -PI { phi + 2.0 * PI } else { phi }
}

/// What one image's locations learn.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assignment {
    /// Per location, the index of its object, or `None` for background.
    pub object: Vec<Option<usize>>,
    /// Per location, distances (left, top, right, bottom) to its object's sides in its
    /// stride, in the object's frame (1 for background).
    pub distances: Vec<[f32; 4]>,
    /// Per location, the centre-ness of its position in its object (0 for background).
    pub centerness: Vec<f32>,
}

/// The side distances `(l, t, r, b)` from `(x, y)` to `rect`'s sides in its frame; all
/// positive when the point is inside.
pub fn side_distances(rect: &RotatedRect, x: f32, y: f32) -> [f32; 4] {
    let (u, v) = to_frame(rect, x, y);
    [
        u + rect.length1,
        v + rect.length2,
        rect.length1 - u,
        rect.length2 - v,
    ]
}

/// `(x, y)` in `rect`'s frame: `u` along the `length1` axis, `v` along the `length2` one.
fn to_frame(rect: &RotatedRect, x: f32, y: f32) -> (f32, f32) {
    let (sin, cos) = rect.phi.sin_cos();
    let (dx, dy) = (x - rect.col, y - rect.row);
    // The length1 axis points to (cos, -sin) on screen, the length2 axis to (sin, cos).
    (dx * cos - dy * sin, dx * sin + dy * cos)
}

/// The box with side distances `d` (in pixels) from `(x, y)` in a frame at angle `phi`.
pub fn rect_from_distances(x: f32, y: f32, d: [f32; 4], phi: f32) -> RotatedRect {
    let [l, t, r, b] = d;
    let (u, v) = ((l - r) / 2.0, (t - b) / 2.0);
    let (sin, cos) = phi.sin_cos();
    // The point is centre + u * axis1 + v * axis2.
    RotatedRect {
        col: x - (u * cos + v * sin),
        row: y - (-u * sin + v * cos),
        phi,
        length1: (l + r) / 2.0,
        length2: (t + b) / 2.0,
    }
}

/// Assigns `objects` (already canonical, in input pixels) to `locations`.
pub fn assign(locations: &[Location], objects: &[RotatedRect]) -> Assignment {
    let n = locations.len();
    let mut out = Assignment {
        object: vec![None; n],
        distances: vec![[1.0; 4]; n],
        centerness: vec![0.0; n],
    };
    for (i, loc) in locations.iter().enumerate() {
        let mut best: Option<(f32, usize, [f32; 4])> = None;
        for (k, rect) in objects.iter().enumerate() {
            let (u, v) = to_frame(rect, loc.x, loc.y);
            let radius = CENTRE_RADIUS * loc.stride;
            if u.abs() >= rect.length1.min(radius) || v.abs() >= rect.length2.min(radius) {
                continue;
            }
            let d = side_distances(rect, loc.x, loc.y);
            let largest = d.iter().copied().fold(0.0, f32::max);
            if largest < loc.min_size || largest > loc.max_size {
                continue;
            }
            let area = rect.area();
            if best.is_none_or(|(a, _, _)| area < a) {
                best = Some((area, k, d));
            }
        }
        if let Some((_, k, d)) = best {
            out.object[i] = Some(k);
            out.distances[i] = d.map(|v| v / loc.stride);
            out.centerness[i] = centerness(d);
        }
    }
    out
}

/// FCOS centre-ness: `sqrt(min(l, r) / max(l, r) * min(t, b) / max(t, b))`.
pub fn centerness([l, t, r, b]: [f32; 4]) -> f32 {
    ((l.min(r) / l.max(r)) * (t.min(b) / t.max(b)))
        .max(0.0)
        .sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(x1: f32, y1: f32, x2: f32, y2: f32) -> RotatedRect {
        RotatedRect {
            row: (y1 + y2) / 2.0,
            col: (x1 + x2) / 2.0,
            phi: 0.0,
            length1: (x2 - x1) / 2.0,
            length2: (y2 - y1) / 2.0,
        }
    }

    #[test]
    fn distances_of_an_axis_box_are_its_sides() {
        let b = axis(10.0, 20.0, 50.0, 40.0);
        assert_eq!(side_distances(&b, 20.0, 25.0), [10.0, 5.0, 30.0, 15.0]);
    }

    #[test]
    fn a_box_is_rebuilt_from_its_distances_at_any_angle() {
        let rect = RotatedRect {
            row: 50.0,
            col: 60.0,
            phi: 0.7,
            length1: 30.0,
            length2: 10.0,
        };
        let (x, y) = (65.0, 47.0);
        let d = side_distances(&rect, x, y);
        assert!(d.iter().all(|&v| v > 0.0), "{d:?}");
        let back = rect_from_distances(x, y, d, rect.phi);
        for (a, b) in [
            (back.row, rect.row),
            (back.col, rect.col),
            (back.length1, rect.length1),
            (back.length2, rect.length2),
        ] {
            assert!((a - b).abs() < 1e-4, "{back:?} vs {rect:?}");
        }
    }

    #[test]
    fn levels_take_objects_by_size_and_the_smaller_box_wins() {
        let levels = [(3, 8, 8), (4, 4, 4)];
        let locs = locations(&levels);
        assert_eq!(locs.len(), 80);
        // A 40x40 box: largest side distance at its centre 20 <= 64, so level 3 only.
        let small = axis(4.0, 4.0, 44.0, 44.0);
        let a = assign(&locs, &[small]);
        let positives: Vec<usize> = (0..80).filter(|&i| a.object[i].is_some()).collect();
        assert!(!positives.is_empty());
        assert!(positives.iter().all(|&i| locs[i].stride == 8.0));
        // Centre sampling: only locations within 12 px of the centre (24, 24).
        assert!(positives.iter().all(|&i| (locs[i].x - 24.0).abs() < 12.0));
        // A big box around the small one: the small one keeps the shared locations.
        let big = axis(0.0, 0.0, 128.0, 128.0);
        let b = assign(&locs, &[big, small]);
        for &i in &positives {
            assert_eq!(b.object[i], Some(1));
        }
        let at = positives[0];
        let d = side_distances(&small, locs[at].x, locs[at].y);
        assert_eq!(b.distances[at], d.map(|v| v / 8.0));
        assert!((b.centerness[at] - centerness(d)).abs() < 1e-6);
    }

    #[test]
    fn ignoring_direction_puts_the_long_side_first_and_doubles_the_angle() {
        let tall = RotatedRect {
            row: 0.0,
            col: 0.0,
            phi: 0.2,
            length1: 5.0,
            length2: 9.0,
        };
        let c = canonical(tall, true);
        assert_eq!((c.length1, c.length2), (9.0, 5.0));
        assert!((c.phi - (0.2 + FRAC_PI_2)).abs() < 1e-6);
        assert_eq!(canonical(tall, false), tall);
        let k = angle_factor(true);
        let phi = decode_angle((k * c.phi).sin(), (k * c.phi).cos(), true);
        // The same box: the angle comes back modulo π.
        assert!(((phi - c.phi).rem_euclid(PI)).min(PI - (phi - c.phi).rem_euclid(PI)) < 1e-5);
    }
}
