//! Outlines of boxes, rotated boxes and polygons.
//!
//! Coordinates are in pixels with pixel `(x, y)` = (column, row) centred on the integer
//! point `(x, y)` (HALCON's convention): an edge through integer coordinates runs through
//! pixel centres. A pixel is painted when its centre lies within the stroke: a band of
//! `thickness` pixels centred on the outline (for even thicknesses the extra pixel is
//! inside the shape), so an axis-parallel edge is exactly `thickness` pixels wide wherever
//! it lies. Parts outside the picture are clipped; non-finite coordinates or a zero
//! thickness draw nothing.

use image::RgbImage;

use crate::RotatedRect;

/// Draws the outline of the axis-parallel box with corners `(x1, y1)` and `(x2, y2)`
/// (either order). For integer corners and thickness 1 that is exactly columns `x1`, `x2`
/// and rows `y1`, `y2` between the corners, inclusive (HALCON's `rectangle1`).
pub fn draw_box(
    img: &mut RgbImage,
    x1: f32,
    y1: f32,
    x2: f32,
    y2: f32,
    colour: [u8; 3],
    thickness: u32,
) {
    let corners = [(x1, y1), (x2, y1), (x2, y2), (x1, y2)];
    draw_polygon_outline(img, &corners, colour, thickness);
}

/// Draws the outline of a rotated box in HALCON's `rectangle2` convention: centre at
/// (`centre_row`, `centre_col`); `phi_radians` is the angle of the `length1` axis,
/// counter-clockwise as displayed from the column axis (rows grow downward, so the axis
/// direction is `(col, row) = (cos phi, -sin phi)`); `length1` and `length2` are *half*
/// the side lengths along that axis and the perpendicular one (negative values count as
/// their magnitude).
#[allow(clippy::too_many_arguments)]
pub fn draw_rotated_box(
    img: &mut RgbImage,
    centre_row: f32,
    centre_col: f32,
    phi_radians: f32,
    length1: f32,
    length2: f32,
    colour: [u8; 3],
    thickness: u32,
) {
    let corners = RotatedRect {
        row: centre_row,
        col: centre_col,
        phi: phi_radians,
        length1: length1.abs(),
        length2: length2.abs(),
    }
    .corners();
    draw_polygon_outline(img, &corners, colour, thickness);
}

/// Draws the outline of the closed polygon through `points` (`(x, y)` = (column, row)),
/// the last point joined to the first. Self-intersecting polygons are filled by the
/// even-odd rule when deciding which side is inside. Polygons without area (fewer than
/// three points, or all on a line) are drawn as the lines through their points, with the
/// band centred on them; a single point is a dot.
pub fn draw_polygon_outline(
    img: &mut RgbImage,
    points: &[(f32, f32)],
    colour: [u8; 3],
    thickness: u32,
) {
    if points.is_empty() || thickness == 0 || img.width() == 0 || img.height() == 0 {
        return;
    }
    if points.iter().any(|(x, y)| !x.is_finite() || !y.is_finite()) {
        return;
    }
    let half = thickness as f32 / 2.0;
    let Some((x_range, y_range)) = clipped_bounds(img, points, half + 1.0) else {
        return;
    };
    let flat = polygon_area(points).abs() < 1e-6;
    for y in y_range.0..=y_range.1 {
        for x in x_range.0..=x_range.1 {
            let p = (x as f32, y as f32);
            let d = distance_to_outline(points, p);
            let hit = if flat {
                d <= half
            } else {
                let s = if contains(points, p) { d } else { -d };
                -half < s && s <= half
            };
            if hit {
                img.put_pixel(x, y, image::Rgb(colour));
            }
        }
    }
}

/// The pixel ranges (inclusive) of the points' bounding box grown by `margin`, clipped to
/// the picture; `None` when it misses the picture.
fn clipped_bounds(
    img: &RgbImage,
    points: &[(f32, f32)],
    margin: f32,
) -> Option<((u32, u32), (u32, u32))> {
    let fold = |f: fn(&(f32, f32)) -> f32| {
        points
            .iter()
            .map(f)
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            })
    };
    let range = |(lo, hi): (f32, f32), size: u32| {
        let (lo, hi) = ((lo - margin).floor(), (hi + margin).ceil());
        let max = (size - 1) as f32;
        (hi >= 0.0 && lo <= max).then(|| (lo.max(0.0) as u32, hi.min(max) as u32))
    };
    Some((
        range(fold(|p| p.0), img.width())?,
        range(fold(|p| p.1), img.height())?,
    ))
}

/// The edges of the closed polygon.
fn edges(points: &[(f32, f32)]) -> impl Iterator<Item = ((f32, f32), (f32, f32))> + '_ {
    let n = points.len();
    (0..n).map(move |i| (points[i], points[(i + 1) % n]))
}

/// Signed area (shoelace formula).
fn polygon_area(points: &[(f32, f32)]) -> f32 {
    edges(points)
        .map(|(a, b)| f64::from(a.0) * f64::from(b.1) - f64::from(b.0) * f64::from(a.1))
        .sum::<f64>() as f32
        / 2.0
}

/// Euclidean distance from `p` to the nearest edge.
fn distance_to_outline(points: &[(f32, f32)], p: (f32, f32)) -> f32 {
    edges(points)
        .map(|(a, b)| distance_to_segment(p, a, b))
        .fold(f32::INFINITY, f32::min)
}

/// Euclidean distance from `p` to the segment `a`–`b`.
fn distance_to_segment(p: (f32, f32), a: (f32, f32), b: (f32, f32)) -> f32 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - qx).powi(2) + (p.1 - qy).powi(2)).sqrt()
}

/// Even-odd point-in-polygon test (crossings of a ray towards +x).
fn contains(points: &[(f32, f32)], p: (f32, f32)) -> bool {
    let mut inside = false;
    for (a, b) in edges(points) {
        if (a.1 > p.1) != (b.1 > p.1) {
            let x_cross = a.0 + (p.1 - a.1) / (b.1 - a.1) * (b.0 - a.0);
            if p.0 < x_cross {
                inside = !inside;
            }
        }
    }
    inside
}
