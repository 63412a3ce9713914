//! Grasp rectangles moved with an image that is rotated, cropped and scaled.

use crate::RotatedRect;
use crate::boxes::map_rotated_rect;

/// A geometric change of an image, applied in this order: a rotation by `rotation`
/// radians **counter-clockwise on screen** about `centre` (`(x, y)`, continuous
/// coordinates; the image's centre is `(width / 2, height / 2)`), a crop whose top-left
/// corner is `crop_origin` (`(x, y)`, in the rotated image), and a scaling by
/// `(scale_x, scale_y)` (the crop resized to the output). A point `(x, y)` moves to
/// [`ImageTransform::map_point`]; a grasp's angle moves with the image: `phi + rotation`
/// (for equal scales).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageTransform {
    /// Rotation, radians, counter-clockwise on screen.
    pub rotation: f32,
    /// The point the image turns about, `(x, y)`.
    pub centre: (f32, f32),
    /// The crop's top-left corner in the rotated image, `(x, y)`.
    pub crop_origin: (f32, f32),
    /// Scale of the columns (output width / crop width).
    pub scale_x: f32,
    /// Scale of the rows (output height / crop height).
    pub scale_y: f32,
}

impl Default for ImageTransform {
    /// The identity.
    fn default() -> Self {
        Self {
            rotation: 0.0,
            centre: (0.0, 0.0),
            crop_origin: (0.0, 0.0),
            scale_x: 1.0,
            scale_y: 1.0,
        }
    }
}

impl ImageTransform {
    /// Where the point `(x, y)` of the input image lands in the output.
    pub fn map_point(&self, x: f32, y: f32) -> (f32, f32) {
        let (sin, cos) = self.rotation.sin_cos();
        let (dx, dy) = (x - self.centre.0, y - self.centre.1);
        // Counter-clockwise on screen with rows pointing down.
        let rx = self.centre.0 + dx * cos + dy * sin;
        let ry = self.centre.1 - dx * sin + dy * cos;
        (
            (rx - self.crop_origin.0) * self.scale_x,
            (ry - self.crop_origin.1) * self.scale_y,
        )
    }

    /// The rectangles moved with the image: centres mapped, `phi` following the mapped
    /// opening axis and folded into `(-π/2, π/2]` (a grasp is the same after a half turn),
    /// lengths scaled (with unequal scales a turned rectangle becomes the rectangle along
    /// its mapped `length1` axis with the same area). Neither clipped nor dropped: the
    /// output is parallel to the input.
    pub fn apply(&self, rects: &[RotatedRect]) -> Vec<RotatedRect> {
        rects
            .iter()
            .map(|r| {
                let moved = map_rotated_rect(r, |x, y| self.map_point(x, y));
                RotatedRect {
                    phi: fold_half_turn(moved.phi),
                    ..moved
                }
            })
            .collect()
    }
}

/// `phi` shifted by a multiple of π into `(-π/2, π/2]`.
fn fold_half_turn(phi: f32) -> f32 {
    use std::f32::consts::{FRAC_PI_2, PI};
    let a = (phi + FRAC_PI_2).rem_euclid(PI) - FRAC_PI_2;
    if a <= -FRAC_PI_2 { a + PI } else { a }
}

#[cfg(test)]
mod tests {
    use std::f32::consts::FRAC_PI_2;

    use super::*;
    use crate::grasp::{GraspTargetParams, grasp_targets};

    fn angle_diff(a: f32, b: f32) -> f32 {
        let d = (a - b).rem_euclid(std::f32::consts::PI);
        d.min(std::f32::consts::PI - d)
    }

    #[test]
    fn a_rotated_rectangle_turns_with_the_image() {
        let r = RotatedRect {
            row: 30.0,
            col: 70.0,
            phi: 0.4,
            length1: 20.0,
            length2: 8.0,
        };
        for deg in [-170.0f32, -30.0, 12.5, 45.0, 90.0, 135.0] {
            let t = ImageTransform {
                rotation: deg.to_radians(),
                centre: (64.0, 48.0),
                ..Default::default()
            };
            let moved = t.apply(&[r])[0];
            assert!(
                angle_diff(moved.phi, r.phi + deg.to_radians()) < 1e-5,
                "{deg}: {moved:?}"
            );
            assert!(moved.phi > -FRAC_PI_2 && moved.phi <= FRAC_PI_2);
            assert!((moved.length1 - 20.0).abs() < 1e-4 && (moved.length2 - 8.0).abs() < 1e-4);
            // The corners are the original corners turned (as a set).
            let turned: Vec<(f32, f32)> = r
                .corners()
                .iter()
                .map(|&(x, y)| t.map_point(x, y))
                .collect();
            for c in moved.corners() {
                let near = turned.iter().any(|p| (p.0 - c.0).hypot(p.1 - c.1) < 1e-3);
                assert!(near, "{deg}: corner {c:?} not in {turned:?}");
            }
        }
        // A quarter turn counter-clockwise takes a point right of the centre above it.
        let t = ImageTransform {
            rotation: FRAC_PI_2,
            centre: (50.0, 50.0),
            ..Default::default()
        };
        let (x, y) = t.map_point(60.0, 50.0);
        assert!((x - 50.0).abs() < 1e-5 && (y - 40.0).abs() < 1e-5);
    }

    #[test]
    fn crop_and_scale_move_and_scale_the_rectangle() {
        let r = RotatedRect {
            row: 40.0,
            col: 60.0,
            phi: 0.25,
            length1: 12.0,
            length2: 4.0,
        };
        let t = ImageTransform {
            crop_origin: (20.0, 10.0),
            scale_x: 0.5,
            scale_y: 0.5,
            ..Default::default()
        };
        let m = t.apply(&[r])[0];
        assert!((m.col - 20.0).abs() < 1e-5 && (m.row - 15.0).abs() < 1e-5);
        assert!((m.length1 - 6.0).abs() < 1e-4 && (m.length2 - 2.0).abs() < 1e-4);
        assert!((m.phi - 0.25).abs() < 1e-5);
    }

    #[test]
    fn target_maps_of_moved_rectangles_follow_the_image() {
        // The map of the turned rectangle at the turned centre holds the turned angle.
        let r = RotatedRect {
            row: 24.0,
            col: 40.0,
            phi: 0.2,
            length1: 15.0,
            length2: 6.0,
        };
        let t = ImageTransform {
            rotation: 0.5,
            centre: (32.0, 24.0),
            ..Default::default()
        };
        let m = t.apply(&[r])[0];
        let maps = grasp_targets(&[m], 64, 48, &GraspTargetParams::default());
        let (x, y) = t.map_point(40.0, 24.0);
        let a = maps.angle_at(x as u32, y as u32).unwrap();
        assert!(angle_diff(a, 0.7) < 1e-4, "{a}");
    }
}
