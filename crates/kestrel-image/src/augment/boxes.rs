//! Augmentation of an image together with its object boxes (detection): the boxes follow
//! the geometric plan the image is sampled with.

use rand::Rng;

use super::AugmentPlan;
use super::plan::GeometryPlan;
use crate::boxes::{map_axis_box, map_rotated_rect};
use crate::{AugmentParams, AxisBox, ImageF32, RotatedRect};

/// A transformed box is dropped when less than this share of its area (after the
/// transform, before clipping) lies inside the image.
pub const MIN_VISIBLE_FRACTION: f32 = 0.25;

/// A transformed box is dropped when its area inside the image is below this, in pixels².
pub const MIN_BOX_AREA: f32 = 1.0;

/// Augments `image` exactly as [`crate::augment`] does (for a given generator state the
/// image is the same and the generator advances the same way) and moves `boxes` (see
/// [`AxisBox`] for the coordinates) with it.
///
/// Each box's corners go through the geometric transforms: mirrors and 90° rotations map
/// a box onto a box exactly (up to `f32` rounding), the crop shifts and scales it, and a rotation by another angle gives the
/// axis-aligned box around the turned corners, which is larger than the object (a square
/// turned by 45° grows to twice its area). The box is then clipped to the image and
/// dropped when the clipped part has less than [`MIN_VISIBLE_FRACTION`] of the transformed
/// box's area or less than [`MIN_BOX_AREA`]; empty, inverted or non-finite boxes are
/// dropped too. Clipping and dropping also happen when the image is not augmented (the
/// boxes are then not moved), so the returned boxes always lie inside the returned image.
///
/// Returns the image, the kept boxes in input order, and for each kept box the index of
/// the input box it came from (to keep class ids or masks aligned).
pub fn augment_with_boxes(
    image: &ImageF32,
    boxes: &[AxisBox],
    params: &AugmentParams,
    rng: &mut impl Rng,
) -> (ImageF32, Vec<AxisBox>, Vec<usize>) {
    let plan = AugmentPlan::draw(params, image.width, image.height, image.channels, rng);
    let (kept, sources) = plan.apply_boxes(boxes, image.width, image.height);
    (plan.apply(image), kept, sources)
}

/// Moves `boxes` with `plan` (`None`: the identity) onto an output of `width x height`,
/// clipping and dropping as [`augment_with_boxes`] describes.
pub(super) fn move_boxes(
    plan: Option<&GeometryPlan>,
    width: u32,
    height: u32,
    boxes: &[AxisBox],
) -> (Vec<AxisBox>, Vec<usize>) {
    let (w, h) = (width as f32, height as f32);
    let map = point_map(plan);
    let mut kept = Vec::new();
    let mut sources = Vec::new();
    for (i, b) in boxes.iter().enumerate() {
        if !b.is_finite() || b.x2 <= b.x1 || b.y2 <= b.y1 {
            continue;
        }
        let moved = map_axis_box(b, &map);
        let clipped = AxisBox {
            x1: moved.x1.clamp(0.0, w),
            y1: moved.y1.clamp(0.0, h),
            x2: moved.x2.clamp(0.0, w),
            y2: moved.y2.clamp(0.0, h),
        };
        let area = clipped.area();
        if area >= MIN_BOX_AREA && area >= MIN_VISIBLE_FRACTION * moved.area() {
            kept.push(clipped);
            sources.push(i);
        }
    }
    (kept, sources)
}

/// Augments `image` exactly as [`crate::augment`] does and moves rotated rectangles (see
/// [`RotatedRect`]) with it: the centre goes through the geometric transforms, and `phi`
/// follows the `length1` axis, so a left-right mirror gives `π - phi`, a top-bottom
/// mirror `-phi`, a clockwise quarter turn `phi - π/2` and a clockwise rotation by `θ`
/// `phi - θ` (HALCON's angles count counter-clockwise; augmentation turns clockwise as
/// displayed for positive angles). The crop scales both half lengths. `phi` of a moved
/// rectangle is in `(-π, π]` (the direction of `length1` is kept; normalize to
/// `(-π/2, π/2]` if direction does not matter). Rectangles are not clipped; one is dropped
/// when its centre leaves the image (`[0, width] x [0, height]`) or it has a non-finite
/// value. When no geometric change is drawn (the image is not augmented, or only
/// photometric operations or no mirror were drawn) the rectangles come back unchanged
/// (those with the centre inside); otherwise angle and lengths are derived from mapped
/// points and carry `f32` rounding (about 1e-6).
///
/// Returns the image, the kept rectangles in input order, and for each the index of the
/// input rectangle it came from.
pub fn augment_with_rotated_boxes(
    image: &ImageF32,
    rects: &[RotatedRect],
    params: &AugmentParams,
    rng: &mut impl Rng,
) -> (ImageF32, Vec<RotatedRect>, Vec<usize>) {
    let plan = AugmentPlan::draw(params, image.width, image.height, image.channels, rng);
    let (kept, sources) = plan.apply_rotated(rects, image.width, image.height);
    (plan.apply(image), kept, sources)
}

/// Moves `rects` with `plan` (`None`: unchanged) onto an output of `width x height`,
/// dropping as [`augment_with_rotated_boxes`] describes.
pub(super) fn move_rotated(
    plan: Option<&GeometryPlan>,
    width: u32,
    height: u32,
    rects: &[RotatedRect],
) -> (Vec<RotatedRect>, Vec<usize>) {
    let (w, h) = (width as f32, height as f32);
    let map = point_map(plan);
    let mut kept = Vec::new();
    let mut sources = Vec::new();
    for (i, r) in rects.iter().enumerate() {
        if !r.is_finite() {
            continue;
        }
        let moved = match plan {
            Some(_) => map_rotated_rect(r, &map),
            None => *r,
        };
        let inside = (0.0..=w).contains(&moved.col) && (0.0..=h).contains(&moved.row);
        if inside && moved.is_finite() {
            kept.push(moved);
            sources.push(i);
        }
    }
    (kept, sources)
}

/// The plan's forward map in box coordinates (pixel corners at integers, where the plan
/// has pixel centres), or the identity when the image was not augmented.
fn point_map(plan: Option<&GeometryPlan>) -> impl Fn(f32, f32) -> (f32, f32) + '_ {
    move |x, y| match plan {
        Some(plan) => {
            let (px, py) = plan.forward(x - 0.5, y - 0.5);
            (px + 0.5, py + 0.5)
        }
        None => (x, y),
    }
}

#[cfg(test)]
mod tests {
    use std::f32::consts::{FRAC_PI_2, FRAC_PI_4, PI, SQRT_2};

    use super::*;

    fn axis(x1: f32, y1: f32, x2: f32, y2: f32) -> AxisBox {
        AxisBox { x1, y1, x2, y2 }
    }

    fn rect(row: f32, col: f32, phi: f32, length1: f32, length2: f32) -> RotatedRect {
        RotatedRect {
            row,
            col,
            phi,
            length1,
            length2,
        }
    }

    fn assert_close(a: f32, b: f32, what: &str) {
        assert!((a - b).abs() < 1e-4, "{what}: {a} vs {b}");
    }

    fn assert_rect(a: RotatedRect, b: RotatedRect) {
        assert_close(a.row, b.row, "row");
        assert_close(a.col, b.col, "col");
        assert_close(a.phi, b.phi, "phi");
        assert_close(a.length1, b.length1, "length1");
        assert_close(a.length2, b.length2, "length2");
    }

    #[test]
    fn crop_clips_keeps_and_drops() {
        // 10x8 image, crop (2, 2) + 5x4 (half the size), so x' = 2 (x - 2), y' = 2 (y - 2).
        let plan =
            GeometryPlan::for_test(10, 8, (false, false), 0, None, Some([2.0, 2.0, 5.0, 4.0]));
        let boxes = [
            // -> (2, 2, 12, 6), clipped (2, 2, 10, 6): 32 of 40 px² inside, kept.
            axis(3.0, 3.0, 8.0, 5.0),
            // -> (-4, -4, 1, 1), clipped (0, 0, 1, 1): 1 of 25 px² (4 %), dropped.
            axis(0.0, 0.0, 2.5, 2.5),
            // -> (9, 2, 13, 4), clipped (9, 2, 10, 4): 2 of 8 px², exactly 25 %, kept.
            axis(6.5, 3.0, 8.5, 4.0),
            // -> (12, 8, 14, 10): outside, dropped.
            axis(8.0, 6.0, 9.0, 7.0),
            // Inside but 0.5 x 0.5 -> 1 x 1 = 1 px², kept; 0.25 x 0.5 -> 0.5 px², dropped.
            axis(4.0, 4.0, 4.5, 4.5),
            axis(4.0, 4.0, 4.25, 4.5),
        ];
        let (kept, sources) = move_boxes(Some(&plan), 10, 8, &boxes);
        assert_eq!(sources, [0, 2, 4]);
        assert_eq!(
            kept,
            [
                axis(2.0, 2.0, 10.0, 6.0),
                axis(9.0, 2.0, 10.0, 4.0),
                axis(4.0, 4.0, 5.0, 5.0)
            ]
        );
        // Rotated: centres scale about the crop; lengths double; (col 1, row 1) -> (-2, -2)
        // leaves the image.
        let rects = [rect(3.0, 4.0, 0.5, 1.0, 0.5), rect(1.0, 1.0, 0.0, 1.0, 1.0)];
        let (moved, sources) = move_rotated(Some(&plan), 10, 8, &rects);
        assert_eq!(sources, [0]);
        assert_rect(moved[0], rect(2.0, 4.0, 0.5, 2.0, 1.0));
    }

    #[test]
    fn mirrors_quarter_turns_and_rotation() {
        // Left-right mirror of a 10x8 image: x' = 10 - x.
        let plan = GeometryPlan::for_test(10, 8, (true, false), 0, None, None);
        let (kept, _) = move_boxes(Some(&plan), 10, 8, &[axis(1.0, 2.0, 4.0, 5.0)]);
        assert_eq!(kept, [axis(6.0, 2.0, 9.0, 5.0)]);
        let (moved, _) = move_rotated(Some(&plan), 10, 8, &[rect(3.0, 2.0, 0.3, 2.0, 1.0)]);
        assert_rect(moved[0], rect(3.0, 8.0, PI - 0.3, 2.0, 1.0));
        // Top-bottom mirror: y' = 8 - y, phi' = -phi.
        let plan = GeometryPlan::for_test(10, 8, (false, true), 0, None, None);
        let (kept, _) = move_boxes(Some(&plan), 10, 8, &[axis(1.0, 2.0, 4.0, 5.0)]);
        assert_eq!(kept, [axis(1.0, 3.0, 4.0, 6.0)]);
        let (moved, _) = move_rotated(Some(&plan), 10, 8, &[rect(3.0, 2.0, 0.3, 2.0, 1.0)]);
        assert_rect(moved[0], rect(5.0, 2.0, -0.3, 2.0, 1.0));
        // One clockwise quarter turn of an 8x8 image: (x, y) -> (8 - y, x), phi - π/2.
        let plan = GeometryPlan::for_test(8, 8, (false, false), 1, None, None);
        let (kept, _) = move_boxes(Some(&plan), 8, 8, &[axis(1.0, 2.0, 4.0, 5.0)]);
        assert_eq!(kept, [axis(3.0, 1.0, 6.0, 4.0)]);
        let (moved, _) = move_rotated(Some(&plan), 8, 8, &[rect(3.0, 2.0, 0.3, 2.0, 1.0)]);
        assert_rect(moved[0], rect(2.0, 5.0, 0.3 - FRAC_PI_2, 2.0, 1.0));
        // Rotation by 45° about the centre (5, 5) of a 10x10 image: the 2x2 square in the
        // middle turns into a diamond whose box has half-width sqrt(2), twice the area.
        let plan = GeometryPlan::for_test(10, 10, (false, false), 0, Some(45.0), None);
        let (kept, _) = move_boxes(Some(&plan), 10, 10, &[axis(4.0, 4.0, 6.0, 6.0)]);
        let expected = axis(5.0 - SQRT_2, 5.0 - SQRT_2, 5.0 + SQRT_2, 5.0 + SQRT_2);
        for (a, b) in [
            (kept[0].x1, expected.x1),
            (kept[0].y1, expected.y1),
            (kept[0].x2, expected.x2),
            (kept[0].y2, expected.y2),
        ] {
            assert_close(a, b, "rotated box");
        }
        // Clockwise on screen is negative phi; a point right of the centre moves down.
        let (moved, _) = move_rotated(Some(&plan), 10, 10, &[rect(5.0, 7.0, 0.0, 1.0, 0.5)]);
        assert_rect(
            moved[0],
            rect(5.0 + SQRT_2, 5.0 + SQRT_2, -FRAC_PI_4, 1.0, 0.5),
        );
    }

    #[test]
    fn without_a_plan_boxes_are_only_clipped() {
        let boxes = [
            axis(-2.0, 1.0, 3.0, 4.0),
            axis(3.0, 3.0, 2.0, 5.0),
            axis(f32::NAN, 0.0, 1.0, 1.0),
        ];
        let (kept, sources) = move_boxes(None, 10, 8, &boxes);
        assert_eq!((kept, sources), (vec![axis(0.0, 1.0, 3.0, 4.0)], vec![0]));
        let rects = [rect(3.1, 2.7, 4.0, 1.0, 1.0), rect(9.0, 2.0, 0.0, 1.0, 1.0)];
        let (kept, sources) = move_rotated(None, 10, 8, &rects);
        assert_eq!((kept, sources), (vec![rects[0]], vec![0]));
    }
}
