//! Object boxes in image coordinates: axis-aligned boxes and rotated rectangles, and their
//! scaling along with a resized image.
//!
//! The coordinates are described at [`AxisBox`].

/// An axis-aligned box from `(x1, y1)` (top-left corner, inclusive) to `(x2, y2)`
/// (bottom-right corner, exclusive), in `f32`: `kestrel-geom`'s [`AxisBox`](kestrel_geom::AxisBox).
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
/// `BoxAnnotation::axis_box` and `RotatedBox` are the same types in `f64`
/// (`.cast::<f32>()` converts).
pub type AxisBox = kestrel_geom::AxisBox<f32>;

/// A rotated rectangle, HALCON `rectangle2` style, in `f32`: `kestrel-geom`'s
/// [`RotatedBox`](kestrel_geom::RotatedBox) (centre `(row, col)`, angle `phi`
/// counter-clockwise on screen, half side lengths `length1`, `length2`). Coordinates as for
/// [`AxisBox`].
pub type RotatedRect = kestrel_geom::RotatedBox<f32>;

/// The box of `b`'s corners mapped by the affine `map` (`(x, y)` → `(x, y)`), i.e. the
/// axis-aligned box around the mapped box: exact for maps that keep axes parallel
/// (mirrors, quarter turns, scaling), larger than the object for other rotations.
pub(crate) fn map_axis_box(b: &AxisBox, map: impl Fn(f32, f32) -> (f32, f32)) -> AxisBox {
    AxisBox::around([
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
